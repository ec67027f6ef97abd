"""The compressed downloads (briefing/gzipped.py): one gzip member of pieces cut by content, kept between renderings."""
from __future__ import annotations

import gzip
import random
import subprocess
import zlib

from briefing import gzipped
from briefing.gzipped import compress


def _text(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(f'{{"id":"fact-{i}","claim":"Place {rng.randrange(10**6)} built {rng.random():.4f} km.","n":{i}}}\n'
                   for i in range(n))


def test_the_pieces_read_back_as_the_text_by_python_and_gzip_as_one_member():
    text = _text(3000)
    packed = compress(text)
    assert gzip.decompress(packed).decode() == text
    assert subprocess.run(["gzip", "-dc"], input=packed, capture_output=True, check=True).stdout.decode() == text
    one = zlib.decompressobj(wbits=31)  # one member (a browser's DecompressionStream reads no more than one)
    assert one.decompress(packed).decode() == text and one.eof and one.unused_data == b""
    assert len(packed) < len(text.encode()) / 2
    assert compress(text) == packed  # no time or name in the headers: the same bytes every time
    assert compress("").startswith(b"\x1f\x8b") and gzip.decompress(compress("")) == b""
    assert gzip.decompress(compress("one line, no newline")) == b"one line, no newline"


def test_an_edit_compresses_one_piece_again_and_keeps_the_others(monkeypatch):
    text = _text(3000)
    memo: dict = {}
    before = compress(text, memo)
    kept = {piece for _, _, piece in memo["chunks"]}
    lines = text.splitlines(keepends=True)
    lines[1500] = lines[1500].replace("built", "opened")
    edited = "".join(lines)
    made = []
    real = gzipped._deflate
    monkeypatch.setattr(gzipped, "_deflate", lambda piece: made.append(piece) or real(piece))
    after = compress(edited, memo)
    assert gzip.decompress(after).decode() == edited and after != before
    assert len(made) == 1 and len(memo["chunks"]) > 5  # the piece with the edit; the rest as they were
    assert sum(piece not in kept for _, _, piece in memo["chunks"]) == 1
    monkeypatch.undo()
    assert after == compress(edited)  # the same bytes as without the memo


def test_with_the_memo_any_series_of_edits_gives_the_bytes_of_a_compression_without_it(monkeypatch):
    """Lines changed, added and removed anywhere (the first, the last, the final newline), one edit after another:
    the pieces kept from the last text and the ones made again are always the bytes compress makes afresh."""
    monkeypatch.setattr(gzipped, "CUT", 8)  # small pieces: many edits fall near a cut
    rng = random.Random(5)
    lines = [f"line {i} {rng.random()}\n" for i in range(2000)]
    memo: dict = {}
    for step in range(300):
        op, i = rng.random(), rng.randrange(len(lines))
        if op < 0.3:
            lines[i] = lines[i].replace("line", "LINE", 1)
        elif op < 0.5:
            lines.insert(i, f"new {step}\n")
        elif op < 0.7:
            del lines[i]
        elif op < 0.8:
            lines.append(f"tail {step}\n")
        elif op < 0.85:
            lines[-1] = lines[-1].rstrip("\n")
        elif op < 0.9:
            lines.insert(0, "\n")
        text = "".join(lines)
        assert compress(text, memo) == compress(text), step
    assert gzip.decompress(compress(text, memo)).decode() == text
