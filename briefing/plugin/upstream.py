"""Every place the plugin relies on MkDocs or Material beyond their documented events and options, in one module.

Each function says what it relies on and why; tests/test_upstream.py fails when an upgrade changes any of it (run it
after upgrading MkDocs, ProperDocs or Material). The rest of the plugin uses public events only, and the error notice
comes from the theme override (overrides/main.html), not from patching Material's HTML.
"""
from __future__ import annotations

import logging
import os

import jinja2
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

DIRTY_WARNING = "A 'dirty' build is being performed"


class GeneratedFile(File):
    """A page the engine generated (File.generated: public API). MkDocs' dirty build (serve) skips reading and
    writing a page whose `is_modified()` is False; for a file made in memory it is always True (no file on disk to
    compare times with), so the plugin says instead whether the page's content changed since the last build."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


def generated_file(config, src: str, content: bytes, changed: bool, in_nav: bool = True) -> GeneratedFile:
    """`in_nav` False: a page the navigation leaves out on purpose (render.nav's budget), which MkDocs must not report
    as missing from the nav (a warning, an abort in strict mode): InclusionLevel.NOT_IN_NAV, what MkDocs' own
    `not_in_nav` setting gives the files it matches."""
    f = GeneratedFile.generated(config, src, content=content,
                                inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
    f.changed = changed
    return f


class DeferredFile(GeneratedFile):
    """A file of the site still being made when MkDocs copies the others (render.PendingDownloads): MkDocs knows it
    (a page's link to it is checked) and leaves it to the plugin, which writes it into site_dir once it is made:
    File.copy_file does nothing (MkDocs itself lets plugins write into site_dir)."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def deferred_file(config, src: str) -> DeferredFile:
    return DeferredFile.generated(config, src, content=b"")


def rebuild_always(f: File) -> None:
    """A hand-written page in a dirty build that must be rebuilt anyway (the navigation it shows changed): MkDocs
    compares modification times only."""
    f.is_modified = lambda: True


def keep_title(page, title: str) -> None:
    """A page a dirty build does not read has no title (Page.title is None until read_source); the navigation and
    the footer of the pages around it need it: give it the one it had."""
    page.markdown, page.meta = "", {"title": title}


def toc_depth(config) -> int:
    """The deepest heading level in a page's table of contents: the `toc` extension's `toc_depth` (default 6)."""
    depth = (config.mdx_configs or {}).get("toc", {}).get("toc_depth", 6)
    return int(str(depth).split("-")[-1])  # "2-4": levels 2 to 4


def read_as_html(page, read) -> None:
    """A page written in HTML (`read`: its htmlpage.Outline) goes through MkDocs' reading of pages (_populate_page
    calls the page's read_source, then its render) without Markdown: Page.read_source would decode the page's HTML and
    look for front matter in it (a template writes none), and Page.render would make a Markdown converter with every
    extension (half a millisecond a page) to convert the empty Markdown on_page_markdown hands it; 1 s of a build
    at 100x, before the search index can start. The page reads as empty Markdown without meta, and renders as
    give_html says, with no links for MkDocs to check (an empty page has none: the engine made its links)."""
    def read_source(config) -> None:
        page.markdown, page.meta = "", {}

    def render(config, files) -> None:
        page.content, page.links_to_anchors = "", {}
        give_html(page, read)

    page.read_source, page.render = read_source, render


def give_html(page, read) -> None:
    """A page written in HTML (`read`: its htmlpage.Outline) went through Page.render as an empty Markdown page: give it what
    render would have taken from its content. Page.toc (public) from the toc extension's tokens through
    mkdocs.structure.toc.get_toc, as render does; the title through Page._title_from_render, which render sets from
    the page's first h1 (a private attribute; Page.title reads it after the page's meta and before the file name);
    Page.present_anchor_ids (public: the anchors MkDocs checks links against). The content stays a placeholder
    (htmlpage.Outline.placeholder) until on_post_page: Material's partials/content.html reads page.content only to
    print it and to add the title as an h1 when it holds no "<h1", which the placeholder says."""
    page.toc = get_toc(read.toc)
    page._title_from_render = read.title
    page.present_anchor_ids = set(read.anchors)


# Material's own search (its worker and lunr's language files), which the site does not use (its search is Pagefind's:
# searchindex.py), and the source maps of the theme's minified files: Material copies them with its theme whether its
# search plugin is on or not, about 2 MB in every site.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def unused_theme_files(files, config) -> list[File]:
    """The theme's static files the site never loads (UNUSED_THEME_FILES, and *.map): files from Theme.dirs other than
    the custom_dir, which MkDocs adds to the build's Files before on_files (Files.add_files_from_theme)."""
    theme_dirs = {d for d in config.theme.dirs if d != config.theme.custom_dir}
    return [f for f in files if f.src_dir in theme_dirs
            and (f.src_uri.startswith(UNUSED_THEME_FILES) or f.src_uri.endswith(".map"))]


class ThemeListing:
    """The theme's file list, walked once per process. Every build, also each rebuild of `serve`, MkDocs lists the
    theme's templates and static files (Files.add_files_from_theme: Jinja's list_templates on the environment
    Theme.get_env makes, a FileSystemLoader over Theme.dirs) and matches each name against its patterns: 14,500
    names, most of them Material's icons (templates/.icons/), 0.3 s of every rebuild. The installed theme's folders
    do not change while a process runs: each is listed once, without hidden entries (the filter drops any path with
    a part starting with a dot: '.*' and '*/.*'); the custom_dir (overrides/, edited by hand) is listed every time.
    Its state (the lists) lives on the plugin, which `serve` keeps between rebuilds."""

    def __init__(self) -> None:
        self.listed: dict[str, list[str]] = {}  # an installed theme folder -> its files (relative, with slashes)

    def use(self, config) -> None:
        """Make config.theme.get_env give environments whose loader lists the installed folders from self.listed."""
        theme, listing = config.theme, self
        get_env = theme.get_env

        def env() -> jinja2.Environment:
            made = get_env()
            if type(made.loader) is jinja2.FileSystemLoader:  # else not what this relies on: left as it is
                made.loader = _ListedLoader(made.loader.searchpath, listing,
                                            fixed={d for d in theme.dirs if d != theme.custom_dir})
            return made

        theme.get_env = env

    def files(self, folder: str, fixed: bool) -> list[str]:
        if not fixed:
            return _walk_visible(folder)
        if folder not in self.listed:
            self.listed[folder] = _walk_visible(folder)
        return self.listed[folder]


class _ListedLoader(jinja2.FileSystemLoader):
    """FileSystemLoader whose list_templates reads ThemeListing (templates load as before)."""

    def __init__(self, searchpath, listing: ThemeListing, fixed: set[str]):
        super().__init__(searchpath)
        self._listing, self._fixed = listing, fixed

    def list_templates(self) -> list[str]:
        listing, fixed = self._listing, self._fixed
        return sorted({name for folder in self.searchpath for name in listing.files(folder, folder in fixed)})


def _walk_visible(folder: str) -> list[str]:
    """The files under folder, relative with slashes, leaving out hidden ones and those in hidden folders."""
    out = []
    for path, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(path, folder).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        out += [prefix + n for n in names if not n.startswith(".")]
    return out


# What Material writes as a page's <html lang>: its base.html, `lang.t('language')` of partials/language.html
_LANGUAGE = '{% import "partials/language.html" as lang with context %}{{ lang.t("language") }}'


def page_language(env: jinja2.Environment, config) -> str | None:
    """The language Material writes on every page (`<html lang>`), rendered from its own partial; None with a theme
    that has none (plugin.py then sends each page to the search index as it is written)."""
    try:
        return env.from_string(_LANGUAGE).render(config=config).strip()
    except jinja2.TemplateError:
        return None


def page_title(page, config) -> str:
    """A page's <title> as Material's base.html writes it (block htmltitle): the title in its meta, else the page's
    title without tags (not on the home page), each followed by " - " and the site's name; else the site's name.
    (Both are checked by tests/test_search.py::test_build_indexes_while_mkdocs_writes_the_pages: a page written with
    another language or title is indexed again after the build, and the test says so.)"""
    if page.meta and page.meta.get("title"):
        return f"{page.meta['title']} - {config.site_name}"
    if page.title and not page.is_homepage:
        return f"{jinja2.filters.do_striptags(page.title)} - {config.site_name}"
    return config.site_name


THEME_PREFIX = "upstream/"  # "upstream/partials/nav.html": the theme's own template, not the override's


def theme_template(env: jinja2.Environment, config) -> None:
    """Let an override of the theme (overrides/) include the template it replaces: the theme's templates, without the
    custom_dir, become reachable as THEME_PREFIX + their name. MkDocs' environment loads from Theme.dirs (custom_dir
    first) with one FileSystemLoader (Theme.get_env); the theme's partials the included template includes are
    still found through it."""
    theme_dirs = [d for d in config.theme.dirs if d != config.theme.custom_dir]
    env.loader = jinja2.ChoiceLoader([
        env.loader, jinja2.PrefixLoader({THEME_PREFIX.rstrip("/"): jinja2.FileSystemLoader(theme_dirs)})])


def skip_static_templates(config) -> None:
    """An incremental rebuild leaves 404.html and sitemap.xml alone: they show only the navigation and the page list,
    which did not change (else the build would not be incremental). Theme.static_templates is a plain set."""
    config.theme.static_templates.clear()


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(DIRTY_WARNING)


def allow_dirty_builds() -> None:
    """serve runs dirty builds, kept correct by the plugin: MkDocs' warning about them (which strict mode turns into
    an abort) does not apply. Matched by its text: MkDocs gives it no other handle."""
    logger = logging.getLogger("mkdocs.commands.build")
    if _not_dirty_warning not in logger.filters:
        logger.addFilter(_not_dirty_warning)
