"""JSON Lines export: one annotation per line, for pandas, jq and streaming tools.

Each line is a JSON object: the annotation's own fields (ids of linked registry entries included), then its
story's `headline`, `agency`, `published` and `updated` dates (when it was first published, else its dateline's
day, and last updated; "" when it has none) and `version`, then `speaker_name`, `actor_name`, `claimant_name`
and `actor_type`: the names (merges followed) and type of the entries it links to, "" when it links to none, then
`thread` and `thread_status`: the claim thread a claim is in (`annotations.threads`) and its status there ("" if
none).
Every line has the same keys in the same order, so `pandas.read_json(path, lines=True)` gives one column per
key. Lines end with "\\n"; U+2028 and U+2029 are escaped so that no reader splits a line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

import msgspec

from annotations.exports import Names, Selected, claim_threads, writes_no_folder
from annotations.model import Annotation
from annotations.store import Store, StoryEntry
from annotations.threads import Thread

__all__ = ["EXTENSION", "LABEL", "NAME", "SINGLE_FILE", "record", "replaceable", "write"]

NAME = "jsonl"
LABEL = "JSON Lines (one annotation a line: pandas, jq)"
SINGLE_FILE = True
EXTENSION = ".jsonl"
replaceable = writes_no_folder  # one file: never a folder to replace


def record(ann: Annotation, entry: StoryEntry, names: Names, thread: Thread | None = None) -> dict[str, Any]:
    """The line of one annotation, as a dict (`thread`: the claim thread it is in)."""
    meta = entry.meta
    member = thread.member(ann.id) if thread is not None else None
    linked = {field: names.actor(target) for field, target in ann.links().items()}
    types = [a.type for a in linked.values() if a is not None]
    return {
        **ann.to_dict(),
        "headline": meta.headline,
        "agency": meta.agency or "",
        "published": entry.published,
        "updated": meta.updated or "",
        "version": entry.version,
        **{f"{field}_name": (a.name if (a := linked.get(field)) else "") for field in ("speaker", "actor", "claimant")},
        "actor_type": types[0] if types else "",
        "thread": thread.id if thread is not None else "",
        "thread_status": member.status if member is not None else "",
    }


_encode = msgspec.json.Encoder().encode


def write(store: Store, out: TextIO, selection: Iterable[Selected]) -> int:
    """Write one line per selected annotation (a story's lines at a time); returns how many."""
    names = Names(store)
    threads = claim_threads(store)
    count = 0
    for chosen in selection:
        lines = [
            _encode(record(ann, chosen.entry, names, threads.get(ann.id))).decode("utf-8") for ann in chosen.annotations
        ]
        if lines:
            text = "\n".join(lines) + "\n"
            out.write(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
            count += len(lines)
    return count
