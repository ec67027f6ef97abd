"""The engine's pipeline, declared once: read -> validate -> resolve -> checks -> a frozen Corpus.

Each phase is a function of the previous phase's output; problems go to one Report, so a run finds every problem of
the input at once. The CLI's `check`, the engine (build and serve, through the MkDocs plugin) and the benchmark all
call `run`; the benchmark times each step through `on_step`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import checks
from .corpus import Corpus
from .diagnostics import Diagnostic, Report
from .drafts import leave_out
from .loader import ParseCache, gc_paused, load_files
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


@dataclass(frozen=True)
class Step:
    """One step of the pipeline as the benchmark names it: a phase or a check."""

    name: str
    what: str


STEPS = (Step("read", "loader.load_files: files -> YAML with positions"),
         Step("validate", "validate.validate: models, duplicates"),
         Step("resolve", "resolve.resolve: citations located, coverage"),
         *(Step(c.__name__, f"checks.{c.__name__}") for c in CHECKS),
         Step("corpus", "drafts.leave_out + Corpus: indexes"))


def run(root: Path, options: Options, cache: ParseCache | None = None,
        on_step: Callable[[str, str], None] | None = None) -> tuple[Corpus, Report]:
    """The corpus of the files under root/facts and every problem found in them. `cache`: parsed files kept between
    runs (serve). `on_step(name, "start"|"end")` is told when each step starts and ends (benchmark timing)."""
    report = Report()
    step = on_step or (lambda name, when: None)

    def timed(name: str, fn, *args):
        step(name, "start")
        out = fn(*args)
        step(name, "end")
        return out

    with gc_paused():  # see gc_paused: millions of small objects and no cycles
        raw = timed("read", load_files, root, report, cache)
        records = timed("validate", validate, root, raw, report)
        records = timed("resolve", resolve, records, report)
        findings = []
        for check in CHECKS:
            for item in timed(check.__name__, check, records, options):
                (report.items if isinstance(item, Diagnostic) else findings).append(item)
        step("corpus", "start")
        left_out = {}
        if not options.drafts:
            records, findings, left_out = leave_out(records, findings)
        corpus = Corpus.of(records, findings, left_out)
        step("corpus", "end")
    return corpus, report
