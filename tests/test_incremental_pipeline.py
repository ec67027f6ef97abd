"""Under `serve` the pipeline reuses what did not change (pipeline.Memo: the file cache, the located citations, each
fact's checks): after every kind of edit — a fact, a region, a topic, a glossary term, a chart, an article's text or
date, a file added or removed, a broken edit then fixed — the served engine must report exactly the problems and
render exactly the pages a fresh engine (no memo, no cache on disk) gives; and an edit of one fact must read,
validate and check only what it touches."""
from __future__ import annotations

import os
import time

import pytest

from briefing import checks, loader, pipeline, validate
from briefing.engine import Engine
from briefing.options import Options

FACTS = "facts/facts/chinadaily-2023-01-13-tianjin-work-report.yml"
ARTICLE = "facts/sources/chinadaily-2023-01-13-tianjin-work-report.txt"
CHARTS = "facts/charts/investment.yml"
ADDED = "facts/facts/zz-added.yml"

ADDED_FACT = """- id: tianjin-added-for-the-test
  claim: Tianjin brought in 1,406 companies from Beijing.
  kind: result
  date: "2022"
  regions: [tianjin]
  topics: [relocation]
  figures:
    - {label: Companies, value: 1406, unit: companies, metric: zz-test-metric}
  citations:
    - source: chinadaily-2023-01-13-tianjin-work-report
      quote: 1,406 companies
"""

# (what the edit is, file, old text (None: append; "" with new None: delete the file), new text, broken?)
EDITS = [
    ("a claim", FACTS, "Baodi expects three industrial clusters", "Baodi now expects three clusters", False),
    ("a figure no longer in its quote", FACTS, "value: 5080, unit: companies}", "value: 5081, unit: companies}", True),
    ("the figure fixed", FACTS, "value: 5081, unit: companies}", "value: 5080, unit: companies}", False),
    ("a YAML syntax error", FACTS, "  claim: Baodi now", "  claim: [Baodi now", True),
    ("the syntax fixed", FACTS, "  claim: [Baodi now", "  claim: Baodi now", False),
    ("an unknown region", FACTS, "regions: [baodi", "regions: [baodee", True),
    ("the region fixed", FACTS, "regions: [baodee", "regions: [baodi", False),
    ("a region renamed", "facts/regions/core.yml", "name: Baodi\n", "name: Baodi District\n", False),
    ("a region made a draft", "facts/regions/core.yml", "name: Baodi District\n", "name: Baodi District\n  status: draft\n", True),
    ("the draft reviewed", "facts/regions/core.yml", "name: Baodi District\n  status: draft\n", "name: Baodi District\n", False),
    ("a topic renamed", "facts/topics/topics.yml", "name: Transport", "name: Transport and logistics", False),
    ("a glossary term", "facts/glossary/liaoning.yml", None,
     "\n- id: test-term\n  term: Zhongguancun\n  definition: A term added for the test.\n", False),
    ("a chart's bar label", CHARTS, 'label: "Cangzhou, to Oct 2022"', 'label: "Cangzhou, until Oct 2022"', False),
    ("a chart's bar on a missing figure", CHARTS, "figure: Beijing-Tianjin projects taken on by Cangzhou",
     "figure: Beijing-Tianjin projects taken by Cangzhou", True),
    ("the bar fixed", CHARTS, "figure: Beijing-Tianjin projects taken by Cangzhou",
     "figure: Beijing-Tianjin projects taken on by Cangzhou", False),
    ("an article's text: a number no fact quotes", ARTICLE, None, "\nIn 2099, 77 more companies came.\n", False),
    ("an article's date", ARTICLE, "published: 2023-01-13", "published: 2023-02-13", False),
    ("an article's text: a quoted passage changed", ARTICLE, "1,406 companies", "1,460 companies", True),
    ("the passage restored", ARTICLE, "1,460 companies", "1,406 companies", False),
    ("a fact file added", ADDED, None, ADDED_FACT, False),
    ("a conflicting metric", FACTS, "value: 5080, unit: companies}", "value: 5080, unit: companies, metric: zz-test-metric}",
     False),
    ("a duplicate id in the added file", ADDED, "id: tianjin-added-for-the-test",
     "id: baodi-three-industrial-clusters", True),
    ("the added file removed", ADDED, "", None, False),
]


def _apply(repo, path, old, new):
    f = repo / path
    if new is None:
        f.unlink()
    elif old is None:
        text = f.read_text(encoding="utf-8") if f.exists() else ""
        f.write_text(text.rstrip("\n") + "\n" + new if text else new, encoding="utf-8")
    else:
        text = f.read_text(encoding="utf-8")
        assert old in text, (path, old)
        f.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("drafts", [False, True], ids=["build", "serve"])
def test_served_engine_equals_a_fresh_one_after_every_kind_of_edit(repo, drafts):
    options = Options(drafts=drafts)
    served = Engine(repo, keep=True)  # as serve has it, with the file cache on disk too
    assert served.refresh(options).error is None
    for what, path, old, new, broken in EDITS:
        _apply(repo, path, old, new)
        state = served.refresh(options)
        fresh = Engine(repo, disk_cache=False).refresh(options)  # nothing reused
        assert (state.error is not None) == broken == (fresh.error is not None), (what, state.report.lines())
        assert state.report.lines() == fresh.report.lines(), what
        assert all(":0:0:" not in line for line in state.report.lines() if path.endswith(".yml")), what
        if not broken:
            assert state.pages.keys() == fresh.pages.keys(), what
            assert [src for src in fresh.pages if state.pages[src] != fresh.pages[src]] == [], what
            assert state.nav == fresh.nav, what
            assert state.corpus.findings == fresh.corpus.findings, what


def test_one_fact_edit_reads_validates_and_checks_only_its_file(repo, monkeypatch):
    options = Options(drafts=True)
    served = Engine(repo, keep=True)
    served.refresh(options)
    validated, checked = [], []
    real_validate = validate.validate_file

    def validate_file(f, alone=()):
        if f.valid is None:  # a file from the cache comes validated
            validated.append(f.path)
        return real_validate(f, alone)

    monkeypatch.setattr(validate, "validate_file", validate_file)
    for check in (checks.check_figures, checks.check_references):
        real = check.one
        monkeypatch.setattr(check, "one", lambda r, fact, o, real=real, name=check.__name__: checked.append((name, fact.id))
                            or real(r, fact, o))
    _apply(repo, FACTS, None, "\n" + ADDED_FACT.replace("- id: tianjin-added-for-the-test", "- id: zz-one-more"))
    state = served.refresh(options)
    assert state.error is None and "zz-one-more" in state.corpus.facts
    assert validated == [FACTS]  # the other files are the last run's, as they were
    in_file = {record.id for record, _ in served.memo.files._last[FACTS][2].records}  # the edited file's facts
    assert {fid for name, fid in checked if name == "check_figures"} == in_file  # checked while validating its file
    assert {fid for name, fid in checked if name == "check_references"} == in_file  # only the edited file's facts
    assert len(in_file) < len(state.corpus.facts) / 4



def _reads(monkeypatch) -> list[str]:
    """The files loader.read_bytes reads from now on (repository-relative)."""
    read, real = [], loader.read_bytes

    def read_bytes(path, root, report):
        read.append(loader.relpath(path, root))
        return real(path, root, report)

    monkeypatch.setattr(loader, "read_bytes", read_bytes)
    return read


TEST_RACY_NS = 300_000_000  # the racy margin in these tests: 0.3 s, not 2 s, and still far more than the few ms a run
# takes to start after a file is written (the run right after an edit must see the file as just changed, even on a
# slowed machine: with 20 ms that rested on a margin of about 15 ms, the mtime being up to a clock tick behind)


def _still(seconds: float = TEST_RACY_NS / 1e9 + 0.05) -> None:
    """Let the files written so far age past the racy margin the test set (loader.RACY_NS)."""
    time.sleep(seconds)


def test_serve_reads_again_only_the_files_whose_signature_changed(repo, monkeypatch):
    monkeypatch.setattr(loader, "RACY_NS", TEST_RACY_NS)  # so the test need not wait 2 s
    memo, options = pipeline.Memo.of(repo, keep=True), Options(drafts=True)
    _still()
    read = _reads(monkeypatch)
    corpus, report = pipeline.run(repo, options, memo)
    n_files = len(read)
    assert n_files > 10 and FACTS in read and not report.failed()
    read.clear()
    pipeline.run(repo, options, memo)
    assert read == []  # nothing changed: nothing read

    _apply(repo, FACTS, None, "\n" + ADDED_FACT.replace("- id: tianjin-added-for-the-test", "- id: zz-one-more"))
    corpus, report = pipeline.run(repo, options, memo)
    assert read == [FACTS] and "zz-one-more" in corpus.facts
    read.clear()
    _still()
    pipeline.run(repo, options, memo)
    assert read == [FACTS]  # read once more, now that its signature can be trusted: its bytes are checked against it
    read.clear()
    pipeline.run(repo, options, memo)
    assert read == []  # and no more

    # the same size and the modification time set back: the change time (no program can set it) still tells
    f = repo / FACTS
    st = os.stat(f)
    text = f.read_text(encoding="utf-8")
    assert "value: 5080, unit: companies}" in text
    f.write_text(text.replace("value: 5080, unit: companies}", "value: 5081, unit: companies}", 1), encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(f).st_size == st.st_size and os.stat(f).st_mtime_ns == st.st_mtime_ns
    _still()  # and left alone past the racy margin: its change time is all that differs
    corpus, report = pipeline.run(repo, options, memo)
    assert read == [FACTS]
    assert any("figure value 5,081 does not appear" in line for line in report.lines())


def test_a_file_changed_just_before_a_run_is_read_on_every_run(repo, monkeypatch):
    """Its timestamps may not show a second change made within their resolution: it is not trusted until it has been
    left alone for loader.RACY_NS (2 s)."""
    memo, options = pipeline.Memo.of(repo, keep=True), Options(drafts=True)
    pipeline.run(repo, options, memo)
    os.utime(repo / FACTS)  # changed now
    read = _reads(monkeypatch)
    for _ in range(2):
        pipeline.run(repo, options, memo)
        assert FACTS in read
        read.clear()


def test_a_signature_stands_for_regular_files_left_alone(tmp_path):
    f = tmp_path / "a.yml"
    f.write_text("- id: a\n", encoding="utf-8")
    now = time.time_ns()
    assert loader.signature(f, now) is None  # just written
    later = now + loader.RACY_NS + 10**9
    sig = loader.signature(f, later)
    assert sig is not None and sig[2] == f.stat().st_size
    link = tmp_path / "b.yml"
    link.symlink_to(f)
    assert loader.signature(link, later) is None  # a link is read (and its target checked) every time


def test_what_outlives_a_paused_collector_goes_to_its_oldest_generation_in_a_build():
    """loader.gc_paused(promote=True) (a build): a corpus loaded while the collector was paused is not walked whole by
    its next young collection; cyclic garbage among it is still collected; objects frozen by someone else stay frozen.
    Without promote (serve, whose rebuilds leave garbage in cycles for the young collections to find) it stays young."""
    import gc
    import weakref

    from briefing.loader import gc_paused

    class Node:
        pass

    def young() -> set[int]:
        return {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}

    with gc_paused():
        stays = [[i] for i in range(100)]
    assert {id(o) for o in stays} <= young()
    with gc_paused(promote=True):
        kept = [[i] for i in range(2000)]
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
    assert gc.isenabled()
    assert not {id(o) for o in kept} & young()
    assert id(kept) in {id(o) for o in gc.get_objects(generation=2)}
    del cycle
    gc.collect()
    assert gone() is None
    pinned = [[i] for i in range(100)]
    gc.freeze()
    try:
        with gc_paused(promote=True):
            more = [[i] for i in range(100)]
        # Not the freeze count: a frozen object another thread lets go of (refcount) lowers it meanwhile.
        assert gc.get_freeze_count() > 0
        assert not {id(o) for o in pinned} & {id(o) for o in gc.get_objects()}  # still out of the collector's sight
        assert {id(o) for o in more} <= young()
    finally:
        gc.unfreeze()


def test_a_rendered_corpus_nothing_holds_is_freed_by_a_young_collection():
    """A build promotes the corpus to the collector's oldest generation (pipeline), not what rendering leaves: Jinja's
    contexts and the views, in cycles that hold the corpus. A young collection frees them and the corpus with them;
    promoted, they kept a corpus nothing else held until the next full collection (a process that builds twice)."""
    import gc
    import weakref

    from briefing import pipeline
    from briefing.options import Options
    from briefing.render import environment, render_pages
    from conftest import ROOT

    corpus, report = pipeline.run(ROOT, Options())
    assert not report.failed()
    gone = weakref.ref(corpus)
    render_pages(corpus, environment(ROOT / "templates"), ROOT / "docs", processes=1)
    del corpus
    gc.collect(1)
    assert gone() is None
