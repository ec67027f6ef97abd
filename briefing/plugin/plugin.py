"""The `briefing` MkDocs plugin: runs the engine and hands its pages to MkDocs as files made in memory.

`mkdocs build`, `mkdocs serve`, `properdocs build|serve` and build_site.py all go through it. MkDocs keeps one plugin
instance for a whole `serve`, so the plugin holds the Engine and with it every piece of state kept between rebuilds.
Under `serve`, a broken edit keeps the last good pages and shows the problems on every page (overrides/main.html) and in
the terminal; in a dirty `serve` (what build_site.py serve runs) MkDocs rewrites only the pages whose content changed.
"""
from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .. import feeds, htmlpage, rawhtml, searchindex, templatecache
from ..engine import Engine, source_date_epoch
from ..pagecache import digest
from ..options import Options
from . import upstream
from .icons import Icons
from .navcache import NavCache
from .config import BriefingConfig


class Progress:
    """A one-line counter on a terminal for the slow phase of a big build: MkDocs converting and writing pages."""

    def __init__(self, total: int, shown: bool):
        self.total, self.done, self.shown = total, 0, 0.0
        self.on = shown and sys.stderr.isatty() and total >= 200

    def step(self, what: str) -> None:
        self.done += 1
        if self.on and (time.monotonic() - self.shown > 0.2 or self.done == self.total):
            self.shown = time.monotonic()
            bar = "#" * (30 * self.done // self.total)
            print(f"\rmkdocs: {what} {bar:<30} {self.done}/{self.total}", end="" if self.done < self.total else "\n",
                  file=sys.stderr, flush=True)
            if self.done == self.total:
                self.done = 0


class BriefingPlugin(BasePlugin[BriefingConfig]):
    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.command, self.dirty = "build", False
        self.changed: set[str] | None = None  # this build's changed pages; None: all of them
        self.rendered: set[str] = set()  # the pages this build renders
        self.reindexer = searchindex.Reindexer()  # serve: the search index follows each build in the background
        self.stream: searchindex.Stream | None = None  # build: the index made while MkDocs writes the pages
        self.sent: dict = {}  # build: the pages sent to the stream before they were written (_send_pages)
        self.search_stats: dict | None = None  # build: what the indexing process reported
        self.raw: dict[str, list] = {}  # page -> its raw HTML blocks, between on_page_markdown and on_post_page
        self.progress = Progress(0, False)
        self.navcache = NavCache()  # Material's navigation, once for the pages that show it the same
        self.icons = Icons()  # the layout's icons, once in site/assets/icons.svg
        self.theme_files = upstream.ThemeListing()  # the installed theme's file list, walked once
        self.reported = None  # the report last printed: printed once, not on every rebuild

    def options(self, config, drafts: bool | None = None) -> Options:
        """The engine's options from this plugin's config and MkDocs' (`drafts`: the caller decides, else the
        config's policy: auto = shown by serve only)."""
        o = self.config
        if drafts is None:
            drafts = o.drafts == "show" or (o.drafts == "auto" and self.command == "serve")
        url = config.site_url or ""
        return Options(coverage_target=o.coverage_target, strict=o.strict, drafts=drafts,
                       home_regions=tuple(o.home_regions), map_box=tuple(o.map_box), watched=tuple(o.watch),
                       nav_budget=o.nav_budget, plain_downloads=max(0, o.plain_downloads),
                       processes=max(0, o.processes), toc_depth=upstream.toc_depth(config),
                       site_url=url if url.endswith("/") or not url else url + "/", site_name=config.site_name or "")

    def on_startup(self, *, command, dirty):
        self.command, self.dirty = command, dirty
        if dirty:  # `mkdocs serve --dirty` as well as build_site.py serve: incremental rebuilds
            upstream.allow_dirty_builds()

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        serving = self.command == "serve"  # MkDocs keeps a plugin for its process: a new engine for another root or mode
        if self.engine is None or self.engine.root != root or (self.engine.rendered is not None) != serving:
            self.engine = Engine(root, keep=serving)
        # a build leaves the downloads in the making (render.PendingDownloads) until the pages are written
        state = self.engine.refresh(self.options(config), defer=self.command != "serve")
        if state.report is not self.reported:
            self.reported = state.report
            if not state.error:
                state.report.print()
        if state.error:
            problems = "\n".join(state.error.lines())
            if self.command != "serve" or not state.pages:
                raise PluginError(f"the facts have errors; nothing was built:\n{problems}\n{state.error.summary()}")
            # printed, not logged: a logged error would abort MkDocs' strict mode and leave the preview stuck
            print(f"the facts have errors; the preview keeps the last good version:\n{problems}\n"
                  f"{state.error.summary()}", file=sys.stderr, flush=True)
        if state.corpus is not None:
            os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(state.corpus))
        config.nav = state.nav
        self.theme_files.use(config)
        with open(config.config_file_path, "rb") as f:
            whole = (repr(state.nav), digest(f.read()), tuple(state.error.lines()) if state.error else ())
        self.changed = self.engine.rebuilds.plan(state.pages, whole, self.dirty)
        if self.command != "serve" and self.config.index_while_building:  # jieba and Pagefind load meanwhile
            self._stop_stream()
            self.stream = searchindex.Stream(Path(config.site_dir), self.engine.root / searchindex.USER_DICT.name)
        if self.command != "serve":
            # A build holds the corpus and the pages (millions of objects) until it ends, and MkDocs' allocations
            # made the cyclic collector walk them again and again (1.6 s of collections at 100x): out of its sight
            # until the build ends. (Not under serve: each rebuild leaves the last corpus to be collected.)
            gc.freeze()
        if self.changed is not None:
            upstream.skip_static_templates(config)
        self.rendered = set()
        return config

    def on_serve(self, server, config, builder):
        """Watch what the engine reads, and the theme override."""
        root = self.engine.root
        for name in self.config.watch:
            if (root / name).exists():
                server.watch(str(root / name))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server

    def on_files(self, files, config):
        rebuilds, state = self.engine.rebuilds, self.engine.state
        for src, content in sorted(state.pages.items()):
            existing = files.get_file_from_path(src)
            if existing is not None:  # the engine's page replaces the hand-written one (it includes it: docs/index.md)
                files.remove(existing)
            f = upstream.generated_file(config, src, content, self.changed is None or src in self.changed,
                                        in_nav=src in state.in_nav or not src.endswith(".md"))
            files.append(f)
            rebuilds.writing[src] = f.abs_dest_path
        if state.pending is not None:  # written at the end of the build (on_post_build)
            for src in state.pending.paths:
                files.append(upstream.deferred_file(config, src))
        for f in upstream.unused_theme_files(files, config):
            files.remove(f)
        if self.changed is None:  # hand-written pages show the navigation too
            for f in files.documentation_pages():
                if not isinstance(f, upstream.GeneratedFile):
                    upstream.rebuild_always(f)
        return files

    def on_env(self, env, config, files):
        upstream.theme_template(env, config)
        templatecache.use(env, self.engine.root)  # MkDocs makes the theme's environment anew for every build
        env.globals["briefing_nav"] = self.navcache  # overrides/partials/nav.html
        if self.stream is not None:
            self.sent = self._send_pages(env, config, files)
        return env

    def _send_pages(self, env, config, files) -> dict:
        """Send the indexing process every page as MkDocs will write it, before it writes any (MkDocs has read and
        converted them all by now): Pagefind then indexes while MkDocs writes (searchindex.Stream). What search
        reads of a page is its language and title, which the theme writes (upstream.page_language, page_title), and
        its article: the engine's HTML, or the converted Markdown. Returns, by page, what on_post_page checks the
        written page against; nothing is sent (each page goes as it is written) when a page is not ready or the
        theme would add a heading to one."""
        pages = [f.page for f in files.documentation_pages()]
        language = upstream.page_language(env, config)
        if language is None or any(p is None or p.content is None or "<h1" not in p.content for p in pages):
            return {}
        outlines, sent = self.engine.state.outlines, {}
        for page in pages:
            src, rel = page.file.src_uri, page.file.dest_uri
            if not searchindex.indexed(rel):
                continue
            title = upstream.page_title(page, config)
            if src in outlines:  # its HTML, the engine's bytes (not copied: the queue holds every page at once)
                article, kept = page.file.content_bytes, None
            else:
                kept = rawhtml.restore(page.content, self.raw.get(src, []), late=True).strip()
                article = kept.encode()
            self.stream.send(rel, language, title, article)
            sent[src] = (language, title, kept)
        self.stream.ready()
        return sent

    def on_nav(self, nav, config, files):
        self.navcache.reset(nav)
        titles = self.engine.rebuilds.titles
        for f in files.documentation_pages():
            if f.page is not None and not f.is_modified() and f.src_uri in titles:
                upstream.keep_title(f.page, titles[f.src_uri])
        self.progress = Progress(len(files.documentation_pages()), self.command == "build")
        return nav

    def on_pre_page(self, page, config, files):
        written = self.engine.state.outlines.get(page.file.src_uri)
        if written is not None:  # a page written in HTML: read without Markdown
            upstream.read_as_html(page, written)
        return page

    def on_page_markdown(self, markdown, page, config, files):
        state = self.engine.state
        feed = feeds.feed_of(page.file.src_uri)
        if feed in state.pages:  # overrides/main.html announces it in the page's head
            page.meta["feed"] = feed
        if state.error:  # overrides/main.html shows them above the page
            page.meta["build_errors"] = state.error.lines()[:20]
        if page.file.src_uri in state.outlines:  # nothing for Markdown to do: on_post_page puts it in
            return ""
        markdown, self.raw[page.file.src_uri] = rawhtml.stash(markdown)
        return markdown

    def on_page_content(self, html, page, config, files):
        self.progress.step("converting pages")
        written = self.engine.state.outlines.get(page.file.src_uri)  # a page written in HTML: its outline
        if written is not None:  # MkDocs holds every page's content until it writes the last one: a placeholder
            return written.placeholder()  # here, the page's HTML (the engine's UTF-8 bytes) when written
        return rawhtml.restore(html, self.raw.get(page.file.src_uri, []), late=False)

    def on_page_context(self, context, page, config, nav):
        self.rendered.add(page.file.src_uri)
        self.engine.rebuilds.titles[page.file.src_uri] = page.title
        return context

    def on_post_page(self, output, page, config):
        self.progress.step("writing pages   ")
        output = self.icons.link(rawhtml.squeeze_chrome(output), page.url)
        html = None
        if page.file.src_uri in self.engine.state.outlines:
            html = page.file.content_string  # the page's HTML as the engine wrote it (htmlpage.body)
            output = htmlpage.PLACEHOLDER.sub(lambda _: html, output, count=1)
        else:
            output = rawhtml.restore(output, self.raw.pop(page.file.src_uri, []), late=True)
        if self.stream is not None:
            sent = self.sent.pop(page.file.src_uri, None)  # sent before it was written: sent again if not so written
            article = sent and (sent[2] if html is None else html.strip())
            if sent is None or searchindex.indexed_parts(output) != (sent[0], sent[1], article):
                self.stream.add(page.file.dest_uri, output)
        return output

    def on_post_build(self, config):
        if self.command != "serve":
            gc.unfreeze()  # see on_config (under serve the engine keeps its state frozen: collector.py)
        for dest in self.engine.rebuilds.finished():
            if os.path.isfile(dest):
                os.remove(dest)
        self.icons.write(Path(config.site_dir))
        self._write_pending(Path(config.site_dir))
        # the search index of the written site (site/pagefind/): under serve in the background, a rebuild never waits;
        # in a build, made while the pages were written (what is left: installing it, or indexing pages sent again)
        site_dir, user_dict = Path(config.site_dir), self.engine.root / searchindex.USER_DICT.name
        if self.command == "serve":
            self.reindexer.request(site_dir, user_dict)
            return
        stream, self.stream = self.stream, None
        try:
            if stream is not None:
                try:
                    self.search_stats = stream.finish()
                    return
                except RuntimeError as exc:  # the index of the written site instead (its errors stop the build)
                    print(f"search index: indexing the written site, the streamed index failed: {exc}",
                          file=sys.stderr, flush=True)
            searchindex.index_site(site_dir, user_dict)
        except (RuntimeError, OSError, ValueError) as exc:  # such as a user dictionary jieba cannot read
            raise PluginError(f"the search index failed: {type(exc).__name__}: {exc}") from None

    def _write_pending(self, site_dir: Path) -> None:
        """The downloads made while MkDocs wrote the pages (render.PendingDownloads), written into the site; kept
        with the pages for a build of the same state again."""
        state = self.engine.state
        pending, state.pending = state.pending, None
        if pending is None:
            return
        try:
            made = pending.collect()
        except Exception as exc:  # noqa: BLE001 - the error of the process that made them: the build fails with it
            raise PluginError(f"making the downloads failed: {type(exc).__name__}: {exc}") from None
        for src, content in made.items():
            dest = site_dir / src
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(content)
        state.pages.update(made)

    def on_build_error(self, error):
        if self.command != "serve":
            gc.unfreeze()
        self.raw.clear()
        self._stop_stream()
        if self.engine is not None and self.engine.state.pending is not None:
            self.engine.state.pending.cancel()
            self.engine.state.pending = None
        if self.engine is not None:
            self.engine.rebuilds.forget()

    def _stop_stream(self) -> None:
        if self.stream is not None:
            self.stream.stop()
            self.stream = None
