"""The big downloads gzip-compressed (data/facts.json.gz, facts.csv.gz, figures.json.gz).

At 100 times the real corpus facts.json, facts.csv and figures.json are 50 MB, a quarter of the site; compressed
they are 6 MB. They are always published compressed (a stable address for scripts:
`pandas.read_csv("…/facts.csv.gz")`), and also uncompressed while the corpus has at most Options.plain_downloads
facts (the real corpus: a click opens them). The figures explorer (docs/assets/briefing.js) fetches figures.json,
or figures.json.gz when that is all there is, and unpacks it in the browser (DecompressionStream).

The compressed file is one gzip member whose deflate stream is a series of pieces, each compressed on its own and
ended by a full flush (what pigz does to compress in parallel): no piece refers back to another, so a piece's bytes
depend on its text only. A piece ends after a line chosen by its content, so editing a fact changes one piece:
under `serve` the others are taken from the last rendering (compressing the whole took 0.7 s at 100x, for each
edit). One member, not one per piece: the browser's DecompressionStream reads only the first of several. The bytes
depend on the text only: no time or file name in the header.
"""
from __future__ import annotations

import struct

from zlib_ng import zlib_ng  # zlib's interface and formats, SIMD-accelerated

# the downloads published gzip-compressed (path + ".gz"); the figures explorer reads either form of figures.json
COMPRESSED = ("data/facts.json", "data/facts.csv", "data/figures.json")
CUT = 256  # a piece ends after a line whose CRC-32 is a multiple of CUT: 256 lines a piece on average
LEVEL = 6  # gzip's default: a third smaller than level 1, and the pieces kept under serve make its cost once
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, time 0, OS unknown (RFC 1952)
_LAST_BLOCK = b"\x03\x00"  # an empty final deflate block: what ends the stream after the last piece's flush


def compress(text: str | bytes, memo: dict | None = None) -> bytes:
    """text (UTF-8 bytes, or a str) gzip-compressed, its deflate stream cut at content-defined lines: a piece ends
    after a line whose CRC-32 is a multiple of CUT, and at the end of the text. `memo` (kept between renderings):
    the last text and its pieces. The pieces before the first byte that changed, and those after the last, are taken
    as they were (the cuts there fall on the same lines); only the lines between are cut and compressed again. The
    bytes are those of a compression without the memo."""
    data = text.encode() if isinstance(text, str) else text
    old, kept = (memo.get("data"), memo.get("chunks")) if memo else (None, None)
    chunks: list[tuple[int, int, bytes]] = []  # (start, end, its deflated bytes)
    at, reuse_from, delta, old_starts = 0, len(data), 0, {}
    if old is not None:
        same_start = _common_prefix(old, data)
        same_end = len(data) - _common_suffix(old, data, min(len(old), len(data)) - same_start)
        for chunk in kept:  # the pieces wholly before the first change (not the last: the end of the text cut it)
            if chunk[1] > same_start or chunk[1] == len(old):
                break
            chunks.append(chunk)
        at = chunks[-1][1] if chunks else 0
        reuse_from, delta = same_end, len(data) - len(old)
        old_starts = {chunk[0]: i for i, chunk in enumerate(kept)}
    start = at
    while at < len(data):
        newline = data.find(b"\n", at)
        end = len(data) if newline < 0 else newline + 1
        line_start, at = at, end
        if end == len(data) or zlib_ng.crc32(memoryview(data)[line_start:end - (newline >= 0)]) % CUT == 0:
            chunks.append((start, end, _deflate(memoryview(data)[start:end])))
            start = end
            # a cut after a line that did not change: from here on the text and its cuts are the last text's
            if line_start >= reuse_from and (i := old_starts.get(end - delta)) is not None:
                chunks += [(s + delta, e + delta, piece) for s, e, piece in kept[i:]]
                break
    if memo is not None:
        memo["data"], memo["chunks"] = data, chunks
    return b"".join([_HEADER, *(piece for _, _, piece in chunks), _LAST_BLOCK,
                     struct.pack("<II", zlib_ng.crc32(data), len(data) & 0xFFFFFFFF)])


def _deflate(piece) -> bytes:
    """A piece's raw deflate blocks, from a compressor of its own, ended by a full flush (byte-aligned, not final).
    zlib-ng's deflate: at the same level, files as small as zlib's in half the time (50 MB at 100x: 0.70 -> 0.37 s)."""
    z = zlib_ng.compressobj(LEVEL, zlib_ng.DEFLATED, -15)
    return z.compress(piece) + z.flush(zlib_ng.Z_FULL_FLUSH)


_BLOCK = 1 << 20  # bytes compared at a time (bytes.startswith of a memoryview: a memcmp, no copy)


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many bytes a and b share from their start."""
    n, view, at = min(len(a), len(b)), memoryview(b), 0
    while at < n:
        size = min(_BLOCK, n - at)
        if a.startswith(view[at:at + size], at):
            at += size
            continue
        low, high = at, at + size  # equal before low; a difference before high
        while high - low > 1:
            middle = (low + high) // 2
            if a.startswith(view[low:middle], low):
                low = middle
            else:
                high = middle
        return low
    return n


def _common_suffix(a: bytes, b: bytes, most: int) -> int:
    """How many bytes (at most `most`) a and b share at their end."""
    view, done = memoryview(b), 0
    while done < most:
        size = min(_BLOCK, most - done)
        if a.endswith(view[len(b) - done - size:len(b) - done], 0, len(a) - done):
            done += size
            continue
        low, high = done, done + size  # equal over the last low bytes; a difference within the last high
        while high - low > 1:
            middle = (low + high) // 2
            if a.endswith(view[len(b) - middle:len(b) - low], 0, len(a) - low):
                low = middle
            else:
                high = middle
        return low
    return most


def published(path: str, plain: bool) -> str:
    """The path of a download as the site publishes it: itself, or its compressed copy when it is published
    compressed only (`plain` False: the corpus is bigger than Options.plain_downloads)."""
    return path if plain or path not in COMPRESSED else path + ".gz"


def published_paths(paths, plain: bool) -> list[str]:
    """The paths add_compressed gives for files at these paths, in its order (it publishes what this says: the
    paths of downloads still being made, render.download_paths, are known from it)."""
    out = list(paths)
    for path in COMPRESSED:
        if path in out:
            out.append(path + ".gz")
            if not plain:
                out.remove(path)
    return out


def add_compressed(files: dict, plain: bool, memo: dict | None = None) -> dict:
    """The downloads with the compressed copy of each of COMPRESSED, and without the uncompressed one unless
    `plain`. `memo` (serve): the pieces of the last rendering, by path."""
    compressed = {path + ".gz": compress(files[path], memo.setdefault(path, {}) if memo is not None else None)
                  for path in COMPRESSED if path in files}
    return {path: compressed[path] if path in compressed else files[path] for path in published_paths(files, plain)}
