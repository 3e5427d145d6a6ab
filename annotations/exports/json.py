"""JSON export: the actor registry, stories (metadata, canonical text, blocks) and their annotations, every field
of each.

`threads` lists the claim threads (`annotations.threads`) of the exported claims, each with only those of its
members that are exported (and of its `unlinked` claims, those of exported stories), oldest first. `deleted` lists the
tombstones of deleted annotations (so a merge elsewhere does not bring them back), `deleted_threads` those of the
deleted claim threads that held a claim of an exported story.
`actors` is the whole registry, entries merged into another included (their `merged_into` says which); an
annotation's `speaker`, `actor` and `claimant` are registry ids. The document holds no time of export and lists
everything in a fixed order, so two exports of the same library state are byte-identical. It is written piece by
piece (the annotations pass through a spool file while the stories are written), so memory does not grow with
the number of annotations; the pieces are indented JSON by orjson (`dumps_items`: the bytes `json.dumps(indent=2)`
gave).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import replace
from typing import IO, TextIO

from annotations.actors import fold_name
from annotations.exports import Selected, claim_threads, dumps_items, spool, writes_no_folder
from annotations.store import Store

__all__ = ["EXTENSION", "FORMAT_VERSION", "LABEL", "NAME", "SINGLE_FILE", "replaceable", "write"]

NAME = "json"
LABEL = "JSON (everything; wiredesk merge reads it)"
SINGLE_FILE = True
EXTENSION = ".json"
replaceable = writes_no_folder  # one file: never a folder to replace
#: 2: the actor registry (`actors`), the annotations' kind-specific fields, tombstones (`deleted`); no time.
#: Added since, still format 2 (a reader without them takes none): `threads`, their `unlinked`, `deleted_threads`.
FORMAT_VERSION = 2


class _Array:
    """A `"name": [...]` member written item by item."""

    def __init__(self, out: IO[str], name: str) -> None:
        self.out = out
        self.count = 0
        out.write(f"  {json.dumps(name)}: [")

    def add(self, *items: object) -> None:
        if items:
            self.out.write(("," if self.count else "") + dumps_items(list(items), 4).decode("utf-8"))
            self.count += len(items)

    def close(self, last: bool = False) -> None:
        self.out.write(("\n  ]" if self.count else "]") + ("\n" if last else ",\n"))


def write(store: Store, out: TextIO, selection: Iterable[Selected]) -> int:
    """Write the registry, the selected stories with their annotations and claim threads, and the tombstones of
    deleted annotations of those stories and of deleted threads of their claims; returns the number of
    annotations."""
    actors = sorted(store.actors(include_merged=True), key=lambda a: (fold_name(a.name), a.id))
    out.write("{\n")
    out.write(f'  "wiredesk_export": {FORMAT_VERSION},\n')
    array = _Array(out, "actors")
    for actor in actors:
        array.add(actor.to_dict())
    array.close()
    ids = set()
    threaded: dict[str, set[str]] = {}  # thread id -> its exported claims
    threads_of = claim_threads(store)
    with spool() as held:
        stories, annotations = _Array(out, "stories"), _Array(held, "annotations")
        for chosen in selection:
            ids.add(chosen.entry.id)
            stories.add(store.story(chosen.entry.id).to_dict())
            annotations.add(*(ann.to_dict() for ann in chosen.annotations))
            for ann in chosen.annotations:
                if (thread := threads_of.get(ann.id)) is not None:
                    threaded.setdefault(thread.id, set()).add(ann.id)
        stories.close()
        annotations.close()
        held.seek(0)
        shutil.copyfileobj(held, out)
    threads = _Array(out, "threads")
    for thread in store.threads():
        if thread.id in threaded:
            kept = tuple(m for m in thread.members if m.annotation in threaded[thread.id])
            unlinked = tuple((a, when) for a, when in thread.unlinked if _exported(store, a, ids))
            threads.add(replace(thread, members=kept, unlinked=unlinked).to_dict())
    threads.close()
    deleted = _Array(out, "deleted")
    for tombstone in store.tombstones():
        if tombstone["story_id"] in ids:
            deleted.add(tombstone)
    deleted.close()
    gone = _Array(out, "deleted_threads")
    for dead in store.thread_tombstones():
        if store.thread(dead.id) is None and any(_exported(store, a, ids) for a in dead.claims):
            gone.add(dead.to_dict())
    gone.close(last=True)
    out.write("}\n")
    return annotations.count


def _exported(store: Store, ann_id: str, story_ids: set[str]) -> bool:
    """Whether the annotation (or its tombstone) is of an exported story."""
    ann = store.annotation(ann_id)
    if ann is not None:
        return ann.story_id in story_ids
    tomb = store.tombstone(ann_id)
    return tomb is not None and tomb["story_id"] in story_ids
