"""Split an article's paragraphs at citation boundaries so each cited passage can be highlighted."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from .corpus import Article, Cited
from .textmatch import Paragraph


@dataclass
class Segment:
    text: str
    cites: list[Cited]  # citations covering this piece; empty for plain text
    starts: list[Cited]  # citations whose quote starts here (they get the anchors)


@dataclass
class CitedParagraph:
    paragraph: Paragraph
    segments: list[Segment]
    cited_by: list[Cited]


def paragraphs(article: Article) -> list[CitedParagraph]:
    by_para: dict[int, list[Cited]] = {}
    paras = article.text.paragraphs
    starts = [p.start for p in paras]
    for c in article.cited:
        # a quote may run over several paragraphs: each gets its piece (from the one it starts in, found by bisect)
        i = max(0, bisect.bisect_right(starts, c.start) - 1)
        while i < len(paras) and paras[i].start < c.end:
            if c.start < paras[i].end:
                by_para.setdefault(paras[i].number, []).append(c)
            i += 1
    out = []
    for p in article.text.paragraphs:
        cites = sorted(by_para.get(p.number, []), key=lambda c: (c.start, c.fact.id, c.number))
        cuts = sorted({p.start, p.end} | {max(p.start, min(p.end, x)) for c in cites for x in (c.start, c.end)})
        segments = []
        for a, b in zip(cuts, cuts[1:]):
            covering = [c for c in cites if c.start < b and a < c.end]
            starts = [c for c in covering if max(c.start, p.start) == a]
            segments.append(Segment(article.text.text[a:b], covering, starts))
        unique = list({(c.fact.id, c.number): c for c in cites}.values())
        out.append(CitedParagraph(p, segments, unique))
    return out
