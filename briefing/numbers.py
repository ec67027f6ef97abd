"""Numbers as articles write them: "1,406", "172.1 billion", "38%", "three"."""
from __future__ import annotations

import re
from math import isfinite
from typing import NamedTuple

# A number written in digits: not glued to a preceding letter or digit ("5G" still counts, "COVID-19" does not).
DIGITS = re.compile(r"(?<![A-Za-z\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])")
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE = "|".join(SCALE_WORDS)  # the scale words, as a pattern's alternatives
_SCALE_AFTER = re.compile(rf"\s*({_SCALE})\b", re.I)
WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
              "hundred": 100, "dozen": 12, "single": 1, "double": 2, "twin": 2})
_WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.I)


class Number(NamedTuple):  # a tuple: made for every number of every quote and paragraph
    start: int
    end: int
    text: str
    value: float
    scale: str | None  # "billion" in "172.1 billion yuan"


# A number and the scale word after it, in one match (not a second pattern tried after each number).
_DIGITS_SCALED = re.compile(rf"(?P<number>{DIGITS.pattern})(?:\s*(?P<scale>(?i:{_SCALE}))\b)?")


def digit_numbers(text: str) -> list[Number]:
    out = []
    for m in _DIGITS_SCALED.finditer(text):
        number, scale = m.group("number", "scale")
        out.append(Number(m.start(), m.end("number"), number, float(number.replace(",", "")),
                          scale.lower() if scale else None))
    return out


def word_numbers(text: str) -> list[Number]:
    """The number words: "three", "twenty" ("twenty-three" is two of them)."""
    words = []
    for m in _WORD.finditer(text):
        scale = _SCALE_AFTER.match(text, m.end())
        words.append(Number(m.start(), m.end(), m.group(0), float(WORDS[m.group(0).lower()]),
                            scale.group(1).lower() if scale else None))
    return words


def all_numbers(text: str) -> list[Number]:
    """Digits and number words; what a figure's value may be matched against."""
    return digit_numbers(text) + word_numbers(text)


_WORD_VALUES = frozenset(WORDS.values())
_WORD_MAX = max(_WORD_VALUES)


def may_be_a_word(value: float) -> bool:
    """Whether a number word can write this value (the same value: `same`). Most figures' values cannot, and their
    quotes need not be searched for words (a pattern of 33 words tried at every word: most of a figure check). The
    words write whole numbers up to a hundred, where `same` allows a ten-millionth: only the nearest can be it."""
    if not -1 < value < _WORD_MAX + 1:
        return False
    nearest = round(value)
    return nearest in _WORD_VALUES and same(value, nearest)


def unit_scale(unit: str) -> str | None:
    first = unit.split()[0].lower() if unit.split() else ""
    return first if first in SCALE_WORDS else None


def same(a: float, b: float) -> bool:
    """Equal within a billionth of the larger (1 and 1.0, 0.1 + 0.2 and 0.3); an infinite value (a number of 309 digits
    or more, YAML's .inf) only to itself, not to every number, as a billionth of infinity would allow."""
    if a == b:
        return True
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)) if isfinite(a) and isfinite(b) else False


def same_as(numbers: list[Number], value: float) -> list[Number]:
    """The numbers whose value is `value` (`same`). Each is first compared in line with the furthest value `same`
    allows (1e-9 of the larger, so at most just over 1e-9 of `value`): a call per number of every quote was a tenth
    of the figure checks."""
    reach = 1.000001e-9 * max(1.0, abs(value))
    return [n for n in numbers if not abs(n.value - value) > reach and same(n.value, value)]  # NaN: same() says


def format_value(value: float) -> str:
    """1406 -> "1,406"; 172.1 -> "172.1"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.10f}".rstrip("0").rstrip(".")


# What an article writes around a number that makes it approximate or a bound, by the figure's `qualifier`
# (models.Qualifier). One table, read by `check` (a figure whose quote says "more than 85%" needs `qualifier: more than`).
QUALIFIER_CUES = {
    "more than": ["more than", "over", "exceeding", "exceeded", "exceeds", "exceed", "above", "in excess of",
                  "upwards of", "beyond", "greater than", "surpassing", "surpassed", "surpasses", "surpass"],
    "about": ["about", "approximately", "around", "nearly", "almost", "roughly", "close to", "some"],
    "at least": ["at least", "no less than", "not less than", "no fewer than", "not fewer than"],
    "up to": ["up to", "at most", "no more than", "not more than", "a maximum of"],
    "less than": ["less than", "fewer than", "under", "below"],
}
QUALIFIER_CUES_AFTER = {"at least": ["or more", "and above", "or above"], "about": ["or so"], "up to": ["or less"]}


def _any_of(cues: dict[str, list[str]]) -> str:
    """One alternation of every cue, longest first ("no more than" before "more than")."""
    return "|".join(sorted((re.escape(c) for cs in cues.values() for c in cs), key=len, reverse=True))


_CUE_BEFORE = re.compile(rf"(?<![\w-])({_any_of(QUALIFIER_CUES)})\s+$", re.I)
# after the number: its unit (up to two words, "85%", "3,000 mu") and the cue, not "or more than ..."
_CUE_AFTER = re.compile(rf"^\s*%?(?:\s*[A-Za-z]+){{0,2}}?\s+({_any_of(QUALIFIER_CUES_AFTER)})\b(?!\s+than)", re.I)
_QUALIFIER_OF = {c.lower(): q for table in (QUALIFIER_CUES, QUALIFIER_CUES_AFTER) for q, cs in table.items() for c in cs}


# The last word of each cue before a number: what the text before the number (its whitespace stripped) must end
# with for _CUE_BEFORE to match there. A cheap test first: the pattern is tried at each of the 30 characters before
# the number. (Not for a tail with other than ASCII: a few other letters match ASCII ones in a case-blind pattern.)
_CUE_ENDS = tuple(sorted({cue.split()[-1].lower() for cues in QUALIFIER_CUES.values() for cue in cues}))
_CUE_AFTER_WORDS = ("or", "and")  # every cue after a number holds one (case-blind: no other letter matches theirs)


def qualifier_cue(text: str, number: Number) -> tuple[str, str] | None:
    """(qualifier, the words) when the text qualifies the number: "more than 85%", "85% or more"; else None."""
    start = max(0, number.start - 30)
    tail = text[start:number.start].rstrip()  # the pattern's \s is what rstrip strips
    last = tail[-14:]  # the longest last word of a cue ("approximately") and the character before it
    if start + len(tail) < number.start and (not last.isascii() or last.lower().endswith(_CUE_ENDS)):
        before = _CUE_BEFORE.search(text, start, number.start)
        if before:
            return _qualifier_of(before.group(1)), before.group(1)
    following = text[number.end:number.end + 40]
    lowered = following.lower()
    if any(word in lowered for word in _CUE_AFTER_WORDS):
        after = _CUE_AFTER.match(following)
        if after:
            return _qualifier_of(after.group(1)), after.group(1)
    return None


def _qualifier_of(words: str) -> str:
    """The qualifier of a cue as the text writes it: its case aside, and a few letters that a case-blind pattern
    takes for ASCII ones ("approxımately", with a dotless ı, is "approximately")."""
    found = _QUALIFIER_OF.get(words.lower())
    if found is None:
        found = next(q for cue, q in _QUALIFIER_OF.items() if re.fullmatch(re.escape(cue), words, re.I))
    return found
