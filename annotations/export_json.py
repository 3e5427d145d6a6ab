"""JSON export: the actor registry, stories (metadata, canonical text, blocks) and their annotations, every field
of each.

`actors` is the whole registry, entries merged into another included (their `merged_into` says which); an
annotation's `speaker`, `actor` and `claimant` are registry ids. The document holds no time of export and lists
everything in a fixed order, so two exports of the same library state are byte-identical. It is written piece by
piece, so memory does not grow with the number of annotations.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from annotations.actors import fold_name
from annotations.store import Store

__all__ = ["FORMAT_VERSION", "NAME", "write"]

NAME = "json"
#: 2: the actor registry (`actors`) and the annotations' kind-specific fields; no `exported` time.
FORMAT_VERSION = 2


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def _indented(obj: object) -> str:
    return "\n".join("    " + line for line in _dump(obj).splitlines())


def _array(out: TextIO, name: str, items: Iterable[object], last: bool = False) -> int:
    """Write `"name": [...]` item by item; returns how many items."""
    out.write(f"  {json.dumps(name)}: [")
    count = 0
    for item in items:
        out.write(("," if count else "") + "\n" + _indented(item))
        count += 1
    out.write(("\n  ]" if count else "]") + ("\n" if last else ",\n"))
    return count


def write(store: Store, out: TextIO, story_ids: Iterable[str] | None = None) -> int:
    """Write the export for the given stories (all, every version, if None); returns the number of annotations."""
    ids = list(story_ids) if story_ids is not None else [e.id for e in store.entries(all_versions=True)]
    actors = sorted(store.actors(include_merged=True), key=lambda a: (fold_name(a.name), a.id))
    out.write("{\n")
    out.write(f'  "wiredesk_export": {FORMAT_VERSION},\n')
    _array(out, "actors", (a.to_dict() for a in actors))
    _array(out, "stories", (store.story(sid).to_dict() for sid in ids))
    count = _array(out, "annotations", (ann.to_dict() for sid in ids for ann in store.annotations(sid)), last=True)
    out.write("}\n")
    return count
