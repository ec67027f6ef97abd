"""Where each generated page lives, and relative links between pages (MkDocs directory URLs)."""
from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import quote


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
    """Link from the page built from `from_src` to `to_src` (a page or an asset), as the browser resolves it."""
    link = _relative(from_src, to_src)
    if not anchor:
        return link
    return ("" if link == "./" else link) + "#" + anchor


@lru_cache(maxsize=1 << 16)  # pages link to the same few targets thousands of times (with many anchors)
def _relative(from_src: str, to_src: str) -> str:
    base = page_url(from_src) or "."
    target = page_url(to_src) or "."
    link = posixpath.relpath(target, base if base.endswith("/") or base == "." else posixpath.dirname(base))
    if to_src.endswith(".md") and not link.endswith("/"):
        link += "/"
    return link


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


def topic_src(tid: str) -> str:
    return f"topics/{tid}.md"


def source_src(sid: str) -> str:
    return f"sources/{sid}.md"


def fact_anchor(fid: str) -> str:
    return f"fact-{fid}"


def cite_anchor(fid: str, number: int) -> str:
    return f"cite-{fid}-{number}"
