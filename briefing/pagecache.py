"""Re-render only the pages whose inputs changed (a rebuild under `serve` after a fact edit).

Each region, topic and source page gets a signature: one hash of everything it is made of. The whole-site part
(templates, docs/index.md, regions, topics, sources, glossary, charts) is shared by all pages: when it changes,
every page is rendered again. The rest is the facts the page shows, each hashed with what the checks derived for it
(its findings, where its quotes sit in their articles), plus the counts and charts the page prints. A page whose
signature is unchanged since the last rendering keeps its bytes. The site-wide pages (home, figures, timeline,
data...) show every fact and are always rendered. tests/test_incremental_render.py compares this with full renders.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Corpus


def _hash(*parts: bytes | str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.digest()


def _json(model) -> bytes:
    return model.__pydantic_serializer__.to_json(model)


@dataclass
class PageCache:
    """The last rendering: each page's signature and bytes."""

    signatures: dict[str, bytes] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def get(self, src: str, signature: bytes) -> bytes | None:
        return self.files.get(src) if self.signatures.get(src) == signature else None


class Signatures:
    def __init__(self, corpus: Corpus, templates: Path, docs: Path, history: str = ""):
        self.c = corpus
        whole = [p.read_bytes() for p in sorted(templates.glob("*")) if p.is_file()]
        whole.append(history)  # the commit the facts' history was read at: dates and corrections on every page
        intro = docs / "index.md"
        whole.append(intro.read_bytes() if intro.exists() else b"")
        for records in (corpus.regions, corpus.topics, corpus.terms, corpus.charts):
            whole += [_json(r) for r in records.values()]
        for a in corpus.articles.values():
            whole += [_json(a.meta), a.text.text]
        self.whole = _hash(*whole)
        self.facts = {fid: _hash(_json(f), *(fd.message for fd in corpus.findings_of.get(fid, [])),
                                 *(f"{c.source}:{c.start}:{c.end}" for c in corpus.cited.get(fid, [])))
                      for fid, f in corpus.facts.items()}

    def _of(self, kind: str, facts, *extra) -> bytes:
        return _hash(self.whole, kind, *(self.facts[f.id] for f in facts), *map(str, extra))

    def region(self, rid: str, child_facts, counts, charts) -> bytes:
        c = self.c
        return self._of("region", [*c.own.get(rid, []), *child_facts, *c.mentions.get(rid, [])], counts,
                        *(f"{d.name}|{d.title}|{d.desc}|{d.bars}|{[c.facts[fid].regions[0] for _, fid in d.bars]}"
                          for d in charts))

    def topic(self, tid: str) -> bytes:
        return self._of("topic", self.c.by_topic.get(tid, []))

    def source(self, sid: str) -> bytes:
        article = self.c.articles[sid]
        cov = article.coverage
        return self._of("source", [self.c.facts[fid] for fid in article.citing_facts()],
                        cov.numbers, cov.covered, cov.missing)
