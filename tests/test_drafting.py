"""`add-source` drafts facts an editor reviews; `draft` drafts again without touching reviewed facts; bad input is
refused with a clear message and nothing written. End to end through the CLI, in a scratch copy of the repository."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from conftest import run_cli

ARTICLE = """Harbour Town makes progress

In the past year, the GDP of Binhai will reach 372.1 billion yuan, an increase of 6.3%.

The first 11 months of last year, Harbour Town in Binhai handled 22.19 million TEUs, up 4.2 percentage points.

Over the past six years, more than 3,000 mu of wetland have been restored in Baodi.

Since 2014, nine expressways and two stations have been built in Tianjin.

At present, 42 companies have settled in Harbour Town. This year, Harbour Town will build 5 new berths.

By 2025, Binhai strives to attract 60 more projects.
"""
SID = "test-daily-2024-01-15-harbour-town"


def add(repo, tmp_path, text: str | bytes = ARTICLE, date: str = "2024-01-15", name: str = "article.txt"):
    article = tmp_path / name
    if isinstance(text, bytes):
        article.write_bytes(text)
    else:
        article.write_text(text, encoding="utf-8")
    return run_cli("add-source", str(article), "--title", "Harbour Town", "--publisher", "Test Daily", "--date", date,
                   root=repo)


def drafts(repo) -> dict[str, dict]:
    """The drafted facts, by the first words of their quote."""
    facts = yaml.safe_load((repo / f"facts/facts/{SID}.yml").read_text(encoding="utf-8"))
    return {f["citations"][0]["quote"][:24]: f for f in facts}


def figures(fact) -> list[tuple]:
    return [(f["value"], f["unit"], f.get("qualifier")) for f in fact["figures"]]


def test_add_source_drafts_kinds_dates_units_qualifiers_and_places(repo, tmp_path):
    proc = add(repo, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "drafted 7 facts with 10 figures" in proc.stdout  # "past six years" is the date, no figure and "proposed 1 places" in proc.stdout
    text = (repo / f"facts/facts/{SID}.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/facts.schema.json\n")
    d = drafts(repo)
    assert all(f["status"] == "draft" for f in d.values())
    assert all(f["citations"] == [{"source": SID, "quote": q}] for q, f in
               ((f["citations"][0]["quote"], f) for f in d.values()))

    gdp = d["In the past year, the GD"]  # a past result in the future tense, in a January article
    assert (gdp["kind"], gdp["date"], gdp["regions"][0]) == ("result", "2023", "binhai")
    assert figures(gdp) == [(372.1, "billion yuan", None), (6.3, "%", None)]

    port = d["The first 11 months of l"]
    assert (port["kind"], port["date"]) == ("result", "2023-01/2023-11")
    assert figures(port) == [(22.19, "million TEUs", None), (4.2, "percentage points", None)]
    assert port["regions"][:2] == ["harbour-town", "binhai"]  # the unknown place first, its parent after

    wetland = d["Over the past six years,"]
    assert (wetland["date"], wetland["regions"][0]) == ("2018/2024", "baodi")
    assert (3000, "mu", "more than") in figures(wetland)

    roads = d["Since 2014, nine express"]
    assert (roads["kind"], roads["date"], roads["regions"][0]) == ("result", "2014/2024-01", "tianjin")
    assert figures(roads) == [(9, "expressways", None), (2, "stations", None)]

    stock = d["At present, 42 companies"]
    assert (stock["kind"], stock["date"]) == ("result", "2024-01")
    berths = d["This year, Harbour Town "]
    assert (berths["kind"], berths["date"], figures(berths)) == ("plan", "2024", [(5, "berths", None)])
    target = d["By 2025, Binhai strives "]
    assert (target["kind"], target["date"], figures(target)) == ("target", "2025", [(60, "projects", None)])

    regions = yaml.safe_load((repo / f"facts/regions/{SID}.yml").read_text(encoding="utf-8"))
    assert [(r["id"], r["name"], r["parent"], r["status"]) for r in regions] == [
        ("harbour-town", "Harbour Town", "binhai", "draft")]
    check = run_cli("check", root=repo)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 errors" in check.stderr


def test_draft_again_keeps_the_reviewed_fact_and_replaces_only_drafts(repo, tmp_path):
    assert add(repo, tmp_path).returncode == 0
    path = repo / f"facts/facts/{SID}.yml"
    text = path.read_text(encoding="utf-8")
    target = drafts(repo)["At present, 42 companies"]  # a sentence followed by another in its paragraph
    # the editor reviews one draft: corrects its claim and id, deletes `status: draft`
    block_start = text.index(f"- id: {target['id']}")
    block_end = text.find("\n- id:", block_start)
    block = text[block_start:block_end if block_end > 0 else len(text)]
    reviewed = (block.replace("  status: draft\n", "").replace(target["id"], "harbour-town-companies-2024-01")
                .replace(f"claim: {target['claim']}", "claim: 42 companies had settled in Harbour Town by January 2024."))
    # and deletes another draft, and edits a remaining one (drafting again restores both)
    path.write_text(text.replace(block, reviewed).replace("unit: stations", "unit: railway stations"), encoding="utf-8")
    # a reviewed fact may not stand in a draft place: the editor reviews the proposed Harbour Town too
    places = repo / f"facts/regions/{SID}.yml"
    places.write_text(places.read_text(encoding="utf-8").replace("  status: draft\n", "").replace("name_zh: TODO", "name_zh: 港镇"),
                      encoding="utf-8")

    proc = run_cli("draft", SID, root=repo)
    assert proc.returncode == 0, proc.stderr
    again = path.read_text(encoding="utf-8")
    assert reviewed.rstrip("\n") in again  # byte for byte as the editor left it
    facts = yaml.safe_load(again)
    quotes = [f["citations"][0]["quote"] for f in facts]
    assert quotes.count("At present, 42 companies have settled in Harbour Town.") == 1  # not drafted twice
    assert [f["id"] for f in facts if "status" not in f] == ["harbour-town-companies-2024-01"]
    assert len([f for f in facts if f.get("status") == "draft"]) == 6
    assert "unit: railway stations" not in again and "unit: stations" in again  # earlier drafts replaced
    assert len({f["id"] for f in facts}) == len(facts)
    assert [(r["id"], r.get("status")) for r in yaml.safe_load(places.read_text(encoding="utf-8"))] == [("harbour-town", None)]
    check = run_cli("check", root=repo)
    assert check.returncode == 0, check.stdout + check.stderr


def files(repo) -> list[str]:
    return sorted(str(p.relative_to(repo)) for p in (repo / "facts").rglob("*") if p.is_file())


@pytest.mark.parametrize("case, content, date, message", [
    ("no numbers", "Harbour Town grows.\n\nIt plans more berths and a new park.\n", "2024-01-15",
     "no sentence states a number"),
    ("future date", ARTICLE, "2999-01-01", "--date 2999-01-01 is in the future"),
    ("empty file", " \n\n", "2024-01-15", "is empty"),
    ("not UTF-8", "Harbour Town handled 42 ships in Cura\xe7ao.".encode("latin-1"), "2024-01-15",
     "not UTF-8 text: byte offset 37 (0xe7)"),
])
def test_bad_articles_are_refused_and_nothing_is_written(repo, tmp_path, case, content, date, message):
    before = files(repo)
    proc = add(repo, tmp_path, content, date)
    assert proc.returncode == 1, (case, proc.stdout, proc.stderr)
    assert message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert files(repo) == before


def test_today_is_not_the_future(repo, tmp_path):
    proc = add(repo, tmp_path, date=dt.date.today().isoformat())
    assert proc.returncode == 0, proc.stderr


def test_draft_of_an_unknown_source_is_refused(repo):
    before = files(repo)
    proc = run_cli("draft", "no-such-source", root=repo)
    assert proc.returncode == 1
    assert "unknown source 'no-such-source'" in proc.stderr and "chinadaily-2023-01-13-tianjin-work-report" in proc.stderr
    assert files(repo) == before


def test_draft_of_a_fully_reviewed_source_changes_nothing(repo):
    sid = "xinhua-2023-02-25-ninth-anniversary"
    before = {p: p.read_bytes() for p in (repo / "facts").rglob("*") if p.is_file()}
    proc = run_cli("draft", sid, root=repo)
    assert proc.returncode == 0, proc.stderr
    assert "nothing to draft" in proc.stdout
    assert {p: p.read_bytes() for p in (repo / "facts").rglob("*") if p.is_file()} == before


TRADE = """Binhai trade report

From January to October this year, foreign trade of Binhai reached RMB 120 billion, up 8 percent year on year.

In the first three quarters, Baodi handled about 30,000 tons of cargo, while COVID-19 tests fell.

By the end of last year, Tianjin had built 12 parks, and the 30 km line cost ¥300 million.

By the end of this year, the port is expected to open 5 new routes.
"""


def test_add_source_reads_month_ranges_quarters_currencies_and_names(repo, tmp_path):
    proc = run_cli("add-source", str(_write(tmp_path, TRADE)), "--title", "Trade", "--publisher", "Test Daily",
                   "--date", "2022-11-15", root=repo)
    assert proc.returncode == 0, proc.stderr
    facts = yaml.safe_load((repo / "facts/facts/test-daily-2022-11-15-trade.yml").read_text(encoding="utf-8"))
    got = {f["citations"][0]["quote"][:23]: (f["kind"], f.get("date"), f["regions"][0], figures(f)) for f in facts}
    assert got == {
        "From January to October": ("result", "2022-01/2022-10", "binhai", [(120, "billion yuan", None), (8, "%", None)]),
        "In the first three quar": ("result", "2022-01/2022-09", "baodi", [(30000, "tons", "about")]),  # COVID-19: a name
        "By the end of last year": ("result", "2021-12-31", "tianjin",
                                     [(12, "parks", None), (30, "km", None), (300, "million yuan", None)]),
        "By the end of this year": ("target", "2022", "binhai", [(5, "routes", None)]),
    }
    assert run_cli("check", root=repo).returncode == 0


def _write(tmp_path, text: str):
    path = tmp_path / "trade.txt"
    path.write_text(text, encoding="utf-8")
    return path


REVIEW_ARTICLE = """Tianjin reports on the year

Tianjin will actively serve the coordinated development of Beijing, Tianjin and Hebei. The city's GDP will exceed 1.67 trillion yuan, an increase of 4.3% over the previous year, and the throughput of Tianjin Port will reach 22.17 million TEUs, a record high.

Wuqing is a district of Tianjin. Over the past five years, the district has undertaken 3,200 projects from Beijing, and the number of Beijing enterprises settled in Wuqing has reached 1,500. Up to now, it has undertaken 672 projects.

In 2023, the turnover of technology contracts in Binhai will be 35.69 billion yuan.

Among them, the first 11 months of last year, Binhai handled 21.5 million TEUs.

At present, 42 companies have settled in Binhai. This year, Binhai will build 5 new berths.

Last year, Binhai's foreign trade will increase by 3.1%, compared with last year's 2.0%.

Wuqing has ranked first in Tianjin for 9 consecutive years.

Binhai currently has 42 parks.

Binhai opened a new terminal in 2023. Statistics show that output will reach 40 billion yuan. Two stations will open. By the end of this year, Binhai will build 12 parks.
"""
REVIEW_SID = "test-daily-2024-01-18-tianjin-reports"


def test_drafts_read_as_plain_claims_with_periods_counted_nouns_and_subject_places(repo, tmp_path):
    article = tmp_path / "review.txt"
    article.write_text(REVIEW_ARTICLE, encoding="utf-8")
    proc = run_cli("add-source", str(article), "--title", "Tianjin reports", "--publisher", "Test Daily",
                   "--date", "2024-01-18", root=repo)
    assert proc.returncode == 0, proc.stderr
    facts = yaml.safe_load((repo / f"facts/facts/{REVIEW_SID}.yml").read_text(encoding="utf-8"))
    d = {f["citations"][0]["quote"][:24]: f for f in facts}

    gdp = d["The city's GDP will exce"]  # a 2023 result in the future tense, "the city" named, the date stated
    assert gdp["claim"] == ("In 2023, Tianjin's GDP exceeded 1.67 trillion yuan, an increase of 4.3% over the previous "
                            "year, and the throughput of Tianjin Port reached 22.17 million TEUs, a record high.")
    # Beijing and the region appear only in the strategy's name: no regions of Tianjin's GDP
    assert gdp["regions"] == ["tianjin", "tianjin-port"]
    assert [f["label"] for f in gdp["figures"]][0] == "Tianjin's GDP"

    wuqing = d["Over the past five years"]
    assert wuqing["claim"].startswith("Since 2019, Wuqing has undertaken 3,200 projects from Beijing")
    assert figures(wuqing) == [(3200, "projects", None), (1500, "enterprises", None)]  # no "5 years" figure
    assert wuqing["regions"][0] == "wuqing" and "beijing" not in wuqing["regions"][:1]

    stock = d["Up to now, it has undert"]  # "it" is the district named before; a stock as at publication
    assert stock["claim"] == "As of January 2024, Wuqing has undertaken 672 projects."
    turnover = d["In 2023, the turnover of"]  # "will be" before a number, a singular subject
    assert turnover["claim"] == "In 2023, the turnover of technology contracts in Binhai was 35.69 billion yuan."

    port = d["Among them, the first 11"]  # connective dropped, the period resolved
    assert port["claim"] == "In January–November 2023, Binhai handled 21.5 million TEUs."
    stock = d["At present, 42 companies"]
    assert stock["claim"] == "As of January 2024, 42 companies have settled in Binhai."
    plan = d["This year, Binhai will b"]  # a plan keeps "will"
    assert (plan["kind"], plan["claim"]) == ("plan", "In 2024, Binhai will build 5 new berths.")
    trade = d["Last year, Binhai's fore"]  # the baseline "last year's 2.0%" is no date of the figure
    assert trade["claim"] == "In 2023, Binhai's foreign trade increased by 3.1%, compared with last year's 2.0%."
    assert trade["figures"][0]["label"] == "Binhai's foreign trade"  # no date phrase, no verb
    output = d["Statistics show that out"]  # no lead-in; the paragraph's year in front, the word behind it lowercased
    assert output["claim"] == "In 2023, output reached 40 billion yuan."
    assert d["Two stations will open."]["claim"] == "In 2023, two stations opened."  # a number word, lowercased
    parks = d["By the end of this year,"]
    assert parks["claim"] == "By the end of 2024, Binhai will build 12 parks."
    parks_now = d["Binhai currently has 42 "]  # "currently" inside the clause: the date in front instead
    assert parks_now["claim"] == "As of January 2024, Binhai has 42 parks."
    streak = d["Wuqing has ranked first "]  # years counted as the achievement stay a figure
    assert [(f["label"], f["value"], f["unit"]) for f in streak["figures"]] == [("Consecutive years", 9, "years")]
    for f in facts:  # every figure's number, as written, stays in the claim
        for fig in f["figures"]:
            assert f"{fig['value']:,}" in f["claim"], (fig, f["claim"])
    check = run_cli("check", root=repo)
    assert check.returncode == 0, check.stdout + check.stderr


def test_drafted_qualifiers_are_the_ones_check_expects(repo, tmp_path):
    """One cue table: whatever `check` would warn about ("85% or more", "beyond", "surpassed") is drafted."""
    article = "Binhai output\n\nIn 2023, Binhai's output share reached 85% or more.\n\n" \
              "In 2023, Binhai's exports grew beyond 300 billion yuan and surpassed 40 billion US dollars.\n"
    assert add(repo, tmp_path, article).returncode == 0
    got = {f["value"]: f.get("qualifier") for fact in drafts(repo).values() for f in fact["figures"]}
    assert got == {85: "at least", 300: "more than", 40: "more than"}
    check = run_cli("check", root=repo)
    assert check.returncode == 0 and "qualifier" not in check.stderr, check.stderr  # drafts are checked too
