"""Compiled templates kept between processes (briefing/templatecache.py): reused only for the same source and the
same environment settings."""
from __future__ import annotations

import subprocess
import sys

import jinja2

from briefing import templatecache
from conftest import ENV, ROOT

TEMPLATE = "{% if true %}\n  <p>{{ text }}</p>\n{% endif %}\n"


def env(root, folder, **settings):
    return templatecache.use(jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), auto_reload=True,
                                                **settings), root)


def render_in_new_process(root, folder, trim: bool) -> str:
    """The template rendered by a fresh interpreter (nothing compiled in memory), from the cache when it holds it."""
    code = ("import sys, jinja2; from pathlib import Path; sys.path[:0] = ['tests', '.']; "
            "import test_templatecache as t; "
            f"print(t.env(Path({str(root)!r}), Path({str(folder)!r}), trim_blocks={trim}).get_template('t.html')"
            ".render(text='x'), end='')")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_compiled_templates_are_kept_per_source_and_settings(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.html").write_text(TEMPLATE, encoding="utf-8")
    plain = env(tmp_path, folder).get_template("t.html").render(text="x")
    assert render_in_new_process(tmp_path, folder, False) == plain
    kept = list((tmp_path / ".briefing-cache" / "templates").rglob("*.cache"))
    assert len(kept) == 1, kept  # compiled once, by the first process; the second read it

    # other settings compile other code: kept apart, never taken for the first's
    trimmed = render_in_new_process(tmp_path, folder, True)
    assert trimmed != plain and trimmed == env(tmp_path / "other", folder, trim_blocks=True).get_template(
        "t.html").render(text="x")
    assert len(list((tmp_path / ".briefing-cache" / "templates").iterdir())) == 2

    # an edited template is compiled again
    (folder / "t.html").write_text(TEMPLATE.replace("<p>", "<p class='new'>"), encoding="utf-8")
    assert "class='new'" in render_in_new_process(tmp_path, folder, False)


def test_a_cache_that_cannot_be_written_leaves_the_environment_as_it_was(tmp_path):
    (tmp_path / ".briefing-cache").write_text("a file where the cache's folder would be", encoding="utf-8")
    e = env(tmp_path, tmp_path)
    assert e.bytecode_cache is None
