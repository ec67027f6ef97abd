"""Validate loaded YAML against the pydantic models, turning errors into positioned diagnostics."""
from __future__ import annotations

import difflib

from pydantic import BaseModel, ValidationError

from .diagnostics import Report
from .loader import Located


def _fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Valid keys of the (possibly nested) model at `loc`."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        ann = field.annotation
        inner = getattr(ann, "__args__", (ann,))
        nested = [a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)]
        if not nested:
            return []
        model = nested[0]
    return list(model.model_fields)


def _describe(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(model: type[BaseModel], doc: Located, report: Report, what: str):
    """The validated model, or None after reporting every problem of this record."""
    try:
        return model.model_validate(doc.value)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            kind = err["type"]
            if kind == "extra_forbidden":
                key = loc[-1]
                valid = _fields(model, loc[:-1])
                hint = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.6)
                advice = f"did you mean '{hint[0]}'?" if hint else f"valid keys: {', '.join(valid)}"
                report.error(doc.key_mark(*loc), f"unknown key '{key}' in {what}: {advice}")
            elif kind == "missing":
                report.error(doc.mark(*loc[:-1]), f"{what} is missing the required key '{loc[-1]}'")
            elif kind in ("model_type", "dict_type") and not loc:
                report.error(doc.mark(), f"each {what} must be a mapping of keys (id: ..., ...), not {type(doc.value).__name__}")
            else:
                message = err["msg"].removeprefix("Value error, ")
                if kind == "string_pattern_mismatch":
                    message = f"'{err['input']}' is not a lowercase slug (a-z, 0-9 and single hyphens; no spaces, dots or slashes)"
                report.error(doc.mark(*loc), f"{what} key '{_describe(loc)}': {message}")
        return None
