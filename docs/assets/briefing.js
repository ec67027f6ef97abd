/* Briefing site behaviour: sortable/filterable tables, the figures explorer and citation highlighting.
   No request leaves the site: the explorer reads data/figures.json from it. */
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

  // Material's tablesort recipe, plus a filter box for tables that ask for one (the explorer has its own of both).
  function enhanceTables() {
    document.querySelectorAll("article table.figures:not(.explorer), article table:not([class])").forEach(function (table) {
      if (!table.dataset.sortable && window.Tablesort) {
        new window.Tablesort(table);
        table.dataset.sortable = "1";
      }
    });
    document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-filter-table"));
      var count = input.parentNode.querySelector(".filter-count");
      if (!table || input.dataset.bound || table.classList.contains("explorer")) return;
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

  // The figures explorer: every figure, from data/figures.json, filtered and sorted here and shown a page at a time
  // (an HTML page of every figure would not scale: 30 MB at 100 times today's corpus).
  var PAGE = 250;

  // The columns of a row of the explorer, and the rows joined back from figures.json's tables (briefing/render.py,
  // explorer_data): each fact with its place, kind label and sources, once per figure.
  var col = {};
  ["label", "value", "value_text", "qualifier", "unit", "place", "place_url", "date", "date_text", "kind", "kind_label",
   "fact_url", "cites"].forEach(function (name, i) { col[name] = i; });

  function rows(data) {
    function columns(names) {
      var at = {};
      names.forEach(function (name, i) { at[name] = i; });
      return at;
    }
    var f = columns(data.columns), g = columns(data.figure_columns), c = columns(data.cite_columns), out = [];
    data.facts.forEach(function (fact) {
      var place = data.places[fact[f.place]];
      var cites = fact[f.cites].map(function (cite) {
        var source = data.sources[cite[c.source]];
        return [cite[c.number], source[1] + "#" + cite[c.anchor], source[0]];
      });
      fact[f.figures].forEach(function (fig) {
        out.push([fig[g.label], fig[g.value], fig[g.value_text], fig[g.qualifier], fig[g.unit], place[0], place[1],
                  fact[f.date], fact[f.date_text], fact[f.kind], data.kinds[fact[f.kind]], place[1] + "#" + fact[f.anchor],
                  cites]);
      });
    });
    return out;
  }

  function explorer(table) {
    if (table.dataset.bound) return;
    table.dataset.bound = "1";
    var input = document.querySelector('input[data-filter-table="' + table.id + '"]');
    var count = input && input.parentNode.querySelector(".filter-count");
    var more = document.querySelector(".explorer-more button");
    var status = table.querySelector("caption");
    var root = table.getAttribute("data-root");
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th[data-key]"));

    function cell(content, cls) {
      var td = document.createElement("td");
      if (cls) td.className = cls;
      if (typeof content === "string") td.textContent = content; else if (content) td.appendChild(content);
      return td;
    }
    function link(href, text) {
      var a = document.createElement("a");
      a.href = root + href;
      a.textContent = text;
      return a;
    }

    fetch(table.getAttribute("data-rows")).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.arrayBuffer();
    }).then(function (bytes) {
      // a big corpus publishes figures.json gzip-compressed only (briefing/gzipped.py); a server that sends it with
      // Content-Encoding: gzip has had the browser unpack it already, so the bytes say which it is
      var head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
      var body = head[0] === 0x1f && head[1] === 0x8b
        ? new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")) : bytes;
      return new Response(body).json();
    }).then(function (data) {
      var all = rows(data).map(function (r) {
        return { r: r, text: [r[col.label], r[col.qualifier], r[col.value_text], r[col.unit], r[col.place], r[col.date_text],
                              r[col.kind_label]].join(" ").toLowerCase() };
      });
      var shown = all, limit = PAGE, sortKey = null, sortDir = 1;

      // the same markup as the qualifier of templates/_macros.j2: the sign shown, the words read out
      var SIGNS = {"more than": ">", "about": "\u2248", "at least": "\u2265", "up to": "\u2264", "less than": "<"};
      function qualifier(words) {
        var q = document.createElement("span"), sign = document.createElement("span"), said = document.createElement("span");
        q.className = "qualifier";
        q.title = words;
        sign.setAttribute("aria-hidden", "true");
        sign.textContent = SIGNS[words] || words;
        said.className = "sr-only";
        said.textContent = words;
        q.appendChild(sign);
        q.appendChild(said);
        q.appendChild(document.createTextNode(" "));
        return q;
      }
      function row(r) {
        var tr = document.createElement("tr");
        tr.appendChild(cell(link(r[col.fact_url], r[col.label])));
        var num = cell(r[col.value_text], "num");
        if (r[col.qualifier]) num.insertBefore(qualifier(r[col.qualifier]), num.firstChild);
        num.setAttribute("data-sort", r[col.value]);
        tr.appendChild(num);
        tr.appendChild(cell(r[col.unit]));
        tr.appendChild(cell(link(r[col.place_url], r[col.place])));
        var asof = cell(r[col.date_text], "asof");
        asof.setAttribute("data-sort", r[col.date]);
        tr.appendChild(asof);
        var badge = document.createElement("span");
        badge.className = "kind kind-" + r[col.kind];
        badge.textContent = r[col.kind_label];
        tr.appendChild(cell(badge));
        var sources = cell(null);
        r[col.cites].forEach(function (c) {
          var a = link(c[1], "[" + c[0] + "]");
          a.title = c[2];
          sources.appendChild(a);
          sources.appendChild(document.createTextNode(" "));
        });
        tr.appendChild(sources);
        return tr;
      }
      function draw() {
        var body = document.createElement("tbody");
        shown.slice(0, limit).forEach(function (item) { body.appendChild(row(item.r)); });
        table.replaceChild(body, table.tBodies[0]);
        if (count) count.textContent = shown.length + " of " + all.length + " figures";
        if (more) {
          var left = shown.length - limit;
          more.hidden = left <= 0;
          more.textContent = "Show " + Math.min(PAGE, left) + " more (" + left + " not shown yet)";
        }
      }
      function sort() {
        if (sortKey === null) return;
        var i = col[sortKey], numeric = sortKey === "value";
        shown.sort(function (a, b) {
          var x = a.r[i], y = b.r[i];
          return sortDir * (numeric ? x - y : String(x).localeCompare(String(y)));
        });
      }
      function filter() {
        var words = input ? input.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
        shown = words.length ? all.filter(function (item) {
          return words.every(function (w) { return item.text.indexOf(w) >= 0; });
        }) : all.slice();
        sort();
        limit = PAGE;
        draw();
      }
      headers.forEach(function (th) {
        th.tabIndex = 0;
        function activate() {
          var key = th.getAttribute("data-key");
          sortDir = sortKey === key ? -sortDir : 1;
          sortKey = key;
          headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
          sort();
          draw();
        }
        th.addEventListener("click", activate);
        th.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(); }
        });
      });
      if (input) input.addEventListener("input", filter);
      if (more) more.addEventListener("click", function () { limit += PAGE; draw(); });
      status.textContent = all.length + " figures. Select a column heading to sort; type in the filter box to narrow.";
      filter();
    }).catch(function () {
      status.textContent = "The figures could not be loaded here: download them as CSV or JSON (links above).";
    });
  }

  function ready() {
    // Material's search dialog has no accessible name
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    enhanceTables();
    document.querySelectorAll("table.explorer[data-rows]").forEach(explorer);
    highlightCitation();
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(ready);  // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", ready);
  }
  window.addEventListener("hashchange", highlightCitation);
})();
