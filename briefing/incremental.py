"""Incremental rebuilds under `serve`: MkDocs re-renders only the generated pages whose content changed.

`build_site.py serve` runs MkDocs' dirty mode, which skips a page when its file says it is not modified. MkDocs
treats every in-memory page as modified, so the engine's pages are `GeneratedFile`s that compare a hash of their
content with what the previous build rendered. A change to what every page shows (the navigation, mkdocs.yml,
the error notice) rebuilds the whole site. A page left alone still needs its title (the footer and the navigation of
the pages around it show it): it is the one its last rendering had. The search index is made from the written site
after each build (briefing.searchindex), so it needs nothing from here.
"""
from __future__ import annotations

import hashlib
import os

from mkdocs.structure.files import File


def digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=16).digest()


def page_url(url: str) -> str:
    """A page's URL relative to the site (the home page is "", not "./")."""
    return "" if url == "./" else url


class GeneratedFile(File):
    """A page of the engine's; `changed` is set by the tracker before MkDocs asks."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class Tracker:
    def __init__(self) -> None:
        self.hashes: dict[str, bytes] = {}  # page -> hash of the content the last finished build rendered
        self.dests: dict[str, str] = {}  # page -> its output file, to delete when the page disappears
        self.titles: dict[str, str] = {}  # page -> its title when last rendered
        self.whole: tuple | None = None  # what shows on every page, as of the last finished build
        self.pending: tuple = ({}, {}, None)
        self.changed: set[str] | None = None  # this build's changed pages; None: all
        self.rendered: set[str] = set()  # URLs of the pages this build renders (filled by the hook)

    def plan(self, state, config, dirty: bool) -> None:
        """Find the generated pages whose content changed since the last finished build (None: every page)."""
        self.rendered = set()
        with open(config.config_file_path, "rb") as f:
            whole = (repr(state.nav), digest(f.read()), tuple(state.error.lines()) if state.error else ())
        hashes = {src: digest(content) for src, content in state.pages.items()}
        self.pending = (hashes, {}, whole)
        self.changed = None
        if dirty and whole == self.whole:
            self.changed = {src for src, h in hashes.items() if self.hashes.get(src) != h}
            config.theme.static_templates.clear()  # 404.html and the sitemap show only the navigation and page list

    def mark(self, files) -> None:
        changed, dests = self.changed, self.pending[1]
        for f in files:
            if isinstance(f, GeneratedFile):
                f.changed = changed is None or f.src_uri in changed
                dests[f.src_uri] = f.abs_dest_path
            elif changed is None and f.is_documentation_page():
                f.is_modified = lambda: True  # hand-written pages show the navigation too

    def rendering(self, page) -> None:
        """A page is being rendered (its title is final)."""
        self.rendered.add(page_url(page.url))
        self.titles[page.file.src_uri] = page.title

    def fill_titles(self, files) -> None:
        """Pages MkDocs will not read get the title they had, as a title in their metadata."""
        for f in files.documentation_pages():
            if f.page is not None and not f.is_modified() and f.src_uri in self.titles:
                f.page.markdown, f.page.meta = "", {"title": self.titles[f.src_uri]}

    def finish(self, config) -> None:
        """After the pages are written: delete the pages that are gone."""
        hashes, dests, whole = self.pending
        for src, dest in self.dests.items():
            if src not in hashes and os.path.isfile(dest):
                os.remove(dest)
        self.hashes, self.dests, self.whole = hashes, dests, whole

    def forget(self) -> None:
        """A failed build may have written some pages and not others: the next one rebuilds everything."""
        self.whole = None


TRACKER = Tracker()
