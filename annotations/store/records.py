"""How documents are held in memory and written at rest: compact structs that TinyDB reads as mappings.

A library of 200,000 annotations held as plain dicts costs ~1.5 KB each; as `msgspec` structs ~0.7 KB, and
they decode from JSON about three times faster. `Record` gives them the read-only mapping interface TinyDB's
`Table` and `Query` use (`keys()`, `[]`, `get`), so they go through TinyDB unchanged, and JSON at rest stays
plain TinyDB JSON: one object per document.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, ClassVar

import msgspec

__all__ = ["ActorRecord", "AnnotationRecord", "Record", "RecordError", "StoryRecord", "TombstoneRecord", "to_record"]


class RecordError(ValueError):
    """A document that does not fit its table's record type; the message is one line."""


class Record(msgspec.Struct, kw_only=True, gc=False):
    """A stored document. Reads like a mapping; build a changed copy with `msgspec.structs.replace`."""

    #: Fields whose values repeat across many records; they are interned to save memory.
    INTERNED: ClassVar[tuple[str, ...]] = ()

    def keys(self) -> tuple[str, ...]:
        return self.__struct_fields__

    def __getitem__(self, key: str) -> Any:
        if key in self.__struct_fields__:
            return getattr(self, key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.__struct_fields__)

    def __len__(self) -> int:
        return len(self.__struct_fields__)

    def __contains__(self, key: object) -> bool:
        return key in self.__struct_fields__

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self.__struct_fields__ else default

    def items(self) -> Iterator[tuple[str, Any]]:
        return ((f, getattr(self, f)) for f in self.__struct_fields__)

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__}

    def intern(self) -> None:
        """Share repeated strings (story ids, kinds, annotators) between records."""
        for name in self.INTERNED:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, sys.intern(value))


class AnnotationRecord(Record):
    """An annotation at rest (`id`: its uuid; TinyDB's document id is a plain integer)."""

    INTERNED: ClassVar[tuple[str, ...]] = ("story_id", "kind", "annotator")

    id: str
    story_id: str
    kind: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    annotator: str = ""
    created: str = ""
    modified: str = ""
    speaker: str | None = None
    form: str | None = None
    cue: str = ""
    actor: str | None = None
    claimant: str | None = None
    status: str | None = None


class ActorRecord(Record):
    """An entry of the actor registry (`id`: a uuid); `merged_into` forwards it to another entry."""

    INTERNED: ClassVar[tuple[str, ...]] = ("type",)

    id: str
    name: str
    type: str = "other"
    aliases: list[str] = msgspec.field(default_factory=list)
    note: str = ""
    external_id: str = ""
    merged_into: str | None = None
    created: str = ""
    modified: str = ""


class TombstoneRecord(Record):
    """A deleted annotation's id, kept so that merging another copy of the library does not bring it back."""

    INTERNED: ClassVar[tuple[str, ...]] = ("story_id",)

    id: str
    story_id: str
    deleted: str  # when (ISO 8601)
    modified: str = ""  # the annotation's last change before it was deleted


class StoryRecord(Record):
    """A story version in the library index (`id`: the sha256 of its text): metadata, and where its body lies."""

    INTERNED: ClassVar[tuple[str, ...]] = ("agency", "section", "format")

    id: str
    headline: str
    section: str | None = None
    agency: str | None = None
    authors: list[str] = msgspec.field(default_factory=list)
    dateline: str | None = None
    created: str | None = None
    updated: str | None = None
    source: str | None = None
    format: str = "text"
    wire_id: str | None = None
    version: int | None = None
    language: str | None = None
    slug: str | None = None
    subjects: list[str] = msgspec.field(default_factory=list)
    link: str | None = None
    extra: dict[str, Any] = msgspec.field(default_factory=dict)
    added: str = ""
    body: tuple[int, int] = (0, 0)


def to_record(value: Any, record_type: type[Record] | None) -> Any:
    """`value` (a mapping) as a record of `record_type`; None keeps plain dicts. Raises RecordError."""
    if record_type is None:
        return dict(value)
    if isinstance(value, record_type):
        return value
    try:
        record = msgspec.convert(dict(value), record_type)
    except (msgspec.ValidationError, TypeError) as exc:
        raise RecordError(f"not a valid {record_type.__name__}: {exc}") from None
    record.intern()
    return record
