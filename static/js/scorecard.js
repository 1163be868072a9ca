// The review-and-submit page: changes made on the live page that are still queued in this
// browser (offline, or a tab closed before they went out) are listed, sent through the same
// autosave queue, and the submit button waits for them; once they are saved the page reloads
// to show them. Without this script the page works as before. See docs/autosave.md.
import { openQueue } from "./autosave-queue.js";

(function () {
  "use strict";

  var script = document.querySelector("script[data-autosave-url]");
  var main = document.getElementById("main");
  if (!script || !main) return;

  // The submit form: it waits while changes are queued.
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-submit-form]"));
  var touched = false;  // something typed into the submit form: a reload would lose it
  forms.forEach(function (form) { form.addEventListener("input", function () { touched = true; }); });

  var box = document.createElement("div");
  box.className = "alert alert-warning d-none";
  box.setAttribute("role", "status");
  box.id = "waiting-changes";
  var h1 = main.querySelector("h1"), header = h1;
  while (header && header.parentElement !== main) header = header.parentElement;
  if (header) header.after(box); else main.prepend(box);

  var notes = forms.map(function (form) {
    var note = document.createElement("p");
    note.className = "small text-warning-emphasis mt-2 d-none";
    note.textContent = "Submitting waits until the changes listed above are saved.";
    form.appendChild(note);
    return note;
  });

  var seen = false, done = false;
  var queue = openQueue({
    interview: script.dataset.interview, user: script.dataset.user, url: script.dataset.autosaveUrl,
    onSaved: function () { render(); },
    onNotice: function () { render(); },
    onChange: render
  });

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function waiting() { return queue.stopped() ? [] : queue.ops().concat(queue.othersWaiting()); }
  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text) el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  function render() {
    var ops = waiting(), mine = queue.ops().length, notices = queue.notices(), trouble = queue.trouble();
    var noticed = Object.keys(notices);
    if (ops.length) seen = true;
    box.textContent = "";
    if (ops.length) {
      box.appendChild(element("p", plural(ops.length, "change") + " still waiting to be saved:", "mb-1 fw-semibold"));
      var counts = {}, order = [];
      ops.forEach(function (op) {
        var title = op.title || "question " + op.question;
        if (!(title in counts)) { counts[title] = 0; order.push(title); }
        counts[title] += 1;
      });
      var list = element("ul", "", "mb-1");
      order.forEach(function (title) { list.appendChild(element("li", title + (counts[title] > 1 ? " (" + counts[title] + " changes)" : ""))); });
      box.appendChild(list);
      var state;
      if (!mine) state = "They are queued in another open tab of the live page, which is sending them.";
      else if (trouble === "signed-out") state = "Signed out: sign in again in a new tab, and they will be sent.";
      else if (trouble === "offline" || !navigator.onLine) state = "Offline: they will be sent when the network is back.";
      else if (trouble === "server") state = "The server failed; retrying.";
      else state = "Saving them now…";
      box.appendChild(element("p", state + " The page reloads to show them once they are saved.", "mb-0"));
    }
    if (noticed.length) {
      box.appendChild(element("p", "Not saved:", "mb-1 mt-2 fw-semibold"));
      var refused = element("ul", "", "mb-0");
      noticed.forEach(function (q) {
        var item = element("li", (notices[q].title || "question " + q) + ": " + notices[q].text + " ", "text-break");
        var dismiss = element("button", "Dismiss", "btn btn-link btn-sm p-0 align-baseline");
        dismiss.type = "button";
        dismiss.addEventListener("click", function () { queue.dismiss(q); });
        item.appendChild(dismiss);
        refused.appendChild(item);
      });
      box.appendChild(refused);
    }
    box.classList.toggle("d-none", !ops.length && !noticed.length);
    box.classList.toggle("alert-danger", !ops.length && noticed.length > 0);
    box.classList.toggle("alert-warning", ops.length > 0 || !noticed.length);

    var blocked = ops.length > 0;
    forms.forEach(function (form, i) {
      Array.prototype.forEach.call(form.querySelectorAll("button:not([type=button]), input[type=submit]"), function (b) {
        b.disabled = blocked;
      });
      notes[i].classList.toggle("d-none", !blocked);
    });

    if (!ops.length && seen) {
      // Every waiting change went out (or was set aside, with a notice that a reload keeps).
      seen = false;
      if (!touched) { location.reload(); return; }
      done = true;  // something is typed into the form: say so instead of reloading over it
    }
    if (done) {
      box.classList.remove("d-none");
      box.appendChild(element("p", "The waiting changes have been sent. Reload the page to see them in the table " +
        "(copy what you typed first), or submit: the server has them.", "mb-0"));
    }
  }

  // A submit that slips through (Enter in a field) still waits.
  document.addEventListener("submit", function (event) {
    if (forms.indexOf(event.target) >= 0 && waiting().length) { event.preventDefault(); render(); }
  }, true);

  render();
  queue.flush();
})();
