"""A snapshot: plain TinyDB JSON of every table, with the `wiredesk` table last (generation, change count, file
id) and a CRC-32 of every byte before the checksum's hex digits, so damage anywhere in it is found."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import GenericAlias
from typing import Any

import msgspec

from annotations.store.files import StoreError
from annotations.store.records import Record

__all__ = ["DOCTOR", "META_TABLE", "SnapshotMeta", "decode_snapshot", "encode_snapshot"]

#: The TinyDB table holding the snapshot's generation number.
META_TABLE = "wiredesk"
FORMAT = 1
DOCTOR = "`wiredesk doctor --repair` restores the last good backup"
# A snapshot ends with `,"crc32":"XXXXXXXX"}}}`: the CRC-32 of every byte before the hex digits.
_CRC_HEAD = b',"crc32":"'
_CRC_TAIL = b'"}}}'
_CRC_SIZE = 8 + len(_CRC_TAIL)


@dataclass(frozen=True)
class SnapshotMeta:
    """What a snapshot says of itself: its generation, how many changes it holds, which file it is. A snapshot
    written before sequence numbers (or by plain TinyDB) has `seq` None and no `uid`."""

    generation: int = 0
    seq: int | None = None
    uid: str = ""


class _Meta(msgspec.Struct):
    generation: int
    seq: int | None = None
    uid: str = ""


def _checksummed(raw: bytes, path: Path) -> bool:
    """Whether `raw` ends with a snapshot checksum; raises StoreError if it does and the checksum is wrong."""
    if not raw.endswith(_CRC_TAIL) or raw[-_CRC_SIZE - len(_CRC_HEAD) : -_CRC_SIZE] != _CRC_HEAD:
        return False
    try:
        crc = int(raw[-_CRC_SIZE : -len(_CRC_TAIL)], 16)
    except ValueError:
        crc = -1
    if crc != zlib.crc32(raw[:-_CRC_SIZE]):
        raise StoreError(f"{path} is damaged (its checksum does not match); it was left untouched — {DOCTOR}")
    return True


def decode_snapshot(
    raw: bytes,
    types: Mapping[str, type[Record] | None],
    path: Path,
    *,
    check: Callable[[], None] | None = None,
    shrink: Mapping[str, Callable[[Any], None]] | None = None,
) -> tuple[dict[str, dict[str, Any]], SnapshotMeta]:
    """The tables of a snapshot, documents decoded to their record types, and what it says of itself.

    A snapshot without the `wiredesk` table (written by plain TinyDB or an older wiredesk) is generation 0 and
    has no checksum; one with it must carry a matching checksum. `check` is called between chunks of records
    (it raises to stop the load); `shrink[table]`, if given, on each record of that table as it is decoded."""
    if not raw.strip():
        raise StoreError(f"{path} is empty ({len(raw)} bytes); it was left untouched — {DOCTOR}")
    if check is not None:
        check()
    checksummed = _checksummed(raw, path)
    try:
        top = msgspec.json.decode(raw, type=dict[str, dict[str, msgspec.Raw]])
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path} is unreadable ({exc}); it was left untouched — {DOCTOR}") from None
    if check is not None:
        check()
    meta = SnapshotMeta()
    if META_TABLE in top:
        raw_meta = top.pop(META_TABLE)
        try:
            if not checksummed:
                raise ValueError("its checksum is missing")
            found = msgspec.json.decode(raw_meta["1"], type=_Meta)
            if found.generation < 0 or (found.seq is not None and found.seq < 0):
                raise ValueError(f"bad generation {found.generation!r} or change count {found.seq!r}")
            meta = SnapshotMeta(found.generation, found.seq, found.uid)
        except (msgspec.DecodeError, KeyError, ValueError) as exc:
            raise StoreError(f"{path} is damaged ({exc}); it was left untouched — {DOCTOR}") from None
    tables: dict[str, dict[str, Any]] = {}
    for name, docs in top.items():
        record_type = types.get(name)
        try:
            if record_type is None:
                tables[name] = {k: msgspec.json.decode(v, type=dict[str, Any]) for k, v in docs.items()}
            else:
                tables[name] = _decode_records(docs, record_type, check, (shrink or {}).get(name))
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"{path} holds a damaged record in table {name!r} ({exc}); {DOCTOR}") from None
    return tables, meta


_CHUNK = 2000


def _decode_records(
    docs: dict[str, msgspec.Raw],
    record_type: type[Record],
    check: Callable[[], None] | None,
    shrink: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """Decode a table's documents a few thousand at a time: one C call per chunk is fast, and the GIL is
    released between chunks, so an app loading in the background stays responsive."""
    decode = msgspec.json.Decoder(GenericAlias(list, (record_type,))).decode  # list[record_type], built at run time
    items = list(docs.items())
    table: dict[str, Any] = {}
    seen: dict[Any, Any] = {}  # values that repeat, shared for as long as this load lasts
    for i in range(0, len(items), _CHUNK):
        if check is not None:
            check()
        chunk = items[i : i + _CHUNK]
        records: list[Record] = decode(b"[" + b",".join(raw for _, raw in chunk) + b"]")
        for (doc_id, _), record in zip(chunk, records, strict=True):
            record.intern(seen)
            if shrink is not None:
                shrink(record)
            table[doc_id] = record
    return table


def encode_snapshot(
    tables: Mapping[str, Mapping[str, Any]],
    generation: int,
    *,
    seq: int | None = None,
    uid: str = "",
    full: Mapping[str, Callable[[Any], Any]] | None = None,
) -> bytes:
    """Plain TinyDB JSON for `tables`, with the generation (and the change count and file id, when given) and
    the checksum last, in the `wiredesk` table. `full[table]`, if given, makes each record of that table whole
    before it is written (see `annotations.store.lean`)."""
    top: dict[str, Any] = {name: docs for name, docs in tables.items() if name != META_TABLE}
    for name, whole in (full or {}).items():
        if name in top:
            top[name] = _encode_whole(top[name], whole)
    meta: dict[str, Any] = {"format": FORMAT, "generation": generation}
    if seq is not None:
        meta.update(seq=seq, uid=uid)
    top[META_TABLE] = {"1": meta}
    head = msgspec.json.encode(top)[: -len(b"}}}")] + _CRC_HEAD
    return head + b"%08x" % zlib.crc32(head) + _CRC_TAIL


def _encode_whole(docs: Mapping[str, Any], whole: Callable[[Any], Any]) -> msgspec.Raw:
    """A table's JSON object, each record made whole first, a chunk at a time (never all of them at once)."""
    items = list(docs.items())
    parts = []
    for i in range(0, len(items), _CHUNK):
        parts.append(msgspec.json.encode({k: whole(v) for k, v in items[i : i + _CHUNK]})[1:-1])
    return msgspec.Raw(b"{" + b",".join(p for p in parts if p) + b"}")
