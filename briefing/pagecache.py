"""Re-render only the pages whose inputs changed (a rebuild under `serve`): dependencies recorded, not hand-kept.

Templates read the model only through render.View, and every View method that hands out a piece of the model records
a key for it (("fact", id), ("own", region id), ("all", "facts"), ...) on the page being rendered. Each key stands for
a fingerprint (a hash) of what it names in the corpus; besides, every page depends on the whole site's inputs (the
templates, the hand-written intro, the history, the options). On the next rendering, the keys whose fingerprint
changed are found once (Fingerprints.compare), and a page none of whose keys changed keeps its bytes: rendering is a
function of what it read, and it read nothing else. A page's check is then a set look-up per key, not a hash of the
fingerprints of all it read (the timeline reads every fact). tests/test_incremental_render.py compares this with full
renderings after every kind of edit.
"""
from __future__ import annotations

import hashlib
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .corpus import Corpus

Key = tuple  # a dependency: (kind, *ids)


def digest(*parts: bytes | str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.digest()


def _json(model) -> bytes:
    return model.__pydantic_serializer__.to_json(model)


class Fingerprints:
    """What each dependency key stands for in one corpus, as a hash (computed when first asked, then kept)."""

    def __init__(self, corpus: Corpus, whole: bytes, charts: dict, memo: dict | None = None):
        self.c = corpus
        self.whole = whole  # what every page depends on
        self.charts = charts  # the charts of this corpus as pages show them (charts.plan_charts), by name
        self.known: dict[Key, bytes] = {}
        self.changed: set[Key] | None = None  # the keys whose fingerprint changed since the last rendering (None: all)
        self._fact_prints: dict[str, bytes] | None = None
        self._charts_by_region: dict[str, list[str]] | None = None
        # The last rendering's fingerprints of facts and article texts, by the objects they were made of (an unchanged
        # file's records are the same objects from one run to the next: pipeline.Memo): a page of every fact costs
        # a look-up per fact, not a JSON serialisation.
        memo = {} if memo is None else memo
        self._last_facts, self._facts_now = memo.get("fact prints", {}), {}
        self._last_texts, self._texts_now = memo.get("text prints", {}), {}
        self._last_articles, self._articles_now = memo.get("article prints", {}), {}
        # A collection of facts (a region's, a topic's, all of them) by its key: (its facts, its fingerprint). One
        # whose facts are those of the last rendering, in the same order, none of them changed, keeps its fingerprint:
        # a rebuild compares tuples of facts, mostly the very same objects (C speed, no fact read: reading the ids of
        # the 180,000 facts the collections hold at 100x took 90-120 ms a rebuild, the tuples take under 40), instead
        # of hashing 180,000 fingerprints.
        self._last_lists, self._lists_now = memo.get("list prints", {}), {}
        self._changed_facts: set[str] | None = None  # the facts whose fingerprint is not the last rendering's
        self._changed_objects: set[int] | None = None  # the id() of those of them in this corpus
        self._memo = memo

    def commit(self) -> None:
        """Keep this rendering's fingerprints for the next one (once it is complete: a rendering that fails keeps
        the last one's, whose pages are still those shown). `known` is kept by the caller (see compare)."""
        self.fact_prints()  # all of them: the next rendering's changed facts are found against these
        memo = self._memo
        memo["fact prints"], memo["text prints"] = self._facts_now, self._texts_now
        memo["article prints"], memo["list prints"] = self._articles_now, self._lists_now
        memo["key prints"], memo["whole"] = self.known, self.whole

    def of(self, key: Key) -> bytes:
        h = self.known.get(key)
        if h is None:
            if key[0] == "fact":  # a fact's own key is its fingerprint: not kept in `known` (see compare)
                return self._fact(key[1])
            h = self.known[key] = getattr(self, "_" + key[0])(*key[1:])
        return h

    def compare(self) -> None:
        """Find the keys whose fingerprint differs from the last rendering's, or all of them (None) when what every
        page depends on changed. A fact's key changed when its fingerprint did (found by fact_prints, against the
        last rendering's) or it is gone: its 30,000 keys at 100x are not looked at one by one; every other key the
        last rendering's pages read is fingerprinted again and compared."""
        last, last_whole = self._memo.get("key prints", {}), self._memo.get("whole")
        if last_whole != self.whole:
            self.changed = None
            return
        self.fact_prints()
        gone = self._last_facts.keys() - self._facts_now.keys()
        self.changed = {("fact", fid) for fid in self._changed_facts | gone}
        of = self.of
        self.changed.update(key for key, h in last.items() if of(key) != h)  # and every key of `last` is in `known`

    def unchanged(self, deps) -> bool:
        """Whether nothing `deps` stands for changed since the last rendering (see compare)."""
        return self.changed is not None and self.changed.isdisjoint(deps)

    def cover(self, deps) -> None:
        """Fingerprint every key of `deps` (the next rendering compares them): those a page read in another process
        (parallel.py) were not fingerprinted here."""
        known, of = self.known, self.of
        for key in deps:
            if key not in known and key[0] != "fact":
                of(key)

    # -- one method per kind of key (View records them) ------------------------------------------------------------
    def fact_prints(self) -> dict[str, bytes]:
        """Every fact's fingerprint, made at once: the collections of facts (a region's, a topic's, all of them)
        read them by the thousand."""
        if self._fact_prints is None:
            c, last, now, out, changed = self.c, self._last_facts, self._facts_now, {}, set()
            for fid, fact in c.facts.items():
                findings, cited = tuple(c.findings_of.get(fid, ())), c.cited.get(fid, ())
                hit = last.get(fid)
                if hit is None or hit[0] is not fact or hit[1] is not cited or hit[2] != findings:
                    made = (fact, cited, findings, digest(_json(fact), *(f.message for f in findings),
                                                          *(f"{x.source}:{x.start}:{x.end}" for x in cited)))
                    if hit is None or hit[3] != made[3]:
                        changed.add(fid)
                    hit = made
                now[fid] = hit
                out[fid] = hit[3]
            self._fact_prints, self._changed_facts = out, changed
        return self._fact_prints

    def _fact(self, fid: str) -> bytes:
        return self.fact_prints().get(fid, b"-")

    def _facts(self, facts, key: Key) -> bytes:
        """The fingerprint of a collection of facts, in its order (see _last_lists)."""
        prints = self.fact_prints()
        now = tuple(facts)
        last = self._last_lists.get(key)
        # equal to the last tuple: the same facts (the same objects, or equal ones from a file validated again) in the
        # same order; then unchanged unless one of them is a changed fact, found by object identity (no fact read)
        if last is not None and last[0] == now and self._changed_ids().isdisjoint(map(id, now)):
            h = last[1]
        else:
            h = digest(b"".join([prints[f.id] for f in now]))
        self._lists_now[key] = (now, h)
        return h

    def _changed_ids(self) -> set[int]:
        """The id() of this corpus's facts whose fingerprint changed (fact_prints)."""
        if self._changed_objects is None:
            self.fact_prints()  # finds the changed facts
            facts = self.c.facts
            self._changed_objects = {id(facts[fid]) for fid in self._changed_facts if fid in facts}
        return self._changed_objects

    def _region(self, rid: str) -> bytes:
        region = self.c.regions.get(rid)
        return digest(_json(region), *self.c.children(rid)) if region else b"-"

    def _topic(self, tid: str) -> bytes:
        topic = self.c.topics.get(tid)
        return _json(topic) if topic else b"-"

    def _meta(self, sid: str) -> bytes:
        """An article's front matter and file: what a citation shows of its source."""
        a = self.c.articles.get(sid)
        return digest(_json(a.meta), a.path) if a else b"-"

    def _text(self, sid: str) -> bytes:
        """An article's text: a link's text fragment quotes it."""
        a = self.c.articles.get(sid)
        if a is None:
            return b"-"
        hit = self._last_texts.get(sid)
        if hit is None or hit[0] is not a.text:
            hit = (a.text, digest(a.text.text))
        self._texts_now[sid] = hit
        return hit[1]

    def _summary(self, sid: str) -> bytes:
        """An article as the lists of articles show it: front matter, file, text, coverage and which facts cite it
        where (not what those facts say: View.articles)."""
        a = self.c.articles.get(sid)
        if a is None:
            return b"-"
        hit = self._last_articles.get(sid)
        if (hit is None or hit[0] is not a.meta or hit[1] is not a.text or hit[2] != a.coverage
                or len(hit[3]) != len(a.cited) or not all(map(operator.is_, hit[3], a.cited))):
            hit = (a.meta, a.text, a.coverage, a.cited,
                   digest(_json(a.meta), a.path, self.of(("text", sid)), repr(a.coverage),
                          *(f"{x.fact.id}:{x.number}:{x.start}:{x.end}" for x in a.cited)))
        self._articles_now[sid] = hit
        return hit[4]

    def _article(self, sid: str) -> bytes:
        """All of an article as its own page shows it: its citations carry their facts (the source page shows their
        claims beside the passages)."""
        a = self.c.articles.get(sid)
        if a is None:
            return b"-"
        prints = self.fact_prints()
        return digest(self.of(("summary", sid)), b"".join([prints.get(x.fact.id, b"-") for x in a.cited]))

    def _totals(self) -> bytes:
        return repr(self.c.totals()).encode()

    def _headline(self, n: int) -> bytes:
        """Which facts are the headline (what they say: their own keys)."""
        return digest(*(f.id for f in self.c.headline(n)))

    def _own(self, rid: str) -> bytes:
        return self._facts(self.c.own.get(rid, []), ("own", rid))

    def _mentions(self, rid: str) -> bytes:
        return self._facts(self.c.mentions.get(rid, []), ("mentions", rid))

    def _by_topic(self, tid: str) -> bytes:
        return self._facts(self.c.by_topic.get(tid, []), ("by_topic", tid))

    def _topic_count(self, tid: str) -> bytes:
        return str(len(self.c.by_topic.get(tid, ()))).encode()

    def _children(self, rid: str) -> bytes:
        return digest(*self.c.children(rid))

    def _ancestors(self, rid: str) -> bytes:
        return digest(*self.c.ancestors(rid)) if rid in self.c.regions else b"-"

    def _count(self, rid: str) -> bytes:
        """Facts on the region's page and below it."""
        return digest(str(len(self.c.own.get(rid, [])) + len(self.c.rollup(rid))))

    def _where(self, folder: str, rid: str) -> bytes:
        mark = self.c.mark(folder, rid, "id") if (folder, rid) in self.c.where else None
        return repr(mark).encode()

    def _chart(self, name: str) -> bytes:
        d = self.charts.get(name)  # what a page shows of it (its SVG is a file of its own)
        return digest(repr((d.title, d.desc, d.bars, sorted(d.regions)))) if d else b"-"

    def _charts_of(self, rid: str) -> bytes:
        """The charts a region's page shows."""
        if self._charts_by_region is None:
            self._charts_by_region = defaultdict(list)
            for name, d in self.charts.items():
                for shown_on in d.regions:
                    self._charts_by_region[shown_on].append(name)
        return digest(*(self.of(("chart", name)) for name in self._charts_by_region.get(rid, ())))

    def _all(self, attr: str) -> bytes:
        """A whole collection of the corpus, in its order."""
        c = self.c
        if attr == "facts":
            return self._facts(c.facts.values(), ("all", "facts"))
        if attr == "findings":
            return digest(*(repr(f) for f in c.findings))
        if attr == "articles":  # as lists of them show them (View.articles)
            return digest(*(self.of(("summary", sid)) for sid in c.articles))
        if attr == "regions":
            return digest(*(self.of(("region", rid)) for rid in c.regions))
        return digest(*(_json(r) for r in getattr(c, attr).values()))  # topics, terms, charts


@dataclass
class Rendered:
    content: bytes
    deps: frozenset = frozenset()  # what the page read (none: not a page, or not recorded)
    snippets: dict | None = None  # rendered in another process: the snippets it kept (render.Shared.keep_snippet)
    outline: Any = None  # a page written in HTML by its template (`*.html.j2`), no Markdown to convert: its htmlpage.Outline


@dataclass
class PageCache:
    """The last rendering: each generated file with what its rendering read (empty for files that are not pages),
    and `memo`, what the makers of the other files keep for the next rendering (charts.draw_charts,
    export.data_files, render.explorer_data: a piece made again only when what it is made of changed)."""

    files: dict[str, Rendered] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)
    pending: object = None  # render.PendingDownloads: downloads still being made (a build's, render_pages(defer=True))

    def reusable(self, src: str, prints: Fingerprints) -> Rendered | None:
        """The page as last rendered, if everything it read is unchanged in the new corpus."""
        last = self.files.get(src)
        if last is None or not last.deps or not prints.unchanged(last.deps):
            return None
        return last

    def contents(self) -> dict[str, bytes]:
        return {src: r.content for src, r in self.files.items()}

    def outlines(self) -> dict:
        """The pages written in HTML, each with its outline (htmlpage.Outline)."""
        return {src: r.outline for src, r in self.files.items() if r.outline is not None}
