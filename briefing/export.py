"""Downloads: facts.json (validated by the JSON Schema of these models), facts.csv and the editors' schemas."""
from __future__ import annotations

import csv
import json
from functools import lru_cache
from typing import Optional, Union

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .corpus import Corpus
from .history import History
from .models import RECORD_KINDS, Kind, Source
from .urls import fact_anchor, page_url, region_page_src, source_src, topic_src


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FigureOut(_Out):
    label: str
    value: Union[int, float]
    qualifier: Optional[str]  # more than | about | at least | up to | less than
    unit: str


class CitationOut(_Out):
    source: str
    quote: str
    paragraph: int


class FactOut(_Out):
    id: str
    claim: str
    kind: Kind
    date: Optional[str]
    regions: list[str]
    topics: list[str]
    figures: list[FigureOut]
    citations: list[CitationOut]
    note: Optional[str]
    quality: Optional[str]
    url: str
    first_published: Optional[str] = Field(description="day of the commit that first published the fact (null without git history)")
    last_changed: Optional[str] = Field(description="day of the last commit that changed it")


class SourceOut(_Out):
    id: str
    title: str
    publisher: str
    published: Optional[str]
    authors: list[str]
    url: Optional[str]
    licence: str
    text_path: str
    page: str


class RegionOut(_Out):
    id: str
    name: str
    name_zh: str
    kind: str
    parent: Optional[str]
    aliases: list[str]
    page: str


class TopicOut(_Out):
    id: str
    name: str
    page: str


class ChangeOut(_Out):
    """One fact's change in one commit (briefing/history.py)."""

    fact: str
    change: str = Field(description="added | corrected (a figure) | citation | details (kind, date, places, topics) | wording | removed")
    date: str
    time: str
    commit: str
    claim: str = Field(description="as published after the change (before it, for a removal)")
    figures: list[FigureOut]
    before: list[FigureOut] = Field(description="a correction: the figures before it")


class DataFile(_Out):
    """site/data/facts.json"""

    facts: list[FactOut]
    sources: list[SourceOut]
    regions: list[RegionOut]
    topics: list[TopicOut]
    changes: list[ChangeOut] = Field(description="every change of the facts, oldest first (empty without git history)")


EDITOR_SCHEMAS = {**{k.folder: list[k.model] for k in RECORD_KINDS}, "sources": Source, "data": DataFile}


def json_schema(kind: str) -> dict:
    schema = TypeAdapter(EDITOR_SCHEMAS[kind]).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = {"sources": "Article front matter", "data": "facts.json"}.get(kind, f"facts/{kind}/*.yml")
    return schema


def fact_record(corpus: Corpus, history: History, f, url: str | None = None) -> dict:
    """A fact as facts.json has it: a FactOut's fields, in its order, as plain values. Not a FactOut: the fact was
    validated as a record already, and validating it again into the models took half the time of writing
    facts.json (0.24 s at 100x the corpus); `fact_json` writes it with pydantic's own serializer, the bytes a
    FactOut's model_dump_json gives (tests/test_build.py reads each line back as a FactOut and compares)."""
    url = url or f"{_region_page(corpus, f.regions[0])}#{fact_anchor(f.id)}"
    return {"id": f.id, "claim": f.claim, "kind": f.kind, "date": f.date, "regions": f.regions, "topics": f.topics,
            "figures": [{"label": g.label, "value": g.value, "qualifier": g.qualifier, "unit": g.unit}
                        for g in f.figures],
            "citations": [{"source": c.source, "quote": c.quote, "paragraph": c.paragraph.number if c.paragraph else 0}
                          for c in corpus.cited[f.id]],
            "note": f.note, "quality": f.quality, "url": url,
            "first_published": history.first_published(f.id), "last_changed": history.last_changed(f.id)}


fact_json = pydantic_core.to_json  # a fact_record as the compact JSON of a FactOut (UTF-8 bytes)


def _region_page(corpus: Corpus, rid: str) -> str:
    return page_url(region_page_src(corpus, rid))


def _figures(figures) -> list[FigureOut]:
    return [FigureOut(label=g[0], value=g[1], unit=g[2], qualifier=g[3]) for g in figures]


def data_without_facts(corpus: Corpus, history: History, changes: bool = True) -> DataFile:
    sources = [SourceOut(id=a.id, title=a.meta.title, publisher=a.meta.publisher, published=a.meta.published,
                         authors=a.meta.authors, url=a.meta.url, licence=a.meta.licence, text_path=a.path,
                         page=page_url(source_src(a.id))) for a in corpus.articles.values()]
    regions = [RegionOut(id=r.id, name=r.name, name_zh=r.name_zh, kind=r.kind.value, parent=r.parent,
                         aliases=r.aliases, page=_region_page(corpus, r.id)) for r in corpus.regions.values()]
    topics = [TopicOut(id=t.id, name=t.name, page=page_url(topic_src(t.id))) for t in corpus.topics.values()]
    return DataFile(facts=[], sources=sources, regions=regions, topics=topics,
                    changes=list(change_records(history)) if changes else [])


def change_records(history: History):
    for c in history.changes:
        yield ChangeOut(fact=c.fact, change=c.kind, date=c.day, time=c.stamp, commit=c.commit, claim=c.claim,
                        figures=_figures(c.figures), before=_figures(c.before))


CSV_HEADER = ["fact_id", "kind", "date", "regions", "topics", "figure", "qualifier", "value", "unit", "claim", "sources",
              "url", "first_published", "last_changed"]


def csv_rows(f: dict):
    """facts.csv's rows of a fact_record: one per figure (one for a fact without)."""
    sources = " ".join(sorted({c["source"] for c in f["citations"]}))
    for fig in f["figures"] or [None]:
        label, qualifier, value, unit = ((fig["label"], fig["qualifier"] or "", fig["value"], fig["unit"]) if fig
                                         else ("",) * 4)
        yield [f["id"], f["kind"].value, f["date"] or "", " ".join(f["regions"]), " ".join(f["topics"]), label,
               qualifier, value, unit, f["claim"], sources, f["url"], f["first_published"] or "",
               f["last_changed"] or ""]


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


@lru_cache(maxsize=None)  # the schemas depend on the models only
def schema_text(kind: str) -> str:
    return dumps(json_schema(kind))


class _Sink:
    """What csv.writer writes to (it keeps the `write` it finds when made): the list of the current fact's rows."""

    __slots__ = ("lines",)

    def write(self, line: str) -> None:
        self.lines.append(line)


def document(lists: dict[str, list[bytes]]) -> bytes:
    """facts.json (UTF-8) from the JSON of each item of each list: compact, one item a line (a line a fact keeps the
    diffs of two versions readable; pydantic's indent=1 made the file a quarter larger)."""
    parts = []  # each list joined once (the text is 25 MB at 100x: a concatenation per item would copy it each time)
    for key, items in lists.items():
        parts.append((b",\n" if parts else b"{") + json.dumps(key).encode() + b":[")
        parts.append(b"\n" + b",\n".join(items) + b"\n]" if items else b"]")
    return b"".join(parts) + b"}\n"


def data_files(corpus: Corpus, history: History | None = None, memo: dict | None = None) -> dict[str, str | bytes]:
    """facts.json (a DataFile: pydantic's own JSON of each of its items, see `document`), facts.csv and the editor schemas. Facts are written one at a
    time: a model of the whole corpus would hold 200 MB at 100x the real one. `history`: the facts' dates and
    changes (none: null dates, no changes). `memo` (kept between renderings: serve): a fact whose record, citations,
    page and dates are those of the last rendering keeps its JSON and CSV text; the changes are written again only
    for another history. facts.json and facts.csv are UTF-8 bytes, each fact's encoded once: encoding the 40 MB
    they join to at 100x took longer than joining them."""
    history = history or History()
    last = memo.get("facts", {}) if memo is not None else {}
    kept, facts, header = {}, [], []
    sink = _Sink()
    sink.lines = header
    w = csv.writer(sink, lineterminator="\n")
    w.writerow(CSV_HEADER)
    rows = ["".join(header).encode()]
    pages: dict[str, str] = {}  # region -> its page: found once per region, not once per fact (30,000 at 100x)
    for f in corpus.facts.values():
        fid, place = f.id, f.regions[0]
        page = pages.get(place) or pages.setdefault(place, _region_page(corpus, place))
        cited = corpus.cited[fid]
        dates = (history.first_published(fid), history.last_changed(fid)) if fid in history.of else (None, None)
        hit = last.get(fid)
        if hit is None or hit[0] is not f or hit[1] is not cited or hit[2] != page or hit[3] != dates:
            fact = fact_record(corpus, history, f, f"{page}#{fact_anchor(fid)}")
            sink.lines = lines = []
            w.writerows(csv_rows(fact))
            hit = (f, cited, page, dates, fact_json(fact), "".join(lines).encode())
        kept[fid] = hit
        facts.append(hit[4])
        rows.append(hit[5])
    changes = memo.get("changes") if memo is not None else None
    if changes is None or changes[0] is not history:
        changes = (history, [c.model_dump_json().encode() for c in change_records(history)])
    if memo is not None:
        memo["facts"], memo["changes"] = kept, changes
    rest = data_without_facts(corpus, history, changes=False)
    text = document({"facts": facts, **{key: [item.model_dump_json().encode() for item in getattr(rest, key)]
                                        for key in ("sources", "regions", "topics")}, "changes": changes[1]})
    out: dict[str, str | bytes] = {"data/facts.json": text, "data/facts.csv": b"".join(rows)}
    for kind in EDITOR_SCHEMAS:
        out[schema_path(kind)] = schema_text(kind)
    return out


def schema_path(kind: str) -> str:
    return f"data/schema/{kind}.schema.json"


def data_paths() -> list[str]:
    """The paths data_files makes, in its order: known before they are made (render.PendingDownloads)."""
    return ["data/facts.json", "data/facts.csv", *map(schema_path, EDITOR_SCHEMAS)]
