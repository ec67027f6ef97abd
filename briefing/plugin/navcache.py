"""Material's primary navigation, rendered once for all the pages that show it the same.

Material renders the whole sidebar navigation on every page: at 100 times the corpus that was more than half of the
theme's time (1,500 pages, ~60 items each). Most of those pages (the places below the navigation's budget, the
articles) are not in the navigation, so nothing in it is marked active or open for them, and its links, relative to
the page, are the same strings for every page in the same folder: `regions/a/` and `regions/b/` both link to
`../c/`. overrides/partials/nav.html asks this cache for such a page's navigation and renders Material's own
partial (upstream.theme_template) only for the first page of each folder. A page in the navigation, or one whose
folder holds pages the navigation links to (the links would start from it), is rendered as before.
"""
from __future__ import annotations

from markupsafe import Markup

from ..rawhtml import one_line_break


def _parts(url: str) -> tuple[str, ...]:
    return tuple(p for p in url.split("/") if p)


def start_of(url: str) -> tuple[str, ...]:
    """The folder a page's relative links start from, as MkDocs' get_relative_url takes it (a last part with a dot is
    a file name)."""
    parts = _parts(url)
    return parts[:-1] if parts and "." in parts[-1] else parts


class NavCache:
    def __init__(self) -> None:
        self.html: dict[tuple, str] = {}
        self.listed: frozenset = frozenset()  # the pages the navigation lists (by source path)
        self.inside: frozenset = frozenset()  # every folder that holds a page the navigation links to

    def reset(self, nav) -> None:
        """A new build's navigation (MkDocs' Navigation): forget the last one's HTML."""
        self.html.clear()
        self.listed = frozenset(p.file.src_uri for p in nav.pages)
        self.inside = frozenset(parts[:n] for p in nav.pages for parts in [_parts(p.url)]
                                for n in range(len(parts) + 1))

    def key(self, page) -> tuple | None:
        """What the navigation of `page` depends on, or None when it must be rendered for this page alone."""
        if page is None or page.file.src_uri in self.listed:
            return None
        start = start_of(page.url)
        if not start or start in self.inside:
            return None
        return start[:-1]

    def get(self, key: tuple | None) -> str | None:
        return None if key is None else self.html.get(key)

    def put(self, key: tuple | None, html: str) -> str:
        """The navigation rendered for a page, kept for the pages of its key. What is kept is already squeezed as the
        plugin squeezes the layout around a page's article (rawhtml.squeeze_chrome, which gives the same page from
        it): three quarters of its lines are the theme's blank lines, and were squeezed again on every page."""
        if key is not None:
            squeezed = one_line_break(html)
            html = self.html[key] = Markup(squeezed) if isinstance(html, Markup) else squeezed
        return html
