"""The engine: runs the pipeline and renders the pages, and keeps what a live preview needs between rebuilds.

One Engine per repository, held by the MkDocs plugin (plugin/plugin.py) for as long as MkDocs keeps the plugin (the
whole of a `serve`). It owns every piece of state kept between two rebuilds: the pipeline's memo (only edited files
are parsed and validated again, only the facts that changed are checked again: pipeline.Memo), the page cache (only pages whose inputs changed are rendered again), the record of the last site build
(MkDocs rewrites only the pages whose content changed: Rebuilds), the facts' history, and the last good rendering,
which a broken edit never replaces. Nothing here imports MkDocs: another site engine needs only another adapter.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import history, pipeline, templatecache
from .collector import KeptState
from .corpus import Corpus
from .diagnostics import Report
from .drafts import left_out_summary
from .options import Options
from .pagecache import PageCache, digest
from .render import environment, nav, nav_pages, render_pages
from .whatsnew import WhatsNew


@dataclass
class Rendering:
    """The last good rendering: what the site shows, kept while a broken edit is fixed."""

    corpus: Corpus | None = None
    pages: dict[str, bytes] = field(default_factory=dict)  # generated file -> content (UTF-8)
    nav: list = field(default_factory=list)
    in_nav: frozenset = frozenset()  # the pages the navigation lists (the others are reached from their index pages)
    outlines: dict = field(default_factory=dict)  # the pages written in HTML (no Markdown to convert): their outline
    report: Report = field(default_factory=Report)  # the problems of the last run (of the current input)
    error: Report | None = None  # the current input is broken: pages and nav are the last good ones
    timings: dict[str, float] = field(default_factory=dict)
    pending: object = None  # render.PendingDownloads: files still being made (refresh(defer=True)), not in pages


class Rebuilds:
    """Which generated pages changed since the last finished site build, for a site engine that can rewrite only
    those (MkDocs' dirty builds under serve: plugin/plugin.py). Also each page's title when last built (pages not
    rebuilt keep showing it in the navigation of the others) and where each page was written."""

    def __init__(self) -> None:
        self.hashes: dict[str, bytes] = {}  # page -> hash of its content when the last finished build wrote it
        self.whole: tuple | None = None  # what shows on every page, as of the last finished build
        self.pending: tuple = ({}, None)
        self.titles: dict[str, str] = {}  # page -> its title when last built
        self.written: dict[str, str] = {}  # page -> its output file, deleted when the page disappears
        self.writing: dict[str, str] = {}
        self._digests: dict[str, tuple[bytes, bytes]] = {}  # page -> (its content last planned, its hash)

    def plan(self, pages: dict[str, bytes], whole: tuple, incremental: bool) -> set[str] | None:
        """The pages to rebuild: those whose content changed, or None (all) when not incremental or when what every
        page shows (`whole`: the navigation, the site's configuration, the error notice) changed."""
        last = self._digests  # a page reused from the last rendering is the same bytes object: not hashed again
        hashes = {src: h[1] if (h := last.get(src)) is not None and h[0] is content else digest(content)
                  for src, content in pages.items()}
        self._digests = {src: (content, hashes[src]) for src, content in pages.items()}
        self.pending, self.writing = (hashes, whole), {}
        if incremental and whole == self.whole:
            return {src for src, h in hashes.items() if self.hashes.get(src) != h}
        return None

    def finished(self) -> list[str]:
        """The build is complete: remember it; returns the output files of the pages that disappeared."""
        hashes, whole = self.pending
        gone = [dest for src, dest in self.written.items() if src not in hashes]
        self.hashes, self.whole, self.written = hashes, whole, self.writing
        return gone

    def forget(self) -> None:
        """A failed build may have written some pages and not others: the next one rebuilds everything."""
        self.whole = None


class Engine:
    def __init__(self, root: Path, keep: bool = False, disk_cache: bool = True):
        """`keep`: keep validated files, checks and rendered pages between refreshes (serve); a one-off build keeps
        nothing but the file cache on disk (`disk_cache`, filecache.py)."""
        self.root = root
        self.env = templatecache.use(environment(root / "templates"), root)  # compiled once, not per process
        self.memo = pipeline.Memo.of(root, keep=keep, disk=disk_cache)
        self.rendered = PageCache() if keep else None
        self.kept = KeptState() if keep else None  # serve: what a rebuild keeps, out of the collector's sight
        self.rebuilds = Rebuilds()
        self.history: history.History | None = None
        self.state = Rendering()
        self._seen: tuple = ()  # the inputs and options of the last refresh

    def inputs(self, options: Options) -> tuple:
        """(path, mtime, size) of every file the engine reads: unchanged inputs need no new rendering."""
        out = []
        for name in options.watched:
            top = self.root / name
            if top.is_file():
                st = top.stat()
                out.append((name, st.st_mtime_ns, st.st_size))
            for folder, dirs, files in os.walk(top):
                dirs.sort()
                for f in sorted(files):
                    st = os.lstat(os.path.join(folder, f))
                    out.append((os.path.join(folder, f), st.st_mtime_ns, st.st_size))
        return tuple(out)

    def refresh(self, options: Options, defer: bool = False) -> Rendering:
        """Check and render when the inputs or options changed since the last call; keep the last good pages when the
        input is broken (state.error). `defer` (a one-off site build): the downloads may be left in the making, in
        state.pending (render_pages), for the site engine to collect once it has written the pages."""
        seen = (self.inputs(options), options)
        if seen == self._seen:
            return self.state
        self._seen = ()  # until the pages are rendered: a failing template is tried again on the next refresh
        try:
            return self._refresh(options, seen, defer)
        finally:
            if self.kept is not None:
                self.kept.settle()

    def _refresh(self, options: Options, seen: tuple, defer: bool) -> Rendering:
        state = self.state
        state.corpus = None  # not needed to keep showing the last good pages; one corpus in memory, not two
        t0 = time.perf_counter()
        corpus, report = pipeline.run(self.root, options, self.memo)
        t1 = time.perf_counter()
        state.report = report
        if report.failed(options.strict):
            state.error = report
            self._seen = seen
            return state
        if any(corpus.left_out.values()):
            print(left_out_summary(corpus), file=sys.stderr)
        last_note = self.history.note if self.history else None
        self.history = history.load(self.root, corpus, self.history)
        if self.history.note and self.history.note != last_note:  # said once, not on every rebuild of `serve`
            print(self.history.note, file=sys.stderr)
        t2 = time.perf_counter()
        news = WhatsNew(corpus, self.history, *((options.site_url, options.site_name) if self.history.available else ()))
        rendering = render_pages(corpus, self.env, self.root / "docs", options, news, self.rendered,
                                 options.processes or None, defer=defer)
        if self.rendered is not None:
            self.rendered = rendering
        state.pages, state.outlines, state.pending = rendering.contents(), rendering.outlines(), rendering.pending
        state.nav = nav(corpus, options.nav_budget)
        state.in_nav = frozenset(nav_pages(state.nav))
        state.corpus, state.error = corpus, None
        state.timings = {"check": t1 - t0, "history": t2 - t1, "render": time.perf_counter() - t2}
        self._seen = seen
        return state


def source_date_epoch(corpus: Corpus) -> str:
    """Builds are reproducible: the build date a site engine stamps (MkDocs: the sitemap) is the newest article's."""
    dates = [a.meta.published for a in corpus.articles.values() if a.meta.published]
    day = dt.date.fromisoformat(max(dates)) if dates else dt.date(2000, 1, 1)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()))
