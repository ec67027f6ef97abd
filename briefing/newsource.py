"""`add-source` and `draft`: an article becomes a source file and draft facts for an editor to review."""
from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from .drafting.engine import Context, Drafts, draft_article, slug
from .drafting.inputs import Article, flat, read_article, records
from .drafting.writer import FACTS_HEADER, REGIONS_HEADER, merged, reviewed
from .models import SLUG
from .textmatch import SourceText


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def read_article_text(file: Path) -> tuple[str | None, str | None]:
    """(text, None) or (None, what is wrong with the file)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        return None, f"cannot read {file}: {exc.strerror or exc}"
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        return None, (f"{file}: not UTF-8 text: byte offset {exc.start} (0x{data[exc.start]:02x}) cannot be decoded; "
                      "save the article as UTF-8 and try again")
    if not text.strip():
        return None, f"{file} is empty: paste the article's text into it first"
    return text, None


def add_source(root: Path, file: Path, title: str, publisher: str, date: str | None, sid: str | None,
               authors: list[str], language: str, translation: str, licence: str, url: str | None) -> int:
    text, problem = read_article_text(file)
    if problem:
        return _error(problem)
    today = dt.date.today()
    if date and dt.date.fromisoformat(date) > today:
        return _error(f"--date {date} is in the future (today is {today.isoformat()}): give the article's publication date")
    sid = sid or "-".join(filter(None, [slug(publisher.split("(")[0], 60), date, slug(title, 40)])).strip("-")
    if not re.match(SLUG, sid):
        print(f"error: '{sid}' is not a lowercase slug; pass --id", file=sys.stderr)
        return 2
    paths = _paths(root, sid)
    for path in (paths["source"], paths["facts"]):
        if path.exists():
            return _error(f"{path.relative_to(root)} already exists; choose another --id, or run "
                          f"`python build_site.py draft {sid}` to draft that source again")
    front = {"id": sid, "title": title, "publisher": publisher, "published": date, "authors": authors,
             "language": language, "url": url, "licence": licence, "translation": translation, "boilerplate": []}
    article = Article(sid, paths["source"], front, SourceText(text))
    drafts = _draft(root, article)
    if not drafts.facts:
        return _error(f"{file}: no sentence states a number, so there is nothing to draft; nothing written "
                      "(add facts without figures by hand, see README: Editing)")
    paths["source"].write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100)
                               + "---\n" + text, encoding="utf-8")
    print(f"wrote {paths['source'].relative_to(root)}")
    _write(root, sid, drafts)
    return 0


def draft_again(root: Path, sid: str) -> int:
    paths = _paths(root, sid)
    if not re.match(SLUG, sid) or not paths["source"].exists():
        known = sorted(p.stem for p in (root / "facts" / "sources").glob("*.txt"))
        return _error(f"unknown source '{sid}': there is no facts/sources/{sid}.txt"
                      + (f"; sources: {', '.join(known)}" if known else ""))
    try:
        article = read_article(paths["source"])
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        return _error(f"{paths['source'].relative_to(root)}: cannot read it ({exc}); run `python build_site.py check`")
    if article is None:
        return _error(f"{paths['source'].relative_to(root)} has no front matter; run `python build_site.py check`")
    drafts = _draft(root, article)
    _write(root, sid, drafts)
    return 0


def _paths(root: Path, sid: str) -> dict[str, Path]:
    facts = root / "facts"
    return {"source": facts / "sources" / f"{sid}.txt", "facts": facts / "facts" / f"{sid}.yml",
            "regions": facts / "regions" / f"{sid}.yml"}


def _existing(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def _draft(root: Path, article: Article) -> Drafts:
    """Draft with what facts/ knows; the source's own earlier drafts are left out, its reviewed facts respected."""
    paths = _paths(root, article.id)
    facts_by_file = records(root / "facts" / "facts")
    regions_by_file = records(root / "facts" / "regions")
    own_regions = {r["id"] for r in regions_by_file.get(paths["regions"], []) if r.get("status") == "draft"}
    own_drafts = {f["id"] for f in facts_by_file.get(paths["facts"], []) if f.get("status") == "draft"}
    regions = [r for r in flat(regions_by_file) if r["id"] not in own_regions]
    facts = [f for f in flat(facts_by_file) if f.get("status") != "draft"]
    spans = []
    for fact in facts + reviewed(_existing(paths["facts"])):
        for c in fact.get("citations") or []:
            if isinstance(c, dict) and c.get("source") == article.id and (span := article.text.find(str(c.get("quote")))):
                spans.append(span)
    taken = {f["id"] for f in flat(facts_by_file) if f["id"] not in own_drafts} | {r["id"] for r in regions}
    topics = flat(records(root / "facts" / "topics"))
    return draft_article(article.id, article.text, article.published,
                         Context(regions, topics, facts, frozenset(taken), tuple(spans)))


def _write(root: Path, sid: str, drafts: Drafts) -> None:
    paths = _paths(root, sid)
    text = merged(_existing(paths["facts"]), FACTS_HEADER.format(sid=sid), drafts.facts)
    paths["facts"].write_text(text or FACTS_HEADER.format(sid=sid) + "[]\n", encoding="utf-8")
    regions = merged(_existing(paths["regions"]), REGIONS_HEADER.format(sid=sid), drafts.regions)
    if regions:
        paths["regions"].write_text(regions, encoding="utf-8")
    elif paths["regions"].exists():
        paths["regions"].unlink()  # it held only this source's earlier drafts
    kinds = Counter(f["kind"] for f in drafts.facts)
    figures = sum(len(f["figures"]) for f in drafts.facts)
    if not drafts.facts:
        print(f"nothing to draft in {sid}: reviewed facts cite every sentence that states a number")
        return
    print(f"drafted {len(drafts.facts)} facts with {figures} figures in {paths['facts'].relative_to(root)} ("
          + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")")
    if drafts.regions:
        print(f"proposed {len(drafts.regions)} places in {paths['regions'].relative_to(root)}: "
              + ", ".join(r["name"] for r in drafts.regions))
    print("\nNext: run `python build_site.py serve` and open \"Drafts to review\". For each draft, correct it in the YAML"
          "\nfile and delete its `status: draft` line (or delete the draft); then `python build_site.py check`."
          "\nList page furniture (bylines, footers) under `boilerplate:` in the source's front matter.")
