"""What briefing/plugin/upstream.py relies on in MkDocs (or ProperDocs) and Material beyond their documented events:
each test fails when an upgrade changes it. Run them first after upgrading the site engine or the theme."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands import build as build_module
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from briefing.plugin import upstream

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def config(tmp_path):
    """MkDocs with Material and no plugin: what upstream.py's functions are applied to."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ntheme: material\nplugins: []\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins._current_plugin = None  # as MkDocs has it outside an event (File.generated reads it)
    return config


def test_a_dirty_build_skips_a_generated_page_that_did_not_change(config):
    """MkDocs' dirty build asks each page's file is_modified() before reading and before writing it."""
    unchanged = upstream.generated_file(config, "x.md", b"# X\n", changed=False)
    changed = upstream.generated_file(config, "y.md", b"# Y\n", changed=True)
    assert isinstance(unchanged, File) and unchanged.content_bytes == b"# X\n"
    files = Files([unchanged, changed])
    for f in files:
        Page(None, f, config)
    build_module._populate_page(unchanged.page, config, files, dirty=True)
    assert unchanged.page.markdown is None  # not read: what keep_title fills in
    build_module._populate_page(changed.page, config, files, dirty=True)
    assert changed.page.markdown == "# Y\n"


def test_a_page_not_read_gets_its_title_back(config):
    f = upstream.generated_file(config, "x.md", b"# X\n", changed=False)
    page = Page(None, f, config)
    assert page.title is None  # MkDocs gives a page not read no title
    upstream.keep_title(page, "Old title")
    assert page.title == "Old title"


def test_a_hand_written_page_can_be_rebuilt_whatever_its_time(config, tmp_path):
    f = File("index.md", config.docs_dir, config.site_dir, use_directory_urls=True)
    Path(f.abs_dest_path).parent.mkdir(parents=True)
    Path(f.abs_dest_path).write_text("newer than the page", encoding="utf-8")
    assert not f.is_modified()
    upstream.rebuild_always(f)
    assert f.is_modified()


def test_static_templates_are_a_set_the_theme_renders(config):
    """404.html and sitemap.xml are what an incremental rebuild skips."""
    assert {"404.html", "sitemap.xml"} <= set(config.theme.static_templates)
    upstream.skip_static_templates(config)
    assert not config.theme.static_templates


def test_mkdocs_warns_about_dirty_builds_with_the_text_the_filter_matches(config, caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs.commands.build"):
        build_module.build(config, dirty=True)
    assert any(r.getMessage().startswith(upstream.DIRTY_WARNING) for r in caplog.records)
    record = next(r for r in caplog.records if r.getMessage().startswith(upstream.DIRTY_WARNING))
    assert upstream._not_dirty_warning(record) is False


def test_materials_base_template_has_the_blocks_the_override_fills():
    """overrides/main.html fills `extrahead` (the feed) and `content` (the error notice) of Material's base.html."""
    import material
    base = (Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")
    assert "{% block extrahead %}" in base
    article = base.index('<article class="md-content__inner md-typeset">')
    assert base.index("{% block content %}", article) - article < 100


def _toc(items):
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


def test_a_page_written_in_html_gets_what_markdown_would_have_given_it(tmp_path):
    """htmlpage.outline + give_html on the HTML MkDocs made of a Markdown page give it the same table of contents,
    title and anchors as MkDocs' own render of that Markdown (Page.toc via get_toc, Page._title_from_render,
    Page.present_anchor_ids)."""
    from briefing import htmlpage
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\ntheme: material\nplugins: []\nmarkdown_extensions:\n  - attr_list\n"
        "  - toc:\n      permalink: true\n      toc_depth: 3\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins._current_plugin = None
    source = ('# Beijing <span class="name-zh" lang="zh">北京</span> { #briefing }\n\n'
              '<p id="para" data-id="not-an-anchor">R&amp;D</p>\n\n'
              '## Key figures & more { #key data-search-exclude }\n\n### Transport { #key-transport }\n\n'
              '#### Too deep { #deep }\n\n## Timeline { #timeline }\n')
    by_markdown = upstream.generated_file(config, "md.md", source.encode(), changed=True)
    by_html = upstream.generated_file(config, "html.md", b"", changed=True)
    files = Files([by_markdown, by_html])
    pages = [Page(None, f, config) for f in files]
    for page in pages:
        page.read_source(config)
        page.render(config, files)
    upstream.give_html(pages[1], htmlpage.outline(htmlpage.body(pages[0].content), upstream.toc_depth(config)))
    assert upstream.toc_depth(config) == 3
    assert _toc(pages[1].toc) == _toc(pages[0].toc) and len(_toc(pages[0].toc)[0][3]) == 2
    assert pages[1].title == pages[0].title == "Beijing 北京"
    assert pages[1].present_anchor_ids == pages[0].present_anchor_ids >= {"briefing", "key", "deep", "para"}


def test_a_page_written_in_html_is_read_without_markdown(config, monkeypatch):
    """read_as_html: MkDocs' reading of a page (_populate_page) calls the page's own read_source and render, so a page
    written in HTML is read without decoding its HTML and rendered without a Markdown converter, and gets its outline."""
    import markdown

    from briefing import htmlpage
    made = []
    real_init = markdown.Markdown.__init__

    def counted(self, *args, **kwargs):
        made.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(markdown.Markdown, "__init__", counted)
    html = ('<h1 id="briefing">Beijing<a class="headerlink" href="#briefing" title="Permanent link">&para;</a></h1>\n'
            '<h2 id="key">Key figures<a class="headerlink" href="#key" title="Permanent link">&para;</a></h2>\n')
    as_html = upstream.generated_file(config, "html.md", html.encode(), changed=True)
    as_markdown = upstream.generated_file(config, "md.md", b"# Markdown\n", changed=True)
    files = Files([as_html, as_markdown])
    pages = [Page(None, f, config) for f in files]
    upstream.read_as_html(pages[0], htmlpage.outline(html))
    for page in pages:
        build_module._populate_page(page, config, files)
    assert len(made) == 1  # the Markdown page's converter only
    assert pages[0].markdown == "" and pages[0].meta == {} and pages[0].content == ""
    assert pages[0].title == "Beijing" and [(t.title, t.id) for t in pages[0].toc] == [("Beijing", "briefing")]
    assert pages[0].present_anchor_ids == {"briefing", "key"} and pages[0].links_to_anchors == {}
    pages[0].validate_anchor_links(files=files, log_level=logging.WARNING)  # MkDocs' link check accepts it
    assert pages[1].title == "Markdown" and "<h1" in pages[1].content


def test_an_override_can_include_the_theme_template_it_replaces(tmp_path):
    """theme_template: with custom_dir overriding partials/nav.html, "upstream/partials/nav.html" is Material's own
    (Theme.dirs, custom_dir first, read by one FileSystemLoader in Theme.get_env)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "custom" / "partials").mkdir(parents=True)
    (tmp_path / "custom" / "partials" / "nav.html").write_text("override", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ntheme:\n  name: material\n  custom_dir: custom\nplugins: []\n",
                                         encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    env = config.theme.get_env()
    upstream.theme_template(env, config)
    assert env.get_template("partials/nav.html").render() == "override"
    material = Path(config.theme.dirs[1]) / "partials" / "nav.html"
    assert "material" in str(material) and material.is_file()
    assert env.loader.get_source(env, upstream.THEME_PREFIX + "partials/nav.html")[0] == material.read_text("utf-8")


def test_materials_templates_read_a_pages_content_only_to_print_it_and_look_for_an_h1():
    """give_html leaves a placeholder as page.content until the page is written: Material must not read the content
    for anything else than printing it and checking for an h1 (the placeholder says whether the page has one)."""
    import material
    folder = Path(material.__file__).parent / "templates"
    uses = {str(p.relative_to(folder)): p.read_text(encoding="utf-8").count("page.content")
            for p in folder.rglob("*.html") if "page.content" in p.read_text(encoding="utf-8")}
    assert uses == {"partials/content.html": 2, "blog.html": 1}, uses
    content = (folder / "partials" / "content.html").read_text(encoding="utf-8")
    assert '{% if "\\u003ch1" not in page.content %}' in content and "{{ page.content }}" in content


def test_the_theme_listing_gives_the_theme_files_mkdocs_lists(tmp_path):
    """ThemeListing: the environment Theme.get_env makes has a FileSystemLoader over Theme.dirs, and
    Files.add_files_from_theme adds the same files whether the installed theme's folders are walked each time or
    listed once without hidden entries; a file added to the custom_dir is listed on the next build."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "custom" / "assets").mkdir(parents=True)
    (tmp_path / "custom" / "assets" / "a.css").write_text("a {}", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ntheme:\n  name: material\n  custom_dir: custom\n"
                                         "plugins: []\n", encoding="utf-8")
    listing = upstream.ThemeListing()

    def listed(cached: bool) -> list[str]:
        config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        if cached:
            listing.use(config)
        env = config.theme.get_env()
        assert type(env.loader).__name__ == ("_ListedLoader" if cached else "FileSystemLoader")
        files = Files([])
        files.add_files_from_theme(env, config)
        return sorted(f"{f.src_dir}:{f.src_uri}" for f in files)

    plain = listed(False)
    assert any(":assets/a.css" in f for f in plain) and len(plain) > 30
    assert listed(True) == plain
    assert listed(True) == plain  # from the listing kept
    assert len(listing.listed) == len({d for d in load_config(str(tmp_path / "mkdocs.yml")).theme.dirs}) - 1
    (tmp_path / "custom" / "assets" / "b.js").write_text("", encoding="utf-8")
    assert any(":assets/b.js" in f for f in listed(True))
