"""CSV export: one row per annotation, with its story's headline, agency and date. UTF-8.

`speaker`, `claimant` and `actor` are the names of the registry entries the annotation links to, merges
followed (the entry an entry was merged into); `actor_type` is the type of the one entry an annotation links
to (its speaker, actor or claimant), whichever its kind.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, TAB or CR) get a leading
apostrophe, so opening the file never executes anything.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from annotations.store import Store

__all__ = ["COLUMNS", "NAME", "neutralise", "write"]

NAME = "csv"
COLUMNS = (
    "story_id",
    "headline",
    "agency",
    "published",
    "kind",
    "text",
    "start",
    "end",
    "note",
    "annotator",
    "created",
    "modified",
    "annotation_id",
    "speaker",
    "claimant",
    "actor",
    "actor_type",
    "form",
    "status",
    "cue",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell text, made inert for spreadsheets."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def write(store: Store, out: TextIO, story_ids: Iterable[str] | None = None) -> int:
    """Write the rows for the given stories (all, every version, if None); returns the number of annotations."""
    ids = list(story_ids) if story_ids is not None else [e.id for e in store.entries(all_versions=True)]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for sid in ids:
        meta = store.story_meta(sid)
        for ann in store.annotations(sid):
            linked = {field: store.actor(target) for field, target in ann.links().items()}
            names = [(a.name if (a := linked.get(f)) else "") for f in ("speaker", "claimant", "actor")]
            types = [a.type for a in linked.values() if a is not None]
            row = [
                ann.story_id,
                meta.headline,
                meta.agency or "",
                meta.updated or meta.created or "",
                ann.kind,
                ann.exact,
                ann.start,
                ann.end,
                ann.note,
                ann.annotator,
                ann.created,
                ann.modified,
                ann.id,
                *names,
                types[0] if types else "",
                ann.form or "",
                ann.status or "",
                ann.cue,
            ]
            writer.writerow([neutralise(c) if isinstance(c, str) else c for c in row])
            count += 1
    return count
