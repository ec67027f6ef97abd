"""Render the model into Markdown/HTML pages through the Jinja templates in templates/."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import charts, drafts, export, feeds, gzipped, highlight, htmlpage, jinjacontext, parallel, rawhtml
from .corpus import Cited, Corpus
from .jinjacontext import call_macro
from .loader import gc_paused
from .models import KIND_LABELS, QUALIFIER_SIGNS, Fact, Kind
from .numbers import format_value
from .options import Options
from .pagecache import Fingerprints, PageCache, Rendered, digest
from .textmatch import occurs_as_word
from .whatsnew import CHANGES_SRC, WhatsNew
from .urls import (cite_anchor, fact_anchor, from_anchor, page_url, paragraph_anchor, region_page_src, region_src, relative,
                   source_src, term_anchor, text_fragment, topic_src)

SECTIONS = [  # how a briefing separates what happened from what is intended
    ("achieved", "Achieved", "Results the sources report as already achieved.", {Kind.result}),
    ("targets-and-plans", "Targets and plans", "Intentions and numbers still to be reached: not achievements.", {Kind.target, Kind.plan}),
    ("events", "Events", "Things that happened on a known date.", {Kind.event}),
    ("context", "Context and statements", "Background, framing and what officials said.", {Kind.context}),
]


@lru_cache(maxsize=4096)  # a few hundred distinct dates, formatted for every row and badge
def format_period(date: str | None) -> str:
    if not date:
        return "undated"
    return " – ".join(_format_day(p) for p in date.split("/"))


def _format_day(day: str) -> str:
    parts = day.split("-")
    if len(parts) == 1:
        return day
    d = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 1)
    return d.strftime("%b %Y") if len(parts) == 2 else f"{d.day} {d.strftime('%b %Y')}"


WORD = re.compile(r"\w+")


class Shared:
    """What every page of one rendering asks for again and again, computed once."""

    def __init__(self, corpus: Corpus, options: Options, macros, news: WhatsNew, recording: bool = False,
                 memo: dict | None = None):
        self.c = corpus
        self.options = options
        self.recording = recording  # Views record what each page reads (for a page cache)
        self.macros = macros  # the module of _macros.j2, for View.once
        self.news = news
        self.memo = {} if memo is None else memo  # kept between renderings under serve (PageCache.memo)
        self.fragments: dict[tuple[str, int], str] = {}
        self.counts: dict[str, int] = {}
        self.snippets: dict[tuple, tuple[Markup, frozenset]] = {}  # View.once: (HTML, what it read)
        self.pure: dict[tuple, Markup] = {}  # View.badge, View.figures_inline: HTML that depends on its values only
        # under serve: the snippets of the last rendering and of this one, with what each read, so a snippet whose
        # inputs did not change is not rendered again (the timeline and topic pages list every fact)
        self.prints = None
        self.last_snippets: dict[tuple, tuple] = {}
        self.now_snippets: dict[tuple, tuple] = {}
        self.last_lines: dict[tuple, tuple] | None = None  # the snippets of the last blocks of lines (View.rows)
        self.pid = os.getpid()
        self.forked: dict | None = None  # in a rendering process: the snippets kept for the page being rendered
        # (term, the first word of each of its spellings, its spellings in lower case)
        self.glossary = []
        for t in sorted(corpus.terms.values(), key=lambda t: t.term.lower()):
            words = tuple(w.lower() for w in [t.term, *t.variants] if len(w) > 2 and WORD.search(w))
            if words:
                self.glossary.append((t, {WORD.search(w).group(0) for w in words}, words))

    def kept_snippet(self, key: tuple) -> tuple | None:
        """A snippet of the last rendering (serve) whose inputs are unchanged: (HTML, what it read)."""
        last = self.last_snippets.get(key)
        if last is None:  # a line of a block of lines (View.rows) kept whole last time?
            if self.last_lines is None:
                self.last_lines = {k: line for block in self.last_snippets.values() if len(block) > 2
                                   for k, line in block[2].items()}
            last = self.last_lines.get(key)
        if last is None or not self.prints.unchanged(last[1]):
            return None
        self.keep_snippet(key, last)
        return last

    def keep_snippet(self, key: tuple, hit: tuple) -> None:
        """Keep a snippet for the next rendering (serve); one kept in a rendering process (parallel.py) is handed
        back to this one with its page (Rendered.snippets)."""
        if self.prints is not None:
            self.now_snippets[key] = hit
            if self.forked is not None:
                self.forked[key] = hit

    def fragment(self, cited: Cited) -> str:
        """`#cite-…:~:text=…`: the passage's anchor and text fragment (the same on every page that links it)."""
        key = (cited.fact.id, cited.number)
        if key not in self.fragments:
            passage = self.c.articles[cited.source].text.text[cited.start:cited.end]
            self.fragments[key] = cite_anchor(cited.fact.id, cited.number) + text_fragment(passage)
        return self.fragments[key]

    def child_facts(self, rid: str) -> list[Fact]:
        """The facts on the pages of the region's children (one level: each fact shows on one parent page)."""
        return [f for kid in self.c.children(rid) for f in self.c.own.get(kid, [])]

    def fact_count(self, rid: str) -> int:
        """Facts on the region's page and on the pages below it."""
        if rid not in self.counts:
            self.counts[rid] = len(self.c.own.get(rid, [])) + sum(self.fact_count(k) for k in self.c.children(rid))
        return self.counts[rid]


def _ignore(key) -> None:
    pass


def plain_downloads(corpus: Corpus, options: Options) -> bool:
    """Whether facts.json, facts.csv and figures.json are published uncompressed too (gzipped.py)."""
    return len(corpus.facts) <= options.plain_downloads


class View:
    """All a template may ask of the model, with links relative to the page being rendered. Templates get nothing
    else (no corpus): each method records what it hands out in `deps` (see pagecache), so a page's dependencies
    are exactly what its rendering read."""

    def __init__(self, corpus: Corpus, page: str, shared: Shared, html: bool = False):
        self.c = corpus
        self.page = page
        self.html = html  # a page written in HTML (htmlpage.py), not Markdown
        self.depth = page_url(page).count("/")
        self.shared = shared
        self.news = shared.news  # the facts' history: dates, corrections, changes (a whole-site input: pagecache)
        self.deps: set = set()
        # recording costs a little on every call: only when a page cache will use it (serve)
        self._dep = self.deps.add if shared.recording else _ignore

    # -- blocks of HTML that skip Markdown (rawhtml.py) -----------------------------------------------------------------
    def raw_start(self, late: bool = False) -> Markup:
        """The start of a block of HTML that MkDocs' Markdown skips: a marker on a line of its own (`late`: a block
        the search excludes). A block holds no other block. On a page written in HTML, no marker (only Markdown reads
        them): htmlpage.body took them out, copying each page three times (a twentieth of rendering)."""
        return Markup(rawhtml.START_IN_HTML[late] if self.html else rawhtml.START[late])

    def raw_end(self) -> Markup:
        """The end of a block that raw_start started."""
        return Markup(rawhtml.END_IN_HTML if self.html else rawhtml.END)

    # -- links and anchors -----------------------------------------------------------------------------------------
    def url(self, to: str, anchor: str = "") -> str:
        return relative(self.page, to, anchor)

    def region_url(self, rid: str, anchor: str = "") -> str:
        self._dep(("region", rid))  # a folder page or not: its children
        return self.url(region_page_src(self.c, rid), anchor)

    def topic_url(self, tid: str) -> str:
        return self.url(topic_src(tid))

    def source_url(self, sid: str, anchor: str = "") -> str:
        return self.url(source_src(sid), anchor)

    def fact_url(self, fact: Fact) -> str:
        return self.region_url(self.c.home_region(fact), fact_anchor(fact.id))

    def cite_url(self, cited: Cited) -> str:
        self._dep(("text", cited.source))  # the passage's text, for the text fragment
        return self.source_url(cited.source, self.shared.fragment(cited))

    def fact_anchor(self, fact: Fact) -> str:
        return fact_anchor(fact.id)

    # Two macros of _macros.j2 that every card and every one-line row of a fact calls, and whose HTML holds no link:
    # rendered once per value, not once per call (a macro call costs about 10 us; these were 230,000 of them at 100
    # times the corpus, for a few hundred different badges)
    def badge(self, fact: Fact) -> Markup:
        """The fact's kind and date (and draft) badge."""
        key = ("badge", fact.kind, fact.date, fact.status)
        hit = self.shared.pure.get(key)
        if hit is None:
            hit = self.shared.pure[key] = call_macro(self.shared.macros.badge, fact)
        return hit

    def figures_inline(self, fact: Fact) -> Markup:
        """A one-line row's figures, after its claim."""
        key = ("figures", fact.id)  # one rendering knows one version of each fact (Shared lives for one rendering)
        hit = self.shared.pure.get(key)
        if hit is None:
            hit = self.shared.pure[key] = call_macro(self.shared.macros.figures_inline, fact)
        return hit

    def cite_anchor(self, cited: Cited) -> str:
        return cite_anchor(cited.fact.id, cited.number)

    def paragraph_anchor(self, number: int) -> str:
        return paragraph_anchor(number)

    def term_anchor(self, term) -> str:
        return term_anchor(term.id)

    def from_anchor(self, rid: str) -> str:
        return from_anchor(rid)

    # -- records ---------------------------------------------------------------------------------------------------
    def fact(self, fid: str) -> Fact:
        self._dep(("fact", fid))
        return self.c.facts[fid]

    def region(self, rid: str):
        self._dep(("region", rid))
        return self.c.regions[rid]

    def topic(self, tid: str):
        self._dep(("topic", tid))
        return self.c.topics[tid]

    def article(self, sid: str):
        self._dep(("article", sid))
        return self.c.articles[sid]

    def source_meta(self, sid: str):
        """An article's front matter (title, publisher, date...): what a citation shows of its source."""
        self._dep(("meta", sid))
        return self.c.articles[sid].meta

    def cites(self, fact: Fact) -> tuple[Cited, ...]:
        self._dep(("fact", fact.id))
        return self.c.cited.get(fact.id, ())

    def findings(self, fact: Fact):
        self._dep(("fact", fact.id))
        return self.c.findings_of.get(fact.id, [])

    def where(self, folder: str, rid: str) -> str:
        """path:line of a record, for editors."""
        self._dep(("where", folder, rid))
        mark = self.c.mark(folder, rid, "id")
        return f"{mark.path}:{mark.line}"

    # -- collections -----------------------------------------------------------------------------------------------
    def facts(self) -> list[Fact]:
        self._dep(("all", "facts"))
        return list(self.c.facts.values())

    def regions(self) -> list:
        self._dep(("all", "regions"))
        return list(self.c.regions.values())

    def topics(self) -> list:
        self._dep(("all", "topics"))
        return list(self.c.topics.values())

    def articles(self) -> list:
        """Every article, for what lists them (front matter, coverage, which facts cite it): the cited facts' content
        is not recorded (a claim's edit does not render the source lists again); read it through fact() or article()."""
        self._dep(("all", "articles"))
        return list(self.c.articles.values())

    def terms(self) -> list:
        self._dep(("all", "terms"))
        return list(self.c.terms.values())

    def all_findings(self) -> tuple:
        self._dep(("all", "findings"))
        return self.c.findings

    def own(self, rid: str) -> list[Fact]:
        """The facts whose page is the region's."""
        self._dep(("own", rid))
        return self.c.own.get(rid, [])

    def mentions(self, rid: str) -> list[Fact]:
        """Facts held by other pages that also concern the region."""
        self._dep(("mentions", rid))
        return self.c.mentions.get(rid, [])

    def by_topic(self, tid: str) -> list[Fact]:
        self._dep(("by_topic", tid))
        return self.c.by_topic.get(tid, [])

    def topic_count(self, tid: str) -> int:
        """How many facts the topic has (a page that shows only the number is not rendered again when one of them
        changes what it says)."""
        self._dep(("topic_count", tid))
        return len(self.c.by_topic.get(tid, ()))

    def children(self, rid: str) -> list[str]:
        self._dep(("children", rid))
        return self.c.children(rid)

    def ancestors(self, rid: str) -> list[str]:
        self._dep(("ancestors", rid))
        return self.c.ancestors(rid)

    def child_facts(self, rid: str) -> list[Fact]:
        self._dep(("children", rid))
        for kid in self.c.children(rid):
            self._dep(("own", kid))
        return self.shared.child_facts(rid)

    def fact_count(self, rid: str) -> int:
        self._dep(("count", rid))
        return self.shared.fact_count(rid)

    def download(self, path: str) -> str:
        """Where a download is published (a path of the site, as `path`): itself, or its .gz copy only when the corpus
        is too big for it uncompressed (Options.plain_downloads, gzipped.py)."""
        self._dep(("totals",))
        return gzipped.published(path, plain_downloads(self.c, self.shared.options))

    def plain_downloads_limit(self) -> int:
        """Up to how many facts the downloads are published uncompressed too (the Data page says it)."""
        return self.shared.options.plain_downloads

    def totals(self):
        """The corpus in a few numbers (the home page's; a claim's edit changes none of them)."""
        self._dep(("totals",))
        return self.c.totals()

    def headline(self, n: int) -> list[Fact]:
        """The first n results with figures: the home page's headline figures."""
        self._dep(("headline", n))
        chosen = self.c.headline(n)
        for f in chosen:
            self._dep(("fact", f.id))
        return chosen

    def home_regions(self) -> list[str]:
        """The regions with a card on the home page (options), those in the corpus."""
        self._dep(("all", "regions"))
        return [rid for rid in self.shared.options.home_regions if rid in self.c.regions]

    def sections(self, facts: list[Fact]):
        """[(anchor, title, blurb, [(topic, facts)])] with topics in taxonomy order; empty sections dropped."""
        self._dep(("all", "topics"))
        out = []
        for anchor, title, blurb, kinds in SECTIONS:
            chosen = [f for f in facts if f.kind in kinds]
            if not chosen:
                continue
            by_topic = defaultdict(list)
            for f in chosen:
                by_topic[f.topics[0]].append(f)
            out.append((anchor, title, blurb, [(self.c.topics[t], by_topic[t]) for t in self.c.topics if t in by_topic]))
        return out

    def figure_rows(self, facts: list[Fact]):
        return [(f, i) for f in facts for i in range(len(f.figures))]

    def timeline(self, facts: list[Fact]):
        """[(year, [facts sorted by date])], newest year first."""
        dated = [(f.id, f.date) for f in facts if f.date]
        slot = ("timeline", self.page)
        last = self.shared.memo.get(slot)  # serve: the same facts on the same dates, the same order (by id)
        if last is None or last[0] != dated:
            years = defaultdict(list)
            for fid, date in dated:
                years[date.split("/")[-1][:4]].append((date, fid))
            last = self.shared.memo[slot] = (dated, [(y, [fid for _, fid in sorted(years[y])])
                                                           for y in sorted(years, reverse=True)])
        by_id = self.c.facts
        return [(y, [by_id[fid] for fid in ids]) for y, ids in last[1]]

    def terms_in(self, text: str):
        """Glossary terms whose name or a variant occurs in the text as whole words (case-insensitive), in glossary
        order. Only terms whose first word is among the text's words are searched for: no scan per term."""
        self._dep(("all", "terms"))
        low = text.lower()
        present = set(WORD.findall(low))
        return [t for t, first, words in self.shared.glossary
                if first & present and any(occurs_as_word(low, w) for w in words)]

    def paragraphs(self, article):
        """The article's paragraphs cut where citations start and end (for highlighting)."""
        self._dep(("article", article.id))
        return highlight.paragraphs(article)

    def map_points(self, width: int, height: int):
        """Schematic map: (region, x, y, dot radius, label on the left?, labelled?) for regions with coordinates, in
        the box of the options. A label goes to the left of its dot when another dot sits just to its right, so names
        do not overlap. An archive's map stays readable: it shows the MAP_DOTS places with the most facts, names the
        MAP_LABELS first of them (the others are dots with their name as a tooltip), and its widest dot is MAP_RADIUS
        (at 100 times the corpus, 828 named dots up to 116 pixels wide covered the map)."""
        self._dep(("all", "regions"))
        lon0, lon1, lat0, lat1 = self.shared.options.map_box
        located = [r for r in self.c.regions.values() if r.coordinates]
        counts = {r.id: self.fact_count(r.id) for r in located}
        biggest = sorted(located, key=lambda r: (-counts[r.id], r.name))
        shown = {r.id for r in biggest[:MAP_DOTS]}
        named = {r.id for r in biggest[:MAP_LABELS]}
        most = counts[biggest[0].id] if biggest else 0
        scale = 1.6 if 3 + most ** 0.5 * 1.6 <= MAP_RADIUS else (MAP_RADIUS - 3) / most ** 0.5  # the widest: MAP_RADIUS
        pts = []
        for r in located:
            if r.id in shown:
                x = round((r.coordinates[0] - lon0) / (lon1 - lon0) * width, 1)
                y = round((lat1 - r.coordinates[1]) / (lat1 - lat0) * height, 1)
                pts.append((r, x, y, round(3 + counts[r.id] ** 0.5 * scale, 1)))
        placed = [(r.name, x, y) for r, x, y, _ in pts]
        last = self.shared.memo.get("map")  # serve: the same dots, the same sides (the test below is quadratic)
        if last is None or last[0] != placed:
            last = self.shared.memo["map"] = (placed, [any(0 < x2 - x < 9 * len(name.split(" (")[0]) and abs(y2 - y) < 16
                                                           for _, x2, y2 in placed) for name, x, y in placed])
        return [(r, x, y, rad, left, r.id in named) for (r, x, y, rad), left in zip(pts, last[1])]

    def drafts(self):
        """For the Drafts to review page: ([(article, its draft facts)], draft regions)."""
        self._dep(("all", "facts"))
        self._dep(("all", "regions"))
        self._dep(("all", "articles"))
        by_source = drafts.awaiting_review(self.c)
        return [(a, by_source[a.id]) for a in self.c.articles.values() if a.id in by_source], drafts.draft_regions(self.c)

    def once(self, macro: str, fact: Fact, *args) -> Markup:
        """A macro of _macros.j2 about one fact (a table row, a link), rendered once for all the pages at one depth:
        their links to other pages are the same strings (urls.relative). A figure's row shows on its region's page,
        its parent's and its topics' pages, all at one depth: it is rendered once or twice instead of three or four
        times. What the macro read is recorded on every page that shows it."""
        key = (macro, fact.id, args, self.depth)
        hit = self.shared.snippets.get(key)
        if hit is None:
            made = getattr(self.shared.macros, macro)
            if not self.shared.recording:
                hit = self.shared.snippets[key] = (call_macro(made, self, fact, *args), ())
                return hit[0]
            hit = self.shared.kept_snippet(key)
            if hit is None:
                # the macro reads the fact it is handed
                hit = self._reading(lambda: call_macro(made, self, fact, *args), ("fact", fact.id))
                self.shared.keep_snippet(key, hit)
            self.shared.snippets[key] = hit
        if hit[1]:
            self.deps |= hit[1]
        return hit[0]

    def rows(self, macro: str, facts: list[Fact], *args) -> Markup:
        """once(macro, fact, *args) for each fact, one a line. Under serve the lines are kept whole, with their
        snippets, while none of them changed: the timeline and the topic pages list thousands of facts, of which an
        edit changes one, and a page is then a few look-ups per block of lines, not one per fact."""
        def lines() -> Markup:
            # joined as str: `snippet + "\n"` would make (and escape for) a Markup per line
            return Markup("\n".join([self.once(macro, f, *args) for f in facts]) + "\n" if facts else "")

        shared = self.shared
        if not shared.recording:
            return lines()
        key = ("rows", macro, tuple(f.id for f in facts), args, self.depth)
        hit = shared.snippets.get(key)
        if hit is None:
            hit = shared.kept_snippet(key)
            if hit is None:
                made, read = self._reading(lines)
                # its lines' snippets go with it (when it is kept, they are not looked at: Shared.kept_snippet)
                hit = (made, read, {k: shared.snippets[k] for k in ((macro, f.id, args, self.depth) for f in facts)})
                shared.keep_snippet(key, hit)
            shared.snippets[key] = hit
        self.deps |= hit[1]
        return hit[0]

    def _reading(self, make, *reads) -> tuple:
        """(make(), what it read through this view: `reads` and what its calls record)."""
        outer, self.deps = self.deps, set(reads)
        self._dep = self.deps.add
        try:
            made = make()
        finally:
            read, self.deps = self.deps, outer
            self._dep = outer.add
        return made, frozenset(read)


def environment(templates: Path) -> jinja2.Environment:
    """The templates' environment (the engine keeps one; auto_reload picks up edited templates under `serve`)."""
    # short paths for the calls of macros and View's methods, and for the values printed (jinjacontext.py)
    env = jinjacontext.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=True, auto_reload=True,
                                   undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                   keep_trailing_newline=True)
    env.filters["num"] = format_value
    env.filters["kind_label"] = lambda k: KIND_LABELS[k.value if isinstance(k, Kind) else k]
    env.filters["when"] = format_period
    env.filters["qualifier_sign"] = QUALIFIER_SIGNS.__getitem__
    return env


def whole_site_inputs(env: jinja2.Environment, docs: Path, news: WhatsNew, options: Options) -> bytes:
    """What every page depends on: the templates, the hand-written intro, the history read, the options."""
    folder = Path(env.loader.searchpath[0])
    parts = [p.read_bytes() for p in sorted(folder.glob("*")) if p.is_file()]
    intro = docs / "index.md"
    parts += [intro.read_bytes() if intro.exists() else b"", news.key, repr(options)]
    return digest(*parts)


MAP_DOTS = 200  # the home page map shows at most this many places, those with the most facts (the real corpus: 15)
MAP_LABELS = 40  # and names at most this many of them
MAP_RADIUS = 16.0  # pixels: its widest dot (the real corpus's is 9.6: the dots' sizes are then as they were)

BACKGROUND_DOWNLOADS = 2000  # facts; with fewer, the downloads take less time than a fork costs (render_pages), and a
# build forks for its pages only when there are many of them (parallel.MIN_JOBS): from this size, for a few too


# No cyclic GC while rendering (loader.gc_paused): millions of short-lived strings and no cycles, while each of the
# collector's passes walks the corpus's millions of objects, and in a forked rendering process (parallel.py) writes to
# every page of the heap it shares with its parent (copy-on-write). At 100x: 22.7 s -> 19.5 s on two cores.
# (Not `promote`: rendering leaves Jinja's contexts, macros and the views in cycles that hold the corpus; the next young
# collection frees them, and with them a corpus nothing else holds.)
@gc_paused()
def render_pages(corpus: Corpus, env: jinja2.Environment, docs: Path, options: Options = Options(),
                 news: WhatsNew | None = None, last: PageCache | None = None, processes: int | None = None,
                 defer: bool = False) -> PageCache:
    """Every generated file (UTF-8) by its path under the site's docs root, with what each page read. With `last`
    (the previous rendering, under `serve`), a page whose inputs did not change is taken from it (see pagecache).
    `news`: the facts' history (none: pages without dates). The pages are rendered by `processes` forked processes
    (default: one per core; parallel.py), the same bytes as by one. `defer` (a site build): when the downloads are
    made beside the pages (a big corpus, several cores), a forked process makes them at a low priority and is not
    waited for: `pending` (PendingDownloads) has their paths, and their content once collected."""
    out = PageCache(memo=last.memo if last is not None else {})
    news = news or WhatsNew(corpus)
    memo = out.memo if last is not None else None  # kept between renderings: under serve only
    shared = Shared(corpus, options, env.get_template("_macros.j2").make_module(), news, recording=last is not None,
                    memo=memo)

    planned = charts.plan_charts(corpus)  # what the pages show of the charts; their SVGs are drawn with the downloads

    def downloads(processes: int | None = None) -> dict[str, str | bytes]:
        """The charts and the data downloads (not the feeds: the plugin looks them up among the pages)."""
        data = {"data/figures.json": explorer_data(corpus, shared, memo), **export.data_files(corpus, news.h, memo)}
        return {**{f"charts/{name}.svg": svg for name, svg in charts.draw_charts(planned, memo, processes).items()},
                **gzipped.add_compressed(data, plain_downloads(corpus, options),
                                         memo.setdefault("gzip", {}) if memo is not None else None)}

    # A build of a big corpus on several cores makes the downloads and draws the charts while the pages render: after
    # them, in this process, they were a tail of 2 s at 100x with one core idle, and the charts a round of their own
    # before the pages (1.1 s). Deferred (a site build), a forked process makes them at the lowest priority: it takes
    # what the pages, MkDocs and the search index leave of the cores (at 100x the index's last seconds use one core
    # and a fifth of two), not a share of them while the pages render. (If a page fails to render, the process is
    # stopped: nothing would read what it makes, and it would wait on its pipe.) Waited for, they are the first job of
    # the pages' first round (DOWNLOADS_JOB): a third process beside the two rendering ones cost a tenth more CPU
    # time (its pages of the corpus copied on write, the cores shared three ways). Under serve they are made here,
    # after the pages, where their memo is kept.
    beside = (memo is None and len(corpus.facts) >= BACKGROUND_DOWNLOADS and parallel.workers(processes) > 1
              and parallel.can_fork())
    background = parallel.Forked(lambda: downloads(processes=1), nice=DEFERRED_NICE) if beside and defer else None
    as_job = beside and not defer
    downloaded: dict[str, str | bytes] = {}  # the downloads made as a job
    prints = Fingerprints(corpus, whole_site_inputs(env, docs, news, options), planned, out.memo) if last is not None else None
    if prints is not None:
        prints.compare()
        shared.prints, shared.last_snippets = prints, out.memo.get("snippets", {})

    def render(job: tuple) -> Rendered | dict:
        if job is DOWNLOADS_JOB:
            return downloads(processes=1)
        template, src, deps, context = job
        html = template.endswith(".html.j2")  # a page written in HTML, not Markdown (htmlpage.py)
        view = View(corpus, src, shared, html)
        view.deps.update(deps)  # the records handed in the context
        if prints is not None and os.getpid() != shared.pid:
            shared.forked = {}
        text = env.get_template(template).render(v=view, page=src, **context)
        outline = None
        if html:  # as it is written into the site, and its outline: here, on every core, not in MkDocs' one process
            text = htmlpage.body(text)
            outline = htmlpage.outline(text, shared.options.toc_depth)
        # kept as UTF-8: half the memory of a str holding Chinese (Python stores it 2 bytes a character)
        content = text.encode()
        if prints is None:
            return Rendered(content, outline=outline)
        return Rendered(content, frozenset(view.deps), shared.forked, outline)

    def render_all(jobs: list[tuple], with_downloads: bool = False) -> None:
        """The pages of `jobs` (template, src, deps, context), in their order; those whose inputs did not change
        since `last` are taken from it, the others rendered, spread over the processes. `with_downloads`: the
        downloads too (into `downloaded`), the first job taken."""
        todo = []
        for job in jobs:
            if prints is not None and (kept := last.reusable(job[1], prints)) is not None:
                out.files[job[1]] = kept
            else:
                out.files[job[1]] = None  # its place in the order
                todo.append(job)
        # A page of a template of its own (the timeline, the home page, the glossary) reads the whole corpus: it
        # costs as much as hundreds of others and is rendered first, not last while the other cores wait for it;
        # then the pages that show the most facts. In a build of a big corpus, a few pages are worth the other
        # processes (not under serve: handing back a few pages with what they read cost more than it saved).
        alone = {t for t, n in Counter(job[0] for job in todo).items() if n == 1}
        todo.sort(key=lambda job: (job[0] not in alone, -_weight(corpus, job[3])))
        min_jobs = 2 if prints is None and len(corpus.facts) >= BACKGROUND_DOWNLOADS else parallel.MIN_JOBS
        if with_downloads:
            todo.insert(0, DOWNLOADS_JOB)
        for job, rendered in zip(todo, parallel.run(render, todo, processes, min_jobs)):
            if job is DOWNLOADS_JOB:
                downloaded.update(rendered)
                continue
            out.files[job[1]] = rendered
            if prints is not None:
                prints.cover(rendered.deps)
            if rendered.snippets is not None:
                shared.now_snippets.update(rendered.snippets)
                rendered.snippets = None
        shared.snippets.clear()  # the rows and links rendered for these pages (the next ones are at other depths)

    try:
        for i, jobs in enumerate(_page_jobs(corpus, docs, planned)):
            render_all(jobs, with_downloads=as_job and i == 0)
        feed_files = feeds.atom_files(news, env)
    except BaseException:
        if background is not None:
            background.cancel()
        raise
    if background is not None:
        out.pending, files = PendingDownloads(download_paths(corpus, options, planned), background), {}
    else:
        files = downloaded if as_job else downloads(processes)
    files.update(feed_files)
    out.files.update((path, Rendered(made.encode() if isinstance(made, str) else made)) for path, made in files.items())
    if prints is not None:  # what the next rendering compares with (set last: a failed rendering leaves the last)
        prints.commit()
        out.memo["snippets"] = shared.now_snippets
    return out


def _page_jobs(corpus: Corpus, docs: Path, planned: dict) -> tuple[list[tuple], list[tuple]]:
    """The two rounds of pages render_pages renders, as jobs (template, src, deps, context): the places and topics
    (their rows at one depth), then the sources and the pages of a template of their own."""
    intro = (docs / "index.md").read_text(encoding="utf-8") if (docs / "index.md").exists() else ""
    jobs = [("home.md.j2", "index.md", [("chart", name) for name in planned], {"intro": intro, "charts": list(planned.values())}),
            ("regions.html.j2", "regions/index.md", (), {})]
    for rid, region in corpus.regions.items():
        shown = [chart for chart in planned.values() if rid in chart.regions]
        jobs.append(("region.html.j2", region_page_src(corpus, rid),
                     [("region", rid), ("charts_of", rid), *(("chart", d.name) for d in shown)],
                     {"region": region, "charts": shown}))
    jobs.append(("topics.md.j2", "topics/index.md", (), {}))
    jobs += [("topic.html.j2", topic_src(tid), [("topic", tid)], {"topic": topic}) for tid, topic in corpus.topics.items()]
    rest = [("sources.html.j2", "sources/index.md", (), {})]
    rest += [("source.html.j2", source_src(sid), [("article", sid)], {"article": article})
             for sid, article in corpus.articles.items()]
    rest += [(template, src, (), {}) for template, src in [
        ("figures.md.j2", "figures.md"), ("timeline.html.j2", "timeline.md"), ("glossary.html.j2", "glossary.md"),
        ("data.md.j2", "data.md"), ("data-quality.html.j2", "data-quality.md"), ("changes.md.j2", CHANGES_SRC)]]
    if drafts.any_in(corpus):  # the live preview's review list: build has left every draft out (drafts.py)
        rest.append(("drafts.md.j2", "drafts.md", (), {}))
    return jobs, rest


DOWNLOADS_JOB = (None, "", (), {})  # render_pages' job that makes the downloads (its first, when they are waited for)
DEFERRED_NICE = 19  # the deferred downloads' priority: the lowest, so they take what the rest of the build leaves


def download_paths(corpus: Corpus, options: Options, planned: dict) -> list[str]:
    """The paths of the downloads render_pages makes (its `downloads`), in its order, before they are made."""
    data = gzipped.published_paths(["data/figures.json", *export.data_paths()], plain_downloads(corpus, options))
    return [f"charts/{name}.svg" for name in planned] + data


class PendingDownloads:
    """The downloads of a rendering, being made in a forked process: their paths now, their content (UTF-8) once
    `collect`ed. A site build hands them to the site engine as files written at the end (plugin.py)."""

    def __init__(self, paths: list[str], forked: parallel.Forked):
        self.paths = paths
        self._forked: parallel.Forked | None = forked

    def collect(self) -> dict[str, bytes]:
        """Wait for them; the error of the process that made them is raised here."""
        forked, self._forked = self._forked, None
        if forked is None:
            raise RuntimeError("the downloads were collected or cancelled already")
        ok, files = forked.outcome()
        if not ok:
            raise files
        if list(files) != self.paths:  # what download_paths says must be what downloads makes
            raise RuntimeError(f"the downloads made differ from those announced: {sorted(set(files) ^ set(self.paths))}")
        return {path: made.encode() if isinstance(made, str) else made for path, made in files.items()}

    def cancel(self) -> None:
        """The build failed: the process is stopped."""
        forked, self._forked = self._forked, None
        if forked is not None:
            forked.cancel()


def _weight(corpus: Corpus, context: dict) -> int:
    """About how much a page of a place, a topic or a source costs to render, in one-line rows of facts (a fact's
    card is about four)."""
    if (region := context.get("region")) is not None:
        rid = region.id
        return (4 * len(corpus.own.get(rid, ())) + len(corpus.mentions.get(rid, ()))
                + sum(len(corpus.own.get(kid, ())) for kid in corpus.children(rid)))
    if (topic := context.get("topic")) is not None:
        return len(corpus.by_topic.get(topic.id, ()))
    if (article := context.get("article")) is not None:
        return len(article.cited) + len(article.text.text) // 1000
    return 0


# data/figures.json, normalized: each place, source and kind label once, each fact once with its figures
EXPLORER_FACT = ["place", "date", "date_text", "kind", "anchor", "cites", "figures"]  # place: index into "places"
EXPLORER_FIGURE = ["label", "value", "value_text", "qualifier", "unit"]
EXPLORER_CITE = ["number", "source", "anchor"]  # source: index into "sources"; anchor: the passage's, with its text fragment


def explorer_data(corpus: Corpus, shared: Shared, memo: dict | None = None) -> bytes:
    """data/figures.json: every figure for the figures explorer, which builds its table in the browser (a page of
    every figure would be 30 MB of HTML at 100x the corpus). Normalized (`EXPLORER_*`: the columns of each list):
    "places" and "sources" are [name, page] tables the facts refer to by index, "kinds" the kind labels, and each
    fact with figures is one item of "facts" (its place, date, kind, anchor on its place's page, citations and
    figures): the explorer joins them back into rows. URLs are relative to the site's root. `memo` (kept between
    renderings: serve): a fact whose record, citations, place and sources are those of the last rendering keeps its
    JSON."""
    v = View(corpus, "index.md", shared)
    last = memo.get("explorer", {}) if memo is not None else {}
    place_at = {rid: i for i, rid in enumerate(corpus.regions)}
    source_at = {sid: i for i, sid in enumerate(corpus.articles)}
    # what a fact's line reads besides the fact: its place and its sources (their names, pages and places in the
    # tables). When none of the places and sources changed since the last rendering (serve, most edits), a fact
    # whose record and citations did not change keeps its line without looking them up (30,000 facts at 100x)
    world = (list(corpus.regions.items()), [(sid, a.meta) for sid, a in corpus.articles.items()])
    old_world = memo.get("explorer world") if memo is not None else None
    same_world = old_world is not None and all(
        len(new) == len(old) and all(a[0] == b[0] and a[1] is b[1] for a, b in zip(new, old))
        for new, old in zip(world, old_world))
    kept, facts = {}, []
    for f in corpus.facts.values():
        if not f.figures:
            continue
        place = f.regions[0]  # its home: the fact's card is on this place's page
        cited = corpus.cited[f.id]
        hit = last.get(f.id)
        if hit is not None and hit[0] is f and hit[1] is cited and same_world:
            kept[f.id] = hit
            facts.append(hit[3])
            continue
        reads = (corpus.regions[place], place_at[place], *((corpus.articles[c.source].meta, source_at[c.source])
                                                           for c in cited))
        if hit is None or hit[0] is not f or hit[1] is not cited or hit[2] != reads:
            made = [place_at[place], f.date or "", format_period(f.date), f.kind.value, fact_anchor(f.id),
                    [[c.number, source_at[c.source], shared.fragment(c)] for c in v.cites(f)],
                    [[fig.label, fig.value, format_value(fig.value), fig.qualifier or "", fig.unit]
                     for fig in f.figures]]
            hit = (f, cited, reads, _json(made).encode())
        kept[f.id] = hit
        facts.append(hit[3])
    if memo is not None:
        memo["explorer"], memo["explorer world"] = kept, world
    head = {"columns": EXPLORER_FACT, "figure_columns": EXPLORER_FIGURE, "cite_columns": EXPLORER_CITE,
            "kinds": KIND_LABELS,
            "places": [[r.name, page_url(region_page_src(corpus, rid))] for rid, r in corpus.regions.items()],
            "sources": [[a.meta.title, page_url(source_src(sid))] for sid, a in corpus.articles.items()]}
    return _json(head)[:-1].encode() + b',"facts":[\n' + b",\n".join(facts) + b"\n]}\n"  # a line a fact (UTF-8)


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def nav_depth(corpus: Corpus, budget: int) -> int | None:
    """How many levels of the region tree the navigation lists: whole levels, as many as keep the places listed
    within `budget` (at least the top level); None: all of them. Below, each place is reached from its parent's page,
    which lists its sub-regions: a page's navigation costs the same however many places the corpus has."""
    per_level: dict[int, int] = defaultdict(int)
    for rid in corpus.regions:
        per_level[len(corpus.ancestors(rid))] += 1
    listed = 0
    for level in range(len(per_level)):
        listed += per_level[level]
        if listed > budget:
            return max(level, 1)
    return None


def nav(corpus: Corpus, budget: int = Options.nav_budget) -> list:
    """The site's navigation (as MkDocs' `nav`): regions nested by hierarchy (section index pages), then topics and the
    reference pages. At most `budget` places, topics and articles each (nav_depth): a longer list is left to its
    index page (regions/, topics/, sources/), which lists every one."""
    depth = nav_depth(corpus, budget)

    def region_entry(rid: str, level: int):
        region = corpus.regions[rid]
        name = region.name + (" (draft)" if drafts.is_draft(region) else "")
        kids = corpus.children(rid)
        if not kids:
            return {name: region_src(rid, False)}
        if depth is not None and level + 1 >= depth:  # its sub-regions are listed on its page, not here
            return {name: region_src(rid, True)}
        return {name: [region_src(rid, True)] + [region_entry(k, level + 1) for k in kids]}

    roots = corpus.roots()
    topics = list(corpus.topics.values()) if len(corpus.topics) <= budget else []
    articles = list(corpus.articles.values()) if len(corpus.articles) <= budget else []
    return [
        {"Home": "index.md"},
        *([{"Drafts to review": "drafts.md"}] if drafts.any_in(corpus) else []),  # serve only: drafts.py
        {"Regions": ["regions/index.md"] + [region_entry(r.id, 0) for r in roots]},
        {"Topics": ["topics/index.md"] + [{t.name: topic_src(t.id)} for t in topics]},
        {"Figures": "figures.md"},
        {"Timeline": "timeline.md"},
        {"Sources": ["sources/index.md"] + [{a.meta.title[:60]: source_src(a.id)} for a in articles]},
        {"Glossary": "glossary.md"},
        {"Data": "data.md"},
        {"Data quality": "data-quality.md"},
        {"What's new": CHANGES_SRC},
        {"About": "about.md"},
    ]


def nav_pages(entries) -> set[str]:
    """Every page a navigation (as nav() makes it) lists."""
    out: set[str] = set()
    for entry in entries:
        if isinstance(entry, str):
            out.add(entry)
        elif isinstance(entry, dict):
            out |= nav_pages(entry.values())
        else:
            out |= nav_pages(entry)
    return out
