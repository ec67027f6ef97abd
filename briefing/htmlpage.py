"""Pages the templates write in HTML (`templates/*.html.j2`): what a site engine would otherwise get from Markdown.

The big pages (a region's briefing, a source's text, a topic, the timeline) are HTML the templates have already
escaped and linked; converting them as Markdown only passed them through, at about a millisecond per block of HTML
(12 s of a build at 100 times the corpus). The plugin hands MkDocs an empty Markdown page, gives it what Markdown
would have found in the HTML (its outline, read here), and puts the HTML in when MkDocs writes the page (MkDocs
holds every page's content until it writes the last one: 400 MB of str at 100x, which stays in the engine's UTF-8):

- the table of contents: the headings with a permalink (the `heading` macro of templates/_macros.j2 writes them as
  Markdown's `toc` extension does), down to the configured depth, with the names `toc` would give them;
- the title: the text of the page's first heading when it is an h1 (what MkDocs takes from a rendered page);
- the anchors: every element id, for MkDocs' check of links to anchors.

The engine writes such a page as it goes into the site (`body`, in its rendering processes), without the blank lines
the templates leave (no template writes a <pre> or other element whose whitespace shows). The macros shared with
Markdown pages mark their blocks of HTML for Markdown to skip (rawhtml.py); on such a page they write no marker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown.extensions.toc import nest_toc_tokens, strip_tags


_PERMALINK = '<a class="headerlink" href="#{}" title="Permanent link">&para;</a>'
PLACEHOLDER = re.compile(r"<!--briefing:html-page( <h1>)?-->")  # the page's content until it is written (plugin)
# an element's id: the templates escape every quote of a text or an attribute value, so ` id="` starts an attribute
_ID = re.compile(r'id="([^"]+)"')
_HEADING_TAG = re.compile(r"<h([1-6])[\s>]")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")  # the templates' blank lines (no <pre> in them: see the module doc)


@dataclass(frozen=True)
class Outline:
    toc: list = field(default_factory=list)  # nested tokens, as Markdown's toc extension makes them
    title: str | None = None
    anchors: frozenset = frozenset()
    h1: bool = False  # the page has an h1

    def placeholder(self) -> str:
        """What stands for the page's HTML until it is written; it holds "<h1" when the page does (a theme may look
        for one: Material adds the page's title as an h1 to a page without)."""
        return f"<!--briefing:html-page{' <h1>' if self.h1 else ''}-->"


def body(text: str) -> str:
    """The HTML of a page the template wrote, without the blank lines it leaves. (It holds no `<!--raw-->` markers:
    on a page written in HTML, View.raw_start and raw_end write the lines around a block without them.)"""
    return _BLANK_LINES.sub("\n", text).strip() + "\n"


def element_ids(html: str) -> list[re.Match]:
    """Each id attribute of the page (`id="…"` after whitespace), found by its text: a pattern starting with the
    whitespace was tried at every space of the page, four times slower (a second of a build at 100x)."""
    return [m for m in _ID.finditer(html) if html[m.start() - 1:m.start()].isspace()]


def headings(html: str, ids: list):
    """(level, id, inner HTML, start) of each heading with an id, from the page's ids (element_ids): the tag
    an id is in starts at the last "<" before it. One pass over the page finds both (two patterns took 1 s at 100x)."""
    for m in ids:
        start = html.rfind("<", 0, m.start())
        tag = _HEADING_TAG.match(html, start)
        if tag and html.find(">", start, m.start()) < 0:  # the id is in that tag, which is a heading's
            level = tag.group(1)
            open_end = html.find(">", m.end())
            close = html.find(f"</h{level}>", open_end)
            if open_end >= 0 and close >= 0:
                yield int(level), m.group(1), html[open_end + 1:close], start


def outline(html: str, toc_depth: int = 6) -> Outline:
    """A page's table of contents (headings h1 to h`toc_depth`), title and anchors."""
    tokens, title = [], None
    ids = element_ids(html)
    for level, anchor, inner, start in headings(html, ids):
        permalink = _PERMALINK.format(anchor)
        if not inner.endswith(permalink):
            continue  # not in the table of contents (see the `heading` macro)
        inner = inner[:-len(permalink)]
        if title is None and not tokens and level == 1 and not html[:start].strip():
            title = strip_tags(inner)
        if level <= toc_depth:
            tokens.append({"level": level, "id": anchor, "name": strip_tags(inner), "html": inner,
                           "data-toc-label": ""})
    return Outline(nest_toc_tokens(tokens), title, frozenset(m.group(1) for m in ids), "<h1" in html)
