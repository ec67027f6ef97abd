"""The file cache on disk (briefing/filecache.py): a build with a warm cache is byte-identical to one without, and the
cache is never trusted blindly — a changed file, another engine version or a damaged entry is not used; the folder is
bounded and safe to delete."""
from __future__ import annotations

import os
import pickle
import shutil

from briefing import pipeline, validate
from briefing.engine import Engine
from briefing.filecache import CACHE_DIR, FOLDER, MAGIC, FileCache, FileStore
from briefing.options import Options

FACTS = "facts/facts/chinadaily-2023-01-13-tianjin-work-report.yml"


def _entries(repo):
    return sorted(p for p in (repo / CACHE_DIR / FOLDER).rglob("*.pickle"))


def _build(repo, disk: bool = True):
    state = Engine(repo, disk_cache=disk).refresh(Options())
    return state.pages, state.report.lines(), state.error.lines() if state.error else None


def _validated(monkeypatch) -> list[str]:
    """The paths of the files validated from here on (a file the cache knows comes validated)."""
    seen, real = [], validate.validate_file

    def counting(f, alone=()):
        if f.valid is None:
            seen.append(f.path)
        return real(f, alone)

    monkeypatch.setattr(validate, "validate_file", counting)
    return seen


def test_warm_build_is_byte_identical_and_validates_nothing(repo, monkeypatch):
    cold = _build(repo, disk=False)
    first = _build(repo)  # writes the cache
    assert _entries(repo), "the cache is written"
    validated = _validated(monkeypatch)
    warm = _build(repo)
    assert validated == []  # every file came from the cache
    assert cold == first == warm


def test_problems_are_the_same_from_the_cache(repo, monkeypatch):
    """Bad input reports every problem with its file:line:col, cold or warm (positions of cached records included)."""
    facts = repo / FACTS
    text = facts.read_text(encoding="utf-8")
    text = text.replace("value: 5080, unit: companies}", "value: 5081, unit: companies}", 1)  # not in its quote
    text = text.replace("regions: [baodi", "regions: [baodee", 1)  # an unknown region (checked across records)
    text = text.replace("  kind: result\n", "  kind: result\n  colour: red\n", 1)  # an unknown key
    facts.write_text(text, encoding="utf-8")
    (repo / "facts/facts/zz-broken.yml").write_text("- id: [unclosed\n", encoding="utf-8")  # YAML syntax
    (repo / "facts/facts/zz-dup.yml").write_text(  # a duplicate id, in another file
        "- id: baodi-three-industrial-clusters\n  claim: x\n  kind: event\n  regions: [baodi]\n  topics: [transport]\n"
        "  citations:\n    - {source: chinadaily-2023-01-13-tianjin-work-report, quote: Baodi}\n", encoding="utf-8")
    cold = _build(repo, disk=False)
    _build(repo)
    validated = _validated(monkeypatch)
    warm = _build(repo)
    assert validated == []
    assert cold == warm
    errors = "\n".join(warm[2])
    for expected in ("does not appear in the fact's quotes", "unknown region 'baodee'", "unknown key 'colour'",
                     "YAML syntax", "duplicate facts id"):
        assert expected in errors
    assert all(":0:0:" not in line for line in warm[2]), errors


def test_a_changed_file_is_read_again(repo, monkeypatch):
    _build(repo)
    facts = repo / FACTS
    facts.write_text(facts.read_text(encoding="utf-8").replace("Baodi expects three", "Baodi now expects three"),
                     encoding="utf-8")
    validated = _validated(monkeypatch)
    warm = _build(repo)
    assert validated == [FACTS]
    assert warm == _build(repo, disk=False)
    assert b"Baodi now expects three" in warm[0]["regions/baodi/index.md"]


def test_another_engine_version_never_reads_these_entries(repo):
    _build(repo)
    cache = FileCache(FileStore(repo, version="another-engine"))
    corpus, report = pipeline.run(repo, Options(), pipeline.Memo(cache))
    assert cache.disk.hits == 0 and cache.disk.misses > 0 and corpus.facts
    # and the version is the engine's code: a change to any module is another version
    from briefing import filecache
    assert filecache.engine_version() == FileStore(repo).version
    assert len({p.parent.name for p in _entries(repo)}) == 2  # one folder per version


def test_damaged_entries_are_dropped_and_the_build_is_still_right(repo, monkeypatch):
    expected = _build(repo, disk=False)
    _build(repo)
    entries = _entries(repo)
    for i, path in enumerate(entries):
        data = path.read_bytes()
        if i % 3 == 0:
            path.write_bytes(data[: len(data) // 2])  # truncated
        elif i % 3 == 1:
            path.write_bytes(data[:-10] + bytes(10))  # bytes changed: the payload's hash no longer matches
        else:  # well-formed, but not what this engine packs
            payload = pickle.dumps(("not", "a", "file"))
            from briefing.filecache import _digest
            key = data[len(MAGIC):len(MAGIC) + 20]
            path.write_bytes(MAGIC + key + _digest(payload) + payload)
    validated = _validated(monkeypatch)
    assert _build(repo) == expected
    assert len(validated) == len(entries)  # every damaged entry was validated again, none was used
    validated.clear()
    assert _build(repo) == expected and validated == []  # rewritten, good again


def test_the_cache_is_bounded_and_safe_to_delete(repo):
    _build(repo)
    entries = _entries(repo)
    total = sum(p.stat().st_size for p in entries)
    old = repo / CACHE_DIR / FOLDER / "an-old-engine"
    old.mkdir()
    (old / ".tmp-left-by-a-killed-build").write_bytes(b"x" * 100)
    (old / ("0" * 40 + ".pickle")).write_bytes(b"x" * 1000)
    os.utime(old / ("0" * 40 + ".pickle"), (1, 1))  # used long ago: pruned first
    shutil.rmtree(entries[0].parent)  # deleted: the next run writes it again
    store = FileStore(repo, max_bytes=total)
    corpus, report = pipeline.run(repo, Options(), pipeline.Memo(FileCache(store)))
    assert corpus.facts and not report.failed()
    assert _entries(repo) == entries  # all written again, none of them pruned
    assert not old.exists()  # the old entry and the temporary file pruned, the empty folder removed
    small = FileStore(repo, max_bytes=total // 2)
    shutil.rmtree(repo / CACHE_DIR / FOLDER)
    pipeline.run(repo, Options(), pipeline.Memo(FileCache(small)))
    assert 0 < sum(p.stat().st_size for p in _entries(repo)) <= total // 2
