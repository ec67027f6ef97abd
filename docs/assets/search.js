/* The header's search box over the site's Pagefind index (site/pagefind/, written by briefing/searchindex.py).

   Nothing is fetched until the reader opens the search box; then Pagefind loads its entry file, its WebAssembly and,
   for each query, only the index chunks that hold the query's words and the fragments of the results shown (ten at
   a time, more as the list is scrolled). Everything comes from this site.

   Results look like Material's: each page with its excerpt, then its best-matching sections (a fact: its own
   #fact-<id> section), the rest folded under "N more on this page". A place whose name or alias is exactly the
   query comes first (see nameKey). Keys as in Material: "/", "s" or "f" open the search, Esc closes it, the arrow
   keys walk the results, Enter opens the first one.

   For tests and tools: while a query runs, .md-search-result has aria-busy="true"; once its results are in the
   list, data-query holds the query they answer. */
(function () {
  "use strict";

  // Pagefind's ranking (see its docs, "Customize ranking"): the title weighs as by default; a page's Chinese words
  // segmented by jieba (zh) and a place's name keys (names) are searchable metadata of ordinary weight.
  var RANKING = { metaWeights: { title: 5.0, zh: 1.0, names: 1.0 } };
  var NAME_MARK = "qzq";  // as in briefing/searchindex.py
  var BATCH = 10;         // results whose fragments are fetched at a time
  var SECTIONS = 3;       // sections shown under a page before "N more on this page"

  var dialog = document.querySelector(".md-search[data-search-bundle]");
  var toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  var input = dialog.querySelector(".md-search__input");
  var form = dialog.querySelector(".md-search__form");
  var output = dialog.querySelector(".md-search-result");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  var scroller = dialog.querySelector(".md-search__scrollwrap");
  var bundle = new URL(dialog.getAttribute("data-search-bundle"), location.href).href;
  var words = {};
  try { words = JSON.parse(document.getElementById("__config").textContent).translations || {}; } catch (e) { /* English below */ }
  function say(key, fallback, n) {
    return (words[key] || fallback).replace("#", n);
  }

  var pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({ ranking: RANKING }).then(function () { return pf.init(); }).then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  // A query as one word of the index, the way searchindex.name_key makes a name's: only a name typed in full
  // (any case, spacing or punctuation) finds it.
  function nameKey(query) {
    var letters = query.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
    return letters ? letters + NAME_MARK : "";
  }

  var current = 0;   // the latest query's number: an older query's answer is dropped
  var pending = [];  // results not shown yet, of the query on show
  var shownQuery = null;

  // One query at a time: keys typed while one runs ask for a run of the box's latest text once it is done (no search,
  // and no download, for every prefix of a fast-typed word).
  var running = false, again = false;
  function run() {
    if (running) {
      again = true;
      output.setAttribute("aria-busy", "true");
      return;
    }
    running = true;
    again = false;
    var seq = ++current;
    output.setAttribute("aria-busy", "true");
    (input.value.trim() ? load() : Promise.resolve(null)).then(search.bind(null, seq), function (error) {
      meta.textContent = "Search is unavailable here: " + error;
      done(seq, input.value.trim());
    }).then(function () {
      running = false;
      if (again && input.value.trim() !== searched) run();
      else if (again) done(current, searched, true);
    });
  }

  var searched = null;  // the text of the last query run
  function search(seq, pf) {
    var query = searched = input.value.trim();  // the box's text once Pagefind is ready, not the first key's
    if (!query || !pf) {
      pending = [];
      list.replaceChildren();
      meta.textContent = say("search.result.placeholder", "Type to start searching");
      done(seq, query);
      return Promise.resolve();
    }
    return Promise.resolve().then(function () {
      var key = nameKey(query);
      return Promise.all([pf.search(query), key ? pf.search(key) : null]).then(function (found) {
        if (seq !== current) return;
        // a name match is a match of the key in the names field (Pagefind falls back to a shorter word otherwise)
        var exact = (found[1] ? found[1].results : []).filter(function (r) {
          return (r.matchedMetaFields || []).indexOf("names") >= 0;
        });
        var seen = {};
        var results = exact.concat(found[0] ? found[0].results : []).filter(function (r) {
          return seen[r.id] ? false : (seen[r.id] = true);
        });
        pending = results;
        return next(seq, true).then(function () {
          if (seq !== current) return;
          meta.textContent = results.length === 0 ? say("search.result.none", "No matching documents")
            : results.length === 1 ? say("search.result.one", "1 matching document")
            : say("search.result.other", "# matching documents", results.length);
          done(seq, query);
        });
      });
    }).catch(function (error) {
      if (seq !== current) return;
      meta.textContent = "Search is unavailable here: " + error;
      done(seq, query);
    });
  }

  function done(seq, query, last) {
    if (seq !== current) return;
    if (!again || last) output.removeAttribute("aria-busy");  // else a newer text waits for its run
    output.setAttribute("data-query", query);
    shownQuery = query;
  }

  // Fetch the next batch's fragments and show them (first: replace what the list showed).
  var loading = null;
  function next(seq, first) {
    var batch = pending.slice(0, BATCH);
    pending = pending.slice(BATCH);
    loading = Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (seq !== current) return;
      var items = pages.map(item);
      if (first) list.replaceChildren.apply(list, items);
      else items.forEach(function (li) { list.appendChild(li); });
      loading = null;
    });
    return loading;
  }

  function el(tag, className, html) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (html !== undefined) node.innerHTML = html;
    return node;
  }

  function escape(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  function link(url, heading, title, excerpt, page) {
    var a = el("a", "md-search-result__link");
    a.href = url;
    a.tabIndex = -1;
    var article = el("article", "md-search-result__article md-typeset");
    if (page) article.appendChild(el("div", "md-search-result__icon md-icon"));
    article.appendChild(el(heading, null, escape(title)));
    if (excerpt) article.appendChild(el("p", null, excerpt));
    a.appendChild(article);
    return a;
  }

  function score(section) {
    return section.weighted_locations.reduce(function (sum, w) { return sum + w.balanced_score; }, 0);
  }

  // A page, then its sections by how well they match (ties: in page order); the page's own top is the page link,
  // with its excerpt when the match is there (a section's excerpt is not repeated under the page's title).
  function item(page) {
    var li = el("li", "md-search-result__item");
    var top = function (s) { return s.url === page.url || (s.anchor && /^h1$/i.test(s.anchor.element)); };
    var sections = page.sub_results.filter(function (s) { return !top(s); });
    var own = page.sub_results.filter(top)[0];  // the page's text above its first section, when it matches
    li.appendChild(link(page.url, "h1", page.meta.title || page.url,
                        own ? own.excerpt : sections.length ? "" : page.excerpt, true));
    sections = sections
      .map(function (s, i) { return { s: s, i: i, score: score(s) }; })
      .sort(function (a, b) { return b.score - a.score || a.i - b.i; })
      .map(function (x) { return x.s; });
    sections.slice(0, SECTIONS).forEach(function (s) { li.appendChild(link(s.url, "h2", s.title, s.excerpt)); });
    var rest = sections.slice(SECTIONS);
    if (rest.length) {
      var more = el("details", "md-search-result__more");
      var summary = el("summary");
      summary.tabIndex = -1;
      summary.appendChild(el("div", null, escape(rest.length === 1 ? say("search.result.more.one", "1 more on this page")
        : say("search.result.more.other", "# more on this page", rest.length))));
      more.appendChild(summary);
      // made when first opened: a page can match in thousands of sections (a region's page, a fact a section)
      more.addEventListener("toggle", function fill() {
        if (!more.open) return;
        more.removeEventListener("toggle", fill);
        rest.forEach(function (s) { more.appendChild(link(s.url, "h2", s.title, s.excerpt)); });
      });
      li.appendChild(more);
    }
    return li;
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    load();
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  function editable(node) {
    return !!node && (node.isContentEditable || /^(input|textarea|select)$/i.test(node.tagName));
  }

  input.addEventListener("focus", open);
  input.addEventListener("pointerdown", function () { load(); });
  input.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { run(); input.focus(); }); });
  toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  list.addEventListener("click", function (e) { if (e.target.closest("a")) close(); });
  scroller.addEventListener("scroll", function () {
    if (pending.length && !loading && scroller.scrollTop + scroller.clientHeight > scroller.scrollHeight - 200) {
      next(current, false);
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    if (!toggle.checked) {
      if ((e.key === "/" || e.key === "s" || e.key === "f") && !editable(document.activeElement)) {
        e.preventDefault();
        open();
        input.focus();
        input.select();
      }
      return;
    }
    var links = [input].concat(Array.prototype.slice.call(
      list.querySelectorAll(":not(details) > a[href], summary, details[open] a[href]")));
    var at = links.indexOf(document.activeElement);
    switch (e.key) {
      case "Escape":
      case "Tab":
        close();
        break;
      case "Enter":
        if (document.activeElement === input && links.length > 1 && shownQuery === input.value.trim()) {
          e.preventDefault();
          links[1].click();
        }
        break;
      case "ArrowUp":
      case "ArrowDown":
        e.preventDefault();
        links[(Math.max(0, at) + links.length + (e.key === "ArrowUp" ? -1 : 1)) % links.length].focus();
        break;
    }
  }, true);
})();
