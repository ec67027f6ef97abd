"""The plugin's options in mkdocs.yml (`plugins: - briefing: ...`), typed and validated the MkDocs way: a wrong value
stops the build with `Config value 'plugins': Plugin 'briefing' option '...': ...`. Defaults: briefing.options."""
from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..options import Options


class Percent(c.Type):
    def __init__(self, default: float):
        super().__init__((int, float), default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or not 0 <= value <= 100:
            raise base.ValidationError(f"expected a percentage between 0 and 100, got {value!r}")
        return float(value)


class AtLeastOne(c.Type):
    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise base.ValidationError(f"expected a whole number of at least 1, got {value!r}")
        return value


class MapBox(c.BaseConfigOption):
    """[west, east, south, north]: the longitudes and latitudes the home page's map spans."""

    def __init__(self, default: tuple[float, float, float, float]):
        super().__init__()
        self.default = list(default)

    def run_validation(self, value):
        if not isinstance(value, (list, tuple)) or len(value) != 4 or \
                not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value):
            raise base.ValidationError(f"expected [west, east, south, north] in degrees, got {value!r}")
        west, east, south, north = map(float, value)
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise base.ValidationError(f"expected west < east (longitudes) and south < north (latitudes), got {value!r}")
        return (west, east, south, north)


class BriefingConfig(base.Config):
    # % of an article's numbers that reviewed facts must quote; below it `check` and `build` warn
    coverage_target = Percent(default=Options.coverage_target)
    # warnings in the facts count as errors (build_site.py --strict sets BRIEFING_STRICT, see mkdocs.yml)
    strict = c.Type(bool, default=Options.strict)
    # drafts (status: draft) on the site: auto = the live preview shows them and a build leaves them out (drafts.py)
    drafts = c.Choice(("auto", "show", "hide"), default="auto")
    # the regions with a card on the home page, in this order
    home_regions = c.ListOfItems(c.Type(str), default=list(Options.home_regions))
    map_box = MapBox(default=Options.map_box)
    # the most places, topics and articles the navigation lists (each); deeper places are reached from their parent's
    # page, more topics or articles from their index page: every page's navigation stays small at any corpus size
    nav_budget = AtLeastOne(default=Options.nav_budget)
    # the most facts for which data/facts.json, facts.csv and figures.json are also published uncompressed (their .gz
    # always is)
    plain_downloads = c.Type(int, default=Options.plain_downloads)
    # processes rendering the pages: 0 = one per core (the same pages as one process makes), 1 = no other process
    processes = c.Type(int, default=Options.processes)
    # what the engine reads besides docs/ (relative to mkdocs.yml): a change rebuilds the preview
    watch = c.ListOfItems(c.Type(str), default=list(Options.watched))
    # a build's search index made while MkDocs writes the pages (searchindex.Stream, on the core MkDocs leaves idle:
    # the pages are sent as they will be written, and again if written otherwise); false: made after the build,
    # from the written site (the same index, byte for byte)
    index_while_building = c.Type(bool, default=True)
