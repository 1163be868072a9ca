// The import preview keeps everything typed on the server each time one of its buttons is
// pressed; only leaving the page some other way (a link, closing the tab) would lose what was
// typed since. Ask first then. The form works the same without this script.
const form = document.querySelector("form.import-preview-form");
if (form) {
  let typed = false;
  form.addEventListener("input", () => { typed = true; });
  form.addEventListener("submit", () => { typed = false; });
  window.addEventListener("beforeunload", (event) => {
    if (typed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}
