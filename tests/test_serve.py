"""Live preview: an edit shows up within seconds; a broken edit keeps the last good page and shows the error."""
from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from urllib.parse import urlsplit

import pytest
import yaml

from briefing import searchindex
from conftest import ENV, mkdocs_yml, run_cli

BASE = urlsplit(mkdocs_yml()["site_url"]).path  # serve mounts the site here

FACTS = "facts/facts/chinadaily-2023-01-13-tianjin-work-report.yml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def wait_for(predicate, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(step)
    return None


@contextlib.contextmanager
def serving(repo):
    """`build_site.py serve` on a free port: yields the site's base URL and the terminal lines read so far."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "build_site.py", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=repo, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}{BASE}", lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_follows_edits_and_survives_broken_ones(repo):
    with serving(repo) as (base, lines):
        url = base + "regions/baodi/"
        assert wait_for(lambda: "Baodi expects three industrial clusters" in fetch(url), 60), "".join(lines)
        path = repo / FACTS
        text = path.read_text(encoding="utf-8")
        seconds = []
        for claim in ["Baodi now expects 3 clusters", "Baodi hopes for 3 clusters", "Baodi now expects three clusters"]:
            path.write_text(text.replace("Baodi expects three industrial clusters", claim), encoding="utf-8")
            saved = time.monotonic()
            assert wait_for(lambda: claim in fetch(url), 30, step=0.02), "".join(lines)
            seconds.append(time.monotonic() - saved)
            time.sleep(0.6)  # let the watcher settle between edits
        print("edit visible after " + ", ".join(f"{t:.2f}" for t in seconds) + " s")
        assert min(seconds) <= 2.0, seconds  # the best of three edits: a busy CI machine may delay one of them
        assert max(seconds) < 10, seconds
        # break it: the figure no longer matches its quote
        path.write_text(path.read_text(encoding="utf-8").replace("value: 5080", "value: 5008"), encoding="utf-8")
        page = wait_for(lambda: (lambda h: h if "build-error" in h else None)(fetch(url)), 30)
        assert page, "".join(lines)
        assert "Baodi now expects three clusters" in page  # the last good version
        assert f"{FACTS}:" in page and "figure value 5,008" in page
        assert wait_for(lambda: any(f"{FACTS}:" in ln and "5,008" in ln for ln in lines), 10), "".join(lines)
        # fix it: the notice goes away without a restart
        path.write_text(path.read_text(encoding="utf-8").replace("value: 5008", "value: 5080"), encoding="utf-8")
        assert wait_for(lambda: "build-error" not in fetch(url), 30)
        assert not any("Traceback" in ln for ln in lines), "".join(lines)


ARTICLE = """Harbour Town report

In 2023, Harbour Town in Binhai took on 42 projects from Beijing worth 3.5 billion yuan.

The town plans 60 more projects by 2025.
"""

COMPLETED = """- id: harbour-town-projects-2023
  claim: In 2023, Harbour Town in Binhai took on 42 projects from Beijing worth 3.5 billion yuan.
  kind: result
  date: "2023"
  regions: [binhai]
  topics: [relocation]
  figures:
    - {label: Projects from Beijing taken on by Harbour Town, value: 42, unit: projects}
    - {label: Investment of those projects, value: 3.5, unit: billion yuan}
  citations:
    - source: SID
      quote: In 2023, Harbour Town in Binhai took on 42 projects from Beijing worth 3.5 billion yuan.
- id: harbour-town-projects-target-2025
  claim: Harbour Town plans 60 more projects by 2025.
  kind: target
  date: "2025"
  regions: [binhai]
  topics: [relocation]
  figures:
    - {label: More projects planned in Harbour Town, value: 60, unit: projects}
  citations:
    - source: SID
      quote: The town plans 60 more projects by 2025.
"""


def test_new_article_from_text_to_live_preview_and_search(repo, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "build_site.py", "add-source", str(article), "--title", "Harbour Town report",
                           "--publisher", "Test Daily", "--date", "2023-06-01"], cwd=repo, env=ENV,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    sid = "test-daily-2023-06-01-harbour-town-report"
    assert "drafted 2 facts with 3 figures" in proc.stdout
    starter = (repo / f"facts/facts/{sid}.yml").read_text(encoding="utf-8")
    drafted = yaml.safe_load(starter)  # real facts, each quoting its sentence, waiting for review
    assert [(f["status"], f["citations"][0]["quote"]) for f in drafted] == [
        ("draft", "In 2023, Harbour Town in Binhai took on 42 projects from Beijing worth 3.5 billion yuan."),
        ("draft", "The town plans 60 more projects by 2025.")]

    with serving(repo) as (base, lines):
        url = base + "regions/binhai/"
        assert wait_for(lambda: "Binhai" in fetch(url), 60), "".join(lines)
        # the drafts are in the preview, badged, and listed for review
        listed = fetch(base + "drafts/")
        assert all(f'#fact-{f["id"]}' in listed for f in drafted), listed
        home = fetch(base + f"regions/{drafted[0]['regions'][0]}/")
        card = home[home.index(f'id="fact-{drafted[0]["id"]}"'):][:3000]
        assert 'class="draft-badge"' in card
        (repo / f"facts/facts/{sid}.yml").write_text(starter + COMPLETED.replace("SID", sid), encoding="utf-8")
        saved = time.monotonic()
        assert wait_for(lambda: 'id="fact-harbour-town-projects-target-2025"' in fetch(url), 30, step=0.02), "".join(lines)
        seconds = time.monotonic() - saved
        print(f"new facts visible after {seconds:.2f} s")
        assert seconds <= 2.0
    out = repo / "built"
    build = subprocess.run([sys.executable, "build_site.py", "build", "--site-dir", str(out)], cwd=repo, env=ENV,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    assert "left out 2 draft facts" in build.stderr  # the reviewed facts are published, the drafts are not
    indexed = {page["url"]: page for page in searchindex.fragments(out)}  # the search index's pages
    assert "fact-harbour-town-projects-2023" in [a["id"] for a in indexed["/regions/binhai/"]["anchors"]]
    assert not any(f'fact-{f["id"]}' in json.dumps(page) for page in indexed.values() for f in drafted)


# What `serve` runs on every change: MkDocs' dirty build with this project's plugin, in one process.
DIRTY_BUILDS = r"""
import json, os, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
site, path, old, new = sys.argv[1:5]
def dirty_build():
    config = load_config("mkdocs.yml", site_dir=site)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    assert config.plugins["briefing"].reindexer.wait(60)  # under serve the search index follows in the background
def mtimes():
    return {os.path.relpath(os.path.join(d, f), site): os.stat(os.path.join(d, f)).st_mtime_ns
            for d, _, fs in os.walk(site) for f in fs}
dirty_build()
before = mtimes()
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(text.replace(old, new))
dirty_build()
after = mtimes()
print(json.dumps(sorted(f for f in after if after[f] != before.get(f))))
"""


def test_incremental_rebuild_rewrites_only_changed_pages_and_matches_a_full_build(repo, tmp_path):
    served = tmp_path / "served"
    proc = subprocess.run([sys.executable, "-c", DIRTY_BUILDS, str(served), FACTS, "Baodi expects three industrial clusters",
                           "Baodi now expects three clusters"], cwd=repo, env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rewritten = json.loads(proc.stdout.strip().splitlines()[-1])
    # the pages that show the edited fact, and the search index; nothing else
    assert "regions/baodi/index.html" in rewritten and "sources/chinadaily-2023-01-13-tianjin-work-report/index.html" in rewritten
    assert "pagefind/pagefind-entry.json" in rewritten
    pages = [f for f in rewritten if not f.startswith("pagefind/")]
    assert "regions/liaoning/index.html" not in pages and "glossary/index.html" not in pages
    assert "404.html" not in pages and "index.html" not in pages
    assert len(pages) < 14, pages  # with the downloads (facts.json, facts.csv, their .gz, figures.json, the feeds)
    # and what the incremental builds left is what a full build of the edited facts gives
    full = tmp_path / "full"
    assert run_cli("build", "--site-dir", str(full), root=repo).returncode == 0
    files = sorted(p.relative_to(full) for p in full.rglob("*") if p.is_file())
    served_files = sorted(p.relative_to(served) for p in served.rglob("*") if p.is_file())
    # serve keeps the previous index's files beside the new ones (a page that loaded it still finds them), and the
    # lean copies it indexes in the served folder
    extra = {f.parts[0] for f in set(served_files) - set(files)}
    # a build numbers the pages of its index in the order MkDocs writes them (searchindex.Stream), serve in the order
    # of the site's files: the word chunks and the metadata differ by those numbers; the pages (fragments, named by
    # their content) are the same
    numbered = {f for f in files if f.parts[0] == "pagefind" and (f.parts[1] == "index" or f.suffix == ".pf_meta"
                                                                 or f.name == "pagefind-entry.json")}
    assert set(files) - numbered <= set(served_files) and extra <= {"pagefind", searchindex.PAGES_CACHE}, extra
    entries = [json.loads((site / "pagefind" / "pagefind-entry.json").read_text()) for site in (full, served)]
    pages = len(list((full / "pagefind" / "fragment").iterdir()))
    assert [entry["languages"]["en"]["page_count"] for entry in entries] == [pages, pages], entries
    for rel in set(files) - numbered:
        if rel.suffix != ".gz":
            assert (full / rel).read_bytes() == (served / rel).read_bytes(), rel


@pytest.mark.browser
def test_the_open_page_reloads_by_itself_with_the_edit(repo, browser):
    """What an editor sees: the preview open in a browser shows the saved edit without touching the browser."""
    with serving(repo) as (base, lines):
        url = base + "regions/baodi/"
        assert wait_for(lambda: "Baodi expects three industrial clusters" in fetch(url), 60), "".join(lines)
        page = browser.new_page()
        try:
            page.goto(url)
            page.wait_for_timeout(1000)  # the live-reload script connects
            path = repo / FACTS
            path.write_text(path.read_text(encoding="utf-8").replace("Baodi expects three industrial clusters",
                                                                     "Baodi now expects three clusters"), encoding="utf-8")
            saved = time.monotonic()
            page.get_by_text("Baodi now expects three clusters").first.wait_for(timeout=15000)
            seconds = time.monotonic() - saved
            print(f"browser showed the edit after {seconds:.2f} s")
            assert seconds < 10  # generous for CI; test_serve_follows_edits... holds the 2 s line on the served page
        finally:
            page.close()


@pytest.mark.browser
def test_search_under_serve_follows_an_edit(repo, browser):
    """Under serve the search index is rebuilt in the background after each rebuild (the edit shows first): a word
    saved into a fact is found by the search box of the preview moments later, and leads to the fact."""
    with serving(repo) as (base, lines):
        url = base + "regions/baodi/"
        entry = lambda: fetch(base + "pagefind/pagefind-entry.json")  # noqa: E731
        first = wait_for(entry, 60)
        assert first, "no search index under serve:\n" + "".join(lines)
        path = repo / FACTS
        path.write_text(path.read_text(encoding="utf-8").replace("Baodi expects three industrial clusters",
                                                                 "Baodi expects three zebracorn clusters"), encoding="utf-8")
        saved = time.monotonic()
        assert wait_for(lambda: "zebracorn" in fetch(url), 15, step=0.02), "".join(lines)
        shown = time.monotonic() - saved
        assert wait_for(lambda: entry() != first, 30, step=0.05), "the search index did not follow the edit"
        indexed = time.monotonic() - saved
        print(f"edit shown after {shown:.2f} s, in the search index after {indexed:.2f} s")
        page = browser.new_page()
        try:
            page.goto(url)  # not "networkidle": the live-reload script keeps a request open
            page.keyboard.press("/")
            page.keyboard.type("zebracorn")
            page.wait_for_function("() => document.querySelector('.md-search-result').getAttribute('data-query') === 'zebracorn'")
            hrefs = page.evaluate("() => Array.from(document.querySelectorAll('.md-search-result__item a')).map(a => a.href)")
            assert any(h.endswith("regions/baodi/#fact-baodi-three-industrial-clusters") for h in hrefs), hrefs
        finally:
            page.close()
        assert shown <= 2.0 and indexed <= 20.0, (shown, indexed)  # the index: about 2 s on a quiet machine
