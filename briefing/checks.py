"""Checks that make every sentence trustworthy: references, quotes, figures, arithmetic, corroboration, coverage."""
from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections import defaultdict
from pathlib import Path

from .corpus import Cited, Corpus, Finding, build_corpus
from .diagnostics import Report
from .drafts import is_draft, leave_out
from .loader import gc_paused
from .numbers import all_numbers, digit_numbers, format_value, qualifier_cue, same, unit_scale
from .textmatch import first_difference, normalise

COVERAGE_TARGET = 95.0


def load(root: Path, drafts: bool = False) -> tuple[Corpus, Report]:
    """load -> validate: the whole corpus with every problem found in one run; without the drafts (drafts.py) when
    `drafts` is False (what `build` publishes)."""
    with gc_paused():  # the whole load, checks included: see gc_paused
        return _load(root, Report(), drafts)


def _load(root: Path, report: Report, drafts: bool) -> tuple[Corpus, Report]:
    corpus = build_corpus(root, report)
    check_regions(corpus, report)
    check_facts(corpus, report)
    check_relative_dates(corpus, report)
    check_arithmetic(corpus, report)
    check_corroboration(corpus, report)
    check_coverage(corpus, report)
    check_charts(corpus, report)
    check_drafts(corpus, report)
    if not drafts:
        leave_out(corpus)
    corpus.finalise()
    return corpus, report


def _suggest(value: str, valid) -> str:
    hint = difflib.get_close_matches(value, list(valid), n=1, cutoff=0.6)
    return f": did you mean '{hint[0]}'?" if hint else ""


def check_regions(corpus: Corpus, report: Report) -> None:
    for rid, region in corpus.regions.items():
        node = corpus.where[("regions", rid)][1]
        if region.parent and region.parent not in corpus.regions:
            report.error(node.mark("parent"), f"parent region '{region.parent}' does not exist{_suggest(region.parent, corpus.regions)}")
    check_aliases(corpus, report)
    for rid in corpus.regions:  # walk up from each region; a repeat is a cycle
        seen, cur = [rid], corpus.regions[rid].parent
        while cur in corpus.regions and cur not in seen:
            seen.append(cur)
            cur = corpus.regions[cur].parent
        if cur == rid:
            node = corpus.where[("regions", rid)][1]
            report.error(node.mark("parent"), f"region hierarchy has a cycle: {' -> '.join(seen + [rid])}; one of these parents is wrong")


def check_aliases(corpus: Corpus, report: Report) -> None:
    """A name or alias of one region may not be the name or an alias of another (case-insensitively): search and the
    place gazetteer would send the reader, or a draft, to the wrong place (repeats within one region, in other
    cases, are harmless).
    (A YAML flow list splits an unquoted "Beijing, Tianjin and Hebei" into two aliases: this check catches it.)"""
    first = {}  # lower-cased spelling -> (region id, its mark)
    for rid, region in corpus.regions.items():
        node = corpus.where[("regions", rid)][1]
        spellings = [(region.name, node.mark("name"))] + [(a, node.mark("aliases", j)) for j, a in enumerate(region.aliases)]
        for spelling, mark in spellings:
            other = first.setdefault(spelling.lower(), (rid, mark))
            if other[0] != rid:
                report.error(mark, f"'{spelling}' names region '{rid}' here and region '{other[0]}' at "
                                   f"{other[1].path}:{other[1].line}: a name or alias belongs to one region; "
                                   f"remove or change one of them")


def check_facts(corpus: Corpus, report: Report) -> None:
    """Cross-references, quotes and figures of every fact."""
    for fid, fact in corpus.facts.items():
        node = corpus.where[("facts", fid)][1]
        for i, r in enumerate(fact.regions):
            if r not in corpus.regions:
                report.error(node.mark("regions", i), f"unknown region '{r}'{_suggest(r, corpus.regions)} (regions live in facts/regions/)")
        for i, t in enumerate(fact.topics):
            if t not in corpus.topics:
                report.error(node.mark("topics", i), f"unknown topic '{t}'{_suggest(t, corpus.topics)} (topics live in facts/topics/)")
        cited = []
        for i, c in enumerate(fact.citations):
            article = corpus.articles.get(c.source)
            entry = Cited(fact, i + 1, c.source, c.quote)
            cited.append(entry)
            if article is None:
                report.error(node.mark("citations", i, "source"),
                             f"cites source '{c.source}', which does not exist{_suggest(c.source, corpus.articles)} (articles live in facts/sources/)")
                continue
            span = article.text.find(c.quote)
            if span is None:
                ratio, para, passage = article.text.closest(c.quote)
                k = first_difference(c.quote, passage)
                report.error(node.mark("citations", i, "quote"),
                             f"quote not found verbatim in {c.source}; closest passage (paragraph {para.number}, {ratio:.0%} alike, "
                             f"first difference at character {k + 1}): \"{passage}\"")
                continue
            entry.start, entry.end = span
            entry.paragraph = article.text.paragraph_at(span[0])
            article.cited.append(entry)
        corpus.cited[fid] = cited
        quotes = " ".join(c.quote for c in fact.citations)
        text = normalise(quotes)
        numbers = all_numbers(text)
        for i, fig in enumerate(fact.figures):
            matches = [n for n in numbers if same(n.value, fig.value)]
            scale = unit_scale(fig.unit)
            if not matches:
                report.error(node.mark("figures", i, "value"),
                             f"figure value {format_value(fig.value)} does not appear in the fact's quotes; "
                             f"numbers there: {', '.join(sorted({n.text for n in numbers})) or 'none'}")
            elif scale and not any(n.scale == scale for n in matches):
                report.error(node.mark("figures", i, "unit"),
                             f"unit '{fig.unit}' says {scale}, but the quote writes {format_value(fig.value)} "
                             f"{matches[0].scale or 'without a scale word'}")
            if matches and (problem := qualifier_problem(fig, [qualifier_cue(text, n) for n in matches])):
                report.warning(node.mark("figures", i), problem)


def qualifier_problem(fig, cues: list) -> str | None:
    """House rule 3: "more than 85%" in the quote -> `qualifier: more than` (cues: numbers.QUALIFIER_CUES). A figure whose
    number stands in the quote several times is fine when one of them fits."""
    said = [cue for cue in cues if cue]
    if not said or fig.qualifier in {q for q, _ in said} or (fig.qualifier is None and None in cues):
        return None
    qualifier, words = said[0]
    has = f"has qualifier '{fig.qualifier}'" if fig.qualifier else "has no qualifier"
    return (f"the quote says '{words} {format_value(fig.value)}' but the figure {has}: "
            f"add `qualifier: {qualifier}` to it (house rule 3)")


# House rule 1, as far as a machine can tell: a result quoted as "this year" or "at present" in an article published
# before December is not a figure for the whole year.
YEAR_TO_DATE = re.compile(r"\b(?:(?:so far |since the beginning of |since )?this year|year to date)\b", re.I)
AT_PRESENT = re.compile(r"\b(?:at present|up to now|so far|to date|as of now|currently)\b", re.I)


def check_relative_dates(corpus: Corpus, report: Report) -> None:
    for fid, fact in corpus.facts.items():
        article = corpus.articles.get(fact.citations[0].source)
        published = article.meta.published if article else None
        if fact.kind.value != "result" or not fact.figures or not published or fact.date != published[:4]:
            continue
        year, month = published[:4], published[5:7]
        if month == "12":
            continue
        quotes = " ".join(c.quote for c in fact.citations)
        if said := YEAR_TO_DATE.search(quotes):
            better = f"{year}-01/{year}-{month}"
        elif said := AT_PRESENT.search(quotes):
            better = f"{year}-{month}"
        else:
            continue
        report.warning(corpus.where[("facts", fid)][1].mark("date"),
                       f"the quote says '{said.group(0)}' in an article of {published[:7]}, but the date is the whole "
                       f"year {year}: write `date: {better}` (house rule 1)")


_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion))?"
_GAP = r"(?:[^.;]|\.(?=\d))*?"  # within one sentence; decimal points do not end it
SHARE_PATTERNS = [
    # "11.056 billion yuan, or 45 percent, of 5.014 billion yuan"
    re.compile(rf"(?P<a>{_NUM}){_SCALE}[^,.;]{{0,40}}?,?\s+or\s+(?P<p>{_NUM})\s*(?:%|percent),?\s+of\s+(?:the\s+)?(?:total\s+)?(?:of\s+)?(?P<b>{_NUM})"),
    # "49 of the 130 funded projects ..., accounting for 38%"
    re.compile(rf"(?P<a>{_NUM}) of (?:the |all )?(?P<b>{_NUM})\b{_GAP},?\s*(?:accounting for|representing|or) (?P<p>{_NUM})\s*(?:%|percent)"),
    # "A total of 210 projects were signed, ..., 72 of which ..., accounting for 34.29%"
    re.compile(rf"(?P<b>{_NUM})\b{_GAP},\s*(?P<a>{_NUM}) of (?:which|them)\b{_GAP}(?:accounting for|representing) (?P<p>{_NUM})\s*(?:%|percent)"),
]


def shares(quote: str) -> list[tuple[float, float, float, str]]:
    """(part, whole, stated percent, matched text) for each share a quote states."""
    text, out = normalise(quote), []
    if "%" not in text and "percent" not in text:  # every pattern ends with a percentage
        return out
    for pattern in SHARE_PATTERNS:
        for m in pattern.finditer(text):
            num = lambda g: float(re.match(_NUM, m.group(g)).group(0).replace(",", ""))  # noqa: E731
            out.append((num("a"), num("b"), num("p"), m.group(0)))
    return out


def check_arithmetic(corpus: Corpus, report: Report) -> None:
    """A stated share that its own parts contradict is a warning: the source says so, we show it."""
    for fid, fact in corpus.facts.items():
        node = corpus.where[("facts", fid)][1]
        for i, c in enumerate(fact.citations):
            for part, whole, stated, text in shares(c.quote):
                decimals = len(str(stated).split(".")[1]) if "." in str(stated) and not float(stated).is_integer() else 0
                actual = 100.0 * part / whole if whole else float("inf")
                if abs(actual - stated) > 10 ** -decimals:
                    message = (f"arithmetic: the source states {format_value(stated)}% for {format_value(part)} of "
                               f"{format_value(whole)}, which is {actual:.{max(decimals, 1)}f}% (\"{text}\")")
                    if not fact.quality:  # a `quality` note acknowledges it: shown, no longer warned about
                        report.warning(node.mark("citations", i, "quote"), message + "; record it in the fact's `quality` note")
                    corpus.findings.append(Finding("arithmetic", (fid,), message))
        if fact.quality:
            corpus.findings.append(Finding("quality", (fid,), fact.quality))


def check_corroboration(corpus: Corpus, report: Report) -> None:
    """Facts citing two articles corroborate themselves; figures sharing a metric and period corroborate or conflict."""
    for fid, fact in corpus.facts.items():
        sources = sorted({c.source for c in fact.citations})
        if len(sources) > 1:
            corpus.findings.append(Finding("corroboration", (fid,), f"stated by {len(sources)} articles: {', '.join(sources)}"))
    groups = defaultdict(list)
    for fid, fact in corpus.facts.items():
        if is_draft(fact):  # reviewed figures only: a draft's numbers are not vouched for yet
            continue
        for i, fig in enumerate(fact.figures):
            if fig.metric:
                groups[(fig.metric, fact.date)].append((fid, i, fig))
    for (metric, date), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        fids = tuple(sorted({fid for fid, _, _ in members}))
        if len(fids) < 2:
            continue
        values = sorted({fig.value for _, _, fig in members})
        when = f" for {date}" if date else ""
        if len(values) == 1:
            corpus.findings.append(Finding("corroboration", fids, f"{metric}{when}: {format_value(values[0])} in {len(fids)} facts"))
        else:
            shown = ", ".join(f"{format_value(fig.value)} {fig.unit} ({fid})" for fid, _, fig in members)
            message = f"conflict: {metric}{when} has different values: {shown}"
            corpus.findings.append(Finding("conflict", fids, message))
            for fid, i, _ in members:
                report.warning(corpus.where[("facts", fid)][1].mark("figures", i, "value"), message)


def check_coverage(corpus: Corpus, report: Report) -> None:
    """Numbers in each article that no quote covers."""
    for article in corpus.articles.values():
        spans = sorted((c.start, c.end) for c in article.cited if not is_draft(c.fact))  # reviewed facts only
        # A number is covered when a span starting at or before it reaches its end: the furthest end of the spans
        # starting up to there answers it (one bisect, not a scan of every span).
        starts = [s for s, _ in spans]
        reach = list(itertools.accumulate((e for _, e in spans), max))
        cov = article.coverage
        for para in article.text.paragraphs:
            if para.boilerplate:
                continue
            for n in digit_numbers(para.text):
                start, end = para.start + n.start, para.start + n.end
                cov.numbers += 1
                k = bisect.bisect_right(starts, start)
                if k and reach[k - 1] >= end:
                    cov.covered += 1
                else:
                    cov.missing.append((n.text, para.number))
        if cov.percent < COVERAGE_TARGET:
            shown = ", ".join(f"{t} (¶{p})" for t, p in cov.missing[:12]) + (" ..." if len(cov.missing) > 12 else "")
            report.warning(corpus.where[("sources", article.id)][1].mark("id"),
                           f"numeric coverage {cov.percent:.1f}% is below {COVERAGE_TARGET:.0f}%: no quote covers {shown}")


def check_charts(corpus: Corpus, report: Report) -> None:
    """Each bar is a figure of an existing fact, in the chart's one unit."""
    for cid, chart in corpus.charts.items():
        node = corpus.where[("charts", cid)][1]
        for i, bar in enumerate(chart.bars):
            fact = corpus.facts.get(bar.fact)
            if fact is None:
                report.error(node.mark("bars", i, "fact"), f"chart bar names fact '{bar.fact}', which does not exist{_suggest(bar.fact, corpus.facts)}")
                continue
            labels = [f.label for f in fact.figures]
            if bar.figure not in labels:
                report.error(node.mark("bars", i, "figure"),
                             f"fact '{bar.fact}' has no figure labelled '{bar.figure}'{_suggest(bar.figure, labels)}")
                continue
            unit = fact.figures[labels.index(bar.figure)].unit
            if unit != chart.unit:
                report.error(node.mark("bars", i, "figure"),
                             f"figure is in '{unit}' but the chart's axis is '{chart.unit}': one unit per chart")


def check_drafts(corpus: Corpus, report: Report) -> None:
    """A reviewed record may not lean on a draft: `build` leaves the draft out (see drafts.py)."""

    def leans(mark, what: str, kind: str, rid: str) -> None:
        at = corpus.where[(kind, rid)][1].mark("status")
        report.error(mark, f"{what} '{rid}' is a draft ({at.path}:{at.line}), which `build` leaves out: review it "
                           f"first (correct it and delete its `status: draft`) or change this reference")

    for fid, fact in corpus.facts.items():
        if is_draft(fact):
            continue
        for i, rid in enumerate(fact.regions):
            if rid in corpus.regions and is_draft(corpus.regions[rid]):
                leans(corpus.where[("facts", fid)][1].mark("regions", i), "region", "regions", rid)
    for rid, region in corpus.regions.items():
        if not is_draft(region) and region.parent in corpus.regions and is_draft(corpus.regions[region.parent]):
            leans(corpus.where[("regions", rid)][1].mark("parent"), "parent region", "regions", region.parent)
    for cid, chart in corpus.charts.items():
        for i, bar in enumerate(chart.bars):
            if bar.fact in corpus.facts and is_draft(corpus.facts[bar.fact]):
                leans(corpus.where[("charts", cid)][1].mark("bars", i, "fact"), "fact", "facts", bar.fact)
