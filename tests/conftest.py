"""Shared fixtures: the repository's site built once through the CLI, and scratch copies of the repository."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
COPIED = ["facts", "templates", "docs", "briefing", "mkdocs.yml", "build_site.py"]


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


@pytest.fixture
def repo(tmp_path) -> Path:
    """A scratch copy of the repository to break on purpose."""
    return copy_repo(tmp_path / "repo")
