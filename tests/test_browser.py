"""Browser tests: the built site in headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

The `built_site` folder is served over http://127.0.0.1 by a thread running http.server. Covered: no request leaves
127.0.0.1 and the console stays clean; citation links land on the highlighted passage (with and without the
`:~:text=` fragment directive); the figures explorer sorts and filters; axe-core finds no serious or critical
accessibility violation (light, and colour contrast in the dark palette); keyboard focus moves to visible links;
screenshots for a human to look at go to tests/artifacts/ (gitignored).

axe-core is a test-only npm package, not part of the site: `npm ci --prefix tests` installs the version pinned in
tests/package.json and tests/package-lock.json into tests/node_modules/ (gitignored).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parent
ARTIFACTS = TESTS / "artifacts"
AXE_JS = TESTS / "node_modules" / "axe-core" / "axe.min.js"

HOME, REGION, FIGURES = "", "regions/chengde/", "figures/"
EXPLORER_ROWS = "#all-figures tbody tr"  # the explorer builds its rows from data/figures.json after the page loads


def goto(page: Page, path: str) -> None:
    page.goto(path)
    if path == FIGURES:
        page.wait_for_selector(EXPLORER_ROWS)
from conftest import LOCAL_HOST, explorer_figures  # noqa: E402 - fixtures browser and site_url live in conftest


# --------------------------------------------------------------------------------------------------------------
# fixtures: the http server, the browser, pages that record what they do
# --------------------------------------------------------------------------------------------------------------

@dataclass
class Session:
    """A fresh browser context with one page, and everything it requested or complained about."""
    context: BrowserContext
    page: Page
    requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to any host but 127.0.0.1 (data: and blob: URLs go to no host)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob"):
                continue
            if parts.hostname != LOCAL_HOST:
                out.append(url)
        return out

    def assert_clean(self) -> None:
        assert not self.errors, "console errors / uncaught exceptions:\n  " + "\n  ".join(self.errors)
        assert not self.bad_responses, "failed responses:\n  " + "\n  ".join(self.bad_responses)


@pytest.fixture
def open_session(browser: Browser, site_url: str):
    """open_session(**context_options) -> Session; relative URLs in page.goto resolve against the site."""
    contexts: list[BrowserContext] = []

    def make(**options) -> Session:
        context = browser.new_context(base_url=site_url, **options)
        contexts.append(context)
        page = context.new_page()
        s = Session(context, page)
        # on the context: also catches requests of the search web worker
        context.on("request", lambda r: s.requests.append(r.url))
        context.on("response", lambda r: r.status >= 400 and s.bad_responses.append(f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and s.errors.append(
            f"console.error: {m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
        page.on("pageerror", lambda e: s.errors.append(f"uncaught: {e}"))
        return s

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def source_page(built_site: Path) -> str:
    """Path of the source page that the first citation on the region page points to."""
    html = (built_site / REGION / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<a class="cite-link" href="([^"]+)"', html)
    assert m, f"no a.cite-link on {REGION}"
    path = urlsplit(urljoin("http://x/" + REGION, m.group(1))).path.lstrip("/")
    assert (built_site / path / "index.html").is_file(), path
    return path


@functools.lru_cache(maxsize=1)
def _read_axe() -> str | None:
    return AXE_JS.read_text(encoding="utf-8") if AXE_JS.is_file() else None


@pytest.fixture
def axe_source() -> str | None:
    """The pinned axe-core script. Missing, the test fails (inside the test body, not as a setup error)."""
    return _read_axe()


def _require_axe(axe_source: str | None) -> str:
    if axe_source is None:
        pytest.fail(f"axe-core is missing ({AXE_JS.relative_to(TESTS.parent)}): run `npm ci --prefix tests` "
                    "to install the version pinned in tests/package-lock.json", pytrace=False)
    return axe_source


# --------------------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------------------

# State of the highlight of a citation anchor: the marks citing it, whether the first is in the viewport below the
# fixed header, and the classes of its paragraph.
_MARK_STATE_JS = """anchor => {
  const all = Array.from(document.querySelectorAll('mark.cited'));
  const cites = m => (m.getAttribute('data-cites') || '').split(/\\s+/).includes(anchor);
  const mine = all.filter(cites), active = all.filter(m => m.classList.contains('active'));
  const first = mine[0], r = first ? first.getBoundingClientRect() : null;
  const header = document.querySelector('.md-header');
  const top = header ? header.getBoundingClientRect().bottom : 0;
  return {
    marks: mine.length, active: active.length,
    activeCitingOther: active.filter(m => !cites(m)).length,
    mineActive: mine.filter(m => m.classList.contains('active')).length,
    rect: r && {top: Math.round(r.top), bottom: Math.round(r.bottom), width: Math.round(r.width)},
    innerHeight: window.innerHeight, headerBottom: Math.round(top),
    inViewport: !!r && r.width > 0 && r.height > 0 && r.top >= top && r.bottom <= window.innerHeight,
    paraClass: first && first.closest('.para') ? first.closest('.para').className : null,
    targets: Array.from(document.querySelectorAll('.para.target')).map(p => p.id),
  };
}"""


def _mark_state(page: Page, anchor: str, timeout: float = 5000) -> dict:
    """Wait until the passage cited by `anchor` is highlighted and scrolled into view; return its state either way."""
    try:
        page.wait_for_function(f"anchor => {{ const s = ({_MARK_STATE_JS})(anchor); return s.mineActive > 0 "
                               "&& s.inViewport && (s.paraClass || '').split(' ').includes('target'); }",
                               arg=anchor, timeout=timeout)
    except PlaywrightError:  # timed out: the assertions of the caller report what is wrong
        pass
    return page.evaluate(_MARK_STATE_JS, anchor)


def _assert_highlighted(state: dict, anchor: str) -> None:
    assert state["marks"] > 0, f"no mark.cited has {anchor} in data-cites"
    assert state["mineActive"] == state["marks"], f"marks citing {anchor} are not all .active: {state}"
    assert state["activeCitingOther"] == 0, f"marks of other citations stayed .active: {state}"
    assert state["inViewport"], f"the cited passage is not in the viewport (below the header): {state}"
    assert "target" in (state["paraClass"] or "").split(), f"the passage's paragraph lacks class 'target': {state}"
    assert len(state["targets"]) == 1, f"expected one .para.target: {state}"


# --------------------------------------------------------------------------------------------------------------
# 1. nothing leaves 127.0.0.1, the console stays clean
# --------------------------------------------------------------------------------------------------------------

def test_pages_load_only_local_resources_without_console_errors(open_session, source_page):
    s = open_session()
    page = s.page
    for path in (HOME, REGION, source_page):
        page.goto(path, wait_until="networkidle")
        assert page.locator("article h1").first.is_visible(), f"{path or 'home'}: no visible h1"
    assert not [u for u in s.requests if "/pagefind/" in u], "the search index is fetched before anyone searches"
    # the search (Pagefind: its script, web worker, WebAssembly, index chunks and fragments) works offline too
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("Cangzhou 沧州")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)

    fetched = [u.split("/pagefind/")[1] for u in s.requests if "/pagefind/" in u]
    for part in ("pagefind.js", "pagefind-entry.json", "wasm.en.pagefind", ".pf_meta", ".pf_index", ".pf_fragment"):
        assert any(part in u for u in fetched), f"no {part} among the search's requests: {fetched}"
    assert not s.foreign_requests(), "requests to hosts other than 127.0.0.1:\n  " + "\n  ".join(s.foreign_requests())
    s.assert_clean()


def test_layout_icons_are_drawn_from_the_sprite(open_session):
    """The header's, drawer's and footer's icons reference site/assets/icons.svg (briefing/plugin/icons.py): each is
    drawn at the size and in the colour of the text around it, as Material's inline SVGs were."""
    s = open_session()
    s.page.goto(REGION, wait_until="networkidle")
    icons = s.page.evaluate("""() => Array.from(document.querySelectorAll('header svg, .md-footer svg')).map(svg => {
      const use = svg.querySelector('use'), box = use && use.getBBox(), css = getComputedStyle(svg);
      return {href: use && use.getAttribute('href'), drawn: !!box && box.width > 0 && box.height > 0,
              shown: svg.getBoundingClientRect().width > 0, fill: css.fill, color: css.color};
    })""")
    assert icons and all(i["href"] and "icons.svg#" in i["href"] for i in icons), icons
    shown = [i for i in icons if i["shown"]]  # the palette toggle hidden by the current scheme has no box
    assert shown and all(i["drawn"] and i["fill"] == i["color"] for i in shown), shown
    assert any(u.endswith("/assets/icons.svg") for u in s.requests), s.requests
    s.assert_clean()


# --------------------------------------------------------------------------------------------------------------
# 2. citations land on the highlighted passage
# --------------------------------------------------------------------------------------------------------------

def test_citation_link_lands_on_highlighted_passage(open_session):
    s = open_session()
    page = s.page
    page.goto(REGION)
    link = page.locator(".fact a.cite-link").first
    href = link.get_attribute("href")
    assert href and "#cite-" in href and ":~:text=" in href, href
    anchor = unquote(href.split("#", 1)[1]).split(":~:", 1)[0]
    expected_path = urlsplit(urljoin(page.url, href)).path
    assert expected_path.startswith("/sources/"), href

    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == expected_path, f"clicked {href}, landed on {page.url}"
    assert page.locator(".article-text").count() == 1, "landed on a page without the article text"
    _assert_highlighted(_mark_state(page, anchor), anchor)
    s.assert_clean()


def test_citation_anchor_without_text_fragment_is_highlighted_by_script(open_session, source_page):
    s = open_session()
    page = s.page
    page.goto(REGION)
    anchors = [unquote(h.split("#", 1)[1]).split(":~:", 1)[0]
               for h in page.locator(".fact a.cite-link").evaluate_all("as => as.map(a => a.getAttribute('href'))")
               if urlsplit(h).path.rstrip("/").endswith(source_page.rstrip("/"))]
    assert len(set(anchors)) >= 2, f"need two citations of {source_page} on {REGION}: {anchors}"
    first, other = anchors[0], next(a for a in anchors if a != anchors[0])

    page.goto(f"{source_page}#{first}")  # no :~:text= directive: only briefing.js highlights and scrolls
    _assert_highlighted(_mark_state(page, first), first)

    # following another citation on the same page (hashchange) moves the highlight
    page.evaluate("a => { location.hash = a; }", other)
    _assert_highlighted(_mark_state(page, other), other)  # also: no mark of the first citation stays active
    s.assert_clean()


# --------------------------------------------------------------------------------------------------------------
# 3. figures explorer: sort and filter
# --------------------------------------------------------------------------------------------------------------

_VISIBLE_VALUES_JS = """() => Array.from(document.querySelectorAll('#all-figures tbody tr'))
  .filter(tr => !tr.hidden && tr.getClientRects().length)
  .map(tr => { const td = tr.querySelector('td.num'), q = td.querySelector('.qualifier');  // "> 85": the number after it
               return [td.getAttribute('data-sort'), td.textContent.replace(q ? q.textContent : '', '').trim()]; })"""


def test_figures_explorer_sorts_by_value(open_session):
    s = open_session()
    page = s.page
    goto(page, FIGURES)
    headers = page.locator("#all-figures thead th")
    names = [t.strip() for t in headers.all_text_contents()]
    value_th = headers.nth(names.index("Value"))

    rows = page.evaluate(_VISIBLE_VALUES_JS)
    assert len(rows) >= 10, rows
    for key, text in rows:  # the sort key is the number shown
        assert float(text.replace(",", "")) == pytest.approx(float(key)), (key, text)
    before = [float(k) for k, _ in rows]
    assert before != sorted(before), "the table is already sorted by value: the test would prove nothing"

    value_th.click()
    values = [float(k) for k, _ in page.evaluate(_VISIBLE_VALUES_JS)]
    assert values == sorted(values), f"not ascending after one click: {values}"
    assert value_th.get_attribute("aria-sort") == "ascending"
    assert sorted(values) == sorted(before), "sorting lost or duplicated rows"

    value_th.click()
    values = [float(k) for k, _ in page.evaluate(_VISIBLE_VALUES_JS)]
    assert values == sorted(values, reverse=True), f"not descending after a second click: {values}"
    assert value_th.get_attribute("aria-sort") == "descending"
    s.assert_clean()


def test_figures_explorer_filters_rows(open_session):
    s = open_session()
    page = s.page
    goto(page, FIGURES)
    visible = page.locator("#all-figures tbody tr:visible")
    total = visible.count()
    assert total >= 10
    count = page.locator(".table-filter .filter-count")
    assert count.text_content() == f"{total} of {total} figures"

    page.locator("#figure-filter").press_sequentially("Cangzhou")
    texts = visible.all_inner_texts()
    assert 0 < len(texts) < total, f"{len(texts)} of {total} rows visible after filtering"
    missing = [t for t in texts if "cangzhou" not in t.lower()]
    assert not missing, "visible rows without Cangzhou:\n  " + "\n  ".join(missing)
    assert count.text_content() == f"{len(texts)} of {total} figures"

    page.locator("#figure-filter").fill("")
    assert visible.count() == total, "clearing the filter does not bring every row back"
    s.assert_clean()


def test_figures_explorer_pages_a_large_table(open_session, built_site):
    """At 100x the corpus the explorer holds ~47,000 figures: it shows them a page at a time, and filters and sorts
    all of them. Here the real figures.json, repeated 25 times, stands in for a large corpus, and is sent
    gzip-compressed, as such a corpus publishes it (figures.json.gz, unpacked in the browser); the other tests of the
    explorer read the plain file."""
    import json

    from briefing.gzipped import compress
    data = json.loads((built_site / "data" / "figures.json").read_text(encoding="utf-8"))
    figures = data["columns"].index("figures")
    data["facts"] = [[*f[:figures], [[f"{g[0]} #{i}", *g[1:]] for g in f[figures]], *f[figures + 1:]]
                     for i in range(25) for f in data["facts"]]
    rows = [[g[k] for k in ("label", "value", "value_text", "qualifier", "unit", "place", "place_url", "date", "date_text",
                            "kind")] for g in explorer_figures(data)]
    s = open_session()
    page = s.page
    page.route("**/data/figures.json", lambda route: route.fulfill(
        status=200, content_type="application/gzip", body=compress(json.dumps(data))))
    goto(page, FIGURES)
    count = page.locator(".table-filter .filter-count")
    more = page.locator(".explorer-more button")
    assert page.locator(EXPLORER_ROWS).count() == 250
    assert count.text_content() == f"{len(rows)} of {len(rows)} figures"
    assert more.is_visible() and f"({len(rows) - 250} not shown yet)" in more.text_content()
    more.click()
    assert page.locator(EXPLORER_ROWS).count() == 500
    page.locator("#figure-filter").fill("cangzhou")  # over every row, not only the ones shown
    matching = [r for r in rows if "cangzhou" in " ".join(map(str, [r[0], r[2], r[3], r[4], r[7], r[9]])).lower()]
    assert 250 < len(matching) < len(rows) and count.text_content() == f"{len(matching)} of {len(rows)} figures"
    page.locator("#all-figures thead th", has_text="Value").click()
    values = [float(k) for k, _ in page.evaluate(_VISIBLE_VALUES_JS)]
    smallest = min(r[1] for r in matching)
    assert values == sorted(values) and values[0] == pytest.approx(smallest)
    s.assert_clean()


# --------------------------------------------------------------------------------------------------------------
# 4./5. axe-core
# --------------------------------------------------------------------------------------------------------------

# Violations the site has today that the tests cannot fix (the fix is in mkdocs.yml, docs/assets/briefing.css or
# templates/). Each is (axe rule, CSS selector the failing element is or sits in, what to change). A page showing
# only these is xfailed, so any new violation still fails; once the site is fixed the test passes.
# Remove an entry when its fix lands.
KNOWN_SITE_BUGS: list[tuple[str, str, str]] = [  # (axe rule, selector, why and how to fix); empty: all fixed
]

_AXE_REPORT_JS = """async ([options, known]) => {
  const results = await axe.run(document, Object.assign({resultTypes: ["violations"]}, options));
  const out = [];
  for (const v of results.violations) {
    if (!['serious', 'critical'].includes(v.impact)) continue;
    for (const n of v.nodes) {
      let el = null;
      try { el = document.querySelector(n.target[n.target.length - 1]); } catch (e) {}
      const hit = known.find(([rule, sel]) => rule === v.id && el && el.closest(sel));
      out.push({rule: v.id, impact: v.impact, help: v.help, url: v.helpUrl, target: n.target.join(' '),
                html: n.html, summary: n.failureSummary, known: hit ? hit[1] : null});
    }
  }
  return out;
}"""


def _format(nodes: list[dict]) -> str:
    lines = []
    for n in nodes:
        lines.append(f"[{n['impact']}] {n['rule']}: {n['help']} ({n['url']})")
        lines.append(f"    at {n['target']}  {n['html'][:160]}")
        for line in (n["summary"] or "").splitlines()[1:3]:
            lines.append(f"    {line.strip()}")
    return "\n".join(lines)


def _axe_check(page: Page, axe_source: str | None, label: str, options: dict | None = None) -> None:
    """Run axe on the page; fail on any serious/critical violation not in KNOWN_SITE_BUGS, xfail on known ones."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=_require_axe(axe_source))
    nodes = page.evaluate(_AXE_REPORT_JS, [options or {}, [[r, sel] for r, sel, _ in KNOWN_SITE_BUGS]])
    new = [n for n in nodes if not n["known"]]
    known = [n for n in nodes if n["known"]]
    assert not new, f"{label}: {len(new)} serious/critical axe violation(s):\n{_format(new)}"
    if known:
        print(f"{label}: known site bugs still present:\n{_format(known)}")
        counts: dict[tuple[str, str], int] = {}
        for n in known:
            counts[(n["rule"], n["known"])] = counts.get((n["rule"], n["known"]), 0) + 1
        pytest.xfail(f"{label}: known site bugs, fixes listed in KNOWN_SITE_BUGS: "
                     + ", ".join(f"{rule} at {sel} ({k}x)" for (rule, sel), k in sorted(counts.items())))


AXE_PAGES = {"home": HOME, "region": REGION, "source": None, "figures": FIGURES}  # None: the source page


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_no_serious_violations(open_session, axe_source, source_page, name):
    _require_axe(axe_source)
    s = open_session()
    goto(s.page, AXE_PAGES[name] if AXE_PAGES[name] is not None else source_page)
    s.assert_clean()
    _axe_check(s.page, axe_source, name)


def _open_first_citation_of(page: Page, source_page: str) -> str:
    """On the region page, take the first citation into source_page; open it without :~:text=; return its anchor."""
    page.goto(REGION)
    hrefs = page.locator(".fact a.cite-link").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    href = next(h for h in hrefs if urlsplit(h).path.rstrip("/").endswith(source_page.rstrip("/")))
    anchor = unquote(href.split("#", 1)[1]).split(":~:", 1)[0]
    page.goto(f"{source_page}#{anchor}")
    _assert_highlighted(_mark_state(page, anchor), anchor)
    return anchor


def test_axe_source_with_active_citation(open_session, axe_source, source_page):
    """The source page as a citation opens it: passage highlighted (mark.cited.active), paragraph .target."""
    _require_axe(axe_source)
    s = open_session()
    _open_first_citation_of(s.page, source_page)
    s.assert_clean()
    _axe_check(s.page, axe_source, "source, citation active")


@pytest.mark.parametrize("name", ["region", "source-active-citation"])
def test_axe_dark_palette_contrast(open_session, axe_source, source_page, name):
    _require_axe(axe_source)
    s = open_session()
    s.page.emulate_media(color_scheme="dark")
    if name == "region":
        s.page.goto(REGION)
    else:
        _open_first_citation_of(s.page, source_page)
    assert s.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate", \
        "prefers-color-scheme: dark did not select the slate palette"
    s.assert_clean()
    _axe_check(s.page, axe_source, f"{name} (dark)", {"runOnly": {"type": "rule", "values": ["color-contrast"]}})


# --------------------------------------------------------------------------------------------------------------
# 6. screenshots for a human (tests/artifacts/, gitignored)
# --------------------------------------------------------------------------------------------------------------

def _shoot(session: Session, name: str, max_height: int = 1800) -> Path:
    """Screenshot the top of the page, up to max_height CSS pixels (whole pages run to 16,000 px: seconds each)."""
    page = session.page
    width, height = page.evaluate("() => [window.innerWidth, document.documentElement.scrollHeight]")
    out = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(out), full_page=True, animations="disabled",  # no half-rotated nav chevrons
                    clip={"x": 0, "y": 0, "width": width, "height": min(height, max_height)})
    return out


def test_screenshots(open_session, source_page):
    ARTIFACTS.mkdir(exist_ok=True)
    shots = []
    light = open_session(viewport={"width": 1280, "height": 800})
    for name, path in {"home": HOME, "region-chengde": REGION, "region-hebei": "regions/hebei/",
                       "source": source_page, "figures": FIGURES}.items():
        goto(light.page, path)
        shots.append(_shoot(light, name))

    dark = open_session(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    dark.page.goto(REGION)
    shots.append(_shoot(dark, "region-chengde-dark"))

    mobile = open_session(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                          has_touch=True)
    mobile.page.goto(REGION)
    shots.append(_shoot(mobile, "region-chengde-mobile", max_height=1600))

    for shot in shots:
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    for session in (light, dark, mobile):
        session.assert_clean()


# Words of the figure labels that the browser split across two lines (a hyphen is a fair place to break).
_BROKEN_WORDS_JS = """() => {
  const broken = [];
  for (const a of document.querySelectorAll('table.figures td:first-child a')) {
    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of n.data.matchAll(/[^\\s\\-\u2013]+/g)) {
        const r = document.createRange();
        r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        if (new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("path", [REGION, FIGURES])
def test_mobile_layout_keeps_figure_labels_whole(open_session, path):
    s = open_session(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    goto(s.page, path)
    widths = s.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling at 390px: page {widths[0]}px wide, viewport {widths[1]}px"
    s.assert_clean()
    broken = s.page.evaluate(_BROKEN_WORDS_JS)
    if broken:
        raise AssertionError(f"{len(broken)} words of figure labels split across lines at 390px: "
                           f"{sorted(set(broken))[:15]}")


# --------------------------------------------------------------------------------------------------------------
# 7. keyboard
# --------------------------------------------------------------------------------------------------------------

_FOCUS_JS = """() => {
  const e = document.activeElement, r = e.getBoundingClientRect(), cs = getComputedStyle(e);
  return {tag: e.tagName, cls: e.className, href: e.getAttribute('href'),
          text: (e.textContent || '').trim().slice(0, 40),
          w: r.width, h: r.height, top: r.top, bottom: r.bottom, innerHeight: innerHeight,
          inArticle: !!e.closest('article'),
          shown: cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) > 0};
}"""


def _tab(page: Page) -> dict:
    """Press Tab; return the focused element once its focus styles have settled (Material fades the skip link in)."""
    page.keyboard.press("Tab")
    try:
        page.wait_for_function(f"() => {{ const f = ({_FOCUS_JS})(); return f.shown && f.w > 0 && f.h > 0; }}",
                               timeout=400)
    except PlaywrightError:  # timed out: not every stop is visible (see below); the caller decides
        pass
    return page.evaluate(_FOCUS_JS)


def test_keyboard_tab_reaches_visible_links(open_session):
    s = open_session()
    page = s.page
    page.goto(REGION)
    stops = [_tab(page) for _ in range(8)]
    links = [f for f in stops if f["tag"] == "A"]
    trail = "\n  ".join(f"{f['tag']}.{f['cls']} {f['href']!r} {f['text']!r} {f['w']:.0f}x{f['h']:.0f} "
                        f"shown={f['shown']}" for f in stops)

    assert stops[0]["tag"] == "A" and stops[0]["href"] == "#briefing", f"first Tab is not the skip link:\n  {trail}"
    # Material's tab stops between the links are allowed: the palette radio (0x0, its label gets the outline), the
    # search box and the search results scroller (0 px high until a search runs)
    assert len(links) >= 4, f"Tab reached fewer than 4 links in 8 presses:\n  {trail}"
    hidden = [f for f in links if not (f["w"] > 0 and f["h"] > 0 and f["shown"]
                                       and f["bottom"] > 0 and f["top"] < f["innerHeight"])]
    assert not hidden, f"focus moved to links that are not visible:\n  {trail}"

    # the skip link works: Enter, then Tab reaches a visible link in the article
    page.goto(REGION)
    _tab(page)
    page.keyboard.press("Enter")
    assert urlsplit(page.url).fragment == "briefing"
    for _ in range(3):
        focus = _tab(page)
        if focus["tag"] == "A" and focus["inArticle"]:
            break
    assert focus["inArticle"] and focus["tag"] == "A", f"Tab after the skip link left the article: {focus}"
    assert focus["w"] > 0 and focus["h"] > 0 and focus["shown"], f"focused link not visible: {focus}"
    assert 0 <= focus["top"] and focus["bottom"] <= focus["innerHeight"], f"focused link off screen: {focus}"
    s.assert_clean()
