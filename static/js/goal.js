// The goal form, enhanced: a search over the statements folded under "Add more".
// Without this file the fold still opens and lists every statement.
(function () {
  "use strict";
  function ready() {
    var box = document.querySelector("[data-goal-search]");
    if (!box) return;
    box.hidden = false;
    var input = box.querySelector("input");
    var options = Array.prototype.slice.call(document.querySelectorAll("[data-goal-option]"));
    var groups = document.querySelectorAll("[data-goal-group]");
    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      options.forEach(function (item) {
        var text = item.getAttribute("data-search") || "";
        // "L2" means Level 2 exactly, as on the evidence picker.
        item.hidden = !words.every(function (word) {
          var level = /^l([123])$/.exec(word);
          if (level) return text.indexOf("level " + level[1] + ":") !== -1;
          return text.indexOf(word) !== -1;
        });
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("[data-goal-option]:not([hidden])");
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
