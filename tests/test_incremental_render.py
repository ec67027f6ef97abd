"""Under `serve`, pages whose inputs did not change are reused (briefing/pagecache.py): after every kind of edit,
the pages must be exactly those a full rendering of the edited facts gives, and unrelated pages must be reused."""
from __future__ import annotations

import re

from briefing import site
from briefing.checks import load
from briefing.render import render_pages

FACTS = "facts/facts/chinadaily-2023-01-13-tianjin-work-report.yml"
CONGRESS = "facts/facts/jjj-dailies-2022-10-21-congress-representatives.yml"

NEW_FACT = """
- id: tianjin-test-added-fact
  claim: A fact added for the test.
  kind: event
  date: "2022"
  regions: [baodi, cangzhou]
  topics: [transport]
  citations:
    - source: chinadaily-2023-01-13-tianjin-work-report
      quote: The district is expected to see three industrial clusters emerge in the next few years
"""

EDITS = [  # (file, old, new): each applied on top of the previous ones
    (FACTS, "Baodi expects three industrial clusters", "Baodi now expects three clusters"),  # a claim
    (FACTS, "value: 5080, unit: companies}", "value: 5080, unit: companies, metric: zgc-test}"),  # a figure's metric
    (FACTS, "regions: [baodi", "regions: [binhai, baodi"),  # a fact moves to another region's page
    (FACTS, "topics: [relocation, economy-industry]", "topics: [transport]"),  # topics
    (FACTS, None, NEW_FACT),  # a fact added (it also concerns Cangzhou)
    (CONGRESS, "quote: 'For more than 8 years,", "quote: 'For  more than 8 years,"),  # a quote's spacing: same passage
    ("facts/regions/core.yml", "name: Baodi\n", "name: Baodi District\n"),  # a region's name: every page
]


def _apply(repo, path, old, new):
    f = repo / path
    text = f.read_text(encoding="utf-8")
    if old is None:
        f.write_text(text.rstrip("\n") + "\n" + new, encoding="utf-8")
        return
    assert old in text, (path, old)
    f.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_reused_pages_equal_a_full_rendering_after_each_edit(repo, monkeypatch):
    monkeypatch.setattr(site, "STATE", site.EngineState())
    site.keep_for_rebuilds()  # as serve does
    first = site.refresh(repo)
    assert first.error is None
    for path, old, new in EDITS:
        before = dict(site.STATE.pages)
        _apply(repo, path, old, new)
        state = site.refresh(repo)
        assert state.error is None, "\n".join(state.report.lines())
        corpus, _ = load(repo)
        full = render_pages(corpus, repo / "templates", repo / "docs").files
        assert state.pages.keys() == full.keys(), (path, new)
        wrong = [src for src in full if state.pages[src] != full[src]]
        assert wrong == [], (new, wrong)
        if path == FACTS and old is not None:  # a small edit: pages far from it are reused, not rendered again
            reused = [src for src in full if state.pages[src] is before.get(src)]
            assert "regions/liaoning/index.md" in reused and "sources/xinhua-2023-02-25-ninth-anniversary.md" in reused
            assert "regions/baodi.md" not in reused


def test_a_template_edit_renders_every_page_again(repo, monkeypatch):
    monkeypatch.setattr(site, "STATE", site.EngineState())
    site.keep_for_rebuilds()
    site.refresh(repo)
    template = repo / "templates" / "_macros.j2"
    template.write_text(template.read_text(encoding="utf-8").replace('title="Link to this fact"', 'title="Permalink"'),
                        encoding="utf-8")
    state = site.refresh(repo)
    assert b'title="Permalink"' in state.pages["regions/liaoning/index.md"]
    assert not [src for src, text in state.pages.items() if re.search(rb'title="Link to this fact"', text)]

