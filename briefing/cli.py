"""Command line: check, build, serve, schema, add-source, draft. Exit codes: 0 ok, 1 invalid input, 2 usage error."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import pipeline
from .corpus import Corpus
from .diagnostics import Report
from .drafts import awaiting_review, is_draft
from .export import EDITOR_SCHEMAS, schema_text

ROOT = Path(__file__).resolve().parent.parent


def _print_report(report: Report, strict: bool) -> None:
    report.print()
    print(f"{report.summary()}{' (--strict: warnings count as errors)' if strict and report.warnings else ''}", file=sys.stderr)


def coverage_table(corpus: Corpus) -> str:
    """Per article: numeric coverage by reviewed facts and the reviewed facts citing it; then the drafts awaiting
    review, per article (drafts.py)."""
    rows = [f"{'coverage':>9}  {'numbers':>7}  {'facts':>5}  source"]
    for a in corpus.articles.values():
        reviewed = [fid for fid in a.citing_facts() if not is_draft(corpus.facts[fid])]
        rows.append(f"{a.coverage.percent:8.1f}%  {a.coverage.covered:>3}/{a.coverage.numbers:<3}  {len(reviewed):>5}  {a.id}")
    waiting = awaiting_review(corpus)
    if waiting:
        rows.append(f"drafts awaiting review ({sum(map(len, waiting.values()))}; serve shows them, build leaves them out):")
        rows += [f"{len(facts):>9}  {sid}" for sid, facts in waiting.items()]
    return "\n".join(rows)


def cmd_check(args) -> int:
    from .plugin.commands import configured_options

    options = configured_options(args.root, args.strict, drafts=True)  # the plugin's in mkdocs.yml (coverage target)
    if options is None:
        return 1
    corpus, report = pipeline.run(args.root, options, pipeline.Memo.of(args.root))
    print(f"checked {len(corpus.facts)} facts, {len(corpus.articles)} sources, {len(corpus.regions)} regions, "
          f"{len(corpus.topics)} topics, {len(corpus.terms)} glossary terms")
    print(coverage_table(corpus))
    _print_report(report, args.strict)
    return 1 if report.failed(args.strict) else 0


def cmd_build(args) -> int:
    from .plugin.commands import build_site
    return build_site(args.root, strict=args.strict, site_dir=args.site_dir)


def cmd_serve(args) -> int:
    from .plugin.commands import serve_site
    return serve_site(args.root, dev_addr=args.dev_addr, strict=args.strict)


def cmd_schema(args) -> int:
    if args.write:  # the copies in schema/ that the fact files' yaml-language-server lines point at
        folder = args.root / "schema"
        folder.mkdir(exist_ok=True)
        for kind in EDITOR_SCHEMAS:
            (folder / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")
        print(f"wrote {len(EDITOR_SCHEMAS)} schemas to {folder}")
        return 0
    print(schema_text(args.kind), end="")
    return 0


def cmd_add_source(args) -> int:
    from .newsource import add_source
    return add_source(args.root, args.file, args.title, args.publisher, args.date, args.id, args.author,
                      args.language, args.translation, args.licence, args.url)


def cmd_draft(args) -> int:
    from .newsource import draft_again
    return draft_again(args.root, args.source_id)


def _date(value: str) -> str:
    from .models import parse_day
    try:
        if len(value) != 10:
            raise ValueError
        parse_day(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got '{value}'") from None
    return value


def _dev_addr(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT such as 127.0.0.1:8000, got '{value}'")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build_site.py", description="Fact-checked Jing-Jin-Ji briefing site generator.")
    p.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this script's folder)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate facts/ and report problems as path:line:col")
    build = sub.add_parser("build", help="validate, render and build the site into site/")
    serve = sub.add_parser("serve", help="live preview that rebuilds when facts/, templates/, docs/, overrides/ or mkdocs.yml change")
    for s in (check, build, serve):
        s.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site/)")
    serve.add_argument("-a", "--dev-addr", type=_dev_addr, default="127.0.0.1:8000", metavar="HOST:PORT",
                       help="address to serve on (default 127.0.0.1:8000)")
    schema = sub.add_parser("schema", help="print the JSON Schema of the fact files (for editors' YAML language servers)")
    schema.add_argument("kind", nargs="?", default="facts", choices=list(EDITOR_SCHEMAS))
    schema.add_argument("--write", action="store_true", help="write every schema to schema/ (after changing briefing/models.py)")
    add = sub.add_parser("add-source", help="turn a plain-text article into a source file and draft facts to review")
    add.add_argument("file", type=Path, help="the article as plain UTF-8 text")
    add.add_argument("--title", required=True)
    add.add_argument("--publisher", required=True)
    add.add_argument("--date", type=_date, default=None, help="publication date YYYY-MM-DD (omit when the article states none)")
    add.add_argument("--id", default=None, help="source id (default: publisher-date-title slug)")
    add.add_argument("--author", action="append", default=[], help="an author (repeat for several)")
    add.add_argument("--language", default="en")
    add.add_argument("--translation", default="Machine translation from Chinese; text kept verbatim, errors included.")
    add.add_argument("--licence", default="© the publisher; quoted for research and commentary.")
    add.add_argument("--url", default=None)
    add.set_defaults(run=cmd_add_source)
    draft = sub.add_parser("draft", help="draft the facts of a source in facts/sources/ again; reviewed facts are kept")
    draft.add_argument("source_id", metavar="SOURCE_ID", help="the source's id (its file name in facts/sources/ without .txt)")
    draft.set_defaults(run=cmd_draft)
    check.set_defaults(run=cmd_check)
    build.set_defaults(run=cmd_build)
    serve.set_defaults(run=cmd_serve)
    schema.set_defaults(run=cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args = parser().parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `build_site.py check | head`: the reader left; no traceback, and none at exit either
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
