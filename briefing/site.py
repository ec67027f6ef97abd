"""Glue between the engine and MkDocs: cached engine state, safe builds into site/, and the live preview."""
from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import feeds, history
from .checks import load
from .corpus import Corpus
from .diagnostics import Report
from .drafts import left_out_summary
from .loader import enable_parse_cache
from .pagecache import PageCache
from .render import nav, render_pages
from .whatsnew import WhatsNew

WATCHED = ("facts", "templates", "docs/index.md")


@dataclass
class EngineState:
    """The last good rendering, kept so a broken edit under `serve` never replaces a good preview."""

    fingerprint: tuple = ()
    strict: bool = False
    drafts: bool = False  # shown (serve) or left out (build): see drafts.py
    corpus: Corpus | None = None
    pages: dict[str, bytes] = field(default_factory=dict)
    rendering: PageCache | None = None  # the pages with what they were made of, to re-render only what changed
    nav: list = field(default_factory=list)
    report: Report = field(default_factory=Report)
    error: Report | None = None  # the current input is broken; pages/nav are the last good ones
    timings: dict[str, float] = field(default_factory=dict)
    history: history.History | None = None  # the facts' history at the last commit read


STATE = EngineState()


def fingerprint(root: Path) -> tuple:
    out = []
    for name in WATCHED:
        top = root / name
        if top.is_file():
            st = top.stat()
            out.append((name, st.st_mtime_ns, st.st_size))
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            for f in sorted(files):
                st = os.lstat(os.path.join(folder, f))
                out.append((os.path.join(folder, f), st.st_mtime_ns, st.st_size))
    return tuple(out)


def refresh(root: Path, strict: bool = False, drafts: bool = False) -> EngineState:
    """Load, validate and render when the inputs changed since the last call; keep the last good pages on failure.
    `drafts`: render the drafts too (serve) or leave them out (build), see drafts.py."""
    fp = fingerprint(root)
    if fp == STATE.fingerprint and (strict, drafts) == (STATE.strict, STATE.drafts):
        return STATE
    STATE.fingerprint, STATE.strict, STATE.drafts = fp, strict, drafts
    STATE.corpus = None  # not needed to keep showing the last good pages; one corpus in memory, not two
    t0 = time.perf_counter()
    corpus, report = load(root, drafts)
    t1 = time.perf_counter()
    STATE.report = report
    if report.failed(strict):
        STATE.error = report
        return STATE
    if any(corpus.left_out.values()):
        print(left_out_summary(corpus), file=sys.stderr)
    STATE.fingerprint = ()  # until the pages are rendered: a failing template is tried again on the next refresh
    last_note = STATE.history.note if STATE.history else None
    STATE.history = history.load(root, corpus, STATE.history)
    if STATE.history.note and STATE.history.note != last_note:  # said once, not on every rebuild of `serve`
        print(STATE.history.note, file=sys.stderr)
    t2 = time.perf_counter()
    news = WhatsNew(corpus, STATE.history, *(feeds.site_config(root) if STATE.history.available else ()))
    STATE.rendering = render_pages(corpus, root / "templates", root / "docs", STATE.rendering, news)
    STATE.pages = STATE.rendering.files
    STATE.fingerprint = fp
    STATE.nav = nav(corpus)
    STATE.corpus, STATE.error = corpus, None
    STATE.timings = {"load+validate": t1 - t0, "history": t2 - t1, "render": time.perf_counter() - t2}
    return STATE


def keep_for_rebuilds() -> None:
    """For `serve`: a refresh re-parses only the fact files whose text changed and re-renders only the pages whose
    inputs changed (a one-off build does neither: nothing to compare with)."""
    enable_parse_cache()
    if STATE.rendering is None:
        STATE.rendering = PageCache()


def source_date_epoch(corpus: Corpus) -> str:
    """Builds are reproducible: the build date MkDocs stamps (sitemap) is the newest article's date."""
    dates = [a.meta.published for a in corpus.articles.values() if a.meta.published]
    day = dt.date.fromisoformat(max(dates)) if dates else dt.date(2000, 1, 1)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()))


def _mkdocs_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_briefing", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._briefing = True
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def build_site(root: Path, strict: bool = False, site_dir: Path | None = None) -> int:
    """Validate, render and build into a temporary folder; replace site/ only when everything succeeded."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    print("load + validate: reading facts/ ...", file=sys.stderr)
    state = refresh(root, strict, drafts=False)
    state.report.print()
    if state.error:
        print(f"{state.report.summary()}: nothing built, {site_dir or 'site/'} left as it was", file=sys.stderr)
        return 1
    corpus = state.corpus
    print(f"validated {len(corpus.facts)} facts, {len(corpus.articles)} sources ({state.report.summary()}); "
          f"rendered {sum(k.endswith('.md') for k in state.pages)} pages in {state.timings['render']:.2f}s", file=sys.stderr)
    target = (site_dir or root / "site").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    _mkdocs_logging()
    print("mkdocs: building the site ...", file=sys.stderr)
    t_mk = time.perf_counter()
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp), strict=True)
        build(config)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"error: the MkDocs build failed: {exc}; {target.name}/ left as it was", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    mk_seconds = time.perf_counter() - t_mk
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=target.parent))
        os.replace(target, old / "site")
    os.replace(tmp, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    pages = sum(1 for _ in target.rglob("*.html"))
    print(f"built {len(corpus.facts)} facts, {len(corpus.articles)} sources, {len(corpus.regions)} regions, "
          f"{pages} pages in {time.perf_counter() - started:.1f} s (MkDocs {mk_seconds:.1f} s) -> {target}")
    return 0


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def allow_dirty_builds() -> None:
    """`serve` runs dirty builds, kept correct by briefing.incremental: MkDocs' warning about them (which strict mode
    turns into an abort) does not apply."""
    logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)


def serve_site(root: Path, dev_addr: str = "127.0.0.1:8000", strict: bool = False) -> int:
    """Live preview; a broken edit keeps the last good pages and shows the error (see mkdocs_hook)."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    allow_dirty_builds()
    keep_for_rebuilds()
    state = refresh(root, strict, drafts=True)
    state.report.print()
    if state.error:
        print(f"{state.report.summary()}: fix the files above, then run serve again", file=sys.stderr)
        return 1
    _mkdocs_logging()
    print(f"serving on http://{dev_addr}/ (Ctrl+C stops); editing facts/, templates/, docs/ or mkdocs.yml rebuilds", file=sys.stderr)
    try:
        serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True, build_type="dirty",
              strict=strict or None)
    except MkDocsException as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
