/* Briefing site behaviour: sortable/filterable tables and citation highlighting. No network access. */
(function () {
  "use strict";

  // Highlight the passage a citation link points at (#cite-<fact>-<n>), even where text fragments are unsupported.
  function highlightCitation() {
    var id = decodeURIComponent((location.hash || "").slice(1)).split(":~:")[0];
    document.querySelectorAll("mark.cited.active").forEach(function (m) { m.classList.remove("active"); });
    document.querySelectorAll(".para.target").forEach(function (p) { p.classList.remove("target"); });
    if (!id) return;
    var para = null;
    if (id.indexOf("cite-") === 0) {
      var marks = Array.prototype.filter.call(document.querySelectorAll("mark.cited"), function (m) {
        return (" " + m.getAttribute("data-cites") + " ").indexOf(" " + id + " ") >= 0;
      });
      marks.forEach(function (m) { m.classList.add("active"); });
      if (marks.length) {
        para = marks[0].closest(".para");
        marks[0].scrollIntoView({ block: "center" });
      }
    } else if (id.indexOf("p-") === 0) {
      para = document.getElementById(id);
    }
    if (para) para.classList.add("target");
  }

  // Material's tablesort recipe, plus a filter box for tables that ask for one.
  function enhanceTables() {
    document.querySelectorAll("article table.figures, article table:not([class])").forEach(function (table) {
      if (!table.dataset.sortable && window.Tablesort) {
        new window.Tablesort(table);
        table.dataset.sortable = "1";
      }
    });
    document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-filter-table"));
      var count = input.parentNode.querySelector(".filter-count");
      if (!table || input.dataset.bound) return;
      input.dataset.bound = "1";
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      function apply() {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (row) {
          var text = row.textContent.toLowerCase();
          var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
          row.hidden = !ok;
          if (ok) shown++;
        });
        if (count) count.textContent = shown + " of " + rows.length + " figures";
      }
      input.addEventListener("input", apply);
      apply();
    });
  }

  function ready() {
    // Material's search dialog has no accessible name
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    enhanceTables();
    highlightCitation();
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(ready);  // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", ready);
  }
  window.addEventListener("hashchange", highlightCitation);
})();
