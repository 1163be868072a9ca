// A chosen file over the form's limit is refused here, before anything is sent. The server
// refuses it too (the form's own check, and RequestBodyLimitMiddleware for a body over
// MAX_REQUEST_BYTES, which is never read), but then the browser leaves the page and everything
// typed on it. Inputs opt in with data-max-bytes and data-limit (the limit in words).
document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
  const note = document.createElement("div");
  note.className = "invalid-feedback";
  note.setAttribute("role", "alert");
  input.insertAdjacentElement("afterend", note);

  const tooBig = () => {
    const file = input.files[0];
    if (!file || file.size <= Number(input.dataset.maxBytes)) {
      input.classList.remove("is-invalid");
      note.textContent = "";
      return false;
    }
    const size = file.size >= 1024 * 1024
      ? `${(file.size / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(file.size / 1024)} KB`;
    note.textContent = `${file.name} is ${size}; the limit is ${input.dataset.limit}. ` +
      "Choose a smaller file: nothing has been sent, and what you typed is still here.";
    input.classList.add("is-invalid");
    return true;
  };

  input.addEventListener("change", tooBig);
  input.form.addEventListener("submit", (event) => {
    if (tooBig()) {
      event.preventDefault();
      input.focus();
    }
  });
});
