// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Escape hides an open glossary tooltip without moving focus (WCAG 1.4.13).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".gloss:hover, .gloss:focus-within").forEach(function (el) {
      el.classList.add("gloss-dismissed");
    });
  });
  function reset(event) {
    var gloss = event.target.closest && event.target.closest(".gloss");
    if (gloss) gloss.classList.remove("gloss-dismissed");
  }
  document.addEventListener("focusin", reset);
  document.addEventListener("mouseover", reset);

  // A tap (or Enter) on a glossary term opens its definition beside it instead of
  // leaving for the glossary page, so a reader on a phone keeps their place; a
  // second tap or Escape closes it, and focus stays on the term. Without this
  // file the term is a plain link to the glossary.
  function setOpen(gloss, open) {
    gloss.classList.toggle("is-open", open);
    gloss.classList.toggle("gloss-dismissed", !open);
    var term = gloss.querySelector(".gloss-term");
    if (term) term.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    var term = event.target.closest && event.target.closest(".gloss-term");
    if (!term || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    var gloss = term.parentNode;
    var open = !gloss.classList.contains("is-open");
    document.querySelectorAll(".gloss.is-open").forEach(function (other) {
      if (other !== gloss) setOpen(other, false);
    });
    setOpen(gloss, open);
    term.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".gloss.is-open").forEach(function (gloss) {
      setOpen(gloss, false);
    });
  });
})();
