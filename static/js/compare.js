// The comparison table: when it is wider than its box (a narrow screen, many competencies),
// show the "scroll sideways" hint and a shadow beside the sticky names column. Without this
// script the table still scrolls; only the cue is missing.
(function () {
  "use strict";
  var box = document.querySelector(".compare-scroll");
  var hint = document.getElementById("compare-scroll-hint");
  if (!box || !hint) return;

  function update() {
    var overflowing = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("is-overflowing", overflowing);
    box.classList.toggle("is-scrolled", box.scrollLeft > 0);
    hint.hidden = !overflowing;
  }

  update();
  window.addEventListener("resize", update);
  box.addEventListener("scroll", update, { passive: true });
})();
