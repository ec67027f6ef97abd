"""Questions a reader asks, each answered on the right built page: the figure, its status and its citation."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, run_cli

CHINADAILY = "chinadaily-2023-01-13-tianjin-work-report"
CONGRESS = "jjj-dailies-2022-10-21-congress-representatives"
XINHUA = "xinhua-2023-02-25-ninth-anniversary"
LIAONING = "liaoning-media-2020-undated-jingjinji-integration"
PLAN = "liaoning-daily-2022-05-13-one-ring-one-belt-two-regions"

# (question, region page, fact id, figures the answer must show, kind, source cited)
QUESTIONS = [
    ("How many Beijing-Tianjin projects has Cangzhou taken on, with what total investment?",
     "cangzhou", "cangzhou-beijing-tianjin-projects-2022", ["672", "278.7"], "result", CONGRESS),
    ("How many companies came to Tianjin from Beijing in 2022?", "tianjin", "tianjin-beijing-companies-2022",
     ["1,406", "318", "172.1"], "result", CHINADAILY),
    ("Does another article confirm the 1,406?", "tianjin", "tianjin-investment-institutions-from-beijing-2022",
     ["1,406"], "result", XINHUA),
    ("What does Baodi aim for in sci-tech enterprises in 2023?", "baodi", "baodi-sci-tech-smes-target-2023",
     ["240", "300"], "target", CHINADAILY),
    ("How much did Chengde restore over ten years?", "chengde", "chengde-ecological-restoration-ten-years",
     ["15.823", "6,401"], "result", CONGRESS),
    ("What is Chengde's forest coverage?", "chengde", "chengde-forest-coverage-2022", ["60.03"], "result", CONGRESS),
    ("How large and populous is the Beijing-Tianjin-Hebei region?", "jing-jin-ji", "jing-jin-ji-area-population",
     ["216,000", "100"], "context", XINHUA),
    ("How big was the region's economy in 2022?", "jing-jin-ji", "jing-jin-ji-gdp-2022", ["10"], "result", XINHUA),
    ("How many institutions have central enterprises set up in Xiong'an?", "xiongan",
     "xiongan-central-enterprise-institutions-2023", ["140"], "result", XINHUA),
    ("How many enterprises are registered in Daxing's airport economic zone?", "daxing-airport-economic-zone",
     "daxing-airport-zone-registered-enterprises-2022-09", ["3,384"], "result", CONGRESS),
    ("How many of Fuxin's funded projects came from Jing-Jin-Ji?", "fuxin", "fuxin-funded-projects-from-jingjinji-2020",
     ["49", "130", "38"], "result", LIAONING),
    ("How many projects has Chaoyang in Liaoning brought in from Jing-Jin-Ji?", "chaoyang-liaoning",
     "chaoyang-jingjinji-projects-since-2020", ["174", "94.66"], "result", LIAONING),
    ("What GDP does Shenyang aim for?", "shenyang", "shenyang-gdp-one-trillion-target", ["1"], "target", PLAN),
    ("How much renewable capacity does Zhangjiakou have?", "zhangjiakou", "zhangjiakou-renewable-capacity-2022", ["26"], "result", XINHUA),
]


def fact_block(site, region: str, fact_id: str) -> str:
    page = site / "regions" / region / "index.html"
    html = page.read_text(encoding="utf-8")
    start = html.index(f'id="fact-{fact_id}"')
    return html[start:html.index('class="fact-meta"', start)]


@pytest.mark.parametrize("question,region,fact_id,values,kind,source", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_reader_question_is_answered_on_the_region_page(built_site, question, region, fact_id, values, kind, source):
    block = fact_block(built_site, region, fact_id)
    shown = re.findall(r'class="fig-value">([^<]+)<', block)
    for value in values:
        assert value in shown, f"{question}: {value} not among {shown}"
    assert f'kind-{kind}"' in block
    assert re.search(rf'class="cite-link" href="(\.\./)+sources/{source}/#cite-{fact_id}-\d', block), question


def test_targets_say_they_are_not_achieved(built_site):
    block = fact_block(built_site, "baodi", "baodi-sci-tech-smes-target-2023")
    assert "(target, not achieved)" in block and ">Target<" in block


def test_impossible_share_is_shown_not_corrected(built_site):
    block = fact_block(built_site, "fuxin", "fuxin-jingjinji-project-funds-2020")
    assert "finding-arithmetic" in block and "220.5%" in block
    assert "finding-quality" in block


def test_corroborated_figure_is_linked(built_site):
    block = fact_block(built_site, "tianjin", "tianjin-beijing-companies-2022")
    assert "finding-corroboration" in block and "tianjin-companies-from-beijing" in block


def test_every_region_has_a_briefing_with_its_chinese_name(built_site):
    data = json.loads((built_site / "data/facts.json").read_text(encoding="utf-8"))
    names = {r["id"] for r in data["regions"]}
    for rid in ["beijing", "tianjin", "hebei", "liaoning", "xiongan", "tongzhou", "daxing", "yanqing", "baodi", "binhai",
                "chengde", "cangzhou", "zhangjiakou", "tangshan", "shenyang", "dalian", "fuxin", "chaoyang-liaoning", "huludao"]:
        assert rid in names
    for region in data["regions"]:
        html = (built_site / region["page"] / "index.html").read_text(encoding="utf-8")
        assert region["name_zh"] in html


def test_all_articles_curated_with_full_coverage():
    proc = run_cli("check")
    rows = re.findall(r"^\s+([\d.]+)%\s+(\d+)/(\d+)\s+(\d+)\s+(\S+)$", proc.stdout, re.M)
    assert len(rows) == len(list((ROOT / "facts/sources").glob("*.txt"))) == 5
    for percent, covered, total, facts, sid in rows:
        assert float(percent) >= 95.0, sid
        assert int(facts) >= 10, sid


def test_each_article_lists_the_glossary_terms_it_uses(built_site):
    """A source page lists the glossary terms whose name or a spelling of it (three characters or more) its text
    holds as whole words, in any case: read here with regular expressions, independently of the engine's search."""
    import html
    import yaml

    terms = [t for f in sorted((ROOT / "facts/glossary").glob("*.yml"))
             for t in yaml.safe_load(f.read_text(encoding="utf-8"))]
    terms.sort(key=lambda t: t["term"].lower())
    listed_somewhere = 0
    for source in sorted((ROOT / "facts/sources").glob("*.txt")):
        text = source.read_text(encoding="utf-8").split("\n---\n", 1)[1].lower()
        expected = [t["term"] for t in terms
                    if any(len(w) > 2 and re.search(r"\w", w) and re.search(rf"(?<!\w){re.escape(w.lower())}(?!\w)", text)
                           for w in [t["term"], *t.get("variants", [])])]
        page = (built_site / "sources" / source.stem / "index.html").read_text(encoding="utf-8")
        box = re.search(r'<details class="note terms-here">(.*?)</details>', page, re.S)
        shown = [html.unescape(name) for name in re.findall(r'<li><a href="[^"]*">([^<]*)</a>', box.group(1))] if box else []
        assert shown == expected, source.stem
        listed_somewhere += len(shown)
    assert listed_somewhere >= 20, "the real articles use the glossary's terms: the test would compare nothing"


def test_a_term_is_found_as_a_whole_word_only():
    """textmatch.occurs_as_word finds what `(?<!\\w)word(?!\\w)` finds, on short random texts of letters, digits,
    "_", Han characters, spaces and punctuation (the glossary's look-up on every source page)."""
    import random

    from briefing.textmatch import occurs_as_word

    rng = random.Random(3)
    pieces = ["a", "b", "_", " ", "-", "é", "1", "雄", "安", "'", "ab", "ba"]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        word = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 3)))
        expected = bool(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text))
        assert occurs_as_word(text, word) == expected, (text, word)
        found += expected
    assert 200 < found < 19800, found  # both answers are tried often


def test_the_map_of_a_big_archive_shows_and_names_the_places_with_the_most_facts(monkeypatch):
    """The home page map stays readable however many places there are (render.View.map_points): at most MAP_DOTS
    dots, the places with the most facts; names on the MAP_LABELS first of them only (the others keep theirs as a
    tooltip); no dot wider than MAP_RADIUS. Here the real corpus with budgets smaller than its 15 dots; with the
    real budgets its map is as it was (the golden pages)."""
    import html

    from briefing import pipeline, render
    from briefing.options import Options
    from briefing.whatsnew import WhatsNew

    corpus, report = pipeline.run(ROOT, Options())
    env = render.environment(ROOT / "templates")
    monkeypatch.setattr(render, "MAP_DOTS", 8)
    monkeypatch.setattr(render, "MAP_LABELS", 5)
    monkeypatch.setattr(render, "MAP_RADIUS", 6.0)
    home = render.render_pages(corpus, env, ROOT / "docs", Options(), WhatsNew(corpus), None, 1).files["index.md"]
    svg = re.search(r"<svg viewBox.*?</svg>", home.content.decode(), re.S).group(0)
    shown = re.findall(r'<a href="[^"]+" class="map-region[^"]*"><title>(.*?): (\d+) facts</title>', svg)
    view = render.View(corpus, "index.md", render.Shared(corpus, Options(), None, WhatsNew(corpus)))
    ranked = sorted((r for r in corpus.regions.values() if r.coordinates), key=lambda r: (-view.fact_count(r.id), r.name))
    assert len(ranked) > 8 and sorted(html.unescape(name) for name, _ in shown) == sorted(r.name for r in ranked[:8])
    labels = [html.unescape(label) for label in re.findall(r'class="map-label(?:-big)?">([^<]+)</text>', svg)]
    assert 0 < len(labels) <= 5 and set(labels) <= {r.name.split(" (")[0] for r in ranked[:5]}
    radii = [float(r) for r in re.findall(r'<circle cx="[^"]+" cy="[^"]+" r="([^"]+)"', svg)]
    assert radii and max(radii) <= 6.0 and min(radii) >= 3  # the widest would be the top place, drawn as a name
