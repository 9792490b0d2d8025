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
      updateWide();
    }

    // The same rules as evidence.selectors.parse_search: L1 / "level 1", D3 /
    // "domain 3" and codes such as 3.04 or 3.04/L2 are exact; other words are
    // looked for in the title and wording only.
    function parse(query) {
      var tokens = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var q = { levels: [], domains: [], codes: [], words: [] };
      for (var i = 0; i < tokens.length; i += 1) {
        var t = tokens[i];
        var next = tokens[i + 1] || "";
        var m;
        if (t === "level" && /^[123]$/.test(next)) { q.levels.push(next); i += 1; }
        else if (t === "domain" && /^[1-7]$/.test(next)) { q.domains.push(next); i += 1; }
        else if ((m = /^l([123])$/.exec(t))) q.levels.push(m[1]);
        else if ((m = /^d([1-7])$/.exec(t))) q.domains.push(m[1]);
        else if ((m = /^([1-7]\.\d{2})(?:\/l([123]))?$/.exec(t))) {
          q.codes.push(m[1]);
          if (m[2]) q.levels.push(m[2]);
        } else q.words.push(t);
      }
      return q;
    }
    function statementMatches(searchText, q) {
      var bar = searchText.indexOf(" | ");
      var fields = {};
      searchText.slice(0, bar).split(" ").forEach(function (part) {
        var colon = part.indexOf(":");
        fields[part.slice(0, colon)] = part.slice(colon + 1);
      });
      var text = searchText.slice(bar + 3);
      return (!q.levels.length || q.levels.indexOf(fields.l) !== -1) &&
        (!q.domains.length || q.domains.indexOf(fields.d) !== -1) &&
        (!q.codes.length || q.codes.indexOf(fields.c) !== -1) &&
        q.words.every(function (word) { return text.indexOf(word) !== -1; });
    }

    function filter() {
      var q = parse(input.value);
      var words = input.value.split(/\s+/).filter(Boolean);
      var matches = 0;
      statements.forEach(function (item) {
        var ok = statementMatches(item.dataset.search || "", q);
        item.hidden = !ok;
        if (ok) matches += 1;
      });
      updateSelectAll();
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

    // "Tick all shown", asked to be confirmed in place: one item ticked for a
    // whole level at once is easy to do and worth a second look.
    var selectAll = form.querySelector("[data-select-all]");
    var confirmBox = form.querySelector("[data-select-all-confirm]");
    function shownUnticked() {
      return statements.filter(function (item) {
        return !item.hidden && !item.querySelector('input[type="checkbox"]').checked;
      });
    }
    function updateSelectAll() {
      if (!selectAll) return;
      var n = shownUnticked().length;
      selectAll.hidden = n === 0;
      selectAll.textContent = fill(selectAll, n);
      if (confirmBox) confirmBox.hidden = true;
    }
    if (selectAll && confirmBox) {
      selectAll.addEventListener("click", function () {
        var n = shownUnticked().length;
        var question = confirmBox.querySelector("[data-question]");
        question.textContent = fill(question, n);
        confirmBox.hidden = false;
        confirmBox.querySelector("[data-confirm-yes]").focus();
      });
      confirmBox.querySelector("[data-confirm-yes]").addEventListener("click", function () {
        shownUnticked().forEach(function (item) {
          item.querySelector('input[type="checkbox"]').checked = true;
          syncStatement(item);
        });
        updateCounts();
        updateSelectAll();
        selectAll.focus();
      });
      confirmBox.querySelector("[data-confirm-no]").addEventListener("click", function () {
        confirmBox.hidden = true;
        selectAll.focus();
      });
    }

    // One item for very many statements: a gentle word, not a refusal.
    var wide = form.querySelector("[data-wide]");
    function updateWide() {
      if (!wide) return;
      var n = form.querySelectorAll('input[name="statement"]:checked').length;
      wide.hidden = n <= Number(wide.getAttribute("data-wide"));
      var text = wide.querySelector("[data-wide-text]");
      if (text) text.textContent = fill(text, n);
    }

    statements.forEach(syncStatement);
    updateSelectAll();
    updateWide();
    form.addEventListener("change", function (event) {
      if (event.target.name !== "statement") return;
      syncStatement(event.target.closest(".picker-statement"));
      updateCounts();
      updateSelectAll();
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
