"""What an annotation is: a tagged span of one story version's canonical text."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

from stories.model import Story

__all__ = ["CONTEXT", "KINDS", "Annotation", "AnnotationError", "now_iso"]

#: Annotation kinds, in the order the app shows them.
KINDS = ("quote", "actor", "claim")
#: Characters of context kept on each side of the span.
CONTEXT = 32


class AnnotationError(ValueError):
    """An annotation that cannot be made or stored; the message is one line, fit for the user."""


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Annotation:
    """A span `[start, end)` (code points, end exclusive) of a story's text, with `exact` its text."""

    id: str
    story_id: str
    kind: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    note: str
    annotator: str
    created: str
    modified: str

    @classmethod
    def new(cls, story: Story, kind: str, start: int, end: int, *, note: str = "", annotator: str = "") -> Annotation:
        """A fresh annotation of `story.text[start:end]`, with its context."""
        if kind not in KINDS:
            raise AnnotationError(f"unknown kind {kind!r} (use {', '.join(KINDS)})")
        if not (0 <= start < end <= len(story.text)):
            raise AnnotationError(f"span {start}-{end} is outside the story text (0-{len(story.text)})")
        stamp = now_iso()
        return cls(
            id=str(uuid.uuid4()),
            story_id=story.id,
            kind=kind,
            start=start,
            end=end,
            exact=story.text[start:end],
            prefix=story.text[max(0, start - CONTEXT) : start],
            suffix=story.text[end : end + CONTEXT],
            note=note,
            annotator=annotator,
            created=stamp,
            modified=stamp,
        )

    def edited(self, **changes: Any) -> Annotation:
        """A copy with `changes` applied and `modified` set to now."""
        return replace(self, **changes, modified=now_iso())

    def matches(self, text: str) -> bool:
        """True if this annotation still slices its exact text from `text`."""
        return text[self.start : self.end] == self.exact

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Annotation:
        names = {f.name for f in fields(cls)}
        missing = names - data.keys()
        if missing:
            raise AnnotationError(f"annotation record lacks {', '.join(sorted(missing))}")
        record = {k: data[k] for k in names}
        wrong = [k for k, v in record.items() if type(v) is not (int if k in ("start", "end") else str)]
        if wrong:
            raise AnnotationError(f"annotation record has the wrong type of {', '.join(sorted(wrong))}")
        return cls(**record)
