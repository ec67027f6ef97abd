"""HTML the engine has already written, kept out of Markdown's way.

A generated page is Markdown (headings, tables, links, which give MkDocs its table of contents and anchors) around
large blocks of HTML the templates have already escaped and linked. Python-Markdown parses every HTML block twice
(its raw-HTML extractor, then MkDocs' anchor collector) only to pass it through unchanged; at 10x the corpus that was
half of the MkDocs build. A block the templates wrap in `<!--raw-->` ... `<!--/raw-->` (View.raw_start, raw_end) is swapped
for a placeholder before Markdown runs and put back after: plain blocks before the search plugin indexes the page,
`<!--raw:late-->` blocks (the ones the search excludes anyway) after it, so it does not parse them either.
The markers are HTML comments: without this hook (plain `mkdocs build`), the page builds the same, only slower.
"""
from __future__ import annotations

import re
from typing import Callable

BLOCK = re.compile(r"^<!--raw(:late)?-->\n(.*?)\n<!--/raw-->$", re.S | re.M)  # blocks never contain "<!--": escaped
MARKERS = ("<!--raw-->\n", "<!--raw:late-->\n", "\n<!--/raw-->")  # what BLOCK takes away around a block
PLACEHOLDER = re.compile(r"<!--stash:(\d+)-->")


def _without_markers(text: str) -> str:
    for marker in MARKERS:
        text = text.replace(marker, "")
    return text


# What the templates write before and after a block (View.raw_start, View.raw_end), the markers on lines of their own;
# and on a page written in HTML (htmlpage.py), which no Markdown reads, the same lines without them: what taking the
# markers out of the page would leave (htmlpage.body), without copying the page to take them out.
START = {False: "\n<!--raw-->\n", True: "\n<!--raw:late-->\n"}  # by `late`
END = "\n<!--/raw-->\n\n"
START_IN_HTML = {late: _without_markers(text) for late, text in START.items()}
END_IN_HTML = _without_markers(END)


def stash(markdown: str) -> tuple[str, list[tuple[bool, str]]]:
    """The Markdown with each raw block replaced by a placeholder, and the blocks as (late?, html)."""
    blocks: list[tuple[bool, str]] = []

    def keep(m: re.Match) -> str:
        blocks.append((bool(m.group(1)), m.group(2)))
        return f"\n<!--stash:{len(blocks) - 1}-->\n"

    markdown = BLOCK.sub(keep, markdown)
    if "<!--raw" in markdown or "<!--/raw-->" in markdown or any("<!--" in html for _, html in blocks):
        raise ValueError("a raw block is not alone on its lines or holds another one: see View.raw_start in "
                         "briefing/render.py")
    return markdown, blocks


def restore(html: str, blocks: list[tuple[bool, str]], late: bool) -> str:
    """Put back the blocks of one kind (late or not) where their placeholders are."""
    if not blocks:
        return html
    return PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))][1] if blocks[int(m.group(1))][0] == late else m.group(0),
                           html)




def in_layout(html: str, change: Callable[[str], str]) -> str:
    """The page with `change` made to the theme's layout around its <article> (header, navigation, table of contents,
    footer) and not to the article, which is the engine's (or the whole page, when it has no article)."""
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < start:
        return change(html)
    return change(html[:start]) + html[start:end] + change(html[end:])


def squeeze_chrome(html: str) -> str:
    """The page with the theme's layout around its <article> rid of the indentation and blank lines its Jinja
    templates leave: about 13 kB a page, a tenth of the site at 100x. Each such run of whitespace becomes one line
    break, which a browser renders exactly as it did the run (the theme's layout holds no <pre>, <textarea> or
    white-space rule that keeps them). The article is left alone: it may hold preformatted text."""
    return in_layout(html, one_line_break)


_BLANK = " \t\r"


def one_line_break(text: str) -> str:
    """Each run of spaces, tabs, CRs and line breaks that holds a line break, made one line break: what
    re.sub(r"[ \t\r\n]*\n[ \t\r\n]*", "\n", text) does (tests/test_rawhtml.py), twice as fast (the pattern can start
    anywhere, so the regex engine tried it at every character: 0.4 ms a page)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    first, last = lines[0].rstrip(_BLANK), lines[-1].lstrip(_BLANK)
    out = "\n".join(filter(None, [first, *(line.strip(_BLANK) for line in lines[1:-1]), last]))
    if not out:
        return "\n"
    return ("" if first else "\n") + out + ("" if last else "\n")
