"""Read the files under facts/ safely and keep the file:line:col of every YAML node.

Safety rules: files larger than MAX_BYTES are refused, links pointing outside the repository are never followed,
bytes must be UTF-8 (a BOM and CRLF are accepted), YAML tags beyond the plain types are rejected, and anchors and
aliases are refused outright, which also stops alias-expansion bombs before they expand.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Mark, Report, relpath

try:  # libyaml is several times faster; same node tree and marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_BYTES = 2 * 1024 * 1024
RECORD_DIRS = ("regions", "topics", "glossary", "facts", "charts")
YAML_SUFFIXES = (".yml", ".yaml")
SOURCE_SUFFIXES = (".txt", ".md")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
_constructor = yaml.constructor.SafeConstructor()

Path_ = tuple  # a path inside a YAML document: keys and list indexes


@dataclass
class Located:
    """A YAML value with the position of each node inside it, by path."""

    value: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)

    def mark(self, *path) -> Mark:
        """Position of the value at `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, Mark("?"))

    def key_mark(self, *path) -> Mark:
        return self.key_marks.get(tuple(path)) or self.mark(*path)

    def items(self) -> list["Located"]:
        """One Located per item of a list document, its paths relative to the item (one pass over the marks)."""
        out = [Located(v) for v in self.value]
        for marks, attr in ((self.marks, "marks"), (self.key_marks, "key_marks")):
            for path, mark in marks.items():
                if path and isinstance(path[0], int):
                    getattr(out[path[0]], attr)[path[1:]] = mark
        return out


@dataclass
class SourceFile:
    path: str
    front: Located | None
    text: str
    text_line: int  # line of the file on which the article text starts


@dataclass
class RawFiles:
    records: dict[str, list[tuple[str, Located]]]  # dir name -> [(path, list document)]
    sources: list[SourceFile]


class YamlProblem(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def read_text(path: Path, root: Path, report: Report) -> str | None:
    """Bytes -> str with the safety rules; None (and a diagnostic) when the file cannot be used."""
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
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(Mark(rel, line, col), f"is not UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}; save the file as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, line_offset: int = 0, path: str = "?") -> Located:
    """Compose the YAML text and build plain values, keeping every node's mark. Raises YamlProblem."""
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
    located = Located(None)
    seen: set[int] = set()

    def mark(n) -> Mark:
        return Mark(path, n.start_mark.line + 1 + line_offset, n.start_mark.column + 1)

    def build(n, at: tuple):
        if id(n) in seen:
            raise YamlProblem(mark(n).line, mark(n).col, "YAML anchors and aliases (&name, *name) are not supported: write the value out")
        seen.add(id(n))
        located.marks[at] = mark(n)
        if isinstance(n, yaml.MappingNode):
            if n.tag != "tag:yaml.org,2002:map":
                raise YamlProblem(mark(n).line, mark(n).col, f"YAML tag {n.tag} is not allowed")
            out: dict = {}
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlProblem(mark(key_node).line, mark(key_node).col, "keys must be plain words (no merge keys or complex keys)")
                key = str(build(key_node, at + ("<key>",)))
                if key in out:
                    first = located.key_marks[at + (key,)]
                    raise YamlProblem(mark(key_node).line, mark(key_node).col,
                                      f"duplicate key '{key}' (first at line {first.line}): YAML would silently keep only the last one; remove or rename one")
                located.key_marks[at + (key,)] = mark(key_node)
                out[key] = build(value_node, at + (key,))
            return out
        if isinstance(n, yaml.SequenceNode):
            if n.tag != "tag:yaml.org,2002:seq":
                raise YamlProblem(mark(n).line, mark(n).col, f"YAML tag {n.tag} is not allowed")
            return [build(item, at + (i,)) for i, item in enumerate(n.value)]
        if n.tag not in _PLAIN_TAGS:
            raise YamlProblem(mark(n).line, mark(n).col, f"YAML tag {n.tag} is not allowed: only plain text, numbers, true/false and null")
        if n.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
            return n.value  # dates stay text: the model checks them
        return _constructor.construct_object(n)

    located.value = None if node is None else build(node, ())
    located.marks.pop(("<key>",), None)
    return located


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


def load_files(root: Path, report: Report) -> RawFiles:
    facts_dir = root / "facts"
    raw = RawFiles({d: [] for d in RECORD_DIRS}, [])
    if not facts_dir.is_dir():
        report.error(Mark("facts"), "folder not found: run the command from the repository root")
        return raw
    for path in _walk(root, facts_dir, report):
        rel = relpath(path, root)
        parts = path.relative_to(facts_dir).parts
        if path.name.startswith(".") or path.name.lower().startswith("readme"):
            continue
        kind = parts[0] if len(parts) > 1 else None
        if kind == "sources" and path.suffix in SOURCE_SUFFIXES:
            _load_source(path, rel, root, raw, report)
        elif kind in RECORD_DIRS and path.suffix in YAML_SUFFIXES:
            _load_records(path, rel, kind, root, raw, report)
        else:
            report.warning(Mark(rel), "not read: articles go in facts/sources/*.txt, records in facts/{regions,topics,glossary,facts,charts}/*.yml")
    return raw


def _load_records(path: Path, rel: str, kind: str, root: Path, raw: RawFiles, report: Report) -> None:
    text = read_text(path, root, report)
    if text is None:
        return
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        report.warning(Mark(rel), f"is empty: add a YAML list of {kind} or delete the file")
        return
    try:
        doc = parse_yaml(text, 0, rel)
    except YamlProblem as p:
        report.error(Mark(rel, p.line, p.col), p.message)
        return
    if not isinstance(doc.value, list):
        report.error(doc.mark(), f"expected a YAML list of {kind} (each item starting with '- id: ...')")
        return
    raw.records[kind].append((rel, doc))


def _load_source(path: Path, rel: str, root: Path, raw: RawFiles, report: Report) -> None:
    text = read_text(path, root, report)
    if text is None:
        return
    parts = split_front_matter(text)
    if parts is None:
        report.error(Mark(rel, 1, 1), "an article file starts with YAML front matter between two '---' lines, then the verbatim text")
        return
    front_text, body, body_line = parts
    try:
        front = parse_yaml(front_text, 1, rel)
    except YamlProblem as p:
        report.error(Mark(rel, p.line, p.col), p.message)
        return
    if not isinstance(front.value, dict):
        report.error(Mark(rel, 2, 1), "the front matter must be a YAML mapping (id: ..., title: ...)")
        return
    if not body.strip():
        report.error(Mark(rel, body_line, 1), "the article text is missing after the front matter")
        return
    raw.sources.append(SourceFile(rel, front, body, body_line))
