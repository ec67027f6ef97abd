"""Draft facts for an article: one per sentence that states a number, with every figure of that sentence."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..textmatch import SourceText
from . import rules
from .claims import draft_claim, draft_label
from .places import Gazetteer, Mention, Place, first_regions, place_first, proposal_key, unknown_places
from .quantities import Quantity, quantities
from .sentences import Sentence, split_sentences
from .topics import TopicModel
from .when import Reference, When, resolve_date, resolve_kind, year_of

DURATION_UNITS = {"years", "year"}


@dataclass
class Drafts:
    facts: list[dict] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)  # proposed places, as draft region records


@dataclass(frozen=True)
class Context:
    """What drafting an article needs besides its text."""
    regions: list[dict]  # region records of facts/regions/
    topics: list[dict]
    facts: list[dict]  # reviewed facts: where the topic vocabulary comes from
    taken_ids: frozenset[str] = frozenset()  # fact and region ids already in use
    skip_spans: tuple[tuple[int, int], ...] = ()  # spans of the article that reviewed facts already cite


def slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")


class _Ids:
    def __init__(self, taken):
        self.taken = set(taken)

    def new(self, base: str) -> str:
        base = base.strip("-") or "draft"
        out, n = base, 2
        while out in self.taken:
            out, n = f"{base}-{n}", n + 1
        self.taken.add(out)
        return out


def draft_article(sid: str, text: SourceText, published: dt.date | None, ctx: Context) -> Drafts:
    ref = Reference(published, text.text)
    ids = _Ids(ctx.taken_ids)
    paragraphs = [p for p in text.paragraphs if not p.boilerplate]
    g = Gazetteer.from_regions(ctx.regions)
    # the article's main place; for an article about places the gazetteer does not know, its broadest region
    main = _main_place(g, paragraphs) or next((rid for rid, p in g.places.items() if not p.parent), None)
    out = Drafts()
    g = _with_proposals(sid, g, ctx.regions, paragraphs, main, ids, out)
    model = TopicModel(ctx.topics, ctx.facts)
    names = frozenset(v.split()[0] for v in g.variants if v.strip())  # words a claim keeps capitalised
    seen: list[Mention] = []  # every mention so far, in article offsets: what "the district" refers back to
    for para in paragraphs:
        mentions = g.mentions(para.text)
        inherited: When | None = None
        regions_before: list[str] = []
        for s in split_sentences(para.text):
            own = [m for m in mentions if s.start <= m.start < s.end]
            when = resolve_date(s.text, ref)
            figures = quantities(s.text)
            span = (para.start + s.start, para.start + s.end)
            regions = _regions(s.text, own, para.text, regions_before, seen, main, g) if figures else []
            if figures and not any(a < span[1] and span[0] < b for a, b in ctx.skip_spans):
                place = g.places.get(regions[0]) if regions else None
                fact = _fact(sid, s, figures, when, inherited, ref, regions, (place, names), model, ctx)
                fact["id"] = ids.new(_id_base(fact))
                out.facts.append(_ordered(fact))
            if when is not None and not when.present:
                inherited = when  # a paragraph's date holds for its later sentences until another one is stated
            if own or figures:
                regions_before = regions or first_regions(own, para.text, g)
            seen += [Mention(para.start + m.start, para.start + m.end, m.place, m.rank) for m in own]
    used = {r for f in out.facts for r in f["regions"]}
    used |= {g.places[r].parent for r in used if r in g.places}
    out.regions = [r for r in out.regions if r["id"] in used]  # propose only the places the drafts name
    return out


def _fact(sid: str, s: Sentence, figures: list[Quantity], own: When | None, inherited: When | None, ref: Reference,
          regions: list[str], naming: tuple[Place | None, frozenset[str]], model: TopicModel, ctx: Context) -> dict:
    place, names = naming  # the first region, and the gazetteer's words that are names
    when = own or inherited
    durations = all(q.unit.lower() in DURATION_UNITS for q in figures)
    kind = resolve_kind(s.text, when, ref, durations, dated=own is not None)
    if kind in ("target", "plan"):
        when = year_of(when)
    elif when is None and kind == "result":
        when = ref.now()  # a stock stated without a date: as at publication
    elif kind == "context" and own is None:
        when = None  # a description ("There are 30 orders of vertebrates") does not take the paragraph's date
    topics = model.topics(s.text) or [t["id"] for t in ctx.topics[:1]]
    fact = {"claim": draft_claim(s.text, kind, when, ref, place, figures, names), "kind": kind}
    if when is not None:
        fact["date"] = when.date
    fact["regions"] = regions
    fact["topics"] = topics
    fact["figures"] = [_figure(q, draft_label(q.label, q.unit, place)) for q in figures]
    fact["citations"] = [{"source": sid, "quote": s.text}]
    return fact


def _figure(q: Quantity, label: str) -> dict:
    fig = {"label": label, "value": int(q.value) if float(q.value).is_integer() else q.value, "unit": q.unit}
    if q.qualifier:
        fig["qualifier"] = q.qualifier
    return fig


def _ordered(fact: dict) -> dict:
    keys = ["id", "status", "claim", "kind", "date", "regions", "topics", "figures", "citations"]
    fact["status"] = "draft"
    return {k: fact[k] for k in keys if k in fact}


def _id_base(fact: dict) -> str:
    """"tianjin-new-large-sized-projects-2022": the place, what the first figure is, the year."""
    year = str(fact.get("date") or "")[:4]
    return "-".join(filter(None, [(fact["regions"] or [None])[0], slug(fact["figures"][0]["label"], 32), year]))


def _regions(sentence: str, own: list[Mention], para: str, before: list[str], seen: list[Mention], main: str | None,
             g: Gazetteer) -> list[str]:
    """The sentence's places, else those named before in its paragraph, else what "the district" refers to, else the
    article's main place; a pronoun subject ("it has undertaken") puts the place named before first."""
    mine = first_regions(own, para, g)
    pronoun = re.search(rules.SUBJECT_PRONOUNS, sentence, re.I)
    earlier = (_anaphora(pronoun.group(1), seen, g) or before) if pronoun else before
    if mine and not ((pronoun and earlier) or place_first(own, before, g)):
        return mine
    first = earlier or before or _anaphora(sentence, seen, g) or ([main] if main else [])
    return list(dict.fromkeys(first[:1] + mine + first[1:]))


def _main_place(g: Gazetteer, paragraphs) -> str | None:
    """The place the headline (the first paragraph) is about, else the place the article names most often."""
    if paragraphs and (headline := first_regions(g.mentions(paragraphs[0].text), paragraphs[0].text, g)):
        return headline[0]
    counts = Counter()
    first = {}
    for p in paragraphs:
        for m in g.mentions(p.text):
            counts[m.place] += 1
            first.setdefault(m.place, (p.start + m.start))
    if not counts:
        return None
    return max(counts, key=lambda rid: (counts[rid], -first[rid]))


def _anaphora(sentence: str, seen: list[Mention], g: Gazetteer) -> list[str]:
    low = sentence.lower()
    for phrase, kind in rules.ANAPHORA.items():
        if re.search(rf"\b{re.escape(phrase)}\b", low):
            for m in reversed(seen):
                if g.places[m.place].kind == kind:
                    return [m.place]
    return []


def _with_proposals(sid: str, g: Gazetteer, known: list[dict], paragraphs, main: str | None, ids: _Ids,
                    out: Drafts) -> Gazetteer:
    """Unknown places as draft regions; the returned gazetteer knows them too."""
    names: dict[str, Place] = {}
    aliases: dict[str, set[str]] = {}
    regions = list(known)
    for para in paragraphs:
        known = g.mentions(para.text)
        for s in split_sentences(para.text):
            for prop in unknown_places(s.text, g, [Mention(m.start - s.start, m.end - s.start, m.place, m.rank)
                                                   for m in known if s.start <= m.start < s.end]):
                key = proposal_key(prop.name, g)
                if key in names:
                    aliases.setdefault(key, set()).add(prop.name)  # another way the article writes it
                    continue
                inside = [m.place for m in known if s.start <= m.start < s.end and m.rank < 3]
                around = [m.place for m in known if m.rank < 3]
                parent = prop.parent or (max(inside, key=g.depth) if inside else None) or \
                    (around[0] if around else None) or main
                rid = ids.new(slug(prop.name, 50))
                names[key] = Place(rid, prop.name, prop.kind, parent, proposed=True)
                out.regions.append({
                    "id": rid, "status": "draft", "name": prop.name, "name_zh": "TODO", "kind": prop.kind,
                    "parent": parent,
                    "summary": f"Proposed by add-source from {sid}, paragraph {para.number}: \"{s.text[:240]}\"",
                })
    for key, p in names.items():
        short = re.sub(r"\s+(?:" + "|".join(rules.ADMIN_SUFFIXES) + r")$", "", p.name, flags=re.I)
        others = sorted(aliases.get(key, set()) - {p.name}) + ([short] if short != p.name else [])
        regions.append(dict(id=p.id, name=p.name, kind=p.kind, parent=p.parent, aliases=others))
        if others:
            next(r for r in out.regions if r["id"] == p.id)["aliases"] = others
    extended = Gazetteer.from_regions(regions)
    for p in names.values():
        extended.places[p.id] = p
    return extended
