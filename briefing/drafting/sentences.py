"""Sentences of a paragraph, with their offsets: what a draft fact quotes."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? ; … (and their full-width forms) unless the stop is a decimal point ("4.19") or an
# initial inside a name; it also ends where a stop is glued to the next sentence's capital (".Relevant").
_END = re.compile(r"""[.!?;…。！？；](?!\d)["'”’)]*(?=\s|[A-Z“"]|$)""")


@dataclass(frozen=True)
class Sentence:
    start: int  # offset in the paragraph text
    end: int
    text: str


# A full stop after these ends no sentence: "No. 1", "Co., Ltd. and", "the U.S. market".
_ABBREVIATION = re.compile(r"(?:\b(?:No|Nos|Co|Ltd|Inc|Corp|St|Mr|Mrs|Ms|Dr|Prof|Gov|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept"
                           r"|Oct|Nov|Dec|vs|etc|e\.g|i\.e)|\b[A-Z]\.[A-Z])\.\Z")


def _abbreviation(text: str, stop: re.Match) -> bool:
    """A full stop that ends an abbreviation, not the sentence: "No. 1", "Co., Ltd. made", "the U.S. market"."""
    if text[stop.start()] != ".":
        return False
    before = text[:stop.start() + 1]
    if re.search(r"(?:^|[\s(])[A-Z]\.\Z", before) or re.search(r"\bNo\.\Z", before):
        return True  # an initial ("U." of "U.S."), "No. 3"
    return bool(_ABBREVIATION.search(before)) and bool(re.match(r"\s+[a-z\d]", text[stop.end():]))


def split_sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for m in _END.finditer(text):
        if _abbreviation(text, m):
            continue
        _append(out, text, start, m.end())
        start = m.end()
    _append(out, text, start, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Sentence(start + lead, start + lead + len(stripped), stripped))
