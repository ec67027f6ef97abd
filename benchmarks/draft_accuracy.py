"""How close `add-source` drafts come to the curated facts: each curated article drafted leave-one-out.

For each article in facts/sources/ that has curated facts, the drafter gets a gazetteer without the places only that
article introduced (regions its facts reference that no other article's facts reference, directly or as an
ancestor) and a topic vocabulary without its facts, drafts the article, and is compared with the curated facts:

- found: a curated figure is found when a draft whose quote overlaps the curated citation has a figure of the same
  value;
- listed regions: of all the regions the drafts of found figures list, the share the curated fact lists too (noise);
- per found figure: unit (normalised: lower case, British spellings as American, each word singular; a counted noun
  also matches by its head word with the same scale word, "forest farms" = "farms", never for units of measure),
  kind, date (the same text) and first region (the same id, or a proposed draft place whose name, without place
  words such as "City" or "District", is the curated region's name or one of its aliases); also, without a target,
  the qualifier ("more than", "about", ...: the same, or both none).

Claim quality, over every draft: result claims without "will"; claims without a referring word ("the city", "the
district"); claims not opening with a connective or lead-in ("Among them,", "Statistics show that"); and, over the drafts of the dated articles only
(relative dates cannot be resolved without a publication date), claims without a relative date phrase said of the
figure ("last year", "at present", "the past five years"; a baseline such as "over the previous year" is none).

    .venv/bin/python benchmarks/draft_accuracy.py [--no-append] [--misses]
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.drafting import rules  # noqa: E402
from briefing.drafting.engine import Context, draft_article  # noqa: E402
from briefing.drafting.inputs import flat, read_article, records  # noqa: E402
from briefing.numbers import same  # noqa: E402
from briefing.drafting.claims import CONNECTIVE, relative_date  # noqa: E402

TARGETS = {"found": 95, "unit": 90, "kind": 85, "date": 80, "region": 80}
_SPELLING = {"metre": "meter", "metres": "meters", "centre": "center", "centres": "centers", "tonne": "ton",
             "tonnes": "tons", "kilometre": "kilometer", "kilometres": "kilometers"}
_MEASURE_WORDS = {w.lower() for m in rules.MEASURES for w in m.split()} | {"%"}
_PLACE_WORDS = re.compile(r"\b(city|district|county|province|new area|new district|municipality|league)\b|\(.*?\)", re.I)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us")) and len(word) > 2:
        return word[:-1]
    return word


def norm_unit(unit: str) -> list[str]:
    return [_singular(_SPELLING.get(w, w)) for w in unit.lower().replace("per cent", "%").replace("percent", "%").split()]


def same_unit(a: str, b: str) -> bool:
    na, nb = norm_unit(a), norm_unit(b)
    if na == nb:
        return True
    scale = lambda n: [w for w in n if w in ("thousand", "million", "billion", "trillion")]  # noqa: E731
    measure = any(w in _MEASURE_WORDS for w in na + nb)
    return bool(na and nb) and not measure and na[-1] == nb[-1] and scale(na) == scale(nb)


def place_name(text: str) -> str:
    return re.sub(r"\s+", " ", _PLACE_WORDS.sub("", text)).strip(" -").lower()


def leave_one_out(sid: str, facts_by_file: dict, regions: list[dict]) -> tuple[list[dict], list[dict]]:
    """The regions and reviewed facts the drafter may know when drafting article `sid`."""
    parents = {r["id"]: r.get("parent") for r in regions}
    own = [f for path, fs in facts_by_file.items() if path.stem == sid for f in fs]
    others = [f for path, fs in facts_by_file.items() if path.stem != sid for f in fs]
    used = set()
    for f in others:
        for rid in f.get("regions") or []:
            while rid and rid not in used:
                used.add(rid)
                rid = parents.get(rid)
    introduced = {rid for f in own for rid in f.get("regions") or []} - used
    return [r for r in regions if r["id"] not in introduced], others


def compare(article, curated: list[dict], drafts, regions: dict, misses: list[str]) -> dict:
    text = article.text
    spans = []
    for d in drafts.facts:
        span = text.find(d["citations"][0]["quote"])
        spans.append((span, d))
    proposed = {r["id"]: r for r in drafts.regions}
    tally = dict(figures=0, found=0, unit=0, kind=0, date=0, region=0, qualifier=0, listed=0, listed_ok=0)
    for fact in curated:
        cited = [text.find(c["quote"]) for c in fact["citations"] if c["source"] == article.id]
        cited = [c for c in cited if c]
        for fig in fact.get("figures") or []:
            tally["figures"] += 1
            match = None
            for span, d in spans:
                if span and any(a < span[1] and span[0] < b for a, b in cited):
                    figs = [g for g in d["figures"] if same(g["value"], fig["value"])]
                    if figs:
                        best = next((g for g in figs if same_unit(g["unit"], fig["unit"])), figs[0])
                        match = (d, best)
                        break
            if match is None:
                misses.append(f"{article.id}: NOT FOUND {fig['value']} {fig['unit']} in {fact['id']}")
                continue
            d, g = match
            tally["found"] += 1
            checks = {
                "unit": same_unit(g["unit"], fig["unit"]),
                "kind": d["kind"] == fact["kind"],
                "date": str(d.get("date")) == str(fact.get("date")),
                "region": _same_region(d["regions"][0], fact["regions"][0], proposed, regions),
                "qualifier": g.get("qualifier") == fig.get("qualifier"),
            }
            tally["listed"] += len(d["regions"])  # noise: drafted places the curated fact does not list
            tally["listed_ok"] += sum(any(_same_region(r, c, proposed, regions) for c in fact["regions"])
                                      for r in d["regions"])
            for k, ok in checks.items():
                tally[k] += ok
                if not ok:
                    got = {"unit": g["unit"], "kind": d["kind"], "date": d.get("date"), "region": d["regions"][0],
                           "qualifier": g.get("qualifier")}[k]
                    want = {"unit": fig["unit"], "kind": fact["kind"], "date": fact.get("date"), "region": fact["regions"][0],
                            "qualifier": fig.get("qualifier")}[k]
                    misses.append(f"{article.id}: {k}: {got!r} != {want!r} ({fig['value']} in {fact['id']})")
    return tally


def _same_region(drafted: str, curated: str, proposed: dict, regions: dict) -> bool:
    if drafted == curated:
        return True
    if drafted not in proposed or curated not in regions:
        return False
    r = regions[curated]
    names = {place_name(str(n)) for n in [r["name"], *(r.get("aliases") or [])]}
    return place_name(proposed[drafted]["name"]) in names


_REFERRING = re.compile(r"\b(?:" + "|".join(map(re.escape, rules.REFERRING)) + r")\b(?!\s+of\s+[A-Z])", re.I)


def claim_quality(drafts: list[dict], dated: list[dict]) -> dict:
    results = [d for d in drafts if d["kind"] == "result"]
    return {"claims": len(drafts), "results": len(results), "dated": len(dated),
            "no will": sum(not re.search(r"\bwill\b", d["claim"]) for d in results),
            "no relative date": sum(not relative_date(d["claim"]) for d in dated),
            "no referring word": sum(not _REFERRING.search(d["claim"]) for d in drafts),
            "no connective": sum(not CONNECTIVE.match(d["claim"]) for d in drafts)}


def quality_table(q: dict) -> str:
    return ("| claims | result claims without “will” | without a relative date (dated articles) | without “the city/district” | "
            "without a leading connective or lead-in |\n|---:|---:|---:|---:|---:|\n"
            f"| {q['claims']} | {pct(q['no will'], q['results'])} | {pct(q['no relative date'], q['dated'])} | "
            f"{pct(q['no referring word'], q['claims'])} | {pct(q['no connective'], q['claims'])} |")


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "–"


def table(rows: list[tuple[str, dict]]) -> str:
    lines = ["| article | figures | found | unit | kind | date | first region | qualifier |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, t in rows:
        lines.append(f"| {name} | {t['figures']} | {pct(t['found'], t['figures'])} | " +
                     " | ".join(pct(t[k], t['found']) for k in ("unit", "kind", "date", "region", "qualifier")) + " |")
    return "\n".join(lines)


def verdicts(total: dict) -> str:
    lines = ["| target | measured | |", "|---|---:|---|"]
    for k, target in TARGETS.items():
        value = 100 * total[k] / (total["figures"] if k == "found" else total["found"] or 1)
        name = {"found": "found", "region": "first region"}.get(k, k)
        lines.append(f"| {name} ≥ {target}% | {value:.1f}% | {'met' if value >= target else '**not met**'} |")
    return "\n".join(lines)


def commit_line() -> str:
    git = lambda *a: subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True).stdout.strip()  # noqa: E731
    dirty = git("status", "--porcelain", "briefing", "benchmarks/draft_accuracy.py")
    return f"{git('rev-parse', '--short', 'HEAD') or 'no git'}{' with uncommitted changes to the drafter' if dirty else ''}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--no-append", action="store_true", help="print only; leave benchmarks/results.md alone")
    p.add_argument("--misses", action="store_true", help="list every miss")
    args = p.parse_args(argv)
    facts_by_file = records(ROOT / "facts" / "facts")
    regions = flat(records(ROOT / "facts" / "regions"))
    topics = flat(records(ROOT / "facts" / "topics"))
    by_id = {r["id"]: r for r in regions}
    rows, misses, all_drafts, dated_drafts = [], [], [], []
    for path in sorted((ROOT / "facts" / "sources").glob("*.txt")):
        curated = [f for fp, fs in facts_by_file.items() if fp.stem == path.stem for f in fs if f.get("figures")]
        if not curated:
            continue
        article = read_article(path)
        known, others = leave_one_out(article.id, facts_by_file, regions)
        drafts = draft_article(article.id, article.text, article.published, Context(known, topics, others))
        rows.append((article.id, compare(article, curated, drafts, by_id, misses)))
        all_drafts += drafts.facts
        dated_drafts += drafts.facts if article.published else []
    total = {k: sum(t[k] for _, t in rows) for k in rows[0][1]}
    rows.append(("**overall**", total))
    report = f"{table(rows)}\n\n{verdicts(total)}"
    report += (f"\n\nListed regions (all of a found figure's draft) that the curated fact lists too: "
               f"{pct(total['listed_ok'], total['listed'])} of {total['listed']}.")
    report += f"\n\nClaim quality:\n\n{quality_table(claim_quality(all_drafts, dated_drafts))}"
    print(report)
    if args.misses:
        print("\n".join(misses))
    if not args.no_append:
        section = (f"\n## Draft accuracy, commit {commit_line()}\n\n`benchmarks/draft_accuracy.py`: the five curated "
                   "articles drafted leave-one-out (gazetteer and topic vocabulary without what each article "
                   "introduced), compared with the curated figures; unit, kind, date, first region and qualifier are "
                   "shares of the found figures (qualifier: no target; curated figures without one count as none)."
                   f"\n\n{report}\n")
        with open(ROOT / "benchmarks" / "results.md", "a", encoding="utf-8") as f:
            f.write(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
