// The plan builder: save item changes as they are made, move items with the buttons or
// Alt+ArrowUp/ArrowDown without a reload, drag to reorder (SortableJS), and search the bank
// inline. Every action also works without this file: the forms post to the server.
(function () {
  "use strict";

  const builder = document.getElementById("plan-builder");
  if (!builder || !builder.classList.contains("is-editable")) return;
  builder.classList.add("js-on");

  const summary = document.getElementById("plan-summary");
  const announcer = document.getElementById("plan-announcer");
  const tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  const csrf = tokenInput ? tokenInput.value : "";

  function announce(text) {
    if (announcer) announcer.textContent = text;
  }

  function flash(text, kind) {
    const alert = document.createElement("div");
    alert.className = "alert alert-" + (kind || "danger") + " plan-flash";
    alert.setAttribute("role", kind === "danger" || !kind ? "alert" : "status");
    alert.textContent = text;
    builder.querySelectorAll(".plan-flash").forEach((old) => old.remove());
    builder.prepend(alert);
  }

  async function post(url, body, contentType) {
    const headers = { Accept: "application/json", "X-CSRFToken": csrf };
    if (contentType) headers["Content-Type"] = contentType;
    const response = await fetch(url, { method: "POST", body, headers, credentials: "same-origin" });
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = { ok: false, error: "The server answered " + response.status + ". Reload the page and try again." };
    }
    if (!response.ok && data.ok !== false) data.ok = false;
    return data;
  }

  // Totals, section minutes, numbering and which move buttons apply.
  function applyState(data) {
    if (data.summary_html && summary) summary.innerHTML = data.summary_html;
    Object.entries(data.section_minutes || {}).forEach(([id, minutes]) => {
      const el = builder.querySelector('[data-section-minutes="' + id + '"]');
      if (el) el.textContent = minutes;
    });
    refreshRows();
  }

  function rows() {
    return Array.from(builder.querySelectorAll(".plan-item"));
  }

  function refreshRows() {
    const all = rows();
    all.forEach((row, i) => {
      const number = row.querySelector(".plan-item-number");
      if (number) number.textContent = i + 1 + ".";
      const up = row.querySelector('button[value="up"]');
      const down = row.querySelector('button[value="down"]');
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === all.length - 1;
    });
  }

  function sectionTitle(list) {
    return list ? list.dataset.sectionTitle : "";
  }

  // --- Editing minutes, competency, weight, required ---------------------------------------
  function showErrors(form, errors) {
    form.querySelectorAll("[data-error-for]").forEach((box) => {
      const field = box.dataset.errorFor;
      const input = form.querySelector('[name="' + field + '"]');
      const messages = (errors && errors[field]) || [];
      box.textContent = messages.join(" ");
      if (!input) return;
      input.classList.toggle("is-invalid", messages.length > 0);
      if (messages.length) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", box.id);
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
  }

  async function saveItem(form) {
    const status = form.querySelector(".plan-item-status");
    const row = form.closest(".plan-item");
    if (status) status.textContent = "Saving…";
    try {
      const data = await post(form.action, new FormData(form));
      if (data.ok) {
        showErrors(form, {});
        row.classList.remove("border-danger");
        if (status) status.textContent = "Saved";
        applyState(data);
      } else {
        showErrors(form, data.errors || {});
        row.classList.add("border-danger");
        if (status) status.textContent = data.error || "Not saved";
      }
    } catch (e) {
      if (status) status.textContent = "Not saved (offline?)";
    }
  }

  builder.addEventListener("change", (event) => {
    const form = event.target.closest(".plan-item-form");
    if (form) saveItem(form);
  });

  // --- Moving -------------------------------------------------------------------------------
  async function move(row, direction, focusAfter) {
    const form = row.querySelector(".plan-move-form");
    if (!form) return;
    const body = new FormData(form);
    body.set("direction", direction);
    const data = await post(form.action, body);
    if (!data.ok) {
      announce(data.error || "Could not move the question.");
      return;
    }
    const list = builder.querySelector('.plan-section-items[data-section-id="' + data.section + '"]');
    row.remove();
    const siblings = Array.from(list.querySelectorAll(".plan-item"));
    list.insertBefore(row, siblings[data.index] || null);
    applyState(data);
    const position = rows().indexOf(row) + 1;
    announce("Moved “" + row.dataset.title + "” to position " + position + ", in " + sectionTitle(list) + ".");
    row.scrollIntoView({ block: "nearest" });
    (focusAfter && !focusAfter.disabled ? focusAfter : row).focus();
  }

  builder.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.classList.contains("plan-move-form")) {
      event.preventDefault();
      const button = event.submitter;
      if (button) move(form.closest(".plan-item"), button.value, button);
    } else if (form.classList.contains("plan-item-form")) {
      event.preventDefault();
      saveItem(form);
    }
  });

  builder.addEventListener("keydown", (event) => {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    const row = event.target.closest(".plan-item");
    if (!row) return;
    event.preventDefault();
    move(row, event.key === "ArrowUp" ? "up" : "down", null);
  });

  // --- Dragging -----------------------------------------------------------------------------
  async function saveOrder() {
    const order = Array.from(builder.querySelectorAll(".plan-section-items")).map((list) => ({
      section: Number(list.dataset.sectionId),
      items: Array.from(list.querySelectorAll(".plan-item")).map((row) => Number(row.dataset.itemId)),
    }));
    const data = await post(builder.dataset.reorderUrl, JSON.stringify({ order }), "application/json");
    if (data.ok) {
      applyState(data);
      announce("Saved the new order.");
    } else {
      flash((data.error || "Could not save the new order.") + " The page will reload.");
      window.setTimeout(() => window.location.reload(), 2500);
    }
  }

  if (window.Sortable) {
    builder.querySelectorAll(".plan-section-items").forEach((list) => {
      window.Sortable.create(list, {
        group: "plan-items",
        handle: ".drag-handle",
        draggable: ".plan-item",
        animation: 150,
        ghostClass: "plan-item-ghost",
        onEnd: (event) => {
          if (event.from !== event.to || event.oldIndex !== event.newIndex) saveOrder();
        },
      });
    });
  } else {
    builder.querySelectorAll(".drag-handle").forEach((handle) => handle.classList.add("d-none"));
  }

  // --- Searching the bank -------------------------------------------------------------------
  const searchForm = document.getElementById("plan-search-form");
  const results = document.getElementById("plan-search-results");
  if (searchForm && results) {
    let timer = null;
    let latest = 0;
    async function runSearch() {
      const q = searchForm.querySelector("[name=q]").value.trim();
      const url = new URL(builder.dataset.searchUrl, window.location.href);
      const pageUrl = new URL(window.location.href);
      if (q) pageUrl.searchParams.set("q", q);
      else pageUrl.searchParams.delete("q");
      pageUrl.hash = "";
      window.history.replaceState(null, "", pageUrl);
      if (!q) {
        results.innerHTML = "";
        return;
      }
      url.searchParams.set("q", q);
      url.searchParams.set("partial", "1");
      const ticket = ++latest;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (ticket !== latest) return; // an older answer arriving after a newer one
        if (response.ok) results.innerHTML = await response.text();
      } catch (e) {
        searchForm.submit();
      }
    }
    searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      window.clearTimeout(timer);
      runSearch();
    });
    searchForm.querySelector("[name=q]").addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(runSearch, 300);
    });
  }
})();
