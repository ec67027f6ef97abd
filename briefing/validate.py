"""Validate: the parsed files -> Records. Every record is checked against its model (schema.py); an invalid one is
reported and left out, a duplicate id is reported and the first definition wins."""
from __future__ import annotations

from pathlib import Path

from . import schema
from .corpus import Article, Records
from .diagnostics import Report
from .loader import SOURCES, Located, RawFiles
from .models import RECORD_KINDS, Source
from .textmatch import SourceText


def validate(root: Path, raw: RawFiles, report: Report) -> Records:
    articles, where = {}, {}
    stores = {k.attr: {} for k in RECORD_KINDS}

    def first(folder: str, rid: str, path: str, node: Located) -> bool:
        """Whether this is the first record of the kind with this id (a repeat is reported)."""
        seen = where.get((folder, rid))
        if seen is not None:
            mark = seen[1].mark("id")
            report.error(node.mark("id"), f"duplicate {folder} id '{rid}', first defined at {mark.path}:{mark.line}: "
                                          "ids must be unique")
            return False
        where[(folder, rid)] = (path, node)
        return True

    for src in raw.sources:
        meta = schema.validate(Source, src.front, report, "article front matter")
        if meta is None or not first(SOURCES, meta.id, src.path, src.front):
            continue
        text = SourceText(src.text, meta.boilerplate)
        for line in sorted(text.unused_boilerplate):
            report.warning(src.front.mark("boilerplate"), f"boilerplate line not found in the text, as a whole line: '{line[:60]}'")
        articles[meta.id] = Article(meta, src.path, text, src.text_line)
    for kind in RECORD_KINDS:
        store = stores[kind.attr]
        for path, doc in raw.records[kind.folder]:
            for node in doc.items():
                record = schema.validate(kind.model, node, report, kind.what)
                if record is not None and first(kind.folder, record.id, path, node):
                    store[record.id] = record
    articles = dict(sorted(articles.items(), key=lambda kv: (kv[1].meta.published or "", kv[0])))
    return Records(root, articles, where=where, **stores)
