"""`StoryEntry`: a story as the library lists it — its ids, day, version and where its body lies; its full
metadata decoded only when first asked.

An entry read from the story list's compact form (`annotations.store.listing`) carries its metadata as an
undecoded msgpack blob, so opening a library of 100,000 stories builds no `StoryMeta` at all; the list shows a
screenful, and only those rows decode theirs.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Mapping
from typing import Annotated, Any, cast

import msgspec

from annotations.store.records import MetaRecord, Record
from stories.dates import dateline_day
from stories.model import StoryMeta, short_id

__all__ = ["StoryEntry", "entry_of", "entry_of_record", "meta_blob", "newest_first", "share_days", "version_order"]

_encode = msgspec.msgpack.Encoder().encode
_decode = msgspec.msgpack.Decoder(MetaRecord).decode
_NO_BLOB = msgspec.Raw(b"")
_Count = Annotated[int, msgspec.Meta(ge=1)]  # checked as the entry is decoded (see `annotations.store.listing`)
_Offset = Annotated[int, msgspec.Meta(ge=0)]


class StoryEntry(msgspec.Struct, array_like=True, gc=False, eq=False):
    """A story in the library list: its id, metadata and when it was added (no text).

    `version` is this version's number as the library shows it (1 for a story with no other versions) and
    `versions` how many versions of the story the library holds (set by `Store.entries`). Compare entries by
    `id`, `meta`, `added` and `versions`."""

    id: str
    added: str
    #: The story's date: updated, else created, else its dateline's day (a dateline without a year counts in the
    #: year the story was added); "" if it has none.
    date: str
    wire_id: str  # "" if it has none
    version: _Count
    body: tuple[_Offset, _Offset]  # where its text lies in the pack
    blob: msgspec.Raw = _NO_BLOB  # its metadata, msgpack (see `meta_blob`), when `cached` is not set
    versions: _Count = 1
    cached: StoryMeta | None = None

    @property
    def meta(self) -> StoryMeta:
        """The story's metadata (its `version` the number the library shows); decoded on first use and kept."""
        meta = self.cached
        if meta is None:
            meta = self.cached = self.read_meta()
        return meta

    def read_meta(self) -> StoryMeta:
        """The story's metadata like `meta`, but not kept once decoded: for a pass over every entry of a large
        library (100,000 decoded metadata hold ~100 MB; the undecoded blobs a third of that)."""
        meta = self.cached
        if meta is None:
            try:
                meta = StoryMeta.from_dict(cast(Mapping[str, Any], _decode(self.blob)))  # a Record reads as one
            except (msgspec.DecodeError, ValueError, TypeError):  # never written so (the file is checksummed)
                meta = StoryMeta(headline=f"(story {self.short_id}: its list entry is damaged; see `wiredesk doctor`)")
            if (meta.version or 1) != self.version:
                meta = dataclasses.replace(meta, version=self.version)
        return meta

    def meta_fields(self, *names: str) -> tuple[Any, ...]:
        """Some fields of the story's metadata, read from the blob without building a `StoryMeta` (for a pass over
        many entries: the sourcing figures read the agency and section of every annotated story)."""
        if self.cached is None and self.blob:
            try:
                record = _decode(self.blob)
                return tuple(getattr(record, name, None) for name in names)
            except (msgspec.DecodeError, ValueError, TypeError):
                pass
        meta = self.read_meta()
        return tuple(getattr(meta, name) for name in names)

    @property
    def published(self) -> str:
        """When the story was first published: its created date, else its dateline's day (YYYY-MM-DD, in the
        year the library places it: see `date`); "" if it has neither."""
        meta = self.meta
        return meta.created or _dateline_date(meta, self.added)

    @property
    def short_id(self) -> str:
        return short_id(self.id)

    @property
    def day(self) -> str:
        """The day filters go by: the story's date, else the day it was added (YYYY-MM-DD)."""
        return (self.date or self.added)[:10]

    @property
    def sort_key(self) -> tuple[str, str]:
        """Sorted in reverse, newest first by the story's date; undated stories last (latest added first)."""
        return (self.date, self.added)

    def numbered(self, number: int, versions: int) -> StoryEntry:
        """This entry as version `number` of `versions`."""
        cached = self.cached
        if cached is not None and (cached.version or 1) != number:
            cached = dataclasses.replace(cached, version=number)
        return msgspec.structs.replace(self, version=number, versions=versions, cached=cached)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StoryEntry):
            return NotImplemented
        return (self.id, self.added, self.versions, self.meta) == (other.id, other.added, other.versions, other.meta)

    def __hash__(self) -> int:
        return hash((self.id, self.added, self.versions))

    def __repr__(self) -> str:
        return f"StoryEntry(id={self.id!r}, meta={self.meta!r}, added={self.added!r}, versions={self.versions})"


def meta_blob(meta: StoryMeta) -> msgspec.Raw:
    """`meta` as the blob an entry keeps (msgpack of its fields in order, a `MetaRecord`)."""
    *values, extra = _meta_fields(meta)  # `extra` is the last field (checked below)
    return msgspec.Raw(_encode((*values, dict(extra))))


_META_FIELDS = tuple(f.name for f in dataclasses.fields(StoryMeta))
_meta_fields = operator.attrgetter(*_META_FIELDS)
assert MetaRecord.__struct_fields__ == _META_FIELDS and _META_FIELDS[-1] == "extra", "record and model differ"


def entry_of(story_id: str, meta: StoryMeta, added: str, body: tuple[int, int]) -> StoryEntry:
    """The entry of a stored story version, its metadata decoded already."""
    date = meta.updated or meta.created or _dateline_date(meta, added)
    span = (int(body[0]), int(body[1]))
    return StoryEntry(story_id, added, date, meta.wire_id or "", meta.version or 1, span, cached=meta)


def _dateline_date(meta: StoryMeta, added: str) -> str:
    """ISO date of a dateline date such as "March 4", in the latest year not after `added`; else ""."""
    day = dateline_day(str(meta.extra.get("dateline_date") or ""), added)
    return day.isoformat() if day is not None else ""


def entry_of_record(rec: Record) -> StoryEntry:
    """The entry of a story index record."""
    return entry_of(rec.id, StoryMeta.from_dict(cast(Mapping[str, Any], rec)), rec.added, rec.body)


def share_days(entries: list[StoryEntry]) -> None:
    """Let entries with the same date or time added share the string (stories imported together share both)."""
    seen: dict[str, str] = {}
    for entry in entries:
        entry.added = seen.setdefault(entry.added, entry.added)
        entry.date = seen.setdefault(entry.date, entry.date)


def version_order(entry: StoryEntry) -> tuple[int, str, str]:
    """How the versions of a story are ordered: by the number their wire gave them (UPDATE n, NewsML-G2 / ninjs
    version, ANPA lead; 1 when none), then by their date (updated, else created; undated first), then by when
    they were added."""
    return (entry.version, entry.date, entry.added)


def newest_first(entry: StoryEntry) -> tuple[str, str]:
    """`StoryEntry.sort_key`, as a function: sort with it in reverse."""
    return (entry.date, entry.added)
