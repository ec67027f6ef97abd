"""Find quotes in article text, tolerant only of whitespace runs, quote styles and dash variants; find whole words."""
from __future__ import annotations

import bisect
import difflib
import re
from array import array
from dataclasses import dataclass

from .numbers import DIGITS

_PLAIN = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u3000": " ",
}
_FANCY = re.compile("[" + "".join(_PLAIN) + "]")
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"\s\s+")
_ODD_SPACE = re.compile(r"[^\S ]|  ")  # whitespace that is not one plain space


def occurs_as_word(text: str, word: str) -> bool:
    """Whether `word` occurs in `text` with no word character (regular expressions' \\w: a letter, a digit or "_")
    just before or after it: what `(?<!\\w)word(?!\\w)` finds. By plain search, then a look at its two neighbours: a
    pattern that starts with a look-behind is tried at every character of the text (a glossary of a hundred terms
    over an article of 20,000 characters took 17 ms a source page)."""
    at, size = text.find(word), len(word)
    while at >= 0:
        end = at + size
        if not (at and _is_word_char(text[at - 1])) and not (end < len(text) and _is_word_char(text[end])):
            return True
        at = text.find(word, at + 1)
    return False


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def normalise(text: str) -> str:
    text = _translate(text)
    if _ODD_SPACE.search(text):  # else every whitespace run is already one space: sub would copy the text as is
        text = _SPACE.sub(" ", text)
    return text.strip()


def _translate(text: str) -> str:
    """Curly quotes, dashes and odd spaces to plain ones, one for one. Only those characters are visited: str.translate
    looks every character of the text up in its table (half a second of a build at 100 times the corpus)."""
    return text if text.isascii() else _FANCY.sub(lambda m: _PLAIN[m.group()], text)


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, anchors are p-<number>
    start: int
    end: int
    text: str
    boilerplate: bool


class SourceText:
    """An article's text with paragraph numbers and a whitespace-normalised index for quote look-ups."""

    def __init__(self, text: str, boilerplate: list[str] = ()):
        self.text = text
        furniture = {normalise(b) for b in boilerplate}
        self.paragraphs: list[Paragraph] = []
        for m in re.finditer(r"[^\n]+", text):
            if m.group(0).strip():
                number = len(self.paragraphs) + 1
                self.paragraphs.append(Paragraph(number, m.start(), m.end(), m.group(0),
                                                 bool(furniture) and normalise(m.group(0)) in furniture))
        self.unused_boilerplate = furniture - {normalise(p.text) for p in self.paragraphs} if furniture else set()
        self._starts = [p.start for p in self.paragraphs]
        # Where the numbers written in digits are (numbers.DIGITS), outside boilerplate: what an article's coverage
        # counts (resolve.coverage). Found here, where the article is read: in the processes that validate, and kept
        # by the file cache; in resolve's one process the search was a third of its time at 100 times the corpus.
        self.numbers = array("i")  # start, end of each, flat
        for p in self.paragraphs:
            if not p.boilerplate:
                for m in DIGITS.finditer(p.text):
                    self.numbers.append(p.start + m.start())
                    self.numbers.append(p.start + m.end())
        # The normalised text, and where its segments start in both texts (to map offsets back). The table maps
        # characters one to one and a lone whitespace character becomes one space, so offsets shift only after
        # leading whitespace and after runs of two or more: a segment starts there.
        translated = _translate(text)
        lead = _SPACE.match(translated)
        skip = lead.end() if lead else 0
        self._norm_at, self._orig_at = [0], [skip]
        for m in _RUN.finditer(translated, skip):
            skip += m.end() - m.start() - 1
            self._norm_at.append(m.end() - skip)
            self._orig_at.append(m.end())
        self.norm = _SPACE.sub(" ", translated[self._orig_at[0]:])

    def _to_original(self, i: int, end: bool = False) -> int:
        k = bisect.bisect_right(self._norm_at, i - 1 if end else i) - 1
        offset = (i - 1 if end else i) - self._norm_at[k]
        return self._orig_at[k] + offset + (1 if end else 0)

    def find(self, quote: str) -> tuple[int, int] | None:
        """(start, end) of the quote in the original text, or None."""
        q = normalise(quote)
        return self.span(q, self.norm.find(q) if q else -1)

    def span(self, q: str, i: int) -> tuple[int, int] | None:
        """(start, end) in the original text of the normalised quote q found at i of the normalised text (-1: None)."""
        if i < 0:
            return None
        return self._to_original(i), self._to_original(i + len(q), end=True)

    def paragraph_at(self, offset: int) -> Paragraph:
        return self.paragraphs[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def closest(self, quote: str) -> tuple[float, Paragraph, str]:
        """The passage most like the quote: (similarity 0..1, paragraph, passage)."""
        q = normalise(quote)
        best = (0.0, self.paragraphs[0], "")
        for p in self.paragraphs:
            para = normalise(p.text)
            m = difflib.SequenceMatcher(None, para, q, autojunk=False).find_longest_match(0, len(para), 0, len(q))
            start = max(0, m.a - m.b)
            window = para[start:start + len(q)]
            ratio = difflib.SequenceMatcher(None, window, q, autojunk=False).ratio()
            if ratio > best[0]:
                best = (ratio, p, window)
        return best


class QuoteFinder:
    """SourceText.find for the many quotes of one article in one run (resolve): the same first occurrence, without
    reading the article from its start for each quote. str.find reads on average half the text per quote, so an
    article quoted n times was read n/2 times: at 3,000 quotes an article of 550,000 characters (an archive of long
    articles) that was two seconds of 31,000 facts, against half a second for as many facts in short articles.

    Worth it for a LONG text only (`worth`). After AFTER quotes, the finder keeps the GRAM characters at every STEP-th
    position of the normalised text. Any occurrence of a quote of at least STEP + GRAM - 1 characters holds such a
    position in its first STEP characters, and from there every STEP characters to its end: for each of the STEP
    offsets, the positions of one of those pieces of the quote (the rarest) hold every occurrence that starts there.
    Checking them in order finds the first: str.find's (tests/test_checks.py). Shorter quotes, and the first
    AFTER, are found by str.find."""

    STEP, GRAM, AFTER = 16, 24, 64
    LONG = 100_000  # characters; in a shorter text str.find reads half of it faster than the pieces are looked up

    def __init__(self, text: SourceText):
        self.text = text
        self.finds = 0
        self._grams: dict[str, list[int]] | None = None

    @classmethod
    def worth(cls, text: SourceText) -> bool:
        """Whether a finder is worth making for this text (else SourceText.find)."""
        return len(text.norm) >= cls.LONG

    def find(self, quote: str) -> tuple[int, int] | None:
        """As SourceText.find."""
        q = normalise(quote)
        self.finds += 1
        if len(q) < self.STEP + self.GRAM - 1 or (self._grams is None and self.finds <= self.AFTER):
            return self.text.span(q, self.text.norm.find(q) if q else -1)
        return self.text.span(q, self._first(q))

    def _first(self, q: str) -> int:
        norm, grams, gram, step = self.text.norm, self._grams, self.GRAM, self.STEP
        if grams is None:
            grams = self._grams = {}
            for i in range(0, len(norm) - gram + 1, step):
                grams.setdefault(norm[i:i + gram], []).append(i)
        first, last = -1, len(q) - gram
        for offset in range(step):
            # an occurrence whose first kept position is `offset` into it has every GRAM characters of q at offset,
            # offset + STEP, ... kept: the positions of the rarest of them are its candidates (of a phrase the
            # article repeats, there are hundreds; of the part with the quote's numbers, one or two); one missing
            # and there is no such occurrence
            positions, at = None, offset
            for part in range(offset, last + 1, step):
                found = grams.get(q[part:part + gram])
                if found is None:
                    positions = ()
                    break
                if positions is None or len(found) < len(positions):
                    positions, at = found, part
                    if len(found) == 1:
                        break
            for position in positions:  # in order: the first that holds q is this offset's first occurrence
                start = position - at
                if first >= 0 and start >= first:
                    break
                if start >= 0 and norm.startswith(q, start):
                    first = start
                    break
        return first


def first_difference(a: str, b: str) -> int:
    a, b = normalise(a), normalise(b)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))
