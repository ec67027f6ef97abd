"""'did you mean' for a misspelt id or key."""
from __future__ import annotations

import difflib


def did_you_mean(value: str, valid) -> str:
    hint = difflib.get_close_matches(value, list(valid), n=1, cutoff=0.6)
    return f": did you mean '{hint[0]}'?" if hint else ""
