"""The navigation: the real corpus's whole region tree in the sidebar; a large corpus's navigation bounded by the
budget (deeper places reached from their parent's page), with no page reported missing from the nav."""
from __future__ import annotations

import re
from pathlib import Path

from briefing import pipeline
from briefing.corpus import Corpus, Records
from briefing.models import Region
from briefing.options import Options
from briefing.render import nav, nav_depth, nav_pages
from briefing.urls import region_page_src
from conftest import ROOT, run_cli


def real_corpus() -> Corpus:
    corpus, report = pipeline.run(ROOT, Options())
    assert not report.failed()
    return corpus


def regions_entry(entries: list) -> list:
    return next(e["Regions"] for e in entries if "Regions" in e)


def listed_under(entries, name: str) -> list[str] | None:
    """The names listed under a section of the nav (None: no such section)."""
    for entry in entries:
        if isinstance(entry, dict):
            for key, value in entry.items():
                if key == name and isinstance(value, list):
                    return [next(iter(e)) for e in value if isinstance(e, dict)]
                if isinstance(value, list) and (found := listed_under(value, name)) is not None:
                    return found
    return None


def test_the_real_corpus_lists_every_place_where_a_reader_looks_for_it():
    corpus = real_corpus()
    entries = nav(corpus)
    assert nav_depth(corpus, Options.nav_budget) is None
    assert entries == nav(corpus, budget=10**6)  # the default budget cuts nothing
    listed = nav_pages(entries)
    assert {region_page_src(corpus, rid) for rid in corpus.regions} <= listed
    assert {f"sources/{sid}.md" for sid in corpus.articles} <= listed
    assert "Chengde" in listed_under(entries, "Hebei")
    assert "Xiong'an New Area" in listed_under(entries, "Hebei")
    beijing = listed_under(entries, "Beijing")
    assert {"Tongzhou (Beijing city sub-center)", "Daxing", "Yanqing"} <= set(beijing), beijing
    assert "Baodi" in listed_under(entries, "Tianjin")


def big_corpus(cities: int, districts: int) -> Corpus:
    """A synthetic tree: one root, 4 provinces, `cities` cities each, `districts` districts per city."""
    regions = {}

    def add(rid, kind, parent=None):
        regions[rid] = Region(id=rid, name=rid.title(), name_zh="地", kind=kind, parent=parent, summary="s")

    add("top", "region")
    for p in range(4):
        add(f"p{p}", "province", "top")
        for c in range(cities):
            add(f"p{p}-c{c}", "city", f"p{p}")
            for d in range(districts):
                add(f"p{p}-c{c}-d{d}", "district", f"p{p}-c{c}")
    return Corpus.of(Records(root=Path("."), regions=regions))


def region_count(entries) -> int:
    return sum(1 for src in nav_pages(regions_entry(entries)) if src.startswith("regions/") and src != "regions/index.md")


def test_a_large_corpus_lists_whole_levels_within_the_budget():
    small, large = big_corpus(10, 5), big_corpus(100, 20)  # 245 and 8,405 places
    for corpus in (small, large):
        entries = nav(corpus, budget=150)
        assert region_count(entries) <= 150, region_count(entries)
    assert region_count(nav(small, 150)) == 45 and region_count(nav(large, 150)) == 5  # cities listed, then not
    entries = nav(small, 150)
    city = listed_under(entries, "P0")
    assert city and "P0-C0" in city and listed_under(entries, "P0-C0") is None  # the city is a page, not a section
    assert "regions/p0-c0/index.md" in nav_pages(entries) and "regions/p0-c0-d0.md" not in nav_pages(entries)
    assert region_count(nav(small, 10**6)) == 245  # every place when the budget allows


def test_a_long_list_of_articles_or_topics_is_left_to_its_index_page():
    corpus = real_corpus()
    entries = nav(corpus, budget=len(corpus.articles) - 1)
    assert listed_under(entries, "Sources") == [] and "sources/index.md" in nav_pages(entries)


def test_pages_left_out_of_the_nav_build_in_strict_mode_and_link_from_their_parent(repo):
    """A budget that leaves the districts out: MkDocs does not report them missing from the nav (strict build), their
    pages exist, and the parent's page links them; the sidebar of a page no longer lists them."""
    yml = repo / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("coverage_target: 95", "coverage_target: 95\n      nav_budget: 30"),
                   encoding="utf-8")
    proc = run_cli("build", "--strict", root=repo)
    assert proc.returncode == 0, proc.stderr
    assert "not included in the \"nav\"" not in proc.stderr
    site = repo / "site"
    assert (site / "regions/tongzhou/index.html").exists()
    beijing = (site / "regions/beijing/index.html").read_text(encoding="utf-8")
    sidebar = beijing[beijing.index('md-nav--primary'):beijing.index('</nav>', beijing.index('md-nav--primary'))]
    assert "Tongzhou" not in sidebar
    sub = re.search(r'<ul class="sub-regions".*?</ul>', beijing, re.S).group(0)
    assert 'href="../../regions/tongzhou/"' in sub

    # the navigation of the pages left out is rendered once per folder (plugin/navcache.py): the same HTML as
    # Material's own partial gives each page, which a build without the override shows
    (repo / "overrides/partials/nav.html").unlink()
    proc = run_cli("build", "--strict", "--site-dir", str(repo / "plain"), root=repo)
    assert proc.returncode == 0, proc.stderr
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 90
    for page in pages:
        cached, plain = (p.read_text(encoding="utf-8") for p in (page, repo / "plain" / page.relative_to(site)))
        assert cached == plain, page


class _Page:
    def __init__(self, src: str, url: str):
        self.file, self.url = type("F", (), {"src_uri": src})(), url


def test_pages_outside_the_nav_share_their_folders_navigation():
    from briefing.plugin.navcache import NavCache
    cache = NavCache()
    listed = [_Page("index.md", ""), _Page("regions/index.md", "regions/"), _Page("regions/hebei.md", "regions/hebei/"),
              _Page("regions/hebei/index.md", "regions/hebei/"), _Page("sources/index.md", "sources/")]
    cache.reset(type("Nav", (), {"pages": listed})())
    a, b = _Page("regions/a.md", "regions/a/"), _Page("regions/b.md", "regions/b/")
    assert cache.key(a) == cache.key(b) == ("regions",)
    assert cache.key(_Page("sources/x.md", "sources/x/")) == ("sources",) != cache.key(a)
    assert cache.key(_Page("regions/hebei/c.md", "regions/hebei/c/")) == ("regions", "hebei")
    assert cache.key(_Page("x.md", "other/x.html")) == ()  # a file name: its links start from other/
    assert cache.key(_Page("x.md", "regions/x.html")) is None  # ... from regions/, which holds pages of the nav
    assert cache.key(listed[2]) is None  # in the navigation: its item is active
    assert cache.key(_Page("hebei-old.md", "regions/hebei/")) is None  # its folder holds pages the nav links to
    assert cache.key(None) is None
    # kept as the layout around a page's article is written: each run of blanks with a line break made one line break
    assert cache.put(cache.key(a), "<nav>\n    \n  <a>a</a>  \n\n</nav>") == "<nav>\n<a>a</a>\n</nav>"
    assert cache.get(cache.key(b)) == "<nav>\n<a>a</a>\n</nav>" and cache.get(None) is None
    assert cache.put(None, "<nav>\n  x</nav>") == "<nav>\n  x</nav>"  # rendered for one page: as it is
    from markupsafe import Markup
    assert type(cache.put(cache.key(a), Markup("<nav>\n  x</nav>"))) is Markup  # not escaped when printed
    cache.reset(type("Nav", (), {"pages": listed})())
    assert cache.get(cache.key(b)) is None  # a new build forgets the last one's HTML


def test_a_text_fragment_encodes_as_urllib_does_with_the_hyphen_too():
    """urls.fragment_quote: the table for ASCII text gives quote(text, safe="") with "-" as %2D, character for
    character (every ASCII character, and text with Chinese and accented letters through urllib)."""
    from urllib.parse import quote

    from briefing.urls import fragment_quote, text_fragment
    every_ascii = "".join(map(chr, range(128)))
    for text in (every_ascii, "Xiong'an New Area, 2,300-km2 (35%) & more~_.", "雄安新区 Xiong'an-1", "café – naïve"):
        assert fragment_quote(text) == quote(text, safe="").replace("-", "%2D"), text
    assert text_fragment("one two-three, four") == ":~:text=one%20two%2Dthree%2C%20four"
    assert text_fragment(" ".join(f"w{i}" for i in range(12))) == ":~:text=w0%20w1%20w2%20w3%20w4,w7%20w8%20w9%20w10%20w11"
