"""Drafts (`status: draft`: checked, shown by serve, never published by build) and the house rules the build enforces
(figure qualifiers, alias hygiene), through the CLI, the live preview and the built HTML."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import searchindex
from conftest import ENV, explorer_figures, run_cli
from test_serve import fetch, serving, wait_for

SID = "chinadaily-2023-01-13-tianjin-work-report"
DRAFT_FACT = "draft-tianjin-capital-from-beijing"
DRAFT_REGION = "draft-harbour-town"
MARK = "Draftmark"  # a word that only the drafts contain
DRAFTS = f"""\
- id: {DRAFT_FACT}
  status: draft
  claim: {MARK} claim, Beijing companies brought 172.1 billion yuan of capital to Tianjin last year.
  kind: result
  date: "2022"
  regions: [{DRAFT_REGION}, tianjin]
  topics: [relocation]
  figures:
    - {{label: {MARK} capital from Beijing, value: 172.1, unit: billion yuan}}
  citations:
    - source: {SID}
      quote: came to Tianjin, luring a combined capital of 172.1 billion yuan
"""
DRAFT_REGIONS = f"""\
- id: {DRAFT_REGION}
  status: draft
  name: {MARK} Harbour Town
  name_zh: 港镇
  kind: county
  parent: tianjin
  summary: A town the draft proposes.
  coordinates: [117.5, 39.0]
"""


def add_drafts(repo: Path) -> None:
    (repo / f"facts/facts/zz-{SID}-drafts.yml").write_text(DRAFTS, encoding="utf-8")
    (repo / "facts/regions/zz-drafts.yml").write_text(DRAFT_REGIONS, encoding="utf-8")


def build(repo: Path, out: Path) -> subprocess.CompletedProcess:
    proc = run_cli("build", "--site-dir", str(out), root=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def site_text(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml", ".svg"}}


def test_a_draft_is_checked_left_out_of_build_shown_by_serve_and_published_once_reviewed(repo, tmp_path):
    add_drafts(repo)
    check = run_cli("check", root=repo)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 errors, 0 warnings" in check.stderr
    assert re.search(rf"drafts awaiting review \(1\b.*\n\s+1\s+{SID}$", check.stdout, re.M), check.stdout

    proc = build(repo, tmp_path / "site")
    assert "left out 1 draft fact and 1 draft region" in proc.stderr
    files = site_text(tmp_path / "site")
    leaks = [name for name, text in files.items() if MARK in text or DRAFT_FACT in text or DRAFT_REGION in text]
    assert leaks == [], leaks  # no page, nav entry, map dot, facts.json/csv or figures.json row
    assert "data/facts.json" in files and "data/figures.json" in files
    indexed = [json.dumps(page, ensure_ascii=False) for page in searchindex.fragments(tmp_path / "site")]
    assert len(indexed) > 50 and not [p for p in indexed if MARK in p or DRAFT_FACT in p or DRAFT_REGION in p]
    assert not (tmp_path / "site/drafts").exists() and "Drafts to review" not in files["index.html"]  # nor in the nav

    # `mkdocs build` on its own (through the hook) leaves them out too
    mk = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "mk")], cwd=repo, env=ENV,
                        capture_output=True, text=True, timeout=300)
    assert mk.returncode == 0, mk.stderr
    assert "left out 1 draft fact and 1 draft region" in mk.stderr
    assert not [n for n, text in site_text(tmp_path / "mk").items() if MARK in text], "mkdocs build published a draft"

    with serving(repo) as (base, lines):
        page = base + f"regions/{DRAFT_REGION}/"
        html = wait_for(lambda: fetch(page), 60)
        assert html, "".join(lines)
        card = html[html.index(f'id="fact-{DRAFT_FACT}"'):]
        card = card[:card.index("</h4>")]
        assert re.search(r'class="draft-badge"[^>]*>Draft</span>', card), card  # text, not colour alone
        assert 'class="draft-note"' in html  # the draft region's own page is badged
        drafts = fetch(base + "drafts/")
        assert "Drafts to review" in drafts and "delete" in drafts and "status: draft" in drafts
        assert f'href="../regions/{DRAFT_REGION}/#fact-{DRAFT_FACT}"' in drafts
        assert f'href="../regions/{DRAFT_REGION}/"' in drafts
        nav_entry = re.compile(r'<a href="drafts/" class="md-nav__link">(?:(?!</a>).)*Drafts to review', re.S)
        assert nav_entry.search(fetch(base)), "no nav entry for the drafts under serve"

    # reviewing = deleting `status: draft`: the next build publishes both
    for path in (repo / f"facts/facts/zz-{SID}-drafts.yml", repo / "facts/regions/zz-drafts.yml"):
        path.write_text(path.read_text(encoding="utf-8").replace("  status: draft\n", ""), encoding="utf-8")
    proc = build(repo, tmp_path / "site")
    assert "left out" not in proc.stderr
    page = (tmp_path / f"site/regions/{DRAFT_REGION}/index.html").read_text(encoding="utf-8")
    assert f'id="fact-{DRAFT_FACT}"' in page and "draft-badge" not in page
    data = json.loads((tmp_path / "site/data/facts.json").read_text(encoding="utf-8"))
    assert DRAFT_FACT in [f["id"] for f in data["facts"]]
    indexed = {page["url"]: page for page in searchindex.fragments(tmp_path / "site")}
    assert f"fact-{DRAFT_FACT}" in [a["id"] for a in indexed[f"/regions/{DRAFT_REGION}/"]["anchors"]]  # a search result


def test_coverage_counts_reviewed_facts_only(repo):
    source = repo / f"facts/sources/{SID}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new paragraph says 7,777 things happened.\n", encoding="utf-8")
    (repo / "facts/facts/zz-draft.yml").write_text(f"""\
- id: draft-new-paragraph
  status: draft
  claim: 7,777 things happened.
  kind: event
  regions: [tianjin]
  topics: [relocation]
  figures:
    - {{label: Things, value: 7777, unit: things}}
  citations:
    - source: {SID}
      quote: A new paragraph says 7,777 things happened.
""", encoding="utf-8")
    proc = run_cli("check", root=repo)
    assert proc.returncode == 0, proc.stderr
    assert re.search(rf"91\.7%\s+11/12\s+13\s+{SID}", proc.stdout), proc.stdout  # the draft's number is still missing
    assert "no quote covers 7,777" in proc.stderr
    path = repo / "facts/facts/zz-draft.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  status: draft\n", ""), encoding="utf-8")
    proc = run_cli("check", root=repo)
    assert re.search(rf"100\.0%\s+12/12\s+14\s+{SID}", proc.stdout), proc.stdout


def test_reviewed_records_may_not_lean_on_drafts(repo, tmp_path):
    add_drafts(repo)
    facts = repo / f"facts/facts/{SID}.yml"
    text = facts.read_text(encoding="utf-8")
    old = "  regions: [tianjin, jing-jin-ji]\n"
    line = text[:text.index(old)].count("\n") + 1
    facts.write_text(text.replace(old, f"  regions: [tianjin, {DRAFT_REGION}]\n", 1), encoding="utf-8")
    chart = repo / "facts/charts/investment.yml"
    chart_text = chart.read_text(encoding="utf-8")
    bar = "    - {fact: chengde-forest-coverage-2012, figure: Forest coverage rate of Chengde (about 2012), label: \"about 2012\"}\n"
    bar_line = chart_text[:chart_text.index(bar)].count("\n") + 2
    chart.write_text(chart_text.replace(bar, bar + f"    - {{fact: {DRAFT_FACT}, figure: {MARK} capital from Beijing, label: x}}\n"),
                     encoding="utf-8")
    # the draft fact's unit differs from the chart's: only the draft error is asked about here
    proc = run_cli("check", root=repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out
    assert re.search(rf"^facts/facts/{SID}\.yml:{line}:\d+: error: region '{DRAFT_REGION}' is a draft "
                     rf"\(facts/regions/zz-drafts\.yml:2\).*review it first.*delete its `status: draft`", out, re.M), out
    assert re.search(rf"^facts/charts/investment\.yml:{bar_line}:\d+: error: fact '{DRAFT_FACT}' is a draft "
                     rf"\(facts/facts/zz-{SID}-drafts\.yml:2\)", out, re.M), out
    before = tmp_path / "site"
    before.mkdir()
    (before / "keep.txt").write_text("old", encoding="utf-8")
    proc = run_cli("build", "--site-dir", str(before), root=repo)
    assert proc.returncode == 1 and (before / "keep.txt").exists()


# -- qualifiers ------------------------------------------------------------------------------------------------------

QUALIFIED = "shenyang-metropolitan-area-urbanization-target"  # "urbanization rate more than 85%"


def test_qualifier_shown_in_tables_cards_and_downloads(built_site):
    page = (built_site / "regions/shenyang-metropolitan-area/index.html").read_text(encoding="utf-8")
    sign = (r'<span class="qualifier" title="more than"><span aria-hidden="true">&gt;</span>'
            r'<span class="sr-only">more than</span></span> ')
    assert re.search(rf'<td class="num" data-sort="85">{sign}85</td>', page), "no '> 85' in the key figures table"
    card = page[page.index(f'id="fact-{QUALIFIED}"'):]
    assert re.search(rf'{sign}<strong class="fig-value">85</strong>', card[:card.index("fact-meta")])
    data = json.loads((built_site / "data/facts.json").read_text(encoding="utf-8"))
    fact = next(f for f in data["facts"] if f["id"] == QUALIFIED)
    assert fact["figures"][0]["qualifier"] == "more than"
    assert all(g["qualifier"] is None for f in data["facts"] if f["id"] == "tianjin-beijing-companies-2022" for g in f["figures"])
    rows = list(csv.DictReader(io.StringIO((built_site / "data/facts.csv").read_text(encoding="utf-8"))))
    assert [r["qualifier"] for r in rows if r["fact_id"] == QUALIFIED] == ["more than"]
    explorer = json.loads((built_site / "data/figures.json").read_text(encoding="utf-8"))
    assert sorted({g["qualifier"] for g in explorer_figures(explorer)}) == ["", "about", "more than"]


def test_check_warns_when_the_quote_qualifies_a_figure_and_the_figure_does_not(repo):
    rel = "facts/facts/liaoning-daily-2022-05-13-one-ring-one-belt-two-regions.yml"
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    figure = '    - {label: "Urbanisation rate, Shenyang metropolitan area (target for about 2024)", value: 85, unit: "%", qualifier: more than}'
    line = text[:text.index(figure)].count("\n") + 1
    for qualifier, says in [("", "has no qualifier"), (", qualifier: about", "has qualifier 'about'")]:
        path.write_text(text.replace(", qualifier: more than}", qualifier + "}", 1), encoding="utf-8")
        proc = run_cli("check", root=repo)
        assert proc.returncode == 0, proc.stderr
        warning = [ln for ln in proc.stderr.splitlines() if ": warning: " in ln and "qualifier" in ln]
        assert len(warning) == 1 and warning[0].startswith(f"{rel}:{line}:"), proc.stderr
        assert "'more than 85'" in warning[0] and says in warning[0] and "add `qualifier: more than`" in warning[0]
        assert run_cli("check", "--strict", root=repo).returncode == 1
    path.write_text(text, encoding="utf-8")
    assert run_cli("check", "--strict", root=repo).returncode == 0


# -- alias hygiene ---------------------------------------------------------------------------------------------------

def test_an_alias_that_names_another_region_is_an_error_naming_both_places(repo):
    rel = "facts/regions/core.yml"
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    # the accident the rule was made for: an unquoted comma in a YAML flow list splits one alias in two
    text = text.replace('Beijing-Tianjin-Hebei, "Beijing, Tianjin and Hebei", capital region',
                        "Beijing-Tianjin-Hebei, Beijing, Tianjin and Hebei, capital region", 1)
    text = text.replace("aliases: [Hebei Province, Ji]", "aliases: [Hebei Province, Ji, TIANJIN]", 1)
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    alias_line = next(i for i, ln in enumerate(lines, 1) if "Beijing, Tianjin and Hebei, capital region" in ln)
    beijing_line = lines.index("  name: Beijing") + 1
    tianjin_line = lines.index("  name: Tianjin") + 1
    hebei_line = next(i for i, ln in enumerate(lines, 1) if "TIANJIN" in ln)
    proc = run_cli("check", root=repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out
    clashes = [ln for ln in out.splitlines() if ": error: " in ln and "names region" in ln]
    assert len(clashes) == 2, out
    assert clashes[0].startswith(f"{rel}:{beijing_line}:") and f"{rel}:{alias_line}" in clashes[0], clashes
    assert "'beijing'" in clashes[0] and "'jing-jin-ji'" in clashes[0]
    assert clashes[1].startswith(f"{rel}:{hebei_line}:") and f"{rel}:{tianjin_line}" in clashes[1], clashes


@pytest.mark.browser
def test_the_figures_explorer_shows_the_qualifier(browser, site_url):
    page = browser.new_page()
    try:
        page.goto(site_url + "figures/")
        page.wait_for_selector("#all-figures tbody tr")
        page.fill("#figure-filter", "urbanisation rate shenyang metropolitan")
        row = page.locator("#all-figures tbody tr", has_text="Urbanisation rate, Shenyang metropolitan area")
        row.first.wait_for()
        cell = row.first.locator("td.num")
        assert cell.text_content() == ">more than 85"  # sign (shown), words (read out), the number
        assert cell.locator(".qualifier").get_attribute("title") == "more than"
        words = cell.locator(".sr-only")
        assert words.text_content() == "more than"  # what a screen reader reads ...
        assert words.bounding_box()["width"] <= 1  # ... and nobody sees: the sign is shown instead
        assert cell.locator('[aria-hidden="true"]').text_content() == ">"
    finally:
        page.close()


def test_check_warns_when_a_this_year_result_is_dated_the_whole_year(repo):
    rel = "facts/facts/jjj-dailies-2022-10-21-congress-representatives.yml"  # published 21 October 2022
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    fact = text.index("- id: chengde-carbon-sink-trading-2022\n")
    old = "  date: 2022-01/2022-10\n"
    at = text.index(old, fact)
    line = text[:at].count("\n") + 1
    path.write_text(text[:at] + '  date: "2022"\n' + text[at + len(old):], encoding="utf-8")
    proc = run_cli("check", root=repo)
    assert proc.returncode == 0, proc.stderr
    warning = [ln for ln in proc.stderr.splitlines() if "house rule 1" in ln]
    assert len(warning) == 1 and warning[0].startswith(f"{rel}:{line}:"), proc.stderr
    assert "'This year'" in warning[0] and "`date: 2022-01/2022-10`" in warning[0]
