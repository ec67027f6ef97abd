"""Resolve: each citation located in its article (a quote must be verbatim), then each article's numeric coverage:
the numbers of its text that a reviewed fact's quote covers.

With a memo (a dict kept between runs: serve), a fact whose record and cited articles are the very objects of the
last run keeps its located citations, and an article whose text and covering spans are unchanged keeps its
coverage: an edit locates only the edited facts' quotes."""
from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections import defaultdict

from .corpus import Article, Cited, Coverage, Records
from .diagnostics import Diagnostic, Report, error
from .drafts import is_draft
from .suggest import did_you_mean
from .textmatch import QuoteFinder, first_difference


def locate(records: Records, fact, finders: dict | None = None) -> tuple[tuple[Cited, ...], list[Diagnostic]]:
    """One fact's citations, located in their articles, and the problems of those that cannot be. `finders`: the
    QuoteFinder of the long articles of records (by id), for a run that locates many quotes; the others are read
    from their start (SourceText.find)."""
    out, problems = [], []
    fid = fact.id
    for i, c in enumerate(fact.citations):
        article = records.articles.get(c.source)
        if article is None:
            span = None
        elif finders and c.source in finders:
            span = finders[c.source].find(c.quote)
        else:
            span = article.text.find(c.quote)
        if span is not None:  # made whole at once: dataclasses.replace costs three times a plain construction
            out.append(Cited(fact, i + 1, c.source, c.quote, span[0], span[1], article.text.paragraph_at(span[0])))
            continue
        out.append(Cited(fact, i + 1, c.source, c.quote))
        if article is None:
            problems.append(error(records.mark("facts", fid, "citations", i, "source"),
                                  f"cites source '{c.source}', which does not exist{did_you_mean(c.source, records.articles)} "
                                  "(articles live in facts/sources/)"))
        else:
            ratio, para, passage = article.text.closest(c.quote)
            k = first_difference(c.quote, passage)
            problems.append(error(records.mark("facts", fid, "citations", i, "quote"),
                                  f"quote not found verbatim in {c.source}; closest passage (paragraph {para.number}, "
                                  f"{ratio:.0%} alike, first difference at character {k + 1}): \"{passage}\""))
    return tuple(out), problems


def resolve(records: Records, report: Report, memo: dict | None = None) -> Records:
    """Each fact's citations located (Records.cited), each article's citations and coverage. `memo` (serve: kept
    between runs, see the module): what the last run located and counted; without one, nothing is kept for a next run
    (a build: remembering 30,000 facts' outcomes was a tenth of resolving them at 100 times the corpus)."""
    articles = records.articles
    # this run's QuoteFinder of each long article: one quoted thousands of times is not read from its start as often
    finders = {sid: QuoteFinder(a.text) for sid, a in articles.items() if QuoteFinder.worth(a.text)}
    if memo is None:
        memo, cited = {}, {fid: locate(records, fact, finders) for fid, fact in records.facts.items()}
    else:
        cited = _located(records, memo, finders)
    located = defaultdict(list)
    for fid, (entries, problems) in cited.items():  # each value replaced by its citations as it is read
        if problems:
            report.items.extend(problems)
        for entry in entries:
            if entry.start >= 0:
                located[entry.source].append(entry)
        cited[fid] = entries
    last_cov, cov = memo.get("coverage", {}), {}
    new = {}
    for sid, a in articles.items():
        mine = located[sid]
        spans = tuple(sorted((c.start, c.end) for c in mine if not is_draft(c.fact)))  # reviewed facts only
        hit = last_cov.get(sid)
        if hit is None or hit[0] is not a.text or hit[1] != spans:
            hit = (a.text, spans, coverage(a, spans))
        cov[sid] = hit
        new[sid] = dataclasses.replace(a, cited=tuple(mine), coverage=hit[2])
    memo["coverage"] = cov
    return records.replace(articles=new, cited=cited)


def _located(records: Records, memo: dict, finders: dict) -> dict:
    """Fact id -> (its located citations, their problems), as `locate` gives them; a fact whose record and cited
    articles are the very objects of the last run (memo) keeps what it had."""
    articles = records.articles
    ids = tuple(articles)  # a missing source's message suggests another id
    last = memo.get("facts", {}) if memo.get("ids") == ids else {}
    every_text = tuple(a.text for a in articles.values())  # SourceText compares by identity
    same_texts = memo.get("texts") == every_text  # then a fact's own texts need no comparing
    kept, out = {}, {}
    for fid, fact in records.facts.items():
        hit = last.get(fid)
        if hit is None or hit[0] is not fact or not same_texts:
            texts = tuple(a.text if (a := articles.get(c.source)) else None for c in fact.citations)
            if hit is None or hit[0] is not fact or hit[1] != texts:
                hit = (fact, texts, *locate(records, fact, finders))
        kept[fid] = hit
        out[fid] = hit[2:]
    memo["ids"], memo["texts"], memo["facts"] = ids, every_text, kept
    return out


def coverage(article: Article, spans) -> Coverage:
    """The article's numbers (outside boilerplate) and which of them the spans (start, end) of reviewed facts'
    quotes cover; `spans` sorted."""
    # A number is covered when a span starting at or before it reaches its end: the furthest end of the spans
    # starting up to there answers it (one bisect, not a scan of every span).
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))
    text = article.text
    found = text.numbers  # numbers.digit_numbers' numbers, outside boilerplate: their spans are enough here
    covered, missing = 0, []
    for start, end in zip(found[::2], found[1::2]):
        k = bisect.bisect_right(starts, start)
        if k and reach[k - 1] >= end:
            covered += 1
        else:
            missing.append((text.text[start:end], text.paragraph_at(start).number))
    return Coverage(len(found) // 2, covered, tuple(missing))
