"""Static SVG charts drawn at build time with pygal: deterministic, accessible, one unit per axis."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

import pygal
from pygal.style import Style

from . import parallel
from .corpus import Corpus
from .models import KIND_LABELS, Chart, Kind
from .numbers import format_value

# Mid-tone ink and series colours stay readable on both the light and the dark palette.
STYLE = Style(background="transparent", plot_background="transparent", foreground="#8a8a8a",
              foreground_strong="#8a8a8a", foreground_subtle="#8a8a8a55", opacity="0.9", opacity_hover="1",
              colors=("#3b73d1", "#e0861a", "#2a9d68", "#a15cc4", "#8a8a8a"), font_family="sans-serif",
              title_font_size=19, label_font_size=15, major_label_font_size=15, legend_font_size=15,
              value_font_size=14, tooltip_font_size=14)
# Axis labels are cut to this many characters; the full labels are in the caption and the description.
LABEL_CHARS = 40
KIND_ORDER = [Kind.result, Kind.target, Kind.plan, Kind.event, Kind.context]


class _QuickState:
    """pygal's charts read their settings as attributes of themselves, which pygal's BaseGraph.__getattribute__
    looks up in the chart's render state first, calling itself back three times a read (180,000 calls for 50
    charts: a third of drawing one). The same lookup with the instance's __dict__ read directly: the same values,
    charts drawn 16% faster (312 of them at 100 times the corpus)."""

    def __getattribute__(self, name, _get=object.__getattribute__):
        state = _get(self, "__dict__").get("state")
        if state is None or name not in state.__dict__ or name == "state" or name.startswith("__"):
            return _get(self, name)
        return getattr(state, name)


# pygal writes a chart's class name into the SVG ("horizontalbar-graph"): these keep pygal's names
class HorizontalBar(_QuickState, pygal.HorizontalBar):
    pass


class HorizontalStackedBar(_QuickState, pygal.HorizontalStackedBar):
    pass


def _finish(svg: str, name: str, title: str, desc: str) -> str:
    """Stable ids (pygal uses a random uuid), no generator date, and an accessible title and description."""
    svg = re.sub(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", f"chart-{name}", svg)
    svg = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", name, svg)
    svg = re.sub(r"<!--.*?-->|<script.*?</script>", "", svg, flags=re.S)  # no generator date, no script
    head = (f'<svg role="img" aria-labelledby="chart-{name}-title chart-{name}-desc"',
            f'<title id="chart-{name}-title">{html.escape(title)}</title><desc id="chart-{name}-desc">{html.escape(desc)}</desc>')
    svg = svg.replace("<svg", head[0], 1)
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + head[1], svg, count=1)


def _region_rows(corpus: Corpus) -> list[tuple[str, list[int]]]:
    """The facts-per-region chart's rows: (name, facts per kind), biggest first, at most 16."""
    # each place's own facts counted by kind once, then added to the place and each of its ancestors (the pages
    # above it roll its facts up): a walk up the tree per place, not a list of every sub-region's facts per place
    column = {k: i for i, k in enumerate(KIND_ORDER)}
    counts = {rid: [0] * len(KIND_ORDER) for rid in corpus.regions}
    for rid, facts in corpus.own.items():
        if rid not in counts or not facts:
            continue
        own = [0] * len(KIND_ORDER)
        for f in facts:
            own[column[f.kind]] += 1
        for place in (rid, *corpus.ancestors(rid)):
            counts[place] = [a + b for a, b in zip(counts[place], own)]
    rows = []
    for rid, region in corpus.regions.items():
        if any(counts[rid]) and region.kind.value in ("municipality", "province", "new-area", "city"):
            rows.append((region.name, counts[rid]))
    rows.sort(key=lambda r: (-sum(r[1]), r[0]))
    return rows[:16]


def _region_desc(rows) -> str:
    """The facts-per-region chart's description: each row's facts by kind, for screen readers and the alt text."""
    return "; ".join(f"{name}: " + ", ".join(f"{n} {KIND_LABELS[k.value].lower()}" for k, n in zip(KIND_ORDER, counts) if n)
                     for name, counts in rows)


REGION_CHART = "facts-by-region"
REGION_TITLE = "Facts per region, by kind (number of facts, including sub-regions)"


def facts_by_region(rows) -> str:
    """The SVG of the facts per top-level region and city, split by kind (one unit: number of facts)."""
    chart = HorizontalStackedBar(style=STYLE, js=[], width=760, height=90 + 28 * len(rows), title=REGION_TITLE,
                                       disable_xml_declaration=True, legend_at_bottom=True, print_values=False,
                                       truncate_label=LABEL_CHARS)
    chart.x_labels = [name for name, _ in reversed(rows)]
    for i, k in enumerate(KIND_ORDER):
        chart.add(KIND_LABELS[k.value], [counts[i] or None for _, counts in reversed(rows)])
    return chart.render(is_unicode=True)


def editor_chart(chart: Chart, bars) -> str:
    """The SVG of a chart from facts/charts/: one bar per cited figure, values printed, one unit on the axis."""
    # the unit goes in the title, not in pygal's x_title, whose wrapping loops forever once long labels fill the width
    drawn = HorizontalBar(style=STYLE, js=[], width=760, height=110 + 34 * len(bars),
                                title=f"{chart.title} ({chart.unit})", disable_xml_declaration=True, show_legend=False,
                                print_values=True, truncate_label=LABEL_CHARS, value_formatter=format_value)
    drawn.x_labels = [label for label, _ in reversed(bars)]
    drawn.add(chart.unit, [value for _, value in reversed(bars)])
    return drawn.render(is_unicode=True)


@dataclass(frozen=True)
class PlannedChart:
    """A chart as the pages show it (its image's name, its alt text, its caption's links, the pages it is on), known
    before it is drawn: pages only link to the SVG (draw_charts), which a build draws beside them."""

    name: str
    title: str
    desc: str
    bars: tuple[tuple[str, str], ...] = ()  # (bar label, fact id): provenance links
    regions: frozenset = frozenset()  # pages that show the chart
    key: str = ""  # its drawing's place in the memo (an editor's chart may share the built-in chart's name)
    inputs: tuple = field(default=(), repr=False)  # what its SVG depends on
    draw: Callable[[], str] | None = field(default=None, compare=False, repr=False)  # pygal's SVG (unfinished)


def _bars(corpus: Corpus, chart: Chart) -> tuple[tuple[str, float], ...]:
    """(bar label, value) of each bar: what an editor's chart draws besides the chart's own fields."""
    return tuple((bar.label, next(f for f in corpus.facts[bar.fact].figures if f.label == bar.figure).value)
                 for bar in chart.bars)


def plan_charts(corpus: Corpus) -> dict[str, PlannedChart]:
    """Every chart, by name, not drawn yet: the facts-per-region chart (when a region has facts), then the editors'."""
    out = {}
    rows = _region_rows(corpus)
    if rows:
        out[REGION_CHART] = PlannedChart(REGION_CHART, REGION_TITLE, _region_desc(rows), key=REGION_CHART,
                                         inputs=tuple((name, tuple(counts)) for name, counts in rows),
                                         draw=lambda: facts_by_region(rows))
    for chart in corpus.charts.values():
        bars = _bars(corpus, chart)
        regions = {corpus.facts[b.fact].regions[0] for b in chart.bars}
        regions |= {a for r in set(regions) for a in corpus.ancestors(r)}
        desc = chart.description + " " + "; ".join(f"{label}: {format_value(v)} {chart.unit}" for label, v in bars)
        out[chart.id] = PlannedChart(chart.id, chart.title, desc, tuple((b.label, b.fact) for b in chart.bars),
                                     frozenset(regions), "chart " + chart.id,
                                     (chart, tuple((label, repr(value)) for label, value in bars)),  # 1 and 1.0 differ
                                     lambda chart=chart, bars=bars: editor_chart(chart, bars))
    return out


def _drawn(planned: PlannedChart) -> str:
    return _finish(planned.draw(), planned.name, planned.title, planned.desc)


def draw_charts(planned: dict[str, PlannedChart], memo: dict | None = None, processes: int | None = None) -> dict[str, str]:
    """Each chart's finished SVG, by name. `memo` (kept between renderings: serve): a chart whose inputs are those of
    the last rendering is not drawn again. Spread over `processes` (default: the cores; pygal takes ~3 ms a chart,
    312 charts at 100x)."""
    last = memo.get("charts", {}) if memo is not None else {}
    kept = {p.key: hit for p in planned.values() if (hit := last.get(p.key)) is not None and hit[0] == p.inputs}
    todo = [p for p in planned.values() if p.key not in kept]
    kept.update((p.key, (p.inputs, svg)) for p, svg in zip(todo, parallel.run(_drawn, todo, processes)))
    if memo is not None:
        memo["charts"] = kept
    return {p.name: kept[p.key][1] for p in planned.values()}
