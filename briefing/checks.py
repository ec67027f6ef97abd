"""The checks: references, figures, qualifiers, aliases, dates, arithmetic, corroboration, coverage, charts, drafts.

Each check reads the resolved Records (and the engine's options) and returns what it found: problems in the editors'
files (diagnostics.Diagnostic, shown as `path:line:col: severity: message`) and data-quality findings shown on the
pages (corpus.Finding). None of them changes the records. pipeline.CHECKS lists them in the order they run.

Most checks look at one fact at a time: they are FactChecks, declared with what one fact's check reads besides the
fact, so that a rebuild under `serve` checks again only the facts that changed or whose inputs did (the memo the
pipeline keeps between runs); the others (regions, aliases, coverage, charts) are cheap and run whole every time.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from typing import Callable

from .corpus import Finding, Records
from .diagnostics import Diagnostic, error, warning
from .drafts import is_draft
from .numbers import all_numbers, digit_numbers, format_value, may_be_a_word, qualifier_cue, same_as, unit_scale
from .options import Options
from .suggest import did_you_mean
from .textmatch import normalise

# The figure checks and then the share checks read each quote of a file's facts (validate_file runs them in turn):
# normalised once. (Not textmatch.normalise itself: the quotes' look-ups in their articles read each one once.)
normalised = functools.lru_cache(maxsize=4096)(normalise)

Found = list[Diagnostic | Finding]


class FactCheck:
    """A check made of one check per fact: `one(r, fact, options)` gives a fact's problems and findings, in the
    order the whole check lists them (fact by fact, in corpus order), then `rest(r, options)` what the check finds
    across facts (cheap: run whole every time).

    What one fact's check reads besides the fact is declared, for the memo: `reads(r, fact)` (compared with == to
    the last run's; objects without an equality, such as YAML nodes and article texts, compare by identity) and
    `reads_all(r)`, what every fact's check reads (the last run's results are dropped when it changes). A fact is
    checked again when its record is another object (its file changed: validated again) or what it reads changed.
    The positions in messages are the fact's own node's (another object when its file changed) or those `reads`
    names.

    `alone`: one fact's check reads the fact and nothing else (no other record, no option), so its outcome is a
    function of the fact's file: validation runs `one` file by file (validate.validate_file) and the file cache
    keeps the outcome; the check then takes what it is handed (`known`) for the facts whose record it is."""

    def __init__(self, name: str, one: Callable, reads: Callable | None = None, reads_all: Callable | None = None,
                 rest: Callable | None = None, alone: bool = False, doc: str = ""):
        self.__name__, self.one, self.reads, self.reads_all, self.rest = name, one, reads, reads_all, rest
        self.alone = alone and reads is None and reads_all is None
        self.__doc__ = doc or one.__doc__

    def __call__(self, r: Records, options: Options, memo: dict | None = None, known: dict | None = None) -> Found:
        """The check of every fact (and `rest`); `memo`: the last run's, updated (see above); `known`: fact id ->
        (record, its outcome) computed before, for an `alone` check."""
        known = known if self.alone and known else {}
        if memo is None:  # nothing to remember (a one-off build): each fact's outcome, known or found now
            out = []
            for fid, fact in r.facts.items():
                done = known.get(fid)
                found = done[1] if done is not None and done[0] is fact else self.one(r, fact, options)
                if found:
                    out.extend(found)
            return out + (self.rest(r, options) if self.rest else [])
        everyone = (self.reads_all(r) if self.reads_all else None, options)
        last = memo["facts"] if memo.get("all") == everyone else {}
        kept, out = {}, []
        one, reads, get = self.one, self.reads, last.get
        for fid, fact in r.facts.items():
            context = reads(r, fact) if reads else None
            hit = get(fid)
            if hit is None or hit[0] is not fact or (reads and hit[1] != context):
                done = known.get(fid)
                hit = (fact, context, done[1] if done is not None and done[0] is fact else one(r, fact, options))
            kept[fid] = hit
            if hit[2]:
                out.extend(hit[2])
        memo["all"], memo["facts"] = everyone, kept
        if self.rest:
            out.extend(self.rest(r, options))
        return out


def check_regions(r: Records, options: Options) -> Found:
    """Every parent exists; the hierarchy has no cycle."""
    out = []
    for rid, region in r.regions.items():
        if region.parent and region.parent not in r.regions:
            out.append(error(r.mark("regions", rid, "parent"),
                             f"parent region '{region.parent}' does not exist{did_you_mean(region.parent, r.regions)}"))
    for rid in r.regions:  # walk up from each region; a repeat is a cycle
        seen, cur = [rid], r.regions[rid].parent
        while cur in r.regions and cur not in seen:
            seen.append(cur)
            cur = r.regions[cur].parent
        if cur == rid:
            out.append(error(r.mark("regions", rid, "parent"),
                             f"region hierarchy has a cycle: {' -> '.join(seen + [rid])}; one of these parents is wrong"))
    return out


def check_aliases(r: Records, options: Options) -> Found:
    """A name or alias of one region may not be the name or an alias of another (case-insensitively): search and the
    place gazetteer would send the reader, or a draft, to the wrong place (repeats within one region, in other
    cases, are harmless).
    (A YAML flow list splits an unquoted "Beijing, Tianjin and Hebei" into two aliases: this check catches it.)"""
    out, first = [], {}  # lower-cased spelling -> (region id, where it is written: the path to its value)
    for rid, region in r.regions.items():
        spellings = [(region.name, ("name",))] + [(a, ("aliases", j)) for j, a in enumerate(region.aliases)]
        for spelling, at in spellings:
            other = first.setdefault(spelling.lower(), (rid, at))
            if other[0] != rid:  # positions only for a problem: they cost a look into the file (filecache.py)
                there = r.mark("regions", other[0], *other[1])
                out.append(error(r.mark("regions", rid, *at),
                                 f"'{spelling}' names region '{rid}' here and region '{other[0]}' at "
                                 f"{there.path}:{there.line}: a name or alias belongs to one region; "
                                 f"remove or change one of them"))
    return out


def references_of(r: Records, fact, options: Options) -> Found:
    """Each fact's regions and topics exist (its sources: resolve)."""
    out, fid = [], fact.id
    for i, rid in enumerate(fact.regions):
        if rid not in r.regions:
            out.append(error(r.mark("facts", fid, "regions", i),
                             f"unknown region '{rid}'{did_you_mean(rid, r.regions)} (regions live in facts/regions/)"))
    for i, t in enumerate(fact.topics):
        if t not in r.topics:
            out.append(error(r.mark("facts", fid, "topics", i),
                             f"unknown topic '{t}'{did_you_mean(t, r.topics)} (topics live in facts/topics/)"))
    return out


# the ids a fact may name, and those a "did you mean" suggests
check_references = FactCheck("check_references", references_of, reads_all=lambda r: (tuple(r.regions), tuple(r.topics)))


def figures_of(r: Records, fact, options: Options) -> Found:
    """Each figure's value stands in the fact's quotes, with the scale its unit says and the qualifier the quote
    says (house rule 3)."""
    out, fid = [], fact.id
    if not fact.figures:
        return out
    text = normalised(" ".join(c.quote for c in fact.citations))
    # the number words only when a figure may be one: a word cannot match the others
    words = any(may_be_a_word(fig.value) for fig in fact.figures)
    numbers = all_numbers(text) if words else digit_numbers(text)
    for i, fig in enumerate(fact.figures):
        matches = same_as(numbers, fig.value)
        scale = unit_scale(fig.unit)
        if not matches:
            there = numbers if words else all_numbers(text)
            out.append(error(r.mark("facts", fid, "figures", i, "value"),
                             f"figure value {format_value(fig.value)} does not appear in the fact's quotes; "
                             f"numbers there: {', '.join(sorted({n.text for n in there})) or 'none'}"))
        elif scale and not any(n.scale == scale for n in matches):
            out.append(error(r.mark("facts", fid, "figures", i, "unit"),
                             f"unit '{fig.unit}' says {scale}, but the quote writes {format_value(fig.value)} "
                             f"{matches[0].scale or 'without a scale word'}"))
        if matches and (problem := qualifier_problem(fig, [qualifier_cue(text, n) for n in matches])):
            out.append(warning(r.mark("facts", fid, "figures", i), problem))
    return out


check_figures = FactCheck("check_figures", figures_of, alone=True)


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


def _published(r: Records, fact) -> str | None:
    """The publication date of the article a fact cites first."""
    article = r.articles.get(fact.citations[0].source)
    return article.meta.published if article else None


def relative_dates_of(r: Records, fact, options: Options) -> Found:
    """House rule 1: a year-to-date result is not dated the whole year."""
    published = _published(r, fact)
    if fact.kind.value != "result" or not fact.figures or not published or fact.date != published[:4]:
        return []
    year, month = published[:4], published[5:7]
    if month == "12":
        return []
    quotes = " ".join(c.quote for c in fact.citations)
    if said := YEAR_TO_DATE.search(quotes):
        better = f"{year}-01/{year}-{month}"
    elif said := AT_PRESENT.search(quotes):
        better = f"{year}-{month}"
    else:
        return []
    return [warning(r.mark("facts", fact.id, "date"),
                    f"the quote says '{said.group(0)}' in an article of {published[:7]}, but the date is the "
                    f"whole year {year}: write `date: {better}` (house rule 1)")]


# what a fact's check reads of the others, the articles' dates, read for all at once: an article's date changes
# seldom, and checking every fact again is cheap; comparing each fact's date would cost more on every run
check_relative_dates = FactCheck("check_relative_dates", relative_dates_of,
                                 reads_all=lambda r: tuple((sid, a.meta.published) for sid, a in r.articles.items()))


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
# Words each pattern above cannot match without (a quote is normalised: its whitespace runs are single spaces). The
# regex engine tries a pattern at every number of the quote and, from each, scans its sentence lazily: a quote without
# them is skipped at the cost of a substring search (at 100x: 0.53 -> 0.18 s for the 35,000 quotes).
SHARE_NEEDS = [((" or ",), (" of ",)), ((" of ",),), ((" of which", " of them"),)]  # each group: one of its words


def shares(quote: str) -> list[tuple[float, float, float, str]]:
    """(part, whole, stated percent, matched text) for each share a quote states."""
    text, out = normalised(quote), []
    if "%" not in text and "percent" not in text:  # every pattern ends with a percentage
        return out
    for pattern, needs in zip(SHARE_PATTERNS, SHARE_NEEDS):
        if not all(any(word in text for word in group) for group in needs):
            continue
        for m in pattern.finditer(text):
            num = lambda g: float(re.match(_NUM, m.group(g)).group(0).replace(",", ""))  # noqa: E731
            out.append((num("a"), num("b"), num("p"), m.group(0)))
    return out


def arithmetic_of(r: Records, fact, options: Options) -> Found:
    """A stated share that its own parts contradict is a warning: the source says so, we show it."""
    out, fid = [], fact.id
    for i, c in enumerate(fact.citations):
        for part, whole, stated, text in shares(c.quote):
            decimals = len(str(stated).split(".")[1]) if "." in str(stated) and not float(stated).is_integer() else 0
            actual = 100.0 * part / whole if whole else float("inf")
            if abs(actual - stated) > 10 ** -decimals:
                message = (f"arithmetic: the source states {format_value(stated)}% for {format_value(part)} of "
                           f"{format_value(whole)}, which is {actual:.{max(decimals, 1)}f}% (\"{text}\")")
                if not fact.quality:  # a `quality` note acknowledges it: shown, no longer warned about
                    out.append(warning(r.mark("facts", fid, "citations", i, "quote"),
                                       message + "; record it in the fact's `quality` note"))
                out.append(Finding("arithmetic", (fid,), message))
    if fact.quality:
        out.append(Finding("quality", (fid,), fact.quality))
    return out


check_arithmetic = FactCheck("check_arithmetic", arithmetic_of, alone=True)


def sources_of(r: Records, fact, options: Options) -> Found:
    """A fact citing two articles corroborates itself."""
    sources = sorted({c.source for c in fact.citations})
    if len(sources) > 1:
        return [Finding("corroboration", (fact.id,), f"stated by {len(sources)} articles: {', '.join(sources)}")]
    return []


def metrics(r: Records, options: Options) -> Found:
    """Figures sharing a metric and period corroborate or conflict."""
    out = []
    groups = defaultdict(list)
    for fid, fact in r.facts.items():
        figures = fact.figures
        if not figures or is_draft(fact):  # reviewed figures only: a draft's numbers are not vouched for yet
            continue
        for i, fig in enumerate(figures):
            if fig.metric:
                groups[(fig.metric, fact.date)].append((fid, i, fig))
    shared = [kv for kv in groups.items() if len(kv[1]) > 1]  # most metrics name one figure: nothing to compare
    for (metric, date), members in sorted(shared, key=lambda kv: (kv[0][0], kv[0][1] or "")):
        fids = tuple(sorted({fid for fid, _, _ in members}))
        if len(fids) < 2:
            continue
        values = sorted({fig.value for _, _, fig in members})
        when = f" for {date}" if date else ""
        if len(values) == 1:
            out.append(Finding("corroboration", fids, f"{metric}{when}: {format_value(values[0])} in {len(fids)} facts"))
        else:
            shown = ", ".join(f"{format_value(fig.value)} {fig.unit} ({fid})" for fid, _, fig in members)
            message = f"conflict: {metric}{when} has different values: {shown}"
            out.append(Finding("conflict", fids, message))
            out += [warning(r.mark("facts", fid, "figures", i, "value"), message) for fid, i, _ in members]
    return out


check_corroboration = FactCheck("check_corroboration", sources_of, rest=metrics, alone=True,
                                doc="Facts citing two articles corroborate themselves; figures sharing a metric and "
                                    "period corroborate or conflict.")


def check_coverage(r: Records, options: Options) -> Found:
    """Numbers in each article that no reviewed fact's quote covers (counted by resolve), below the target."""
    out = []
    for article in r.articles.values():
        cov = article.coverage
        if cov.percent < options.coverage_target:
            shown = ", ".join(f"{t} (¶{p})" for t, p in cov.missing[:12]) + (" ..." if len(cov.missing) > 12 else "")
            out.append(warning(r.mark("sources", article.id, "id"),
                               f"numeric coverage {cov.percent:.1f}% is below {options.coverage_target:g}%: no quote "
                               f"covers {shown}"))
    return out


def check_charts(r: Records, options: Options) -> Found:
    """Each bar is a figure of an existing fact, in the chart's one unit."""
    out = []
    for cid, chart in r.charts.items():
        for i, bar in enumerate(chart.bars):
            fact = r.facts.get(bar.fact)
            if fact is None:
                out.append(error(r.mark("charts", cid, "bars", i, "fact"),
                                 f"chart bar names fact '{bar.fact}', which does not exist{did_you_mean(bar.fact, r.facts)}"))
                continue
            labels = [f.label for f in fact.figures]
            if bar.figure not in labels:
                out.append(error(r.mark("charts", cid, "bars", i, "figure"),
                                 f"fact '{bar.fact}' has no figure labelled '{bar.figure}'{did_you_mean(bar.figure, labels)}"))
                continue
            unit = fact.figures[labels.index(bar.figure)].unit
            if unit != chart.unit:
                out.append(error(r.mark("charts", cid, "bars", i, "figure"),
                                 f"figure is in '{unit}' but the chart's axis is '{chart.unit}': one unit per chart"))
    return out


def _leans(r: Records, mark, what: str, folder: str, rid: str) -> Diagnostic:
    at = r.mark(folder, rid, "status")
    return error(mark, f"{what} '{rid}' is a draft ({at.path}:{at.line}), which `build` leaves out: review it "
                       f"first (correct it and delete its `status: draft`) or change this reference")


def _draft_regions(r: Records) -> tuple:
    """The draft regions and their YAML nodes (what a fact's drafts check reads of them: their status line)."""
    return tuple((rid, r.where[("regions", rid)][1]) for rid, region in r.regions.items() if is_draft(region))


def leaning_of(r: Records, fact, options: Options) -> Found:
    """A reviewed fact may not be placed in a draft region."""
    if is_draft(fact):
        return []
    return [_leans(r, r.mark("facts", fact.id, "regions", i), "region", "regions", rid)
            for i, rid in enumerate(fact.regions) if rid in r.regions and is_draft(r.regions[rid])]


def drafts_leaned_on(r: Records, options: Options) -> Found:
    """A reviewed region may not have a draft parent, nor a chart a draft fact."""
    leans = lambda mark, what, folder, rid: _leans(r, mark, what, folder, rid)  # noqa: E731
    out = []
    for rid, region in r.regions.items():
        if not is_draft(region) and region.parent in r.regions and is_draft(r.regions[region.parent]):
            out.append(leans(r.mark("regions", rid, "parent"), "parent region", "regions", region.parent))
    for cid, chart in r.charts.items():
        for i, bar in enumerate(chart.bars):
            if bar.fact in r.facts and is_draft(r.facts[bar.fact]):
                out.append(leans(r.mark("charts", cid, "bars", i, "fact"), "fact", "facts", bar.fact))
    return out


check_drafts = FactCheck("check_drafts", leaning_of, reads_all=_draft_regions, rest=drafts_leaned_on,
                         doc="A reviewed record may not lean on a draft: `build` leaves the draft out (see drafts.py).")
