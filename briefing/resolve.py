"""Resolve: each citation located in its article (a quote must be verbatim), then each article's numeric coverage:
the numbers of its text that a reviewed fact's quote covers."""
from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections import defaultdict

from .corpus import Article, Cited, Coverage, Records
from .diagnostics import Report
from .drafts import is_draft
from .numbers import digit_numbers
from .suggest import did_you_mean
from .textmatch import first_difference


def resolve(records: Records, report: Report) -> Records:
    cited, located = {}, defaultdict(list)
    for fid, fact in records.facts.items():
        out = []
        for i, c in enumerate(fact.citations):
            entry = Cited(fact, i + 1, c.source, c.quote)
            article = records.articles.get(c.source)
            if article is None:
                report.error(records.mark("facts", fid, "citations", i, "source"),
                             f"cites source '{c.source}', which does not exist{did_you_mean(c.source, records.articles)} "
                             "(articles live in facts/sources/)")
            elif (span := article.text.find(c.quote)) is None:
                ratio, para, passage = article.text.closest(c.quote)
                k = first_difference(c.quote, passage)
                report.error(records.mark("facts", fid, "citations", i, "quote"),
                             f"quote not found verbatim in {c.source}; closest passage (paragraph {para.number}, "
                             f"{ratio:.0%} alike, first difference at character {k + 1}): \"{passage}\"")
            else:
                entry = dataclasses.replace(entry, start=span[0], end=span[1], paragraph=article.text.paragraph_at(span[0]))
                located[c.source].append(entry)
            out.append(entry)
        cited[fid] = tuple(out)
    articles = {sid: dataclasses.replace(a, cited=tuple(located[sid]), coverage=coverage(a, located[sid]))
                for sid, a in records.articles.items()}
    return records.replace(articles=articles, cited=cited)


def coverage(article: Article, cited: list[Cited]) -> Coverage:
    """The article's numbers (outside boilerplate) and which of them a reviewed fact's quote covers."""
    spans = sorted((c.start, c.end) for c in cited if not is_draft(c.fact))  # reviewed facts only
    # A number is covered when a span starting at or before it reaches its end: the furthest end of the spans
    # starting up to there answers it (one bisect, not a scan of every span).
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))
    numbers, covered, missing = 0, 0, []
    for para in article.text.paragraphs:
        if para.boilerplate:
            continue
        for n in digit_numbers(para.text):
            start, end = para.start + n.start, para.start + n.end
            numbers += 1
            k = bisect.bisect_right(starts, start)
            if k and reach[k - 1] >= end:
                covered += 1
            else:
                missing.append((n.text, para.number))
    return Coverage(numbers, covered, tuple(missing))
