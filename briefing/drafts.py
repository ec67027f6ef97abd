"""Drafts: facts and regions with `status: draft`, written by add-source and not reviewed yet. Who sees them:

- `check` validates them like any record and reports, per source, how many await review. Numeric coverage and
  corroboration count reviewed facts only: a number that only a draft quotes is still missing.
- `build` (and `mkdocs build`) publishes none of them: no page, search entry, nav entry, map dot, chart bar,
  facts.json/csv or figures.json row. It says how many it left out.
- `serve` (and `mkdocs serve`) shows them (the plugin's `drafts` option: `auto` is this policy, `show` and `hide`
  apply it everywhere) with a DRAFT badge and lists them on the "Drafts to review" page (in the
  nav while there are drafts; without drafts, serve renders what build does).
- A reviewed record may not lean on a draft (a fact placed in a draft region, a region under a draft parent, a chart
  bar naming a draft fact): `check` reports it, since `build` would pull the draft out from under it.

Reviewing a draft = correcting it against its quote and deleting its `status: draft` line.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict

from .corpus import Corpus, Finding, Records


def is_draft(record) -> bool:
    return record.status == "draft"


def awaiting_review(corpus: Corpus) -> dict[str, list]:
    """Source id -> its draft facts (a draft belongs to the first source it cites), in corpus order."""
    out = defaultdict(list)
    for fact in corpus.facts.values():
        if is_draft(fact):
            out[fact.citations[0].source].append(fact)
    return out


def draft_regions(corpus: Corpus) -> list:
    return [r for r in corpus.regions.values() if is_draft(r)]


def any_in(corpus: Corpus) -> bool:
    """Whether the corpus holds drafts: only then is there a Drafts to review page (never after leave_out)."""
    return any(map(is_draft, corpus.facts.values())) or bool(draft_regions(corpus))


def leave_out(records: Records, findings: list[Finding]) -> tuple[Records, list[Finding], dict[str, int]]:
    """The validated records and findings without any draft (what `build` publishes), and how many were left out."""
    facts = {fid for fid, f in records.facts.items() if is_draft(f)}
    regions = {r.id for r in records.regions.values() if is_draft(r)}
    if not facts and not regions:
        return records, findings, {"facts": 0, "regions": 0}
    articles = {sid: dataclasses.replace(a, cited=tuple(c for c in a.cited if c.fact.id not in facts))
                for sid, a in records.articles.items()}
    kept = records.replace(facts={fid: f for fid, f in records.facts.items() if fid not in facts},
                           regions={rid: r for rid, r in records.regions.items() if rid not in regions},
                           cited={fid: c for fid, c in records.cited.items() if fid not in facts}, articles=articles)
    return kept, [f for f in findings if not facts.intersection(f.facts)], {"facts": len(facts), "regions": len(regions)}


def left_out_summary(corpus: Corpus) -> str:
    n, r = corpus.left_out.get("facts", 0), corpus.left_out.get("regions", 0)
    return (f"left out {n} draft fact{'s' * (n != 1)} and {r} draft region{'s' * (r != 1)} (not reviewed yet: "
            f"`build_site.py serve` shows them on its Drafts to review page)")
