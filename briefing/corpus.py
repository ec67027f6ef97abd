"""The model the pages are rendered from: validated records plus the indexes the pages need."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .diagnostics import Report
from .loader import Located, gc_paused, load_files
from .models import Chart, Fact, Region, Source, Term, Topic
from .textmatch import Paragraph, SourceText


@dataclass
class Cited:
    """One citation of a fact, located in its article."""

    fact: Fact
    number: int  # the reference number shown with the fact, 1-based
    source: str
    quote: str
    start: int = -1
    end: int = -1
    paragraph: Paragraph | None = None


@dataclass
class Coverage:
    numbers: int = 0
    covered: int = 0
    missing: list[tuple[str, int]] = field(default_factory=list)  # (number as written, paragraph)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.numbers if self.numbers else 100.0


@dataclass
class Article:
    meta: Source
    path: str
    text: SourceText
    text_line: int
    cited: list[Cited] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def id(self) -> str:
        return self.meta.id

    def citing_facts(self) -> list[str]:
        return sorted({c.fact.id for c in self.cited})


@dataclass
class Finding:
    """A data-quality observation shown on the fact and on the data-quality page."""

    kind: str  # quality | arithmetic | conflict | corroboration
    facts: tuple[str, ...]
    message: str


@dataclass
class Corpus:
    root: Path
    articles: dict[str, Article] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    where: dict[tuple[str, str], tuple[str, Located]] = field(default_factory=dict)  # (kind, id) -> (path, node)
    cited: dict[str, list[Cited]] = field(default_factory=dict)  # fact id -> citations
    findings: list[Finding] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # "facts"/"regions" -> drafts left out

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

    def finalise(self) -> None:
        """Indexes used by the pages; called once the records are valid."""
        self._children = defaultdict(list)
        for r in self.regions.values():
            if r.parent:
                self._children[r.parent].append(r.id)
        for kids in self._children.values():
            kids.sort(key=lambda rid: self.regions[rid].name.lower())
        self.own = defaultdict(list)  # region -> facts whose page it is
        self.mentions = defaultdict(list)  # region -> facts that also concern it
        for f in self.facts.values():
            self.own[f.regions[0]].append(f)
            for r in f.regions[1:]:
                self.mentions[r].append(f)
        self.by_topic = defaultdict(list)
        for f in self.facts.values():
            for t in f.topics:
                self.by_topic[t].append(f)
        self.findings_of = defaultdict(list)
        for finding in self.findings:
            for fid in finding.facts:
                self.findings_of[fid].append(finding)

    def rollup(self, region: str) -> list[Fact]:
        """Facts held by the pages of the region's descendants."""
        return [f for d in self.descendants(region) for f in self.own.get(d, [])]

    def source_of_record(self, kind: str, rid: str) -> str:
        return self.where[(kind, rid)][0]


@gc_paused()
def build_corpus(root: Path, report: Report) -> Corpus:
    """Load and schema-validate every file; duplicates are reported, the first definition wins."""
    corpus = Corpus(root)
    raw = load_files(root, report)
    for src in raw.sources:
        meta = schema.validate(Source, src.front, report, "article front matter")
        if meta is None:
            continue
        if _duplicate(corpus, "sources", meta.id, src.path, src.front, report):
            continue
        text = SourceText(src.text, meta.boilerplate)
        for line in sorted(text.unused_boilerplate):
            report.warning(src.front.mark("boilerplate"), f"boilerplate line not found in the text, as a whole line: '{line[:60]}'")
        corpus.articles[meta.id] = Article(meta, src.path, text, src.text_line)
        corpus.where[("sources", meta.id)] = (src.path, src.front)
    targets = {"regions": (Region, corpus.regions, "region"), "topics": (Topic, corpus.topics, "topic"),
               "glossary": (Term, corpus.terms, "glossary term"), "facts": (Fact, corpus.facts, "fact"),
               "charts": (Chart, corpus.charts, "chart")}
    for kind, (model, store, what) in targets.items():
        for path, doc in raw.records[kind]:
            for node in doc.items():
                record = schema.validate(model, node, report, what)
                if record is None or _duplicate(corpus, kind, record.id, path, node, report):
                    continue
                store[record.id] = record
                corpus.where[(kind, record.id)] = (path, node)
    corpus.articles = dict(sorted(corpus.articles.items(), key=lambda kv: (kv[1].meta.published or "", kv[0])))
    return corpus


def _duplicate(corpus: Corpus, kind: str, rid: str, path: str, node: Located, report: Report) -> bool:
    first = corpus.where.get((kind, rid))
    if first is None:
        return False
    mark = first[1].mark("id")
    report.error(node.mark("id"), f"duplicate {kind} id '{rid}', first defined at {mark.path}:{mark.line}: ids must be unique")
    return True
