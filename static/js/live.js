// The live interview page: question navigation, timers, keyboard shortcuts and autosave.
// The page works without this script (each question is a plain form); this script saves every
// change within about a second and never loses one. Protocol: docs/autosave.md.
(function () {
  "use strict";

  var root = document.getElementById("live");
  if (!root) return;

  // Each tab keeps its own queue (its id lives in sessionStorage, so it survives a reload of
  // that tab); a queue whose tab has stopped beating is adopted by the next tab that opens.
  var PREFIX = "panelist:autosave:" + root.dataset.interview + ":" + root.dataset.user + ":";
  var ORPHAN_AFTER_MS = 20000;
  var url = root.dataset.autosaveUrl;
  var sections = Array.prototype.slice.call(root.querySelectorAll(".live-question"));
  var byQuestion = {};
  sections.forEach(function (s) { byQuestion[s.dataset.question] = s; });
  var current = parseInt(root.dataset.current, 10) || 1;
  var saveState = document.getElementById("save-state");
  var conflictBox = document.getElementById("conflict");
  // The CSRF token is read at each send: signing in again (after a timeout) rotates it.
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value;
  }

  // --- the queue, kept in localStorage so that a reload, a closed tab or a crash loses nothing
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)) || null; } catch (e) { return null; }
  }
  var tabId = null;
  try { tabId = sessionStorage.getItem(PREFIX + "tab"); } catch (e) { /* private mode */ }
  if (!tabId) {
    tabId = newKey();
    try { sessionStorage.setItem(PREFIX + "tab", tabId); } catch (e) { /* a fresh id each load */ }
  }
  var STORAGE_KEY = PREFIX + tabId;
  var store = read(STORAGE_KEY) || { ops: [], versions: {} };
  function persist() {
    store.beat = Date.now();
    try { localStorage.setItem(STORAGE_KEY, JSON.stringify(store)); } catch (e) { /* storage full: still in memory */ }
  }
  (function adoptOrphans() {
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i));
    keys.forEach(function (key) {
      if (key.indexOf(PREFIX) !== 0 || key === STORAGE_KEY || key === PREFIX + "tab") return;
      var other = read(key);
      if (!other || Date.now() - (other.beat || 0) < ORPHAN_AFTER_MS) return;
      store.ops = store.ops.concat(other.ops || []);
      localStorage.removeItem(key);
    });
    persist();
  })();
  // The server's versions are the truth when the page loads, unless changes are still queued.
  sections.forEach(function (s) {
    var q = s.dataset.question;
    var queued = store.ops.some(function (op) { return String(op.question) === q; });
    if (!queued) store.versions[q] = parseInt(s.dataset.version, 10);
  });

  // --- reading and writing a question's state from its form
  function stateOf(section) {
    var form = section.querySelector("form");
    var score = form.querySelector("input[name=score]:checked");
    function ints(name) {
      return Array.prototype.map.call(form.querySelectorAll("input[name=" + name + "]:checked"), function (i) {
        return parseInt(i.value, 10);
      });
    }
    return {
      score: score ? parseInt(score.value, 10) : null,
      skipped: form.querySelector("input[name=skipped]").checked,
      skip_reason: form.querySelector("input[name=skip_reason]").value,
      criteria: ints("criteria"),
      key_points: ints("key_points"),
      notes: form.querySelector("textarea[name=notes]").value,
      seconds: timers[section.dataset.question] || 0
    };
  }
  function showState(section, state) {
    var form = section.querySelector("form");
    Array.prototype.forEach.call(form.querySelectorAll("input[name=score]"), function (i) {
      i.checked = state.score !== null && parseInt(i.value, 10) === state.score;
    });
    form.querySelector("input[name=skipped]").checked = !!state.skipped;
    form.querySelector("input[name=skip_reason]").value = state.skip_reason || "";
    Array.prototype.forEach.call(form.querySelectorAll("input[name=criteria]"), function (i) {
      i.checked = (state.criteria || []).indexOf(parseInt(i.value, 10)) >= 0;
    });
    Array.prototype.forEach.call(form.querySelectorAll("input[name=key_points]"), function (i) {
      i.checked = (state.key_points || []).indexOf(parseInt(i.value, 10)) >= 0;
    });
    form.querySelector("textarea[name=notes]").value = state.notes || "";
    if (typeof state.seconds === "number") timers[section.dataset.question] = state.seconds;
    railState(section, state);
  }
  function railState(section, state) {
    var el = root.querySelector("[data-rail-state='" + section.dataset.question + "']");
    if (el) el.textContent = state.skipped ? "skipped" : (state.score ? String(state.score) : "");
  }

  // --- status line
  var lastSaved = null;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function clock(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()); }
  function renderStatus(text) {
    var waiting = store.ops.length;
    var label;
    if (text) label = text;
    else if (signedOut && waiting) label = "Signed out: sign in again in a new tab; " + waiting + " change" + (waiting === 1 ? "" : "s") + " waiting";
    else if (!navigator.onLine || offline) label = "Offline: " + waiting + " change" + (waiting === 1 ? "" : "s") + " waiting";
    else if (waiting) label = "Saving…";
    else label = lastSaved ? "Saved " + clock(lastSaved) : "Saved";
    saveState.textContent = label;
    saveState.className = "save-state badge border " + (offline || !navigator.onLine ? "text-bg-warning" : "text-bg-light");
  }

  // --- sending, strictly in order, one request at a time
  var sending = false, offline = false, signedOut = false, retryDelay = 1000, retryTimer = null, stopped = false;

  function enqueue(section) {
    var state = stateOf(section);
    railState(section, state);
    store.ops.push({ key: newKey(), question: parseInt(section.dataset.question, 10), state: state });
    persist();
    renderStatus();
    flush();
  }

  function dropOpsFor(question) {
    store.ops = store.ops.filter(function (op) { return op.question !== question; });
  }

  function flush() {
    if (sending || stopped || !store.ops.length) { renderStatus(); return; }
    var op = store.ops[0];
    // The base version is fixed at the first attempt, so a retry of a request whose answer
    // was lost carries the same key and base, and the server recognises it.
    if (typeof op.base !== "number") { op.base = store.versions[op.question]; persist(); }
    sending = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify({ key: op.key, question: op.question, version: op.base, state: op.state })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") < 0) {
        // Sent to the login page (no session), or a proxy error: keep the change, try later.
        if (response.redirected && response.url.indexOf("/login/") >= 0) signedOut = true;
        throw new Error(response.status === 200 ? "signed-out" : "http-" + response.status);
      }
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      sending = false;
      offline = false;
      if (result.status !== 401) signedOut = false;
      retryDelay = 1000;
      var body = result.body;
      if (result.status === 200 && body.ok) {
        store.ops.shift();
        store.versions[op.question] = body.version;
        var section = byQuestion[op.question];
        if (section) {
          section.dataset.version = body.version;
          section.querySelector("input[name=version]").value = body.version;
        }
        lastSaved = new Date();
      } else if (result.status === 409 && body.error === "conflict") {
        // Someone else's change came first: show theirs, never overwrite it silently.
        dropOpsFor(op.question);
        store.versions[op.question] = body.current.version;
        var s = byQuestion[op.question];
        if (s) {
          showState(s, body.current);
          s.dataset.version = body.current.version;
          s.querySelector("input[name=version]").value = body.current.version;
        }
        showConflict(body.message, op.state);
      } else if (result.status === 409 && body.error === "submitted") {
        stopped = true;
        store.ops = [];
        showConflict(body.message);
      } else if (result.status === 401) {
        // Signed out (idle timeout, two-factor needed): keep every change and try again;
        // once the user signs in again (in another tab) the queue goes through.
        signedOut = true;
        throw new Error("signed-out");
      } else if (result.status >= 500) {
        throw new Error("server");
      } else {
        // 400/404/413: this change can never be saved as it is; say so and go on with the rest.
        store.ops.shift();
        showConflict(body.message || "A change could not be saved.");
      }
      persist();
      renderStatus();
      flush();
    }).catch(function () {
      sending = false;
      offline = true;
      renderStatus();
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    });
  }

  function showConflict(message, lostState) {
    var text = message;
    if (lostState && lostState.notes) text += " Your notes were: “" + lostState.notes.slice(0, 400) + "”";
    conflictBox.textContent = text;
    conflictBox.classList.remove("d-none");
  }

  // Send what is queued when the tab is hidden or closed (keepalive lets the request outlive
  // the page). Whatever does not make it stays in localStorage and goes on the next visit.
  function flushOnLeave() {
    saveTimerState(currentSection());
    if (!store.ops.length || sending || stopped) return;
    var op = store.ops[0];
    if (typeof op.base !== "number") { op.base = store.versions[op.question]; persist(); }
    try {
      fetch(url, {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ key: op.key, question: op.question, version: op.base, state: op.state })
      });
    } catch (e) { /* the queue keeps it */ }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushOnLeave(); else flush();
  });
  window.addEventListener("pagehide", flushOnLeave);
  window.addEventListener("online", function () { retryDelay = 1000; flush(); });
  window.addEventListener("offline", function () { renderStatus(); });

  // --- changes: clicks save at once, typing after a short pause
  var typingTimers = {};
  sections.forEach(function (section) {
    var form = section.querySelector("form");
    form.addEventListener("change", function (event) {
      if (event.target.name === "skipped" && event.target.checked && !form.querySelector("input[name=skip_reason]").value.trim()) {
        form.querySelector("input[name=skip_reason]").focus();
        return; // saved once a reason is typed
      }
      if (event.target.name === "score") {
        form.querySelector("input[name=skipped]").checked = false;
        form.querySelector("input[name=skip_reason]").value = "";
      }
      enqueue(section);
    });
    form.addEventListener("input", function (event) {
      if (event.target.name !== "notes" && event.target.name !== "skip_reason") return;
      if (event.target.name === "skip_reason" && !form.querySelector("input[name=skipped]").checked) return;
      clearTimeout(typingTimers[section.dataset.question]);
      typingTimers[section.dataset.question] = setTimeout(function () { enqueue(section); }, 600);
    });
    // With the script, the buttons navigate; saving already happened.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var go = event.submitter && event.submitter.dataset.nav;
      if (go === "next") show(current + 1);
      else if (go === "previous") show(current - 1);
      else enqueue(section);
    });
  });

  // --- navigation
  function currentSection() { return sections[current - 1]; }
  function show(n) {
    if (n < 1 || n > sections.length || n === current) return;
    saveTimerState(currentSection());
    current = n;
    sections.forEach(function (s, i) { s.hidden = i !== n - 1; });
    Array.prototype.forEach.call(root.querySelectorAll(".rail-link"), function (a) {
      var on = parseInt(a.dataset.goto, 10) === n;
      a.classList.toggle("active", on);
      if (on) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current");
    });
    if (history.replaceState) history.replaceState(null, "", "?q=" + n);
    currentSection().querySelector("h2").focus({ preventScroll: true });
    currentSection().scrollIntoView({ block: "start", behavior: "smooth" });
    updatePacing();
  }
  Array.prototype.forEach.call(root.querySelectorAll(".rail-link"), function (a) {
    a.addEventListener("click", function (event) { event.preventDefault(); show(parseInt(a.dataset.goto, 10)); });
  });
  sections.forEach(function (s) { s.querySelector("h2").setAttribute("tabindex", "-1"); });

  // --- keyboard: 1-4 score, n/p next/previous, s skip, / notes
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text") ||
      target.tagName === "SELECT" || target.isContentEditable || target.type === "search");
    if (event.key === "Escape" && typing) { target.blur(); return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    var section = currentSection();
    if (!section) return;
    var form = section.querySelector("form");
    if (/^[1-4]$/.test(event.key)) {
      var radio = form.querySelector("input[name=score][value='" + event.key + "']");
      if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
      event.preventDefault();
    } else if (event.key === "n") { show(current + 1); event.preventDefault(); }
    else if (event.key === "p") { show(current - 1); event.preventDefault(); }
    else if (event.key === "s") {
      var skip = form.querySelector("input[name=skipped]");
      skip.checked = true;
      Array.prototype.forEach.call(form.querySelectorAll("input[name=score]"), function (i) { i.checked = false; });
      form.querySelector("input[name=skip_reason]").focus();
      event.preventDefault();
    } else if (event.key === "/") { form.querySelector("textarea[name=notes]").focus(); event.preventDefault(); }
  });

  // --- timers: per question while it is shown, and the whole interview's clock
  var timers = {};
  sections.forEach(function (s) { timers[s.dataset.question] = parseInt(s.dataset.seconds, 10) || 0; });
  var started = root.dataset.started ? new Date(root.dataset.started) : new Date();
  function fmt(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + pad(s);
  }
  function saveTimerState(section) {
    if (!section) return;
    var form = section.querySelector("form");
    form.querySelector("input[name=seconds]").value = timers[section.dataset.question];
  }
  function updatePacing() {
    var elapsed = Math.max(0, Math.floor((Date.now() - started.getTime()) / 1000));
    document.getElementById("clock-elapsed").textContent = fmt(elapsed);
    var before = 0, through = 0;
    sections.forEach(function (s, i) {
      var m = (parseInt(s.dataset.minutes, 10) || 0) * 60;
      if (i < current - 1) before += m;
      if (i < current) through += m;
    });
    var pacing = document.getElementById("pacing");
    if (elapsed > through) {
      pacing.textContent = "Behind by " + Math.ceil((elapsed - through) / 60) + " min";
      pacing.className = "badge text-bg-warning";
    } else if (elapsed < before) {
      pacing.textContent = "Ahead by " + Math.floor((before - elapsed) / 60) + " min";
      pacing.className = "badge text-bg-info";
    } else {
      pacing.textContent = "On pace";
      pacing.className = "badge text-bg-success";
    }
  }
  var lastTimerSave = Date.now();
  setInterval(function () {
    var section = currentSection();
    if (section && document.visibilityState === "visible") {
      var q = section.dataset.question;
      timers[q] = (timers[q] || 0) + 1;
      section.querySelector("[data-timer]").textContent = fmt(timers[q]);
      saveTimerState(section);
    }
    updatePacing();
    if (Date.now() - (store.beat || 0) > 5000) persist();  // heartbeat: this tab is alive
    // The time spent travels with the next change; if nothing changes, save it every minute.
    if (Date.now() - lastTimerSave > 60000 && !store.ops.length && section) {
      lastTimerSave = Date.now();
      enqueue(section);
    }
  }, 1000);
  sections.forEach(function (s) { s.querySelector("[data-timer]").textContent = fmt(timers[s.dataset.question]); });

  // --- on load: show queued (unsaved) changes, then send them
  store.ops.forEach(function (op) {
    var section = byQuestion[op.question];
    if (section) showState(section, op.state);
  });
  updatePacing();
  renderStatus();
  flush();
})();
