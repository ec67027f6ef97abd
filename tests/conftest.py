"""Shared fixtures: the repository's site built once through the CLI, and scratch copies of the repository."""
from __future__ import annotations

import functools
import gc
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

LOCAL_HOST = "127.0.0.1"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
COPIED = ["facts", "templates", "docs", "briefing", "overrides", "mkdocs.yml", "jieba-user.txt", "build_site.py"]


def mkdocs_yml(root: Path = ROOT) -> dict:
    """mkdocs.yml as MkDocs reads it (its YAML has MkDocs' tags, such as !ENV)."""
    from mkdocs.utils.yaml import yaml_load
    with open(root / "mkdocs.yml", "rb") as f:
        return yaml_load(f)


def explorer_figures(data: dict) -> list[dict]:
    """data/figures.json's figures, one dict each, joined with their fact's place, kind label and sources as the
    explorer joins them (docs/assets/briefing.js)."""
    out = []
    for fact in data["facts"]:
        f = dict(zip(data["columns"], fact))
        place, page = data["places"][f["place"]]
        cites = [dict(zip(data["cite_columns"], c)) for c in f["cites"]]
        for fig in f["figures"]:
            out.append({**dict(zip(data["figure_columns"], fig)), "place": place, "place_url": page,
                        "date": f["date"], "date_text": f["date_text"], "kind": f["kind"],
                        "kind_label": data["kinds"][f["kind"]], "fact_url": page + "#" + f["anchor"],
                        "cites": [[c["number"], data["sources"][c["source"]][1] + "#" + c["anchor"],
                                   data["sources"][c["source"]][0]] for c in cites]})
    return out


def run_cli(*args: str, root: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run build_site.py the way a user does; returns the completed process (text output)."""
    return subprocess.run([sys.executable, str(root / "build_site.py"), *args], cwd=root, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def copy_repo(dest: Path) -> Path:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The repository's own facts, built once with `build_site.py build` into a temporary site folder."""
    out = tmp_path_factory.mktemp("built") / "site"
    proc = run_cli("build", "--site-dir", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(autouse=True)
def nothing_frozen():
    """Every test starts and ends with no object frozen out of the cyclic collector's sight: an engine kept as under
    serve freezes everything alive in its process (briefing/collector.py), here the test process."""
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A scratch copy of the repository to break on purpose."""
    return copy_repo(tmp_path / "repo")


# -- browser tests: one Chromium per test session, shared by every browser test module ----------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser drops connections when a test closes its page mid-transfer; nothing to report


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Base URL (ending in /) of the built site, served from a thread on 127.0.0.1 and a free port."""
    server = _QuietServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, name="site-http", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium), "
                    "or deselect these tests with -m 'not browser'", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()




def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/expected/ from the current output (then review the diff with git)")
