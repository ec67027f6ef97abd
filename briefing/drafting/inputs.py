"""What drafting reads from facts/: region, topic and fact records, and the articles (safe YAML, no validation:
drafting must work while the editor's files are half done; `check` validates)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..loader import split_front_matter
from ..textmatch import SourceText


@dataclass(frozen=True)
class Article:
    id: str
    path: Path
    front: dict
    text: SourceText

    @property
    def published(self) -> dt.date | None:
        value = self.front.get("published")
        try:
            return dt.date.fromisoformat(str(value)) if value else None
        except ValueError:  # "2022-10" or "2022-02-30": `check` says so; the drafts take it as undated
            return None


# the text fields drafting reads; a record without them (half typed) is left out, not a crash
TEXT_KEYS = ("name", "summary")


def records(folder: Path) -> dict[Path, list[dict]]:
    """Every YAML list under a folder of facts/, per file; unreadable files count as empty."""
    out = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError):  # ValueError: a date like 2022-02-30
            data = None
        out[path] = [r for r in data if isinstance(r, dict) and isinstance(r.get("id"), str)
                     and all(isinstance(r.get(k, ""), str) for k in TEXT_KEYS)] if isinstance(data, list) else []
    return out


def flat(by_file: dict[Path, list[dict]]) -> list[dict]:
    return [r for rs in by_file.values() for r in rs]


def read_article(path: Path) -> Article | None:
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    if not parts:
        return None
    front = yaml.safe_load(parts[0])
    if not isinstance(front, dict):
        return None
    return Article(path.stem, path, front, SourceText(parts[1], [str(b) for b in front.get("boilerplate") or []]))
