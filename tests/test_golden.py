"""Golden tests over a small fixture corpus (tests/golden/corpus): `check`'s report and the content of a few built
pages must not drift. After an intended change, refresh the expected files with `pytest tests/test_golden.py
--update-golden` and review `git diff tests/golden/expected`: a failing test prints exactly what changed."""
from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, copy_repo, run_cli

GOLDEN = ROOT / "tests" / "golden"
EXPECTED = GOLDEN / "expected"
PAGES = ["index.html", "regions/river-valley/index.html", "regions/north-port/index.html", "topics/economy/index.html",
         "sources/golden-daily-2024-01-15-river-valley/index.html", "data-quality/index.html", "data/facts.csv"]
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">.*?</article>', re.S)


@pytest.fixture(scope="module")
def fixture_repo(tmp_path_factory) -> Path:
    """The repository's engine, templates and docs with the fixture corpus as facts/."""
    root = copy_repo(tmp_path_factory.mktemp("golden") / "repo")
    shutil.rmtree(root / "facts")
    shutil.copytree(GOLDEN / "corpus" / "facts", root / "facts")
    return root


def compare(request, name: str, actual: str) -> None:
    path = EXPECTED / name
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.relative_to(ROOT)}: run pytest {__file__} --update-golden"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"expected/{name}", f"actual/{name}", n=2))
        pytest.fail(f"{name} drifted from its golden file (refresh with --update-golden if intended):\n{diff}")


def test_check_report_is_golden(request, fixture_repo):
    proc = run_cli("check", root=fixture_repo)
    compare(request, "check.txt", f"exit {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}")


@pytest.mark.parametrize("page", PAGES)
def test_built_page_is_golden(request, fixture_repo, page):
    site = fixture_repo / "site"
    if not site.exists():  # one build for every page of the module
        proc = run_cli("build", root=fixture_repo)
        assert proc.returncode == 0, proc.stderr
    text = (site / page).read_text(encoding="utf-8")
    if page.endswith(".html"):
        found = ARTICLE.search(text)
        assert found, f"{page} has no <article> (the theme changed?)"
        text = found.group(0) + "\n"
    compare(request, page.replace("/index.html", ".html").replace("/", "--"), text)
