#!/usr/bin/env python3
"""History benchmark: `python benchmarks/bench_history.py [--scale 100] [--commits 1000]` (see benchmarks/README.md).

Makes a git repository of a generated corpus (benchmarks/make_corpus.py) with a history of `--commits` commits: the
import of the whole corpus, then one edit a commit, in turn a figure made wrong, the same figure corrected back,
a claim reworded, a fact added (a copy under a new id) and an added fact removed, so the last commit is a valid
corpus again. Dated one hour apart, written with `git fast-import`. Then it measures what the history adds to a
build: `history.load` with no cache (cold), with the cache of the last commit (warm) and with the cache of ten
commits back (incremental), the feeds and the rendering with the history against the rendering without it.
Appends a section to benchmarks/results.md (unless --no-append).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from make_corpus import CORPORA, make_corpus  # noqa: E402

START = int(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).timestamp())
ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=ENV, input=stdin, check=True, capture_output=True).stdout.decode()


def edits(texts: dict[str, str], commits: int, seed: int):
    """(path, new text) for each commit after the import; the cycle ends on a valid corpus."""
    rng = random.Random(seed)
    paths = sorted(texts)
    wrong: tuple[str, str, str] | None = None  # (path, wrong text, right text) awaiting its correction
    added: list[tuple[str, str]] = []  # (path, fact id) of copies, to remove later
    for i in range(commits):
        step = i % 5
        if step == 1 and wrong:
            path, bad, good = wrong
            texts[path] = texts[path].replace(bad, good, 1)
            wrong = None
        elif step == 4 and added:
            path, fid = added.pop(0)
            text = texts[path]
            start = text.index(f"\n- id: {fid}\n") + 1
            end = text.find("\n- id: ", start)
            texts[path] = text[:start] + (text[end + 1:] if end >= 0 else "")
        else:
            path = rng.choice(paths)
            text = texts[path]
            if step in (0, 1):  # a figure made wrong (corrected by the next commit)
                m = rng.choice(list(re.finditer(r"value: (\d+)\b", text)))
                bad = f"value: {int(m.group(1)) + 1}"
                texts[path] = text[:m.start()] + bad + text[m.end():]
                wrong = (path, f"{texts[path][m.start() - 200:m.start()]}{bad}", f"{text[m.start() - 200:m.start()]}{m.group(0)}")
            elif step == 2:  # a claim reworded
                m = rng.choice(list(re.finditer(r'\n  claim: "([^"\n]*)"', text)))
                texts[path] = text[:m.start()] + f'\n  claim: "{m.group(1)} (reworded {i})"' + text[m.end():]
            else:  # a fact added: a copy of one under a new id
                items = text.split("\n- id: ")
                k = rng.randrange(1, len(items))
                fid = items[k].split("\n", 1)[0]
                copy = f"{fid}-bench-{i}"
                texts[path] = text.rstrip("\n") + "\n\n- id: " + copy + items[k][len(fid):].rstrip("\n") + "\n"
                added.append((path, copy))
        yield path, texts[path]
    assert wrong is None, "the history must end on a valid corpus: use a number of commits that ends a cycle"


def make_history(root: Path, commits: int, seed: int) -> Path:
    """A git repository of the corpus copy `root` with `commits` commits (the first imports everything)."""
    repo = root.parent / f"history-{root.name}-{commits}"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(root, repo, ignore=shutil.ignore_patterns(".git", "site", ".site-*", ".briefing-cache", "__pycache__"))
    git(repo, "init", "-q", "-b", "main")
    # every git command below must write to this new repository only, never to the one the benchmark runs from
    assert Path(git(repo, "rev-parse", "--absolute-git-dir").strip()) == repo / ".git"
    git(repo, "add", "-A")
    env_date = f"{START} +0000"
    subprocess.run(["git", "commit", "-q", "-m", "Import the corpus"], cwd=repo, check=True,
                   env=ENV | {"GIT_AUTHOR_DATE": env_date, "GIT_COMMITTER_DATE": env_date})
    facts = repo / "facts" / "facts"
    texts = {f"facts/facts/{p.name}": p.read_text(encoding="utf-8") for p in sorted(facts.glob("*.yml"))}
    stream = []
    for i, (path, text) in enumerate(edits(texts, commits - 1, seed), 1):
        data, message = text.encode(), f"Edit {i}".encode()
        stream.append(b"commit refs/heads/main\ncommitter Bench <bench@example.org> %d +0000\ndata %d\n%s\n"
                      % (START + 3600 * i, len(message), message))
        if i == 1:
            stream.append(b"from refs/heads/main^0\n")
        stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
    git(repo, "fast-import", "--quiet", "--force", stdin=b"".join(stream))
    git(repo, "reset", "-q", "--hard", "main")
    return repo


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def measure(repo: Path) -> dict:
    sys.path.insert(0, str(repo))
    from briefing import feeds, history, pipeline, render
    from briefing.options import Options
    from briefing.whatsnew import WhatsNew

    cache = repo / history.CACHE_DIR
    shutil.rmtree(cache, ignore_errors=True)
    r = {}
    corpus, report = pipeline.run(repo, Options())
    assert not report.failed(False), report.lines()[:5]
    r["cold"], h = timed(history.load, repo, corpus)
    assert h.available, h.note
    r["warm"], _ = timed(history.load, repo, corpus)
    r["cache_mb"] = sum(p.stat().st_size for p in cache.glob("*.json")) / 1e6
    git(repo, "checkout", "-q", "--detach", "HEAD~10")
    shutil.rmtree(cache)
    history.load(repo)  # (not the corpus: it is the last commit's, these files are older)
    git(repo, "checkout", "-q", "main")
    r["incremental"], h2 = timed(history.load, repo, corpus)
    assert h2.changes == h.changes, "the incremental history differs from the cold one"
    r["changes"], r["commits"] = len(h.changes), int(git(repo, "rev-list", "--count", "HEAD"))
    r["facts"] = len(corpus.facts)
    news = WhatsNew(corpus, h, "https://example.org/jingjinji-briefing/", "Jing-Jin-Ji Briefing")
    env = render.environment(repo / "templates")
    r["feeds"], files = min(timed(feeds.atom_files, news, env) for _ in range(3))
    r["feed_files"], r["feed_mb"] = len(files), sum(len(t.encode()) for t in files.values()) / 1e6
    r["render_without"], r["render_with"] = float("inf"), float("inf")
    for _ in range(2):  # alternated, the best of each: the machine may be shared
        r["render_without"] = min(r["render_without"], timed(render.render_pages, corpus, env, repo / "docs")[0])
        seconds, pages = timed(render.render_pages, corpus, env, repo / "docs", Options(), news)
        r["render_with"] = min(r["render_with"], seconds)
    r["load"] = os.getloadavg()[0]
    r["changes_page_kb"] = len(pages.files["changes.md"].content) / 1e3
    return r


def section(r: dict, scale: float, seconds: float) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    added = r["render_with"] - r["render_without"]
    return f"""
## History (bench_history.py) {dt.date.today().isoformat()}: {r['commits']:,} commits over {scale:g}x ({r['facts']:,} facts)

{platform.processor() or platform.machine()}, Python {platform.python_version()}, commit {commit}. The repository: the import of
the whole corpus, then one edit a commit (a figure made wrong, corrected back, a claim reworded, a fact added, an
added fact removed); {r['changes']:,} changes (the import's facts count as added).

| what the history adds to a build | time |
|---|---:|
| `history.load`, no cache (cold: every commit replayed, only the blobs each changed read and the changed items parsed) | {r['cold']:.2f} s |
| `history.load`, cache of the last commit (warm) | {r['warm']:.2f} s |
| `history.load`, cache of 10 commits back (incremental: 10 commits replayed) | {r['incremental']:.2f} s |
| Atom feeds (`feeds.atom_files`): {r['feed_files']:,} files, {r['feed_mb']:.1f} MB | {r['feeds']:.2f} s |
| `render_pages` with the history − without it ({r['render_with']:.2f} s − {r['render_without']:.2f} s; includes the feeds, dates and corrections on every card, What's new ({r['changes_page_kb']:.0f} kB), removed facts) | {added:+.2f} s |
| **engine total added, cold cache** | **{r['cold'] + added:.2f} s** |
| **engine total added, warm cache** | **{r['warm'] + added:.2f} s** |

Cache file {r['cache_mb']:.1f} MB (`.briefing-cache/history-*.json`). Best of 2 (history cold, render) or 3 (feeds)
runs; load average {r['load']:.1f} at the end on {os.cpu_count()} CPUs (the machine was shared: above the CPU count the times
are inflated). Benchmark time {seconds / 60:.1f} min.
"""


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scale", type=float, default=100)
    p.add_argument("--commits", type=int, default=1001, help="commits, the import included (1 + a multiple of 5 ends on a valid corpus)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-append", action="store_true", help="print the section only")
    args = p.parse_args(argv)
    started = time.perf_counter()
    root, _ = make_corpus(args.scale, seed=args.seed)
    t_repo, repo = timed(make_history, root, args.commits, args.seed)
    print(f"repository with {args.commits} commits made in {t_repo:.1f} s: {repo}", file=sys.stderr)
    text = section(measure(repo), args.scale, time.perf_counter() - started)
    print(text)
    if not args.no_append:
        with open(HERE / "results.md", "a", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
