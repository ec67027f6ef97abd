"""Search: the Pagefind index (briefing/searchindex.py) and the header's search box (docs/assets/search.js) find the
right briefing, in English and Chinese, and download only what a query needs.

The browser test types each query of QUERIES into the search box of the built site with real key presses, the way a
reader types it, and reads the result list (.md-search-result__item) back. A query is a hit when its expected page or
fact is among the first 3 results; for a fact, the link to its own section (#fact-...) must be shown in the result,
not folded away under "N more on this page", so that the result leads straight to it.

Latency is the time from the last key press (its keydown) to the moment the first result item is in the DOM. To
measure only the final query, everything but the last key is typed first and its results are let arrive; then the
last key is pressed. The box says when a query's results are in: .md-search-result loses aria-busy and its
data-query holds the query they answer.

Han characters are not on a keyboard: like an input method, the test inserts them (what page.keyboard.type does for
them) and then releases a key.

The table (query, kind, expected, rank, ms) is printed: run with -s, or see the captured output of a failure.

More browser tests: every region's page is the first result for its English and its Chinese name (all regions of
facts/regions/, pasted into the box); Chinese recall (every page whose indexed text holds a Chinese word is found by
it); the keyboard (/ opens the box, arrows and Enter open a fact). Tests without a browser guard what the ranking
rests on: the lean pages Pagefind indexes (a section per fact, every name of a region as a key, no figure tables, the
Chinese segments) and the jieba user dictionary.
"""
from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Page

from briefing import excerpts, searchindex
from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
TOP = 3                 # a hit is a result among the first TOP
MIN_HIT_RATE = 0.98
MAX_MEDIAN_MS = 150
RESULT_TIMEOUT_MS = 5000

R = "regions/{}/"        # a region's briefing
T = "topics/{}/"         # a topic page
F = "regions/{}/#fact-{}"  # a fact: the region page that holds it and its anchor

# (query as a reader types it, what it tests, expected: a page or a fact; several when each is right)
QUERIES: list[tuple[str, str, tuple[str, ...]]] = [
    # English names. Hardest: "Beijing" - nearly every page says it, and fact headings (h4) of other pages weigh more
    # than body text; the exact-name lookup (search.js) puts the place first
    ("Beijing", "name", (R.format("beijing"),)),
    ("Tianjin", "name", (R.format("tianjin"),)),
    ("Chengde", "name", (R.format("chengde"),)),
    ("Cangzhou", "name", (R.format("cangzhou"),)),
    ("Zhangjiakou", "name", (R.format("zhangjiakou"),)),
    ("Huludao", "name", (R.format("huludao"),)),
    ("Binhai New Area", "name", (R.format("binhai"),)),
    ("Baiyangdian Lake", "name", (R.format("baiyangdian"),)),
    ("Daxing airport economic zone", "name (project)", (R.format("daxing-airport-economic-zone"),)),
    # Chinese names, with and without the administrative suffix (市, 新区)
    ("承德", "Chinese", (R.format("chengde"),)),
    ("承德市", "Chinese", (R.format("chengde"),)),
    ("沧州", "Chinese", (R.format("cangzhou"),)),
    ("雄安", "Chinese", (R.format("xiongan"),)),
    ("雄安新区", "Chinese", (R.format("xiongan"),)),
    ("京津冀", "Chinese", (R.format("jing-jin-ji"),)),
    ("天津", "Chinese", (R.format("tianjin"),)),
    ("张家口", "Chinese", (R.format("zhangjiakou"),)),
    ("通州", "Chinese", (R.format("tongzhou"),)),
    ("白洋淀", "Chinese", (R.format("baiyangdian"),)),
    ("辽西", "Chinese", (R.format("western-liaoning"),)),
    ("辽宁", "Chinese", (R.format("liaoning"),)),
    ("滨海新区", "Chinese", (R.format("binhai"),)),
    ("辽中南", "Chinese (jieba dictionary)", (R.format("liaozhongnan-urban-agglomeration"),)),
    ("副中心", "Chinese alias", (R.format("tongzhou"),)),
    ("喀左", "Chinese abbreviation", (R.format("kazuo"),)),
    # pinyin
    ("Jingjinji", "pinyin", (R.format("jing-jin-ji"),)),
    ("Xiongan", "pinyin", (R.format("xiongan"),)),
    ("Qibuqu", "pinyin", (R.format("xiongan-starting-area"),)),
    ("Liaoxi", "pinyin", (R.format("western-liaoning"),)),
    ("Dongbei", "pinyin", (R.format("northeast-china"),)),
    ("Kalaqin Zuoyi", "pinyin", (R.format("kazuo"),)),
    # aliases, machine-translation variants of the articles. Hardest: "Gyeonggi" - it is also in the title of an
    # article, and of that article's coverage heading on the data-quality page; Pagefind boosts titles fivefold
    ("Gyeonggi", "MT variant", (R.format("jing-jin-ji"),)),
    ("Xiong'an New District", "MT variant", (R.format("xiongan"),)),
    ("Xiong’an", "alias (curly apostrophe)", (R.format("xiongan"),)),
    ("Peking", "alias", (R.format("beijing"),)),
    ("Linkong Economic Zone", "MT variant", (R.format("daxing-airport-economic-zone"),)),
    ("comprehensive protection zone", "MT variant", (R.format("daxing-airport-comprehensive-bonded-zone"),)),
    ("Bohai New District", "MT variant", (R.format("cangzhou-bohai-new-area"),)),
    ("Beijing sub-center", "alias", (R.format("tongzhou"),)),
    ("Beijing-Tianjin-Hebei forerunner area", "MT variant", (R.format("western-liaoning"),)),
    # a misspelling (no typo tolerance: the region lists it as an alias)
    ("Tianjing", "misspelling", (R.format("tianjin"),)),
    # figures as written
    ("731.9 billion", "figure", (F.format("tianjin", "tianjin-beijing-enterprise-projects-since-2017"),)),
    ("1,406", "figure", (F.format("tianjin", "tianjin-beijing-companies-2022"),
                         F.format("tianjin", "tianjin-investment-institutions-from-beijing-2022"))),
    ("9.51 million kilowatts", "figure", (F.format("chengde", "chengde-clean-energy-installed-capacity-2022"),)),
    ("216,000 square kilometres", "figure", (F.format("jing-jin-ji", "jing-jin-ji-area-population"),)),
    ("3,384 enterprises", "figure", (F.format("daxing-airport-economic-zone",
                                              "daxing-airport-zone-registered-enterprises-2022-09"),)),
    ("278.7 billion", "figure", (F.format("cangzhou", "cangzhou-beijing-tianjin-projects-2022"),)),
    # topics
    ("Public services", "topic", (T.format("public-services"),)),
    ("生态环境", "topic (Chinese)", (T.format("ecology"),)),
    ("carbon sink", "topic (fact)", (F.format("chengde", "chengde-carbon-sink-trading-2022"),)),
    ("hydrogen refuelling station", "topic (fact)",
     (F.format("daxing-hydrogen-demonstration-zone", "daxing-hydrogen-demonstration-zone"),)),
    # projects
    ("China Railway Industry Cluster", "project",
     (F.format("xiongan", "xiongan-china-railway-industry-cluster-2022-11-23"),)),
    ("Beijing-Harbin high-speed railway", "project",
     (F.format("jing-jin-ji", "beijing-harbin-high-speed-railway-connected"),)),
    ("Cretaceous Theme Park", "project", (F.format("chaoyang-liaoning", "chaoyang-cretaceous-theme-park"),)),
    ("Beijing Hyundai", "project", (F.format("cangzhou", "cangzhou-beijing-hyundai-plant-output"),)),
]


# Arms the clock for the last key: its keydown, then the first result item put into the list.
_ARM_JS = """() => {
  const probe = window.__searchProbe = {keydown: null, firstResult: null};
  const list = document.querySelector('.md-search-result__list');
  window.addEventListener('keydown', e => { probe.keydown = performance.now(); }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (probe.keydown !== null && list.querySelector('.md-search-result__item')) {
      probe.firstResult = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(list, {childList: true, subtree: true});
  probe.disconnect = () => observer.disconnect();
}"""

# The box shows the answer to `query` (and no newer query runs).
_SHOWN_JS = """query => {
  const out = document.querySelector('.md-search-result');
  return !out.hasAttribute('aria-busy') && out.getAttribute('data-query') === query;
}"""

# Every result item: its links in order, each with path, fragment and whether it is folded under "N more".
_RESULTS_JS = """() => Array.from(document.querySelectorAll('.md-search-result__item')).map(li =>
  Array.from(li.querySelectorAll('a')).map(a => {
    const u = new URL(a.href);
    return {path: u.pathname, hash: u.hash, folded: !!a.closest('details.md-search-result__more')};
  }))"""

_HAN = re.compile(r"([\u3400-\u9fff\uf900-\uff60]+)")  # CJK ideographs and full-width forms (the split keeps them)


def _type(page: Page, text: str) -> None:
    """Type text with key presses; Han characters the way an input method commits them (insert, then a key up)."""
    for i, part in enumerate(_HAN.split(text)):
        if not part:
            continue
        if i % 2:  # a run of Han characters
            page.keyboard.insert_text(part)
            page.keyboard.press("Shift")
        else:
            page.keyboard.type(part)


def _wait_shown(page: Page, query: str) -> None:
    page.wait_for_function(_SHOWN_JS, arg=query.strip(), timeout=RESULT_TIMEOUT_MS)


def _clear(page: Page) -> None:
    box = page.locator(".md-search__input")
    box.focus()
    if box.input_value():
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        _wait_shown(page, "")
    assert box.input_value() == ""


def _search(page: Page, query: str) -> tuple[list[list[dict]], float | None]:
    """Type query into the search box; return the result items and the ms from the last keydown to a result."""
    box = page.locator(".md-search__input")
    _clear(page)
    head, last = query[:-1], query[-1]
    if head.strip():
        _type(page, head)
        _wait_shown(page, head)
    elif head:
        _type(page, head)
    page.evaluate(_ARM_JS)
    _type(page, last)
    _wait_shown(page, query)
    probe = page.evaluate("() => window.__searchProbe")
    page.evaluate("() => window.__searchProbe.disconnect()")
    assert box.input_value() == query, f"typed {query!r}, the search box holds {box.input_value()!r}"
    ms = probe["firstResult"] - probe["keydown"] if probe["firstResult"] is not None else None
    return page.evaluate(_RESULTS_JS), ms


def _paste(page: Page, query: str) -> list[list[dict]]:
    """Put query into the search box at once (as pasted) and return the result items."""
    _clear(page)
    page.keyboard.insert_text(query)
    _wait_shown(page, query)
    return page.evaluate(_RESULTS_JS)


def _rank(items: list[list[dict]], expected: tuple[str, ...], base_path: str) -> tuple[int | None, str]:
    """1-based rank of the first result item that shows an expected page or fact; a note when it is folded."""
    note = ""
    for rank, links in enumerate(items, 1):
        for want in expected:
            path, _, frag = want.partition("#")
            path = base_path + path
            if not frag:
                if links and links[0]["path"] == path:  # the item's page link (the page comes first)
                    return rank, note
                continue
            for link in links:
                if link["path"] == path and link["hash"] == "#" + frag:
                    if not link["folded"]:
                        return rank, note
                    note = note or f"folded in item {rank}"
    return None, note


def _short(expected: tuple[str, ...]) -> str:
    first = expected[0].replace("regions/", "").replace("#fact-", " #")
    return first + (f" (+{len(expected) - 1})" if len(expected) > 1 else "")


def _pad(text: str, width: int) -> str:
    """Left-align text in a column of terminal cells (a Han character takes two)."""
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cells)


def _open(browser, site_url: str, path: str = "about/"):
    """A page of the built site with its console watched; the search box focused by its shortcut."""
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("console", lambda m: m.type in ("error", "warning") and errors.append(f"console.{m.type}: {m.text}"))
    page.goto(path, wait_until="networkidle")
    page.keyboard.press("/")
    return context, page, errors


@pytest.mark.browser
def test_search_finds_the_right_briefing(browser, site_url, built_site: Path):
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    print(f"\npagefind index: {sum(f.stat().st_size for f in (built_site / 'pagefind').rglob('*') if f.is_file()) / 1024:.0f} KiB, "
          f"{entry['languages']['en']['page_count']} pages")

    context, page, errors = _open(browser, site_url)
    try:
        base_path = urlsplit(site_url).path
        _search(page, "Beijing")  # warm-up: Pagefind loads its WebAssembly, and the JIT warms up

        rows = []
        started = time.perf_counter()
        for query, what, expected in QUERIES:
            items, ms = _search(page, query)
            rank, note = _rank(items, expected, base_path)
            top = " ".join((i[0]["path"][len(base_path):] or "/") for i in items[:TOP])
            rows.append((query, what, expected, rank, ms, note, top))
        elapsed = time.perf_counter() - started
    finally:
        context.close()

    hits = [r for r in rows if r[3] is not None and r[3] <= TOP]
    times = [r[4] for r in rows if r[4] is not None]
    median = statistics.median(times) if times else float("inf")
    width = max(len(_pad(r[0], 0)) for r in rows)
    lines = [f"{_pad('query', width)}  {'kind':<26} {'expected':<58} {'rank':>4} {'ms':>6}"]
    for query, what, expected, rank, ms, note, top in rows:
        mark = "" if rank is not None and rank <= TOP else f"  MISS{' ' + note if note else ''}; top {TOP}: {top}"
        lines.append(f"{_pad(query, width)}  {what:<26} {_short(expected):<58} {rank or '-':>4} "
                     f"{'-' if ms is None else f'{ms:.0f}':>6}{mark}")
    slowest = max(times, default=float("nan"))
    lines.append(f"{len(hits)}/{len(rows)} in the top {TOP} ({len(hits) / len(rows):.0%}), "
                 f"{sum(1 for r in rows if r[3] == 1)} first; median {median:.0f} ms, max {slowest:.0f} ms "
                 f"from the last key to the first result; {elapsed:.1f} s for {len(rows)} queries")
    report = "\n".join(lines)
    print(report)

    assert len(QUERIES) >= 30
    assert not errors, "console errors while searching:\n  " + "\n  ".join(errors)
    assert len(hits) / len(rows) >= MIN_HIT_RATE, f"too few queries find their page in the top {TOP}:\n{report}"
    assert median < MAX_MEDIAN_MS, f"median {median:.0f} ms from the last key to the first result:\n{report}"


def _regions() -> list[dict]:
    """Every published region of the repository's facts/regions/ (drafts are not built)."""
    out = []
    for path in sorted((ROOT / "facts" / "regions").glob("*.yml")):
        out += [r for r in yaml.safe_load(path.read_text(encoding="utf-8")) or [] if r.get("status") != "draft"]
    return out


@pytest.mark.browser
def test_every_region_page_is_the_first_result_for_its_names(browser, site_url):
    regions = _regions()
    assert len(regions) >= 50, len(regions)
    context, page, errors = _open(browser, site_url)
    base_path = urlsplit(site_url).path
    misses = []
    try:
        for region in regions:
            want = f"{base_path}regions/{region['id']}/"
            for name in (region["name"], region["name_zh"]):
                items = _paste(page, name)
                first = items[0][0]["path"] if items else None
                if first != want:
                    top = [i[0]["path"][len(base_path):] for i in items[:3]]
                    misses.append(f"{name!r}: {first and first[len(base_path):]} first, not regions/{region['id']}/; top 3: {top}")
    finally:
        context.close()
    assert not errors, "console errors while searching:\n  " + "\n  ".join(errors)
    assert not misses, f"{len(misses)} of {2 * len(regions)} names do not put their region first:\n  " + "\n  ".join(misses)


# Every result's URL for a query, straight from Pagefind's API (no UI, no name lookup): what the index itself finds.
_PAGEFIND_URLS_JS = """async query => {
  const pf = window.__pagefind || (window.__pagefind = await import('/pagefind/pagefind.js'));
  const found = await pf.search(query);
  return Promise.all(found.results.map(r => r.data().then(d => d.url)));
}"""


@pytest.mark.browser
def test_chinese_words_find_every_page_that_holds_them(browser, site_url, built_site: Path):
    """Recall of Chinese queries (what Pagefind#1237 broke for segmented indexes): for every Chinese word of the
    regions' and topics' names (each name and jieba's words of it), every page whose indexed text holds the word is
    among Pagefind's results for it."""
    lean, segmenter = {}, searchindex.Segmenter()
    for path in searchindex.pages(built_site):
        doc = searchindex.lean_page(path.read_text(encoding="utf-8"), segmenter=segmenter)
        if doc is not None:
            url = "/" + path.relative_to(built_site).as_posix().removesuffix("index.html")
            lean[url] = _indexed_text(doc)
    words = _chinese_words()
    assert len(words) >= 80, len(words)
    context, page, errors = _open(browser, site_url)
    lost, total, missed = [], 0, 0
    try:
        for word in words:
            holding = {url for url, text in lean.items() if word in text}
            gone = holding - set(page.evaluate(_PAGEFIND_URLS_JS, word))
            total += len(holding)
            missed += len(gone)
            if gone:
                lost.append(f"{word}: {sorted(gone)}")
    finally:
        context.close()
    print(f"\n{len(words)} Chinese words, held by {total} pages (word, page); {missed} of them not found")
    assert not errors, "console errors while searching:\n  " + "\n  ".join(errors)
    assert not lost, "pages not found by a Chinese word they hold:\n  " + "\n  ".join(lost)


def _indexed_text(lean_doc: str) -> str:
    """The text Pagefind reads of a lean page: its body outside what is excluded (roughly: tags dropped)."""
    body = lean_doc.split("<main data-pagefind-body>", 1)[1]
    body = re.sub(r"<(\w+)[^>]*data-search-exclude[^>]*>.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _chinese_words() -> list[str]:
    import jieba
    jieba.setLogLevel(30)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(searchindex.USER_DICT))
    names = [n for r in _regions() for n in [r["name_zh"], *r.get("aliases", [])]]
    for path in sorted((ROOT / "facts" / "topics").glob("*.yml")):
        names += [t.get("name_zh", "") for t in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    words: dict[str, None] = {}
    for name in names:
        for run in _HAN_RUN.findall(name):
            words.setdefault(run)
            for word in tokenizer.cut(run):
                if len(word) > 1:
                    words.setdefault(word)
    return list(words)


@pytest.mark.browser
def test_keyboard_opens_search_and_leads_to_a_fact(browser, site_url):
    """/ opens the box from anywhere on a page, the arrow keys walk the results, Enter opens one: a fact's anchor."""
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    try:
        page.goto("regions/chengde/", wait_until="networkidle")
        box = page.locator(".md-search__input")
        assert not box.evaluate("el => el === document.activeElement")
        for key in ("/", "s", "f"):
            page.locator("body").click(position={"x": 5, "y": 300})
            page.keyboard.press("Escape")
            page.keyboard.press(key)
            assert box.evaluate("el => el === document.activeElement"), f"{key!r} did not focus the search box"
            assert box.input_value() == "", f"{key!r} was typed into the box"
            assert page.locator("#__search").is_checked(), f"{key!r} did not open the search"
        _type(page, "carbon sink")
        _wait_shown(page, "carbon sink")
        page.keyboard.press("ArrowDown")  # the first result's page link
        page.keyboard.press("ArrowDown")  # its best section: the fact
        focused = page.evaluate("() => document.activeElement.getAttribute('href')")
        assert focused and "#fact-chengde-carbon-sink-trading-2022" in focused, focused
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.hash === '#fact-chengde-carbon-sink-trading-2022'")
        assert not page.locator("#__search").is_checked(), "the search stayed open over the fact"
        page.keyboard.press("/")
        page.keyboard.press("Escape")
        assert not page.locator("#__search").is_checked(), "Esc did not close the search"
    finally:
        context.close()


@pytest.mark.browser
def test_more_sections_of_a_page_show_when_opened(browser, site_url):
    """A page's sections beyond the first few are folded under "N more on this page", and made when it is opened
    (a region's page can match in thousands of its facts): then there are N of them, each a link to its section,
    and the arrow keys reach them."""
    context, page, errors = _open(browser, site_url)
    try:
        _type(page, "Tianjin")
        _wait_shown(page, "Tianjin")
        more = page.locator("details.md-search-result__more").first
        said = int(re.match(r"(\d+) more on this page", more.locator("summary").inner_text()).group(1))
        assert said >= 2 and more.locator("a").count() == 0  # folded and not made yet
        more.locator("summary").click()
        links = more.locator("a.md-search-result__link")
        # made by the details' toggle event, which the browser dispatches after the click, not during it: waited for
        page.wait_for_function("([box, n]) => box.querySelectorAll('a.md-search-result__link').length === n",
                               arg=[more.element_handle(), said], timeout=10000)
        assert links.count() == said
        hrefs = links.evaluate_all("links => links.map(a => new URL(a.href).hash)")
        assert all(h.startswith("#") for h in hrefs) and len(set(hrefs)) == said, hrefs
        more.locator("summary").focus()
        page.keyboard.press("ArrowDown")
        assert page.evaluate("() => new URL(document.activeElement.href).hash") == hrefs[0]
        assert not errors, errors
    finally:
        context.close()


# Both functions run on the same inputs, in one page: texts of words (some delimited by zero-width spaces, as
# Pagefind's segmented pages are), a page's sections one after the other (what the fast one keeps between calls),
# then texts that alternate; locations inside, before, after and past the end of the text, repeated.
_EXCERPTS_JS = r"""([original, fast]) => {
  const make = (code) => new Function(code + "; return build_excerpt;")();
  const slow = make(original), quick = make(fast);
  let seed = 7;
  const rand = (n) => {  // mulberry32: the same inputs on every run
    seed = (seed + 0x6D2B79F5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
  const texts = [];
  for (let t = 0; t < 40; t++) {
    const words = [];
    for (let i = 0, n = rand(60); i < n; i++) words.push(["Hebei", "河北", "1,406", "&lt;b&gt;", "x" + rand(9), ""][rand(6)]);
    const zws = rand(4) === 0;
    texts.push(zws ? words.join("\u200B") : words.join([" ", "  ", "\n", " \t"][rand(4)]));
  }
  const inputs = [];
  for (const content of texts) for (let k = 0; k < 25; k++) inputs.push(content);
  for (let k = 0; k < 2000; k++) inputs.push(texts[rand(texts.length)]);
  const differ = [];
  let marked = 0;  // calls whose excerpt marks a word
  for (const content of inputs) {
    const n = content.split(/[\r\n\s]+/g).length + 3;
    const locations = [];
    for (let i = 0, m = rand(8); i < m; i++) locations.push(rand(n + 4) - 2);
    const args = [content, rand(n + 2) - 1, rand(14), locations,
                  rand(3) ? rand(n) : undefined, rand(3) ? rand(n + 6) : undefined];
    const a = JSON.stringify(slow(...args)), b = JSON.stringify(quick(...args));
    if (a !== b) differ.push({args, pagefind: a, fast: b});
    if (a.includes("<mark>")) marked++;
  }
  return {calls: inputs.length, marked, differ: differ.slice(0, 3)};
}"""


@pytest.mark.browser
def test_fast_excerpts_are_pagefinds(browser):
    """excerpts.FAST returns what Pagefind's own build_excerpt returns, call for call (in Chromium's JavaScript)."""
    page = browser.new_page()
    try:
        outcome = page.evaluate(_EXCERPTS_JS, [excerpts.ORIGINAL, excerpts.FAST])
    finally:
        page.close()
    assert outcome["calls"] == 3000 and outcome["marked"] > 500 and not outcome["differ"], outcome


# --------------------------------------------------------------------------------------------------------------
# without a browser: what the ranking rests on
# --------------------------------------------------------------------------------------------------------------

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def test_bundle_is_pagefind_and_lean(built_site: Path):
    bundle = built_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(1 for p in searchindex.pages(built_site))
    assert entry["version"] == "1.5.2", entry  # the pinned version: Chinese recall was tested with it
    assert list(entry["languages"]) == ["en"] and entry["languages"]["en"]["page_count"] == pages, (entry, pages)
    for needed in ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"):
        assert (bundle / needed).is_file(), needed
    for script in excerpts.SCRIPTS:  # the excerpts are made in linear time, by the worker and without one
        text = (bundle / script).read_text(encoding="utf-8")
        assert excerpts.FAST in text and excerpts.ORIGINAL not in text, f"{script}: Pagefind's build_excerpt as it was"
    assert not list(bundle.glob("*ui*")) and not (bundle / "wasm.unknown.pagefind").exists(), sorted(bundle.iterdir())
    assert not (built_site / "search").exists(), "Material's lunr index is still built"
    # nor its search's scripts and the theme's source maps (the browser tests fail on a request the site cannot answer)
    assets = built_site / "assets" / "javascripts"
    unused = [p for p in assets.rglob("*") if p.is_file() and (p.suffix == ".map" or p.parent.name != "javascripts")]
    assert not unused and list(assets.glob("bundle.*.min.js")), sorted(assets.rglob("*"))


def index_while_building(repo: Path, on: bool = True) -> None:
    yml = repo / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("coverage_target: 95", "coverage_target: 95\n      "
                                                            f"index_while_building: {str(on).lower()}"), encoding="utf-8")


def test_build_indexes_the_pages_as_written(repo: Path, tmp_path: Path):
    """With index_while_building, a build indexes the pages while MkDocs writes them (searchindex.Stream): its index
    holds, page for page, what indexing the written site afterwards holds (`python -m briefing.searchindex
    SITE_DIR`). A fragment's file name is a hash of the page's indexed content, anchors and metadata."""
    index_while_building(repo)
    proc = run_cli("build", root=repo)
    assert proc.returncode == 0, proc.stderr
    built_site, again = repo / "site", tmp_path / "site"
    shutil.copytree(built_site, again)
    proc = subprocess.run([sys.executable, "-m", "briefing.searchindex", str(again)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    fragments = [sorted(p.name for p in (site / "pagefind" / "fragment").iterdir()) for site in (built_site, again)]
    assert fragments[0] == fragments[1] and len(fragments[0]) == sum(1 for _ in searchindex.pages(built_site))
    # the same index, file for file and byte for byte (both are Pagefind's CLI over the same lean copies)
    bundles = [{p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
               for site in (built_site, again)]
    assert bundles[0].keys() == bundles[1].keys()
    assert [name for name in bundles[0] if bundles[0][name] != bundles[1][name]] == []


def _bundle(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}


@pytest.mark.parametrize("change", ["none", "theme adds", "page without heading"])
def test_build_indexes_while_mkdocs_writes_the_pages(repo: Path, tmp_path: Path, change: str):
    """The plugin sends the indexing process every page before MkDocs writes any, and Pagefind indexes while MkDocs
    writes them (indexed early: nothing but installing the index is left after the build). Pages the theme writes
    otherwise than they were sent (here: an override that adds a line to every article) are sent again as written
    and the index is made again after the build. A page whose heading only the theme knows (a hand-written page
    without one) is not ready before it is written: every page is then sent as MkDocs writes it, its lean copy made
    as it comes, and the index made after the build. Either way the index is what the written site gives, byte for
    byte."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    theme_adds = change == "theme adds"
    if theme_adds:
        main_html = repo / "overrides" / "main.html"
        main_html.write_text(main_html.read_text(encoding="utf-8").replace(
            "{% block content %}", '{% block content %}<p class="theme-note">Printed by the theme</p>', 1),
            encoding="utf-8")
    if change == "page without heading":
        (repo / "docs" / "notes.md").write_text("Notes without a heading: Xiong'an 雄安.\n", encoding="utf-8")
        yml = repo / "mkdocs.yml"
        yml.write_text(yml.read_text(encoding="utf-8") + "not_in_nav: |\n  /notes.md\n", encoding="utf-8")
    site = tmp_path / "site"
    config = load_config(str(repo / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    stats = config.plugins["briefing"].search_stats
    assert stats and stats["indexed_early"] is (change == "none"), stats
    assert stats["pages"] == sum(1 for _ in searchindex.pages(site)), stats
    assert ("Printed by the theme" in (site / "about" / "index.html").read_text(encoding="utf-8")) is theme_adds
    again = tmp_path / "again"
    shutil.copytree(site, again)
    proc = subprocess.run([sys.executable, "-m", "briefing.searchindex", str(again)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    built, written = _bundle(site), _bundle(again)
    assert built.keys() == written.keys() and [k for k in built if built[k] != written[k]] == []
    if theme_adds:
        assert any(b"Printed by the theme" in gzip.decompress(data) for name, data in built.items()
                   if name.startswith("pagefind/fragment/"))


def test_lean_copies_in_memory_make_the_index_they_make_on_disk(built_site: Path, tmp_path: Path, monkeypatch):
    """The lean copies go to a memory-backed folder when there is one with room (searchindex._lean_folder), else
    beside the site: the same pages indexed either way (a fragment's name is a hash of what Pagefind holds of the
    page), and the folder is gone afterwards. (The index files number the pages in the order the folder lists them:
    by path in memory, whatever the order they were made in, see test_build_indexes_the_pages_as_written; on disk in
    the file system's order.)"""
    made = []
    lean_folder = searchindex._lean_folder

    def recorded(work: Path) -> Path:
        made.append(lean_folder(work))
        return made[-1]

    monkeypatch.setattr(searchindex, "_lean_folder", recorded)
    bundles = {}
    for where, folders in [("memory", searchindex.RAM_FOLDERS), ("disk", ())]:
        monkeypatch.setattr(searchindex, "RAM_FOLDERS", folders)
        site = tmp_path / where
        shutil.copytree(built_site, site, ignore=shutil.ignore_patterns(searchindex.BUNDLE))
        searchindex.index_site(site)
        bundles[where] = _bundle(site)
    assert made[1].parent.name.startswith(".pagefind-") and made[1].parent.parent == tmp_path
    if any(os.path.isdir(ram) for ram in searchindex.RAM_FOLDERS):  # Linux
        assert made[0].parent != made[1].parent and made[0].name.startswith("briefing-search-")
    assert not [m for m in made if m.exists()]
    fragments = [{k: v for k, v in bundles[where].items() if k.startswith("pagefind/fragment/")} for where in bundles]
    assert fragments[0] == fragments[1] and len(fragments[0]) == sum(1 for _ in searchindex.pages(built_site))


def _processes_in(folder: Path) -> list[str]:
    """The command lines of the processes that run in folder or name it (this test's own process aside)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if int(pid) != os.getpid() and (cwd.startswith(str(folder)) or str(folder) in command):
            found.append(command)
    return found


def test_a_failed_build_leaves_no_indexing_process_behind(repo: Path):
    """The indexing process starts before MkDocs writes the pages; a build that fails after (here: a theme template
    that cannot render) stops it and Pagefind's service, and writes no index."""
    main_html = repo / "overrides" / "main.html"
    broken = main_html.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}"
                                                            "{{ no_such_thing.attribute }}", 1)
    main_html.write_text(broken, encoding="utf-8")
    index_while_building(repo)
    proc = run_cli("build", root=repo)
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert not _processes_in(repo), _processes_in(repo)
    assert not (repo / "site" / "pagefind").exists()


@pytest.mark.parametrize("while_building", [False, True])
def test_an_unreadable_jieba_dictionary_is_a_clear_error(repo: Path, while_building: bool):
    (repo / "jieba-user.txt").write_bytes(b"\xff\xfe not UTF-8\n")
    index_while_building(repo, while_building)
    proc = run_cli("build", root=repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "jieba-user.txt must be utf-8" in out and "Traceback" not in out, out
    assert not _processes_in(repo), _processes_in(repo)


def test_lean_pages_have_a_section_per_fact_every_name_and_no_figure_tables(built_site: Path):
    data = json.loads((built_site / "data" / "facts.json").read_text(encoding="utf-8"))
    lean, segmenter = {}, searchindex.Segmenter()
    for region in data["regions"]:
        page = built_site / region["page"] / "index.html"
        lean[region["page"]] = searchindex.lean_page(page.read_text(encoding="utf-8"), segmenter=segmenter)

    # a fact is a sub-result of its own (its heading has an id), which leads straight to it
    missing = [f["url"] for f in data["facts"] if f'id="{f["url"].split("#")[1]}"' not in lean[f["url"].split("#")[0]]]
    assert not missing, f"{len(missing)} facts have no heading with their anchor in the indexed page: {missing[:5]}"

    # a region is found by its name, Chinese name and every alias: each is a key in its page's names field
    unindexed = []
    for region in data["regions"]:
        keys = re.search(r'data-pagefind-meta="names:([^"]*)"', lean[region["page"]])
        keys = set(html.unescape(keys.group(1)).split()) if keys else set()
        unindexed += [f"{region['id']}: {name!r}" for name in [region["name"], region["name_zh"], *region["aliases"]]
                      if searchindex.name_key(name) not in keys]
    assert not unindexed, "names missing from the names field of their region page:\n  " + "\n  ".join(unindexed)
    assert searchindex.name_key("Xiong’an New Area") == "xiongannewarea" + searchindex.NAME_MARK

    # lean: no navigation, no permalinks, no key-figure tables (they repeat the facts' figures)
    for url, doc in lean.items():
        assert 'class="md-nav' not in doc and "headerlink" not in doc and 'class="figures"' not in doc, url
        assert 'id="key-figures"' not in doc, f"{url}: the key figures section is indexed"

    # the Chinese words inside longer words are searchable: 通州 and 北京 in 通州区（北京城市副中心）
    zh = re.search(r'data-pagefind-meta="zh:([^"]*)"', lean["regions/tongzhou/"]).group(1).split()
    assert {"通州区", "通州", "北京", "城市"} <= set(zh), zh


def test_excluded_sections_end_at_the_next_heading_of_their_level():
    article = ('<h2 id="a">A</h2><p>keep a</p><h2 id="k" data-search-exclude>Key</h2><div><table><tr><td>1</td>'
               '</tr></table></div><h3 id="k2">sub</h3><p>drop too</p><h2 id="b">B</h2><p>keep b</p>'
               '<h3 id="c" data-search-exclude>C</h3><p>drop c</p><h3 id="d">D</h3><p>keep d</p>')
    out = searchindex.drop_excluded_sections(article)
    assert out == ('<h2 id="a">A</h2><p>keep a</p><h2 id="b">B</h2><p>keep b</p><h3 id="d">D</h3><p>keep d</p>'), out
    unbalanced = '<div><h2 data-search-exclude>X</h2><p>x</p></div><h2>Y</h2>'
    assert searchindex.drop_excluded_sections(unbalanced) == unbalanced  # never cut through an element


def test_a_section_is_balanced_when_it_has_as_many_end_tags_as_start_tags():
    """searchindex._balanced counts the containers' tags in one pass: what counting each form of each tag with
    str.count says (`<div>` and `<div ` open, `</div>` closes), on random HTML made of those forms and near misses."""
    import random

    def counted(chunk: str) -> bool:
        return all(chunk.count(f"<{t}>") + chunk.count(f"<{t} ") == chunk.count(f"</{t}>") for t in searchindex._BLOCKS)

    pieces = [f"<{t}>" for t in searchindex._BLOCKS] + [f"<{t} " for t in searchindex._BLOCKS]
    pieces += [f"</{t}>" for t in searchindex._BLOCKS] + ["<divx>", "</div >", "<di", "v>", "</div", "<p>", "x", " "]
    rng = random.Random(7)
    balanced = 0
    for _ in range(20000):
        chunk = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert searchindex._balanced(chunk) == counted(chunk), chunk
        balanced += counted(chunk)
    assert 500 < balanced < 19500  # both answers were met often


def test_what_search_reads_of_a_page_is_what_the_pattern_read():
    """searchindex.indexed_parts finds the article by plain search: the same (language, title, article) as the
    regular expression it replaces, on random pages made of the pieces it looks for."""
    import random

    article = re.compile(re.escape(searchindex._ARTICLE_START) + r"(.*)</article>", re.S)

    def by_pattern(page: str):
        found = article.search(page)
        if not found:
            return None
        lang, title = searchindex._LANG.search(page), searchindex._TITLE.search(page)
        return lang.group(1) if lang else "en", title.group(1) if title else "", found.group(1).strip()

    pieces = [searchindex._ARTICLE_START, "</article>", "<article>", "x", '<html lang="zh">', "<title>T</title>", " ",
              "\n", searchindex._ARTICLE_START[:-1]]
    rng = random.Random(11)
    found = 0
    for _ in range(20000):
        page = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert searchindex.indexed_parts(page) == by_pattern(page), repr(page)
        found += by_pattern(page) is not None
    assert 1000 < found < 19000


def test_jieba_dictionary_keeps_place_names_whole():
    """No Chinese name or alias of a region starts with a lone character once jieba has cut it.

    The search index holds a page's Chinese words as jieba cuts them (searchindex.Segmenter), without lone
    characters, which would match half the site. A name that jieba cuts into a lone first character (辽|中南|城市群)
    could then be found only from its first character on: add the fragment as a word to jieba-user.txt (one word per
    line), e.g. 辽中南.
    """
    import jieba

    dictionary = searchindex.USER_DICT
    assert dictionary.is_file(), dictionary
    # runs inside a word and jieba's words of long runs; not what Pagefind indexes anyway (whole words), no lone 的
    assert searchindex.Segmenter().words("通州区（北京城市副中心）, 副中心 and 辽中南城市群的规划", dictionary) == \
        ["通州区", "通州", "北京城市副中心", "北京", "城市", "中心", "辽中", "中南", "辽中南", "城市群", "规划"]

    jieba.setLogLevel(30)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(dictionary))
    problems = []
    for path in sorted((ROOT / "facts" / "regions").glob("*.yml")):
        for region in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            for name in [region["name_zh"], *region.get("aliases", [])]:
                for run in _HAN_RUN.findall(name):
                    cut = tokenizer.lcut(run)
                    if len(cut[0]) == 1:
                        problems.append(f"{path.name}: {region['id']}: {run} -> {'|'.join(cut)}")
    assert not problems, ("Chinese place names that start with a lone character after segmentation (add the first "
                          f"word to {dictionary.name}):\n  " + "\n  ".join(problems))
