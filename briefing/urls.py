"""Where each generated page lives, the anchors inside pages, and relative links between pages (directory URLs).
Templates get these through render.View; nothing else spells a page path or an anchor."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote


@lru_cache(maxsize=1 << 16)  # every link asks for the URL of its page and of its target
def page_url(src: str) -> str:
    """'regions/beijing/index.md' -> 'regions/beijing/'; 'figures.md' -> 'figures/'; 'index.md' -> ''."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-5]
        return stem
    return stem + "/"


def relative(from_src: str, to_src: str, anchor: str = "") -> str:
    """Link from the page built from `from_src` to `to_src` (a page or an asset): up to the site root, then down.
    Not the shortest path, but the same string from every page at one depth, so a snippet of HTML with links can be
    rendered once per depth and shared by all the pages at that depth (see render.View.once)."""
    link = "../" * page_url(from_src).count("/") + page_url(to_src)
    if anchor:
        return link + "#" + anchor
    return link or "./"


@lru_cache(maxsize=1 << 16)
def text_fragment(passage: str, words: int = 5) -> str:
    """`:~:text=` directive for a passage: the whole text when short, else its first and last words."""
    enc = lambda s: quote(s, safe="")  # '-', ',' and '&' must be percent-encoded inside the directive  # noqa: E731
    parts = passage.split()
    if len(parts) <= 2 * words:
        return ":~:text=" + enc(" ".join(parts)).replace("-", "%2D")
    start, end = " ".join(parts[:words]), " ".join(parts[-words:])
    return ":~:text=" + enc(start).replace("-", "%2D") + "," + enc(end).replace("-", "%2D")


def region_src(rid: str, has_children: bool) -> str:
    return f"regions/{rid}/index.md" if has_children else f"regions/{rid}.md"


def region_page_src(corpus, rid: str) -> str:
    """The region's page in this corpus (a folder page when it has sub-regions)."""
    return region_src(rid, bool(corpus.children(rid)))


def topic_src(tid: str) -> str:
    return f"topics/{tid}.md"


def source_src(sid: str) -> str:
    return f"sources/{sid}.md"


def fact_anchor(fid: str) -> str:
    return f"fact-{fid}"


def cite_anchor(fid: str, number: int) -> str:
    return f"cite-{fid}-{number}"


def paragraph_anchor(number: int) -> str:
    """A paragraph of an article's text, on its source page."""
    return f"p-{number}"


def term_anchor(tid: str) -> str:
    """A term on the glossary page."""
    return f"term-{tid}"


def from_anchor(rid: str) -> str:
    """A sub-region's list of facts on its parent's page."""
    return f"from-{rid}"
