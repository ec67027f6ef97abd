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


def split_sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for m in _END.finditer(text):
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
