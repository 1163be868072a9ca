// The autosave queue of one scorecard, shared by the live page (live.js) and the
// review-and-submit page (scorecard.js). Protocol and behaviour: docs/autosave.md.
//
// Every change is an operation {key, question, title, state} kept in localStorage, so a
// reload, a closed tab or a crash loses nothing. Operations are sent one at a time, in order.
// A change the server refuses (4xx) is set aside with a notice saying what was not saved, so it
// never holds back the changes behind it; network errors, 5xx and 429 are retried with
// back-off, and a change the server keeps failing on is set aside the same way.
//
// Each browser tab has one queue (its id in sessionStorage, so the pages that tab shows share
// it). A queue whose tab was closed, or has stopped beating, is adopted by the next page opened
// on the same scorecard.

// The server's limits (scoring/views/live.py MAX_BODY, scoring/services.py MAX_NOTES); a test
// (tests/scoring/test_live_page_extras.py) checks that they agree.
export const MAX_BODY_KB = 64;
export const MAX_NOTES = 20000;
// A queue whose tab has not beaten for this long is taken to be orphaned.
export const ORPHAN_AFTER_MS = 20000;
// A change the server answers with a 5xx this many times is set aside, not retried for ever.
export const MAX_SERVER_FAILURES = 4;
const BEAT_MS = 5000;
const MAX_RETRY_MS = 15000;

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
}

function read(key) {
  try { return JSON.parse(localStorage.getItem(key)) || null; } catch (e) { return null; }
}

function sameSet(a, b) {
  var x = (a || []).slice().sort(), y = (b || []).slice().sort();
  return x.length === y.length && x.every(function (v, i) { return v === y[i]; });
}

function quote(text) {
  return "“" + (text.length > 400 ? text.slice(0, 400) + "…" : text) + "”";
}

// What a state that was not saved holds that the saved state does not, in words: "score 4,
// rubric ticks (2 ticked), notes “…”". Without a known saved state, everything it holds.
export function describeLost(lost, saved) {
  saved = saved || { score: null, skipped: false, skip_reason: "", criteria: [], key_points: [], notes: "" };
  var parts = [];
  var score = lost.score === undefined ? null : lost.score, savedScore = saved.score === undefined ? null : saved.score;
  if (score !== savedScore) parts.push(score === null ? "clearing the score" : "score " + score);
  if (!!lost.skipped !== !!saved.skipped) parts.push(lost.skipped ? "the skip" : "un-skipping the question");
  if (lost.skipped && (lost.skip_reason || "") !== (saved.skip_reason || "")) parts.push("skip reason " + quote(lost.skip_reason || ""));
  if (!sameSet(lost.criteria, saved.criteria)) parts.push("rubric ticks (" + (lost.criteria || []).length + " ticked)");
  if (!sameSet(lost.key_points, saved.key_points)) parts.push("key points (" + (lost.key_points || []).length + " ticked)");
  if ((lost.notes || "") !== (saved.notes || "")) parts.push("notes " + quote(lost.notes || ""));
  return parts;
}

function lostSentence(lost, saved) {
  var parts = describeLost(lost, saved);
  return parts.length ? " What was not saved: " + parts.join(", ") + "." : " Nothing you typed differs from the saved version.";
}

function sentence(text) {
  text = (text || "").trim();
  return /[.!?]$/.test(text) ? text : text + ".";
}

// The CSRF token is read at each send: signing in again (after a timeout) rotates it.
function csrf() {
  var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value;
}

// options: interview, user, url, and callbacks called after the queue changed:
// onSaved(op, version), onNotice(question, notice) (a change set aside: refused, conflict,
// failed or the scorecard submitted), onConflict(op, current), onSubmitted(message),
// onAdopted(ops), onChange() (anything else: waiting count, network state); and formState(q),
// the question's state as the page shows it (with typing not yet queued), if the page has one.
export function openQueue(options) {
  var prefix = "panelist:autosave:" + options.interview + ":" + options.user + ":";
  var tabId = null;
  try { tabId = sessionStorage.getItem(prefix + "tab"); } catch (e) { /* private mode */ }
  if (!tabId) {
    tabId = newKey();
    try { sessionStorage.setItem(prefix + "tab", tabId); } catch (e) { /* a fresh id each load */ }
  }
  var storageKey = prefix + tabId;
  var store = read(storageKey) || {};
  store.ops = store.ops || [];
  store.versions = store.versions || {};
  store.notices = store.notices || {};
  delete store.closed;
  var saved = {};  // question -> the state last known to be saved (for saying what was lost)
  var sending = false, stopped = false, trouble = null, retryDelay = 1000, retryTimer = null, lastSaved = null;

  function call(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    if (options[name]) options[name].apply(null, args);
  }
  function persist() {
    store.beat = Date.now();
    try { localStorage.setItem(storageKey, JSON.stringify(store)); } catch (e) { /* storage full: still in memory */ }
  }
  function otherStores() {
    var found = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix) === 0 && key !== storageKey && key !== prefix + "tab") found.push(key);
    }
    return found.map(function (key) { return { key: key, store: read(key) }; }).filter(function (o) { return o.store; });
  }
  function orphaned(other) {
    return other.closed || Date.now() - (other.beat || 0) >= ORPHAN_AFTER_MS;
  }

  // Take over the queues of closed tabs (and of tabs that stopped beating): their changes are
  // sent after ours, their versions fill the gaps in ours, their notices stay visible.
  function adopt() {
    var adopted = [];
    otherStores().forEach(function (o) {
      if (!orphaned(o.store)) return;
      var known = {};
      store.ops.forEach(function (op) { known[op.key] = true; });
      (o.store.ops || []).forEach(function (op) {
        if (!known[op.key]) { store.ops.push(op); adopted.push(op); }
      });
      Object.keys(o.store.versions || {}).forEach(function (q) {
        if (typeof store.versions[q] !== "number") store.versions[q] = o.store.versions[q];
      });
      Object.keys(o.store.notices || {}).forEach(function (q) {
        if (!store.notices[q]) store.notices[q] = o.store.notices[q];
      });
      localStorage.removeItem(o.key);
    });
    if (adopted.length) persist();
    return adopted;
  }

  function post(op, keepalive) {
    return fetch(options.url, {
      method: "POST", credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify({ key: op.key, question: op.question, version: op.base, state: op.state })
    });
  }
  function fixBase(op) {
    // The base version is fixed at the first attempt, so a retry of a request whose answer
    // was lost carries the same key and base, and the server recognises it.
    if (typeof op.base !== "number") { op.base = store.versions[op.question]; persist(); }
  }
  function removeOp(key) {
    store.ops = store.ops.filter(function (o) { return o.key !== key; });
  }
  function setNotice(question, notice) {
    store.notices[question] = notice;
    call("onNotice", question, notice);
  }

  function flush() {
    if (sending || stopped || !store.ops.length) { call("onChange"); return; }
    var op = store.ops[0];
    fixBase(op);
    sending = true;
    post(op, false).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var login = response.redirected && response.url.indexOf("/login/") >= 0;
      if (type.indexOf("application/json") < 0) return { status: response.status, body: null, login: login };
      return response.json().then(function (body) { return { status: response.status, body: body }; },
        function () { return { status: response.status, body: null }; });
    }).then(function (answer) {
      sending = false;
      answered(op, answer);
    }, function () {
      sending = false;
      trouble = "offline";
      retryLater();
    });
  }

  function retryLater() {
    call("onChange");
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
  }

  function answered(op, answer) {
    var status = answer.status, body = answer.body || {}, q = op.question;
    // Sent to the login page (no session), signed out (idle timeout, two-factor needed) or a
    // refused CSRF token (Django's HTML 403): keep every change; once the user signs in again
    // (in another tab) the queue goes through. A 403 in JSON with an error code is the
    // endpoint's own refusal (the user lost the interviewer role): set aside below, like a 400.
    var refusal403 = status === 403 && !!answer.body && typeof answer.body.error === "string";
    if (answer.login || status === 401 || (status === 403 && !refusal403) || (status === 200 && !answer.body)) {
      trouble = "signed-out";
      retryLater();
      return;
    }
    if (status >= 500 || status === 429 || status === 408) {
      if (status >= 500) op.failures = (op.failures || 0) + 1;
      if ((op.failures || 0) < MAX_SERVER_FAILURES) {
        trouble = "server";
        persist();
        retryLater();
        return;
      }
      removeOp(op.key);
      setNotice(q, { kind: "failed", title: op.title, text: "Not saved: the server failed on this change " + op.failures +
        " times (error " + status + "), so it was set aside to let your other changes through." + lostSentence(op.state, saved[q]) });
    } else if (status === 200 && body.ok) {
      removeOp(op.key);
      store.versions[q] = body.version;
      saved[q] = op.state;
      // A notice stays until a change of that question is saved; after a conflict the page shows
      // the newer value, so saving that unchanged (the minute's timer) does not count.
      var notice = store.notices[q];
      if (notice && (notice.kind !== "conflict" || describeLost(op.state, notice.current).length)) delete store.notices[q];
      lastSaved = new Date();
      call("onSaved", op, body.version);
    } else if (status === 409 && body.error === "conflict") {
      // Someone else's change came first: show theirs, never overwrite it silently. The later
      // changes to this question were based on the refused one, so they go too; the notice
      // names what the last of them held, or what the page shows if typing is still pending.
      var mine = store.ops.filter(function (o) { return o.question === q; });
      var lost = (options.formState && options.formState(q)) || (mine.length ? mine[mine.length - 1] : op).state;
      store.ops = store.ops.filter(function (o) { return o.question !== q; });
      store.versions[q] = body.current.version;
      saved[q] = body.current;
      call("onConflict", op, body.current);
      setNotice(q, { kind: "conflict", title: op.title, current: body.current,
                     text: sentence(body.message) + lostSentence(lost, body.current) });
    } else if (status === 409 && body.error === "submitted") {
      stopped = true;
      var left = {};
      store.ops.forEach(function (o) { left[o.question] = o; });
      store.ops = [];
      Object.keys(left).forEach(function (question) {
        setNotice(question, { kind: "submitted", title: left[question].title,
          text: sentence(body.message) + lostSentence(left[question].state, saved[question]) });
      });
      call("onSubmitted", body.message);
    } else {
      // 400, 403 (JSON), 404, 413, …: this change can never be saved as it is. Set it aside
      // with a notice saying why and what it held, and go on with the rest.
      removeOp(op.key);
      var reason = status === 413
        ? "this change is over " + MAX_BODY_KB + " KB, the most one save can carry (notes hold at most " +
          MAX_NOTES.toLocaleString("en") + " characters)"
        : (body.message || "the server refused it (error " + status + ")").replace(/^Not saved:\s*/, "");
      setNotice(q, { kind: "refused", title: op.title, text: "Not saved: " + sentence(reason) + lostSentence(op.state, saved[q]) });
    }
    trouble = null;
    retryDelay = 1000;
    persist();
    call("onChange");
    flush();
  }

  // Send the next operation with keepalive, so the request outlives the page; whatever does
  // not get through stays queued for the next page of this tab (or the tab that adopts it).
  function sendOnLeave() {
    if (!store.ops.length || sending || stopped) return;
    var op = store.ops[0];
    fixBase(op);
    try { post(op, true).catch(function () { /* the queue keeps it */ }); } catch (e) { /* the queue keeps it */ }
  }

  var adoptTimer = null;
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") sendOnLeave(); else flush();
  });
  window.addEventListener("pagehide", function () {
    sendOnLeave();
    // The tab is closing or leaving this scorecard: the next page opened on it adopts the
    // queue at once instead of waiting for the beat to stop. (This tab's next page, a reload or
    // the review page, reads its own queue back and clears the mark.)
    store.closed = true;
    persist();
  });
  window.addEventListener("pageshow", function (event) {
    // Restored from the back-forward cache: another page may have adopted this queue meanwhile.
    if (event.persisted) location.reload();
  });
  window.addEventListener("online", function () { retryDelay = 1000; flush(); });
  window.addEventListener("offline", function () { call("onChange"); });
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(prefix) !== 0 || event.key === storageKey) return;
    var other = null;
    try { other = JSON.parse(event.newValue); } catch (e) { /* removed or unreadable */ }
    if (other && other.closed) {
      // Another tab closed with its queue. Wait a moment, so that a tab that is only
      // reloading can take its own queue back first.
      clearTimeout(adoptTimer);
      adoptTimer = setTimeout(adoptLater, 1500);
    }
    call("onChange");  // another tab's waiting changes may have gone out
  });
  function adoptLater() {
    var adopted = adopt();
    if (adopted.length) { call("onAdopted", adopted); flush(); }
    call("onChange");
  }
  var ticks = 0;
  setInterval(function () {
    if (Date.now() - (store.beat || 0) > BEAT_MS) persist();  // heartbeat: this tab is alive
    if (++ticks % 5 === 0) adoptLater();  // a tab that stopped beating without closing
  }, 1000);

  adopt();
  persist();  // this tab's beat, and its queue no longer marked closed

  return {
    // The operations waiting to be sent, oldest first.
    ops: function () { return store.ops.slice(); },
    // Changes queued in other open tabs of this scorecard (not adoptable: they are alive).
    othersWaiting: function () {
      var ops = [];
      otherStores().forEach(function (o) { if (!orphaned(o.store)) ops = ops.concat(o.store.ops || []); });
      return ops;
    },
    notices: function () { return store.notices; },
    dismiss: function (question) { delete store.notices[question]; persist(); call("onChange"); },
    trouble: function () { return trouble; },
    stopped: function () { return stopped; },
    lastSaved: function () { return lastSaved; },
    // The server's version and saved state of a question as the page was rendered; the version
    // is kept only when no change to the question is queued (a queued change knows its base).
    seed: function (question, version, state) {
      var queued = store.ops.some(function (op) { return String(op.question) === String(question); });
      if (!queued || typeof store.versions[question] !== "number") store.versions[question] = version;
      saved[question] = state;
    },
    add: function (question, title, state) {
      store.ops.push({ key: newKey(), question: question, title: title, state: state });
      persist();
      call("onChange");
      flush();
    },
    flush: flush
  };
}
