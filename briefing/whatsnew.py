"""What the pages show of the history (briefing.history): dates on each fact, corrections, the "What's new" page,
removed facts. Links are made by the templates through render.View (this module says to which page), days are
ISO dates the templates format (the `when` filter)."""
from __future__ import annotations

from dataclasses import dataclass

from .corpus import Corpus
from .history import ADDED, CITATION, CORRECTED, DETAILS, REMOVED, WORDING, Change, History
from .numbers import format_value
from .urls import fact_anchor, region_page_src

CHANGES_SRC = "changes.md"
GROUPS = [  # how a day's changes are listed: (anchor suffix, title, kinds)
    ("added", "Added", {ADDED}),
    ("corrected", "Corrected", {CORRECTED}),
    ("changed", "Changed", {CITATION, DETAILS, WORDING}),
    ("removed", "Removed", {REMOVED}),
]
WHAT_CHANGED = {CITATION: "quote or citation changed", DETAILS: "kind, date, places or topics changed",
                WORDING: "wording changed", ADDED: "added", CORRECTED: "figure corrected", REMOVED: "removed"}


def figure_text(value, unit: str, qualifier: str | None) -> str:
    """A figure as the tables show it: 'more than 1,460 companies'."""
    return f"{qualifier + ' ' if qualifier else ''}{format_value(value)} {unit}"


def figure_changes(before: tuple, after: tuple) -> list[str]:
    """What a correction changed, one text per figure: '1,460 → 1,406 companies' (the label when there are several;
    figures are matched by position when their number is unchanged, else by label)."""
    if len(before) == len(after):
        pairs = list(zip(before, after))
    else:
        old, new = {g[0]: g for g in before}, {g[0]: g for g in after}
        pairs = [(old.get(g[0]), g) for g in after] + [(g, None) for g in before if g[0] not in new]
    several = len(before) > 1 or len(after) > 1
    out = []
    for old, new in pairs:
        if old and new and old[1:] == new[1:]:
            continue
        label = f"{(new or old)[0]}: " if several else ""
        if old is None:
            out.append(f"{label}added, {figure_text(*new[1:])}")
        elif new is None:
            out.append(f"{label}withdrawn (was {figure_text(*old[1:])})")
        elif old[2:] == new[2:]:  # same unit and qualifier: said once
            q = f"{new[3]} " if new[3] else ""
            out.append(f"{label}{q}{format_value(old[1])} → {q}{format_value(new[1])} {new[2]}")
        else:
            out.append(f"{label}{figure_text(*old[1:])} → {figure_text(*new[1:])}")
    return out


@dataclass(frozen=True)
class Entry:
    """One change as the pages list it."""

    change: Change
    src: str  # the page that holds the fact (or the changes page, for a fact no longer published)
    anchor: str
    details: list[str]  # corrections: the figures; other changes: what changed
    holds_anchor: bool = False  # a removed fact's last removal: the changes page carries its #fact-<id> anchor


class WhatsNew:
    """The history seen from the current corpus. Without history every method answers 'nothing'."""

    def __init__(self, corpus: Corpus, history: History | None = None, site_url: str = "", site_name: str = "",
                 days_shown: int = 30, per_group: int = 100):
        self.c = corpus
        self.h = history or History()
        self.site_url, self.site_name = site_url, site_name
        self.days_shown, self.per_group = days_shown, per_group
        self.key = f"{self.h.head}|{site_url}|{site_name}"  # what the pages' signatures depend on
        self._removed = {}  # fact id -> its last removal, for facts removed and not published again
        for fid, changes in self.h.of.items():
            if changes[-1].kind == REMOVED and fid not in corpus.facts:
                self._removed[fid] = changes[-1]
        self._removed_newest_first = sorted(self._removed.values(), key=lambda c: (-c.time, c.fact))
        self._removed_by_region: dict[str, list[Change]] = {}  # one pass, not a sort per region page
        for c in self._removed_newest_first:
            if c.regions:
                self._removed_by_region.setdefault(c.regions[0], []).append(c)

    @property
    def available(self) -> bool:
        return self.h.available

    @property
    def note(self) -> str | None:
        return self.h.note

    def dates(self, fid: str) -> tuple[str, str] | None:
        """(first published, last changed), or None when the fact has no history."""
        first = self.h.first_published(fid)
        return (first, self.h.last_changed(fid)) if first else None

    def corrections(self, fid: str) -> list[tuple[str, list[str]]]:
        """[(day, figure changes)] of the fact's corrections, oldest first."""
        return [(c.day, figure_changes(c.before, c.figures)) for c in self.h.of.get(fid, [])
                if c.kind == CORRECTED]

    def all_corrections(self) -> list[Entry]:
        """Every correction of a fact still published, newest first."""
        return [self.entry(c) for c in reversed(self.h.changes) if c.kind == CORRECTED and c.fact in self.c.facts]

    def entry(self, c: Change) -> Entry:
        fact = self.c.facts.get(c.fact)
        if fact is not None:
            home = fact.regions[0]
            src = region_page_src(self.c, home)
        else:
            src = CHANGES_SRC
        details = (figure_changes(c.before, c.figures) if c.kind == CORRECTED else
                   [figure_text(*g[1:]) for g in c.figures] if c.kind in (ADDED, REMOVED) else [WHAT_CHANGED[c.kind]])
        return Entry(c, src, fact_anchor(c.fact), details, self._removed.get(c.fact) is c)

    @property
    def latest_day(self) -> str | None:
        return self.h.changes[-1].day if self.h.changes else None

    def days(self):
        """The latest days with changes, newest first: [(day, [(group, title, entries, how many not shown)])].
        A group lists at most per_group entries (the rest are in data/facts.json), removed facts always."""
        by_day: dict[str, list[Change]] = {}
        for c in reversed(self.h.changes):
            if c.day not in by_day and len(by_day) == self.days_shown:
                break
            by_day.setdefault(c.day, []).append(c)
        out = []
        for day, changes in by_day.items():
            groups = []
            for name, title, kinds in GROUPS:
                chosen = sorted((c for c in changes if c.kind in kinds), key=lambda c: (-c.time, c.fact))
                if chosen:
                    shown = chosen if name == "removed" else chosen[:self.per_group]
                    groups.append((name, title, [self.entry(c) for c in shown], len(chosen) - len(shown)))
            out.append((day, groups))
        return out

    def earlier_removals(self) -> list[Entry]:
        """Removed facts whose removal is older than the days the page lists (they keep their anchor there)."""
        shown = {day for day, _ in self.days()} if self._removed else set()
        return [self.entry(c) for c in self._removed_newest_first if c.day not in shown]

    def removed_from(self, rid: str) -> list[Entry]:
        """Facts that were on this region's page and have been removed, newest first."""
        return [self.entry(c) for c in self._removed_by_region.get(rid, [])]
