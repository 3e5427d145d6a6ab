"""CSV export: one row per annotation, with its story's headline, agency and dates. UTF-8.

`published` is when the story was first published (its created date, else its dateline's day), `updated`
(after the others, so that the columns before it keep their places) when it was last updated, empty if it never
was; `created` and `modified` are the annotation's. `thread` and `thread_status` (the last columns) are the claim
thread a claim is in (`annotations.threads`) and its status there, empty if none.

`speaker`, `claimant` and `actor` are the names of the registry entries the annotation links to, merges
followed (the entry an entry was merged into); `actor_type` is the type of the one entry an annotation links
to (its speaker, actor or claimant), whichever its kind.

Every cell that a spreadsheet would run as a formula (starting with =, +, -, @, TAB or CR) gets a leading
apostrophe, in every column: ids and dates too, since a library may hold anything a merge brought in. Opening
the file never executes anything.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from annotations.exports import Names, Selected, claim_threads, writes_no_folder
from annotations.store import Store

__all__ = ["COLUMNS", "EXTENSION", "LABEL", "NAME", "SINGLE_FILE", "neutralise", "replaceable", "write"]

NAME = "csv"
LABEL = "CSV (spreadsheets)"
SINGLE_FILE = True
EXTENSION = ".csv"
replaceable = writes_no_folder  # one file: never a folder to replace
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
    "updated",
    "thread",
    "thread_status",
)
_FORMULA_FIRST = frozenset("=+-@\t\r")


def neutralise(cell: str) -> str:
    """The cell text, made inert for spreadsheets."""
    return "'" + cell if cell[:1] in _FORMULA_FIRST else cell


def _inert(cells: list[str]) -> list[str]:
    """`neutralise` of every cell (inlined: it runs for every cell of every row)."""
    return ["'" + cell if cell[:1] in _FORMULA_FIRST else cell for cell in cells]


def write(store: Store, out: TextIO, selection: Iterable[Selected], *, excel: bool = False) -> int:
    """Write one row per selected annotation; `excel` starts the file with a byte-order mark (Excel then reads
    it as UTF-8). Returns the number of annotations."""
    if excel:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    names = Names(store)
    threads = claim_threads(store)
    count = 0
    for chosen in selection:
        meta = chosen.entry.meta
        head = _inert([chosen.entry.id, meta.headline, meta.agency or "", chosen.entry.published])  # once a story
        updated = _inert([meta.updated or ""])
        for ann in chosen.annotations:
            thread = threads.get(ann.id)
            member = thread.member(ann.id) if thread is not None else None
            tail = updated + _inert([thread.id, member.status] if thread and member else ["", ""])
            speaker, actor, claimant = names.actor(ann.speaker), names.actor(ann.actor), names.actor(ann.claimant)
            linked = speaker or actor or claimant  # the first in LINKS order: an annotation has one of them
            cells = [
                ann.kind,
                ann.exact,
                str(ann.start),
                str(ann.end),
                ann.note,
                ann.annotator,
                ann.created,
                ann.modified,
                ann.id,
                speaker.name if speaker else "",
                claimant.name if claimant else "",
                actor.name if actor else "",
                linked.type if linked else "",
                ann.form or "",
                ann.status or "",
                ann.cue,
            ]
            writer.writerow(head + _inert(cells) + tail)
            count += 1
    return count
