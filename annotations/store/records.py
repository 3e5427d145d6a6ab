"""How documents are held in memory and written at rest: compact structs that TinyDB reads as mappings.

A library of 200,000 annotations held as plain dicts costs ~1.5 KB each; as `msgspec` structs ~0.7 KB, and
they decode from JSON about three times faster. `Record` gives them the read-only mapping interface TinyDB's
`Table` and `Query` use (`keys()`, `[]`, `get`), so they go through TinyDB unchanged, and JSON at rest stays
plain TinyDB JSON: one object per document.

The records of annotations, registry entries and stories take their fields from the models (`Annotation`,
`Actor`, `StoryMeta`): each field list is written once, there.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec

from annotations.actors import Actor
from annotations.model import Annotation, Carried
from stories.model import StoryMeta

__all__ = [
    "ActorRecord",
    "ActorTombstoneRecord",
    "AnnotationRecord",
    "CarriedRecord",
    "MetaRecord",
    "Record",
    "RecordError",
    "StoryRecord",
    "ThreadRecord",
    "ThreadTombstoneRecord",
    "TombstoneRecord",
    "record_type",
    "to_record",
]


class RecordError(ValueError):
    """A document that does not fit its table's record type; the message is one line."""


class Record(msgspec.Struct, kw_only=True, gc=False):
    """A stored document. Reads like a mapping; build a changed copy with `msgspec.structs.replace`."""

    #: Fields whose values repeat across many records; they are interned to save memory.
    INTERNED: ClassVar[tuple[str, ...]] = ()

    if TYPE_CHECKING:  # record types made from the models have their fields at run time only

        def __getattr__(self, name: str) -> Any: ...

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

    #: Fields whose values often repeat (offsets, timestamps, notes): shared between the records of one load
    #: (see `intern`), with nothing kept once it ends.
    SHARED: ClassVar[tuple[str, ...]] = ()
    #: (field, other field): the first shares the second's value when they are equal (`modified` = `created`).
    ALIASES: ClassVar[tuple[tuple[str, str], ...]] = ()

    def intern(self, seen: dict[Any, Any] | None = None) -> None:
        """Share repeated values between records: strings that repeat across the library (story ids, kinds,
        annotators), and with `seen` (a dict kept for one load) the values of SHARED fields that repeat in it."""
        for name in self.INTERNED:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, sys.intern(value))
        if seen is not None:
            for name in self.SHARED:
                value = getattr(self, name)
                setattr(self, name, seen.setdefault(value, value))
        for name, other in self.ALIASES:
            value = getattr(self, other)
            if getattr(self, name) == value:
                setattr(self, name, value)


def _at_rest(hint: Any) -> Any:
    """The type a model's field has at rest: tuples are lists, mappings dicts (what JSON gives back)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    generic: Any = {tuple: list, Mapping: dict}.get(origin)
    if generic is list and args[1:] == (Ellipsis,):
        return generic[args[0]]
    return generic[args] if generic is dict else hint


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        made = f.default_factory()
        return msgspec.field(default_factory=list if isinstance(made, tuple) else type(made))
    if isinstance(f.default, tuple):
        return msgspec.field(default_factory=list)
    return f.default


def record_type(
    name: str,
    model: type,
    *,
    doc: str,
    interned: tuple[str, ...],
    shared: tuple[str, ...] = (),
    aliases: tuple[tuple[str, str], ...] = (),
    before: tuple[tuple[str, Any], ...] = (),
    after: tuple[tuple[str, Any, Any], ...] = (),
    may_lack: tuple[str, ...] = (),
    apart: tuple[str, ...] = (),
    array_like: bool = False,
) -> type[Record]:
    """A record type with the fields of `model` (a dataclass), in its order and with its defaults; `before` and
    `after` are fields of the record only; fields in `may_lack` may be missing at rest (they read as ""); fields
    in `apart` are kept elsewhere (not in this record)."""
    hints = typing.get_type_hints(model)
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = list(before)
    for f in dataclasses.fields(model):
        if f.name in apart:
            continue
        default = _default(f)
        if default is dataclasses.MISSING and f.name in may_lack:
            default = ""
        kind = _at_rest(hints[f.name])
        fields.append((f.name, kind) if default is dataclasses.MISSING else (f.name, kind, default))
    fields.extend(after)
    namespace = {"INTERNED": interned, "SHARED": shared, "ALIASES": aliases, "__doc__": doc}
    made = msgspec.defstruct(
        name, fields, bases=(Record,), kw_only=True, namespace=namespace, module=__name__, array_like=array_like
    )
    return typing.cast(type[Record], made)


if TYPE_CHECKING:  # the fields are the models' (see below): to the type checker, records read as mappings

    class AnnotationRecord(Record): ...

    class ActorRecord(Record): ...

    class StoryRecord(Record): ...

    class MetaRecord(Record): ...

    class CarriedRecord(Record): ...

else:
    AnnotationRecord = record_type(
        "AnnotationRecord",
        Annotation,
        doc="An annotation at rest (`id`: its uuid; TinyDB's document id is a plain integer).",
        interned=("story_id", "kind", "annotator", "form", "cue", "status"),
        shared=("start", "end", "created", "note"),
        aliases=(("modified", "created"),),
        may_lack=("prefix", "suffix", "note", "annotator", "created", "modified"),  # older or hand-written ones
        apart=("carried",),  # in the `carried` table (`CarriedRecord`): annotations at rest stay as they were
    )
    ActorRecord = record_type(
        "ActorRecord",
        Actor,
        doc="An entry of the actor registry (`id`: a uuid); `merged_into` forwards it to another entry.",
        interned=("type",),
    )
    StoryRecord = record_type(
        "StoryRecord",
        StoryMeta,
        doc="A story version in the library index (`id`: the sha256 of its text): metadata, where its body lies.",
        interned=("agency", "section", "format"),
        before=(("id", str),),
        after=(("added", str, ""), ("body", tuple[int, int], (0, 0))),
    )
    CarriedRecord = record_type(
        "CarriedRecord",
        Carried,
        doc="Where a carried annotation came from (`id`: the annotation's id), kept apart from the annotation so "
        "that the annotations table holds what it always held.",
        interned=("source", "method"),
        before=(("id", str),),
    )
    MetaRecord = record_type(
        "MetaRecord",
        StoryMeta,
        doc="A story's metadata alone, its fields in order (as `stories.list` keeps it: `annotations.store.listing`).",
        interned=("agency", "section", "format"),
        array_like=True,
    )


class TombstoneRecord(Record):
    """A deleted annotation's id, kept so that merging another copy of the library does not bring it back."""

    INTERNED: ClassVar[tuple[str, ...]] = ("story_id",)

    id: str
    story_id: str
    deleted: str  # when (ISO 8601)
    modified: str = ""  # the annotation's last change before it was deleted


class ThreadRecord(Record):
    """A claim thread (`annotations.threads`) at rest: members as {annotation, status, linked}, in linking order;
    `unlinked`: {claim id: when} of the claims taken out of it (none in records written before)."""

    id: str
    title: str
    members: list[dict[str, str]] = []
    created: str = ""
    modified: str = ""
    unlinked: dict[str, str] = {}


class ThreadTombstoneRecord(Record):
    """A deleted claim thread's id (`annotations.threads.ThreadTombstone`), kept so that merging a file that still
    has the thread does not bring it back."""

    id: str
    deleted: str  # when (ISO 8601)
    modified: str = ""  # the thread's last change before it was deleted
    claims: list[str] = []  # the claims it held then


class ActorTombstoneRecord(Record):
    """A deleted registry entry's id, kept so that syncing (`annotations.sync`) carries the deletion to others."""

    id: str
    deleted: str  # when (ISO 8601)
    modified: str = ""  # the entry's last change before it was deleted


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
