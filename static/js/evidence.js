// Progressive enhancement for the evidence and CPD pages: each works without this file.
(function () {
  "use strict";

  function fill(element, n) {
    var template = n === 1 ? element.dataset.templateOne : element.dataset.templateMany;
    return (template || "%(n)s").replace("%(n)s", String(n));
  }

  // The de-identification confirmation concerns only clinical work and supervision,
  // so it is shown when one of those is chosen (or when it carries an error).
  function setUpKindChoice(form) {
    var block = form.querySelector("[data-deidentify]");
    var radios = form.querySelectorAll('input[type="radio"][name="kind"]');
    if (!block || !radios.length) return;
    function update() {
      var chosen = form.querySelector('input[type="radio"][name="kind"]:checked');
      var needed = chosen !== null && chosen.hasAttribute("data-sensitive");
      block.hidden = !needed && !block.querySelector(".is-invalid");
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  // The statement picker: filter as you type, without a reload that would lose ticks.
  function setUpPicker(form) {
    var search = document.querySelector("[data-picker-search]");
    var input = search && search.querySelector('input[name="q"]');
    var count = document.getElementById("picker-count");
    var none = form.querySelector("[data-picker-none]");
    var total = form.querySelector("[data-total-chosen]");
    var statements = Array.prototype.slice.call(form.querySelectorAll(".picker-statement"));
    var domains = form.querySelectorAll("[data-picker-domain]");

    function syncStatement(item) {
      var box = item.querySelector('input[type="checkbox"]');
      var note = item.querySelector("[data-justification]");
      item.classList.toggle("is-chosen", box.checked);
      // A note is only asked for once the statement is ticked; one already typed stays.
      if (note) note.hidden = !box.checked && !note.querySelector("input").value;
    }

    function updateCounts() {
      var all = 0;
      domains.forEach(function (domain) {
        var n = domain.querySelectorAll('input[name="statement"]:checked').length;
        var badge = domain.querySelector("[data-chosen-count]");
        if (badge) badge.textContent = fill(badge, n);
        all += n;
      });
      if (total) total.textContent = fill(total, all);
    }

    function filter() {
      var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var matches = 0;
      statements.forEach(function (item) {
        var text = item.dataset.search || "";
        var ok = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.hidden = !ok;
        if (ok) matches += 1;
      });
      form.querySelectorAll("[data-picker-competency]").forEach(function (group) {
        group.hidden = !group.querySelector(".picker-statement:not([hidden])");
      });
      domains.forEach(function (domain) {
        var any = domain.querySelector(".picker-statement:not([hidden])") !== null;
        domain.hidden = !any;
        if (words.length && any) domain.open = true;
      });
      if (none) none.hidden = !(words.length && matches === 0);
      if (count) count.textContent = words.length ? fill(count, matches) : "";
    }

    statements.forEach(syncStatement);
    form.addEventListener("change", function (event) {
      if (event.target.name !== "statement") return;
      syncStatement(event.target.closest(".picker-statement"));
      updateCounts();
    });
    if (input) {
      var timer = null;
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(filter, 120);
      });
      search.addEventListener("submit", function (event) {
        event.preventDefault();
        filter();
      });
    }
  }

  // The CPD period: the two dates matter only for "Dates I choose".
  function setUpCpdPeriod(form) {
    var dates = form.querySelector("[data-custom-dates]");
    var radios = form.querySelectorAll('input[name="period"]');
    var custom = form.querySelector('input[name="period"][value="custom"]');
    if (!dates || !custom) return;
    function update() {
      dates.hidden = !custom.checked && !dates.querySelector(".is-invalid");
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  function ready() {
    document.querySelectorAll(".evidence-form").forEach(setUpKindChoice);
    document.querySelectorAll("[data-picker]").forEach(setUpPicker);
    document.querySelectorAll("[data-cpd-period]").forEach(setUpCpdPeriod);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
