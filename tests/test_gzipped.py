"""The compressed downloads (briefing/gzipped.py): gzip members cut by content, kept between renderings."""
from __future__ import annotations

import gzip
import random
import subprocess

from briefing.gzipped import compress


def _text(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(f'{{"id":"fact-{i}","claim":"Place {rng.randrange(10**6)} built {rng.random():.4f} km.","n":{i}}}\n'
                   for i in range(n))


def test_the_members_read_back_as_the_text_by_python_and_gzip():
    text = _text(3000)
    packed = compress(text)
    assert gzip.decompress(packed).decode() == text
    assert subprocess.run(["gzip", "-dc"], input=packed, capture_output=True, check=True).stdout.decode() == text
    assert packed.count(b"\x1f\x8b\x08") > 3  # several members
    assert compress(text) == packed  # no time or name in the headers: the same bytes every time
    assert compress("").startswith(b"\x1f\x8b") and gzip.decompress(compress("")) == b"" and gzip.decompress(compress("one line, no newline")) == b"one line, no newline"


def test_an_edit_compresses_one_member_again_and_keeps_the_others():
    text = _text(3000)
    memo: dict = {}
    before = compress(text, memo)
    kept = dict(memo)
    lines = text.splitlines(keepends=True)
    lines[1500] = lines[1500].replace("built", "opened")
    edited = "".join(lines[:10] + ['{"id":"new"}\n'] + lines[10:])  # and a line added near the top
    after = compress(edited, memo)
    assert gzip.decompress(after).decode() == edited
    assert after == compress(edited)  # the same bytes as without the memo
    new = [chunk for chunk in memo if chunk not in kept]
    assert 1 <= len(new) <= 2 and len(memo) > 5  # the two members with the edits, the rest taken as they were
    assert all(memo[chunk] is kept[chunk] for chunk in memo if chunk in kept)
    assert before != after
