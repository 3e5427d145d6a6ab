"""JSON export: stories (metadata, canonical text, blocks) and their annotations with every field.

The document is written piece by piece, so memory does not grow with the number of annotations.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from annotations.model import now_iso
from annotations.store import Store

__all__ = ["FORMAT_VERSION", "NAME", "write"]

NAME = "json"
FORMAT_VERSION = 1


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def _indented(obj: object) -> str:
    return "\n".join("    " + line for line in _dump(obj).splitlines())


def write(store: Store, out: TextIO, story_ids: Iterable[str] | None = None) -> int:
    """Write the export for the given stories (all if None); returns the number of annotations written."""
    ids = list(story_ids) if story_ids is not None else [e.id for e in store.entries()]
    out.write("{\n")
    out.write(f'  "wiredesk_export": {FORMAT_VERSION},\n  "exported": {json.dumps(now_iso())},\n')
    out.write('  "stories": [')
    for i, sid in enumerate(ids):
        out.write(("," if i else "") + "\n" + _indented(store.story(sid).to_dict()))
    out.write("\n  ],\n" if ids else "],\n")
    out.write('  "annotations": [')
    count = 0
    for sid in ids:
        for ann in store.annotations(sid):
            out.write(("," if count else "") + "\n" + _indented(ann.to_dict()))
            count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return count
