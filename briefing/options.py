"""What the engine is told by its caller (the MkDocs plugin's typed config, plugin/config.py, or the CLI): one frozen
object handed to the pipeline, the renderer and the engine. The defaults here are the plugin's defaults."""
from __future__ import annotations

from dataclasses import dataclass

# The inputs the engine reads, relative to the repository root: a change to any of them means a new rendering
# (serve watches them through the plugin; `facts` includes the articles; jieba-user.txt: the search index's Chinese words).
WATCHED = ("facts", "templates", "docs/index.md", "jieba-user.txt")


@dataclass(frozen=True)
class Options:
    coverage_target: float = 95.0  # % of an article's numbers that reviewed facts must quote (else a warning)
    strict: bool = False  # warnings count as errors
    drafts: bool = False  # show the drafts (the live preview) or leave them out (what `build` publishes): drafts.py
    # the regions with a card on the home page, in this order (ids missing from the corpus are skipped)
    home_regions: tuple[str, ...] = ("jing-jin-ji", "beijing", "tianjin", "hebei", "xiongan", "liaoning")
    # the home page's schematic map: the box it draws (west and east longitude, south and north latitude)
    map_box: tuple[float, float, float, float] = (113.0, 125.4, 37.7, 42.4)
    watched: tuple[str, ...] = WATCHED
    # the most places, topics and articles the navigation lists (each): deeper places are reached from their parent's
    # page, more topics or articles from their index page (render.nav), so a page's navigation has a bounded cost
    nav_budget: int = 150
    # the most facts for which facts.json, facts.csv and figures.json are published uncompressed as well as
    # gzip-compressed (.gz, always there): at 100 times the real corpus they would be a quarter of the site (gzipped.py)
    plain_downloads: int = 5000
    processes: int = 0  # processes rendering the pages (parallel.py): 0 = one per core, 1 = all in this one
    toc_depth: int = 6  # the deepest heading in a page's table of contents (Markdown's toc extension: mkdocs.yml)
    site_url: str = ""  # absolute address of the site, ending in '/' (the feeds' links); "" when none is set
    site_name: str = ""
