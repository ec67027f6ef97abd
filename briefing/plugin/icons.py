"""The theme's icons, written once for the whole site instead of into every page.

Material writes each icon of its layout into each page as an inline SVG: the logo (twice: header and drawer), the menu,
the palette toggles, search, back, clear, back to top. That is 2.8 kB a page, 4 MB at 100 times the corpus, for the
same nine drawings. The plugin keeps each drawing once, as a <symbol> of site/assets/icons.svg, and the page's icon
becomes an <svg> of the same size that <use>s it: the browser fetches the file once and caches it, and the icons
keep their colour (the theme's `fill: currentcolor` on the <svg> reaches the symbol's shapes through <use>).
Only the layout around the page's <article> is rewritten; the article's own markup is the engine's.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from mkdocs.utils import get_relative_url

from .. import rawhtml

SPRITE = "assets/icons.svg"
# an icon as Material's templates include it (.icons/*.svg): one element, no attribute but its viewBox
ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([-0-9. ]+)">(<path d="[^"<>]*"/>)</svg>')


class Icons:
    """The icons met in this process's pages, by id (a hash of the drawing: the same icon has the same id in every
    build). Under serve, pages that a rebuild does not rewrite keep referring to their icons: none is ever dropped."""

    def __init__(self) -> None:
        self.symbols: dict[str, tuple[str, str]] = {}  # id -> (viewBox, the drawing)

    def link(self, html: str, page_url: str) -> str:
        """The page with each icon of its layout replaced by a reference to the sprite."""
        href = get_relative_url(SPRITE, page_url)

        def use(m: re.Match) -> str:
            key = "i" + hashlib.blake2b(m.group(0).encode(), digest_size=5).hexdigest()
            self.symbols.setdefault(key, (m.group(1), m.group(2)))
            return f'<svg viewBox="{m.group(1)}"><use href="{href}#{key}"/></svg>'

        return rawhtml.in_layout(html, lambda part: ICON.sub(use, part))

    def sprite(self) -> str:
        symbols = "".join(f'<symbol id="{key}" viewBox="{box}">{drawing}</symbol>'
                          for key, (box, drawing) in sorted(self.symbols.items()))
        return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'

    def write(self, site_dir: Path) -> None:
        """site/assets/icons.svg, rewritten only when it changed (a dirty rebuild leaves it as it was)."""
        path, text = Path(site_dir) / SPRITE, self.sprite()
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
