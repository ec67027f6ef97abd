#!/usr/bin/env python3
"""Archives shaped otherwise than bench_build.py's: `python benchmarks/bench_shapes.py [--times 100]`.

bench_build.py grows the corpus the way make_corpus.py invents it: about a thousand places at 100x, so each place's
page holds a few dozen facts. Other archives are possible and found problems that one did not show (a source page's
glossary look-up tried at every character, 23 s of rendering; Pagefind's excerpts, 24 s before the first result on a
page of 2,000 matching facts). Each shape is built cold, as an editor's `python build_site.py build` (the file cache
and the site deleted first), in the same run as the real corpus:

- **real**: the repository's own facts/ (the 1x every ratio is taken to);
- **real ×N** (`--times`, default 100): the real corpus N times over: the same 65 places, topics and glossary, each
  article and its facts copied with ids ending `-rK`. The shape an archive of these places grows into: few places,
  thousands of facts on each of the big ones (Beijing-Tianjin-Hebei, Tianjin, Hebei);
- **long articles**: make_corpus.py at scale 2 with 3,000 facts an article (31,000 facts, 10 articles, 92 places):
  few pages, each very big.

For each: the build's time (and its engine's part) and its ratio to the real corpus's, the site's HTML (per fact,
the biggest page), what a reader downloads from opening the home page to the first result of "Hebei", "河北" and
"Tianjin companies" and the time from the last key to it (the slowest of the three; benchmarks/search_download.py),
and the one-fact edit under `serve` (bench_build.py's measure: the engine refresh and MkDocs' dirty build). The
section is appended to results.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import bench_build  # noqa: E402
import make_corpus  # noqa: E402

QUERIES = ["Hebei", "河北", "Tianjin companies"]
MARK = "SHAPE-RESULT "
_BUILT = re.compile(r"built ([\d,]+) facts, (\d+) sources, (\d+) regions, (\d+) pages in ([\d.]+) s \(engine ([\d.]+) s\)")


def replicate(times: int, root: Path, code_from: Path = REPO) -> Path:
    """The real corpus `times` times over in a copy of the repository at root (see the module)."""
    make_corpus.copy_code(root, code_from)
    shutil.rmtree(root / "facts", ignore_errors=True)
    shutil.copytree(REPO / "facts", root / "facts")
    for k in range(1, times):
        for path in sorted((REPO / "facts" / "sources").iterdir()):
            text = path.read_text(encoding="utf-8").replace(f"\nid: {path.stem}\n", f"\nid: {path.stem}-r{k}\n", 1)
            (root / "facts" / "sources" / f"{path.stem}-r{k}{path.suffix}").write_text(text, encoding="utf-8")
        for path in sorted((REPO / "facts" / "facts").glob("*.yml")):
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"^(- id: )(\S+)", rf"\g<1>\g<2>-r{k}", text, flags=re.M)
            text = re.sub(r"^(\s+(?:- )?source: )(\S+)", rf"\g<1>\g<2>-r{k}", text, flags=re.M)
            (root / "facts" / "facts" / f"{path.stem}-r{k}.yml").write_text(text, encoding="utf-8")
    return root


class TreeMemory:
    """The memory of a process and of every process under it, sampled by a thread every `interval` seconds (Linux:
    /proc): `peak_mb`, the largest sum of their proportional set sizes (PSS: a page shared by n processes counts 1/n
    in each, so forked workers are not counted twice), and `by_name`, each command's largest PSS then. A build is
    more than its Python process: the search's indexing process, Pagefind's CLI, the forked workers. (Every half
    second: reading a big process's smaps_rollup costs a few ms, and these builds are timed.)"""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid, self.interval = pid, interval
        self.peak_mb, self.by_name = None, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        out = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    for child in f.read().split():
                        out += self._tree(int(child))
        except OSError:  # gone meanwhile, or no /proc
            pass
        return out

    def _sample(self) -> None:
        total, names = 0.0, {}
        for pid in self._tree(self.pid):
            try:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    pss = next(int(ln.split()[1]) for ln in f if ln.startswith("Pss:")) / 1024
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    args = f.read().split(b"\0")
            except (OSError, StopIteration, ValueError):
                continue
            name = ("search indexing (python)" if b"briefing.searchindex" in args else
                    "build (python)" if pid == self.pid else
                    "forked worker (python)" if os.path.basename(args[0]).startswith(b"python") else
                    os.path.basename(args[0]).decode(errors="replace"))
            names[name] = names.get(name, 0.0) + pss
            total += pss
        if total and (self.peak_mb is None or total > self.peak_mb):
            self.peak_mb, self.by_name = total, names

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return {"peak_mb": self.peak_mb, "by_name": self.by_name}


def build(root: Path) -> dict:
    """`python build_site.py build` in root, cold; its time, what it printed, and its memory (TreeMemory)."""
    shutil.rmtree(root / ".briefing-cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "build_site.py", "build"], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    memory = TreeMemory(proc.pid)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    memory = memory.stop()
    found = _BUILT.search(stdout + stderr)
    if proc.returncode or not found:
        sys.stderr.write(stdout[-3000:] + stderr[-3000:])
        raise SystemExit(f"the build failed in {root} (exit {proc.returncode})")
    facts, sources, places, pages, _, engine = found.groups()
    html = [p for p in (root / "site").rglob("*.html")]
    biggest = max(html, key=lambda p: p.stat().st_size)
    return {"seconds": seconds, "engine": float(engine), "facts": int(facts.replace(",", "")), "sources": int(sources),
            "places": int(places), "pages": int(pages), "html_mb": sum(p.stat().st_size for p in html) / 2**20,
            "biggest": (biggest.relative_to(root / "site").parent.as_posix(), biggest.stat().st_size / 2**20),
            "memory": memory}


def serve_edit(root: Path) -> dict:
    """bench_build.py's one-fact edit under serve, in a fresh process in root."""
    code = (f"import sys, json; sys.path[:0] = [{str(root)!r}, {str(HERE)!r}]; import bench_build as b; "
            f"from pathlib import Path; print({MARK!r} + json.dumps(b._serve_edit(Path({str(root)!r}), True)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"})
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode or not lines:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"the serve edit failed in {root} (exit {proc.returncode})")
    return json.loads(lines[-1][len(MARK):])


def measure(name: str, root: Path, log) -> dict:
    bench_build.wait_idle()
    out = {"shape": name, **build(root)}
    log(f"{name}: built {out['facts']:,} facts in {out['seconds']:.1f} s (engine {out['engine']:.1f} s)")
    try:
        import search_download
        runs = search_download.measure_many(root / "site", QUERIES)
        out["search"] = {"mb": max(r["bytes"] for r in runs) / 2**20,
                         "last_key_ms": max(r["first_result_ms"] for r in runs),
                         "slowest": max(runs, key=lambda r: r["first_result_ms"])["query"],
                         "foreign": sum(len(r["foreign_requests"]) for r in runs)}
        log(f"{name}: search {out['search']}")
    except Exception as exc:  # no Chromium here: the other figures still count  # noqa: BLE001
        log(f"{name}: search not measured: {exc}")
    out["serve"] = serve_edit(root)
    log(f"{name}: one-fact edit under serve {out['serve']['serve_edit']:.2f} s")
    return out


def _memory(m: dict) -> str:
    if not m["peak_mb"]:
        return "–"
    pagefind = sum(v for name, v in m["by_name"].items() if name.startswith("pagefind"))
    return f"{m['peak_mb']:,.0f} MB ({pagefind:,.0f} MB)"


def table(results: list[dict]) -> str:
    base = results[0]["seconds"]
    rows = ["| shape | facts · articles · places · pages | build (engine) | / real | HTML: all, per fact, biggest page "
            "| search: downloaded, last key → first result (slowest query) | one-fact edit under `serve` (slowest of 8) "
            "| memory: the whole build at its peak (Pagefind's CLI) |",
            "|---|---|---:|---:|---|---|---:|---:|"]
    for r in results:
        s = r.get("search")
        search = (f"{s['mb']:.2f} MB, {s['last_key_ms']:,.0f} ms ({s['slowest']}){'' if not s['foreign'] else ', ' + str(s['foreign']) + ' foreign requests'}"
                  if s else "–")
        rows.append(f"| {r['shape']} | {r['facts']:,} · {r['sources']} · {r['places']} · {r['pages']} "
                    f"| {r['seconds']:.1f} s ({r['engine']:.1f} s) | {r['seconds'] / base:.1f}× "
                    f"| {r['html_mb']:.0f} MB, {r['html_mb'] * 2**20 / r['facts'] / 1000:.1f} kB, {r['biggest'][0]}/ "
                    f"{r['biggest'][1]:.1f} MB | {search} | {r['serve']['serve_edit']:.2f} s | {_memory(r['memory'])} |")
    return "\n".join(rows) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--times", type=int, default=100, help="how many times the real corpus is copied (default 100)")
    p.add_argument("--code", type=Path, default=REPO, metavar="DIR",
                   help="build with the engine of another checkout, e.g. a git worktree of an earlier commit")
    p.add_argument("--results", type=Path, default=bench_build.RESULTS)
    p.add_argument("--no-append", action="store_true", help="print the table only")
    args = p.parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    code = args.code.resolve()
    commit = subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    corpora = make_corpus.CORPORA
    real = corpora / "real"
    make_corpus.copy_code(real, code)
    shutil.rmtree(real / "facts", ignore_errors=True)
    shutil.copytree(REPO / "facts", real / "facts")
    shapes = [("real", real), (f"real ×{args.times}", replicate(args.times, corpora / f"real-x{args.times}", code)),
              ("long articles", make_corpus.make_corpus(2, corpora / "long-articles", code_from=code,
                                                        facts_per_source=3000)[0])]
    results = [measure(name, root, log) for name, root in shapes]
    now = dt.datetime.now().astimezone()
    section = (f"\n## {now:%Y-%m-%d %H:%M %Z} · other shapes (bench_shapes.py)\n\n"
               f"Machine: {bench_build.machine()}. Code: {commit or 'unknown'}. Each build cold "
               f"(`build_site.py build`, file cache and site deleted first), one after the other in this run; "
               f"total {(time.perf_counter() - started) / 60:.1f} min.\n\n" + table(results))
    print(section)
    if not args.no_append:
        with args.results.open("a", encoding="utf-8") as fh:
            fh.write(section)
        log(f"appended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
