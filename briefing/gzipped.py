"""The big downloads gzip-compressed (data/facts.json.gz, facts.csv.gz, figures.json.gz).

At 100 times the real corpus facts.json, facts.csv and figures.json are 50 MB, a quarter of the site; compressed
they are 6 MB. They are always published compressed (a stable address for scripts:
`pandas.read_csv("…/facts.csv.gz")`), and also uncompressed while the corpus has at most Options.plain_downloads
facts (the real corpus: a click opens them). The figures explorer (docs/assets/briefing.js) fetches figures.json,
or figures.json.gz when that is all there is, and unpacks it in the browser (DecompressionStream).

The compressed file is a series of gzip members (RFC 1952 allows it: gzip, zcat, Python's gzip module, pandas and R
read it as one file), each cut after a line chosen by its content, so editing a fact changes one member: under
`serve` the others are taken from the last rendering (compressing the whole took 0.7 s at 100x, for each edit).
The bytes depend on the text only: no time or file name in the headers.
"""
from __future__ import annotations

import gzip
import zlib

# the downloads published gzip-compressed (path + ".gz"); the figures explorer reads either form of figures.json
COMPRESSED = ("data/facts.json", "data/facts.csv", "data/figures.json")
CUT = 256  # a member ends after a line whose CRC-32 is a multiple of CUT: 256 lines a member on average
LEVEL = 6  # gzip's default: a third smaller than level 1, and the members kept under serve make its cost once


def compress(text: str, memo: dict | None = None) -> bytes:
    """text (UTF-8) gzip-compressed, as members cut at content-defined lines. `memo` (kept between renderings):
    member by text, filled with this compression's members and emptied of the others."""
    lines = text.encode().split(b"\n")
    last = dict(memo) if memo else {}
    if memo is not None:
        memo.clear()
    out, start = [], 0
    for i, line in enumerate(lines):
        if zlib.crc32(line) % CUT == 0 or i == len(lines) - 1:
            chunk = b"\n".join(lines[start:i + 1]) + (b"\n" if i < len(lines) - 1 else b"")
            start = i + 1
            if not chunk:
                continue
            member = last.get(chunk)
            if member is None:
                member = gzip.compress(chunk, compresslevel=LEVEL, mtime=0)
            if memo is not None:
                memo[chunk] = member
            out.append(member)
    return b"".join(out) or gzip.compress(b"", mtime=0)  # an empty text: one empty member, still a gzip file


def published(path: str, plain: bool) -> str:
    """The path of a download as the site publishes it: itself, or its compressed copy when it is published
    compressed only (`plain` False: the corpus is bigger than Options.plain_downloads)."""
    return path if plain or path not in COMPRESSED else path + ".gz"


def add_compressed(files: dict, plain: bool, memo: dict | None = None) -> dict:
    """The downloads with the compressed copy of each of COMPRESSED, and without the uncompressed one unless
    `plain`. `memo` (serve): the members of the last rendering, by path."""
    out = dict(files)
    for path in COMPRESSED:
        if path in out:
            slot = memo.setdefault(path, {}) if memo is not None else None
            out[path + ".gz"] = compress(out[path], slot)
            if not plain:
                del out[path]
    return out
