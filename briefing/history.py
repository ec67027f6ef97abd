"""Every fact's history, read from the commits that touched facts/facts/ (git), classified per fact id.

A fact is *added* when it is first published (the first commit where it exists without `status: draft`), *removed*
when it disappears or turns back into a draft; in between, each commit that changes it is one change of the first
kind that applies: a figure corrected (value, unit or qualifier), its quote or citation changed, its kind, date,
places or topics changed, or its wording only. Dates are the commits' (committer dates, UTC), never the clock.

Only the mainline is walked (`--first-parent`; a merge counts as one change, on the day it was merged), and only the
blobs a commit changed are read (`git log --raw`, `git cat-file --batch`); within a changed file only the items
whose text changed are parsed again. Old files are parsed with the engine's safe YAML loader and validated with the
current model; a file or item that no longer parses or validates is skipped (its facts keep their last good state).

The result is cached in .briefing-cache/ under the commit it describes and a digest of this engine (this module and
the models): a build at the same commit reads it back, a build after new commits replays only those, anything else
(history rewritten, a newer engine, a damaged file) computes everything again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from .loader import YamlProblem, gc_paused, parse_yaml
from .models import Fact

FACTS = "facts/facts"
CACHE_DIR = ".briefing-cache"
ENGINE = hashlib.blake2b(b"".join(p.read_bytes() for p in (Path(__file__), Path(__file__).with_name("models.py"))),
                         digest_size=8).hexdigest()  # any change to this module or the models recomputes the history

# Change kinds, in the order that decides a change's kind when several apply
ADDED, CORRECTED, CITATION, DETAILS, WORDING, REMOVED = "added", "corrected", "citation", "details", "wording", "removed"


@dataclass(frozen=True)
class Change:
    fact: str
    kind: str  # added | corrected | citation | details | wording | removed
    commit: str
    time: int  # the commit's committer date, seconds since the epoch
    claim: str  # as published after the change (before it, for a removal)
    regions: tuple[str, ...]
    topics: tuple[str, ...]
    figures: tuple[tuple, ...] = ()  # (label, value, unit, qualifier) as published after the change (before: removal)
    before: tuple[tuple, ...] = ()  # a correction: the figures before it

    @cached_property  # works on a frozen dataclass: it writes the instance's __dict__ directly
    def day(self) -> str:
        return self.stamp[:10]

    @cached_property
    def stamp(self) -> str:
        return dt.datetime.fromtimestamp(self.time, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class History:
    """Changes oldest first. `available` is False without git (or with a shallow clone); `note` says why."""

    available: bool = False
    note: str | None = None
    head: str = ""
    changes: list[Change] = field(default_factory=list)

    def __post_init__(self):
        self.of: dict[str, list[Change]] = {}
        for c in self.changes:
            self.of.setdefault(c.fact, []).append(c)

    def first_published(self, fid: str) -> str | None:
        return next((c.day for c in self.of.get(fid, []) if c.kind == ADDED), None)

    def last_changed(self, fid: str) -> str | None:
        changes = self.of.get(fid)
        return changes[-1].day if changes else None


def unavailable(note: str) -> History:
    return History(available=False, note=f"history unavailable: {note}; pages show no publication dates")


# -- reading git ------------------------------------------------------------------------------------------------

GIT_TIMEOUT = 300  # seconds for one git command: 1,000 commits over 100x the corpus take a few


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """One git command; OSError when it cannot run or hangs. Never asks anything: no terminal prompt, and no object
    fetched over the network in a partial clone (the build stays offline)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {
        "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1"}
    try:
        return subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, env=env, timeout=GIT_TIMEOUT,
                              stdin=None if stdin is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise OSError(f"`git {args[0]}` took more than {GIT_TIMEOUT} s") from None


def _log(root: Path, since: str | None, head: str) -> list[tuple[str, int, list[tuple[str, str, str]]]]:
    """[(commit, time, [(path, old blob, new blob; '' when none)])], oldest first: the mainline commits touching FACTS."""
    span = f"{since}..{head}" if since else head
    out = _git(root, "log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--raw", "--no-abbrev",
               "--no-renames", "-z", "--format=%x01%H %ct", span, "--", FACTS)
    if out.returncode:
        raise OSError(out.stderr.decode(errors="replace").strip())
    commits = []
    for chunk in out.stdout.decode("utf-8", errors="surrogateescape").split("\x01")[1:]:
        header, _, raw = chunk.partition("\0")
        sha, ctime = header.split()
        parts = raw.lstrip("\n").split("\0")
        changed = []
        for meta, path in zip(parts[0::2], parts[1::2]):
            fields = meta.split()
            if path.endswith((".yml", ".yaml")) and len(fields) >= 5:
                changed.append((path, fields[2].strip("0") and fields[2], fields[3].strip("0") and fields[3]))
        commits.append((sha, int(ctime), changed))
    return commits


def _blobs(root: Path, shas: list[str]) -> dict[str, str]:
    """Blob texts by hash, read by one `git cat-file --batch`."""
    if not shas:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(s + "\n" for s in shas).encode())
    if out.returncode:
        raise OSError(out.stderr.decode(errors="replace").strip())
    data, texts, pos = out.stdout, {}, 0
    while pos < len(data):
        end = data.index(b"\n", pos)
        head = data[pos:end].split()
        pos = end + 1
        if len(head) < 3 or head[1] != b"blob":  # a partial clone: a history without these files' texts is wrong
            raise OSError(f"object {head[0].decode(errors='replace') if head else '?'} is missing from the repository")
        size = int(head[2])
        texts[head[0].decode()] = _text(data[pos:pos + size])
        pos += size + 1
    return texts


def _text(data: bytes) -> str:
    """As the engine reads a file (loader.read_text): a BOM dropped, line ends made \\n."""
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


# -- fact summaries: what a change is decided on ------------------------------------------------------------------

def summary(f: Fact) -> tuple:
    """(claim, kind, date, regions, topics, figures, citations, (note, quality, figure labels and metrics), draft)"""
    return (f.claim, f.kind.value, f.date, tuple(f.regions), tuple(f.topics),
            tuple((g.label, g.value, g.unit, g.qualifier) for g in f.figures),
            tuple((c.source, c.quote) for c in f.citations),
            (f.note, f.quality, tuple((g.label, g.metric) for g in f.figures)), f.status == "draft")


def classify(before: tuple, after: tuple) -> str | None:
    """The kind of change between two published versions of a fact; None when nothing a reader sees changed."""
    if [g[1:] for g in before[5]] != [g[1:] for g in after[5]]:
        return CORRECTED
    if before[6] != after[6]:
        return CITATION
    if before[1:5] != after[1:5]:
        return DETAILS
    if before[0] != after[0] or before[7] != after[7]:
        return WORDING
    return None


def _items(text: str) -> list[str]:
    """The text of each top-level list item (a line starting with '- '), comments before the first dropped."""
    starts = [0] if text.startswith("- ") else []
    i = text.find("\n- ")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n- ", i + 1)
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def _parse_item(text: str) -> tuple[str | None, tuple | None]:
    """(id, summary) of one item's text; (id, None) when it does not validate, (None, None) when unusable."""
    try:
        value = parse_yaml(text).value
    except YamlProblem:
        return None, None
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], dict):
        return None, None
    fid = value[0].get("id")
    fid = fid if isinstance(fid, str) else None
    try:
        return fid, summary(Fact.model_validate(value[0]))
    except ValidationError:
        return fid, None


ID_LINE = re.compile(r"- id: *['\"]?([a-z0-9-]+)['\"]? *(?:#.*)?\n")


def known_items(root: Path, corpus, paths: set[str]) -> dict[str, tuple]:
    """{item text: (id, summary)} of these fact files in the working tree, from the facts the engine has just
    validated: most items of old commits are these very texts, and are then not parsed again."""
    out: dict[str, tuple] = {}
    seen: set[str] = set()
    for path in sorted({path for (kind, _), (path, _) in corpus.where.items() if kind == "facts"} & paths):
        try:
            items = _items(_text((root / path).read_bytes()))
        except OSError:
            continue
        for item in items:
            m = ID_LINE.match(item)
            fid = m.group(1) if m else None
            if fid in corpus.facts and fid not in seen and corpus.where[("facts", fid)][0] == path:
                seen.add(fid)
                out[item] = (fid, summary(corpus.facts[fid]))
    return out


class _Replay:
    """Applies commits one by one to the facts of the files they touch, noting each fact's changes. Fact ids are
    unique across files (the checks see to it): a fact's state is the one in the files a commit touches."""

    def __init__(self, items: dict[str, tuple]):
        self.items = items  # item text -> (id, summary): an item seen before is not parsed again
        self.files: dict[str, dict[str, tuple]] = {}  # path -> {fact id: summary}, as of the last good version
        self.changes: list[Change] = []

    def facts(self, text: str) -> dict[str, tuple] | None:
        """The facts of a file's text; None when no item of it is usable (skipped, not a removal of everything)."""
        facts: dict[str, tuple] = {}
        broken = []
        for item in _items(text):
            if item not in self.items:
                self.items[item] = _parse_item(item)
            fid, s = self.items[item]
            if fid is not None and fid not in facts:
                if s is None:
                    broken.append(fid)
                else:
                    facts[fid] = s
        if not facts and any(line.strip() and not line.startswith("#") for line in text.split("\n")):
            return None
        return facts | {"": tuple(broken)}  # broken items keep their last good state

    def apply(self, sha: str, ctime: int, changed: list[tuple[str, str, str]], texts: dict[str, str]) -> None:
        old_state: dict[str, tuple] = {}
        new_state: dict[str, tuple] = {}
        for path, old_blob, new_blob in sorted(changed, reverse=True):  # the first path wins a duplicate id
            if path not in self.files:  # first seen (an incremental replay): the version before the commit
                first = self.facts(texts.get(old_blob, "")) if old_blob else {}
                self.files[path] = {k: v for k, v in (first or {}).items() if k}
            old = self.files[path]
            new = self.facts(texts[new_blob]) if new_blob in texts else {} if not new_blob else None
            if new is None:
                continue  # unreadable or unparsable: skipped, its facts keep their state
            new = {k: v for k, v in new.items() if k} | {fid: old[fid] for fid in new.get("", ()) if fid in old}
            old_state.update((fid, s) for fid, s in old.items() if not s[8])
            new_state.update((fid, s) for fid, s in new.items() if not s[8])
            self.files[path] = new
        for fid in sorted(old_state.keys() | new_state.keys()):
            old, new = old_state.get(fid), new_state.get(fid)
            kind = ADDED if old is None else REMOVED if new is None else classify(old, new)
            if kind is None:
                continue
            shown = new if new is not None else old
            self.changes.append(Change(fid, kind, sha, ctime, shown[0], shown[3], shown[4], shown[5],
                                       old[5] if kind == CORRECTED else ()))


# -- the cache ----------------------------------------------------------------------------------------------------

def _cache_path(root: Path) -> Path:
    return root / CACHE_DIR / f"history-{ENGINE}.json"


def _read_cache(root: Path) -> tuple[str, list[Change]] | None:
    """(commit, its changes) from the cache, or None when there is none this engine wrote (computed again)."""
    try:
        data = json.loads(_cache_path(root).read_text(encoding="utf-8"))
        if data["engine"] != ENGINE or not isinstance(data["head"], str):
            return None
        commits = data["commits"]
        changes = [Change(fid, kind, commits[n][0], commits[n][1], claim, tuple(regions), tuple(topics),
                          tuple(map(tuple, figures)), tuple(map(tuple, before)))
                   for fid, kind, n, claim, regions, topics, figures, before in data["changes"]]
        return data["head"], changes
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None


def _write_cache(root: Path, head: str, changes: list[Change]) -> None:
    folder = root / CACHE_DIR
    commits: dict[str, int] = {}
    for c in changes:
        commits.setdefault(c.commit, len(commits))
    times = {c.commit: c.time for c in changes}
    try:
        folder.mkdir(exist_ok=True)
        for old in folder.glob("history-*.json"):
            if old.name != _cache_path(root).name:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".history-", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:  # dumps: json.dump's encoder is the slow pure-Python one
            f.write(json.dumps({"engine": ENGINE, "head": head, "commits": [[sha, times[sha]] for sha in commits],
                                "changes": [[c.fact, c.kind, commits[c.commit], c.claim, c.regions, c.topics, c.figures,
                                             c.before] for c in changes]}, ensure_ascii=False, separators=(",", ":")))
        os.replace(tmp, _cache_path(root))  # atomic: two builds at once never read half a file
    except OSError:
        pass  # a read-only checkout: no cache, the next build computes again


def _continues(root: Path, cached: str, head: str) -> bool:
    """True when `head` is `cached` plus commits on the mainline (the cached state can be replayed forward)."""
    out = _git(root, "rev-list", "--first-parent", "--parents", f"{cached}..{head}")
    lines = [ln for ln in out.stdout.decode().split("\n") if ln] if out.returncode == 0 else []
    return bool(lines) and lines[-1].split()[1:2] == [cached]


# -- entry point --------------------------------------------------------------------------------------------------

@gc_paused()  # tens of thousands of small objects and no cycles: the collector's passes over the corpus cost seconds
def load(root: Path, corpus=None, last: History | None = None) -> History:
    """The history of root's facts at its HEAD commit. `corpus`: the working tree's, validated (its fact files'
    items need no parsing when old commits hold the same text); `last` is reused when HEAD has not moved."""
    if shutil.which("git") is None:
        return unavailable("git is not installed")
    try:
        probe = _git(root, "rev-parse", "--is-shallow-repository", "HEAD")
    except OSError as exc:
        return unavailable(f"git failed: {exc}")
    if probe.returncode:
        message = probe.stderr.decode(errors="replace").strip().splitlines()
        reason = "not a git repository" if not message or "not a git repository" in message[0] else message[0].removeprefix("fatal: ")
        return unavailable(reason)
    shallow, head = (probe.stdout.decode().split("\n") + ["", ""])[:2]
    if shallow == "true":
        return unavailable("this is a shallow clone; fetch the full history with `git fetch --unshallow`")
    if last is not None and last.available and last.head == head:
        return last
    cached = _read_cache(root)
    if cached and cached[0] == head:
        return History(True, None, head, cached[1])
    try:
        since = cached[0] if cached and _continues(root, cached[0], head) else None
        commits = _log(root, since, head)
        first_touch: dict[str, str] = {}
        for _, _, changed in commits:
            for path, old, _ in changed:
                first_touch.setdefault(path, old)
        wanted = {new for _, _, changed in commits for _, _, new in changed if new} | set(filter(None, first_touch.values()))
        texts = _blobs(root, sorted(wanted))
    except (OSError, ValueError) as exc:
        return unavailable(f"git failed: {exc}")
    replay = _Replay(known_items(root, corpus, set(first_touch)) if corpus is not None else {})
    for sha, ctime, changed in commits:
        replay.apply(sha, ctime, changed, texts)
    changes = (cached[1] if since else []) + replay.changes
    if not changes:
        return unavailable(f"no commit publishes a fact in {FACTS}/")
    _write_cache(root, head, changes)
    return History(True, None, head, changes)
