"""Draft records as YAML, and fact files that keep every reviewed record exactly as the editor left it."""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

FACTS_HEADER = """# yaml-language-server: $schema=../../schema/facts.schema.json
# Facts from {sid}.
# Records with `status: draft` were written by `build_site.py add-source` (or `draft`) and are not published:
# review each one (correct its claim, kind, date, regions, topics and figures, then delete the `status: draft` line)
# or delete it. `python build_site.py draft <source id>` drafts again and keeps the reviewed facts.
"""
REGIONS_HEADER = """# yaml-language-server: $schema=../../schema/regions.schema.json
# Places named in {sid} that the gazetteer did not know, proposed by add-source:
# check the name, add name_zh, parent and kind, then delete `status: draft`
# (or delete the record and use an existing region in the facts instead).
"""


class _Flow(list):
    pass


class _FlowMap(dict):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))


def dump(records: list[dict]) -> str:
    """Records in the house style: short lists and each figure on one line, a blank line between records."""
    out = []
    for r in records:
        r = dict(r)
        for key in ("regions", "topics", "aliases"):
            if key in r:
                r[key] = _Flow(r[key])
        if "figures" in r:
            r["figures"] = [_FlowMap(f) for f in r["figures"]]
        out.append(yaml.dump([r], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120))
    return "\n".join(out)


@dataclass(frozen=True)
class Item:
    text: str  # the record's lines as written, comments before the next record included
    record: dict | None

    @property
    def draft(self) -> bool:
        return isinstance(self.record, dict) and self.record.get("status") == "draft"


def split_items(text: str) -> tuple[str, list[Item]]:
    """A YAML list file -> (the lines before its first record, each record with its own lines)."""
    starts = [m.start() for m in re.finditer(r"^- ", text, re.M)]
    if not starts:  # no record: the header, and the "[]" an emptied file holds (not to stay above new records)
        return re.sub(r"^\[\]\s*$\n?", "", text, flags=re.M), []
    items = []
    for a, b in zip(starts, starts[1:] + [len(text)]):
        chunk = text[a:b]
        try:
            data = yaml.safe_load(chunk)
        except yaml.YAMLError:
            data = None
        items.append(Item(chunk, data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else None))
    return text[:starts[0]], items


def merged(existing: str | None, header: str, drafts: list[dict]) -> str | None:
    """The file with its reviewed records kept as written and its earlier drafts replaced by `drafts`; None when
    nothing would be left."""
    head, items = split_items(existing) if existing else (header, [])
    kept = "".join(i.text for i in items if not i.draft)  # byte for byte, comments between records included
    if not kept and not drafts:
        return None
    text = (head if head.strip() else header) + kept
    if drafts:
        text = (text.rstrip("\n") + "\n\n" if kept else text) + dump(drafts)
    return text if text.endswith("\n") else text + "\n"


def reviewed(existing: str | None) -> list[dict]:
    return [i.record for i in split_items(existing)[1] if i.record and not i.draft] if existing else []
