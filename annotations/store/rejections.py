"""Rejected suggestions: what the analyst said no to, remembered in the library so it is not suggested again.

A rejection is kept in the `rejections` table of `annotations.json`, beside annotations and the registry, and
changes through the same `TagStore.apply` (journaled, fsync'd, undoable as an edit (None, rejection)). It hides a
suggestion two ways: by its key (kind, start, end) in its story, and by its `pattern` (kind and folded text) in
every story. Merging another library and the exports ignore rejections: they are this library's own judgement.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Set
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from annotations.model import KINDS, AnnotationError, now_iso
from annotations.store.records import Record

__all__ = ["KindAndSpan", "RejectedIndex", "Rejection", "RejectionRecord", "rejection_id"]


def rejection_id(story_id: str, kind: str, start: int, end: int) -> str:
    """The id of the rejection of (kind, start, end) in a story: the same key always gives the same id, so
    rejecting a suggestion twice keeps one record."""
    return hashlib.sha256(f"{story_id}\0{kind}\0{start}\0{end}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class KindAndSpan:
    """What a rejection and a curation decision (`annotations.store.decisions`) are about: a kind of annotation on
    story `story_id`'s text[start:end] (== `exact`); `id` is made from those (the same key, the same id)."""

    id: str
    story_id: str
    kind: str
    start: int
    end: int
    exact: str

    @property
    def key(self) -> tuple[str, int, int]:
        """(kind, start, end), as `Suggestion.key`."""
        return (self.kind, self.start, self.end)

    def check_span(self, what: str) -> None:
        """Refuse an unknown kind or an empty span: `what` names the record in the message."""
        if self.kind not in KINDS:
            raise AnnotationError(f"unknown kind {self.kind!r} (use {', '.join(KINDS)})")
        if not (0 <= self.start < self.end):
            raise AnnotationError(f"{what} needs a span, not {self.start}-{self.end}")


@dataclass(frozen=True)
class Rejection(KindAndSpan):
    """A rejected suggestion of `story_id`'s text[start:end] (== `exact`); `pattern` hides it in every story."""

    pattern: str
    created: str = ""

    @classmethod
    def new(cls, story_id: str, kind: str, start: int, end: int, exact: str, pattern: str) -> Rejection:
        made = cls(rejection_id(story_id, kind, start, end), story_id, kind, start, end, exact, pattern, now_iso())
        made.check()
        return made

    def check(self) -> None:
        """Refuse a rejection that could not have come from a suggestion (AnnotationError, one line)."""
        self.check_span("a rejected suggestion")
        if not self.pattern.startswith(f"{self.kind}:"):
            raise AnnotationError(f"the pattern of a rejected {self.kind} must start with {self.kind}:")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Rejection:
        return cls(**{name: rec[name] for name in cls.__dataclass_fields__})


class RejectionRecord(Record):
    """A rejection at rest (`id`: `rejection_id` of its story and key)."""

    INTERNED: ClassVar[tuple[str, ...]] = ("story_id", "kind")

    id: str
    story_id: str
    kind: str
    start: int
    end: int
    exact: str
    pattern: str
    created: str = ""


assert RejectionRecord.__struct_fields__ == tuple(Rejection.__dataclass_fields__), "record and model differ"


class RejectedIndex:
    """The rejections in memory: by story, their keys; over the library, their patterns (counted, so that
    removing one of two rejections of a pattern keeps it hidden)."""

    def __init__(self, rejections: Iterable[Rejection] = ()) -> None:
        self.by_story: dict[str, dict[str, Rejection]] = {}
        self._keys: dict[str, set[tuple[str, int, int]]] = {}
        self._patterns: Counter[str] = Counter()
        for rejection in rejections:
            self.add(rejection)

    def add(self, rejection: Rejection) -> None:
        self.discard(rejection.id, rejection.story_id)
        self.by_story.setdefault(rejection.story_id, {})[rejection.id] = rejection
        self._keys.setdefault(rejection.story_id, set()).add(rejection.key)
        self._patterns[rejection.pattern] += 1

    def discard(self, rejection_id: str, story_id: str) -> None:
        gone = self.by_story.get(story_id, {}).pop(rejection_id, None)
        if gone is None:
            return
        self._keys[story_id].discard(gone.key)
        self._patterns[gone.pattern] -= 1
        if self._patterns[gone.pattern] <= 0:
            del self._patterns[gone.pattern]

    def keys(self, story_id: str) -> Set[tuple[str, int, int]]:
        """The keys rejected in a story (live: do not change it)."""
        return self._keys.get(story_id, set())

    def patterns(self) -> Set[str]:
        """Every rejected pattern (live: do not change it)."""
        return self._patterns.keys()

    def of_story(self, story_id: str | None) -> list[Rejection]:
        stories = [story_id] if story_id is not None else sorted(self.by_story)
        found = [r for sid in stories for r in self.by_story.get(sid, {}).values()]
        return sorted(found, key=lambda r: (r.story_id, r.start, r.end, r.kind))
