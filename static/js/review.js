// The review page, enhanced. Without this file every verdict still saves through
// its own form and a full page load; htmx does the in-place saving.
(function () {
  "use strict";

  // The live region announces each save as it happens. Once read it only
  // covers the page, so it empties itself after a while (an empty region is
  // hidden by the stylesheet and announces nothing).
  var timer = null;
  document.addEventListener("htmx:afterSettle", function () {
    var status = document.getElementById("save-status");
    if (!status || !status.textContent.trim()) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      status.textContent = "";
    }, 8000);
  });
})();
