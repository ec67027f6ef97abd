"""Pages rendered by forked processes (briefing/parallel.py) are the pages one process renders, with the same record of
what each read (the page cache of `serve` relies on it)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from briefing import charts, export, parallel, pipeline, render
from briefing.options import Options
from briefing.pagecache import PageCache
from briefing.render import environment, render_pages
from conftest import ENV, ROOT


def isolated(body: str, *args) -> None:
    """Run one of this module's bodies in a fresh interpreter: parallel.run forks only in a process with no other
    thread, and a pytest worker may have some (left by earlier tests)."""
    code = f"import sys; sys.path[:0] = ['tests', '.']; import test_parallel as t; t.{body}(*{args!r})"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_results_come_back_in_the_order_of_the_jobs_from_every_process():
    isolated("order_and_sharing")


def slow_pid(x=None, seconds: float = 0.002) -> int:
    """A job that takes long enough for every forked process to start and take some (the caller starts at once)."""
    time.sleep(seconds)
    return os.getpid()


def order_and_sharing():
    jobs = list(range(200))
    assert parallel.run(lambda x: (x * x, os.getpid()), jobs, processes=1) == [(x * x, os.getpid()) for x in jobs]
    got = parallel.run(lambda x: (x * x, slow_pid()), jobs, processes=3)
    assert [r for r, _ in got] == [x * x for x in jobs]
    assert len({pid for _, pid in got}) == 3  # the work was shared


def test_a_process_slowed_down_takes_fewer_jobs():
    isolated("balance")


def balance():
    """The jobs are taken from a queue, not dealt out in equal shares: while one process does a long job, the
    others do the short ones, and the run takes about as long as its long job."""
    start = time.perf_counter()
    got = parallel.run(lambda x: slow_pid(seconds=0.5 if x == 0 else 0.005), list(range(100)), processes=2)
    took_the_long_job = got[0]
    assert got.count(took_the_long_job) < 10, got  # in equal shares: 50
    assert time.perf_counter() - start < 0.9  # in equal shares: 0.5 + 49 x 5 ms


def test_the_caller_takes_each_result_of_another_process_while_that_process_works():
    isolated("streamed")


def streamed():
    """A forked process hands back each result when it is done (parallel.Results), not all of them at its end: the
    caller applies `received` to them between its own jobs, while that process is still working; its own results
    are not passed to `received`."""
    caller = os.getpid()
    seen = []  # (when received, the job's result) in the caller

    def work(x):
        time.sleep(0.004)
        return (x, os.getpid(), time.monotonic())  # when the job was done

    got = parallel.run(work, list(range(200)), processes=2, received=lambda r: seen.append((time.monotonic(), r)) or r)
    assert [x for x, _, _ in got] == list(range(200))
    assert seen and all(r[1] != caller for _, r in seen) and sorted(r for _, r in seen) == [r for r in got if r[1] != caller]
    last_done = max(done for _, pid, done in got if pid != caller)
    assert sum(when < last_done for when, _ in seen) > len(seen) // 2  # most of them taken while it worked


def test_results_come_back_through_a_temporary_file_without_memfd():
    isolated("without_memfd")


def without_memfd():
    """Where memfd does not exist or is not allowed (macOS, a sandbox), the results go through an unnamed temporary
    file, the same way."""
    def refused(name):
        raise OSError("memfd_create is not allowed here")

    os.memfd_create = refused
    caller = os.getpid()
    got = parallel.run(lambda x: (x * x, slow_pid()), list(range(200)), processes=2)
    assert [r for r, _ in got] == [x * x for x in range(200)] and {pid for _, pid in got} - {caller}


def test_jobs_in_batches_when_there_are_more_than_the_queue_holds():
    isolated("batches")


def batches():
    n = parallel.JobQueue.MAX_BATCHES * 3 + 7
    assert parallel.JobQueue(n).batch == 4
    assert parallel.run(lambda x: x + 1, list(range(n)), processes=2) == list(range(1, n + 1))


def test_an_error_in_a_child_is_raised_in_the_caller():
    isolated("child_error")


def child_error():
    caller = os.getpid()

    def work(x):
        if os.getpid() != caller:
            raise ValueError(f"job {x} failed")
        return slow_pid()

    with pytest.raises(ValueError, match=r"job \d+ failed"):
        parallel.run(work, list(range(100, 200)), processes=2)


@pytest.mark.parametrize("recording", [False, True], ids=["build", "serve"])
def test_pages_rendered_in_parallel_equal_one_process(recording):
    isolated("pages_equal", recording)


def pages_equal(recording: bool):
    assert parallel.run(slow_pid, list(range(200)), processes=2).count(os.getpid()) < 200  # forked
    corpus, report = pipeline.run(ROOT, Options())
    assert not report.failed()
    env = environment(ROOT / "templates")
    last = PageCache() if recording else None  # an empty cache: every page rendered, with what it read recorded
    render.BACKGROUND_DOWNLOADS = 0  # a build makes the downloads beside the pages: for the real corpus too
    # the process that made the downloads and the one that drew the charts, whichever they are, one line each
    log = os.open(tempfile.mktemp(), os.O_RDWR | os.O_CREAT | os.O_APPEND)
    real, real_draw = export.data_files, charts.draw_charts
    export.data_files = lambda *args: os.write(log, b"%d data\n" % os.getpid()) and real(*args)
    charts.draw_charts = lambda *args: os.write(log, b"%d charts\n" % os.getpid()) and real_draw(*args)

    def made_by() -> list[str]:
        made = os.pread(log, 1 << 16, 0).decode().split("\n")[:-1]
        os.ftruncate(log, 0)
        return made

    one = render_pages(corpus, env, ROOT / "docs", last=last, processes=1).files
    assert made_by() == [f"{os.getpid()} data", f"{os.getpid()} charts"]
    two = render_pages(corpus, env, ROOT / "docs", last=last, processes=2).files
    made = made_by()
    if recording:  # serve makes them here, after the pages, where their memo is kept
        assert made == [f"{os.getpid()} data", f"{os.getpid()} charts"]
    else:  # once, as one job of the pages' processes, by whichever took it
        assert [m.split()[1] for m in made] == ["data", "charts"] and len({m.split()[0] for m in made}) == 1
    assert list(one) == list(two) and "data/facts.json" in two and "data/figures.json" in two
    assert [src for src in two if src.startswith("charts/")] == [f"charts/{name}.svg" for name in charts.plan_charts(corpus)]
    assert [src for src in one if one[src] != two[src]] == []
    if recording:
        assert all(r.deps for src, r in two.items() if src.startswith(("regions/", "topics/", "sources/")))
        # the rows and links kept for the next rendering come back from the rendering processes (serve reuses them)
        alone, shared = PageCache(), PageCache()
        render_pages(corpus, env, ROOT / "docs", last=alone, processes=1)
        render_pages(corpus, env, ROOT / "docs", last=shared, processes=2)
        assert len(alone.memo["snippets"]) > 100
        assert alone.memo["snippets"].keys() == shared.memo["snippets"].keys()
        assert all(r.snippets is None for r in two.values())  # handed over, not kept twice


def test_a_process_with_other_threads_does_the_work_itself():
    """serve's web server runs in a thread: no fork there (a lock held by another thread would stay held in a child)."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        got = parallel.run(lambda x: os.getpid(), list(range(200)), processes=2)
    finally:
        stop.set()
        thread.join()
    assert set(got) == {os.getpid()}


@pytest.mark.parametrize("why", ["many files", "big files"])
def test_files_validated_in_parallel_equal_one_process(repo, why: str):
    """Files parsed and validated by forked processes (validate.validate) give the corpus, problems and positions one
    process gives, and the file cache keeps the same entries; a broken file's error says where, from either. The
    processes are used for many files, and for a few whose bytes add up (an archive of long articles)."""
    broken = repo / "facts/facts/xinhua-2023-02-25-ninth-anniversary.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("kind: result", "kind: reslt", 1), encoding="utf-8")
    isolated("validation_equal", str(repo), why)


def validation_equal(root: str, why: str):
    import pickle
    from pathlib import Path

    from briefing import validate
    from briefing.filecache import CACHE_DIR

    root = Path(root)
    if why == "many files":
        parallel.MIN_JOBS = 2  # the real corpus has 19 files: fork for them too
    else:
        assert len(list((root / "facts").rglob("*.*"))) < parallel.MIN_JOBS
        validate.PARALLEL_BYTES = 100_000  # the real corpus's 380 kB count as big
    pids = root / "pids"
    real = validate.validate_file

    def validate_file(f, alone=()):
        with open(pids, "a") as out:
            out.write(f"{os.getpid()}\n")
        return real(f, alone)

    validate.validate_file = validate_file
    runs = []
    for processes in (1, 2):
        cache = root / CACHE_DIR
        subprocess.run(["rm", "-rf", str(cache)], check=True)
        memo = pipeline.Memo.of(root)  # the file cache on disk: the alone checks run while validating
        corpus, report = pipeline.run(root, Options(processes=processes), memo)
        store = memo.files.disk
        entries = {}
        for entry in cache.rglob("*.pickle"):
            *kept, nodes = store.get(bytes.fromhex(entry.stem))
            if kept[4] is not None:  # an article: its text compares by what it holds (SourceText has no ==)
                a = kept[4]
                kept[4] = (a.meta, a.path, a.text.text, vars(a.text).keys(), a.text_line, a.cited, a.coverage)
            doc = pickle.loads(nodes) if nodes else None  # the file's YAML nodes: values and positions
            entries[entry.name] = (kept, doc and (doc.value, doc._pos.tolist(), doc._item_starts))
        runs.append((corpus, report.lines(), entries))
    (one, one_lines, one_cache), (two, two_lines, two_cache) = runs
    assert len(set(pids.read_text().split())) == 2  # the second run forked
    broken = [line for line in two_lines if line.startswith("facts/facts/xinhua-2023-02-25-ninth-anniversary.yml:")
              and "error" in line and "kind" in line]
    assert broken and broken[0].split(":")[1].isdigit(), two_lines  # the broken file's error, at its line
    assert one_lines == two_lines
    assert one.facts == two.facts and one.regions == two.regions and one.findings == two.findings
    assert [a.meta for a in one.articles.values()] == [a.meta for a in two.articles.values()]
    assert one_cache == two_cache


def test_a_build_writes_the_downloads_made_at_low_priority_while_it_wrote_the_pages(tmp_path):
    """A site build leaves the downloads to a forked process at the lowest priority (render.PendingDownloads, on the
    cores the pages, MkDocs and the search index leave idle) and writes them into the site at its end: the same site,
    byte for byte, as downloads made in the build's process; the process's error fails the build, which leaves the
    site as it was. (Each build in a fresh interpreter: MkDocs keeps a process's plugin, and its engine's pages.)"""
    for mode in ("here", "deferred", "broken"):
        isolated("deferred_downloads", str(tmp_path), mode)
    (here_pid, here_nice), (pid, nice) = (line.split() for line in (tmp_path / "made").read_text().splitlines()[:2])
    assert here_pid != pid and here_nice == "0" and int(nice) == render.DEFERRED_NICE
    here, deferred = ({p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*")
                       if p.is_file()} for name in ("here", "deferred"))
    assert Path("data/facts.json") in deferred and Path("data/facts.csv.gz") in deferred
    assert any(p.parts[0] == "charts" for p in deferred)
    assert sorted(here) == sorted(deferred)
    assert [str(p) for p in here if here[p] != deferred[p]] == []
    assert "making the downloads failed: ValueError: a download that cannot be made" in (tmp_path / "broken.out").read_text()
    after = {p.relative_to(tmp_path / "here"): p.read_bytes() for p in (tmp_path / "here").rglob("*") if p.is_file()}
    assert after == here


def deferred_downloads(tmp: str, mode: str):
    import contextlib
    import io

    from briefing.plugin.commands import build_site

    tmp = Path(tmp)
    real = export.data_files

    def data_files(*args):
        if mode == "broken":
            raise ValueError("a download that cannot be made")
        with open(tmp / "made", "a") as out:
            out.write(f"{os.getpid()} {os.nice(0)}\n")
        return real(*args)

    export.data_files = data_files
    # the real corpus's downloads: made in the build's process, or left to a forked one
    render.BACKGROUND_DOWNLOADS = 10**9 if mode == "here" else 0
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = build_site(ROOT, site_dir=tmp / ("here" if mode == "broken" else mode))
    (tmp / f"{mode}.out").write_text(err.getvalue())
    assert code == (1 if mode == "broken" else 0), err.getvalue()


def test_a_page_that_fails_to_render_stops_the_downloads_process():
    """A rendering that fails (a template's error) stops the forked process making the downloads, which nothing would
    read: no process is left behind, waiting on its pipe."""
    isolated("failed_rendering")


def failed_rendering():
    corpus, report = pipeline.run(ROOT, Options())
    env = environment(ROOT / "templates")
    render.BACKGROUND_DOWNLOADS = 0  # the real corpus's downloads in a forked process
    real = env.get_template

    def get_template(name, *args, **kwargs):
        if name == "timeline.html.j2":
            raise RuntimeError("a broken template")
        return real(name, *args, **kwargs)

    env.get_template = get_template
    for defer in (False, True):
        with pytest.raises(RuntimeError, match="a broken template"):
            render_pages(corpus, env, ROOT / "docs", processes=2, defer=defer)
        with pytest.raises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)  # no child left: the downloads' process was stopped and reaped


def test_a_cancelled_process_is_stopped_and_reaped():
    """A build that fails while its downloads are being made stops their process (render.PendingDownloads.cancel):
    else it would wait forever to hand over what it made."""
    isolated("cancelled")


def cancelled():
    forked = parallel.Forked(lambda: time.sleep(60))
    started = time.monotonic()
    forked.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(forked.pid, 0)  # reaped already
