"""`stories.list`: the story list in compact form, derived from the story index, so that a library opens
without decoding the index.

The file holds every story version of the index as a `StoryEntry` row (ids, date, version, body span, and the
metadata as an undecoded blob), newest first, and the state of the index it was made from: file id, snapshot
generation, change number, and the snapshot's size and last bytes (its checksum). It is used only when its own
checksum matches and that state is the index's state on disk now (journal, head and snapshot agree); otherwise
the store reads the index itself, and a writer writes the file anew when it closes. Being derived, it is never
repaired: deleting it costs one slower start.

Format: `wiredesk-list 1 ` + 8 hex digits (the CRC-32 of the rest) + newline + msgpack `[state, rows]`.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from pathlib import Path

import msgspec

from annotations.store import journal
from annotations.store.atomic import write_atomic
from annotations.store.entry import StoryEntry, meta_blob
from annotations.store.files import StoreError, open_file, read_file
from annotations.store.journal import Head

__all__ = ["LIST_FILE", "ListState", "index_state", "read_list", "snapshot_tag", "write_list"]

LIST_FILE = "stories.list"
_MAGIC = b"wiredesk-list 1 "
_TAIL = 16  # bytes of the snapshot's end kept in its tag: its checksum is among them


class ListState(msgspec.Struct, array_like=True, frozen=True):
    """Which state of the story index a list was made from."""

    uid: str
    generation: int
    seq: int
    snapshot: str  # "SIZE:HEX" of the snapshot's size and last bytes; "" when there is no snapshot


class _ListFile(msgspec.Struct, array_like=True):
    state: ListState
    rows: list[StoryEntry]


_encode = msgspec.msgpack.Encoder().encode
_decode = msgspec.msgpack.Decoder(_ListFile).decode


def snapshot_tag(snapshot: Path) -> str:
    """The snapshot's size and last bytes ("" if there is none). Raises StoreError if it is not a file."""
    fd = open_file(snapshot, limit=None)
    if fd is None:
        return ""
    try:
        size = os.fstat(fd).st_size
        return f"{size}:{os.pread(fd, _TAIL, max(0, size - _TAIL)).hex()}"
    except OSError as exc:
        raise StoreError(f"cannot read {snapshot}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def index_state(index: Path) -> ListState | None:
    """The state of the story index `index` (its snapshot's path) on disk now, when its journal is whole and
    numbered and its head agrees with it; else None (the store then opens the index, which says what is wrong)."""
    try:
        found = journal.scan(index.with_suffix(".journal"))
        head = journal.read_head(index.with_suffix(".head"))
        tag = snapshot_tag(index)
    except StoreError:
        return None
    end = found.end_seq
    if found.status != "clean" or found.generation is None or end is None or not found.uid:
        return None
    if head is not None and head != Head(found.uid, found.generation, end):
        return None
    return ListState(found.uid, found.generation, end, tag)


def read_list(data_dir: Path) -> tuple[ListState, list[StoryEntry]] | None:
    """The list in `data_dir` (newest first, as written) and the state it was made from; None if there is none
    or it is damaged (also when something else than a regular file stands in its place). The caller checks that
    each id is there once."""
    try:
        raw = read_file(Path(data_dir) / LIST_FILE)
    except StoreError:
        return None
    start = len(_MAGIC) + 9
    if raw is None or not raw.startswith(_MAGIC) or raw[start - 1 : start] != b"\n":
        return None
    body = memoryview(raw)[start:]
    if b"%08x" % zlib.crc32(body) != raw[len(_MAGIC) : start - 1]:
        return None
    try:
        found = _decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    return found.state, found.rows


def write_list(data_dir: Path, state: ListState, entries: Iterable[StoryEntry]) -> None:
    """Write the list of these entries (as stored: not renumbered), made from index state `state`, atomically.
    Raises StoreError or OSError; never replaces anything but a regular file."""
    rows = sorted(entries, key=lambda e: e.sort_key, reverse=True)
    body = _encode(
        (
            state,
            [
                (e.id, e.added, e.date, e.wire_id, e.version, e.body, e.blob if len(e.blob) else meta_blob(e.meta))
                for e in rows
            ],
        )
    )
    write_atomic(Path(data_dir) / LIST_FILE, _MAGIC + b"%08x\n" % zlib.crc32(body) + body)
