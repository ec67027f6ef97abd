"""When a sentence's figures hold (a date or period) and what kind of fact they make, against the publication date."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import dateparser

from ..numbers import WORDS, digit_numbers
from . import rules
from .quantities import is_year

_N = r"\d+|" + "|".join(WORDS)
_MONTH = rules.MONTH


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


def _cues(words: list[str]) -> re.Pattern:
    return _re(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")


_WHICH_YEAR = r"(\d{4}|last year|this year|the year|the previous year)"
FIRST_MONTHS = _re(rf"\bfirst (?:({_N}) months|(three quarters|two quarters|half|quarter))(?: of (?:the )?{_WHICH_YEAR})?")
_PARTS = {"quarter": 3, "half": 6, "two quarters": 6, "three quarters": 9}
MONTH_RANGE = _re(rf"\b(?:from )?({_MONTH})(?: to |-|–)({_MONTH})(?:,? (?:of )?{_WHICH_YEAR})?")
END_OF_YEAR = _re(r"\b(?:by|at|as of|until|to) the end of (last year|this year)")
LAST_MONTH = _re(r"\blast month\b")
SINCE = _re(r"\bsince (\d{4})\b")
FROM_TO = _re(r"\b(?:from )?(\d{4}) ?(?:to|-|–) ?(\d{4})\b")
PLAN_YEARS = _re(rules.PLAN_YEARS.format(n=_N))
PAST_YEARS = _re(rules.PAST_YEARS.format(n=_N))
FIVE_YEAR_PLAN = _re(r"\b(end of |during |in )?the [“\"]?(\d{1,2})(?:st|nd|rd|th) Five-Year Plan")
BY_END_YEAR = _re(r"\b(?:by|at|as of|until|to) the end of (\d{4})\b")
END_OF_MONTH = _re(rf"\b(?:by|at|as of|until|to) the end of ({_MONTH})(?:,? (\d{{4}}))?")
DAY = _re(rf"\b(?:on |since |from )?(({_MONTH}) \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?)\b")
MONTH_YEAR = _re(rf"\b(?:in |since )?(?:early |late |mid-?)?(({_MONTH}),? (\d{{4}}))\b")
IN_MONTH = _re(rf"\bin (?:early |late |mid-?)?({_MONTH})\b")
LAST_YEAR = _re(r"\b(last year|the past year|the previous year)\b")
THIS_YEAR = _re(r"\b(this year|the current year|so far this year|since the beginning of this year)\b")
NEXT_YEAR = _re(r"\bnext year\b")
YEAR = _re(r"\b(\d{4})\b")
BASELINE = _re(r"(?:compared with|compared to|than|over|from|against|versus|since)(?: the same period (?:of|in))? \Z")
PRESENT = _cues(rules.PRESENT_CUES)
TARGET = _cues(rules.TARGET_CUES)
PLAN = _cues(rules.PLAN_CUES)
FUTURE = _cues(rules.FUTURE_CUES)
CONTEXT = _cues(rules.CONTEXT_CUES)
STOCK = _cues(rules.STOCK_CUES)
EVENT = _cues(rules.EVENT_CUES)
ACHIEVED = _cues(rules.ACHIEVED_CUES)


@dataclass(frozen=True)
class When:
    """A resolved date: the Fact.date text and the month it ends in (to tell past from future)."""
    date: str
    end: tuple[int, int]
    present: bool = False  # "at present": a stock at publication, not inherited by later sentences
    this_year: bool = False  # "this year": year to date for a result, the whole year for a target


class Reference:
    """The publication date, or for an undated article the end of the latest year it mentions."""

    def __init__(self, published: dt.date | None, text: str):
        years = [int(y) for y in YEAR.findall(text) if 1949 <= int(y) <= 2100]
        self.published = published
        self.year = published.year if published else (max(years) if years else None)
        self.month = published.month if published else 12

    def now(self) -> When | None:
        if self.year is None:
            return None
        if self.published:
            return When(f"{self.year}-{self.month:02d}", (self.year, self.month), present=True)
        return When(str(self.year), (self.year, 12), present=True)


def _num(text: str) -> int:
    return int(text) if text.isdigit() else WORDS[text.lower()]


def _year(y: int) -> When:
    return When(str(y), (y, 12))


def resolve_date(sentence: str, ref: Reference) -> When | None:
    """The date a sentence states, explicitly or relative to the publication; None if it states none."""
    s = sentence
    if ref.year is not None:
        found = _relative(s, ref)
        if found:
            return found
    found = _absolute(s, ref)
    if found:
        return found
    if PRESENT.search(s):
        return ref.now()
    return None


def _which_year(phrase: str | None, last_month: int, ref: Reference) -> int:
    """The year of "the first 11 months of last year", "January to October 2022"; without one, the publication's
    year, or the year before when that part of the year had not passed at publication."""
    phrase = (phrase or "").lower()
    if phrase.isdigit():
        return int(phrase)
    if phrase in ("last year", "the previous year"):
        return ref.year - 1
    if phrase or not ref.published or last_month <= ref.month:
        return ref.year
    return ref.year - 1


def _relative(s: str, ref: Reference) -> When | None:
    y, m = ref.year, ref.month
    if (hit := FIRST_MONTHS.search(s)):
        n = _num(hit.group(1)) if hit.group(1) else _PARTS[hit.group(2).lower()]
        if 1 <= n <= 12:
            year = _which_year(hit.group(3), n, ref)
            return When(f"{year}-01/{year}-{n:02d}", (year, n))
    if (hit := MONTH_RANGE.search(s)):
        a, b = (rules.month_number(hit.group(i)) for i in (1, 2))
        year = _which_year(hit.group(3), b, ref)
        return When(f"{year - (a > b)}-{a:02d}/{year}-{b:02d}", (year, b))  # "November to February": over New Year
    if (hit := END_OF_YEAR.search(s)):
        if hit.group(1).lower() == "last year":
            return When(f"{y - 1}-12-31", (y - 1, 12))
        return _year(y)
    if LAST_MONTH.search(s) and ref.published:
        year, month = (y, m - 1) if m > 1 else (y - 1, 12)
        return When(f"{year}-{month:02d}", (year, month))
    if (hit := SINCE.search(s)):
        start = int(hit.group(1))
        if start >= y:
            return _year(start)
        end = f"{y}-{m:02d}" if ref.published else str(y)
        return When(f"{start}/{end}", (y, m))
    if (hit := FROM_TO.search(s)):
        a, b = sorted(int(hit.group(i)) for i in (1, 2))
        return When(f"{a}/{b}", (b, 12))
    if (hit := FIVE_YEAR_PLAN.search(s)):
        start = 1981 + 5 * (int(hit.group(2)) - 6)  # the 6th plan ran 1981-1985, every plan since five years
        if (hit.group(1) or "").lower().startswith("end"):
            return _year(start + 4)
        return When(f"{start}/{start + 4}", (start + 4, 12))
    if (hit := PLAN_YEARS.search(s)):
        end = y + _num(hit.group(1) or hit.group(2)) - 1
        return _year(end)
    if (hit := PAST_YEARS.search(s)):
        n = _num(hit.group(1) or hit.group(2))
        return When(f"{y - n}/{y}", (y, m))
    if LAST_YEAR.search(s):
        return _year(y - 1)
    if NEXT_YEAR.search(s):
        return _year(y + 1)
    if THIS_YEAR.search(s):
        if ref.published and m < 12:
            return When(f"{y}-01/{y}-{m:02d}", (y, m), this_year=True)
        return When(str(y), (y, 12), this_year=True)
    if (hit := END_OF_MONTH.search(s)):
        month = rules.month_number(hit.group(1))
        year = int(hit.group(2)) if hit.group(2) else (y if month <= m else y - 1)
        day = calendar.monthrange(year, month)[1]
        return When(f"{year}-{month:02d}-{day:02d}", (year, month))
    return None


def _absolute(s: str, ref: Reference) -> When | None:
    if (hit := BY_END_YEAR.search(s)):
        return When(f"{hit.group(1)}-12-31", (int(hit.group(1)), 12))
    if (hit := DAY.search(s)):
        day = _parse(hit.group(1), ref)
        if day:
            return When(day.isoformat(), (day.year, day.month))
    if (hit := MONTH_YEAR.search(s)):
        month = rules.month_number(hit.group(2))
        return When(f"{hit.group(3)}-{month:02d}", (int(hit.group(3)), month))
    for n in digit_numbers(s):
        if is_year(s, n) and not BASELINE.search(s[:n.start]):
            return _year(int(n.value))
    if ref.year is not None and (hit := IN_MONTH.search(s)):
        month = rules.month_number(hit.group(1))
        year = ref.year if month <= ref.month else ref.year - 1
        return When(f"{year}-{month:02d}", (year, month))
    return None


def _parse(text: str, ref: Reference) -> dt.date | None:
    """A calendar day such as "February 4" or "November 23, 2022", the year taken from the publication if missing
    (dateparser with the publication as its relative base, preferring the past)."""
    base = dt.datetime(ref.year, ref.month, 28) if ref.year else None
    if base is None and not re.search(r"\d{4}", text):
        return None
    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if ref.published:
        base = dt.datetime.combine(ref.published, dt.time())
    if base:
        settings["RELATIVE_BASE"] = base
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):  # a day the calendar lacks ("February 30")
        return None
    return parsed.date() if parsed else None


def resolve_kind(sentence: str, when: When | None, ref: Reference, durations_only: bool, dated: bool = True) -> str:
    """result / target / plan / event / context: the period against the publication first (a period not over at
    publication is a target or plan, whatever the tense), then cue words ("plans to" is a plan even of a past year,
    unless the sentence says it was achieved). `dated`: the sentence states its date itself (not its paragraph)."""
    s = sentence
    intent = (TARGET.search(s) or PLAN.search(s)) and not ACHIEVED.search(s)
    future = when is not None and ref.year is not None and when.end > (ref.year, ref.month)
    if when is not None and when.this_year and FUTURE.search(s):
        future = True
    if future or intent or (when is None and FUTURE.search(s)):
        return "plan" if PLAN.search(s) and not TARGET.search(s) else "target"
    if when is not None and len(when.date) == 10 and EVENT.search(s):
        return "event"
    if durations_only or (CONTEXT.search(s) and not (when and dated)) or STOCK.search(s):
        return "context"
    return "result"


def year_of(when: When | None) -> When | None:
    """A year-to-date "this year" becomes the whole year when the sentence states a target for it."""
    if when is not None and when.this_year:
        return _year(when.end[0])
    return when
