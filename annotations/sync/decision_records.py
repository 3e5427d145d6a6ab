"""The curation decisions of the repository (`decisions/<story>.jsonl`) read back as the library's: each record
checked as one sync wrote it before anything is written (`annotations.sync.arrive`), then brought in as one step.

A live record is a `annotations.store.decisions.Decision` with exactly its fields, its id the item's
(`decision_id` of its story, kind and span), its `exact` the story's text at its span; a deletion (an undone
decision) is a tombstone (id, story_id, deleted, modified). A decision whose story is not in the library is
skipped, as every record of a story the library does not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from annotations.layers import CURATED
from annotations.model import KINDS, Annotation, AnnotationError, quoted
from annotations.store import Store
from annotations.store.decisions import DECISIONS, Decision, decision_id
from annotations.store.tagstore import Edit
from annotations.sync.git import SyncError
from annotations.sync.records import Record, is_tombstone
from stories.text import clean_line

__all__ = ["MAX_SOURCE", "DecisionsIn", "check_texts", "decision_edits", "read_decisions", "stale_copy"]

_HEX32 = re.compile(r"[0-9a-f]{32}")
_ANN_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,128}")
_DATE = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.]{2,20}(Z|[+-]\d\d:\d\d)?")
_FIELDS = frozenset(Decision.__dataclass_fields__)
_TOMB_FIELDS = frozenset({"id", "story_id", "deleted", "modified"})
#: The longest `source` (annotators' names, comma-separated) a decision record may carry.
MAX_SOURCE = 1000


@dataclass
class DecisionsIn:
    """What the repository's decisions files hold, checked: decisions and tombstones by id."""

    decisions: dict[str, Decision] = field(default_factory=dict)
    tombstones: dict[str, dict[str, str]] = field(default_factory=dict)


def _refuse(path: str, why: str) -> SyncError:
    shown = clean_line(path)
    return SyncError(f"the sync repository's {shown} holds a curation decision that is not one sync wrote: {why}")


def _decision(rec: Record, path: str) -> Decision:
    if set(rec) != _FIELDS:
        raise _refuse(path, "its fields differ")
    strings = ("id", "story_id", "kind", "exact", "decision", "source", "curated", "created")
    if not all(isinstance(rec[k], str) for k in strings):
        raise _refuse(path, "a field is not text")
    if not all(type(rec[k]) is int for k in ("start", "end")):
        raise _refuse(path, "its span is not two whole numbers")
    if rec["kind"] not in KINDS:
        raise _refuse(path, "its kind is not one")
    if rec["decision"] not in DECISIONS:
        raise _refuse(path, f"its decision is not one of {', '.join(DECISIONS)}")
    made = Decision.from_record(rec)
    try:
        made.check()
    except AnnotationError as exc:
        raise _refuse(path, str(exc)) from None
    if made.id != decision_id(made.story_id, made.kind, made.start, made.end):
        raise _refuse(path, f"its id is not its item's ({made.kind} {made.start}-{made.end})")
    source = made.source
    if len(source) > MAX_SOURCE or clean_line(source) != source or (source and not all(source.split(","))):
        raise _refuse(path, "its source is not annotators' names")
    if made.curated and not _ANN_ID.fullmatch(made.curated):
        raise _refuse(path, "its curated annotation is not an id")
    if not _DATE.fullmatch(made.created):
        raise _refuse(path, "its date is not one")
    return made


def _tombstone(rec: Record, path: str) -> dict[str, str]:
    modified = rec.get("modified", "")
    ok = (
        set(rec) <= _TOMB_FIELDS
        and _HEX32.fullmatch(str(rec["id"]))
        and isinstance(rec.get("deleted"), str)
        and _DATE.fullmatch(rec["deleted"])
        and isinstance(modified, str)
        and (not modified or _DATE.fullmatch(modified))
    )
    if not ok:
        raise _refuse(path, "a deletion of another form")
    return {"id": str(rec["id"]), "story_id": str(rec["story_id"]), "deleted": rec["deleted"], "modified": modified}


def read_decisions(path: str, story_id: str, records: Mapping[str, Record], into: DecisionsIn) -> None:
    """Check the records of one decisions file (named after `story_id`) and add them to `into`; SyncError (one
    line, nothing added) for a record that is not one sync wrote."""
    found = DecisionsIn()
    for key, rec in records.items():
        if rec.get("story_id") != story_id:
            raise SyncError(f"the sync repository's {clean_line(path)} holds a record of another story")
        if is_tombstone(rec):
            found.tombstones[key] = _tombstone(rec, path)
        else:
            found.decisions[key] = _decision(rec, path)
    into.decisions.update(found.decisions)
    into.tombstones.update(found.tombstones)


def check_texts(found: DecisionsIn, text_of: Callable[[str], str | None]) -> None:
    """Refuse a decision whose `exact` is not its story's text at its span; leave out (in place) the decisions and
    tombstones of stories the library does not have (`text_of` gives None)."""
    texts: dict[str, str | None] = {}
    for key, made in list(found.decisions.items()):
        if made.story_id not in texts:
            texts[made.story_id] = text_of(made.story_id)
        text = texts[made.story_id]
        if text is None:
            del found.decisions[key]
        elif text[made.start : made.end] != made.exact:
            raise SyncError(
                f"the sync repository's decisions/{made.story_id[:12]}… holds a curation decision that does not "
                f"match its story's text at {made.start}-{made.end}"
            )
    for key, tomb in list(found.tombstones.items()):
        if tomb["story_id"] not in texts:
            texts[tomb["story_id"]] = text_of(tomb["story_id"])
        if texts[tomb["story_id"]] is None:
            del found.tombstones[key]


def decision_edits(store: Store, found: DecisionsIn) -> tuple[list[Edit], dict[str, dict[str, str]], list[str]]:
    """The edits making the library's decisions those `found`, with the tombstones to record, and a line for each
    curated copy that went with a decision replaced or deleted (see `stale_copy`)."""
    edits: list[Edit] = []
    tombs: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    for key, made in found.decisions.items():
        here = store.decision(key)
        if here != made:
            edits.append((here, made))
    for key, tomb in found.tombstones.items():
        here = store.decision(key)
        if here is not None:
            edits.append((here, None))
            tombs[key] = tomb
        elif store.decision_tombstone(key) is None:
            tombs[key] = tomb  # a deletion this library had not heard of: kept, so that it travels on
    for before, after in list(edits):
        if isinstance(before, Decision) and (copy := stale_copy(store, before, after)) is not None:
            edits.append((copy, None))
            notes.append(
                f"curated: {copy.kind} {quoted(copy.exact, 40)} was settled there otherwise; the copy made here for "
                f"its {before.decision} decision is deleted"
            )
    return edits, tombs, notes


def stale_copy(store: Store, before: Decision, after: object) -> Annotation | None:
    """The curated annotation `before` copied, when another library's decision replaces it (`after`: a decision
    with another copy, or None) and the copy is as it was made: a decision and its copy are one step, so the copy
    goes with it (undone the same way). A copy edited after its decision stays."""
    if not before.curated or (isinstance(after, Decision) and after.curated == before.curated):
        return None
    copy = store.annotation(before.curated)
    if copy is None or copy.annotator != CURATED or (copy.kind, copy.start, copy.end) != before.key:
        return None
    return copy if copy.modified <= before.created else None
