// The live interview page: question navigation, timers, keyboard shortcuts and autosave.
// The page works without this script (each question is a plain form); this script saves every
// change within about a second and never loses one. Protocol: docs/autosave.md; the queue of
// changes is in autosave-queue.js, shared with the review-and-submit page.
import { openQueue } from "./autosave-queue.js";

(function () {
  "use strict";

  const root = document.getElementById("live");
  if (!root) return;

  const sections = Array.from(root.querySelectorAll(".live-question"));
  const byQuestion = {};
  sections.forEach((s) => { byQuestion[s.dataset.question] = s; });
  let current = parseInt(root.dataset.current, 10) || 1;
  const saveState = document.getElementById("save-state");
  const banner = document.getElementById("conflict");
  const timers = {};
  const typingTimers = {};  // question -> the pending save after a pause in typing
  sections.forEach((s) => { timers[s.dataset.question] = parseInt(s.dataset.seconds, 10) || 0; });

  // --- reading and writing a question's state from its form
  function stateOf(section) {
    const form = section.querySelector("form");
    const score = form.querySelector("input[name=score]:checked");
    function ints(name) {
      return Array.from(form.querySelectorAll("input[name=" + name + "]:checked"), (i) => parseInt(i.value, 10));
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
    const form = section.querySelector("form");
    form.querySelectorAll("input[name=score]").forEach((i) => {
      i.checked = state.score !== null && parseInt(i.value, 10) === state.score;
    });
    form.querySelector("input[name=skipped]").checked = !!state.skipped;
    form.querySelector("input[name=skip_reason]").value = state.skip_reason || "";
    form.querySelectorAll("input[name=criteria]").forEach((i) => {
      i.checked = (state.criteria || []).includes(parseInt(i.value, 10));
    });
    form.querySelectorAll("input[name=key_points]").forEach((i) => {
      i.checked = (state.key_points || []).includes(parseInt(i.value, 10));
    });
    form.querySelector("textarea[name=notes]").value = state.notes || "";
    if (typeof state.seconds === "number") timers[section.dataset.question] = state.seconds;
    railState(section, state);
  }
  function railState(section, state) {
    const el = root.querySelector("[data-rail-state='" + section.dataset.question + "']");
    if (el) el.textContent = state.skipped ? "skipped" : (state.score ? String(state.score) : "");
  }
  function setVersion(section, version) {
    section.dataset.version = version;
    section.querySelector("input[name=version]").value = version;
  }
  function titleOf(section) {
    return section.querySelector("h2").textContent.trim();
  }

  // --- the queue of changes (autosave-queue.js)
  let scorecardMessage = "";
  const queue = openQueue({
    interview: root.dataset.interview, user: root.dataset.user, url: root.dataset.autosaveUrl,
    onSaved: (op, version) => {
      const section = byQuestion[op.question];
      if (section) setVersion(section, version);
      render();
    },
    onConflict: (op, current) => {
      const section = byQuestion[op.question];
      clearTimeout(typingTimers[op.question]);  // what was typed is quoted in the notice instead
      if (section) { showState(section, current); setVersion(section, current.version); }
    },
    formState: (question) => {
      const section = byQuestion[question];
      return section ? stateOf(section) : null;
    },
    onNotice: render,
    onSubmitted: (message) => { scorecardMessage = message; render(); },
    onAdopted: (ops) => { showQueued(ops); render(); },
    onChange: render
  });

  // The server's values as rendered are the saved state; queued (unsaved) changes, this tab's
  // or a closed tab's, are then shown over them, so the page displays what was typed.
  sections.forEach((s) => { queue.seed(s.dataset.question, parseInt(s.dataset.version, 10), stateOf(s)); });
  function showQueued(ops) {
    ops.forEach((op) => {
      const section = byQuestion[op.question];
      if (section) showState(section, op.state);
    });
  }
  showQueued(queue.ops());

  function enqueue(section) {
    const state = stateOf(section);
    railState(section, state);
    queue.add(parseInt(section.dataset.question, 10), titleOf(section), state);
  }

  // --- status pill, the notice beside each question, and their list at the top
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function clock(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function render() {
    const waiting = queue.ops().length, trouble = queue.trouble(), notices = queue.notices();
    const noticed = sections.filter((s) => notices[s.dataset.question]);
    const strays = Object.keys(notices).filter((q) => !byQuestion[q]);
    let label, tone = "text-bg-light";
    if (trouble === "signed-out" && waiting) {
      label = "Signed out: sign in again in a new tab; " + plural(waiting, "change") + " waiting"; tone = "text-bg-warning";
    } else if (trouble === "offline" || !navigator.onLine) {
      label = "Offline: " + plural(waiting, "change") + " waiting"; tone = "text-bg-warning";
    } else if (trouble === "server" && waiting) {
      label = "Server error: " + plural(waiting, "change") + " waiting, retrying"; tone = "text-bg-warning";
    } else if (noticed.length || strays.length) {
      // Never "Saved" while a change of a question was refused and not saved since.
      const first = noticed[0];
      const kind = first ? notices[first.dataset.question].kind : notices[strays[0]].kind;
      label = (kind === "conflict" ? "Conflict" : "Not saved") + (first ? ": question " + first.dataset.n : "");
      const more = noticed.length + strays.length - 1;
      if (more > 0) label += " and " + more + " more";
      tone = "text-bg-danger";
    } else if (waiting) {
      label = "Saving…";
    } else {
      label = queue.lastSaved() ? "Saved " + clock(queue.lastSaved()) : "Saved";
    }
    saveState.textContent = label;
    saveState.className = "save-state badge border " + tone;

    sections.forEach((s) => {
      const box = s.querySelector("[data-notice]"), notice = notices[s.dataset.question];
      if (!box) return;
      box.querySelector("[data-notice-text]").textContent = notice ? notice.text : "";
      box.classList.toggle("d-none", !notice);
    });

    // The list at the top, so a refusal that comes back after moving on is not missed.
    banner.textContent = "";
    if (scorecardMessage) {
      const p = document.createElement("p");
      p.className = "mb-1";
      p.textContent = scorecardMessage;
      banner.appendChild(p);
    }
    if (noticed.length || strays.length) {
      const intro = document.createElement("p");
      intro.className = "mb-1";
      intro.textContent = "Not saved: a change to " + plural(noticed.length + strays.length, "question") +
        ". The message beside each question says why and what it held.";
      banner.appendChild(intro);
      const list = document.createElement("ul");
      list.className = "mb-0";
      noticed.forEach((s) => {
        const item = document.createElement("li"), link = document.createElement("a");
        link.href = "?q=" + s.dataset.n;
        link.dataset.goto = s.dataset.n;
        link.textContent = "Question " + s.dataset.n + ": " + titleOf(s);
        item.appendChild(link);
        list.appendChild(item);
      });
      strays.forEach((q) => {
        const item = document.createElement("li");
        item.className = "text-break";
        item.textContent = (notices[q].title || "A question no longer on this page") + ": " + notices[q].text;
        list.appendChild(item);
      });
      banner.appendChild(list);
    }
    banner.classList.toggle("d-none", !banner.childNodes.length);
  }
  banner.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-goto]");
    if (link) { event.preventDefault(); show(parseInt(link.dataset.goto, 10)); }
  });
  sections.forEach((section) => {
    const dismiss = section.querySelector("[data-notice-dismiss]");
    if (dismiss) dismiss.addEventListener("click", () => { queue.dismiss(section.dataset.question); });
  });

  // Before the tab is hidden or left, the time spent on the current question goes into its form.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveTimerState(currentSection());
  });
  window.addEventListener("pagehide", () => { saveTimerState(currentSection()); });

  // --- changes: clicks save at once, typing after a short pause
  function clearScore(form) {
    form.querySelectorAll("input[name=score]").forEach((i) => { i.checked = false; });
  }
  sections.forEach((section) => {
    const form = section.querySelector("form");
    const skipped = form.querySelector("input[name=skipped]"), reason = form.querySelector("input[name=skip_reason]");
    form.addEventListener("change", (event) => {
      if (event.target === skipped) {
        if (skipped.checked) {
          // A skipped question has no score: ticking "Skipped" clears it (a radio button
          // cannot be un-chosen with the mouse).
          clearScore(form);
          if (!reason.value.trim()) { reason.focus(); return; }  // saved once a reason is typed
        } else {
          reason.value = "";  // un-skipping restores no score: the interviewer picks one again
        }
      }
      if (event.target.name === "score") {
        skipped.checked = false;
        reason.value = "";
      }
      if (event.target === reason && !skipped.checked) return;  // a reason alone is not saved
      // Leaving a text box saves at once what the pause after typing would have saved.
      if (event.target === reason || event.target.name === "notes") clearTimeout(typingTimers[section.dataset.question]);
      enqueue(section);
    });
    form.addEventListener("input", (event) => {
      if (event.target.name !== "notes" && event.target !== reason) return;
      if (event.target === reason && !skipped.checked) return;
      clearTimeout(typingTimers[section.dataset.question]);
      typingTimers[section.dataset.question] = setTimeout(() => { enqueue(section); }, 600);
    });
    // With the script, the buttons navigate; saving already happened.
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const go = event.submitter && event.submitter.dataset.nav;
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
    sections.forEach((s, i) => { s.hidden = i !== n - 1; });
    root.querySelectorAll(".rail-link").forEach((a) => {
      const on = parseInt(a.dataset.goto, 10) === n;
      a.classList.toggle("active", on);
      if (on) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current");
    });
    if (history.replaceState) history.replaceState(null, "", "?q=" + n);
    currentSection().querySelector("h2").focus({ preventScroll: true });
    currentSection().scrollIntoView({ block: "start", behavior: "smooth" });
    updatePacing();
  }
  root.querySelectorAll(".rail-link").forEach((a) => {
    a.addEventListener("click", (event) => { event.preventDefault(); show(parseInt(a.dataset.goto, 10)); });
  });
  sections.forEach((s) => { s.querySelector("h2").setAttribute("tabindex", "-1"); });

  // --- keyboard: 1-4 score, n/p next/previous, s skip, / notes
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text") ||
      target.tagName === "SELECT" || target.isContentEditable || target.type === "search");
    if (event.key === "Escape" && typing) { target.blur(); return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const section = currentSection();
    if (!section) return;
    const form = section.querySelector("form");
    if (/^[1-4]$/.test(event.key)) {
      const radio = form.querySelector("input[name=score][value='" + event.key + "']");
      if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
      event.preventDefault();
    } else if (event.key === "n") { show(current + 1); event.preventDefault(); }
    else if (event.key === "p") { show(current - 1); event.preventDefault(); }
    else if (event.key === "s") {
      const skip = form.querySelector("input[name=skipped]");
      skip.checked = true;
      skip.dispatchEvent(new Event("change", { bubbles: true }));  // clears the score, asks for a reason
      form.querySelector("input[name=skip_reason]").focus();
      event.preventDefault();
    } else if (event.key === "/") { form.querySelector("textarea[name=notes]").focus(); event.preventDefault(); }
  });

  // --- timers: per question while it is shown, and the whole interview's clock
  const started = root.dataset.started ? new Date(root.dataset.started) : new Date();
  function fmt(seconds) {
    const m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + pad(s);
  }
  function saveTimerState(section) {
    if (!section) return;
    const form = section.querySelector("form");
    form.querySelector("input[name=seconds]").value = timers[section.dataset.question];
  }
  function updatePacing() {
    const elapsed = Math.max(0, Math.floor((Date.now() - started.getTime()) / 1000));
    document.getElementById("clock-elapsed").textContent = fmt(elapsed);
    let before = 0, through = 0;
    sections.forEach((s, i) => {
      const m = (parseInt(s.dataset.minutes, 10) || 0) * 60;
      if (i < current - 1) before += m;
      if (i < current) through += m;
    });
    const pacing = document.getElementById("pacing");
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
  let lastTimerSave = Date.now();
  setInterval(() => {
    const section = currentSection();
    if (section && document.visibilityState === "visible") {
      const q = section.dataset.question;
      timers[q] = (timers[q] || 0) + 1;
      section.querySelector("[data-timer]").textContent = fmt(timers[q]);
      saveTimerState(section);
    }
    updatePacing();
    // The time spent travels with the next change; if nothing changes, save it every minute.
    if (Date.now() - lastTimerSave > 60000 && !queue.ops().length && section) {
      lastTimerSave = Date.now();
      enqueue(section);
    }
  }, 1000);
  sections.forEach((s) => { s.querySelector("[data-timer]").textContent = fmt(timers[s.dataset.question]); });

  // --- on load: send what is queued
  updatePacing();
  render();
  queue.flush();
})();
