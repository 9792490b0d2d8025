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

  // Arrow keys move between the three values without saving each one they pass:
  // going from Achieved to Not started must not store "Working towards" on the
  // way, least of all on a statement with evidence. The browser's own handling
  // (which also wraps round from the last value to the first) is replaced: the
  // choice moves, stops at either end, and is saved once it settles, when focus
  // leaves the group or after a short pause. The save is announced as any other.
  var SETTLE_MS = 1200;
  var STEP = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  function saveSettled(form) {
    window.clearTimeout(form.settleTimer);
    form.settleTimer = null;
    window.htmx.trigger(form, "change");
  }
  document.addEventListener("keydown", function (event) {
    var radio = event.target;
    var step = STEP[event.key];
    if (!step || !radio.matches || !radio.matches(".rating-form input[type=radio][name=value]")) {
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var form = radio.form;
    var radios = Array.prototype.slice.call(form.querySelectorAll("input[type=radio][name=value]"));
    var next = radios[radios.indexOf(radio) + step];
    if (!next) return;
    next.checked = true;
    next.focus();
    window.clearTimeout(form.settleTimer);
    form.settleTimer = window.setTimeout(function () {
      saveSettled(form);
    }, SETTLE_MS);
  });
  // A click on another value saves at once (htmx, "change"): no settled save after it.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.settleTimer) {
      window.clearTimeout(form.settleTimer);
      form.settleTimer = null;
    }
  });
  document.addEventListener("focusout", function (event) {
    var form = event.target.form;
    if (!form || !form.settleTimer) return;
    var to = event.relatedTarget;
    if (to && to.form === form && to.name === "value") return; // still in the group
    saveSettled(form);
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
