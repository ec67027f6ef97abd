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
    parts = passage.split()
    if len(parts) <= 2 * words:
        return ":~:text=" + fragment_quote(" ".join(parts))
    return ":~:text=" + fragment_quote(" ".join(parts[:words])) + "," + fragment_quote(" ".join(parts[-words:]))


# What stays as it is in a text directive: letters, digits, "_", "." and "~" (urllib's always-safe characters but
# "-", which, like "," and "&", must be percent-encoded inside the directive); every other ASCII character as %XX
_FRAGMENT_ASCII = {c: chr(c) if chr(c).isalnum() or chr(c) in "_.~" else f"%{c:02X}" for c in range(128)}


def fragment_quote(text: str) -> str:
    """`quote(text, safe="")` with "-" encoded too. ASCII text (most passages) by one table look-up a character, in C:
    urllib's quote is a Python loop over the bytes (a tenth of the rendering of a region's page at 100x)."""
    if text.isascii():
        return text.translate(_FRAGMENT_ASCII)
    return quote(text, safe="").replace("-", "%2D")


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
