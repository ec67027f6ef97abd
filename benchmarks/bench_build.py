#!/usr/bin/env python3
"""Build benchmark: `python benchmarks/bench_build.py [--sizes 1,10,32,100]` (see benchmarks/README.md).

For each corpus size (benchmarks/make_corpus.py) it measures, each in a fresh subprocess run against the corpus's
copy of the repository:

* engine: time of each step of briefing.pipeline (read -> validate -> resolve -> each check -> corpus) and of the
  rendering, best of a few repeats, then the check part with the file cache on disk cold and warm, then a full, a
  no-change and a one-fact-edit `Engine.refresh`; peak RSS;
* memory: the same phases once under tracemalloc, the peak of Python allocations during each phase;
* mkdocs: `mkdocs.commands.build.build` with the plugin (its engine's time subtracted: what MkDocs and the search
  index take), its peak RSS, and the size of the search index (site/pagefind/) and of the whole site.

and appends the tables, with date and machine, to benchmarks/results.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results.md"
PROFILES = HERE / ".corpora" / "profiles"
MARK = "BENCH-JSON "
PHASE_NAMES = {"render": "render (render_pages + nav)"}  # the pipeline's steps are named by briefing.pipeline.STEPS


def phases_of(results: list[dict]) -> list[str]:
    """Phases in pipeline order, over every size measured."""
    out: list[str] = []
    for r in results:
        out += [k for k in r["engine"]["phases"] if k not in out]
    return out


# ==================================================================================================================
# workers (run in a subprocess, inside the corpus copy)
# ==================================================================================================================
def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


ENVIRONMENTS: dict = {}  # the templates compiled once per worker process, as the engine keeps them (Engine.env)


def _engine_phases(root: Path, clock, on_phase=None, processes: int | None = None) -> tuple[dict, object, dict]:
    """One pass of the engine's pipeline (briefing.pipeline.run, timed step by step through its on_step), then the
    rendering; returns (times, corpus, pages)."""
    from briefing import pipeline
    from briefing.options import Options
    from briefing.render import environment, nav, render_pages

    times, started = {}, {}

    def on_step(name, when):
        if on_phase:
            on_phase(name, when)
        if when == "start":
            started[name] = clock()
        else:
            times[name] = clock() - started[name]

    corpus, report = pipeline.run(root, Options(), on_step=on_step)
    if report.failed():
        raise SystemExit(f"the corpus has errors: {report.summary()}\n" + "\n".join(report.lines()[:20]))
    env = ENVIRONMENTS.get(root) or ENVIRONMENTS.setdefault(root, environment(root / "templates"))
    on_step("render", "start")
    pages = render_pages(corpus, env, root / "docs", processes=processes).contents()
    nav(corpus)
    on_step("render", "end")
    return times, corpus, pages


def top_functions(session, n: int = 30) -> str:
    """Functions by own time and by total time (recursion counted once), from a pyinstrument session."""
    from collections import defaultdict

    own, total = defaultdict(float), defaultdict(float)
    stack = [(session.root_frame(), frozenset())]
    while stack:
        frame, above = stack.pop()
        name = f"{frame.class_name + '.' if frame.class_name else ''}{frame.function}  {frame.file_path_short}:{frame.line_no}"
        if frame.is_synthetic:  # pyinstrument's [self] / [await] leaves: time of their parent
            continue
        own[name] += frame.time - sum(c.time for c in frame.children if not c.is_synthetic)
        if name not in above:
            total[name] += frame.time
        stack += [(c, above | {name}) for c in frame.children]
    dur = session.duration or 1.0
    lines = []
    for title, table in (("own time", own), ("total time (callees included)", total)):
        lines.append(f"=== top {n} functions by {title}; profile duration {dur:.2f} s ===")
        for name, t in sorted(table.items(), key=lambda kv: -kv[1])[:n]:
            lines.append(f"{t:9.3f} s {100 * t / dur:5.1f} %  {name}")
        lines.append("")
    return "\n".join(lines)


def _write_profile(prof, path: Path) -> None:
    """<path>.txt: the top functions by own and total time, then the call tree (library frames shown, >= 1 % of
    the time); <path>.html: pyinstrument's interactive view; <path>.pyisession: the raw session."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = prof.output_text(unicode=True, color=False, show_all=True, processor_options={"filter_threshold": 0.01})
    path.with_suffix(".txt").write_text(top_functions(prof.last_session) + "\n=== call tree ===\n" + tree)
    path.with_suffix(".html").write_text(prof.output_html())
    prof.last_session.save(str(path.with_suffix(".pyisession")))


PAIR_RUNS = 3  # runs of the paired corpus after each run of the worker's own (best kept: a run at 1x is 0.15 s)


def worker_engine(root: Path, repeat: int, profile: Path | None, pair: Path | None = None) -> dict:
    """Phase times (best of `repeat`), and the peak RSS reached by the end of each phase of the first run. `pair`
    (the smallest corpus, given to the largest size's worker): after each run, PAIR_RUNS runs of that corpus, the
    best of each phase kept ("paired"). The linearity target compares time per fact at the two sizes; measured in
    separate workers minutes apart, the machine's own drift (a third within minutes on these shared machines) went
    into the ratio (resolve: 1.74, then 1.20 with the same code). Measured in turn in one process, both sizes see the
    same moments of the machine."""
    best: dict[str, float] = {}
    runs, rss = [], {}
    paired: dict = {"phases": {}}

    def on_phase(name, when):
        if when == "end":
            rss[name] = _rss_mb()

    for i in range(repeat):
        gc.collect()
        times, corpus, pages = _engine_phases(root, time.perf_counter, on_phase if i == 0 else None)
        runs.append(times)
        for k, v in times.items():
            best[k] = min(best.get(k, v), v)
        stats = {"facts": len(corpus.facts), "sources": len(corpus.articles), "regions": len(corpus.regions),
                 "topics": len(corpus.topics), "terms": len(corpus.terms), "charts": len(getattr(corpus, "charts", {})), "pages": sum(k.endswith(".md") for k in pages),
                 "files": len(pages), "generated_mb": sum(len(v) for v in pages.values()) / 2**20}
        del times, corpus, pages
        gc.collect()
        for _ in range(PAIR_RUNS if pair else 0):
            times, corpus, pages = _engine_phases(pair, time.perf_counter)
            for k, v in times.items():
                paired["phases"][k] = min(paired["phases"].get(k, v), v)
            paired["facts"] = len(corpus.facts)
            del times, corpus, pages
            gc.collect()
    gc.collect()
    serial = []  # the rendering in this process only (the engine renders in one process per core: parallel.py)
    for i in range(max(1, repeat // 2)):
        times, corpus, pages = _engine_phases(root, time.perf_counter, processes=1)
        serial.append(times["render"])
        del times, corpus, pages
        gc.collect()
    checks = _check_part(root, repeat)
    if profile:
        from pyinstrument import Profiler
        prof = Profiler(interval=0.001)
        prof.start()
        _engine_phases(root, time.perf_counter)
        prof.stop()
        _write_profile(prof, profile)
    return {"phases": best, "runs": runs, "rss_after_mb": rss, "rss_mb": max(rss.values()), "stats": stats,
            "render_one_process": min(serial), "check_part": checks, **({"paired": paired} if pair else {})}


def _check_part(root: Path, repeat: int) -> dict:
    """The check part of the engine (pipeline.run: read -> corpus) with the file cache on disk (briefing/filecache.py):
    cold (the cache deleted first: every file validated, and written to the cache) and warm (every file from it);
    best of `repeat` each. (The phases above run without the cache, as a build did before it.)"""
    from briefing import filecache, pipeline
    from briefing.options import Options

    out = {"cold": None, "warm": None}
    for i in range(repeat):
        for state in ("cold", "warm"):
            if state == "cold":
                shutil.rmtree(root / filecache.CACHE_DIR / filecache.FOLDER, ignore_errors=True)
            gc.collect()
            t0 = time.perf_counter()
            corpus, report = pipeline.run(root, Options(), pipeline.Memo.of(root))
            seconds = time.perf_counter() - t0
            out[state] = min(out[state] or seconds, seconds)
            del corpus, report
    cache = root / filecache.CACHE_DIR / filecache.FOLDER
    out["cache_mb"] = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) / 2**20
    return out


def worker_memory(root: Path) -> dict:
    import tracemalloc

    peaks, held = {}, {}

    def on_phase(name, when):
        if when == "start":
            tracemalloc.reset_peak()
        else:
            peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
            held[name] = tracemalloc.get_traced_memory()[0] / 2**20

    tracemalloc.start()
    _engine_phases(root, time.perf_counter, on_phase)
    tracemalloc.stop()
    return {"peak_mb": peaks, "held_mb": held, "rss_mb": _rss_mb()}


def _edit_fact(root: Path):
    """Prefix the claim of one fact with a marker (a quoted claim or a plain one, as editors write them); returns a
    function that restores the file."""
    fact_file = sorted((root / "facts" / "facts").glob("*.yml"))[0]
    original = fact_file.read_bytes()
    text = original.decode("utf-8")
    at = text.index("  claim: ") + len("  claim: ")
    quoted = text[at] in "\"'"
    marker = "Edited for the benchmark: " if quoted else "Edited for the benchmark, "  # ": " would end a plain scalar
    at += quoted
    fact_file.write_text(text[:at] + marker + text[at:], encoding="utf-8")
    return lambda: fact_file.write_bytes(original)


SERVE_EDITS = 4  # one-fact edits under serve, each undone: twice as many rebuilds timed, the slowest is the figure
# (one edit used to be measured: Python's full collections, on about one rebuild in eight to ten, went unseen)


def _serve_edit(root: Path, build_site: bool) -> dict:
    """What `serve` does after a save. First an engine that keeps its caches (as the plugin's under `serve`): a full
    refresh, a no-change refresh, one fact's claim edited and the refresh. Then, that engine gone (`serve` holds one
    engine, the plugin's: two corpora at 100x made the collector's passes and the machine's caches slower), MkDocs as
    `serve` runs it: a first full dirty build, then SERVE_EDITS times the same edit and its undoing, each followed by
    a rebuild: the engine refresh, then MkDocs' dirty build of the changed pages only. The figure is the slowest of
    those rebuilds (an editor waits for every save), its median beside it."""
    from briefing.engine import Engine
    from briefing.options import Options

    options = Options(drafts=True)
    engine = Engine(root, keep=True)
    engine.refresh(options)
    t0 = time.perf_counter()
    engine.refresh(options)
    out = {"refresh_nochange": time.perf_counter() - t0}
    restore = _edit_fact(root)
    try:
        t0 = time.perf_counter()
        state = engine.refresh(options)
        out["refresh_edit"] = time.perf_counter() - t0
        assert state.error is None and any("Edited for the benchmark" in f.claim for f in state.corpus.facts.values())
    finally:
        restore()
    del engine, state
    gc.collect()
    if not build_site:
        return out
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    serve_dir = root / ".bench-serve"

    def dirty_build():
        """One build as `serve` runs it; MkDocs keeps the plugin (and its engine) between builds, as under serve"""
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(serve_dir))
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)
        return config.plugins["briefing"]

    def timed_build() -> tuple[float, float, int]:
        """(seconds, of which the engine's, pages rewritten); then its search index, not timed: the edit shows
        before the index is written, and the next rebuild is measured without it running meanwhile"""
        t0 = time.perf_counter()
        plugin = dirty_build()
        took = (time.perf_counter() - t0, sum(plugin.engine.state.timings.values()), len(plugin.rendered))
        plugin.reindexer.wait()
        return took

    shutil.rmtree(serve_dir, ignore_errors=True)
    try:
        dirty_build().reindexer.wait()  # the first index, in the background under serve: let it finish
        rebuilds = []
        for _ in range(SERVE_EDITS):  # the edit, then the file as it was: each a one-fact edit of its own
            restore = _edit_fact(root)
            try:
                rebuilds.append(timed_build())
            finally:
                restore()
            rebuilds.append(timed_build())
    finally:
        shutil.rmtree(serve_dir, ignore_errors=True)
    slowest = max(rebuilds)
    out.update({"serve_edit": slowest[0], "serve_edit_engine": slowest[1], "serve_pages_rewritten": slowest[2],
                "serve_edit_median": statistics.median(r[0] for r in rebuilds), "serve_edits": [r[0] for r in rebuilds]})
    return out


def _search_download(site: Path) -> dict | None:
    """What a reader downloads from opening the home page to the first result, English and Chinese queries, in headless
    Chromium (benchmarks/search_download.py): the larger of the two, and the slower time to the result."""
    import search_download

    try:
        runs = search_download.measure_many(site, ["Hebei", "河北"])
    except Exception as exc:  # no Chromium here: the other figures still count  # noqa: BLE001
        print(f"  search download not measured: {exc}", file=sys.stderr)
        return None
    return {"mb": max(r["bytes"] for r in runs) / 2**20, "search_mb": max(r["search_bytes"] for r in runs) / 2**20,
            "result_ms": max(r["first_result_ms"] for r in runs), "foreign": sum(len(r["foreign_requests"]) for r in runs)}


def worker_mkdocs(root: Path, profile: Path | None, build_site: bool = True) -> dict:
    """A full engine refresh (cold), the MkDocs build (its plugin runs the engine again: timed apart), then what
    `serve` does: a no-change and a one-fact-edit refresh, and the dirty MkDocs rebuild after the edit."""
    import logging

    from briefing.engine import Engine
    from briefing.options import Options

    from briefing import filecache

    shutil.rmtree(root / filecache.CACHE_DIR / filecache.FOLDER, ignore_errors=True)  # cold: no file cache
    t0 = time.perf_counter()
    state = Engine(root).refresh(Options())  # as the plugin does at the start of a build
    full = time.perf_counter() - t0
    assert state.error is None, state.report.summary()
    result = {"refresh_full": full, "rss_engine_mb": _rss_mb()}
    del state
    if build_site:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        out = root / ".bench-site"
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=True)
        build(config)
        seconds = time.perf_counter() - t0 - sum(config.plugins["briefing"].engine.state.timings.values())
        del config
        gc.collect()
        files = [p for p in out.rglob("*") if p.is_file()]
        index = sum(p.stat().st_size for p in files if p.relative_to(out).parts[0] == "pagefind")  # all its chunks
        result.update({"mkdocs": seconds, "rss_mb": _rss_mb(), "search_index_mb": index / 2**20,
                       "site_mb": sum(p.stat().st_size for p in files) / 2**20,
                       "html_pages": sum(p.suffix == ".html" for p in files),
                       "html_mb": sum(p.stat().st_size for p in files if p.suffix == ".html") / 2**20})
        result["search_download"] = _search_download(out)
        shutil.rmtree(out, ignore_errors=True)
        if profile:  # a second build, profiled (the timed one above is not)
            from pyinstrument import Profiler
            prof = Profiler(interval=0.005)
            prof.start()
            build(load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=True))
            prof.stop()
            _write_profile(prof, profile)
            del prof
            shutil.rmtree(out, ignore_errors=True)
            gc.collect()
    result.update(_serve_edit(root, build_site))
    result["rss_after_edit_mb"] = _rss_mb()
    return result


def run_worker(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--worker", choices=["engine", "memory", "mkdocs", "refresh"])
    p.add_argument("--root", type=Path)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--profile", type=Path)
    p.add_argument("--pair", type=Path, help="engine: the corpus run in turn with this one (worker_engine)")
    p.add_argument("--gc-off", action="store_true")
    a = p.parse_args(argv)
    if a.gc_off:
        gc.disable()  # the explicit gc.collect() between repeats still runs
    a.root = a.root.resolve()
    os.chdir(a.root)
    sys.path.insert(0, str(a.root))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if a.worker == "engine":
        out = worker_engine(a.root, a.repeat, a.profile, a.pair.resolve() if a.pair else None)
    elif a.worker == "memory":
        out = worker_memory(a.root)
    else:
        out = worker_mkdocs(a.root, a.profile, build_site=a.worker == "mkdocs")
    print(MARK + json.dumps(out))
    return 0


CPU_SHARE: list[tuple[str, float]] = []  # (worker, CPU time / wall time): below ~0.9 the worker waited for a CPU


WAIT_IDLE = [120.0]  # seconds a worker waits for the other processes to leave the CPUs (--wait-idle)


def _cpu_busy(seconds: float = 1.0) -> float:
    """Fraction of all CPUs busy over `seconds` (from /proc/stat); 0.0 where that is not available."""
    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + (fields[4] if len(fields) > 4 else 0)
    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return 1.0 - (idle1 - idle0) / max(1, total1 - total0)


def wait_idle() -> None:
    """Wait (up to --wait-idle seconds) until other processes leave at least one CPU free for the (single-threaded)
    worker: timings on a shared machine."""
    cpus = os.cpu_count() or 1
    limit = max(0.15, 1 - 1 / cpus + 0.1)  # 2 CPUs: go on while one CPU is free (others below 1.2 CPUs' worth)
    deadline = time.perf_counter() + WAIT_IDLE[0]
    busy = _cpu_busy()
    if busy < limit:
        return
    print(f"  waiting for a free CPU: {busy:.0%} busy with other processes ...", file=sys.stderr, flush=True)
    while busy >= limit and time.perf_counter() < deadline:
        time.sleep(4)
        busy = _cpu_busy()
    if busy >= limit:
        print(f"  still {busy:.0%} busy after {WAIT_IDLE[0]:.0f} s: measuring anyway", file=sys.stderr, flush=True)


def spawn(worker: str, root: Path, *extra: str) -> dict:
    if WAIT_IDLE[0] > 0:
        wait_idle()
    before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", worker, "--root", str(root), *extra]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU_SHARE.append((f"{worker} {root.name}", cpu / (time.perf_counter() - t0)))
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode or not lines:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"the {worker} worker failed on {root} (exit {proc.returncode})")
    return json.loads(lines[-1][len(MARK):])


# ==================================================================================================================
# driver
# ==================================================================================================================
def alternating_builds(small: Path, big: Path, rounds: int, log) -> dict:
    """Cold `build_site.py build`s (site and file cache deleted, as an editor's first build) of the smallest and the
    largest corpus in turn, small first and last: each big build's ratio is taken to the mean of the small builds just
    before and after it, run under the same machine conditions (these shared machines drift by a third within
    minutes: timed minutes apart, one 1x and one 100x build gave 10.6x and 17.6x for the same code). The median of
    the rounds' ratios is the build ratio target's measure."""
    from bench_shapes import build  # bench_shapes imports this module: imported when used

    smalls, bigs, memory = [], [], []
    for i in range(rounds):
        wait_idle()
        smalls.append(build(small)["seconds"])
        wait_idle()
        built = build(big)
        bigs.append(built["seconds"])
        memory.append(built["memory"])
        log(f"alternating cold builds, round {i + 1}: {fmt_s(smalls[-1])} then {fmt_s(bigs[-1])}")
    wait_idle()
    smalls.append(build(small)["seconds"])
    ratios = [b / ((smalls[i] + smalls[i + 1]) / 2) for i, b in enumerate(bigs)]
    # the largest build's memory, all its processes (bench_shapes.TreeMemory): the round that took the most
    most = max((m for m in memory if m["peak_mb"]), key=lambda m: m["peak_mb"], default=None)
    return {"small": smalls, "big": bigs, "ratios": ratios, "ratio": statistics.median(ratios), "big_memory": most}


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{os.cpu_count()} CPUs ({model or platform.processor() or platform.machine()}){mem}, "
            f"Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} {platform.release()}")


def default_repeat(facts: int) -> int:
    """Engine repeats, the best kept: at every size at least two, so that no size's figure is a first run's alone
    (its templates compiled, its caches filled) or one moment's of a shared machine, while the others are the best of
    several (the 10,000-fact figure is measured at one size, or interpolated between two: at_10k)."""
    return 5 if facts < 1000 else 4 if facts < 20000 else 2


def fmt_s(x) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def fmt_mb(x) -> str:
    return "–" if x is None else f"{x:.1f} MB" if x < 100 else f"{x:,.0f} MB"


def engine_total(r: dict) -> float:
    """The sum of each phase's best time over the repeats (the tables' phases): below any one run's total, as each
    phase's best may come from another run."""
    return sum(r["engine"]["phases"].values())


def engine_runs(r: dict) -> list[float]:
    """The total of each whole run of the engine (its repeats), in order."""
    return [sum(run.values()) for run in r["engine"].get("runs", [])] or [engine_total(r)]


def engine_best_run(r: dict) -> float:
    """The engine's time as one run took it: the best whole run of the repeats (the 10,000-fact target's figure)."""
    return min(engine_runs(r))


def mkdocs_s(r: dict) -> float | None:
    return r.get("site", {}).get("mkdocs")


def build_s(r: dict) -> float | None:
    """A full build: the engine (best of its repeats) and MkDocs."""
    return engine_total(r) + mkdocs_s(r) if mkdocs_s(r) else None


def linearity(by: list[dict]) -> tuple[dict[str, float], str]:
    """({phase: its time per fact at the largest size / at the smallest}, how the smallest was measured). The
    smallest size's times are those measured in turn with the largest's runs, in its worker (worker_engine's
    `pair`), when there are; else its own worker's. A phase under 2 ms at the smallest size is left out: noise."""
    a, b = by[0], by[-1]
    paired = b["engine"].get("paired")
    if paired and paired.get("facts") == a["facts"]:
        small, how = paired["phases"], f"{a['size']:g}x measured in turn with the {b['size']:g}x runs, in one process"
    else:
        small, how = a["engine"]["phases"], "each size in its own worker"
    big = b["engine"]["phases"]
    return ({k: (big[k] / b["facts"]) / (small[k] / a["facts"]) for k in phases_of(by)
             if k in small and k in big and small[k] >= 0.002}, how)


def near_10k(facts: int) -> bool:
    """Whether a size measures the 10,000-fact target itself (its figure scaled to 10,000: at_10k)."""
    return abs(facts - 10000) <= 1000


def at_10k(pts: list[tuple[int, float]]) -> tuple[float, str]:
    """(seconds at 10,000 facts, how): measured near it, else interpolated between sizes, else extrapolated."""
    near = [p for p in pts if near_10k(p[0])]
    if near:
        return near[0][1] * 10000 / near[0][0], f"measured at {near[0][0]:,} facts, scaled to 10,000"
    lo, hi = [p for p in pts if p[0] < 10000], [p for p in pts if p[0] > 10000]
    if lo and hi:
        (f0, t0), (f1, t1) = lo[-1], hi[0]
        return t0 + (t1 - t0) * (10000 - f0) / (f1 - f0), f"interpolated between {f0:,} and {f1:,} facts"
    f0, t0 = pts[-1]
    return t0 * 10000 / f0, f"extrapolated linearly from {f0:,} facts"


def targets(results: list[dict], alternating: dict | None = None) -> list[tuple[str, str, str]]:
    """(target, measured, met?) for the project's performance targets (`alternating`: see alternating_builds)."""
    out = []
    by = sorted(results, key=lambda r: r["facts"])
    # 1. load + validate + quote check + render of 10,000 facts <= 3 s (measured near it, or interpolated between sizes)
    pts = [(r["facts"], engine_best_run(r)) for r in by]
    t10k, how = at_10k(pts)
    near = [r for r in by if near_10k(r["facts"])]
    if near:  # how that size's runs spread: the machine's speed changes from one minute to the next
        runs = engine_runs(near[0])
        how = (f"best of {len(runs)} whole runs {how}; its runs {', '.join(f'{t:.2f}' for t in runs)} s, the sum of "
               f"each phase's best {engine_total(near[0]):.2f} s")
    others = [p for p in pts if not near_10k(p[0])]
    if others and len(others) < len(pts):
        # measured at 10,000 facts; the figure the sizes around it give is shown beside it (a run of 100x carries
        # that size's own moments of the machine into the interpolation)
        between, how_between = at_10k(others)
        how += f"; {between:.1f} s {how_between}"
    out.append(("engine: 10,000 facts checked and rendered ≤ 3 s (phases without the file cache)", f"{t10k:.1f} s ({how})",
                "met" if t10k <= 3 else "**not met**"))
    for state in ("cold", "warm"):  # the check part's share of it, with the file cache on disk
        pts = [(r["facts"], r["engine"]["check_part"][state]) for r in by if r["engine"].get("check_part")]
        if pts:
            t, how = at_10k(pts)
            out.append((f"… of which checked (read → corpus), file cache {state}", f"{t:.2f} s ({how})", ""))
    # 2. engine overhead <= 10 % of the MkDocs build
    ratios = [(r["size"], engine_total(r) / mkdocs_s(r)) for r in by if mkdocs_s(r)]
    if ratios:
        worst = max(x for _, x in ratios)
        out.append(("engine time ≤ 10 % of the MkDocs build", ", ".join(f"{x:.0%} at {s:g}x" for s, x in ratios),
                    "met" if worst <= 0.10 else "**not met**"))
    # 3. linearity: time per fact at the largest size within 1.3x of that at the smallest (see linearity)
    if len(by) > 1:
        a, b = by[0], by[-1]
        lin, how = linearity(by)
        bad = [f"{k} {v:.2f}" for k, v in sorted(lin.items(), key=lambda kv: -kv[1]) if v > 1.3]
        worst = max(lin, key=lin.get)
        out.append((f"every engine phase linear (time per fact at {b['size']:g}x ≤ 1.3 × at {a['size']:g}x)",
                    f"worst: {worst} {lin[worst]:.2f} ({how})" + (f"; over 1.3: {', '.join(bad)}" if bad else ""),
                    "met" if not bad else "**not met**"))
    # 4. a one-fact edit under serve visible within the limits at 1x and 100x
    for size, limit in ((1, 1.0), (100, 2.0)):  # the rebuild (MkDocs' file watcher adds up to 0.5 s to notice a save)
        at = [r for r in by if r["size"] == size and r.get("site", {}).get("serve_edit") is not None]
        if at:
            t = at[0]["site"]["serve_edit"]
            out.append((f"one-fact edit visible under `serve` at {size:g}x ≤ {limit:g} s (engine refresh + dirty MkDocs "
                        f"rebuild; the slowest of {2 * SERVE_EDITS})", f"{t:.2f} s", "met" if t <= limit else "**not met**"))
    # 5. site size and HTML per fact at the largest size; the full build there within 12x the smallest's
    big = by[-1]
    if big.get("site", {}).get("html_mb"):
        per_fact = big["site"]["html_mb"] * 2**20 / big["facts"] / 1000
        out.append((f"site at {big['size']:g}x ≤ 200 MB, ≤ 6 kB of HTML per fact",
                    f"{fmt_mb(big['site']['site_mb'])}, {per_fact:.1f} kB per fact",
                    "met" if big["site"]["site_mb"] <= 200 and per_fact <= 6 else "**not met**"))
    if alternating:  # cold builds of both sizes in turn: see alternating_builds
        ratio = alternating["ratio"]
        out.append((f"full build at {big['size']:g}x ≤ 12 × the build at {by[0]['size']:g}x (cold `build_site.py "
                    f"build`s in turn, median of {len(alternating['ratios'])})",
                    f"{ratio:.1f}× ({', '.join(f'{x:.1f}×' for x in alternating['ratios'])}; "
                    f"{', '.join(fmt_s(x) for x in alternating['big'])} / {', '.join(fmt_s(x) for x in alternating['small'])})",
                    "met" if ratio <= 12 else "**not met**"))
    elif len(by) > 1 and build_s(big) and build_s(by[0]):
        ratio = build_s(big) / build_s(by[0])
        out.append((f"full build at {big['size']:g}x ≤ 12 × the build at {by[0]['size']:g}x", f"{ratio:.1f}× "
                    f"({fmt_s(build_s(big))} / {fmt_s(build_s(by[0]))})", "met" if ratio <= 12 else "**not met**"))
    # search: downloaded to the first result <= 2 MB at the largest size
    if (d := big.get("site", {}).get("search_download")):
        out.append((f"downloaded from opening the home page to the first search result at {big['size']:g}x ≤ 2 MB",
                    f"{fmt_mb(d['mb'])} ({d['foreign']} requests to other hosts)",
                    "met" if d["mb"] <= 2 and not d["foreign"] else "**not met**"))
    # 6. peak memory at the largest size <= 1 GB (the processes `build_site.py build` runs as)
    big = by[-1]
    rss = [("engine", big["engine"]["rss_mb"])]
    if big.get("site", {}).get("rss_mb"):
        rss.append(("engine + MkDocs build", big["site"]["rss_mb"]))
    whole = (alternating or {}).get("big_memory")
    out.append((f"peak memory at {big['size']:g}x ≤ 1 GB (the build process)",
                ", ".join(f"{fmt_mb(v)} ({w})" for w, v in rss) + " peak RSS",
                "met" if max(v for _, v in rss) <= 1024 else "**not met**"))
    if whole:  # what the machine must have: every process of a cold build at once
        parts = ", ".join(f"{name} {fmt_mb(v)}" for name, v in sorted(whole["by_name"].items(), key=lambda kv: -kv[1]))
        out.append((f"… the whole build at {big['size']:g}x: all its processes at one moment (cold `build_site.py build`, "
                    "PSS sampled every 0.5 s)", f"{fmt_mb(whole['peak_mb'])} ({parts})",
                    "≤ 1 GB" if whole["peak_mb"] <= 1024 else "**over 1 GB**"))
    return out


def tables(results: list[dict], notes: list[str], alternating: dict | None = None) -> str:
    sizes = [r["size"] for r in results]
    head = "| | " + " | ".join(f"{s:g}x" for s in sizes) + " |"
    sep = "|---|" + "---:|" * len(sizes)
    first, last = results[0], results[-1]
    with_lin = len(results) > 1
    L = ["Corpus: " + "; ".join(f"{r['size']:g}x = {r['facts']:,} facts, {r['stats']['sources']} sources, "
                                f"{r['stats']['regions']} regions, {r['stats']['topics']} topics, {r['stats'].get('charts', 0)} charts, "
                                f"{r['stats']['pages']} generated pages" for r in results) + ".", ""]

    def row(name, vals, fmt, lin=False, ratio=None):
        """`lin`: the last column is the time per fact at the last size / at the first (`ratio`, when given)."""
        cells = " | ".join(fmt(v) if v is not None else "–" for v in vals)
        tail = ""
        if with_lin:
            a, b = vals[0], vals[-1]
            if ratio is None and lin and a and b and a >= 0.002:
                ratio = (b / last['facts']) / (a / first['facts'])
            tail = f" {ratio:.2f} |" if lin and ratio is not None else " |"
        L.append(f"| {name} | {cells} |{tail}")

    L += ["**Time** (engine phases: best of the repeats, in a fresh process; MkDocs: one build, engine state warm)", ""]
    L.append(head[:-2] + (f" | per fact {last['size']:g}x / {first['size']:g}x |" if with_lin else " |"))
    L.append(sep + ("---:|" if with_lin else ""))
    phases = phases_of(results)
    lin = linearity(sorted(results, key=lambda r: r["facts"]))[0] if with_lin else {}
    for k in phases:  # a phase's ratio: as the linearity target takes it (see linearity)
        row(PHASE_NAMES.get(k, k), [r["engine"]["phases"].get(k) for r in results], fmt_s, lin=k in lin, ratio=lin.get(k))
    row("**engine total** (each phase's best)", [engine_total(r) for r in results], lambda v: f"**{fmt_s(v)}**", lin=True)
    row("engine, best whole run", [engine_best_run(r) for r in results], fmt_s, lin=True)
    row("engine, median run", [statistics.median(engine_runs(r)) for r in results], fmt_s, lin=True)
    for state in ("cold", "warm"):
        row(f"check part (read → corpus), file cache {state}",
            [r["engine"].get("check_part", {}).get(state) for r in results], fmt_s, lin=True)
    row("MkDocs build (mkdocs.commands.build.build)", [mkdocs_s(r) for r in results], fmt_s, lin=True)
    row("engine + MkDocs", [engine_total(r) + mkdocs_s(r) if mkdocs_s(r) else None for r in results], fmt_s, lin=True)
    row("engine time per fact", [engine_total(r) / r["facts"] for r in results], lambda v: f"{v * 1000:.2f} ms")
    row("render in one process (the engine renders in one per core)", [r["engine"].get("render_one_process") for r in results],
        fmt_s, lin=True)
    L.append("| parallel rendering speedup (one process / one per core) | " + " | ".join(
        f"{r['engine']['render_one_process'] / r['engine']['phases']['render']:.2f}×" if r["engine"].get("render_one_process")
        else "–" for r in results) + (" |" if with_lin else "") + " |")
    L.append(f"| engine + MkDocs / engine + MkDocs at {first['size']:g}x | " + " | ".join(
        f"{build_s(r) / build_s(first):.1f}×" if build_s(r) and build_s(first) else "–" for r in results)
        + (" |" if with_lin else "") + " |")
    L += ["", "**Memory** (RSS: peak resident set of the process so far, after the phase; tracemalloc: peak of Python "
          "allocations during the phase)", "", head, sep]
    for k in ("read", "validate", "resolve", "render"):
        L.append(f"| peak RSS after {k} | " + " | ".join(fmt_mb(r["engine"]["rss_after_mb"].get(k)) for r in results) + " |")
    for k in ("read", "validate", "resolve", "render"):
        L.append(f"| tracemalloc peak during {k} | " + " | ".join(
            fmt_mb(r["memory"]["peak_mb"][k]) if r.get("memory") else "–" for r in results) + " |")
    L.append("| peak RSS, engine + MkDocs build process | " + " | ".join(fmt_mb(r.get("site", {}).get("rss_mb")) for r in results) + " |")
    L.append("| peak RSS after the one-fact-edit refresh (old and new state alive, as under serve) | "
             + " | ".join(fmt_mb(r.get("site", {}).get("rss_after_edit_mb")) for r in results) + " |")
    L += ["", "**Output and ratios**", "", head, sep]
    L.append("| generated pages (Markdown, MB) | " + " | ".join(f"{r['stats']['pages']} ({r['stats']['generated_mb']:.1f} MB)" for r in results) + " |")
    L.append("| file cache on disk (.briefing-cache/files) | " + " | ".join(
        fmt_mb(r["engine"].get("check_part", {}).get("cache_mb")) for r in results) + " |")
    L.append("| downloaded from opening the home page to the first search result (of which search files; last key to "
             "result) | " + " | ".join(
        f"{fmt_mb(d['mb'])} ({fmt_mb(d['search_mb'])}; {d['result_ms']:.0f} ms)" if (d := r.get("site", {}).get("search_download"))
        else "–" for r in results) + " |")
    L.append("| search index (pagefind/, all chunks; a reader fetches a few) | " + " | ".join(fmt_mb(r.get("site", {}).get("search_index_mb")) for r in results) + " |")
    L.append("| site size (HTML pages) | " + " | ".join(
        f"{fmt_mb(r['site']['site_mb'])} ({r['site']['html_pages']})" if mkdocs_s(r) else "–" for r in results) + " |")
    L.append("| HTML bytes per fact (all HTML pages / facts) | " + " | ".join(
        f"{r['site']['html_mb'] * 2**20 / r['facts'] / 1000:.1f} kB" if r.get("site", {}).get("html_mb") else "–"
        for r in results) + " |")
    L.append("| engine total / MkDocs build | " + " | ".join(f"{engine_total(r) / mkdocs_s(r):.2f}" if mkdocs_s(r) else "–" for r in results) + " |")
    L.append("| full refresh (Engine.refresh, cold) | " + " | ".join(fmt_s(r["site"]["refresh_full"]) for r in results) + " |")
    L.append("| no-change refresh / full refresh | " + " | ".join(
        f"{r['site']['refresh_nochange'] / r['site']['refresh_full']:.4f} ({fmt_s(r['site']['refresh_nochange'])})" for r in results) + " |")
    L.append("| one-fact-edit refresh / full refresh | " + " | ".join(
        f"{r['site']['refresh_edit'] / r['site']['refresh_full']:.2f} ({fmt_s(r['site']['refresh_edit'])})" for r in results) + " |")
    L.append("| one-fact-edit refresh / full site build (full refresh + MkDocs) | " + " | ".join(
        f"{r['site']['refresh_edit'] / (r['site']['refresh_full'] + mkdocs_s(r)):.2f}" if mkdocs_s(r) else "–" for r in results) + " |")
    L.append(f"| one-fact edit under `serve`, the slowest of {2 * SERVE_EDITS} rebuilds: engine refresh + dirty MkDocs "
             "rebuild (pages rewritten); median | " + " | ".join(
        f"{fmt_s(r['site']['serve_edit'])} ({fmt_s(r['site']['serve_edit_engine'])} + "
        f"{fmt_s(r['site']['serve_edit'] - r['site']['serve_edit_engine'])}; {r['site']['serve_pages_rewritten']} pages); "
        f"{fmt_s(r['site']['serve_edit_median'])}"
        if r["site"].get("serve_edit") is not None else "–" for r in results) + " |")
    L.append("| one-fact edit under `serve` / full site build | " + " | ".join(
        f"{r['site']['serve_edit'] / (r['site']['refresh_full'] + mkdocs_s(r)):.2f}"
        if r["site"].get("serve_edit") is not None else "–" for r in results) + " |")
    L += ["", "**Targets**", "", "| target | measured | |", "|---|---|---|"]
    L += [f"| {name} | {measured} | {met} |" for name, measured, met in targets(results, alternating)]
    if notes:
        L.append("")
        L += [f"- {n}" for n in notes]
    return "\n".join(L) + "\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--worker" in argv:
        return run_worker(argv)
    p = argparse.ArgumentParser(description="Time and memory of each build phase at several corpus sizes.")
    p.add_argument("--sizes", default="1,10,32,100",
                   help="comma-separated scale factors (default 1,10,32,100; 1x ≈ 300 facts, 32x ≈ 10,000)")
    p.add_argument("--mkdocs-max", type=float, default=None,
                   help="skip the MkDocs build at sizes above this (default: build at every size; 100x takes ~5 min)")
    p.add_argument("--no-mkdocs", action="store_true", help="engine only (the refresh ratios are still measured)")
    p.add_argument("--tracemalloc-max", type=float, default=10,
                   help="run the tracemalloc pass up to this size (default 10; it is slow at 100x; 0 disables it)")
    p.add_argument("--repeat", type=int, help="engine repeats per size (default 5 below 1,000 facts, 4 below 20,000, else 2)")
    p.add_argument("--profile-engine", help="comma-separated sizes whose engine phases are profiled with pyinstrument")
    p.add_argument("--profile-mkdocs", help="comma-separated sizes whose MkDocs build is profiled with pyinstrument")
    p.add_argument("--wait-idle", type=float, default=120, metavar="SECONDS",
                   help="before each worker, wait up to this long for other processes to leave the CPUs (default 120; 0: never)")
    p.add_argument("--gc-off", action="store_true",
                   help="what-if: run the workers with Python's cyclic garbage collector disabled (as an engine that "
                        "turns it off while it builds its state would run)")
    p.add_argument("--code", type=Path, default=REPO, metavar="DIR",
                   help="measure the engine (briefing/, templates/, docs/, mkdocs.yml, ...) of another checkout, e.g. a "
                        "git worktree with a candidate change (default: this repository's working tree)")
    p.add_argument("--rounds", type=int, default=2,
                   help="cold builds of the largest size, each between two of the smallest, for the build ratio target "
                        "(default 2; 0: the ratio of the MkDocs and engine runs above, timed minutes apart)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--results", type=Path, default=RESULTS, help="Markdown file the tables are appended to")
    p.add_argument("--no-append", action="store_true", help="print the tables only")
    args = p.parse_args(argv)
    WAIT_IDLE[0] = args.wait_idle
    sys.path.insert(0, str(HERE))
    from make_corpus import CORPORA, copy_code, make_corpus

    # One snapshot of the working tree for the whole run: every size measures the same engine even if it is edited meanwhile.
    code = args.code.resolve()
    commit = subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(code), "status", "--porcelain", "briefing", "templates", "docs", "mkdocs.yml"],
                           capture_output=True, text=True).stdout.strip()
    if code != REPO:
        commit = f"{commit or 'no git'} in {code}"
    snapshot = CORPORA / ".code"
    shutil.rmtree(snapshot, ignore_errors=True)
    copy_code(snapshot, code)

    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    prof_engine = {float(s) for s in (args.profile_engine or "").split(",") if s.strip()}
    prof_mkdocs = {float(s) for s in (args.profile_mkdocs or "").split(",") if s.strip()}
    started = time.perf_counter()
    notes, results = [], []
    for size in sizes:
        t0 = time.perf_counter()
        root, stats = make_corpus(size, seed=args.seed, code_from=snapshot)
        log = lambda msg: print(f"[{size:g}x] {msg}", file=sys.stderr, flush=True)  # noqa: E731
        log(f"corpus {root.relative_to(REPO)}: {stats['facts']:,} facts, {stats['sources']} sources, "
            f"{stats['regions']} regions ({time.perf_counter() - t0:.1f} s)")
        repeat = args.repeat or default_repeat(stats["facts"])
        gc_flag = ["--gc-off"] if args.gc_off else []
        r = {"size": size, "facts": stats["facts"], "repeat": repeat}
        t0 = time.perf_counter()
        extra = ["--repeat", str(repeat)] + gc_flag + (["--profile", str(PROFILES / f"engine-x{size:g}")] if size in prof_engine else [])
        if len(sizes) > 1 and size == max(sizes):  # the linearity's sizes measured in turn: worker_engine's `pair`
            extra += ["--pair", str(make_corpus(min(sizes), seed=args.seed, code_from=snapshot)[0])]
        r["engine"] = spawn("engine", root, *extra)
        r["stats"] = r["engine"]["stats"]
        log(f"engine phases: {fmt_s(engine_total(r))} (best of {repeat}), peak RSS {fmt_mb(r['engine']['rss_mb'])} "
            f"({time.perf_counter() - t0:.0f} s)")
        if args.tracemalloc_max and size <= args.tracemalloc_max:
            t0 = time.perf_counter()
            r["memory"] = spawn("memory", root, *gc_flag)
            log(f"tracemalloc pass: peak {fmt_mb(max(r['memory']['peak_mb'].values()))} ({time.perf_counter() - t0:.0f} s)")
        t0 = time.perf_counter()
        build = not args.no_mkdocs and (args.mkdocs_max is None or size <= args.mkdocs_max)
        if not build and not args.no_mkdocs:
            notes.append(f"MkDocs build skipped at {size:g}x (--mkdocs-max {args.mkdocs_max:g}).")
        extra = gc_flag + (["--profile", str(PROFILES / f"mkdocs-x{size:g}")] if build and size in prof_mkdocs else [])
        r["site"] = spawn("mkdocs" if build else "refresh", root, *extra)
        log((f"MkDocs build: {fmt_s(r['site']['mkdocs'])}, peak RSS {fmt_mb(r['site']['rss_mb'])}, search index "
             f"{fmt_mb(r['site']['search_index_mb'])}; " if build else "")
            + f"refresh full {fmt_s(r['site']['refresh_full'])}, one-fact edit {fmt_s(r['site']['refresh_edit'])}"
            + (f", under serve {fmt_s(r['site']['serve_edit'])}" if r['site'].get('serve_edit') is not None else "") + " "
            f"({time.perf_counter() - t0:.0f} s)")
        results.append(r)
    alternating = None
    built = [r for r in results if r.get("site", {}).get("mkdocs")]
    if args.rounds > 0 and len(built) > 1:
        t0 = time.perf_counter()
        small, big = min(built, key=lambda r: r["facts"]), max(built, key=lambda r: r["facts"])
        root_of = lambda r: make_corpus(r["size"], seed=args.seed, code_from=snapshot)[0]  # noqa: E731
        log = lambda msg: print(f"[{small['size']:g}x/{big['size']:g}x] {msg}", file=sys.stderr, flush=True)  # noqa: E731
        alternating = alternating_builds(root_of(small), root_of(big), args.rounds, log)
        log(f"build ratio: median {alternating['ratio']:.1f}x ({time.perf_counter() - t0:.0f} s)")
        notes.append(f"Build ratio: {args.rounds} cold `build_site.py build`s at {big['size']:g}x, each between two at "
                     f"{small['size']:g}x (benchmarks/bench_build.py alternating_builds).")
    if (paired := max(results, key=lambda r: r["facts"])["engine"].get("paired")) and len(results) > 1:
        notes.append(f"Linearity (the phases' per-fact column and its target): the {min(sizes):g}x times are the best of "
                     f"{PAIR_RUNS} runs after each {max(sizes):g}x run, in that worker (worker_engine's `pair`), "
                     f"not those of the {min(sizes):g}x worker minutes earlier.")
    if prof_engine or prof_mkdocs:
        notes.append(f"pyinstrument profiles in {PROFILES.relative_to(REPO)}/ (profiled runs are not the timed runs).")
    notes.append("Each size runs in fresh subprocesses against a copy of the repository with a generated facts/ "
                 f"(benchmarks/make_corpus.py, seed {args.seed}); engine repeats: "
                 + ", ".join(f"{r['size']:g}x {r['repeat']}" for r in results)
                 + f"; tracemalloc pass up to {args.tracemalloc_max:g}x.")
    if args.gc_off:
        notes.append("**What-if run: the cyclic garbage collector was disabled in every worker (--gc-off).**")
    notes.append(f"Total benchmark time {(time.perf_counter() - started) / 60:.1f} min.")
    low = min(CPU_SHARE, key=lambda x: x[1])
    notes.append(f"CPU time / wall time of the workers: lowest {low[1]:.2f} ({low[0]})"
                 + (". **Below 0.9 a worker waited for a CPU: other processes competed and the times are inflated; "
                    "rerun on a quiet machine.**" if low[1] < 0.9 else " (no sign of competing processes)."))
    now = dt.datetime.now().astimezone()
    section = (f"\n## {now:%Y-%m-%d %H:%M %Z} · sizes {args.sizes}\n\n"
               f"Machine: {machine()}. Code: {commit or 'unknown'}{' with uncommitted engine changes' if dirty else ''}.\n\n"
               + tables(results, notes, alternating))
    print(section)
    if not args.no_append:
        if not args.results.exists():
            args.results.write_text("# Build benchmark results\n\nAppended by `python benchmarks/bench_build.py`; newest last.\n")
        with args.results.open("a", encoding="utf-8") as fh:
            fh.write(section)
        print(f"appended to {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
