// The amendment form of a submitted scorecard: show only the new-value input that fits what
// is being changed (a score, the recommendation, or a text). Without this script every input
// shows, and the server reads only the one that fits.
(function () {
  "use strict";
  var form = document.querySelector("form[data-amend-form]");
  if (!form) return;
  var select = form.querySelector("select[name=field]");
  if (!select) return;
  var inputs = ["score", "recommendation", "text"];

  function fits(field) {
    if (field.indexOf("score:") === 0) return "score";
    if (field === "recommendation") return "recommendation";
    return "text"; // the summary, or a question's notes
  }

  function update() {
    var wanted = fits(select.value);
    inputs.forEach(function (name) {
      var wrapper = document.getElementById("div_id_" + name);
      if (wrapper) wrapper.hidden = name !== wanted;
    });
  }

  select.addEventListener("change", update);
  update();
})();
