"""The engine's pipeline, declared once: read -> validate -> resolve -> checks -> a frozen Corpus.

Each phase is a function of the previous phase's output; problems go to one Report, so a run finds every problem of
the input at once. The CLI's `check`, the engine (build and serve, through the MkDocs plugin) and the benchmark all
call `run`; the benchmark times each step through `on_step`.

What a run may reuse from earlier ones is in a Memo (the engine holds one): the file cache (filecache.py: each file
as validated, keyed by its content, in memory and on disk) and, under `serve`, the located citations and each
fact's checks (resolve.py, checks.FactCheck), which are redone only for the facts that changed or whose inputs did.
A run with a memo gives what a run without one gives (tests/test_incremental_pipeline.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import checks
from .corpus import Corpus
from .diagnostics import Diagnostic, Report
from .drafts import leave_out
from .filecache import FileCache, FileStore
from .loader import gc_paused, load_files
from .options import Options
from .resolve import resolve
from .validate import validate

# The checks, in the order they run. Each returns its problems (Diagnostic) and data-quality findings (Finding).
CHECKS = (
    checks.check_regions,
    checks.check_aliases,
    checks.check_references,
    checks.check_figures,
    checks.check_relative_dates,
    checks.check_arithmetic,
    checks.check_corroboration,
    checks.check_coverage,
    checks.check_charts,
    checks.check_drafts,
)
# The checks that read a fact alone: run file by file in validation (one process per core), their outcome kept by
# the file cache.
ALONE = tuple(c for c in CHECKS if isinstance(c, checks.FactCheck) and c.alone)


@dataclass(frozen=True)
class Step:
    """One step of the pipeline as the benchmark names it: a phase or a check."""

    name: str
    what: str


STEPS = (Step("read", "loader.load_files: files -> their bytes (or, from the file cache, validated)"),
         Step("validate", "validate.validate: YAML with positions, then models (files not in the cache; one process "
                          "per core), duplicates"),
         Step("resolve", "resolve.resolve: citations located, coverage"),
         *(Step(c.__name__, f"checks.{c.__name__}") for c in CHECKS),
         Step("corpus", "drafts.leave_out + Corpus: indexes"))


class Memo:
    """What runs of the pipeline reuse (see the module): `files`, the file cache; with `keep` (serve), the last run's
    located citations and per-fact checks too."""

    def __init__(self, files: FileCache | None = None, keep: bool = False):
        self.files = files
        self.keep = keep
        self.resolved: dict = {}
        self.checked: dict[str, dict] = {}

    @classmethod
    def of(cls, root: Path, keep: bool = False, disk: bool = True) -> "Memo":
        """A memo for the repository at root: the file cache on disk (`disk`), in memory too with `keep`."""
        return cls(FileCache(FileStore(root) if disk else None, keep=keep), keep=keep)


def _known(valid) -> dict[str, dict]:
    """Check name -> fact id -> (record, outcome): what validation found of the `alone` checks, file by file."""
    out: dict[str, dict] = {}
    for v in valid:
        for name, per_record in v.found.items():
            known = out.setdefault(name, {})
            for (record, _), found in zip(v.records, per_record):
                known.setdefault(record.id, (record, found))
    return out


def run(root: Path, options: Options, memo: Memo | None = None,
        on_step: Callable[[str, str], None] | None = None) -> tuple[Corpus, Report]:
    """The corpus of the files under root/facts and every problem found in them. `memo`: what earlier runs left to
    reuse (see Memo; none: everything is read and checked). `on_step(name, "start"|"end")` is told when each step
    starts and ends (benchmark timing)."""
    report = Report()
    step = on_step or (lambda name, when: None)
    files = memo.files if memo else None
    keep = memo is not None and memo.keep

    def timed(name: str, fn, *args):
        step(name, "start")
        out = fn(*args)
        step(name, "end")
        return out

    with gc_paused(promote=not keep):  # see gc_paused: millions of small objects and no cycles
        raw = timed("read", load_files, root, report, files)
        # the checks that read a fact alone run with each file's validation, on every core, cache or no cache
        records, valid = timed("validate", validate, root, raw, report, files, ALONE, options.processes or None)
        del raw
        if files is not None:
            files.finished()
        # the facts of the files the last run had (the same objects) are in the checks' memo already
        known = _known([v for v in valid if v.path not in files.reused] if keep and files is not None else valid)
        del valid
        records = timed("resolve", resolve, records, report, memo.resolved if keep else None)
        findings = []
        for check in CHECKS:
            if isinstance(check, checks.FactCheck):
                found = timed(check.__name__, check, records, options,
                              memo.checked.setdefault(check.__name__, {}) if keep else None, known.get(check.__name__))
            else:
                found = timed(check.__name__, check, records, options)
            for item in found:
                (report.items if isinstance(item, Diagnostic) else findings).append(item)
        step("corpus", "start")
        left_out = {}
        if not options.drafts:
            records, findings, left_out = leave_out(records, findings)
        corpus = Corpus.of(records, findings, left_out)
        step("corpus", "end")
    return corpus, report
