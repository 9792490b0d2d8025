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
})();
