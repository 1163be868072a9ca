// Schedule / reschedule an interview: narrow the plans to the chosen candidate's position
// (plus templates), show the plan's slot length as the default length, and warn when the
// start time is in the past. The form works without this script; the server checks all of it.
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

  if (candidate) candidate.addEventListener("change", filterPlans);
  if (plan) plan.addEventListener("change", showSlot);
  if (startsAt) {
    startsAt.addEventListener("change", checkPast);
    startsAt.addEventListener("input", checkPast);
  }
  filterPlans();
  showSlot();
  checkPast();
})();
