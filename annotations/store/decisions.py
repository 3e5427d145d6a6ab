"""Curation decisions: what the curator settled in a story version, remembered so it is not listed again.

A decision is kept in the `curation` table of `annotations.json`, beside annotations and rejected suggestions,
and changes through the same `TagStore.apply` (journaled, fsync'd, undoable as an edit (None, decision)). Its key
is the item curated (kind, start, end) in its story; it says what became of it: `agreed` (merged into the curated
layer automatically), `accepted` or `edited` (one annotator's version copied into it) or `rejected` (nothing
copied). Merging and the exports leave decisions out: the curated layer's annotations are what they settled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from annotations.model import AnnotationError, now_iso
from annotations.store.records import Record, record_type
from annotations.store.rejections import KindAndSpan

__all__ = ["DECISIONS", "Decision", "DecisionIndex", "DecisionRecord", "decision_id"]

#: What became of a curated item.
DECISIONS = ("agreed", "accepted", "edited", "rejected")


def decision_id(story_id: str, kind: str, start: int, end: int) -> str:
    """The id of the decision on (kind, start, end) in a story: the same item always gives the same id."""
    return hashlib.sha256(f"curation\0{story_id}\0{kind}\0{start}\0{end}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Decision(KindAndSpan):
    """What the curator settled about the item `kind` on `story_id`'s text[start:end] (== `exact`): `decision`
    (one of DECISIONS), `source` the annotators whose version went into the curated layer (comma-separated; ""
    when rejected) and `curated` the id of the annotation made there ("" when rejected)."""

    decision: str
    source: str = ""
    curated: str = ""
    created: str = ""

    @classmethod
    def new(
        cls, story_id: str, kind: str, start: int, end: int, exact: str, decision: str, source: str, curated: str
    ) -> Decision:
        key = decision_id(story_id, kind, start, end)
        made = cls(key, story_id, kind, start, end, exact, decision, source, curated, now_iso())
        made.check()
        return made

    def check(self) -> None:
        """Refuse a decision that could not have been made (AnnotationError, one line)."""
        self.check_span("a curation decision")
        if self.decision not in DECISIONS:
            raise AnnotationError(f"unknown curation decision {self.decision!r} (use {', '.join(DECISIONS)})")
        if (self.decision == "rejected") != (not self.curated):
            raise AnnotationError("a curation decision names its curated annotation unless it is a rejection")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Decision:
        return cls(**{name: rec[name] for name in cls.__dataclass_fields__})


if TYPE_CHECKING:  # the fields are the model's: to the type checker, a record reads as a mapping

    class DecisionRecord(Record): ...

else:
    DecisionRecord = record_type(
        "DecisionRecord",
        Decision,
        doc="A curation decision at rest (`id`: `decision_id` of its story and item).",
        interned=("story_id", "kind", "decision"),
    )


class DecisionIndex:
    """The decisions in memory, by story."""

    def __init__(self, decisions: Iterable[Decision] = ()) -> None:
        self.by_story: dict[str, dict[str, Decision]] = {}
        for decision in decisions:
            self.add(decision)

    def add(self, decision: Decision) -> None:
        self.by_story.setdefault(decision.story_id, {})[decision.id] = decision

    def discard(self, decision_id: str, story_id: str) -> None:
        found = self.by_story.get(story_id)
        if found is not None:
            found.pop(decision_id, None)
            if not found:
                del self.by_story[story_id]

    def of_story(self, story_id: str) -> list[Decision]:
        """The decisions of one story version, in text order."""
        found = self.by_story.get(story_id, {}).values()
        return sorted(found, key=lambda d: (d.start, d.end, d.kind))
