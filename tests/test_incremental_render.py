"""Under `serve`, pages whose inputs did not change are reused (briefing/pagecache.py: what each page read is recorded
by render.View): after every kind of edit, the pages must be exactly those a full rendering of the edited facts
gives, and pages far from the edit must be reused."""
from __future__ import annotations

import re

import pytest

from briefing.engine import Engine
from briefing.options import Options

FACTS = "facts/facts/chinadaily-2023-01-13-tianjin-work-report.yml"
CONGRESS = "facts/facts/jjj-dailies-2022-10-21-congress-representatives.yml"
GLOSSARY = "facts/glossary/liaoning.yml"
ARTICLE = "facts/sources/chinadaily-2023-01-13-tianjin-work-report.txt"

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

NEW_REGION = """
- id: test-town
  name: Test Town
  name_zh: 测试镇
  kind: district
  parent: baodi
  summary: A place added for the test.
"""

EDITS = [  # (file, old, new, a page that must be rendered again or None): each applied on top of the previous ones
    (FACTS, "Baodi expects three industrial clusters", "Baodi now expects three clusters", "regions/baodi.md"),  # a claim
    (FACTS, "value: 5080, unit: companies}", "value: 5080, unit: companies, metric: zgc-test}", None),  # a metric: no page shows it
    (FACTS, "regions: [baodi", "regions: [binhai, baodi", "regions/binhai.md"),  # a fact moves to another region's page
    (FACTS, "topics: [relocation, economy-industry]", "topics: [transport]", "topics/transport.md"),  # topics
    (FACTS, None, NEW_FACT, "regions/cangzhou.md"),  # a fact added (it also concerns Cangzhou)
    (CONGRESS, "quote: 'For more than 8 years,", "quote: 'For  more than 8 years,", None),  # a quote's spacing: same passage
    ("facts/regions/core.yml", "name: Baodi\n", "name: Baodi District\n", "regions/tianjin/index.md"),  # its parent lists it
    ("facts/regions/core.yml", None, NEW_REGION, "regions/baodi/index.md"),  # a region added: Baodi becomes a folder page
    (FACTS, "regions: [binhai, baodi", "regions: [test-town, baodi", "regions/test-town.md"),  # to the new region
    ("facts/topics/topics.yml", "name: Transport", "name: Transport and logistics", "topics/index.md"),  # a topic's name
    (GLOSSARY, None, "\n- id: test-term\n  term: Zhongguancun\n  definition: A term added for the test.\n",
     "glossary.md"),  # a glossary term
    (FACTS, NEW_FACT, "", "regions/cangzhou.md"),  # a fact removed
    (FACTS, None, "\n", None),  # only the file's length: nothing that shows
]


def _apply(repo, path, old, new):
    f = repo / path
    text = f.read_text(encoding="utf-8")
    if old is None:
        f.write_text(text.rstrip("\n") + "\n" + new, encoding="utf-8")
        return
    assert old in text, (path, old)
    f.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("drafts", [False, True], ids=["build", "serve"])
def test_reused_pages_equal_a_full_rendering_after_each_edit(repo, drafts):
    options = Options(drafts=drafts)
    served = Engine(repo, keep=True)  # as serve has it
    first = served.refresh(options)
    assert first.error is None
    for path, old, new, renders in EDITS:
        before = dict(served.state.pages)
        _apply(repo, path, old, new)
        state = served.refresh(options)
        assert state.error is None, "\n".join(state.report.lines())
        full = Engine(repo).refresh(options).pages  # a one-off engine renders every page
        assert state.pages.keys() == full.keys(), (path, new)
        wrong = [src for src in full if state.pages[src] != full[src]]
        assert wrong == [], (new, wrong)
        reused = {src for src in full if state.pages[src] is before.get(src)}
        assert renders not in reused, (new, renders)
        if path == FACTS:  # an edit of one fact: pages far from it are reused, not rendered again
            assert {"regions/liaoning/index.md", "sources/xinhua-2023-02-25-ninth-anniversary.md"} <= reused, new
        if new == "Baodi now expects three clusters":  # a claim: what lists or counts every fact or article stays
            assert {"figures.md", "sources/index.md", "data.md"} <= reused


def test_a_template_edit_renders_every_page_again(repo):
    served = Engine(repo, keep=True)
    served.refresh(Options())
    template = repo / "templates" / "_macros.j2"
    template.write_text(template.read_text(encoding="utf-8").replace('title="Link to this fact"', 'title="Permalink"'),
                        encoding="utf-8")
    state = served.refresh(Options())
    assert b'title="Permalink"' in state.pages["regions/liaoning/index.md"]
    assert not [src for src, text in state.pages.items() if re.search(rb'title="Link to this fact"', text)]


def test_pages_record_what_they_read(repo):
    """A region page's recorded dependencies name its own facts, and not a far-away region's."""
    served = Engine(repo, keep=True)
    served.refresh(Options())
    deps = served.rendered.files["regions/baodi/index.md"].deps
    assert ("own", "baodi") in deps and ("region", "baodi") in deps
    assert ("own", "liaoning") not in deps
    assert any(key[0] == "fact" for key in deps)


def test_a_collection_fingerprint_follows_its_facts(repo):
    """A collection of facts (a region's, a topic's, all of them) keeps its fingerprint between renderings only while
    its facts are the same ones, unchanged (pagecache.Fingerprints._facts): an edited claim changes the fingerprint of
    every collection holding the fact, and of no other."""
    served = Engine(repo, keep=True)
    served.refresh(Options())
    before = dict(served.rendered.memo["key prints"])
    _apply(repo, FACTS, "Baodi expects three industrial clusters", "Baodi now expects three clusters")
    served.refresh(Options())
    after = served.rendered.memo["key prints"]
    holding = {("own", "baodi"), ("all", "facts")}
    assert holding <= before.keys() and holding <= after.keys()
    changed = {key for key in before.keys() & after.keys() if before[key] != after[key] and key[0] in ("own", "all")}
    assert holding <= changed
    assert ("own", "liaoning") in before and before[("own", "liaoning")] == after[("own", "liaoning")]

    # the facts themselves untouched (the very same objects), their citations moved: a paragraph added to the article
    # they quote, before their passages
    facts_before = dict(served.state.corpus.facts)
    _apply(repo, ARTICLE, "Tianjin will upgrade its efforts",
           "A paragraph added for the test.\n\nTianjin will upgrade its efforts")
    served.refresh(Options())
    again = served.rendered.memo["key prints"]
    assert served.state.corpus.facts["baodi-three-industrial-clusters"] is facts_before["baodi-three-industrial-clusters"]
    assert after[("own", "baodi")] != again[("own", "baodi")] and after[("all", "facts")] != again[("all", "facts")]
    assert after[("own", "liaoning")] == again[("own", "liaoning")]
