// The review page, enhanced. Without this file every verdict still saves through
// its own form and a full page load; with it, a verdict saves as soon as it is
// chosen (htmx, hx-trigger="change"), and "not met" first asks for its comment.
(function () {
  "use strict";

  // The save buttons are for pages without JavaScript: here the choice saves itself.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.statement-review-form .js-hidden").forEach(function (el) {
      el.hidden = true;
    });
  });

  // Before htmx sends a verdict: nothing to send until met or not met is chosen,
  // and "not met" waits for its comment, which is asked for where the choice was made.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("statement-review-form")) return;
    var chosen = form.querySelector("input[type=radio]:checked");
    var comment = form.querySelector("textarea");
    if (!chosen) {
      event.preventDefault();
      return;
    }
    if (chosen.value === "not_met" && !comment.value.trim()) {
      event.preventDefault();
      var message = form.querySelector("p[id^='se-']");
      message.textContent = form.getAttribute("data-ask-comment");
      comment.focus();
    }
  });

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
