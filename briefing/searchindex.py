"""Search: a Pagefind index of the built site (site/pagefind/), chunked so a reader downloads only what a query needs.

Pagefind (PyPI `pagefind[extended]`, its binary inside the wheel) indexes HTML. What it reads is not the published
page but a lean copy of it, made here: the page's article only (no navigation, header or footer), without the
headings' permalinks and the fact cards' citation labels and chips, without what is marked `data-search-exclude` (an
element; a heading: its whole section, up to the next heading of the same or a higher level), and with two
search-only fields:

- `zh`: the Chinese words of the page, segmented by jieba with the project's user dictionary (jieba-user.txt).
  Pages are `lang="en"`: Pagefind splits their text at whitespace only, and does not segment queries for an English
  index either, so 北京城市副中心 is one word and a query for 副中心 would not find it. The segments (北京, 城市,
  副中心, and every Han run inside a longer word) are searchable metadata, so 副中心, 雄安 or 通州 find their page,
  and the page's text (its excerpts) stays as written. Neither side runs a segmenter of Pagefind's, so the
  disagreement of Pagefind#1237 (index-time and query-time segmenters) cannot arise.
- `names`: a region page's names (name, Chinese name, aliases: `data-search-names` in templates/region.html.j2), each
  made one word (`name_key`). docs/assets/search.js looks the reader's query up as such a word too, so a place whose
  name is exactly the query comes first: every region's page is the first result for its English or Chinese name.

`index_site(site_dir)` writes site/pagefind/ (a fresh folder swapped in whole, so a reader never sees half an
index), then leaves out Pagefind's ready-made UIs (the site has its own box); `python -m briefing.searchindex
SITE_DIR` does the same from a shell. A build (plugin/plugin.py) does not wait for the written site: its `Stream`
hands each page, as it will be written, to an indexing process (index_stream) started once the engine is done, which
loads jieba, makes the lean copies and runs Pagefind's CLI over them while MkDocs writes the pages, as index_site
would over the written site. The lean copies of both go to a memory-backed folder when there is one (_lean_folder).
Under `serve` the `Reindexer` runs index_site in a background process after each rebuild: an edit shows at once and
search catches up a moment later. Nothing here imports MkDocs: it reads pages and the written site.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import excerpts, parallel

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = "pagefind"  # the index's folder in the site
PAGES_CACHE = ".pagefind-pages"  # under serve: the lean copies kept between runs, in the site folder (never indexed)
USER_DICT = ROOT / "jieba-user.txt"
SKIP = {"404.html"}

_ARTICLE_START = '<article class="md-content__inner md-typeset">'
_LANG = re.compile(r'<html[^>]*\blang="([^"]+)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
# Left out of what is indexed: the headings' permalinks, and on a fact's card (templates/_macros.j2) its citations'
# labels ("[1] Beijing Daily, 2019-04-08, ¶13") and its chips (other places, topics, dates): the same few words on
# every card, which match many queries and say nothing of the fact (its claim, figures and quotes stay), and a tenth
# of what Pagefind reads at 100 times the corpus
_NOISE = re.compile(r'<a class="(?:headerlink|cite-link)"[^>]*>.*?</a>|<p class="fact-meta">.*?</p>', re.S)
_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_SECTION_END = {n: re.compile(rf"<h[1-{n}]\b[^>]*>") for n in range(1, 7)}  # a heading of level n or higher
_EXCLUDED_ELEMENT = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-search-exclude\b[^>]*>")
_BLOCKS = ("div", "section", "details", "aside", "blockquote")  # what can hold a heading and end before the next
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TEXT = re.compile(r"<[^>]+>")
_NOT_ALNUM = re.compile(r"[\W_]+")
_NAMES = re.compile(r"""\bdata-search-names='([^']*)'""")
_NAMES_MARK = "data-search-names='"
NAME_MARK = "qzq"  # ends every name key: no other word of the index ends so, and no stemmer cuts it (search.js)


_BLOCK_TAG = re.compile(r"<(?:({0})[ >]|/({0})>)".format("|".join(_BLOCKS)))  # <div> or <div ...; </div>


def _balanced(chunk: str) -> bool:
    """Whether a piece of HTML closes every container it opens: for each of _BLOCKS as many start tags as end tags
    (counted in one pass: fifteen counts over each left-out section were a quarter of the lean copies' time)."""
    open_tags = dict.fromkeys(_BLOCKS, 0)
    for tag in _BLOCK_TAG.finditer(chunk):
        opened, closed = tag.groups()
        if opened:
            open_tags[opened] += 1
        else:
            open_tags[closed] -= 1
    return not any(open_tags.values())


def drop_excluded_sections(article: str) -> str:
    """Leave out each section whose heading is marked data-search-exclude (what Material's search did). The marked
    headings are found from their marks (_excluded_tags) and the end of each section by one search for the next
    heading of its level or higher: not by reading every heading of a page (a region's page has one a fact)."""
    out, pos = [], 0
    for tag in _excluded_tags(article):
        level = _HEADING_TAGS.get(tag.group(1))
        if level is None or tag.start() < pos:
            continue  # not a heading, or in a section left out already
        after = _SECTION_END[level].search(article, tag.end())
        end = after.start() if after else len(article)
        if _balanced(article[tag.start():end]):
            out.append(article[pos:tag.start()])
            pos = end
    out.append(article[pos:])
    return "".join(out)


def drop_excluded_elements(article: str) -> str:
    """Leave out each element (not a heading: see drop_excluded_sections) marked data-search-exclude, whole."""
    out, pos = [], 0
    for start in _excluded_tags(article):
        if start.start() < pos:
            continue  # inside an element already left out
        tag = start.group(1).lower()
        if tag in _HEADING_TAGS:
            continue
        depth, at = 1, start.end()
        pattern = re.compile(rf"<(/?){tag}[\s>]", re.I)
        while depth and (m := pattern.search(article, at)):
            depth += -1 if m.group(1) else 1
            at = m.end()
        if depth:
            continue  # never closed: leave it to Pagefind's exclusion
        end = article.index(">", at - 1) + 1
        out.append(article[pos:start.start()])
        pos = end
    out.append(article[pos:])
    return "".join(out)


def _excluded_tags(article: str):
    """The start tags marked data-search-exclude, in order: found from the mark back to its `<` (a regular
    expression tried at every tag of a big page took a third of the lean copies' time)."""
    at, last = 0, -1
    while (mark := article.find("data-search-exclude", at)) >= 0:
        at = mark + 1
        start = article.rfind("<", 0, mark)
        if start > last and (tag := _EXCLUDED_ELEMENT.match(article, start)):
            last = start
            yield tag


class Segmenter:
    """jieba with a user dictionary, loaded once (it takes about a second) and again when the dictionary changes."""

    def __init__(self) -> None:
        self._tokenizer = None
        self._loaded: tuple | None = None

    def words(self, text: str, user_dict: Path = USER_DICT) -> list[str]:
        """The Han runs of text and their jieba segments (two characters or more), each once, in order of appearance;
        runs that are whole words of text are left out: Pagefind indexes them already (a word: between spaces, its
        letters and digits only, as Pagefind takes it)."""
        runs = []  # each Han run with the word it is in
        for found in _HAN.finditer(text):
            start, end = found.span()
            while start and not text[start - 1].isspace():
                start -= 1
            while end < len(text) and not text[end].isspace():
                end += 1
            runs.append((found.group(), _NOT_ALNUM.sub("", text[start:end])))
        if not runs:
            return []
        whole = {word for _, word in runs}
        seen: dict[str, None] = {}
        tokenizer = self.load(user_dict)
        for run, _ in runs:
            if run not in whole:
                seen.setdefault(run)
            if len(run) > 2:
                for word in tokenizer.cut_for_search(run):
                    if len(word) > 1 and word not in whole:
                        seen.setdefault(word)
        return list(seen)

    def load(self, user_dict: Path = USER_DICT):
        """jieba's tokenizer with the user dictionary (loaded here the first time)."""
        st = user_dict.stat() if user_dict.is_file() else None
        key = (str(user_dict), st and st.st_mtime_ns, st and st.st_size)
        if self._tokenizer is None or self._loaded != key:
            import logging

            import jieba
            logging.getLogger("jieba").setLevel(logging.WARNING)  # not its dictionary-loading chatter
            tokenizer = jieba.Tokenizer()
            if st is not None:
                tokenizer.load_userdict(str(user_dict))
            else:
                tokenizer.initialize()
            self._tokenizer, self._loaded = tokenizer, key
        return self._tokenizer




def _plain(fragment: str) -> str:
    return html.unescape(_TEXT.sub(" ", fragment))


def name_key(name: str) -> str:
    """A name as one word of the index: its letters and digits, lower case, then NAME_MARK ("Xiong'an New Area" ->
    xiongannewareaqzq). search.js makes the same key of a query and looks it up: a place whose name or alias is
    exactly what the reader typed comes first."""
    letters = "".join(ch for ch in name.lower() if ch.isalnum())
    return letters + NAME_MARK if letters else ""


def _names(article: str):
    """The data-search-names attribute of a region's page (found by plain search first: a pattern tried at every
    character of a page was a sixth of the lean copies' time)."""
    at = article.find(_NAMES_MARK)
    while at >= 0:
        if found := _NAMES.match(article, at):
            return found
        at = article.find(_NAMES_MARK, at + 1)
    return None


def indexed_parts(page: str) -> tuple[str, str, str] | None:
    """What search reads of a built page: its language, its <title> and its article (the whitespace at its ends
    left out); None: it has no article."""
    # from the first start of the article to the last "</article>", found by plain search (tests/test_search.py
    # compares it with the pattern it replaces, whose `(.*)` ran to the page's end and came back a character at a time)
    start, end = page.find(_ARTICLE_START), page.rfind("</article>")
    if start < 0 or end < start + len(_ARTICLE_START):
        return None
    lang, title = _LANG.search(page), _TITLE.search(page)
    return lang.group(1) if lang else "en", title.group(1) if title else "", page[start + len(_ARTICLE_START):end].strip()


def page_of(lang: str, title: str, article: bytes) -> tuple[bytes, bytes, bytes]:
    """The smallest page whose indexed_parts are these, as UTF-8 pieces (the article as it is: the engine's bytes,
    not copied): what a build sends for a page before MkDocs writes it."""
    head = f'<html lang="{lang}"><head><title>{title}</title></head><body>{_ARTICLE_START}'
    return head.encode(), article, b"</article></body></html>"


def lean_page(page: str, user_dict: Path = USER_DICT, segmenter: Segmenter | None = None) -> str | None:
    """What Pagefind indexes of a built page: its article and the search-only metadata; None: nothing to index.
    (`segmenter`: jieba loaded once for all the pages of an index; without one, loaded for this page.)"""
    parts = indexed_parts(page)
    if parts is None:
        return None
    lang, title, article = parts
    article = drop_excluded_elements(drop_excluded_sections(_NOISE.sub("", article)))
    text = _plain(article)
    meta = []
    names = _names(article)
    if names:  # a region's briefing: its names, each a key of its own
        keys = dict.fromkeys(name_key(n) for n in json.loads(html.unescape(names.group(1))))
        meta.append(f'<span data-pagefind-meta="names:{html.escape(" ".join(k for k in keys if k))}"></span>')
    zh = (segmenter or Segmenter()).words(text, user_dict)
    if zh:
        meta.append(f'<span data-pagefind-meta="zh:{html.escape(" ".join(zh))}"></span>')
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<title>{title}</title></head><body>{"".join(meta)}'
            f'<main data-pagefind-body>{article}</main></body></html>')


def pages(site_dir: Path):
    """The HTML pages of a built site that search indexes (not 404.html, not the index itself), in a stable order."""
    for folder, dirs, files in os.walk(site_dir):
        dirs[:] = sorted(d for d in dirs if not (folder == str(site_dir) and d.startswith((BUNDLE, "."))))
        for name in sorted(files):
            if name.endswith(".html") and not (folder == str(site_dir) and name in SKIP):
                yield Path(folder, name)


def indexed(rel: str) -> bool:
    """Whether search indexes the page at this path of the site (relative, with slashes): what pages() yields."""
    top, _, rest = rel.partition("/")
    return rel.endswith(".html") and not (rest and top.startswith((BUNDLE, "."))) and rel not in SKIP


def essentials(page: str) -> str:
    """The parts of a built page lean_page reads (its head and its article), found by plain search: what a build
    sends to the indexing process, a quarter of the page at 100 times the corpus (the rest is navigation)."""
    head = page.find("</head>")
    start, end = page.find(_ARTICLE_START), page.rfind("</article>")
    if head < 0 or start < 0 or end < start:
        return page
    return page[:head] + page[start:end + len("</article>")]


def _binary() -> str:
    try:
        from pagefind_bin_extended import get_executable
        return str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise RuntimeError(f"Pagefind's binary is missing ({exc}): install requirements.txt "
                           "(pagefind_bin_extended)") from None


def update_pages(site_dir: Path, pages_dir: Path, user_dict: Path = USER_DICT) -> tuple[int, int]:
    """Bring the lean copies in pages_dir up to date with the site: only pages written since the last update (by
    time and size) are read again; copies of pages that are gone are deleted; all of them when this module or the
    user dictionary changed. Returns (pages to index, pages read)."""
    manifest_path = pages_dir / ".manifest.json"
    stamp = [hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest(),
             *((st.st_mtime_ns, st.st_size) if (st := _stat(user_dict)) else ())]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if manifest.get("stamp") != stamp:
        shutil.rmtree(pages_dir, ignore_errors=True)
        manifest = {}
    pages_dir.mkdir(parents=True, exist_ok=True)
    known: dict = manifest.get("pages", {})
    current, stale = {}, []
    for path in pages(site_dir):
        rel = path.relative_to(site_dir).as_posix()
        st = path.stat()
        seen = [st.st_mtime_ns, st.st_size]
        if known.get(rel, [None, None])[:2] == seen:
            current[rel] = known[rel]
        else:
            current[rel] = None  # its place in the order
            stale.append((path, rel, seen))
    segmenter = Segmenter()  # jieba loaded once for this update (about a second)
    if len(stale) >= parallel.MIN_JOBS:  # loaded before the pages are shared out: every process inherits it
        segmenter.load(user_dict)

    def update(job: tuple[Path, str, list]) -> list:
        path, rel, seen = job
        return seen + [_put_lean(pages_dir / rel, lean_page(path.read_text(encoding="utf-8"), user_dict, segmenter))]

    # the lean copies are made by one process per core (parallel.py): regular expressions and jieba, Python's own
    # work, which threads would take turns at
    for (_, rel, _), entry in zip(stale, parallel.run(update, stale)):
        current[rel] = entry
    for rel in known.keys() - current.keys():
        (pages_dir / rel).unlink(missing_ok=True)
    manifest_path.write_text(json.dumps({"stamp": stamp, "pages": current}), encoding="utf-8")
    return sum(entry[2] for entry in current.values()), len(stale)


RAM_FOLDERS = ("/dev/shm",)  # memory-backed on Linux; where there is none, the lean copies go beside the site
RAM_MIN_FREE = 1 << 30  # bytes free there for it to be used: the lean copies are about a quarter of the site


def _lean_folder(work: Path) -> Path:
    """A new folder for a run's lean copies: in memory when a memory-backed folder has room, else work/pages (beside
    the site). They are written once, read once by Pagefind and deleted; on a slow disk, creating their thousands of
    files and folders was a second of the indexing process at 100x (mkdir and open), in memory a few hundredths."""
    for ram in RAM_FOLDERS:
        try:
            st = os.statvfs(ram)
            if st.f_bavail * st.f_frsize >= RAM_MIN_FREE and os.access(ram, os.W_OK):
                return Path(tempfile.mkdtemp(prefix="briefing-search-", dir=ram))
        except OSError:
            continue
    return work / "pages"


def _listed_in_order(lean_dir: Path) -> Path:
    """A folder beside lean_dir that lists its lean copies in the order of their paths (hard links, made in that
    order). Pagefind numbers the pages in the order the folder lists them, and the index depends on it: a memory
    folder (tmpfs) lists the newest first, and the copies were made in the order the pages came (a build) or by
    several processes at once (update_pages). (On disk, ext4 lists by a hash of the names: the same order for the
    same names, whatever the order they were made in.)"""
    listed = Path(tempfile.mkdtemp(prefix=lean_dir.name + "-listed-", dir=lean_dir.parent))
    for path in sorted(lean_dir.rglob("*.html")):
        dest = listed / path.relative_to(lean_dir)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, dest)
    return listed


def _put_lean(dest: Path, lean: str | None) -> bool:
    """Put a page's lean copy at dest, or none (None: nothing to index); whether there is one."""
    if lean is None:
        dest.unlink(missing_ok=True)
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(lean, encoding="utf-8")
    return True


def _stat(path: Path):
    try:
        return path.stat()
    except OSError:
        return None


def index_site(site_dir: Path, user_dict: Path = USER_DICT, quiet: bool = True, keep_old: bool = False,
               pages_dir: Path | None = None) -> dict:
    """Index the built site into site_dir/pagefind/, replaced whole. Under serve: `keep_old` moves the new files in
    beside the old ones, the entry file last, so a page that loaded the previous index keeps finding its files; a
    `pages_dir` kept between runs holds the lean copies, so only the pages rewritten since are read again.
    Returns counts and timings."""
    site_dir = Path(site_dir).resolve()
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir.parent))
    lean_dir, bundle = pages_dir or _lean_folder(work), work / BUNDLE
    try:
        count, read = update_pages(site_dir, lean_dir, user_dict)
        t1 = time.perf_counter()
        _pagefind(lean_dir, bundle, quiet)
        t2 = time.perf_counter()
        _install(bundle, site_dir, work, keep_old)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if pages_dir is None:
            shutil.rmtree(lean_dir, ignore_errors=True)
    return {"pages": count, "read": read, "prepare": t1 - t0, "pagefind": t2 - t1, "total": time.perf_counter() - t0}


def _pagefind(lean_dir: Path, bundle: Path, quiet: bool = True) -> None:
    """Pagefind's CLI over the lean copies in lean_dir, the index written into bundle/ (its threads use every core)."""
    listed = _listed_in_order(lean_dir) if str(lean_dir.parent) in RAM_FOLDERS else lean_dir
    try:
        proc = subprocess.run([_binary(), "--site", str(listed), "--output-path", str(bundle),
                               "--exclude-selectors", "[data-search-exclude]", "--silent" if quiet else "--quiet"],
                              capture_output=True, text=True)
    finally:
        if listed != lean_dir:
            shutil.rmtree(listed, ignore_errors=True)
    if proc.returncode != 0:
        raise RuntimeError(f"pagefind failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")


def _install(bundle: Path, site_dir: Path, work: Path, keep_old: bool = False) -> None:
    """Put a new bundle (made in work/, beside the site) in place of site_dir/pagefind/: swapped in whole, or under
    serve (keep_old) added beside the old files. Its excerpts are made in linear time first (excerpts.py: a page of
    thousands of matching sections took seconds to show)."""
    _prune(bundle)
    excerpts.speed_up(bundle)
    target = site_dir / BUNDLE
    if keep_old and target.is_dir():
        _merge(bundle, target)
    else:
        if target.exists():
            os.replace(target, work / "old")
        os.replace(bundle, target)


def _merge(bundle: Path, target: Path) -> None:
    """Move the new bundle's files into target (their names are hashes of their content), pagefind-entry.json last."""
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.name == "pagefind-entry.json")
    for path in files:
        dest = target / path.relative_to(bundle)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, dest)


def _prune(bundle: Path) -> None:
    """Leave out the bundle's ready-made search UIs and highlighter (the site has its own box: docs/assets/search.js),
    and the WebAssembly for pages of no language when no page lacks one."""
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                 "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"):
        (bundle / name).unlink(missing_ok=True)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    if "unknown" not in entry.get("languages", {}):
        (bundle / "wasm.unknown.pagefind").unlink(missing_ok=True)


def fragments(site_dir: Path):
    """The pages of a built site's index as Pagefind stores them (url, content, anchors, meta): for tests and tools."""
    for path in sorted((Path(site_dir) / BUNDLE / "fragment").glob("*.pf_fragment")):
        yield json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))


READY = b"*\n"  # in a build's stream: every page has been sent (Stream.ready), the index can be made at once
END = b"\n"  # the build ended well: the index goes into the site


def index_stream(site_dir: Path, source, user_dict: Path = USER_DICT) -> dict | None:
    """The indexing process of a build (`python -m briefing.searchindex SITE_DIR --stream`): reads the pages the
    plugin sends (frames of `path TAB length NEWLINE` and that many bytes of a page, or of essentials(page)) and
    writes each page's lean copy, on the core MkDocs leaves idle, jieba loaded meanwhile. READY (the plugin sent
    every page before MkDocs writes them, see Stream.ready) starts Pagefind's CLI over the lean copies at once, while
    MkDocs writes the pages; a page sent again after it (MkDocs wrote it otherwise than it was sent) replaces its
    copy. END ends the build: the lean copies of pages of the site that were never sent are made from disk, Pagefind
    runs (again) if any copy is newer than its index, and the index is swapped in: what index_site would make of the
    written site, byte for byte. None (nothing touched) when the stream ends without END: the build failed."""
    site_dir = Path(site_dir).resolve()
    t0 = time.perf_counter()
    segmenter = Segmenter()
    copies: dict[str, bool] = {}  # each page sent (or read from disk) -> whether it has a lean copy
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir.parent))
    lean_dir, bundle = _lean_folder(work), work / BUNDLE
    stale = True  # a lean copy is newer than the index in work/ (or there is none)

    def add(rel: str, page: str) -> None:
        nonlocal stale
        copies[rel] = _put_lean(lean_dir / rel, lean_page(page, user_dict, segmenter) if indexed(rel) else None)
        stale = True

    def index() -> None:
        nonlocal stale
        shutil.rmtree(bundle, ignore_errors=True)
        lean_dir.mkdir(exist_ok=True)
        _pagefind(lean_dir, bundle)
        stale = False

    ready = False  # READY came: the index was made while MkDocs wrote the pages
    try:
        segmenter.load(user_dict)  # while MkDocs cleans the site and reads the pages, before any is sent
        while (header := source.readline()) not in (b"", END):
            if header == READY:
                ready = True
                index()
                continue
            rel, size = header.decode("utf-8").rstrip("\n").rsplit("\t", 1)
            page = source.read(int(size)).decode("utf-8")
            if ready or rel not in copies:
                add(rel, page)
        if header != END:
            return None
        t1 = time.perf_counter()
        for path in pages(site_dir):  # pages MkDocs did not render (copied as they are)
            if (rel := path.relative_to(site_dir).as_posix()) not in copies:
                add(rel, path.read_text(encoding="utf-8"))
        early = ready and not stale  # the index made while MkDocs wrote the pages is the site's
        if stale:
            index()
        _install(bundle, site_dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(lean_dir, ignore_errors=True)
    return {"pages": sum(copies.values()), "indexed_early": early, "after_build": time.perf_counter() - t1,
            "total": time.perf_counter() - t0}


class Stream:
    """A build's side of index_stream: a process started before MkDocs writes the pages, fed the pages (a thread
    writes to the pipe, so the build never waits for the indexing), finished after the build. The plugin sends
    each page as it will be written before MkDocs writes any (`send`, then `ready`): the lean copies and Pagefind's
    CLI then run while MkDocs writes the pages, on the core it leaves idle; a page MkDocs writes otherwise than it
    was sent is sent again as written (`add`) and indexed again after the build. Without `ready`, each page is sent
    as MkDocs writes it (`add`) and Pagefind runs after the build. (Pagefind's service, which parses a page as it
    comes, was tried: it parses on one thread, 12 s of CPU at 100x against its CLI's 9 s on two cores.)"""

    _END, _STOP, _READY = object(), object(), object()

    def __init__(self, site_dir: Path, user_dict: Path = USER_DICT) -> None:
        command = [sys.executable, "-m", "briefing.searchindex", str(site_dir), "--user-dict", str(user_dict),
                   "--stream"]
        self._errors = tempfile.TemporaryFile()  # a file, not a pipe: nothing it writes can fill a pipe and block it
        self._proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._errors)
        _widen(self._proc.stdin)
        self._pages: queue.SimpleQueue = queue.SimpleQueue()
        self._feeder = threading.Thread(target=self._feed, name="search-stream", daemon=True)
        self._feeder.start()

    def add(self, rel: str, page: str) -> None:
        """A page MkDocs writes at this path of the site (relative, with slashes)."""
        if self._feeder.is_alive():  # else the process died: finish() says why
            self._pages.put((rel, essentials(page)))

    def send(self, rel: str, lang: str, title: str, article: bytes) -> None:
        """A page before it is written: what search reads of it (indexed_parts; the article in UTF-8)."""
        if self._feeder.is_alive():
            self._pages.put((rel, page_of(lang, title, article)))

    def ready(self) -> None:
        """Every page the build writes has been sent: the index can be made."""
        self._pages.put(self._READY)

    def finish(self) -> dict:
        """Wait for the index of the built site; RuntimeError with the process's message if it failed."""
        self._pages.put(self._END)
        self._feeder.join()
        out = self._proc.stdout.read()
        self._proc.stdout.close()
        with self._errors:
            if self._proc.wait() != 0:
                self._errors.seek(0)
                raise RuntimeError(f"the indexing process failed ({self._proc.returncode}):\n"
                                   f"{self._errors.read().decode('utf-8', 'replace').strip()}")
        return json.loads(out.decode("utf-8").strip().splitlines()[-1])

    def stop(self) -> None:
        """The build failed: the process ends without touching the site (killed if it does not within 10 s)."""
        self._pages.put(self._STOP)
        self._feeder.join()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stdout.close()
        self._errors.close()

    def _feed(self) -> None:
        stdin = self._proc.stdin
        try:
            while (item := self._pages.get()) is not self._STOP:
                if item is self._END:
                    stdin.write(END)
                    break
                if item is self._READY:
                    stdin.write(READY)
                    stdin.flush()
                    continue
                rel, page = item  # a page, or the pieces of one (page_of)
                pieces = (page.encode("utf-8"),) if isinstance(page, str) else page
                stdin.write(f"{rel}\t{sum(map(len, pieces))}\n".encode("utf-8"))
                for piece in pieces:
                    stdin.write(piece)
        except OSError:  # the process died: finish() reports its message
            pass
        finally:
            try:
                stdin.close()
            except OSError:
                pass


def _widen(pipe) -> None:
    """A pipe that holds a megabyte, not 64 kB (Linux; elsewhere as it is): the thread that feeds it takes Python's
    lock back about once a page, not once per 64 kB, from a build busy writing pages. (At 100x, with an indexing
    process that read as fast as the pages came, they reached it 0.3-0.45 s after they were sent, not 1.5 s.)"""
    try:
        import fcntl
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):  # not Linux, or over the system's limit
        pass


class Reindexer:
    """Under `serve`: index after each build in a background process, so a rebuild never waits for the index (at 100
    times the real corpus indexing takes longer than the 2 s an edit may take to show). The process runs at a lower
    priority with its own interpreter (no lock shared with MkDocs' rebuilds), keeps the lean copies of the pages
    between runs (only rewritten pages are read again) and adds the new index beside the old one (keep_old). A
    build that ends while a run goes on asks for one more run after it; `wait` blocks until the index is current."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self._job: tuple = ()
        self._idle = threading.Event()
        self._idle.set()
        self.last: dict | None = None  # the counts and timings of the last run
        self.runs = 0

    def request(self, site_dir: Path, user_dict: Path = USER_DICT) -> None:
        with self._lock:
            self._job = (Path(site_dir), Path(user_dict))
            self._idle.clear()
            if self._thread is not None:
                self._again = True
                return
            self._thread = threading.Thread(target=self._run, name="pagefind-index", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                site_dir, user_dict = self._job
                self._again = False
            # the lean copies live in the served folder (not served to anyone but the editor), and go with it
            command = [sys.executable, "-m", "briefing.searchindex", str(site_dir), "--user-dict", str(user_dict),
                       "--keep-old", "--pages-dir", str(site_dir / PAGES_CACHE), "--json"]
            if shutil.which("nice"):
                command[:0] = ["nice", "-n", "10"]
            proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            if proc.returncode == 0:
                self.last = json.loads(proc.stdout.strip().splitlines()[-1])
                self.runs += 1
            else:  # reported; the next build tries again
                print(f"search index: failed ({proc.returncode}):\n{proc.stderr}", file=sys.stderr, flush=True)
            with self._lock:
                if not self._again:
                    self._thread = None
                    self._idle.set()
                    return

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no indexing runs or is asked for; False on timeout."""
        return self._idle.wait(timeout)


def main(argv: list[str] | None = None) -> int:
    import argparse
    p = argparse.ArgumentParser(description="Index a built site with Pagefind into SITE_DIR/pagefind/.")
    p.add_argument("site_dir", type=Path)
    p.add_argument("--user-dict", type=Path, default=USER_DICT, help="jieba user dictionary (default: jieba-user.txt)")
    p.add_argument("--keep-old", action="store_true", help="add the new index beside the old one (serve)")
    p.add_argument("--pages-dir", type=Path, help="keep the lean copies of the pages here between runs (serve)")
    p.add_argument("--json", action="store_true", help="print the counts and timings as JSON")
    p.add_argument("--stream", action="store_true", help="index the pages a build sends on stdin (see Stream)")
    args = p.parse_args(argv)
    if args.stream:
        try:
            result = index_stream(args.site_dir, sys.stdin.buffer, args.user_dict)
        except (RuntimeError, OSError, ValueError) as exc:  # such as a user dictionary jieba cannot read
            import traceback
            where = traceback.extract_tb(exc.__traceback__)[-1]
            print(f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})", file=sys.stderr)
            return 1
        if result is None:
            print("search index: the build stopped before its end; nothing written", file=sys.stderr)
            return 1
        print(json.dumps(result))
        return 0
    result = index_site(args.site_dir, args.user_dict, quiet=not args.json, keep_old=args.keep_old,
                        pages_dir=args.pages_dir)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"indexed {result['pages']} pages in {result['total']:.2f} s "
              f"(lean copies {result['prepare']:.2f} s, pagefind {result['pagefind']:.2f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
