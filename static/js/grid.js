// The self-assessment grid, enhanced. Without this file, or without htmx, every
// cell still saves through its own Save button and a full page load.
(function () {
  "use strict";
  if (!window.htmx) return;

  // Ratings save as they change, so the per-cell Save buttons are hidden
  // (Confirm buttons for reworded statements stay: re-choosing the same
  // radio fires no change event, so confirming needs a button).
  document.documentElement.classList.add("autosave");

  // A save can replace the focused control (Confirm turns into the hidden
  // Save button). Without help focus would fall back to the page's top, so a
  // keyboard user would lose their place: keep it in the same cell.
  var lastForm = null;
  document.addEventListener("focusin", function (event) {
    var form = event.target.closest && event.target.closest(".rating-form");
    if (form) lastForm = form;
  });
  // A save the server never acknowledged (network down, server error) must not
  // look saved: say so where saves are announced, and mark the cell.
  function notSaved(event) {
    var form = event.target.closest && event.target.closest(".rating-form");
    if (!form) return;
    var status = document.getElementById("save-status");
    if (status) status.textContent = form.dataset.notSaved || status.dataset.notSaved || "";
    form.classList.add("rating-not-saved");
  }
  document.addEventListener("htmx:responseError", notSaved);
  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest(".rating-form");
    if (form) form.classList.remove("rating-not-saved");
  });

  document.addEventListener("htmx:afterRequest", function () {
    window.requestAnimationFrame(function () {
      var active = document.activeElement;
      if (!lastForm || (active && active !== document.body)) return;
      var radio =
        lastForm.querySelector("input[name=value]:checked") ||
        lastForm.querySelector("input[name=value]");
      if (radio) radio.focus();
    });
  });
})();
