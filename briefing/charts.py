"""Static SVG charts drawn at build time with pygal: deterministic, accessible, one unit per axis."""
from __future__ import annotations

import html
import re

import pygal
from pygal.style import Style

from .corpus import Corpus
from .models import Kind

# Mid-tone ink and series colours stay readable on both the light and the dark palette.
STYLE = Style(background="transparent", plot_background="transparent", foreground="#8a8a8a",
              foreground_strong="#8a8a8a", foreground_subtle="#8a8a8a55", opacity="0.9", opacity_hover="1",
              colors=("#3b73d1", "#e0861a", "#2a9d68", "#a15cc4", "#8a8a8a"), font_family="sans-serif",
              title_font_size=15, label_font_size=12, major_label_font_size=12, legend_font_size=13,
              value_font_size=11, tooltip_font_size=12)
KIND_ORDER = [Kind.result, Kind.target, Kind.plan, Kind.event, Kind.context]
KIND_NAMES = {Kind.result: "Achieved", Kind.target: "Target", Kind.plan: "Plan", Kind.event: "Event", Kind.context: "Context"}


def _finish(svg: str, name: str, title: str, desc: str) -> str:
    """Stable ids (pygal uses a random uuid), no generator date, and an accessible title and description."""
    svg = re.sub(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", f"chart-{name}", svg)
    svg = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", name, svg)
    svg = re.sub(r"<!--.*?-->|<script.*?</script>", "", svg, flags=re.S)  # no generator date, no script
    head = (f'<svg role="img" aria-labelledby="chart-{name}-title chart-{name}-desc"',
            f'<title id="chart-{name}-title">{html.escape(title)}</title><desc id="chart-{name}-desc">{html.escape(desc)}</desc>')
    svg = svg.replace("<svg", head[0], 1)
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + head[1], svg, count=1)


def facts_by_region(corpus: Corpus) -> tuple[str, str, str, str] | None:
    """Facts per top-level region and city, split by kind (one unit: number of facts)."""
    rows = []
    for rid, region in corpus.regions.items():
        facts = corpus.own.get(rid, []) + corpus.rollup(rid)
        if facts and region.kind.value in ("municipality", "province", "new-area", "city"):
            rows.append((region.name, [sum(f.kind == k for f in facts) for k in KIND_ORDER]))
    if not rows:
        return None
    rows.sort(key=lambda r: (-sum(r[1]), r[0]))
    rows = rows[:16]
    title = "Facts per region, by kind"
    chart = pygal.HorizontalStackedBar(style=STYLE, js=[], width=760, height=90 + 28 * len(rows), title=title,
                                       disable_xml_declaration=True, legend_at_bottom=True, print_values=False,
                                       x_title="number of facts (including sub-regions)", truncate_label=-1)
    chart.x_labels = [name for name, _ in reversed(rows)]
    for i, k in enumerate(KIND_ORDER):
        chart.add(KIND_NAMES[k], [counts[i] or None for _, counts in reversed(rows)])
    desc = "; ".join(f"{name}: " + ", ".join(f"{n} {KIND_NAMES[k].lower()}" for k, n in zip(KIND_ORDER, counts) if n)
                     for name, counts in rows)
    return "facts-by-region", title, desc, chart.render(is_unicode=True)


def render_charts(corpus: Corpus) -> dict[str, str]:
    out = {}
    for make in (facts_by_region,):
        made = make(corpus)
        if made:
            name, title, desc, svg = made
            out[name] = _finish(svg, name, title, desc)
    return out
