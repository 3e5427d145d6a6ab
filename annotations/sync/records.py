"""The repository's files and the 3-way merge of their records.

Every `.jsonl` file holds one JSON object per line (keys sorted, orjson), sorted by `id`, a newline at the end.
A record with a `deleted` field is a tombstone: an annotation, registry entry, claim thread or curation decision
deleted (undone), so that the deletion travels. `merge3` is the one merge of two changed copies of a file against
their common ancestor, used by the git merge driver and by a sync that finds its own clone moved on since its
library was last brought up to date.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from annotations.sync.git import SyncError
from stories.text import clean_line

__all__ = [
    "CONFLICTS",
    "CONFLICTS_ENV",
    "DECISIONS",
    "MAX_FILE",
    "REGISTRY",
    "THREADS",
    "Merged",
    "canonical",
    "dump",
    "folder_name",
    "is_decisions",
    "is_tombstone",
    "load",
    "merge3",
    "same_decision",
]

#: The registry file, the claim threads and the open conflicts, as paths in the repository.
REGISTRY = "registry/actors.jsonl"
THREADS = "registry/threads.jsonl"
CONFLICTS = "conflicts.jsonl"
#: The folder of the curation decisions, one file a story (`decisions/<story>.jsonl`): a folder of its own, not
#: under `curated/`, whose every file is a layer's annotations (`scope.Scope.layer_of`).
DECISIONS = "decisions"
#: The environment variable naming the file the merge driver appends its conflicts to.
CONFLICTS_ENV = "WIREDESK_SYNC_CONFLICTS"
#: The largest file a sync reads from the repository: anything larger is not one wiredesk wrote.
MAX_FILE = 256 << 20
#: The longest annotator name a layer folder may carry.
MAX_NAME = 100

Record = dict[str, Any]


def canonical(record: Mapping[str, Any]) -> bytes:
    """A record as one line of its file (without the newline): keys sorted, no spaces."""
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def dump(records: Iterable[Mapping[str, Any]]) -> bytes:
    """A file's bytes: the records sorted by id, one a line, a newline at the end ("" for none)."""
    return b"".join(canonical(r) + b"\n" for r in sorted(records, key=lambda r: str(r["id"])))


def load(data: bytes, name: str) -> dict[str, Record]:
    """The records of a file by id. SyncError (one line, naming the file and line) if it is not one sync wrote."""
    shown = clean_line(name)
    if len(data) > MAX_FILE:
        raise SyncError(f"{shown} is {len(data):,} bytes; a sync file is at most {MAX_FILE:,}")
    out: dict[str, Record] = {}
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            raise SyncError(f"{shown} line {number} is not a JSON record") from None
        if not isinstance(record, dict) or not isinstance(record.get("id"), str) or not record["id"]:
            raise SyncError(f"{shown} line {number} is not a record with an id")
        if record["id"] in out:
            raise SyncError(f"{shown} holds record {clean_line(record['id'][:40])} twice")
        out[record["id"]] = record
    return out


def is_decisions(path: str) -> bool:
    """Whether a repository path is a story's curation decisions."""
    return path.startswith(f"{DECISIONS}/")


def is_tombstone(record: Mapping[str, Any] | None) -> bool:
    """Whether a record is a deletion (it has `deleted`)."""
    return record is not None and "deleted" in record


def folder_name(name: str) -> str:
    """An annotator's name as its layer's folder name: refused (SyncError) unless it is safe as one on every
    system: no slashes, no leading dot, no control or invisible characters, at most MAX_NAME characters."""
    bad = (
        not name
        or name != name.strip()
        or len(name) > MAX_NAME
        or name.startswith(".")
        or any(c in '/\\:*?"<>|' for c in name)
        or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)
        or clean_line(name) != name
    )
    if bad:
        raise SyncError(
            f"the annotator name {clean_line(name)[:MAX_NAME]!r} cannot name a layer folder: use letters, digits, "
            'spaces, - or _ (set annotator = "…" in the config)'
        )
    return name


@dataclass
class Merged:
    """A merged file's records by id, and the records both sides changed differently (`conflicts`)."""

    records: dict[str, Record] = field(default_factory=dict)
    conflicts: list[Record] = field(default_factory=list)


def _earlier(a: Record, b: Record) -> Record:
    """Of two deletions of one record, the earlier (the same choice on both sides)."""
    return min(a, b, key=lambda r: (str(r.get("deleted")), canonical(r)))


def conflict_id(path: str, record_id: str, ours: Record | None, theirs: Record | None) -> str:
    """A conflict's id: the same for the same two values of a record, whoever merges them."""
    sides = sorted(canonical(v) if v is not None else b"null" for v in (ours, theirs))
    return hashlib.sha256(b"\0".join([path.encode(), record_id.encode(), *sides])).hexdigest()[:32]


def merge3(
    path: str,
    base: Mapping[str, Record],
    ours: Mapping[str, Record],
    theirs: Mapping[str, Record],
    *,
    found: str = "",
) -> Merged:
    """Merge two copies of the file `path` record by record against their common ancestor `base`: a record
    changed on one side only takes that side's value; changed on both to the same value, that value; two
    deletions, the earlier; changed on both differently (a deletion against an edit included) keeps ours and is
    a conflict, listed with all three values. A claim thread both sides changed is joined
    (`thread_join.join_thread`): a conflict only where that cannot decide. Two curators' decisions of one item
    (`decisions/`) join when they decided the same (`same_decision`): the earlier is kept; different decisions are
    a conflict like any. In the conflicts file itself no conflict is made: a record one side changed and the other
    dropped (resolved) is kept, to be resolved again."""

    merged = Merged()
    for key in sorted(base.keys() | ours.keys() | theirs.keys()):
        o, a, b = base.get(key), ours.get(key), theirs.get(key)
        if a == b or b == o:
            value = a
        elif a == o:
            value = b
        elif is_tombstone(a) and is_tombstone(b):
            assert a is not None and b is not None
            value = _earlier(a, b)
        elif is_decisions(path) and same_decision(a, b):
            assert a is not None and b is not None
            value = min(a, b, key=lambda r: (str(r.get("created")), canonical(r)))
        elif path == THREADS and a is not None and b is not None:
            from annotations.sync.thread_join import join_thread  # only here: the merge driver starts fast

            value, theirs_value = join_thread(path, o, a, b)
            if theirs_value is not None:
                merged.conflicts.append(_conflict(path, key, o, value, theirs_value, found))
        else:
            value = a if a is not None else b  # ours kept; theirs where ours dropped it: nothing is lost
            if path != CONFLICTS:
                merged.conflicts.append(_conflict(path, key, o, a, b, found))
        if value is not None:
            merged.records[key] = value
    return merged


#: What two decisions of one item may differ in and still be the same decision: when it was made, and the id of
#: the annotation it copied into `curated` (each curator's copy has its own).
_OWN = frozenset({"created", "curated"})


def same_decision(a: Record | None, b: Record | None) -> bool:
    """Whether two live decision records settle their item the same way (the same decision, from the same
    annotators): they differ at most in when and in their curated copy's id."""
    if a is None or b is None or is_tombstone(a) or is_tombstone(b):
        return False
    return {k: v for k, v in a.items() if k not in _OWN} == {k: v for k, v in b.items() if k not in _OWN}


def _conflict(
    path: str, key: str, base: Record | None, ours: Record | None, theirs: Record | None, found: str
) -> Record:
    return {
        "id": conflict_id(path, key, ours, theirs),
        "file": path,
        "record": key,
        "base": base,
        "ours": ours,
        "theirs": theirs,
        "ours_by": "",
        "theirs_by": "",
        "found": found,
    }
