"""The walking skeleton end to end: CLI, built HTML, data downloads, links, determinism, safe swaps."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
import yaml

from conftest import ENV, ROOT, mkdocs_yml, run_cli

BASE = urlsplit(mkdocs_yml()["site_url"]).path


def data(site: Path) -> dict:
    return json.loads((site / "data" / "facts.json").read_text(encoding="utf-8"))


class Links(HTMLParser):
    """Collects ids and outgoing href/src of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if tag == "link" and a.get("rel") == "canonical":
                continue  # names the page's public address; the browser does not fetch it
            if a.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append((tag, a[key]))


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_check_passes_on_the_repository():
    proc = run_cli("check")
    assert proc.returncode == 0, proc.stderr
    assert "0 errors" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_build_prints_a_one_line_summary(built_site):
    # built_site ran the CLI; run it again to look at its output (also proves a rebuild over an existing site works)
    proc = run_cli("build", "--site-dir", str(built_site))
    assert proc.returncode == 0, proc.stderr
    summary = proc.stdout.strip().splitlines()[-1]
    assert re.match(r"built \d+ facts, 5 sources, \d+ regions, \d+ pages in [\d.]+ s", summary), summary


def test_every_fact_is_on_its_region_page_with_a_citation_link(built_site):
    d = data(built_site)
    assert len(d["facts"]) >= 100
    pages = {}
    for fact in d["facts"]:
        page, anchor = fact["url"].split("#")
        html = pages.setdefault(page, (built_site / page / "index.html").read_text(encoding="utf-8"))
        block = html[html.index(f'id="{anchor}"'):]
        block = block[:block.index('class="fact-meta"')]
        src = fact["citations"][0]["source"]
        assert re.search(rf'class="cite-link" href="(\.\./)+sources/{src}/#cite-{fact["id"]}-1:~:text=', block), fact["id"]


def test_citations_point_at_anchors_in_the_right_paragraph(built_site):
    d = data(built_site)
    for fact in d["facts"]:
        for n, cit in enumerate(fact["citations"], 1):
            html = (built_site / "sources" / cit["source"] / "index.html").read_text(encoding="utf-8")
            para = html[html.index(f'id="p-{cit["paragraph"]}"'):]
            para = para[:para.index("</p>")]
            assert f'id="cite-{fact["id"]}-{n}"' in para, (fact["id"], cit["paragraph"])
            assert "<mark" in para


def test_facts_json_validates_against_the_exported_schema(built_site):
    schema = json.loads((built_site / "data" / "schema" / "data.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data(built_site), schema)
    broken = data(built_site)
    broken["facts"][0]["figures"] = [{"label": "x", "value": "12", "unit": "u"}]
    try:
        jsonschema.validate(broken, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("the schema accepted a figure whose value is a string")


def test_facts_json_written_fact_by_fact_is_the_models_own_json_one_fact_a_line(built_site):
    from briefing.export import DataFile
    text = (built_site / "data" / "facts.json").read_text(encoding="utf-8")
    model = DataFile.model_validate_json(text)
    assert len(model.facts) > 200
    assert json.loads(model.model_dump_json()) == json.loads(text)
    lines = text.splitlines()
    for fact in model.facts:  # compact, a line each: a diff of two versions shows the facts that changed
        assert fact.model_dump_json() + "," in lines or fact.model_dump_json() in lines


def test_facts_csv_has_one_row_per_fact_and_figure(built_site):
    import csv
    d = data(built_site)
    rows = list(csv.DictReader((built_site / "data" / "facts.csv").open(encoding="utf-8")))
    assert len(rows) == sum(max(1, len(f["figures"])) for f in d["facts"])
    assert {r["fact_id"] for r in rows} == {f["id"] for f in d["facts"]}


def test_the_downloads_are_also_published_gzip_compressed_and_the_data_page_links_both(built_site):
    import gzip
    for name in ("facts.json", "facts.csv", "figures.json"):
        plain, packed = (built_site / "data" / name).read_bytes(), (built_site / "data" / f"{name}.gz").read_bytes()
        assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 3
        unzipped = subprocess.run(["gzip", "-dc"], input=packed, capture_output=True, check=True).stdout
        assert unzipped == plain  # and the command-line tool
    page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    assert '<a href="facts.json">facts.json</a> (<a href="facts.json.gz">gzip</a>)' in page
    assert "published gzip-compressed only" not in page


def test_a_corpus_above_plain_downloads_publishes_them_compressed_only_and_links_them(repo):
    """plain_downloads below the corpus's 224 facts: facts.json, facts.csv and figures.json are there
    gzip-compressed only, the same data; the Data and Figures pages name and link the compressed files (the figures
    explorer reads figures.json.gz: test_browser)."""
    import gzip
    yml = repo / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(text.replace("coverage_target: 95", "coverage_target: 95\n      plain_downloads: 100"), encoding="utf-8")
    proc = run_cli("build", "--strict", root=repo)
    assert proc.returncode == 0, proc.stderr
    site = repo / "site"
    assert not (site / "data/facts.json").exists() and not (site / "data/facts.csv").exists()
    facts = json.loads(gzip.decompress((site / "data/facts.json.gz").read_bytes()))
    assert len(facts["facts"]) == 224
    assert gzip.decompress((site / "data/facts.csv.gz").read_bytes()).decode().startswith("fact_id,")
    data_page = (site / "data/index.html").read_text(encoding="utf-8")
    assert '<a href="facts.json.gz">facts.json.gz</a>' in data_page and "With 224 facts" in data_page
    figures = (site / "figures/index.html").read_text(encoding="utf-8")
    assert 'href="../data/facts.csv.gz"' in figures and 'href="../data/facts.csv"' not in figures
    assert 'data-rows="../data/figures.json.gz"' in figures and not (site / "data/figures.json").exists()
    for folder, page in (("data", data_page), ("figures", figures)):
        links = re.findall(r'href="([^"#:]+\.(?:json|csv|gz))"', page)
        assert links and all((site / folder / link).resolve().is_file() for link in links), links


def test_every_internal_link_and_anchor_resolves(built_site):
    pages = {p: parse(p) for p in built_site.rglob("*.html")}
    broken = []
    for page, links in pages.items():
        for tag, link in links.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto") or link.startswith("//"):
                continue
            path = unquote(parts.path)
            if path.startswith(BASE):  # absolute links (404 page) are rooted at site_url's path
                target = (built_site / path[len(BASE):]).resolve()
            else:
                target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)}: {link}")
                continue
            anchor = unquote(parts.fragment).split(":~:")[0]
            if anchor and target.suffix == ".html" and anchor not in pages[target].ids:
                broken.append(f"{page.relative_to(built_site)}: {link} (no id '{anchor}')")
    assert not broken, "\n".join(broken[:30])


def test_no_request_to_other_hosts_is_built_in(built_site):
    """Scripts, styles, images and fonts all come from the site itself."""
    for page in built_site.rglob("*.html"):
        for tag, link in parse(page).links:
            if tag in ("img", "script", "link"):
                assert not re.match(r"(https?:)?//", link), f"{page}: {tag} loads {link}"
    for css in built_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8", errors="replace")


GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_site_engine_builds_the_same_site_on_its_own(engine, built_site, tmp_path):
    """`mkdocs build` and ProperDocs (the maintained fork of MkDocs 1.6) run the plugin and give build_site.py's site,
    but for the generator line."""
    out = tmp_path / engine
    proc = subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-q", "-f", "mkdocs.yml", "-d", str(out)],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    ours = {p.relative_to(built_site): GENERATOR.sub(b"", p.read_bytes()) for p in built_site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(out): GENERATOR.sub(b"", p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    assert ours.keys() == theirs.keys()
    assert [k for k in ours if ours[k] != theirs[k]] == []
    assert engine.lower() in (out / "index.html").read_text(encoding="utf-8").lower()


def test_builds_are_byte_identical(built_site, tmp_path):
    """Two builds give the same bytes, the second one over the site of a first build too: the old site is gone but
    for its hidden entries, which MkDocs keeps too (a deployment's .git)."""
    again = tmp_path / "again"
    for _ in range(2):
        proc = run_cli("build", "--site-dir", str(again))
        assert proc.returncode == 0, proc.stderr
        (again / "regions" / "gone-place").mkdir()
        (again / "regions" / "gone-place" / "index.html").write_text("an old page", encoding="utf-8")
        (again / ".git").mkdir(exist_ok=True)
        (again / ".git" / "HEAD").write_text("a deployment's", encoding="utf-8")
    proc = run_cli("build", "--site-dir", str(again))
    assert proc.returncode == 0, proc.stderr
    assert (again / ".git" / "HEAD").read_text(encoding="utf-8") == "a deployment's"
    first = {p.relative_to(built_site): p.read_bytes() for p in built_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert [p.name for p in again.iterdir() if p.name.startswith(".")] == [".git"]


def test_region_pages_separate_results_from_targets(built_site):
    html = (built_site / "regions" / "baodi" / "index.html").read_text(encoding="utf-8")
    achieved, targets = html.index('id="achieved"'), html.index('id="targets-and-plans"')
    target_fact = html.index('id="fact-baodi-sci-tech-smes-target-2023"')
    result_fact = html.index('id="fact-baodi-zhongguancun-key-projects"')
    assert achieved < result_fact < targets < target_fact


def test_parent_regions_roll_up_children_without_duplicating(built_site):
    tianjin = (built_site / "regions" / "tianjin" / "index.html").read_text(encoding="utf-8")
    # Baodi's fact is linked from Tianjin's page but its block (the id) lives only on Baodi's page
    assert "../../regions/baodi/#fact-baodi-sci-tech-smes-target-2023" in tianjin
    assert 'id="fact-baodi-sci-tech-smes-target-2023"' not in tianjin


def test_usage_errors_exit_2():
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("serve", "--dev-addr", "nonsense").returncode == 2


def test_schema_command_prints_the_fact_schema():
    proc = run_cli("schema", "facts")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    facts = yaml.safe_load((ROOT / "facts" / "facts" / "chinadaily-2023-01-13-tianjin-work-report.yml").read_text(encoding="utf-8"))
    jsonschema.validate(facts, schema)
    facts[0]["kind"] = "achieved"
    try:
        jsonschema.validate(facts, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("schema accepted an invalid kind")


def test_committed_editor_schemas_are_current_and_referenced():
    """The fact files' `# yaml-language-server: $schema=` lines point at schema/, which must match the models."""
    from briefing.export import EDITOR_SCHEMAS, dumps, json_schema
    for kind in EDITOR_SCHEMAS:
        committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == dumps(json_schema(kind)), f"schema/{kind}.schema.json is stale: run build_site.py schema --write"
    for path in (ROOT / "facts").rglob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        m = re.match(r"# yaml-language-server: \$schema=(\S+)$", first)
        assert m, f"{path} does not start with a yaml-language-server line"
        assert (path.parent / m.group(1)).resolve() == ROOT / "schema" / f"{path.parent.name}.schema.json"


def test_charts_are_deterministic_accessible_svg(built_site):
    for svg in (built_site / "charts").glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert '<svg role="img" aria-labelledby=' in text and "<title id=" in text and "<desc id=" in text
        assert "<script" not in text and not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'src="charts/investment-taken-on-by-city.svg"' in home


def test_charts_are_pygals_own_svg(monkeypatch):
    """charts.py draws with pygal's chart classes whose settings are read without pygal's recursive lookup: each chart
    of the real corpus is the SVG pygal's own classes draw, byte for byte."""
    import pygal

    from briefing import charts
    from briefing.engine import Engine
    from briefing.options import Options
    planned = charts.plan_charts(Engine(ROOT).refresh(Options()).corpus)
    assert len(planned) >= 2 and charts.REGION_CHART in planned  # both kinds of chart: stacked and editors' bars
    ours = charts.draw_charts(planned, processes=1)
    monkeypatch.setattr(charts, "HorizontalBar", pygal.HorizontalBar)
    monkeypatch.setattr(charts, "HorizontalStackedBar", pygal.HorizontalStackedBar)
    assert charts.draw_charts(planned, processes=1) == ours


def test_raw_html_blocks_skip_markdown_without_changing_the_page():
    """briefing/rawhtml.py hands the engine's HTML blocks past Markdown: every generated Markdown page must convert to
    the same HTML (blank lines aside) and the same table of contents as when Markdown parses them itself. (The pages
    written in HTML skip Markdown whole: the engine hands them over without markers, htmlpage.body.)"""
    import markdown

    from briefing import rawhtml
    from briefing.engine import Engine
    from briefing.options import Options
    state = Engine(ROOT).refresh(Options())
    extensions = ["abbr", "attr_list", "admonition", "tables", "toc"]
    pages = {src: text.decode() for src, text in state.pages.items() if src.endswith(".md") and src not in state.outlines}
    assert len(state.outlines) > len(pages)  # the region, source, topic and index pages are HTML
    assert not [src for src in state.outlines if b"<!--raw" in state.pages[src]]
    stashed_some = 0
    for src, text in pages.items():
        plain = markdown.Markdown(extensions=extensions)
        expected = plain.convert(text)
        fast = markdown.Markdown(extensions=extensions)
        stashed, blocks = rawhtml.stash(text)
        stashed_some += bool(blocks)
        html = rawhtml.restore(rawhtml.restore(fast.convert(stashed), blocks, late=False), blocks, late=True)
        markers = {"<!--raw-->", "<!--raw:late-->", "<!--/raw-->"}  # plain Markdown keeps these comments
        lines = lambda h: [ln for ln in h.splitlines() if ln.strip() and ln not in markers]  # noqa: E731
        assert lines(html) == lines(expected), src
        assert fast.toc_tokens == plain.toc_tokens, src
        assert "<!--raw" not in html and "<!--stash" not in html
    assert stashed_some >= 2  # the home page and What's new hold HTML blocks


def test_no_raw_markers_are_left_in_the_site(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<!--raw" not in html and "<!--stash:" not in html and "<!--/raw" not in html, page


def test_the_themes_layout_is_written_without_its_templates_blank_lines_and_indentation(repo, tmp_path):
    """The plugin squeezes the whitespace Material's templates leave around a page's article (a tenth of the site at
    100x): each run with a line break becomes one line break, which renders the same. What the article holds is
    left as it is: a code block keeps its indentation and blank lines."""
    about = repo / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n```\nindented:\n\n    four spaces\n```\n", encoding="utf-8")
    proc = run_cli("build", "--site-dir", str(tmp_path / "site"), root=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = ["about/index.html", "index.html", "regions/hebei/index.html", "sources/index.html"]
    for name in pages:
        html = (tmp_path / "site" / name).read_text(encoding="utf-8")
        start, end = html.index("<article"), html.rindex("</article>")
        layout = html[:start] + html[end:]
        assert "md-nav__link" in layout and not re.search(r"\n[ \t]|[ \t]\n|\n\n", layout), name
        assert re.search(r'<span class="md-ellipsis">\n\S', layout), "the line break around a nav item's text is kept"
    about = (tmp_path / "site" / "about/index.html").read_text(encoding="utf-8")
    assert re.search(r"indented:\n\n    four spaces", about), "the article's preformatted text was changed"


def test_one_line_break_is_the_regex_it_replaces():
    """rawhtml.one_line_break squeezes the layout without a regex: the same text as the regex, for every string of
    up to six characters of blanks, line breaks and text, and for a page's layout."""
    import itertools
    from briefing import rawhtml
    runs = re.compile(r"[ \t\r\n]*\n[ \t\r\n]*")
    for n in range(7):
        for chars in itertools.product(" \t\r\nab", repeat=n):
            text = "".join(chars)
            assert rawhtml.one_line_break(text) == runs.sub("\n", text), repr(text)
    layout = '<nav>\n    <ul>\n      <li> a </li>  \n\n\t<li>b</li>\r\n   </ul>\n  </nav>  '
    assert rawhtml.one_line_break(layout) == runs.sub("\n", layout) == "<nav>\n<ul>\n<li> a </li>\n<li>b</li>\n</ul>\n</nav>  "


def test_layout_icons_are_written_once_in_a_sprite_the_pages_use(built_site):
    """Material's icons (logo, menu, palette, search, footer arrows) are in site/assets/icons.svg once, not in every
    page (briefing/plugin/icons.py): each page's layout refers to symbols the sprite has; the article is left alone."""
    sprite = built_site / "assets" / "icons.svg"
    ids = re.findall(r'<symbol id="([^"]+)" viewBox="[^"]+"><path d="[^"]+"/></symbol>', sprite.read_text(encoding="utf-8"))
    assert len(ids) >= 6 and len(set(ids)) == len(ids), ids
    used = set()
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if page.name == "404.html":  # a static template of the theme: MkDocs gives the plugin no post_page event for it
            continue
        start, end = html.index("<article"), html.rindex("</article>")
        layout = html[:start] + html[end:]
        assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox' not in layout, page
        refs = re.findall(r'<svg viewBox="[^"]+"><use href="([^"#]+)#([^"]+)"/></svg>', layout)
        assert len(refs) >= 6, page
        for path, key in refs:
            assert (page.parent / path).resolve() == sprite.resolve() and key in ids, (page, path, key)
            used.add(key)
    assert used == set(ids), "the sprite holds icons no page uses"


def test_figures_json_holds_each_figure_once_with_its_facts_place_and_sources(built_site):
    """figures.json is normalized (each place, source and fact once); joined back as the explorer joins it, it gives
    every figure of facts.json with its fact's link, place and citations."""
    from conftest import explorer_figures
    explorer = json.loads((built_site / "data" / "figures.json").read_text(encoding="utf-8"))
    assert len(explorer["places"]) == len({p[1] for p in explorer["places"]})
    assert len(explorer["facts"]) == len({f[explorer["columns"].index("anchor")] for f in explorer["facts"]})
    facts = {f["id"]: f for f in data(built_site)["facts"]}
    expected = [(f["url"], g["label"], g["value"], g["unit"], g["qualifier"] or "") for f in facts.values()
                for g in f["figures"]]
    joined = explorer_figures(explorer)
    assert sorted(expected) == sorted((g["fact_url"], g["label"], g["value"], g["unit"], g["qualifier"]) for g in joined)
    for g in joined:
        fact = facts[g["fact_url"].split("#fact-")[1]]
        assert g["place_url"] == g["fact_url"].split("#")[0] and g["kind"] == fact["kind"]
        assert [urlsplit(url).path for _, url, _ in g["cites"]] == [f"sources/{c['source']}/" for c in fact["citations"]]
