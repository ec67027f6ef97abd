"""Search: Material's built-in search (lunr, offline; jieba segments Chinese at build time) finds the right briefing.

The browser test types each query of QUERIES into Material's search box of the built site with real key presses, the
way a reader types it, and reads the result list (.md-search-result__item) back. A query is a hit when its expected
page or fact is among the first 3 results; for a fact, the link to its own section (#fact-...) must be shown in the
result, not folded away under "N more on this page", so that the result leads straight to it.

Latency is the time from the last key press (its keydown) to the moment the first result item is in the DOM. To
measure only the final query, everything but the last key is typed first and the search worker is let finish; then
the last key is pressed. The worker is watched through a thin wrapper of window.Worker (an init script) that counts
the queries Material posts to it and the results it answers.

Han characters are not on a keyboard: like an input method, the test inserts them (what page.keyboard.type does for
them) and then releases a key - Material reads the search box on keyup, as it does when an input method commits.

The table (query, kind, expected, rank, ms) is printed: run with -s, or see the captured output of a failure.

Two fast tests without a browser guard what the ranking rests on: the index (a section per fact, every alias in its
region's indexed text, no figure tables) and the jieba user dictionary (no Chinese place name starts with a lone
character, which the search separator leaves out of the index).
"""
from __future__ import annotations

import html
import json
import re
import statistics
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import mkdocs_yml
import yaml
from playwright.sync_api import Page


ROOT = Path(__file__).resolve().parent.parent
TOP = 3                 # a hit is a result among the first TOP
MIN_HIT_RATE = 0.95
MAX_MEDIAN_MS = 150
RESULT_TIMEOUT_MS = 3000

R = "regions/{}/"        # a region's briefing
T = "topics/{}/"         # a topic page
F = "regions/{}/#fact-{}"  # a fact: the region page that holds it and its anchor

# (query as a reader types it, what it tests, expected: a page or a fact; several when each is right)
QUERIES: list[tuple[str, str, tuple[str, ...]]] = [
    # English names. Hardest: "Beijing" - fact headings on other pages say "Beijing's" or "Beijing’s", rarer tokens
    # than "beijing" that lunr weighs higher, and a prefix query (Material's beijing*) matches them too
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
    # article, and of that article's coverage heading on the data-quality page; lunr weighs titles 1000 times more
    ("Gyeonggi", "MT variant", (R.format("jing-jin-ji"),)),
    ("Xiong'an New District", "MT variant", (R.format("xiongan"),)),
    ("Xiong’an", "alias (curly apostrophe)", (R.format("xiongan"),)),
    ("Peking", "alias", (R.format("beijing"),)),
    ("Linkong Economic Zone", "MT variant", (R.format("daxing-airport-economic-zone"),)),
    ("comprehensive protection zone", "MT variant", (R.format("daxing-airport-comprehensive-bonded-zone"),)),
    ("Bohai New District", "MT variant", (R.format("cangzhou-bohai-new-area"),)),
    ("Beijing sub-center", "alias", (R.format("tongzhou"),)),
    ("Beijing-Tianjin-Hebei forerunner area", "MT variant", (R.format("western-liaoning"),)),
    # a misspelling (lunr has no typo tolerance: the region lists it as an alias)
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

# Counts the queries Material posts to its search worker ({type: 2}) and the results it answers ({type: 3}).
_WORKER_PROBE_JS = """(() => {
  const probe = window.__searchProbe = {sent: 0, answered: 0, keydown: null, firstResult: null};
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => { if (e.data && e.data.type === 3) probe.answered++; });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) probe.sent++;
      return super.postMessage(message, ...rest);
    }
  };
})();"""

# Arms the clock for the last key: its keydown, then the first result item put into the list.
_ARM_JS = """() => {
  const probe = window.__searchProbe, list = document.querySelector('.md-search-result__list');
  probe.keydown = null; probe.firstResult = null;
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

# The worker has answered every query Material posted, and Material posted one since `since` (a count of queries).
_IDLE_JS = "since => { const p = window.__searchProbe; return p.sent > since && p.sent === p.answered; }"

# Every result item: its links in order, each with path, fragment and whether it is folded under "N more".
_RESULTS_JS = """() => Array.from(document.querySelectorAll('.md-search-result__item')).map(li =>
  Array.from(li.querySelectorAll('a')).map(a => {
    const u = new URL(a.href);
    return {path: u.pathname, hash: u.hash, folded: !!a.closest('details.md-search-result__more')};
  }))"""

_HAN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")  # CJK ideographs (the split keeps them)


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


def _sent(page: Page) -> int:
    return page.evaluate("() => window.__searchProbe.sent")


def _wait_idle(page: Page, since: int) -> None:
    """Wait until Material has posted a query after `since` queries and the worker has answered all; then a frame."""
    page.wait_for_function(_IDLE_JS, arg=since, timeout=RESULT_TIMEOUT_MS)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _search(page: Page, query: str) -> tuple[list[list[dict]], float | None]:
    """Type query into the search box; return the result items and the ms from the last keydown to a result."""
    box = page.locator(".md-search__input")
    box.focus()
    if box.input_value():
        since = _sent(page)
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        _wait_idle(page, since)
    assert box.input_value() == ""
    head, last = query[:-1], query[-1]
    if head:
        since = _sent(page)
        _type(page, head)
        _wait_idle(page, since)
    since = _sent(page)
    page.evaluate(_ARM_JS)
    _type(page, last)
    _wait_idle(page, since)
    probe = page.evaluate("() => window.__searchProbe")
    page.evaluate("() => window.__searchProbe.disconnect()")
    assert box.input_value() == query, f"typed {query!r}, the search box holds {box.input_value()!r}"
    ms = probe["firstResult"] - probe["keydown"] if probe["firstResult"] is not None else None
    return page.evaluate(_RESULTS_JS), ms


def _rank(items: list[list[dict]], expected: tuple[str, ...], base_path: str) -> tuple[int | None, str]:
    """1-based rank of the first result item that shows an expected page or fact; a note when it is folded."""
    note = ""
    for rank, links in enumerate(items, 1):
        for want in expected:
            path, _, frag = want.partition("#")
            path = base_path + path
            if not frag:
                if links and links[0]["path"] == path:  # the item's page link (Material lists the page first)
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


@pytest.mark.browser
def test_search_finds_the_right_briefing(browser, site_url, built_site: Path):  
    index = built_site / "search" / "search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    print(f"\nsearch index: {index.stat().st_size / 1024:.0f} KiB, {len(docs)} sections")

    context = browser.new_context(base_url=site_url)
    context.add_init_script(_WORKER_PROBE_JS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("console", lambda m: m.type in ("error", "warning") and errors.append(f"console.{m.type}: {m.text}"))
    try:
        page.goto("about/", wait_until="networkidle")  # idle: the worker has fetched the index
        base_path = urlsplit(site_url).path
        _search(page, "Beijing")  # warm-up: the first search builds lunr's caches, and the JIT warms up

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


# --------------------------------------------------------------------------------------------------------------
# without a browser: what the ranking rests on
# --------------------------------------------------------------------------------------------------------------

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _search_config() -> dict:
    config = mkdocs_yml()
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "search" in plugin:
            return plugin["search"]
    raise AssertionError("mkdocs.yml has no search plugin with options")


def test_index_has_a_section_per_fact_and_every_alias(built_site: Path):
    index = built_site / "search" / "search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    data = json.loads((built_site / "data" / "facts.json").read_text(encoding="utf-8"))
    by_location = {d["location"]: d for d in docs}
    print(f"\nsearch index: {index.stat().st_size / 1024:.0f} KiB, {len(docs)} sections, "
          f"{sum(1 for d in docs if '#fact-' in d['location'])} of them facts")

    # a fact is a result of its own (its h4 has an id), which leads straight to it
    missing = [f["url"] for f in data["facts"] if f["url"] not in by_location]
    assert not missing, f"{len(missing)} facts have no section of their own in the index: {missing[:5]}"

    # a region is found by its Chinese name and every alias: they are in the indexed text of its page (first section)
    unindexed = []
    for region in data["regions"]:
        page = by_location.get(region["page"])
        assert page is not None, f"{region['page']} is not in the index"
        text = (page["title"] + " " + page["text"]).replace("\u200b", "")
        unindexed += [f"{region['id']}: {name!r}" for name in [region["name_zh"], *region["aliases"]]
                      if html.escape(name, quote=False) not in text]
    assert not unindexed, "names missing from the indexed text of their region page:\n  " + "\n  ".join(unindexed)

    # lean: the key-figure tables repeat the facts' figures (and glue their cells into tokens like "yuan2022")
    tables = [d["location"] for d in docs if d["location"].startswith("regions/") and "#key-figures" in d["location"]]
    assert not tables, f"figure tables of region pages are indexed: {tables[:5]}"


def test_jieba_dictionary_keeps_place_names_whole():
    """No Chinese name or alias of a region starts with a lone character once jieba has cut it.

    The search separator (mkdocs.yml) leaves lone Han characters out of the index, because Material cuts a Chinese
    query at the longest indexed token it begins with (an indexed 辽 turned 辽西 into 辽*). A name that jieba cuts
    into a lone first character (辽|中南|城市群) could then not be found at all: add the fragment as a word to
    jieba-user.txt (one word per line), e.g. 辽中南.
    """
    import jieba

    search = _search_config()
    dictionary = ROOT / str(search.get("jieba_dict_user", ""))
    assert search.get("jieba_dict_user") and dictionary.is_file(), \
        f"mkdocs.yml's search plugin should name the committed jieba user dictionary: {search.get('jieba_dict_user')}"

    # the separator drops a lone character between jieba's zero-width spaces, and keeps words and plain queries
    separator = re.compile(search["separator"])
    tokens = [t for t in separator.split("沧州\u200b周末\u200b到\u200b沧\u200b, Cangzhou's 731.9 billion") if t]
    assert tokens == ["沧州", "周末", "Cangzhou's", "731.9", "billion"], tokens
    assert [t for t in separator.split("辽西") if t] == ["辽西"]

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
