"""The model the pages are rendered from: the validated records (Records), then the frozen Corpus with its indexes.

Records are what validation makes of the files and what resolution adds to them (each citation located in its article,
each article's numeric coverage); the checks read them. The Corpus is Records plus the checks' findings, with the
drafts left out or not (drafts.py), and every index the pages need, built once in its constructor: nothing writes
into it afterwards.
"""
from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Mark
from .loader import Located
from .models import Chart, Fact, Kind, Region, Source, Term, Topic
from .textmatch import Paragraph, SourceText


@dataclass(frozen=True)
class Cited:
    """One citation of a fact, located in its article (start/end -1 and no paragraph: the quote was not found)."""

    fact: Fact
    number: int  # the reference number shown with the fact, 1-based
    source: str
    quote: str
    start: int = -1
    end: int = -1
    paragraph: Paragraph | None = None


@dataclass(frozen=True)
class Coverage:
    numbers: int = 0
    covered: int = 0
    missing: tuple[tuple[str, int], ...] = ()  # (number as written, paragraph)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.numbers if self.numbers else 100.0


@dataclass(frozen=True)
class Article:
    meta: Source
    path: str
    text: SourceText
    text_line: int
    cited: tuple[Cited, ...] = ()  # the located citations of this article (resolve)
    coverage: Coverage = Coverage()  # by reviewed facts (resolve)

    @property
    def id(self) -> str:
        return self.meta.id

    def citing_facts(self) -> list[str]:
        return sorted({c.fact.id for c in self.cited})


@dataclass(frozen=True)
class Finding:
    """A data-quality observation shown on the fact and on the data-quality page."""

    kind: str  # quality | arithmetic | conflict | corroboration
    facts: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Totals:
    """The corpus in a few numbers (the home page's)."""

    facts: int
    figures: int
    regions: int
    articles: int
    latest: str | None  # the newest article's publication date


@dataclass(frozen=True)
class Records:
    """Every valid record by kind and id, where each was written, and (after resolve) each fact's citations."""

    root: Path
    articles: dict[str, Article] = field(default_factory=dict)  # by publication date
    regions: dict[str, Region] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    where: dict[tuple[str, str], tuple[str, Located]] = field(default_factory=dict)  # (folder, id) -> (path, node)
    cited: dict[str, tuple[Cited, ...]] = field(default_factory=dict)  # fact id -> its citations (resolve)

    def mark(self, folder: str, rid: str, *path) -> Mark:
        """Where a record's value at `path` is written (for messages)."""
        return self.where[(folder, rid)][1].mark(*path)

    def replace(self, **changes) -> "Records":
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Corpus(Records):
    """Records with the checks' findings and the indexes of the pages; built once, read only."""

    findings: tuple[Finding, ...] = ()
    left_out: dict[str, int] = field(default_factory=dict)  # "facts"/"regions" -> drafts left out (drafts.py)

    @classmethod
    def of(cls, records: Records, findings=(), left_out: dict[str, int] | None = None) -> "Corpus":
        fields = {f.name: getattr(records, f.name) for f in dataclasses.fields(Records)}
        return cls(**fields, findings=tuple(findings), left_out=left_out or {})

    def __post_init__(self) -> None:
        index = object.__setattr__  # frozen: the indexes are set here, once
        children = defaultdict(list)
        for r in self.regions.values():
            if r.parent:
                children[r.parent].append(r.id)
        for kids in children.values():
            kids.sort(key=lambda rid: self.regions[rid].name.lower())
        index(self, "_children", children)
        own, mentions, by_topic, findings_of = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
        figures = 0
        for f in self.facts.values():
            figures += len(f.figures)
            own[f.regions[0]].append(f)  # the region whose page holds the fact
            for r in f.regions[1:]:
                mentions[r].append(f)  # regions the fact also concerns
            for t in f.topics:
                by_topic[t].append(f)
        for finding in self.findings:
            for fid in finding.facts:
                findings_of[fid].append(finding)
        index(self, "own", own)
        index(self, "mentions", mentions)
        index(self, "by_topic", by_topic)
        index(self, "findings_of", findings_of)
        index(self, "_figures", figures)  # totals(): counted here, not by each page and rebuild that asks

    # -- hierarchy -------------------------------------------------------------------------------
    def children(self, region: str) -> list[str]:
        return self._children.get(region, [])

    def ancestors(self, region: str) -> list[str]:
        out, seen = [], {region}
        parent = self.regions[region].parent
        while parent and parent in self.regions and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.regions[parent].parent
        return out

    def descendants(self, region: str) -> list[str]:
        out = []
        for child in self.children(region):
            out += [child] + self.descendants(child)
        return out

    def home_region(self, fact: Fact) -> str:
        """The page that holds the fact: its most specific (first) region."""
        return fact.regions[0]

    def rollup(self, region: str) -> list[Fact]:
        """Facts held by the pages of the region's descendants."""
        return [f for d in self.descendants(region) for f in self.own.get(d, [])]

    def totals(self) -> Totals:
        return Totals(facts=len(self.facts), figures=self._figures,
                      regions=len(self.regions), articles=len(self.articles),
                      latest=max((a.meta.published for a in self.articles.values() if a.meta.published), default=None))

    def headline(self, n: int) -> list[Fact]:
        """The first n results with figures (the home page's headline figures)."""
        return list(itertools.islice((f for f in self.facts.values() if f.figures and f.kind == Kind.result), n))

    def roots(self) -> list[Region]:
        """Regions without a (known) parent: the biggest tree first."""
        return sorted((r for r in self.regions.values() if not r.parent or r.parent not in self.regions),
                      key=lambda r: (-len(self.descendants(r.id)), r.name))
