"""build_site.py's build and serve: MkDocs (or ProperDocs) with the plugin, a build that replaces site/ only when
everything succeeded, and a live preview."""
from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

STRICT_VARIABLE = "BRIEFING_STRICT"  # mkdocs.yml: the plugin's `strict: !ENV [BRIEFING_STRICT, false]`


def _mkdocs_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_briefing", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._briefing = True
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def load(root: Path, strict_facts: bool, **overrides):
    """MkDocs' config of the repository; --strict reaches the plugin through the variable its config reads."""
    from mkdocs.config import load_config

    if strict_facts:
        os.environ[STRICT_VARIABLE] = "true"
    return load_config(str(root / "mkdocs.yml"), **overrides)


def configured_options(root: Path, strict: bool, drafts: bool):
    """The engine's options as mkdocs.yml configures the plugin (for `check`, which runs no site engine); None after
    saying what is wrong with mkdocs.yml."""
    from mkdocs.exceptions import ConfigurationError

    try:
        config = load(root, strict)
    except ConfigurationError as exc:
        print(f"mkdocs.yml: error: {exc}", file=sys.stderr)
        return None
    return config.plugins["briefing"].options(config, drafts=drafts)


def build_site(root: Path, strict: bool = False, site_dir: Path | None = None) -> int:
    """Check, render and build into a temporary folder; replace site/ only when everything succeeded."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    target = (site_dir or root / "site").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    _mkdocs_logging()
    print("checking facts/ and building the site ...", file=sys.stderr)
    try:
        config = load(root, strict, site_dir=str(tmp), strict=True)  # MkDocs' warnings are errors too
        plugin = config.plugins["briefing"]
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"error: {exc}\nnothing built; {target.name}/ left as it was", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        for entry in os.listdir(target):  # hidden entries stay, as MkDocs leaves them (a deployment's .git, say)
            if entry.startswith(".") and not (tmp / entry).exists():
                os.replace(target / entry, tmp / entry)
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=target.parent))
        os.replace(target, old / "site")
    os.replace(tmp, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    state, pages = plugin.engine.state, sum(1 for _ in target.rglob("*.html"))
    corpus, engine_s = state.corpus, sum(state.timings.values())
    print(f"checked {len(corpus.facts)} facts, {len(corpus.articles)} sources ({state.report.summary()}); rendered "
          f"{sum(k.endswith('.md') for k in state.pages)} pages in {state.timings['render']:.2f} s", file=sys.stderr)
    print(f"built {len(corpus.facts)} facts, {len(corpus.articles)} sources, {len(corpus.regions)} regions, "
          f"{pages} pages in {time.perf_counter() - started:.1f} s (engine {engine_s:.1f} s) -> {target}")
    return 0


def serve_site(root: Path, dev_addr: str = "127.0.0.1:8000", strict: bool = False) -> int:
    """Live preview; a broken edit keeps the last good pages and shows the error (plugin.on_config)."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    _mkdocs_logging()
    config = load(root, strict)
    watched = ", ".join(config.plugins["briefing"].config.watch + ["docs/", "mkdocs.yml"])
    print(f"serving on http://{dev_addr}/ (Ctrl+C stops); editing {watched} rebuilds", file=sys.stderr)
    try:
        serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True, build_type="dirty")
    except MkDocsException as exc:
        print(f"error: {exc}\nfix the files above, then run serve again", file=sys.stderr)
        return 1
    return 0
