"""`add-source`: turn a plain-text article into a source file and a starter fact file with one stub per number."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from .models import SLUG
from .numbers import digit_numbers
from .textmatch import SourceText

_SENTENCE = re.compile(r"(?:[^.!?。！？]|\.(?=\d))*(?:[.!?。！？]|$)")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def short_id(sid: str, limit: int = 40) -> str:
    """The source id cut to a whole word within `limit` characters: the prefix of its stub fact ids."""
    return sid if len(sid) <= limit else sid[:limit + 1].rsplit("-", 1)[0]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that contains [start, end) (decimal points do not end sentences)."""
    for m in _SENTENCE.finditer(text):
        if m.start() <= start and end <= m.end():
            return m.group(0).strip()
    return text.strip()


def starter_facts(sid: str, text: SourceText) -> str:
    lines = ["# yaml-language-server: $schema=../../schema/facts.schema.json",
             f"# Starter facts for {sid}: one commented stub per number found in the text.",
             "# For each: uncomment, write the claim, kind, date, regions, topics and the figure, then run",
             "# `python build_site.py check` until it reports 0 errors and 100% coverage for this source.",
             "# Checklist: every number quoted; key qualitative claims (policies, projects, plans) added too;",
             "# new places added to facts/regions/; mistranslations explained in facts/glossary/.", ""]
    seen = set()
    for para in text.paragraphs:
        if para.boilerplate:
            continue
        for n in digit_numbers(para.text):
            quote = sentence_around(para.text, n.start, n.end)
            if (quote, n.text) in seen:
                continue
            seen.add((quote, n.text))
            stub = {"id": f"{short_id(sid)}-{slugify(n.text)}-p{para.number}", "claim": "TODO one plain English sentence",
                    "kind": "result", "date": "TODO", "regions": ["TODO"], "topics": ["TODO"],
                    "figures": [{"label": "TODO", "value": n.value if not n.value.is_integer() else int(n.value), "unit": "TODO"}],
                    "citations": [{"source": sid, "quote": quote}]}
            dumped = yaml.safe_dump([stub], allow_unicode=True, sort_keys=False, width=100)
            lines.append(f"# ¶{para.number}: {n.text}")
            lines += ["# " + ln for ln in dumped.rstrip("\n").splitlines()]
            lines.append("")
    return "\n".join(lines) + "\n"


def add_source(root: Path, file: Path, title: str, publisher: str, date: str | None, sid: str | None,
               authors: list[str], language: str, translation: str, licence: str, url: str | None) -> int:
    try:
        text = file.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {file}: {exc}", file=sys.stderr)
        return 1
    sid = sid or "-".join(filter(None, [slugify(publisher.split("(")[0]), date, slugify(title)[:40]])).strip("-")
    if not re.match(SLUG, sid):
        print(f"error: '{sid}' is not a lowercase slug; pass --id", file=sys.stderr)
        return 2
    source_path = root / "facts" / "sources" / f"{sid}.txt"
    facts_path = root / "facts" / "facts" / f"{sid}.yml"
    for path in (source_path, facts_path):
        if path.exists():
            print(f"error: {path.relative_to(root)} already exists; choose another --id", file=sys.stderr)
            return 1
    front = {"id": sid, "title": title, "publisher": publisher, "published": date, "authors": authors,
             "language": language, "url": url, "licence": licence, "translation": translation, "boilerplate": []}
    source_path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100) + "---\n" + text,
                           encoding="utf-8")
    parsed = SourceText(text)
    facts_path.write_text(starter_facts(sid, parsed), encoding="utf-8")
    print(f"wrote {source_path.relative_to(root)} and {facts_path.relative_to(root)}\n")
    for para in parsed.paragraphs:
        nums = ", ".join(n.text for n in digit_numbers(para.text))
        print(f"¶{para.number}: {para.text[:100]}{'…' if len(para.text) > 100 else ''}")
        if nums:
            print(f"      numbers: {nums}")
    total = sum(len(digit_numbers(p.text)) for p in parsed.paragraphs)
    print(f"\n{len(parsed.paragraphs)} paragraphs, {total} numbers: each has a commented stub in {facts_path.relative_to(root)}."
          "\nNext: list page furniture under `boilerplate:`, complete the stubs, then run `python build_site.py check`.")
    return 0
