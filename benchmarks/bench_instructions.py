#!/usr/bin/env python3
"""Instructions the engine executes, for comparing two versions of the code on a noisy machine:
`python benchmarks/bench_instructions.py [--size 10] [--code DIR ...]`.

The shared 2-core machines this project is measured on drift by a third between two runs of the same build, so a
change worth a few per cent cannot be seen in seconds. Valgrind's callgrind counts the instructions a process executes
instead: the same count for the same code and input, whatever else the machine does. This runs the engine in one
process (no fork: valgrind would count the parent only), cold as a first build is (no file cache; the compiled
templates are kept, as every build after the first keeps them), over bench_build.py's corpus of that size, for each
code checkout given (default: this one), and prints the instructions of:

- **imports**: starting Python and importing the engine (the same for every size);
- **checks**: read, validate, resolve and the checks (pipeline.run);
- **engine**: the checks and the rendering of every page (render.render_pages).

Needs valgrind (Debian: `apt-get install valgrind`); about a minute per code at size 10. Nothing is appended to
results.md: quote the counts where they are used.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402

PARTS = {
    "imports": "from briefing import pipeline, render, templatecache",
    "checks": "from pathlib import Path\nfrom briefing import pipeline\nfrom briefing.options import Options\n"
              "pipeline.run(Path.cwd(), Options(processes=1))",
    "engine": "from pathlib import Path\nfrom briefing import pipeline, render, templatecache\n"
              "from briefing.options import Options\n"
              "corpus, report = pipeline.run(Path.cwd(), Options(processes=1))\n"
              "env = templatecache.use(render.environment(Path('templates')), Path.cwd())\n"
              "render.render_pages(corpus, env, Path('docs'), processes=1)",
}
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def corpus_for(size: float, code: Path) -> Path:
    """bench_build's corpus of this size with `code` copied in (one folder per checkout, kept between runs)."""
    if code == REPO:
        return make_corpus.make_corpus(size)[0]
    tag = hashlib.blake2b(str(code).encode(), digest_size=4).hexdigest()
    return make_corpus.make_corpus(size, out=make_corpus.CORPORA / f"x{size:g}-code-{tag}", code_from=code)[0]


def count(root: Path, part: str) -> int:
    """Instructions of one part, run cold in root (its file cache removed first)."""
    shutil.rmtree(root / ".briefing-cache" / "files", ignore_errors=True)
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                           PARTS[part]], cwd=root, capture_output=True, text=True)
    found = _COLLECTED.search(proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"valgrind failed on {part} in {root}:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=float, default=10, help="bench_build's corpus size (default 10: 3,161 facts)")
    p.add_argument("--code", type=Path, action="append", help="a checkout of this repository (repeatable; default: "
                   "this one)")
    p.add_argument("--parts", default="imports,checks,engine", help="comma-separated: imports, checks, engine")
    args = p.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    parts = args.parts.split(",")
    codes = [c.resolve() for c in args.code] if args.code else [REPO]
    print(f"size {args.size:g}: instructions (callgrind), one process, cold file cache")
    for code in codes:
        root = corpus_for(args.size, code)
        # the templates compiled once (a build keeps them in .briefing-cache/templates) and the corpus's pages made
        subprocess.run([sys.executable, "-c", PARTS["engine"]], cwd=root, capture_output=True, check=True)
        counts = {part: count(root, part) for part in parts}
        print(f"{code}: " + ", ".join(f"{part} {n / 1e9:.3f} G" for part, n in counts.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
