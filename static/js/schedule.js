// Schedule / reschedule an interview: narrow the plans to the chosen candidate's position
// (plus templates), show the plan's slot length as the default length, warn when the start
// time is in the past, and show the start in each chosen interviewer's own time zone. The form
// works without this script; the server checks all of it (and lists the local times when it
// sends the form back).
(function () {
  "use strict";
  var form = document.getElementById("schedule-form");
  if (!form) return;

  var candidate = form.querySelector("select[name=candidate]");
  var plan = form.querySelector("select[name=plan]");
  var duration = form.querySelector("input[name=duration_minutes]");
  var startsAt = form.querySelector("input[name=starts_at]");
  var pastWarning = document.getElementById("past-warning");
  var filterNote = document.getElementById("plan-filter-note");

  function filterPlans() {
    if (!candidate || !plan) return;
    var chosen = candidate.options[candidate.selectedIndex];
    var position = chosen ? chosen.getAttribute("data-position") : null;
    Array.prototype.forEach.call(plan.options, function (option) {
      if (!option.value) return;
      var planPosition = option.getAttribute("data-position");
      var fits = !position || !planPosition || planPosition === position;
      option.hidden = !fits;
      option.disabled = !fits;
    });
    var selected = plan.options[plan.selectedIndex];
    if (selected && selected.disabled) plan.value = "";
    if (filterNote) filterNote.classList.toggle("d-none", !position);
    showSlot();
  }

  function showSlot() {
    if (!plan || !duration) return;
    var selected = plan.options[plan.selectedIndex];
    var slot = selected ? selected.getAttribute("data-slot") : null;
    duration.placeholder = slot ? slot + " (the plan’s slot)" : "";
  }

  function checkPast() {
    if (!startsAt || !pastWarning) return;
    // Both strings are "YYYY-MM-DDTHH:MM" in the site's time zone, so they compare as text.
    var value = startsAt.value.slice(0, 16);
    pastWarning.classList.toggle("d-none", !(value && value < form.getAttribute("data-now")));
  }

  // Minutes a zone is ahead of UTC at an instant (ms since the epoch).
  function offsetMinutes(zone, ms) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit",
    }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    var wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
    return (wall - Math.floor(ms / 60000) * 60000) / 60000;
  }

  // The instant of a "YYYY-MM-DDTHH:MM" wall time in a zone; null for a time the clocks skip
  // or repeat when they change (the server refuses those with a message).
  function instantOf(value, zone) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
    if (!m) return null;
    var wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    var day = 86400000;
    var fits = [offsetMinutes(zone, wall - day), offsetMinutes(zone, wall + day)].filter(function (offset) {
      return offsetMinutes(zone, wall - offset * 60000) === offset;
    });
    if (fits.length === 2 && fits[0] !== fits[1]) return null;  // happens twice
    return fits.length ? wall - fits[0] * 60000 : null;
  }

  // An instant's weekday, day, month, hour and minute in a zone.
  function partsIn(ms, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", weekday: "short", day: "numeric", month: "short",
      hour: "2-digit", minute: "2-digit",
    }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    parts.date = parts.weekday + " " + parts.day + " " + parts.month;
    return parts;
  }

  // "09:00 Europe/Lisbon", with " on Mon 7 Dec" when it is another day than the reader's:
  // the same words as the server's (interviews/selectors.py: local_times).
  function localTime(ms, zone, readerDate) {
    var parts = partsIn(ms, zone);
    return parts.hour + ":" + parts.minute + (parts.date !== readerDate ? " on " + parts.date : "") + " " + zone;
  }

  var panelTimes = document.getElementById("panel-times");
  var readerZone = form.getAttribute("data-zone");

  function showPanelTimes() {
    if (!panelTimes || !startsAt || !readerZone) return;
    var list = panelTimes.querySelector("ul");
    var chosen = form.querySelectorAll("input[name=interviewers]:checked");
    var at = null;
    try {
      at = instantOf(startsAt.value, readerZone);
    } catch (e) {  // a zone this browser does not know: the server's list stays
      return;
    }
    list.textContent = "";
    if (at === null || isNaN(at)) chosen = [];
    var readerDate = chosen.length ? partsIn(at, readerZone).date : "";
    Array.prototype.forEach.call(chosen, function (box) {
      var zone = box.getAttribute("data-zone") || readerZone;
      var item = document.createElement("li");
      try {
        item.textContent = box.getAttribute("data-name") + ": " + localTime(at, zone, readerDate);
      } catch (e) {
        item.textContent = box.getAttribute("data-name") + ": " + zone + " (not known to this browser)";
      }
      list.appendChild(item);
    });
    panelTimes.classList.toggle("d-none", chosen.length === 0);
  }

  if (candidate) candidate.addEventListener("change", filterPlans);
  if (plan) plan.addEventListener("change", showSlot);
  if (startsAt) {
    startsAt.addEventListener("change", checkPast);
    startsAt.addEventListener("input", checkPast);
    startsAt.addEventListener("change", showPanelTimes);
    startsAt.addEventListener("input", showPanelTimes);
  }
  Array.prototype.forEach.call(form.querySelectorAll("input[name=interviewers]"), function (box) {
    box.addEventListener("change", showPanelTimes);
  });
  filterPlans();
  showSlot();
  checkPast();
  showPanelTimes();
})();
