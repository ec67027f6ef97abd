"""A draft claim: the sentence rewritten as a plain statement an editor can glance at.

Each step is one rule of rules.py (connectives, relative dates, tense, referring words) and only ever rewrites words,
never a number: a claim that lost one of its figures' numbers on the way is given up for the cleaned sentence
(better the translation's wording than a guess)."""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..numbers import WORDS
from . import rules
from .places import Place
from .quantities import Quantity, plural
from .when import BASELINE, FIRST_MONTHS, Reference, When, resolve_date

CONNECTIVE = re.compile(r"^(?:(?:" + "|".join(re.escape(c) for c in rules.CONNECTIVES) + r")\s*,|" +
                        "|".join(re.escape(c) for c in rules.LEAD_INS) + r")\s*", re.I)
_PAST = re.compile(r"\bwill\s+((?:also|further|still|again)\s+)?(" +
                   "|".join(re.escape(v) for v in sorted(rules.PAST_TENSE, key=len, reverse=True)) + r")\b")
_YEAR_PHRASE = re.compile(r"\b((?:in|during|over|for)\s+)?(" +
                          "|".join(re.escape(p) for p in sorted(rules.RELATIVE_YEAR, key=len, reverse=True)) + r")\b",
                          re.I)
_PRESENT = re.compile(r"(^|[,;]\s*)(" + "|".join(re.escape(p) for p in rules.PRESENT_PHRASES) + r")\s*,\s*", re.I)
# ... and inside a clause ("Tianjin currently has", "has attracted 42 projects to date"): taken out, the date in front
_PRESENT_INSIDE = re.compile(r",?\s+\b(?:" + "|".join(re.escape(p) for p in rules.PRESENT_PHRASES) + r")\b(?=[\s,.;])",
                             re.I)
_FIRST_MONTHS = re.compile(r"\b(?:(?:in|during|for)\s+)?(?:the\s+)?" + FIRST_MONTHS.pattern, re.I)
_PAST_YEARS = re.compile(r"\b(?:in|over|during) (?:the )?(?:past|last|recent) (?:\d+|[a-z]+) years\b", re.I)
# Words that open a sentence and are no name, whatever follows them: lowercased behind a date put in front of them.
_LOWER_FIRST = {"the", "a", "an", "its", "their", "this", "these", "there", "more", "nearly", "about", "over",
                "some", "all", "each", "every", "total", "annual", "it", "we", "they", "our", "in", "as", "by",
                "after", "with", "according", "among", "since", "during", "through", "at",
                "for", "from", "on", "under", "one", "both"} | set(WORDS)  # and number words
_MONTHS = [m.capitalize() for m in rules.MONTHS]
_WILL_BE = re.compile(f"{rules.WILL_BE_NUMBER}|{rules.WILL_BE_DONE}")
_RELATIVE = re.compile(r"\b(?:" + "|".join(map(re.escape, list(rules.RELATIVE_YEAR) + rules.PRESENT_PHRASES)) +
                       r"|(?:past|last|recent) (?:\d+|[a-z]+) years)\b", re.I)
# "the same period last year", "the level of last year": a period the figure is compared with ("the end of" is none)
_OF_PERIOD = re.compile(r"(?:same period|(?<!\bend )\bof)\s+\Z", re.I)
_DATE_WRITTEN = re.compile(rf"\b(?:19|20)\d\d\b|\b{rules.MONTH}(?![a-z])")


def clean(sentence: str) -> str:
    """The sentence without quote marks, dateline and "he said"."""
    text = re.sub(r"[“”\"]", "", sentence).strip()
    text = re.sub(rf"^[A-Z][\w’' -]{{0,30}},\s+{rules.MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:\([^)]*\))?\s*", "", text)
    text = re.sub(r"\((?:Reporter|By|Xinhua)[^)]*\)\s*", "", text)  # a dateline or byline is no part of the claim
    text = re.sub(r",?\s*(?:he|she|they|[A-Z][a-z]+ [A-Z][a-z]+) (?:said|added|noted)\.?$", ".", text).strip()
    text = text.rstrip(";,:…") + ("" if text.endswith((".", "!", "?")) else ".")
    return _cap(text)


def draft_claim(sentence: str, kind: str, when: When | None, ref: Reference, place: Place | None,
                figures: Sequence[Quantity], names: frozenset[str] = frozenset()) -> str:
    """A result whose claim names no year or month (dated by its paragraph, or as at publication) gets its date in
    front; one that names any ("As of the end of September") keeps its own words. `names`: the lowercased first
    words of the gazetteer's names, which keep their capital behind that date."""
    base = clean(sentence)
    text = _cap(CONNECTIVE.sub("", base))  # "Among them,", "Statistics show that"
    dated = False
    if ref.published:  # relative dates are resolved only against a known publication date
        text, dated = _dates(text, kind, when, ref)
    if place is not None:  # before the tense changes: "it will undertake" is how a place opens a sentence
        text = _named(text, place)
    if kind == "result":
        text = _PAST.sub(lambda m: (m.group(1) or "") + rules.PAST_TENSE[m.group(2)], text)
        text = _WILL_BE.sub(lambda m: _was(text[:m.start()]), text)
    if kind == "result" and when is not None and not dated and not _DATE_WRITTEN.search(text) \
            and not relative_date(text):
        text = f"{_cap(_phrase(when))}, {_uncap(text, names)}"
    if any(q.written.lower() not in text.lower() for q in figures):  # "Nine" may be "nine" behind a date
        return base
    return _cap(text)


def relative_date(claim: str) -> bool:
    """Whether the claim still dates its figures by publication ("at present", "last year", "the past five years"),
    as an undated article's drafts do; a baseline ("up 4.3% over last year", "the same period last year") is no date."""
    return any(not BASELINE.search(claim[:m.start()]) and not _OF_PERIOD.search(claim[:m.start()])
               for m in _RELATIVE.finditer(claim))


def _dates(text: str, kind: str, when: When | None, ref: Reference) -> tuple[str, bool]:
    """Relative date phrases replaced by what they resolve to; whether the claim now states its date."""
    dated = False
    if (hit := _FIRST_MONTHS.search(text)) and (period := resolve_date(hit.group(0), ref)):
        text, dated = text[:hit.start()] + _phrase(period) + text[hit.end():], True
    if (hit := _PAST_YEARS.search(text)) and (period := resolve_date(hit.group(0), ref)) and "/" in period.date:
        text, dated = text[:hit.start()] + f"since {period.date[:4]}" + text[hit.end():], True

    def year(m: re.Match) -> str:
        nonlocal dated
        lead, phrase = m.group(1) or "", m.group(2)
        before = text[:m.start()]
        clause_start = not before.strip() or before.rstrip().endswith((",", ";"))
        y = ref.year + rules.RELATIVE_YEAR[phrase.lower()]
        if not lead and re.search(r"\bend of\s+\Z", before, re.I):
            dated = True
            return str(y)  # "by the end of this year" -> "by the end of 2024"
        if BASELINE.search(before + (lead if lead.lower().startswith("over") else "")) and not clause_start \
                or _OF_PERIOD.search(before):
            return m.group(0)  # "up 4.3% over last year", "the same period last year": a baseline
        dated = True
        if rules.RELATIVE_YEAR[phrase.lower()] == 0 and kind == "result" and when and when.this_year:
            return _phrase(when)  # year to date
        return f"in {y}"
    text = _YEAR_PHRASE.sub(year, text)
    if kind == "result":
        now = ref.now()
        text, n = _PRESENT.subn(lambda m: f"{m.group(1)}{_phrase(now)}, ", text)
        dated = dated or n > 0
        if not dated and when is not None and when.present:
            text = _PRESENT_INSIDE.sub("", text)  # then dated by draft_claim, in front
    return text, dated


def draft_label(label: str, unit: str, place: Place | None) -> str:
    """The quantities' label tidied with the claim's rules: no date phrase, no referring word, no pronoun."""
    text = re.sub(rules.LABEL_VERB, "", label)
    text = _FIRST_MONTHS.sub("", text)
    text = _YEAR_PHRASE.sub("", re.sub(_PRESENT.pattern, r"\1", text, flags=re.I)).strip(" ,")
    ref = re.match(rules.LABEL_REFERRING, text, re.I)
    if place is not None and ref and any(place.kind in kinds for phrase, kinds in rules.REFERRING.items()
                                         if phrase.endswith(ref.group(1).lower())):
        text = _place_name(place) + text[ref.end():]
    if not re.search(r"[A-Za-z]", text) or text.lower() in rules.LABEL_PRONOUNS:
        text = unit if unit and unit != "%" else label
    return _cap(text)


def _was(subject: str) -> str:
    """"was" or "were" for the clause before the verb: "the turnover of ... contracts" is singular."""
    clause = re.split(r"[,;:]\s", subject)[-1]
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", clause.split(" of ")[0])
    return "were" if words and plural(words[-1]) else "was"


def _named(text: str, place: Place) -> str:
    """"the city's GDP" -> "Tianjin's GDP" when the drafted first region is a city."""
    name = _place_name(place)
    for phrase, kinds in rules.REFERRING.items():
        if place.kind in kinds:
            text = re.sub(rf"\b{re.escape(phrase)}\b(?!\s+of\s+[A-Z])", name, text, flags=re.I)
    if name not in text:
        text = re.sub(rules.REFERRING_SUBJECT, lambda m: m.group(1) + name, text)
    return text


def _place_name(place: Place) -> str:
    return re.sub(r"\s*\(.*\)\s*", "", place.name)


def _phrase(when: When) -> str:
    """A Fact.date as words: "in 2023", "in January–November 2023", "as of January 2024", "from 2014 to January 2024"."""
    if when.present:
        return f"as of {_words(when.date)}"
    if "/" in when.date:
        a, b = when.date.split("/")
        if a[:4] == b[:4] and len(a) == len(b) == 7:
            return f"in {_MONTHS[int(a[5:]) - 1]}–{_MONTHS[int(b[5:]) - 1]} {a[:4]}"
        return f"from {_words(a)} to {_words(b)}"
    return f"{'on' if len(when.date) == 10 else 'in'} {_words(when.date)}"


def _words(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 1:
        return date
    month = _MONTHS[int(parts[1]) - 1]
    return f"{month} {int(parts[2])}, {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _uncap(text: str, names: frozenset[str]) -> str:
    """The sentence's first word behind a date: lowercased unless it is a name (a place of the gazetteer, a
    possessive, an acronym, the start of a run of capitalised words, or capitalised again later in the sentence)."""
    words = text.split()
    first = words[0]
    bare = re.sub(r"[’']s$", "", first).strip(",;:")
    name = (bare.lower() in names or bare != first.strip(",;:") or bare.isupper() or not bare.isalpha()
            or (len(words) > 1 and words[1][:1].isupper()) or re.search(rf"\s{re.escape(bare)}\b", text[len(first):]))
    return text if name and first.lower() not in _LOWER_FIRST else text[:1].lower() + text[1:]
