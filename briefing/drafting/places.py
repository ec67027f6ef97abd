"""Places: the gazetteer of facts/regions/ (names, Chinese names, aliases), mentions in a text, the first region of a
figure, and places the gazetteer does not know, proposed as draft regions."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import rules

_LETTER = r"A-Za-z"


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str
    parent: str | None
    proposed: bool = False


@dataclass(frozen=True)
class Mention:
    start: int  # offsets in the paragraph
    end: int
    place: str  # region id
    rank: int = 2  # 0 subject, 1 located ("in X"), 2 plain, 3 origin ("from X")
    passing: bool = False  # named only in passing (rules.STRATEGY_PHRASES, "from X"): no region beside another place


@dataclass
class Gazetteer:
    places: dict[str, Place] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)  # lowercased name or alias -> region id
    _pattern: re.Pattern | None = None

    @classmethod
    def from_regions(cls, regions: list[dict]) -> "Gazetteer":
        g = cls()
        regions = [r for r in regions if r.get("name")]  # a region still being typed
        for r in regions:
            g.places[r["id"]] = Place(r["id"], r["name"], r.get("kind", "zone"), r.get("parent"))
        # Names first, so that a region's own name wins over another region's alias that equals it.
        for r in regions:
            for v in [r["name"], re.sub(r"\s*\(.*\)\s*", "", r["name"])]:
                g.variants.setdefault(v.strip().lower(), r["id"])
        for r in regions:
            for v in [str(r.get("name_zh") or "")] + [str(a) for a in r.get("aliases") or []]:
                if v and (" " in v or "-" in v or len(v) >= rules.MIN_ALIAS or not v.isascii()):
                    g.variants.setdefault(v.strip().lower(), r["id"])
        return g

    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            alts = "|".join(re.escape(v) for v in sorted(self.variants, key=len, reverse=True))
            self._pattern = re.compile(rf"(?<![{_LETTER}])(?:{alts})(?![{_LETTER}]){rules.KIND_WORDS}", re.I)
        return self._pattern

    def depth(self, rid: str) -> int:
        return len(self.ancestors(rid))

    def ancestors(self, rid: str) -> list[str]:
        out, cur = [], self.places[rid].parent if rid in self.places else None
        while cur and cur in self.places and cur not in out:
            out.append(cur)
            cur = self.places[cur].parent
        return out

    def common_parent(self, ids: list[str]) -> str | None:
        chains = [[i] + self.ancestors(i) for i in ids]
        shared = [a for a in chains[0] if all(a in c for c in chains[1:])]
        return shared[0] if shared else None

    def mentions(self, text: str) -> list[Mention]:
        out = []
        words = re.findall(r"[A-Za-z]+", text)
        headline = len(words) > 2 and sum(w[0].isupper() for w in words) > 0.6 * len(words)  # Title Case
        for m in self.pattern().finditer(text):
            name = re.sub(rules.KIND_WORDS + r"$", "", m.group(0), flags=re.I).lower()
            rid = self.variants.get(name) or self.variants.get(m.group(0).lower())
            if rid:
                rank = _rank(text, m.start(), m.end())
                name = re.match(r"-[A-Z]" if headline else r"(-|\s)[A-Z]", text[m.end():])
                if name and not self.pattern().match(text, m.end() + 1):
                    # "Beijing-Kunming" expressway, "Shenyang Aerospace University": a route or an organisation
                    # named after a place, not the place of the figure
                    rank = 3
                between = text[out[-1].end:m.start()] if out else None
                if between is not None and re.fullmatch(r"\s*(?:,|and|, and|-)?\s*", between):
                    if rank == 0 and out[-1].rank != 3:  # "Beijing and Hebei are exploring": the verb has them all as subject
                        k = len(out)
                        while k and (k == len(out) or re.fullmatch(r"\s*(?:,|and|, and|-)?\s*", text[out[k - 1].end:out[k].start])):
                            out[k - 1] = Mention(out[k - 1].start, out[k - 1].end, out[k - 1].place, 0)
                            k -= 1
                    else:
                        rank = out[-1].rank  # "with Huailai County and Chicheng County": one list, one role
                elif between == "-to-":
                    rank = 3  # "Beijing-to-Tianjin-Hebei contracts": Beijing's, going to the others
                out.append(Mention(m.start(), m.end(), rid, rank))
        spans = [(h.start(), h.end()) for p in _STRATEGY for h in p.finditer(text)]
        return [Mention(m.start, m.end, m.place, m.rank, True) if _in_passing(text, m, spans) else m for m in out]


_NAME = r"(?-i:[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)"  # a capitalised name, also in a case-blind phrase
_STRATEGY = [re.compile(p.format(p=_NAME), re.I) for p in rules.STRATEGY_PHRASES]
_ORIGIN = re.compile(r"\b(?:" + "|".join(rules.PASSING_ORIGIN_WORDS) + r")\s+(?:the\s+)?\Z", re.I)


def _in_passing(text: str, m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(a <= m.start and m.end <= b for a, b in spans) or bool(_ORIGIN.search(text[max(0, m.start - 12):m.start]))


def _rank(text: str, start: int, end: int) -> int:
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 25):start])
    after = re.match(r"[\s'’s]*(?:city\s+|district\s+|county\s+|province\s+)?([A-Za-z]+)", text[end:], re.I)
    prev = before[-1].lower() if before else ""
    prev2 = before[-2].lower() if len(before) > 1 else ""
    if prev == "of" and prev2 in ("south", "north", "east", "west", "southeast", "southwest", "northeast", "northwest"):
        return 3  # "50 kilometers south of Beijing": where distances are measured from
    word = after.group(1) if after else ""
    modifier = word.islower() and bool(re.match(r"\s+[a-z]", text[end:])) and word not in rules.PHRASE_END \
        and word not in rules.SUBJECT_VERBS and not word.endswith(("ed", "ly"))
    if prev == "of" or (prev == "the" and prev2 == "of"):
        # "32% of the Beijing-Tianjin-Hebei region": a share's whole; "the GDP of Binhai": whose it is; "the number
        # of Beijing enterprises": where they come from
        return 3 if modifier or re.search(r"(?:%|percent|\d)\s+of\s+(?:the\s+)?\Z", text[:start]) else 1
    if prev in rules.ORIGIN_WORDS or (prev == "the" and prev2 in rules.ORIGIN_WORDS) or (prev, prev2) == ("as", "such"):
        return 3
    if prev in ("in", "at", "to", "into") or (prev == "the" and prev2 in ("in", "at", "to", "into")):
        return 1
    if re.match(r"['’]s\b", text[end:]):
        return 1  # "Cangzhou's green chemical industry"
    if after and (after.group(1).lower() in rules.SUBJECT_VERBS or after.group(1).lower().endswith(("ed", "ly"))):
        return 0
    if modifier:
        return 3  # "Beijing enterprises": a modifier, where they come from
    return 2


def place_first(mentions: list[Mention], before: list[str], g: Gazetteer) -> bool:
    """Whether the place named before in the paragraph should come before this sentence's places: when the
    sentence names places only as origins ("of the Beijing-Tianjin-Hebei region"), or names only broad regions that
    the place before is not part of ("Projects in the Beijing-Tianjin-Hebei region" in a paragraph about Fuxin)."""
    if mentions and all(m.rank == 3 for m in mentions):
        return True
    if not mentions or not before:
        return False
    broad = [m.place for m in mentions if g.places[m.place].kind == "region"]
    guessed = g.places[before[0]].proposed  # a proposed place's parent is only a guess
    return len(broad) == len(mentions) and before[0] not in broad and \
        (guessed or not any(b in g.ancestors(before[0]) for b in broad))


def first_regions(mentions: list[Mention], text: str, g: Gazetteer) -> list[str]:
    """Region ids for a figure: the most specific place covering the whole figure first, then the others.

    A place that is an ancestor of another one mentioned ("Huailai County in Zhangjiakou City") is not where the
    figure is; places listed together ("Binhai and Baodi parks") give their common parent first."""
    if not mentions:
        return []
    # places named in passing go when another place is named: Tianjin's GDP is not Beijing's nor the region's
    mentions = [m for m in mentions if not m.passing] or mentions
    ids = list(dict.fromkeys(m.place for m in mentions))
    ancestors = {a for i in ids for a in g.ancestors(i)}
    best_rank = {}
    for m in mentions:  # a place named twice keeps its strongest role
        best_rank[m.place] = min(m.rank, best_rank.get(m.place, 9))
    mentions = [Mention(m.start, m.end, m.place, best_rank[m.place]) for m in mentions]
    # a subject stays even when its own parts are named after it ("Cangzhou ... Bohai New District, Hejian")
    cands = [m for m in mentions if m.place not in ancestors or m.rank == 0] or mentions
    best = min(m.rank for m in cands)
    primary = [m for m in cands if m.rank == best]
    first = primary[0].place
    listed = [primary[0]]
    for m in primary[1:]:
        between = text[listed[-1].end:m.start]
        if m.place != listed[-1].place and _LIST.fullmatch(between) and "-to-" not in between:
            listed.append(m)
        else:
            break
    if len({m.place for m in listed}) > 1 and not any(g.places[m.place].proposed for m in listed):
        parent = g.common_parent([m.place for m in listed])
        if parent:
            first = parent
    return [first] + [i for i in ids if i != first]


_SUFFIX = "|".join(re.escape(s) for s in sorted(rules.PLACE_SUFFIXES, key=len, reverse=True))
_GENERIC_AND = "|".join(sorted(rules.GENERIC_NAME_WORDS))
_PROPOSAL = re.compile(rf"(?<![\w-])((?:[A-Z][\w’'-]*\s+|(?:{_GENERIC_AND})\s+and\s+(?=[A-Z])){{1,5}}?)({rules.PLACE_INFIX}(?i:{_SUFFIX}))\b")
_BEFORE = "|".join(re.escape(s) for s in sorted(rules.PLACE_BEFORE, key=len, reverse=True))
_NAMED_BEFORE = re.compile(rf"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?) ({_BEFORE})\b")
_LIST = re.compile(r"(?:[-\s][\w’'-]+){0,2}\s*(?:,|and|, and|&|/|-)\s*(?:the\s+)?")


@dataclass(frozen=True)
class Proposal:
    start: int
    end: int
    name: str
    kind: str
    parent: str | None  # a known place its name starts with


def proposal_key(name: str, g: Gazetteer) -> str:
    """A proposed name without leading known places and administrative words: "Beijing Yanqing District" -> yanqing."""
    words = name.split()
    while len(words) > 1 and words[0].lower() in g.variants:
        words.pop(0)
    return re.sub(r"\s+(?:" + "|".join(rules.ADMIN_SUFFIXES) + r")$", "", " ".join(words), flags=re.I).lower()


def unknown_places(text: str, g: Gazetteer, known: list[Mention]) -> list[Proposal]:
    """Capitalised names ending in a place word ("Mingzhu Trade City", "Huludao city") the gazetteer lacks."""
    out = []
    for m in _NAMED_BEFORE.finditer(text):
        if not any(w.lower() in g.variants for w in m.group(1).split()) and m.group(1) not in rules.NOT_NAME_START:
            out.append(Proposal(m.start(1), m.end(1), m.group(1), rules.PLACE_BEFORE[m.group(2)], None))
    for m in _PROPOSAL.finditer(text):
        words = m.group(1).split()
        if not words[0][0].isupper():
            continue
        while words and (words[0] in rules.NOT_NAME_START or not words[0][0].isupper()):
            words.pop(0)
        name = " ".join(words)
        start = m.start(2) - len(name) - 1
        parent = None
        while len(words) > 1 and words[0].lower() in g.variants:  # "Beijing Cangzhou Bohai New Area": in Cangzhou
            parent = g.variants[words.pop(0).lower()]
        if not words or all(w in rules.GENERIC_NAME_WORDS | {"and"} for w in words):
            continue
        inside = [k for k in known if k.start < m.end() and k.end > start]
        rest = name
        for k in inside:  # the known places it names, and whether anything else is left
            rest = re.sub(re.escape(text[k.start:k.end].split()[0]), "", rest, flags=re.I)
        suffix = m.group(2)
        admin = suffix.split()[-1].title() in rules.ADMIN_SUFFIXES or suffix.title() in rules.ADMIN_SUFFIXES
        if inside and admin and not re.sub(rules.KIND_WORDS, "", rest).strip(" -’'s"):
            continue  # "Yanqing District": a known place
        full = f"{name} {suffix}"
        if full.lower() in g.variants or proposal_key(full, g) in g.variants:
            continue
        kind = next((k for w, k in rules.PLACE_SUFFIXES.items() if suffix.lower().endswith(w.lower())), "zone")
        out.append(Proposal(start, m.end(), full, kind, parent))
    return out
