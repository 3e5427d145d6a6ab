"""Carrying's own records: annotations that could not be placed on a new version (orphans, waiting for review)
and the record of each carry (which annotations of the earlier version were handled, so carrying again adds
nothing twice).

Both are tables of `annotations.json` beside the annotations, changed through `TagStore.apply` like them
(journaled, fsync'd, undoable as edits). An orphan keeps the whole annotation of the earlier version (its kind,
links, note and attributes) and the best places found for it in the new text; reviewing it places it (a new
annotation) or drops it. Merging and the exports leave both out: they are this library's own work in progress.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from annotations.model import Annotation, AnnotationError
from annotations.store.records import Record

__all__ = ["Carry", "CarryRecord", "Orphan", "OrphanIndex", "OrphanRecord", "orphan_id"]


def orphan_id(story_id: str, origin: str) -> str:
    """The id of the orphan of annotation `origin` on story version `story_id` (the same pair, the same id)."""
    return hashlib.sha256(f"{story_id}\0{origin}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Orphan:
    """Annotation `origin` of version `source` that could not be placed with confidence on version `story_id`.
    `annotation`: the earlier annotation as a dict (`Annotation.to_dict`); `candidates`: (start, end, score) in
    the new text, best first (may be empty)."""

    id: str
    story_id: str
    source: str
    origin: str
    annotation: Mapping[str, Any]
    candidates: tuple[tuple[int, int, float], ...] = ()
    created: str = ""

    @classmethod
    def new(
        cls, story_id: str, source: str, ann: Annotation, candidates: Iterable[tuple[int, int, float]], created: str
    ) -> Orphan:
        found = tuple((int(s), int(e), round(float(score), 3)) for s, e, score in candidates)
        made = cls(orphan_id(story_id, ann.id), story_id, source, ann.id, ann.to_dict(), found, created)
        made.check()
        return made

    @property
    def earlier(self) -> Annotation:
        """The annotation as it was on the earlier version."""
        return Annotation.from_dict(self.annotation)

    @property
    def kind(self) -> str:
        return str(self.annotation.get("kind", ""))

    @property
    def exact(self) -> str:
        return str(self.annotation.get("exact", ""))

    def check(self) -> None:
        """Refuse an orphan whose annotation or candidates make no sense (AnnotationError, one line)."""
        earlier = Annotation.from_dict(self.annotation)
        earlier.check()
        if earlier.id != self.origin:
            raise AnnotationError("an orphan's annotation must be the one it came from")
        for start, end, score in self.candidates:
            if not (0 <= start < end) or not 0.0 <= score <= 1.0:
                raise AnnotationError(f"an orphan's candidate {start}-{end} ({score}) is not a place in a text")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "story_id": self.story_id,
            "source": self.source,
            "origin": self.origin,
            "annotation": dict(self.annotation),
            "candidates": [list(c) for c in self.candidates],
            "created": self.created,
        }

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Orphan:
        found = tuple((int(s), int(e), float(score)) for s, e, score in rec["candidates"])
        return cls(
            rec["id"], rec["story_id"], rec["source"], rec["origin"], dict(rec["annotation"]), found, rec["created"]
        )


class OrphanRecord(Record):
    """An orphan at rest (`id`: `orphan_id` of its story and origin)."""

    INTERNED: ClassVar[tuple[str, ...]] = ("story_id", "source")

    id: str
    story_id: str
    source: str
    origin: str
    annotation: dict[str, Any]
    candidates: list[tuple[int, int, float]] = []
    created: str = ""


@dataclass(frozen=True)
class Carry:
    """The record of carrying version `source`'s annotations onto version `story_id` (its id is the new version's
    id: one record a version): `origins`, the earlier annotations handled (carried, orphaned, or already there)."""

    id: str
    source: str
    origins: tuple[str, ...]
    carried: str  # when (ISO 8601)

    @property
    def story_id(self) -> str:
        return self.id

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "origins": list(self.origins), "carried": self.carried}

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Carry:
        return cls(rec["id"], rec["source"], tuple(rec["origins"]), rec["carried"])


class CarryRecord(Record):
    """A carry at rest (`id`: the new version's story id)."""

    id: str
    source: str
    origins: list[str] = []
    carried: str = ""


class OrphanIndex:
    """The orphans in memory, by story."""

    def __init__(self, orphans: Iterable[Orphan] = ()) -> None:
        self.by_story: dict[str, dict[str, Orphan]] = {}
        for orphan in orphans:
            self.add(orphan)

    def add(self, orphan: Orphan) -> None:
        self.by_story.setdefault(orphan.story_id, {})[orphan.id] = orphan

    def discard(self, orphan_id: str, story_id: str) -> None:
        found = self.by_story.get(story_id)
        if found is not None:
            found.pop(orphan_id, None)
            if not found:
                del self.by_story[story_id]

    def count(self, story_id: str) -> int:
        return len(self.by_story.get(story_id, ()))

    def of_story(self, story_id: str | None) -> list[Orphan]:
        """The orphans of one story (or of all), by story then by their place in the earlier text."""
        stories = [story_id] if story_id is not None else sorted(self.by_story)
        found = [o for sid in stories for o in self.by_story.get(sid, {}).values()]
        return sorted(found, key=lambda o: (o.story_id, o.annotation.get("start", 0), o.annotation.get("end", 0), o.id))
