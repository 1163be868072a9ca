// Colour mode: <html data-bs-theme> follows the system's light or dark setting
// (prefers-color-scheme), so Bootstrap's colour variables and ours switch with it. Loaded in
// <head> without defer so the right colours are there before the first paint, and kept in
// step when the setting changes while the page is open. Printing is always light.
(function () {
  "use strict";
  var root = document.documentElement;
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  var printing = false;

  function apply() {
    root.setAttribute("data-bs-theme", dark.matches && !printing ? "dark" : "light");
  }

  apply();
  if (dark.addEventListener) {
    dark.addEventListener("change", apply);
  } else if (dark.addListener) {
    dark.addListener(apply);
  }
  window.addEventListener("beforeprint", function () { printing = true; apply(); });
  window.addEventListener("afterprint", function () { printing = false; apply(); });
})();
