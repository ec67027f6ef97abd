"""MkDocs hook (listed in mkdocs.yml): runs the engine and adds its pages as virtual files.

`mkdocs build` and `mkdocs serve` work on their own through this hook. Under `serve`, a broken edit keeps the last
good pages and shows the problems as a notice on every page and in the terminal. Under a dirty `serve` (what
`build_site.py serve` runs), MkDocs re-renders only the pages whose content changed (see `briefing.incremental`).
"""
from __future__ import annotations

import html
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from briefing import drafts, feeds, incremental, rawhtml, searchindex, site  # noqa: E402

_command = {"name": "build", "dirty": False}


def on_startup(command, dirty):
    _command.update(name=command, dirty=dirty)
    if dirty:  # `mkdocs serve --dirty` directly: the same incremental rebuilds as `build_site.py serve`
        site.allow_dirty_builds()


class Progress:
    """A one-line counter on a terminal for the slow phase of a big build: MkDocs converting and writing pages."""

    def __init__(self, total: int):
        self.total, self.done, self.shown = total, 0, 0.0
        self.on = sys.stderr.isatty() and _command["name"] == "build" and total >= 200

    def step(self, what: str) -> None:
        self.done += 1
        if self.on and (time.monotonic() - self.shown > 0.2 or self.done == self.total):
            self.shown = time.monotonic()
            bar = "#" * (30 * self.done // self.total)
            print(f"\rmkdocs: {what} {bar:<30} {self.done}/{self.total}", end="" if self.done < self.total else "\n",
                  file=sys.stderr, flush=True)
            if self.done == self.total:
                self.done = 0


_progress = Progress(0)
_raw: dict[str, list] = {}  # page -> its raw blocks, between on_page_markdown and on_post_page


@event_priority(100)
def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    state = site.refresh(root, site.STATE.strict, drafts.shown_by(_command["name"]))
    if state.error:
        problems = "\n".join(state.error.lines())
        if _command["name"] != "serve" or not state.pages:
            raise PluginError(f"the facts have errors; nothing was built:\n{problems}\n{state.error.summary()}")
        # printed, not logged: a logged error would abort MkDocs' strict mode and leave the preview stuck
        print(f"the facts have errors; the preview keeps the last good version:\n{problems}\n{state.error.summary()}",
              file=sys.stderr, flush=True)
    if state.corpus is not None:
        os.environ.setdefault("SOURCE_DATE_EPOCH", site.source_date_epoch(state.corpus))
    config.nav = state.nav
    incremental.TRACKER.plan(state, config, _command["dirty"])
    return config


def on_files(files, config):
    for src, content in sorted(site.STATE.pages.items()):
        existing = files.get_file_from_path(src)
        if existing is not None:  # the engine's page replaces the hand-written one (it includes it: docs/index.md)
            files.remove(existing)
        files.append(incremental.GeneratedFile.generated(config, src, content=content))
    incremental.TRACKER.mark(files)
    return files


def on_nav(nav, config, files):
    global _progress
    incremental.TRACKER.fill_titles(files)
    _progress = Progress(len(files.documentation_pages()))
    return nav


def on_page_markdown(markdown, page, config, files):
    feed = feeds.feed_of(page.file.src_uri)
    if feed in site.STATE.pages:  # overrides/main.html announces it in the page's head
        page.meta["feed"] = feed
    markdown, _raw[page.file.src_uri] = rawhtml.stash(markdown)
    return markdown


def on_page_content(html_, page, config, files):
    _progress.step("converting pages")
    return rawhtml.restore(html_, _raw.get(page.file.src_uri, []), late=False)


def on_page_context(context, page, config, nav):
    incremental.TRACKER.rendering(page)
    return context


@event_priority(100)
def on_post_build(config):
    incremental.TRACKER.finish(config)
    searchindex.after_build(config, serve=_command["name"] == "serve")  # site/pagefind/: now, or under serve soon after


def on_post_page(output, page, config):
    _progress.step("writing pages   ")
    output = rawhtml.restore(output, _raw.pop(page.file.src_uri, []), late=True)
    error = site.STATE.error
    if not error:
        return output
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in error.lines()[:20])
    notice = (f'<div class="admonition failure build-error" role="alert"><p class="admonition-title">'
              f'The last edit has errors: showing the last good version</p><ul>{items}</ul></div>')
    return output.replace('<article class="md-content__inner md-typeset">',
                          '<article class="md-content__inner md-typeset">' + notice, 1)


def on_build_error(error):
    incremental.TRACKER.forget()
