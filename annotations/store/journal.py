"""The journal beside a snapshot: one checksummed line per committed change, fsync'd before it counts.

Format: each line is `CRC32 (8 hex) SPACE JSON NEWLINE`. The first line is a header naming the file (`uid`), the
snapshot generation the journal applies to and the number of changes made before it (`seq`); every other line is
a change, numbered on from there: `{"seq": n, "ops": [[table, id, doc or null], ...]}`. A change is written with
one `write` and made durable with `fdatasync` before the save is acknowledged. A journal is created whole (its
header written to a temp file and renamed into place), so a journal of zero bytes is never one wiredesk wrote.

Reading stops at the first bad line. A bad *last* line without its newline is a torn write (the process died
while writing it); whether it was acknowledged, the head file says (`NAME.head`, see `Head`). A bad line that is
complete, or that has good lines after it, is damage: the journal is reported as corrupt and never silently cut.

Journals written before sequence numbers have neither `uid` nor `seq`; they are read as they are, and the first
save folds them into a snapshot that has both (see `JournaledStorage`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from annotations.store.atomic import write_atomic
from annotations.store.files import StoreError, open_file, read_file

__all__ = ["Head", "Journal", "JournalScan", "encode_line", "read_head", "scan", "verify"]

FORMAT = 1
LOOK = "it was left untouched — run `wiredesk doctor`"
_encoder = msgspec.json.Encoder()


def encode_line(payload: Any) -> bytes:
    """One journal line for `payload` (anything msgspec can encode), with its checksum."""
    body = _encoder.encode(payload)
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def header(generation: int, seq: int | None = None, uid: str = "") -> dict[str, Any]:
    """A journal's first line: which file and snapshot generation it continues, after how many changes."""
    line: dict[str, Any] = {"journal": FORMAT, "generation": generation}
    if seq is not None:
        line.update(seq=seq, uid=uid)
    return line


def _decode_line(line: bytes) -> bytes | None:
    """The JSON body of a complete line, or None if its checksum or shape is wrong."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    try:
        crc = int(line[:8], 16)
    except ValueError:
        return None
    body = line[9:]
    return body if zlib.crc32(body) == crc else None


@dataclass
class JournalScan:
    """What a journal file holds: its header, its good change lines, and how it ends."""

    exists: bool = False
    generation: int | None = None
    seq: int | None = None  # changes made before this journal (None: written before sequence numbers)
    uid: str = ""
    changes: list[bytes] = field(default_factory=list)
    valid_end: int = 0  # bytes up to the end of the last good line
    size: int = 0
    status: str = "clean"  # "clean" | "torn" (a partial last line) | "corrupt"
    problem: str = ""
    data: bytes = b""  # the file as it was read

    @property
    def dropped(self) -> int:
        """Bytes after the last good line."""
        return self.size - self.valid_end

    @property
    def end_seq(self) -> int | None:
        """The number of the last good change (None for a journal without sequence numbers)."""
        return None if self.seq is None else self.seq + len(self.changes)


def scan(path: Path) -> JournalScan:
    """Read a journal. A missing or empty file is a clean journal with no header (`exists` tells them apart).
    Raises StoreError if something else than a regular file stands in its place."""
    data = read_file(path)
    if data is None:
        return JournalScan()
    result = JournalScan(exists=True, size=len(data), data=data)
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        if end == -1:
            result.status = "torn"
            result.problem = f"a partial last line ({len(data) - pos} bytes, never acknowledged) was dropped"
            break
        body = _decode_line(data[pos:end])
        if body is not None and pos == 0:
            head = _header(body)
            if head is not None:
                result.generation, result.seq, result.uid = head
            else:
                body = None
        elif body is not None:
            result.changes.append(body)
        if body is None:
            line_no = data.count(b"\n", 0, pos) + 1
            result.status = "corrupt"
            result.problem = f"line {line_no} is damaged; {len(data) - pos} bytes from there on cannot be read"
            break
        pos = end + 1
        result.valid_end = pos
    return result


class _Header(msgspec.Struct):
    journal: int
    generation: int
    seq: int | None = None
    uid: str = ""


def _header(body: bytes) -> tuple[int, int | None, str] | None:
    """(generation, seq, uid) of a header line, or None if the line is not a header."""
    try:
        found = msgspec.json.decode(body, type=_Header)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    if found.journal != FORMAT or found.generation < 0 or (found.seq is not None and found.seq < 0):
        return None
    return found.generation, found.seq, found.uid


def verify(snapshot: Path, generation: int, seq: int | None, uid: str, found: JournalScan, head: Head | None) -> None:
    """Refuse a journal that is not the one its snapshot (of `generation`, holding `seq` changes, of file `uid`;
    seq None: written before sequence numbers) and its head say it must be. Raises StoreError naming it."""
    log, head_path = snapshot.with_suffix(".journal"), snapshot.with_suffix(".head")
    if found.status == "corrupt":
        raise StoreError(f"{log}: {found.problem}; {LOOK}")
    if found.exists and found.generation is None:
        what = "is empty (0 bytes)" if found.size == 0 else f"has lost its first line ({found.size} bytes left)"
        raise StoreError(f"{log} {what}: the saves it held are missing; {LOOK}")
    if not found.exists:
        if head is not None or seq is not None:
            raise StoreError(f"{log} is missing: the saves since the last snapshot are missing with it; {LOOK}")
        return
    assert found.generation is not None
    if found.generation > generation:
        raise StoreError(
            f"{log} continues a newer snapshot than {snapshot} (generation "
            f"{found.generation} > {generation}); both were left untouched — run `wiredesk doctor`"
        )
    if uid and found.uid != uid:
        raise StoreError(
            f"{log} belongs to another file than {snapshot}; both were left untouched — run `wiredesk doctor`"
        )
    if found.generation == generation and seq is not None and found.seq != seq:
        raise StoreError(
            f"{log} does not continue {snapshot} (it starts after change {found.seq}, the snapshot holds "
            f"{seq}); both were left untouched — run `wiredesk doctor`"
        )
    if found.generation < generation and seq is not None:
        made_from = found.generation == generation - 1 and found.end_seq == seq
        if not made_from or found.status != "clean":
            raise StoreError(
                f"{log} is older than {snapshot} (generation {found.generation} < {generation}) but "
                f"not the journal it was made from; both were left untouched — run `wiredesk doctor`"
            )
    if head is None:
        return
    if (found.uid or uid) and head.uid != (found.uid or uid):
        raise StoreError(f"{log} does not belong with {head_path} (another library's file?); {LOOK}")
    if head.generation > found.generation:
        raise StoreError(
            f"{log} is older than {head_path} says (generation {found.generation} < {head.generation}): an "
            f"older copy was put back; {LOOK}"
        )
    end = found.end_seq if found.generation == generation else seq
    if end is not None and end < head.seq:
        if found.status == "torn" and end + 1 == head.seq:
            raise StoreError(f"{log} was cut inside change {head.seq}, which had been saved; {LOOK}")
        raise StoreError(
            f"{log} ends at change {end}, but change {head.seq} had been saved ({head_path}): it was cut "
            f"short or replaced; {LOOK}"
        )


class Journal:
    """An open journal for appending. Every `append` is durable when it returns."""

    def __init__(
        self, path: Path, generation: int, *, seq: int | None = 0, uid: str = "", valid_end: int | None = None
    ) -> None:
        """Open the journal at `path`, first cutting it at `valid_end` (its caller kept what is cut); or, if
        there is none, create it whole: the header of `generation` (after `seq` changes, in file `uid`)."""
        self.path = path
        self.generation = generation
        fd = open_file(path, os.O_RDWR | os.O_APPEND)
        if fd is None:
            write_atomic(path, encode_line(header(generation, seq, uid)))
            fd = open_file(path, os.O_RDWR | os.O_APPEND)
            if fd is None:
                raise StoreError(f"{path} vanished as it was created")
        self._fd = fd
        try:
            if valid_end is not None and os.fstat(fd).st_size > valid_end:
                os.ftruncate(fd, valid_end)
                os.fsync(fd)
            self.size = os.fstat(fd).st_size
        except BaseException:
            self.close()
            raise
        self.broken = ""

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fdatasync(self._fd)

    def append(self, payload: Any) -> int:
        """Write one change line and fsync it; returns its size. On failure nothing of it remains."""
        if self.broken:
            raise OSError(errno.EIO, self.broken)
        line = encode_line(payload)
        before = self.size
        try:
            self._write(line)
        except OSError:
            try:  # leave no partial record behind, or later lines would look like damage
                os.ftruncate(self._fd, before)
                os.fsync(self._fd)
            except OSError as exc:
                self.broken = f"the journal {self.path} could not be restored after a failed write ({exc.strerror})"
            raise
        self.size = before + len(line)
        return len(line)

    def stat(self) -> tuple[int, int]:
        """(inode, size) of the file as it is on disk now."""
        st = os.fstat(self._fd)
        return st.st_ino, st.st_size

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


# --- the head: how far the journal reached -------------------------------------------------------------------

_HEAD = re.compile(rb"wiredesk-head 1 ([0-9a-f]{32}) (\d{12}) (\d{12}) ([0-9a-f]{8})\n")


@dataclass(frozen=True)
class Head:
    """The last acknowledged change of a TinyDB file: its `seq`, in snapshot `generation`, of file `uid`.

    Kept in `NAME.head`, rewritten in place (one `pwrite` of a fixed-size record, no fsync) after every change is
    durable in the journal. It may lag behind the journal (after a power cut) but never runs ahead of it, so a
    journal that ends before the head does was shortened or replaced after it was written: damage."""

    uid: str
    generation: int
    seq: int

    def encode(self) -> bytes:
        line = b"wiredesk-head 1 %s %012d %012d " % (self.uid.encode(), self.generation, self.seq)
        return line + b"%08x\n" % zlib.crc32(line)


def read_head(path: Path) -> Head | None:
    """The head at `path`, or None if there is none. Raises StoreError if it is damaged or not a file."""
    data = read_file(path, limit=4096)
    if data is None:
        return None
    found = _HEAD.fullmatch(data)
    if found is None or zlib.crc32(data[: found.start(4)]) != int(found[4], 16):
        raise StoreError(f"{path} is damaged ({len(data)} bytes); it was left untouched — run `wiredesk doctor`")
    return Head(found[1].decode(), int(found[2]), int(found[3]))


class HeadFile:
    """The writer's head file: created whole when there is none, then rewritten in place after each change."""

    def __init__(self, path: Path, head: Head, *, existing: Head | None = None) -> None:
        """Open the head at `path` (`existing`: what it holds now, None when there is none) and record `head`."""
        self.path = path
        self.head = head
        if existing is None:
            write_atomic(path, head.encode())
        fd = open_file(path, os.O_RDWR)
        if fd is None:
            raise StoreError(f"{path} vanished as it was created")
        self._fd = fd
        if existing is not None and existing != head:
            self.set(head)

    def set(self, head: Head) -> None:
        """Record `head`. A failure is ignored: the head then lags, which only makes the check less strict."""
        self.head = head
        with contextlib.suppress(OSError):
            os.pwrite(self._fd, head.encode(), 0)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
