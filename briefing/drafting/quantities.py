"""Figures as a sentence states them: value, unit (scale word kept), qualifier and a draft label."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbers import WORDS, Number, digit_numbers, qualifier_cue
from . import rules

_WORD = r"[A-Za-z][A-Za-z'’-]*"
# "30 km", "800-mile": a unit of measure after the number, hyphenated or not
_MEASURE = re.compile(r"\s*-?\s*(" + "|".join(re.escape(m) for m in sorted(rules.MEASURES, key=len, reverse=True))
                      + r")\b", re.I)
_PERCENT = re.compile(r"\s*(%|percent\b|per cent\b)", re.I)
_RATES = "|".join(map(re.escape, rules.RATES))
_RATE = re.compile(rf"\s*({_RATES})\b", re.I)
_RATE_IN_CLAUSE = re.compile(rf"\b({_RATES})\b", re.I)
_SCALE = re.compile(r"\s*(thousand|million|billion|trillion)\b", re.I)
_QUALIFIER = re.compile(r"\b(" + "|".join(re.escape(q) for q in sorted(rules.QUALIFIERS, key=len, reverse=True))
                        + r")\s+(?:the\s+|a\s+total\s+of\s+)?\Z", re.I)
_MONTH_BEFORE = re.compile(r"\b(" + rules.MONTH + r")\s+(\d{1,2}(?:st|nd|rd|th)?,?\s+)?\Z")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_WORDS = "|".join(w for w in WORDS if w not in ("zero", "single", "double", "twin", "hundred", "one"))
_NUMBER_WORD = re.compile(rf"\b({_WORDS})\b(?!-)", re.I)
_GRID = re.compile(rules.GRID.format(w=_WORDS), re.I)
_PERIOD_COUNT = re.compile(rules.PERIOD_COUNT, re.I)
_PERIOD_YEARS = re.compile(rules.PERIOD_YEARS, re.I)
_SHARE_OF = re.compile(r"\s+of\s+(?:the\s+|all\s+|which\b|them\b)", re.I)
_IN_NAME = re.compile(r"\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*(?=\s*[,.;:]|\s+(?:and|have|has|is|are|was|were)\b)")
_MEASURE_WORDS = {w.lower() for m in rules.MEASURES for w in m.split()}
_RANGE = re.compile(r"\s*(?:-|–|to)\s*(?=\d)")


@dataclass(frozen=True)
class Quantity:
    start: int  # offsets in the sentence
    end: int
    written: str  # the number as written, with its scale word: "172.1 billion"
    value: float
    unit: str
    qualifier: str | None
    label: str
    scale: str | None = None  # "million" in "100 million": kept when the unit is found before the number


def quantities(sentence: str) -> list[Quantity]:
    """Every figure of a sentence, in order; years, dates, ordinals and list numbers are left out."""
    numbers = digit_numbers(sentence)
    found = [_digits(sentence, n) for n in numbers if not _not_a_figure(sentence, n) and not _range_start(sentence, n)]
    found += _grid(sentence) + _number_words(sentence, found)
    found = sorted((q for q in found if q is not None), key=lambda q: q.start)
    return _labelled(sentence, _resolve_backward(sentence, found))


def _range_start(s: str, n) -> bool:
    """"1.2-1.5 billion yuan": the lower end has no scale word of its own, so no figure can say "billion" for it
    (check would refuse it); the upper end stands for the range and its sentence is quoted all the same."""
    rng = _RANGE.match(s, n.end) if not n.scale else None
    nxt = digit_numbers(s[rng.end():]) if rng else []
    return bool(nxt and nxt[0].start == 0 and nxt[0].scale)


def _not_a_figure(s: str, n) -> bool:
    after, before = s[n.end:], s[:n.start]
    if re.match(r"(?:st|nd|rd|th)\b", after) or re.match(r"[A-Z]", after):
        return True  # 20th, 5G
    if _IN_NAME.match(after) or (re.search(r"[A-Z][a-z]+\s\Z", before) and re.match(r"\s[A-Z]", after)):
        return True  # "360 Technology have deployed", "Industry 4.0 Intelligent Innovation Center"
    if is_year(s, n) or _MONTH_BEFORE.search(before):
        return True
    if any(m.start() <= n.start and n.end <= m.end() for m in _ISO_DATE.finditer(s, max(0, n.start - 8), n.end + 8)):
        return True  # 2022-10-21
    if not before.strip() and re.match(r"\s*[.)、]", after):
        return True  # "1." "2)" list numbering
    if re.search(r"\bNo\.\s*\Z", before) or re.search(r"[A-Za-z]-\Z", before):
        return True  # "No. 3", "COVID-19"
    if re.match(r":\d\d", after) or re.search(r"\d:\Z", before):
        return True  # 10:30, a time of day
    word = re.match(r"\s*(" + _WORD + ")", after)
    if _PERIOD_COUNT.search(before) and word and word.group(1).lower() in rules.PERIOD_UNITS:
        return True  # "the first 10 months"
    if _PERIOD_YEARS.search(before) and word and word.group(1).lower() in ("years", "year"):
        return True  # "over the past 5 years": the date records the period
    return False


def is_year(s: str, n) -> bool:
    """A number that is a year: 1900-2100 as a bare integer not followed by a unit ("in 2022 the", "since 2014,")."""
    if "," in n.text or "." in n.text or not 1900 <= n.value <= 2100 or n.scale:
        return False
    after = s[n.end:]
    if re.match(r"\s*(%|percent)", after) or s[max(0, n.start - 1):n.start] == "$":
        return False
    word = re.match(r"\s*(" + _WORD + ")", after)
    return not word or word.group(1).lower() in rules.YEAR_FOLLOWERS or word.group(1)[0].isupper() or \
        bool(re.match(r"\s*[,.;:)”\"’'-]", after))


def _unit_after(s: str, end: int, scale: str | None) -> tuple[str | None, int]:
    """The unit written after a number (and its scale word), and where it ends; None when a noun must be found."""
    pre = scale + " " if scale else ""
    m = _PERCENT.match(s, end)
    if m:
        return "%", m.end()
    m = _MEASURE.match(s, end)
    if m:
        unit, stop = m.group(1), m.end()
        rate = _RATE.match(s, stop)
        if rate:
            unit, stop = f"{unit} {rules.RATES[rate.group(1).lower()]}", rate.end()
        return pre + unit, stop
    return None, end


def _noun_after(s: str, end: int) -> str | None:
    """The noun a number counts: the last word of the run of words after it ("318 new large-sized projects")."""
    run = _noun_run(s, end)
    plurals = [w for w in run if plural(w)]
    return plurals[-1] if plurals else (run[-1] if run else None)


def _noun_run(s: str, end: int) -> list[str]:
    run = []
    for m in re.finditer(r"\s*(" + _WORD + r")|\s*([^\sA-Za-z])", s[end:]):
        word = m.group(1)
        if not word:
            break
        low = word.lower()
        if low in rules.PHRASE_END and not (low in ("and", "or") and run and not plural(run[-1])):
            break
        if low in ("and", "or"):
            continue  # "large and medium-sized irrigation areas": one phrase
        run.append(word)
        if len(run) >= 6:
            break
    while run and not plural(run[-1]) and len(run) > 1 and run[-1][0].isupper():
        run.pop()
    return run


def plural(word: str) -> bool:
    low = word.lower()
    return len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is"))


def _firstplural(text: str) -> str | None:
    """The noun a number at the end of a clause counts: "the number of X", else the first plural noun before it."""
    m = re.search(r"\bnumber of ((?:" + _WORD + r"\s+){0,4}?" + _WORD + r")\s+(?:in|has|have|is|was|will|reached|hit)\b",
                  text, re.I)
    if m:  # "the number of Beijing enterprises settled in Wuqing": the counted noun, not the participle after it
        words = m.group(1).split()
        return next((w for w in reversed(words) if plural(w)), words[-1]).lower()
    for w in re.findall(_WORD, text):
        if w.lower() in rules.PEOPLE_NOUNS and text.rstrip().endswith(("of", "than", "about", "nearly", "over")):
            return rules.PEOPLE_NOUNS[w.lower()]
    words = [w for w in re.findall(_WORD, text) if plural(w) and w.lower() not in rules.PHRASE_END]
    return words[0].lower() if words else None


def _qualifier(s: str, start: int, end: int) -> str | None:
    """The cue right before the number ("more than a total of 300"), else check's own reading of the sentence
    (numbers.qualifier_cue, which also knows "85% or more"): drafts and `check` agree."""
    m = _QUALIFIER.search(s[max(0, start - 30):start])
    if m:
        return rules.QUALIFIERS[m.group(1).lower()]
    cue = qualifier_cue(s, Number(start, end, s[start:end], 0.0, None))
    return cue[0] if cue else None


def _digits(s: str, n) -> Quantity | None:
    end = n.end
    scale = _SCALE.match(s, end)
    if scale:
        end = scale.end()
    unit, stop = _unit_after(s, end, n.scale)
    rng = _RANGE.match(s, end)
    if unit is None and rng:  # "1-1.5-hour": the range's first number takes the unit of the second
        nxt = digit_numbers(s[rng.end():])
        if nxt and nxt[0].start == 0:
            unit, _ = _unit_after(s, rng.end() + nxt[0].end, nxt[0].scale)
            unit = unit or _noun_after(s, rng.end() + nxt[0].end)  # "from 3 to 5 parks"
    before = re.search(r"(" + "|".join(map(re.escape, rules.CURRENCY_BEFORE)) + r")\s?\Z", s[max(0, n.start - 5):n.start])
    if unit is None and before:  # "$25.5 billion", "RMB 5 billion"
        unit = (n.scale + " " if n.scale else "") + rules.CURRENCY_BEFORE[before.group(1)]
    if unit is None:
        noun = _noun_after(s, end)
        unit = ((n.scale + " ") if n.scale else "") + noun.lower() if noun else None
    unit = _with_rate(s, n.start, max(stop, end), unit)
    written = s[n.start:end]
    return Quantity(n.start, stop if stop > end else end, written, n.value, unit or "", _qualifier(s, n.start, n.end),
                    "", n.scale)


def _with_rate(s: str, start: int, stop: int, unit: str | None) -> str | None:
    """"15,000 tasks are performed here every day" -> tasks per day; "annual investment of 100 billion yuan" -> per year."""
    if not unit or unit == "%" or " per " in unit:
        return unit
    clause = re.split(r"[,;.:]\s", s[stop:] + " ")[0]
    rate = _RATE_IN_CLAUSE.search(clause)
    if rate:
        return f"{unit} {rules.RATES[rate.group(1).lower()]}"
    if unit.split()[-1] in rules.CURRENCIES and re.search(r"\bannual\b(?:\s+\S+){0,5}\s*\Z", s[:start], re.I):
        return f"{unit} per year"
    return unit


def _number_words(s: str, digits: list) -> list[Quantity]:
    quoted = _quoted_spans(s)
    out = []
    for m in _NUMBER_WORD.finditer(s):
        if any(a <= m.start() < b for a, b in quoted) or any(q and q.start <= m.start() < q.end for q in digits):
            continue
        if re.search(r"\b(?:the|these|those|both|all)\s+\Z", s[:m.start()], re.I):
            continue  # "the three areas": refers back, counts nothing new
        if _GRID.match(s, m.start()):
            continue  # counted by _grid
        run = _noun_run(s, m.end())
        noun = _noun_after(s, m.end())
        if not noun or not plural(noun) or run.index(noun) >= rules.NUMBER_WORD_REACH or noun[0].isupper():
            continue
        if _PERIOD_COUNT.search(s[:m.start()]) and noun.lower() in rules.PERIOD_UNITS:
            continue  # "the first three quarters"
        if _PERIOD_YEARS.search(s[:m.start()]) and noun.lower() == "years":
            continue  # "in the past five years": the date records the period
        value = float(WORDS[m.group(1).lower()])
        measure, stop = _unit_after(s, m.end(), None)
        unit = measure or noun.lower()
        out.append(Quantity(m.start(), stop if measure else m.end(), m.group(1), value, unit,
                            _qualifier(s, m.start(), m.end(1)), ""))
    return out


def _grid(s: str) -> list[Quantity]:
    out = []
    for m in _GRID.finditer(s):
        for g in (1, 2):
            word = m.group(g)
            out.append(Quantity(m.start(g), m.end(g), word, float(WORDS[word.lower()]), rules.GRID_UNIT, None,
                                f"{m.group(0)} ({rules.GRID_UNIT})"))
    return out


def _resolve_backward(s: str, found: list[Quantity]) -> list[Quantity]:
    """Numbers with no noun after them count what the clause before them names ("enterprises ... will hit 240")."""
    out, prev_end = [], 0
    for q in found:
        unit = q.unit
        if not unit:
            share = _SHARE_OF.match(s, q.end)
            later = [o for o in found if o.start > q.end and o.unit]
            if share and later and s[share.end():later[0].start].strip() == "" :
                unit = later[0].unit
            else:
                unit = _firstplural(s[prev_end:q.start]) or _firstplural(s[:q.start]) or "TODO unit"
                unit = f"{q.scale} {unit}" if q.scale else unit
        out.append(Quantity(q.start, q.end, q.written, q.value, unit, q.qualifier, q.label))
        prev_end = q.end
    return out


def _quoted_spans(s: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”|\"[^\"]*\"", s)]


def _labelled(s: str, found: list[Quantity]) -> list[Quantity]:
    out, prev, prev_end = [], None, 0
    for q in found:
        label = q.label or _label(s, q, prev, prev_end)
        out.append(Quantity(q.start, q.end, q.written, q.value, q.unit, q.qualifier, label, q.scale))
        prev, prev_end = label, q.end
    return out


def _label(s: str, q: Quantity, prev: str | None, prev_end: int) -> str:
    """A draft label saying what the number counts or measures: the noun phrase after a count ("new large-sized
    projects from Beijing"), what a measure is of ("mu of wetland"), else the subject of the clause before it ("the
    total economic volume of Beijing"), else the previous figure's label with this unit."""
    after = q.start + len(q.written)
    measure = q.unit == "%" or any(w in _MEASURE_WORDS for w in q.unit.lower().split())
    run = _noun_run(s, after)
    if not measure and run and q.unit and run[-1].lower() == q.unit.split()[-1].lower():
        rest = s[after:].split(run[-1], 1)[1]
        prep = re.match(r"\s+((?:from|in|of|to|for|at)\s+[^,;.:()“”\"]{1,40}?)"
                        r"(?=\s+(?:have|has|had|were|was|are|is|will|came|and)\b|[,;.:()“”\"]|$)", rest)
        return _cap(" ".join(run) + (" " + prep.group(1) if prep else ""))
    of = re.match(r"\s+of\s+((?:the\s+)?[^,;.:()“”\"]{1,50}?)(?=\s+(?:have|has|had|were|was|are|is|will|and)\b|[,;.:()“”\"]|$)",
                  s[q.end:])
    if of and measure and q.unit != "%":
        return _cap(of.group(1))
    if q.unit in ("years", "year") and re.search(r"\b(?:past|last|recent|for|over)\s+(?:more than\s+|nearly\s+)?\Z", s[:q.start], re.I):
        return _cap(" ".join(run)) if len(run) > 1 else "Years covered"  # "for 9 consecutive years"
    subject = _subject(s[prev_end:q.start])
    if re.search(r"[A-Za-z]", subject):
        return _cap(subject)
    if of:
        return _cap(f"share of {of.group(1)}" if q.unit == "%" else of.group(1))
    if prev:
        return f"{prev} ({q.unit})"
    right = re.split(r"[;:“”\"()]|,\s", s[q.end:])[0].split()[:6]
    return _cap(" ".join(right)) if right else "TODO label"


_INTRO = re.compile(r"^(?:(?:in|over|during|since|by|as of|up to|until|for|at|from)\b[^,]*,\s*)+", re.I)


def _subject(left: str) -> str:
    clause = re.split(r"[;:“”\"()]|,\s(?!(?:and\s+)?[A-Z])|\s(?:and|which|that)\s(?=(?:has|have|is|are|was|were|will)\b)",
                      left)[-1]
    clause = _INTRO.sub("", clause.strip())
    words = clause.split()
    if "that" in [w.lower() for w in words[:5]]:
        words = words[[w.lower() for w in words].index("that") + 1:]
    while words and words[-1].lower().strip(",") in rules.LABEL_TRIM:
        words.pop()
    while words and words[0].lower() in ("the", "a", "an", "and", "has", "have", "had", "is", "are", "was", "were",
                                         "which", "covers", "covering", "with"):
        words.pop(0)
    return " ".join(words[-10:]).strip(" ,")


def _cap(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .,…")
    return text[:1].upper() + text[1:] if text else "TODO label"
