"""The file cache: each file under facts/ as validated (validate.ValidFile), keyed by its content, so that a file is
parsed and validated once, not on every build.

Two levels, asked in this order:

- in memory, for the successive runs of one process (a rebuild under `serve`: the engine holds one FileCache): a
  file whose bytes are those of the last run gives back the very same ValidFile, whose records the incremental steps
  after it (resolve, checks, the page cache) recognise by identity; a file whose signature (loader.signature: inode,
  size, modification and change times) is the one it had when last read is not even read again;
- on disk, under `.briefing-cache/files/`, between processes (a `build` after another, `check`, CI with the folder
  kept). Never trusted blindly: an entry is found only by the hash of the engine's version (its source files and the
  versions of the libraries whose output it keeps), the file's path and its exact bytes, so a changed file or engine
  never finds an old entry; an entry carries the hash of its payload and is dropped (and deleted) when it does not
  match or does not load. Writes are atomic (a temporary file renamed over), so two builds at once never see half an
  entry; the folder is safe to delete at any time; when it grows over `max_bytes`, the entries used least recently
  go first (every hit touches its entry).

A build with or without the cache gives byte-identical output: an entry holds exactly what validating the file gives
(tests/test_filecache.py).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import platform
import sys
import tempfile
from pathlib import Path

from .validate import ValidFile

CACHE_DIR = ".briefing-cache"
FOLDER = "files"
MAGIC = b"briefing-filecache 1\n"
MAX_BYTES = 512 * 2**20  # the whole folder, every engine version together


def engine_version() -> str:
    """A hash of what an entry's content depends on besides the file: the engine's code (every module of the
    package: a change anywhere may change what validation makes of a file) and the libraries that parse and
    validate (their versions)."""
    import pydantic
    import pydantic_core
    import yaml

    h = hashlib.blake2b(digest_size=12)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(" ".join([sys.version, platform.machine(), pydantic.VERSION, pydantic_core.__version__, yaml.__version__,
                       str(getattr(yaml, "__with_libyaml__", ""))]).encode())
    return h.hexdigest()


def _digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.digest()


class FileStore:
    """The cache on disk: one file per entry, `.briefing-cache/files/<engine version>/<key>.pickle`."""

    def __init__(self, root: Path, version: str | None = None, max_bytes: int = MAX_BYTES):
        self.top = root / CACHE_DIR / FOLDER
        self.version = version or engine_version()
        self.folder = self.top / self.version
        self.max_bytes = max_bytes
        self.written = 0  # entries written since the last prune (by this process or, for it, by its forks)
        self.hits = self.misses = 0

    def _path(self, key: bytes) -> Path:
        return self.folder / f"{key.hex()}.pickle"

    def get(self, key: bytes):
        """The entry's object, or None when there is none or it is damaged (then it is deleted)."""
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            self.misses += 1
            return None
        head = len(MAGIC)
        try:
            if data[:head] != MAGIC or data[head:head + 20] != key or data[head + 20:head + 40] != _digest(data[head + 40:]):
                raise ValueError("damaged entry")
            value = pickle.loads(data[head + 40:])
        except Exception:  # noqa: BLE001 - whatever a damaged entry raises, it is only a miss
            self.misses += 1
            try:
                path.unlink()
            except OSError:
                pass
            return None
        try:
            os.utime(path)  # used: the last to be pruned
        except OSError:
            pass
        self.hits += 1
        return value

    def put(self, key: bytes, value) -> None:
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except pickle.PicklingError:
            return
        if self.write(key, payload):
            self.written += 1

    def write(self, key: bytes, payload: bytes) -> bool:
        """Write an entry whose object is pickled already (payload), from any process; whether it was written (`put`
        counts it in `written`; an entry written by another process is counted by FileCache.store, which cannot
        tell whether that write succeeded: a failed one only makes the next prune look at the folder for nothing)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(MAGIC + key + _digest(payload) + payload)
                os.replace(tmp, self._path(key))  # atomic: a reader sees the old entry, the new one or none
            except BaseException:
                os.unlink(tmp)
                raise
            return True
        except OSError:
            return False  # a read-only checkout or a full disk: no cache, the next build validates again

    def prune(self) -> None:
        """Keep the folder under max_bytes: the entries used least recently (any engine version) are deleted first;
        temporary files left by a killed build go too."""
        if not self.written:
            return
        self.written = 0
        entries = []
        try:
            for folder in self.top.iterdir():
                for entry in os.scandir(folder):
                    st = entry.stat()
                    entries.append((st.st_mtime_ns, st.st_size, entry.path, entry.name.startswith(".tmp-")))
        except OSError:
            return
        total = sum(size for _, size, _, _ in entries)
        for mtime, size, path, tmp in sorted(entries):
            if total <= self.max_bytes and not tmp:
                continue
            try:
                os.unlink(path)
                total -= size
            except OSError:
                pass
        for folder in self.top.iterdir():
            try:
                folder.rmdir()  # only when empty
            except OSError:
                pass


class FileCache:
    """The two levels (see the module): `lookup` a file's bytes, `store` what validating them gave, `finished` once
    a run has read every file. `keep`: hold the last run's files in memory (serve); `store`: the disk level, or
    None."""

    def __init__(self, store: FileStore | None = None, keep: bool = False):
        self.disk = store
        self.keep = keep
        # path -> (its bytes, key, ValidFile, its signature when read: `loader.signature`)
        self._last: dict[str, tuple[bytes, bytes, object, tuple | None]] = {}
        self._now: dict[str, tuple[bytes, bytes, object, tuple | None]] = {}
        # key -> (path, bytes, signature) of the files looked up and not found
        self._data: dict[bytes, tuple[str, bytes, tuple | None]] = {}
        self.reused: set[str] = set()  # the files of this run that are the last run's (the same ValidFile)

    def key(self, path: str, kind: str, data: bytes) -> bytes:
        version = self.disk.version if self.disk else ""
        return _digest(version.encode(), kind.encode(), path.encode(), data)

    def _reuse(self, path: str, entry: tuple) -> tuple[bytes, object]:
        """The last run's file at `path` is this run's too (`entry`: as this run keeps it): (key, ValidFile)."""
        self._now[path] = entry
        self.reused.add(path)
        return entry[1], entry[2]

    def _start(self) -> None:
        """The first file asked for in a run (`unchanged` or `lookup`): none of this run's files is reused yet."""
        if not self._now:
            self.reused = set()

    def unchanged(self, path: str, sig: tuple | None) -> tuple[bytes, object] | None:
        """(key, ValidFile) of the last run's file at `path` when its signature (`loader.signature`) is the one it had
        then: under serve a file left alone is not read again. None: read it (and `lookup` its bytes)."""
        self._start()
        last = self._last.get(path) if self.keep and sig is not None else None
        if last is None or last[3] != sig:
            return None
        return self._reuse(path, last)

    def lookup(self, path: str, kind: str, data: bytes, sig: tuple | None = None) -> tuple[bytes, object | None]:
        """(the file's key, its ValidFile or None); `sig`: the file's signature, taken before its bytes were read."""
        self._start()
        if self.keep:
            last = self._last.get(path)
            if last is not None and last[0] == data:
                return self._reuse(path, (*last[:3], sig))
        key = self.key(path, kind, data)
        valid = None
        packed = self.disk.get(key) if self.disk else None
        if packed is not None:
            try:
                valid = ValidFile.unpacked(packed)
            except (TypeError, ValueError):  # not what this engine packs: a damaged entry
                valid = None
        if valid is not None:
            if self.keep:
                self._now[path] = (data, key, valid, sig)
            return key, valid
        if self.keep:
            self._data[key] = (path, data, sig)
        return key, None

    @property
    def saves(self) -> bool:
        """Whether entries go to disk (`save`)."""
        return self.disk is not None

    def save(self, key: bytes, payload: bytes) -> None:
        """Write a file's entry to disk (its ValidFile.packed(), pickled): safe from any process (FileStore.write);
        the run's `store` of the file then says so (saved=True)."""
        if self.disk:
            self.disk.write(key, payload)

    def store(self, key: bytes, valid: ValidFile, packed: tuple | None = None, saved: bool = False) -> None:
        """Keep what validating a file gave (`packed`: its ValidFile.packed(), when `valid` was unpacked from it;
        `saved`: its entry is on disk already, written by `save` in whatever process validated it)."""
        if self.disk:
            if saved:
                self.disk.written += 1  # for prune, whichever process wrote it (or tried: see FileStore.write)
            else:
                self.disk.put(key, packed if packed is not None else valid.packed())
        if self.keep and key in self._data:
            path, data, sig = self._data.pop(key)
            self._now[path] = (data, key, valid, sig)

    def finished(self) -> None:
        """A run has read and validated every file: forget the files it did not read; keep the disk bounded."""
        if self.keep:
            self._last, self._now, self._data = self._now, {}, {}
        if self.disk:
            self.disk.prune()
