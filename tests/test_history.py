"""The facts' history from git: corrections on the cards, the What's new page, Atom feeds, dated downloads, and
builds without history (no .git, no git, a shallow clone). Every repository here is a scratch copy of the real
corpus committed with fixed dates and a fixed identity, built through the CLI."""
from __future__ import annotations

import csv
import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from conftest import ENV, copy_repo, run_cli

FACTS = Path("facts/facts/chinadaily-2023-01-13-tianjin-work-report.yml")
SITE_URL = "https://example.org/jingjinji-briefing/"
CORRECTED = "tianjin-beijing-companies-2022"
REMOVED = "tianjin-five-years-of-coordination"
ADDED = "tianjin-industrial-parks-quality-2023"
NEW_FACT = f"""
- id: {ADDED}
  claim: Tianjin means to raise the quality of its industrial parks while it takes on Beijing's industries.
  kind: plan
  date: "2023"
  regions: [tianjin]
  topics: [economy-industry]
  citations:
    - source: chinadaily-2023-01-13-tianjin-work-report
      quote: He noted that more solid steps in "declustering" the industrial burden of Beijing and promoting quality development of Tianjin's industrial parks are in the pipeline.
"""


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**ENV, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, date: str, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def remove_fact(path: Path, fid: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {fid}\n")
    end = text.find("\n- id:", start)
    path.write_text(text[:start] + text[end + 1:], encoding="utf-8")


def build(repo: Path, out: Path) -> subprocess.CompletedProcess:
    proc = run_cli("build", "--site-dir", str(out), root=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def tree(site: Path) -> dict:
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    body = html[html.index('<article'):html.index('</article>')]
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Three commits: the corpus with one figure wrong (1 Dec), its correction (5 Dec), a fact added and another
    removed (9 Dec). Built after the second commit (the cache), then after the third: incrementally (`site`), and
    again from scratch without the cache (`cold`)."""
    tmp = tmp_path_factory.mktemp("history")
    repo = copy_repo(tmp / "repo")
    git(repo, "init", "-q", "-b", "main")
    facts = repo / FACTS
    edit(facts, "label: Companies from Beijing settling in Tianjin, value: 1406,",
         "label: Companies from Beijing settling in Tianjin, value: 1460,")
    commit(repo, "2026-12-01T09:00:00+00:00", "Import the corpus")
    edit(facts, "value: 1460,", "value: 1406,")
    commit(repo, "2026-12-05T10:00:00+00:00", "Fix a figure")
    build(repo, tmp / "before")
    facts.write_text(facts.read_text(encoding="utf-8") + NEW_FACT, encoding="utf-8")
    remove_fact(facts, REMOVED)
    commit(repo, "2026-12-09T11:00:00+08:00", "Add a fact, remove another")  # 03:00 UTC
    site = tmp / "site"
    proc = build(repo, site)
    shutil.rmtree(repo / ".briefing-cache")
    build(repo, tmp / "cold")
    return {"repo": repo, "site": site, "cold": tmp / "cold", "tmp": tmp, "stderr": proc.stderr}


def test_a_corrected_figure_shows_both_values_on_its_card(history):
    html = page(history["site"], "regions/tianjin")
    card = html[html.index(f'id="fact-{CORRECTED}"'):]
    card = card[:card.index('class="fact-meta"') + 400]
    assert re.search(r'class="correction"><strong>Corrected 5 Dec 2026:</strong> Companies from Beijing settling in '
                     r'Tianjin: 1,460 → 1,406 companies</p>', card), card
    assert "First published 1 Dec 2026 · last changed 5 Dec 2026" in card
    quality = page(history["site"], "data-quality")
    corrections = quality[quality.index('id="corrections"'):quality.index('id="uncovered"')]
    assert "1,460 → 1,406 companies" in corrections and f"#fact-{CORRECTED}" in corrections


def test_the_changes_page_lists_the_changes_newest_first(history):
    site = history["site"]
    text = text_of(page(site, "changes"))
    days = [text.index(d) for d in ("9 Dec 2026", "5 Dec 2026", "1 Dec 2026")]
    assert days == sorted(days)
    added, removed = text.index("Added (1)"), text.index("Removed (1)")
    corrected = text.index("Corrected (1)")
    assert days[0] < added < removed < days[1] < corrected < days[2]
    assert "Tianjin means to raise the quality" in text[added:removed]
    assert "five years to 2022 brought great achievements" in text[removed:days[1]]
    assert "1,460 → 1,406 companies" in text[corrected:days[2]]
    assert re.search(r"Added \((\d+)\)", text[days[2]:]).group(1) == str(len(json.loads(
        (site / "data/facts.json").read_text(encoding="utf-8"))["facts"]))  # the import: all added, nothing corrected
    html = page(site, "changes")
    assert f'href="../regions/tianjin/#fact-{ADDED}"' in html
    assert f'id="fact-{REMOVED}"' in html  # an old link to the removed fact lands on what happened to it
    tianjin = page(site, "regions/tianjin")
    assert re.search(rf'<li id="fact-{REMOVED}">Removed 9 Dec 2026: ', tianjin)
    home = page(site, "")
    assert re.search(r"<a href=\"changes/\">What('|&#39;)s new</a>: .*latest 9 Dec 2026", home)


def test_feeds_are_atom_with_the_latest_changes(history):
    site = history["site"]
    root = feedparser.parse((site / "feed.xml").read_bytes())
    assert not root.bozo and root.version == "atom10"
    assert root.feed.link == SITE_URL
    titles = [e.title for e in root.entries]
    assert len(titles) == 50
    assert titles[0] == "New: Tianjin means to raise the quality of its industrial parks while it takes on Beijing's industries."
    assert titles[1].startswith("Removed: According to the mayor, the five years")
    assert titles[2].startswith("Corrected: In 2022, 1,406 companies")
    assert root.entries[2].summary == "Companies from Beijing settling in Tianjin: 1,460 → 1,406 companies"
    assert root.entries[0].link == f"{SITE_URL}regions/tianjin/#fact-{ADDED}"
    assert root.entries[1].link == f"{SITE_URL}changes/#fact-{REMOVED}"
    assert root.entries[0].updated == "2026-12-09T03:00:00Z" and root.feed.updated == "2026-12-09T03:00:00Z"
    assert len({e.id for e in root.entries}) == 50 and all(e.id.startswith("tag:example.org,2026-12-") for e in root.entries)
    tianjin = feedparser.parse((site / "regions/tianjin/feed.xml").read_bytes())
    assert not tianjin.bozo and tianjin.version == "atom10"
    assert [e.link.split("#")[1] for e in tianjin.entries[:3]] == [f"fact-{ADDED}", f"fact-{REMOVED}", f"fact-{CORRECTED}"]
    assert all("tianjin" in e.link or "changes" in e.link or "regions/" in e.link for e in tianjin.entries)
    baodi = feedparser.parse((site / "regions/baodi/feed.xml").read_bytes())  # a child of Tianjin: not its new facts
    assert f"fact-{ADDED}" not in {e.link.split("#")[1] for e in baodi.entries}
    head = page(site, "regions/tianjin")
    head = head[:head.index("</head>")]
    # rel holds the one token "alternate" (with a space that keeps Material's language switcher away: overrides/main.html)
    link = re.search(r'<link rel="([^"]*)" type="application/atom\+xml" href="feed.xml" title="Tianjin[^"]*">', head)
    assert link and link.group(1).split() == ["alternate"]
    topic = page(site, "topics/economy-industry")
    assert 'type="application/atom+xml" href="feed.xml"' in topic[:topic.index("</head>")]
    assert feedparser.parse((site / "topics/economy-industry/feed.xml").read_bytes()).entries[0].title.startswith("New: Tianjin")


def test_downloads_carry_the_dates_and_the_changes(history):
    data = json.loads((history["site"] / "data/facts.json").read_text(encoding="utf-8"))
    facts = {f["id"]: f for f in data["facts"]}
    assert (facts[CORRECTED]["first_published"], facts[CORRECTED]["last_changed"]) == ("2026-12-01", "2026-12-05")
    assert facts[ADDED]["first_published"] == "2026-12-09"
    latest = [(c["date"], c["change"], c["fact"]) for c in data["changes"][-3:]]
    assert latest == [("2026-12-05", "corrected", CORRECTED), ("2026-12-09", "removed", REMOVED), ("2026-12-09", "added", ADDED)]
    assert data["changes"][-3]["before"][0]["value"] == 1460 and data["changes"][-3]["figures"][0]["value"] == 1406
    rows = list(csv.DictReader((history["site"] / "data/facts.csv").open(encoding="utf-8")))
    assert {(r["first_published"], r["last_changed"]) for r in rows if r["fact_id"] == CORRECTED} == {("2026-12-01", "2026-12-05")}


def test_builds_are_byte_identical_incremental_or_cold(history, tmp_path):
    """The build after the third commit replayed it on the cache of the second; `cold` read everything; a third
    build reads the cache of the third commit. All three sites are the same, byte for byte."""
    site, cold = tree(history["site"]), tree(history["cold"])
    assert site.keys() == cold.keys()
    assert [k for k in site if site[k] != cold[k]] == []
    again = tmp_path / "again"
    build(history["repo"], again)
    assert tree(again) == site


def test_without_git_history_the_build_says_so_once_and_shows_no_dates(history, tmp_path):
    plain = copy_repo(tmp_path / "plain")  # a tarball: no .git
    proc = build(plain, tmp_path / "site")
    assert proc.stderr.count("history unavailable") == 1, proc.stderr
    assert "history unavailable: not a git repository; pages show no publication dates" in proc.stderr
    site = tmp_path / "site"
    html = page(site, "regions/tianjin")
    assert "fact-dates" not in html and "First published" not in html and 'class="correction"' not in html
    assert "application/atom+xml" not in html and not (site / "feed.xml").exists()
    assert "This build has no history of the facts" in page(site, "changes")
    no_git = subprocess.run([sys.executable, str(history["repo"] / "build_site.py"), "build", "--site-dir",
                             str(tmp_path / "nogit")], cwd=history["repo"], capture_output=True, text=True,
                            env={**ENV, "PATH": str(tmp_path / "empty-path")}, timeout=300)
    assert no_git.returncode == 0, no_git.stderr
    assert no_git.stderr.count("history unavailable: git is not installed") == 1


def test_a_shallow_clone_says_how_to_fetch_the_history(history, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history['repo']}", str(clone))
    proc = build(clone, tmp_path / "site")
    assert "shallow clone" in proc.stderr and "git fetch --unshallow" in proc.stderr
    assert "First published" not in page(tmp_path / "site", "regions/tianjin")


def test_each_change_is_classified_by_what_changed(tmp_path):
    """One commit changes five facts in five ways, moves a sixth and adds a draft: the changes page names each. The
    commit before it broke the file's YAML: skipped, it neither removes nor adds anything."""
    repo = copy_repo(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "2026-12-01T09:00:00+00:00", "Import")
    facts = repo / FACTS
    good = facts.read_text(encoding="utf-8")
    facts.write_text("- id: [unclosed\n  claim: {\n", encoding="utf-8")
    commit(repo, "2026-12-01T12:00:00+00:00", "A broken file")
    facts.write_text(good, encoding="utf-8")
    edit(facts, "Tianjin plans more solid steps to take on", "Tianjin plans firmer steps to take on")  # wording
    edit(facts, "value: 318, unit: projects}", "value: 318, unit: large projects}")  # figure
    edit(facts, "regions: [tianjin, jing-jin-ji]\n  topics: [strategy]\n", "regions: [tianjin, beijing]\n  topics: [strategy]\n")
    edit(facts, "in implementing strategies to coordinate development in the region, while more efforts will be added to "
                "boost the manufacturing, high-tech innovation and modern service sectors, he said.",
         "in implementing strategies to coordinate development in the region")  # citation
    edit(facts, "- id: zhongguancun-companies-in-tianjin-parks-2022\n",
         "- id: zhongguancun-companies-in-tianjin-parks-2022\n  status: draft\n")  # back to a draft: removed
    text = facts.read_text(encoding="utf-8")  # the intercity fact moves to the end of the file: no change
    start = text.index("- id: beijing-tangshan-and-beijing-harbin-intercity-open-2022")
    end = text.index("\n- id:", start) + 1
    facts.write_text(text[:start] + text[end:] + "\n" + text[start:end] +
                     NEW_FACT.replace(f"id: {ADDED}", "id: a-draft-fact\n  status: draft"), encoding="utf-8")
    commit(repo, "2026-12-02T09:00:00+00:00", "Edits")
    build(repo, tmp_path / "site")
    text = text_of(page(tmp_path / "site", "changes"))
    latest = text[text.index("2 Dec 2026"):text.index("1 Dec 2026")]
    assert "Removed" not in text[text.index("1 Dec 2026"):]  # the broken file removed nothing
    groups = {m.group(1): m.start() for m in re.finditer(r"(Added|Corrected|Changed|Removed) \(\d+\)", latest)}
    assert list(groups) == ["Corrected", "Changed", "Removed"]  # the draft is not published: not added
    corrected = latest[groups["Corrected"]:groups["Changed"]]
    changed = latest[groups["Changed"]:groups["Removed"]]
    assert "Corrected (1)" in corrected and "New large projects from Beijing in Tianjin: 318 projects → 318 large projects" in corrected
    assert "Changed (3)" in changed
    assert re.search(r"Tianjin plans firmer steps .*? \(wording changed\)", changed)
    assert re.search(r"Tianjin's mayor Zhang Gong said .*? \(kind, date, places or topics changed\)", changed)
    assert re.search(r"According to the mayor, the five years .*? \(quote or citation changed\)", changed)
    assert "Removed (1)" in latest and "5,080 companies had moved" in latest[groups["Removed"]:]
    assert "intercity" not in latest
