"""Validate: the parsed files -> Records. Every record is checked against its model (schema.py), one file at a time
(a file's outcome, ValidFile, depends on its content alone: the file cache keeps it, filecache.py); an invalid record
is reported and left out. Then the files are put together: a duplicate id is reported and the first definition (in
path order) wins."""
from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from . import parallel, schema
from .corpus import Article, Records
from .diagnostics import Diagnostic, Report
from .loader import SOURCES, FileRead, LazyDoc, LazyNode, Located, parse_file
from .models import RECORD_KINDS, Source
from .options import Options
from .textmatch import SourceText

FOLDERS = {k.folder: k for k in RECORD_KINDS}
ALONE_OPTIONS = Options()  # what the checks that read a fact alone are given (they read no option)
PARALLEL_BYTES = 512 * 1024  # files to parse that are worth the other processes however few they are (~0.1 s a core)


@dataclass(frozen=True)
class ValidFile:
    """One file validated: what the file cache keeps. Shared by successive runs (serve) while the file is unchanged:
    read-only."""

    path: str
    kind: str  # SOURCES or a record kind's folder
    problems: tuple[Diagnostic, ...]  # every problem of the file on its own: reading, YAML, the models
    records: tuple[tuple[object, Located | LazyNode], ...] = ()  # the valid records in file order, with their node
    article: Article | None = None  # an article file: its front matter, text and paragraphs
    items: tuple[int, ...] = ()  # each record's item number in the file's list (records: invalid ones are left out)
    found: dict = field(default_factory=dict)  # check name -> each record's problems and findings, for the checks that read a fact alone

    doc: Located | None = field(default=None, compare=False)  # the file's YAML document (fresh: to pack it)

    def packed(self) -> tuple:
        """What the file cache keeps; the YAML nodes pickled apart, loaded only when a position is asked for."""
        nodes = pickle.dumps(self.doc, protocol=pickle.HIGHEST_PROTOCOL) if isinstance(self.doc, Located) else b""
        return (self.path, self.kind, self.problems, tuple(r for r, _ in self.records), self.article, self.items,
                self.found, nodes)

    @classmethod
    def unpacked(cls, packed: tuple) -> "ValidFile":
        """A ValidFile from packed()."""
        path, kind, problems, records, article, items, found, nodes = packed
        doc = LazyDoc(nodes)
        nodes = [LazyNode(doc, None)] if kind == SOURCES else [LazyNode(doc, i) for i in items]
        if len(nodes) != len(records):
            raise ValueError("records and nodes do not match")
        return cls(path, kind, problems, tuple(zip(records, nodes)), article, items, found)


def validate_file(f: FileRead, alone=()) -> ValidFile:
    """`alone`: the checks (checks.FactCheck) that read a fact alone, run on this file's facts (found)."""
    report = Report(list(f.problems))
    if f.doc is None:
        return ValidFile(f.path, f.kind, tuple(report.items))
    if f.kind == SOURCES:
        meta = schema.validate(Source, f.doc, report, "article front matter")
        if meta is None:
            return ValidFile(f.path, f.kind, tuple(report.items))
        text = SourceText(f.text, meta.boilerplate)
        for line in sorted(text.unused_boilerplate):
            report.warning(f.doc.mark("boilerplate"), f"boilerplate line not found in the text, as a whole line: '{line[:60]}'")
        return ValidFile(f.path, f.kind, tuple(report.items), ((meta, f.doc),), Article(meta, f.path, text, f.text_line),
                         doc=f.doc)
    kind = FOLDERS[f.kind]
    records, items = [], []
    for i, node in enumerate(f.doc.items()):
        record = schema.validate(kind.model, node, report, kind.what)
        if record is not None:
            records.append((record, node))
            items.append(i)
    found = {}
    if alone and kind.attr == "facts":  # the file's facts alone: where each is written, nothing else
        facts = Records(Path("."), where={(f.kind, record.id): (f.path, node) for record, node in records})
        for check in alone:
            found[check.__name__] = tuple(check.one(facts, record, ALONE_OPTIONS) for record, _ in records)
    return ValidFile(f.path, f.kind, tuple(report.items), tuple(records), None, tuple(items), found, f.doc)


def validate(root: Path, files: list[FileRead], report: Report, cache=None, alone=(),
             processes: int | None = None) -> tuple[Records, list[ValidFile]]:
    """Each file parsed and validated (or taken from the file cache), then put together: duplicate ids reported, the
    first definition kept. `cache`: the file cache (filecache.FileCache) that is given each newly validated file;
    `alone`: the checks run on each newly validated file's facts (validate_file). The files are parsed and
    validated by `processes` forked processes (parallel.py; default one per core): a file's outcome depends on its
    content alone. A child hands back what the file cache keeps (ValidFile.packed, pickled), which is also what a build
    with a warm cache would read; the caller unpickles each as it arrives (parallel.Results). Each process writes the
    disk cache's entries of the files it validated (FileCache.save): written by the caller after the others were done,
    they were a second of one core at 100 times the corpus."""
    todo = [f for f in files if f.valid is None]
    caller = os.getpid()
    saving = cache is not None and cache.saves

    def work(f: FileRead):
        v = validate_file(parse_file(f.path, f.kind, f.data, f.key) if f.data is not None else f, alone)
        child = os.getpid() != caller
        if child or saving and f.key:
            try:
                payload = pickle.dumps(v.packed(), protocol=pickle.HIGHEST_PROTOCOL)  # pickled once: disk and pipe
            except pickle.PicklingError:
                if child:
                    raise
                return v  # no cache entry for it (as FileStore.put): validated again next time
            if saving and f.key:  # on disk by the process that validated it: not one after the other by the caller
                cache.save(f.key, payload)
            if child:
                return payload
        return v

    # the biggest files first (the last one taken is what the other processes wait for); a few big files (an archive
    # of long articles) are worth the processes as much as many small ones
    todo.sort(key=lambda f: -len(f.data or b""))
    big = sum(len(f.data or b"") for f in todo) >= PARALLEL_BYTES

    def unpack(payload: bytes) -> tuple[ValidFile, tuple]:
        """What another process validated (its packed() pickled), as it arrives, while the others still work."""
        packed = pickle.loads(payload)
        return ValidFile.unpacked(packed), packed

    done = dict(zip(map(id, todo), parallel.run(work, todo, processes, min_jobs=2 if big else parallel.MIN_JOBS,
                                                 received=unpack)))
    valid = []
    for f in files:
        v, packed = f.valid, None
        if v is None:
            v = done[id(f)]
            if isinstance(v, tuple):  # validated in another process
                v, packed = v
            if cache is not None and f.key:
                cache.store(f.key, v, packed, saved=saving)
        valid.append(v)
    return assemble(root, valid, report), valid


def assemble(root: Path, files: list[ValidFile], report: Report) -> Records:
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

    for v in files:
        report.items.extend(v.problems)
    for v in files:
        if v.article is not None:
            meta, node = v.records[0]
            if first(SOURCES, meta.id, v.path, node):
                articles[meta.id] = v.article
    for kind in RECORD_KINDS:
        store = stores[kind.attr]
        for v in files:
            if v.kind == kind.folder:
                for record, node in v.records:
                    if first(kind.folder, record.id, v.path, node):
                        store[record.id] = record
    articles = dict(sorted(articles.items(), key=lambda kv: (kv[1].meta.published or "", kv[0])))
    return Records(root, articles, where=where, **stores)
