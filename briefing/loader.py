"""Read the files under facts/ safely and keep the file:line:col of every YAML node.

Safety rules: files larger than MAX_BYTES are refused, links pointing outside the repository are never followed,
bytes must be UTF-8 (a BOM and CRLF are accepted), YAML tags beyond the plain types are rejected, and anchors and
aliases are refused outright, which also stops alias-expansion bombs before they expand.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import os
import pickle
import stat
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Mark, Report, error, relpath, warning
from .models import RECORD_KINDS

try:  # libyaml is several times faster; same node tree and marks
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader


class _Loader(_SafeLoader):
    """The safe loader with its per-node resolver calls (Python, three a node: a third of the parsing time) cut to what
    they do for it: it registers no path resolvers (so descending and ascending do nothing) and no wildcard implicit
    resolvers (so a plain scalar's tag is decided by the resolvers of its first character alone). A tag depends on the
    node's kind, text and style only: the last 1,024 are remembered, and the keys and common values that repeat
    (most nodes) are answered by the cache's lookup in C, not by a Python call (1% of checking the facts)."""

    _by_first = {first: tuple(resolvers) for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()}
    # Do-nothings that are builtins (no Python frame: called twice for every node). A builtin stored on a class is not
    # bound to the instance: descend_resolver(node, index) is {}.get(node, index), ascend_resolver() is tuple().
    descend_resolver = {}.get
    ascend_resolver = tuple

    @staticmethod
    @functools.lru_cache(maxsize=1024)
    def resolve(kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _Loader._by_first.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _SafeLoader.DEFAULT_SCALAR_TAG
        return _SafeLoader.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else _SafeLoader.DEFAULT_MAPPING_TAG


if _SafeLoader.yaml_path_resolvers or None in _SafeLoader.yaml_implicit_resolvers:  # pragma: no cover
    _Loader = _SafeLoader  # someone registered resolvers the shortcut above would skip

MAX_BYTES = 2 * 1024 * 1024
SOURCES = "sources"  # facts/sources/: the articles; the other folders are RECORD_KINDS'
YAML_SUFFIXES = (".yml", ".yaml")
SOURCE_SUFFIXES = (".txt", ".md")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE, _TIMESTAMP = "tag:yaml.org,2002:merge", "tag:yaml.org,2002:timestamp"
_ScalarNode, _MappingNode = yaml.ScalarNode, yaml.MappingNode
_constructor = yaml.constructor.SafeConstructor()
# The constructors themselves: construct_object would remember every node it sees (and keep them alive).
_CONSTRUCT = {tag: yaml.constructor.SafeConstructor.yaml_constructors[tag] for tag in
              ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")}

class Located:
    """A YAML value and the file:line:col of every node inside it.

    Positions are only needed for messages, so they are kept as cheaply as possible: one (line, column) per node in
    document order (a mapping's key just before its value), two integers of one flat array (8 bytes a node, not a
    tuple's 64), shared by the document and its items. A path is turned
    into a node number by walking the value, which mirrors the node tree one to one; that costs a walk of one
    record, paid only when a message asks for a position.
    """

    __slots__ = ("value", "path", "line_offset", "_pos", "_first", "_item_starts")

    def __init__(self, value: Any, path: str = "?", line_offset: int = 0, pos: list | None = None, first: int = 0,
                 item_starts: list[int] | None = None):
        self.value = value
        self.path = path
        self.line_offset = line_offset
        self._pos = pos if pos is not None else array("i")  # line, column, line, column, ...: 0-based, per node
        self._first = first  # number of this value's node in self._pos
        self._item_starts = item_starts  # node number of each item of a list document (parse_yaml notes them)

    def _find(self, path: tuple, key: bool = False) -> int:
        """Number of the node at `path` (of its key when `key` and the path ends at a mapping key), or of its
        nearest ancestor that exists."""
        value, number = self.value, self._first
        for i, part in enumerate(path):
            if isinstance(value, dict) and isinstance(part, str) and part in value:
                number += 1
                for k, v in value.items():
                    if k == part:
                        break
                    number += 1 + _size(v)
                if key and i == len(path) - 1:
                    return number
                value, number = value[part], number + 1
            elif isinstance(value, list) and type(part) is int and 0 <= part < len(value):
                number += 1 + sum(_size(v) for v in value[:part])
                value = value[part]
            else:
                break
        return number

    def _mark(self, number: int) -> Mark:
        if 2 * number >= len(self._pos):  # an empty document has no node
            return Mark("?")
        pos = self._pos
        return Mark(self.path, pos[2 * number] + 1 + self.line_offset, pos[2 * number + 1] + 1)

    def mark(self, *path) -> Mark:
        """Position of the value at `path`, or of its nearest ancestor that exists."""
        return self._mark(self._find(path))

    def key_mark(self, *path) -> Mark:
        """Position of the key that ends `path` (for an unknown key), else as mark()."""
        return self._mark(self._find(path, key=True))

    def items(self) -> list["Located"]:
        """One Located per item of a list document, sharing its positions."""
        starts = self._item_starts
        if starts is None:
            starts = list(itertools.accumulate((_size(v) for v in self.value[:-1]), initial=self._first + 1))
        return [Located(v, self.path, self.line_offset, self._pos, n) for v, n in zip(self.value, starts)]


class LazyDoc:
    """The YAML nodes of a file whose records came from the file cache (filecache.py): kept pickled, as the cache entry
    holds them, and loaded only when a message or a page asks where one of its records is written (most runs never
    ask for most files: the nodes would cost more to load and to keep than the bytes)."""

    __slots__ = ("blob", "_doc", "_items")

    def __init__(self, blob: bytes):
        self.blob, self._doc, self._items = blob, None, None

    def node(self, index: int | None) -> Located:
        """The whole document (index None: an article's front matter) or one item of a list document."""
        if self._doc is None:
            self._doc = pickle.loads(self.blob)  # the cache entry's, checked against its hash (filecache.FileStore)
        if index is None:
            return self._doc
        if self._items is None:
            self._items = self._doc.items()
        return self._items[index]


class LazyNode:
    """Where one record of a LazyDoc is written: a Located's mark() and key_mark(), made when first asked."""

    __slots__ = ("doc", "index")

    def __init__(self, doc: LazyDoc, index: int | None):
        self.doc, self.index = doc, index  # index: the record's item in a list document; None: the whole document

    def mark(self, *path) -> Mark:
        return self.doc.node(self.index).mark(*path)

    def key_mark(self, *path) -> Mark:
        return self.doc.node(self.index).key_mark(*path)


def _size(value) -> int:
    """Number of YAML nodes of a value built by parse_yaml: a mapping counts its keys too."""
    if isinstance(value, dict):
        return 1 + len(value) + sum(_size(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_size(v) for v in value)
    return 1


@dataclass
class FileRead:
    """One file under facts/ as read: parsed, or (from the file cache, see filecache.py) already validated."""

    path: str  # repository-relative, forward slashes
    kind: str  # its folder: SOURCES or a record kind's
    key: bytes = b""  # the file cache's key for its content
    problems: list[Diagnostic] = field(default_factory=list)  # of reading and parsing this file
    doc: Located | None = None  # records: the list document; an article: its front matter
    text: str = ""  # an article's verbatim text, after the front matter
    text_line: int = 0  # line of the file on which the article text starts
    valid: Any = None  # validate.ValidFile from the file cache: nothing left to do
    data: bytes | None = None  # read, not parsed yet: validate.validate parses it (parse_file), over the cores


class YamlProblem(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def read_bytes(path: Path, root: Path, report: Report) -> bytes | None:
    """A file's bytes under the safety rules; None (and a diagnostic) when the file may not be read."""
    rel = relpath(path, root)
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            report.error(Mark(rel), f"is a link to {target}, outside the repository; links are never followed there: copy the file in instead")
            return None
    size = path.stat().st_size
    if size > MAX_BYTES:
        report.error(Mark(rel), f"is {size:,} bytes, over the limit of {MAX_BYTES:,}: split it into smaller files")
        return None
    return path.read_bytes()


def decode(data: bytes, rel: str) -> tuple[str | None, Diagnostic | None]:
    """Bytes -> text (UTF-8; a BOM dropped, line ends made \\n), or the problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, error(Mark(rel, line, col), f"is not UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}; save the file as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def parse_yaml(text: str, line_offset: int = 0, path: str = "?") -> Located:
    """Compose the YAML text and build plain values, keeping every node's position. Raises YamlProblem."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(filter(None, [exc.context, exc.problem]))
        if "\t" in message or "'\\t'" in message or "tab character" in message:
            message += " (tabs cannot indent YAML: use spaces)"
        raise YamlProblem(mark.line + 1 + line_offset if mark else 0, mark.column + 1 if mark else 0,
                          f"YAML syntax: {message}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, 0, f"YAML: {exc}") from None
    pos: list[int] = []  # line, column of each node, flat; an array once complete
    append = pos.append
    # An alias (*name) repeats a node of the tree; it needs an anchor (&name), so without '&' no node can repeat.
    seen: set[int] | None = set() if "&" in text else None

    def problem(n, message: str) -> YamlProblem:
        return YamlProblem(n.start_mark.line + 1 + line_offset, n.start_mark.column + 1, message)

    def build(n):
        if seen is not None:
            if id(n) in seen:
                raise problem(n, "YAML anchors and aliases (&name, *name) are not supported: write the value out")
            seen.add(id(n))
        m = n.start_mark
        append(m.line)
        append(m.column)
        tag, kind = n.tag, type(n)
        if kind is _ScalarNode:
            if tag == _STR:  # most nodes
                return n.value
            if tag not in _PLAIN_TAGS:
                raise problem(n, f"YAML tag {tag} is not allowed: only plain text, numbers, true/false and null")
            return _scalar(n)
        if kind is _MappingNode:
            if tag != _MAP:
                raise problem(n, f"YAML tag {tag} is not allowed")
            out: dict = {}
            for key_node, value_node in n.value:
                if type(key_node) is not _ScalarNode or key_node.tag == _MERGE:
                    raise problem(key_node, "keys must be plain words (no merge keys or complex keys)")
                key = str(build(key_node))
                if key in out:
                    first = next(k for k, _ in n.value if str(_scalar(k)) == key)
                    raise problem(key_node, f"duplicate key '{key}' (first at line {first.start_mark.line + 1 + line_offset}): "
                                            "YAML would silently keep only the last one; remove or rename one")
                out[key] = build(value_node)
            return out
        if tag != _SEQ:
            raise problem(n, f"YAML tag {tag} is not allowed")
        return [build(item) for item in n.value]

    item_starts = None
    if node is None:
        value = None
    elif node.tag == _SEQ and type(node) is yaml.SequenceNode:  # a list document: note where each item starts
        if seen is not None:
            seen.add(id(node))
        append(node.start_mark.line)
        append(node.start_mark.column)
        value, item_starts = [], []
        for item in node.value:
            item_starts.append(len(pos) // 2)
            value.append(build(item))
    else:
        value = build(node)
    return Located(value, path, line_offset, array("i", pos), 0, item_starts)


def _scalar(n):
    """The plain value of a scalar node of a plain tag (checked by the caller)."""
    if n.tag in (_STR, _TIMESTAMP):
        return n.value  # dates stay text: the model checks them
    return _CONSTRUCT[n.tag](_constructor, n)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """`---` YAML `---` text -> (yaml, text, line where the text starts)."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    front = text[4:end + 1]
    return front, text[end + 5:], front.count("\n") + 3


def _walk(root: Path, facts_dir: Path, report: Report):
    """Files under facts/, sorted; links to folders are not followed (os.walk's default)."""
    for folder, dirs, files in os.walk(facts_dir):
        dirs.sort()
        for name in sorted(files):
            yield Path(folder) / name


@contextlib.contextmanager
def gc_paused(promote: bool = False):
    """No cyclic GC inside: loading and validating allocate millions of small objects and no cycles, and the
    collector's passes over them made load non-linear (12 s of 15 s at 100x). Nests; re-enables only if it was on.
    `promote`, for a process that keeps what it made until it ends (a build): what was allocated inside is then put
    in the collector's oldest generation (_promote_all) instead of its youngest, whose next collection would walk all
    of it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if promote:
                _promote_all()
            gc.enable()


def _promote_all() -> None:
    """Every object the collector tracks into its oldest generation, none collected: gc.freeze() moves them all out
    of its sight, unfreeze() back into the oldest generation. Left in the youngest, a build's corpus was walked whole
    by the next young collection (0.24 s after the checks at 100x). Not for what leaves garbage in cycles (rendering:
    Jinja's contexts, which hold the corpus; only a young collection frees them soon). Not for `serve`: each
    rebuild leaves the last corpus and pages as garbage, in cycles, which the young collections find, and the oldest
    is collected too rarely (300,000 objects and 56 MB kept after a dozen edits at 10x). Not while objects are
    frozen either (plugin.py freezes the corpus during a build): unfreeze would let them go."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


# A file changed this close before a run (or during it) may change again within its timestamps' resolution (a clock
# tick of a few ms on Linux, 2 s on FAT) and keep them: its signature is not trusted, it is read on every run until
# it has been left alone this long (git's "racily clean" entries)
RACY_NS = 2 * 10**9


def signature(path: Path, since_ns: int) -> tuple | None:
    """What stands for a file's content under serve without reading it: its device, inode, size and the times of its
    last content change (mtime) and last change of any kind (ctime, which no program can set back); None for what is
    not a regular file (a link is read, and its target checked, every time) and for a file changed within RACY_NS of
    `since_ns`, the run's start."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode) or max(st.st_mtime_ns, st.st_ctime_ns) >= since_ns - RACY_NS:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


@gc_paused()
def load_files(root: Path, report: Report, cache=None) -> list[FileRead]:
    """Every article and record file under facts/, in path order, read (FileRead.data: validate.validate parses it);
    with a file cache (filecache.FileCache), a file whose content it knows comes back validated (FileRead.valid)."""
    facts_dir = root / "facts"
    out: list[FileRead] = []
    if not facts_dir.is_dir():
        report.error(Mark("facts"), "folder not found: run the command from the repository root")
        return out
    folders = {k.folder for k in RECORD_KINDS}
    # under serve, a file whose signature is the last run's is not read again (signature); not on Windows, where
    # st_ctime is the file's creation time: a change of the same size with its mtime set back (rsync -t) would not show
    since = time.time_ns() if cache is not None and cache.keep and os.name != "nt" else None
    for path in _walk(root, facts_dir, report):
        rel = relpath(path, root)
        parts = path.relative_to(facts_dir).parts
        if path.name.startswith(".") or path.name.lower().startswith("readme"):
            continue
        kind = parts[0] if len(parts) > 1 else None
        if not (kind == SOURCES and path.suffix in SOURCE_SUFFIXES or kind in folders and path.suffix in YAML_SUFFIXES):
            report.warning(Mark(rel), f"not read: articles go in facts/{SOURCES}/*.txt, records in "
                                      f"facts/{{{','.join(k.folder for k in RECORD_KINDS)}}}/*.yml")
            continue
        sig = None
        if since is not None:
            try:
                sig = signature(path, since)
            except OSError:  # gone meanwhile: read_bytes says so
                pass
            if (hit := cache.unchanged(rel, sig)) is not None:
                out.append(FileRead(rel, kind, hit[0], valid=hit[1]))
                continue
        data = read_bytes(path, root, report)
        if data is None:
            continue
        key, valid = cache.lookup(rel, kind, data, sig) if cache is not None else (b"", None)
        if valid is not None:
            out.append(FileRead(rel, kind, key, valid=valid))
        else:
            out.append(FileRead(rel, kind, key, data=data))
    return out


def parse_file(rel: str, kind: str, data: bytes, key: bytes = b"") -> FileRead:
    """One file's bytes -> its parsed YAML (and an article's text), or its problems."""
    f = FileRead(rel, kind, key)
    text, problem = decode(data, rel)
    if problem:
        f.problems.append(problem)
    elif kind == SOURCES:
        _parse_source(f, text)
    else:
        _parse_records(f, text)
    return f


def _parse_records(f: FileRead, text: str) -> None:
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        f.problems.append(warning(Mark(f.path), f"is empty: add a YAML list of {f.kind} or delete the file"))
        return
    try:
        doc = parse_yaml(text, 0, f.path)
    except YamlProblem as p:
        f.problems.append(error(Mark(f.path, p.line, p.col), p.message))
        return
    if not isinstance(doc.value, list):
        f.problems.append(error(doc.mark(), f"expected a YAML list of {f.kind} (each item starting with '- id: ...')"))
        return
    f.doc = doc


def _parse_source(f: FileRead, text: str) -> None:
    parts = split_front_matter(text)
    if parts is None:
        f.problems.append(error(Mark(f.path, 1, 1), "an article file starts with YAML front matter between two '---' "
                                                    "lines, then the verbatim text"))
        return
    front_text, body, body_line = parts
    try:
        front = parse_yaml(front_text, 1, f.path)
    except YamlProblem as p:
        f.problems.append(error(Mark(f.path, p.line, p.col), p.message))
        return
    if not isinstance(front.value, dict):
        f.problems.append(error(Mark(f.path, 2, 1), "the front matter must be a YAML mapping (id: ..., title: ...)"))
        return
    if not body.strip():
        f.problems.append(error(Mark(f.path, body_line, 1), "the article text is missing after the front matter"))
        return
    f.doc, f.text, f.text_line = front, body, body_line
