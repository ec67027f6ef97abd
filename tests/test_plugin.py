"""The `briefing` MkDocs plugin's options (briefing/plugin/config.py): validated the MkDocs way, and each one acts."""
from __future__ import annotations

import re

import pytest

from conftest import run_cli


def _options(repo, text: str) -> None:
    config = repo / "mkdocs.yml"
    yml = config.read_text(encoding="utf-8")
    config.write_text(yml.replace("      drafts: auto", "      drafts: auto\n" + text, 1), encoding="utf-8")


@pytest.mark.parametrize("option, message", [
    ("      coverage_target: 120", "option 'coverage_target': expected a percentage between 0 and 100, got 120"),
    ("      map_box: [125, 113, 37, 42]", "option 'map_box': expected west < east (longitudes) and south < north"),
    ("      map_box: [113, 125]", "option 'map_box': expected [west, east, south, north] in degrees"),
    ("      home_regions: beijing", "option 'home_regions': Expected a list of items"),
    ("      colour: red", "Plugin 'briefing' option 'colour'"),
])
def test_a_wrong_option_is_a_clear_error_and_nothing_is_built(repo, option, message):
    _options(repo, option)
    for command in (["check"], ["build"]):
        proc = run_cli(*command, root=repo)
        assert proc.returncode == 1, proc.stderr
        assert message in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
    assert not (repo / "site").exists()


def test_the_coverage_target_decides_the_warning(repo):
    article = repo / "facts/sources/xinhua-2023-02-25-ninth-anniversary.txt"
    with article.open("a", encoding="utf-8") as f:  # one number no fact quotes: coverage just under 100%
        f.write("\nA paragraph added for the test mentions 2099.\n")
    assert "numeric coverage" not in run_cli("check", root=repo).stderr  # the default target, 95%
    _options(repo, "      coverage_target: 100")
    proc = run_cli("check", root=repo)
    assert re.search(r"numeric coverage 9\d\.\d% is below 100%", proc.stderr), proc.stderr


def test_home_cards_and_map_box_come_from_the_options(repo, tmp_path):
    _options(repo, "      home_regions: [liaoning, xiongan]\n      map_box: [100, 130, 30, 45]")
    out = tmp_path / "site"
    proc = run_cli("build", "--site-dir", str(out), root=repo)
    assert proc.returncode == 0, proc.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'class="region-card" href="([^"]+)"', home)
    assert cards == ["regions/liaoning/", "regions/xiongan/"]
    default = run_cli("build", "--site-dir", str(tmp_path / "default")).returncode == 0 and \
        (tmp_path / "default" / "index.html").read_text(encoding="utf-8")
    dots = lambda page: re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', page)  # noqa: E731
    assert dots(home) and len(dots(home)) == len(dots(default)) and dots(home) != dots(default)
