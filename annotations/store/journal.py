"""The journal beside a snapshot: one checksummed line per committed change, fsync'd before it counts.

Format: each line is `CRC32 (8 hex) SPACE JSON NEWLINE`. The first line is a header naming the snapshot
generation the journal applies to; every other line is a change: `{"ops": [[table, id, doc or null], ...]}`.
A change is written with one `write` and made durable with `fdatasync` before the save is acknowledged.

Reading stops at the first bad line. A bad *last* line without its newline is a torn write (the process died
while writing it), so it was never acknowledged and is dropped. A bad line that is complete, or that has good
lines after it, is damage: the journal is reported as corrupt and never silently cut short.
"""

from __future__ import annotations

import errno
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from annotations.store.atomic import fsync_dir

__all__ = ["Journal", "JournalScan", "encode_line", "scan"]

FORMAT = 1
_encoder = msgspec.json.Encoder()


def encode_line(payload: Any) -> bytes:
    """One journal line for `payload` (anything msgspec can encode), with its checksum."""
    body = _encoder.encode(payload)
    return b"%08x " % zlib.crc32(body) + body + b"\n"


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

    generation: int | None = None
    changes: list[bytes] = field(default_factory=list)
    valid_end: int = 0  # bytes up to the end of the last good line
    size: int = 0
    status: str = "clean"  # "clean" | "torn" (a partial last line) | "corrupt"
    problem: str = ""

    @property
    def dropped(self) -> int:
        """Bytes after the last good line."""
        return self.size - self.valid_end


def scan(path: Path) -> JournalScan:
    """Read a journal. A missing or empty file is a clean journal with no header."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return JournalScan()
    result = JournalScan(size=len(data))
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        if end == -1:
            result.status = "torn"
            result.problem = f"a partial last line ({len(data) - pos} bytes, never acknowledged) was dropped"
            break
        body = _decode_line(data[pos:end])
        if body is not None and result.generation is None:
            result.generation = _header_generation(body)
            body = body if result.generation is not None else None
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


def _header_generation(body: bytes) -> int | None:
    """The generation named by a header line, or None if the line is not a header."""
    try:
        header = msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    if isinstance(header, dict) and header.get("journal") == FORMAT and isinstance(header.get("generation"), int):
        return header["generation"]
    return None


class Journal:
    """An open journal for appending. Every `append` is durable when it returns."""

    def __init__(self, path: Path, generation: int, *, valid_end: int | None = None) -> None:
        """Open (or create) the journal of `generation`, first cutting any torn tail at `valid_end`."""
        self.path = path
        self.generation = generation
        fresh = not path.exists() or path.stat().st_size == 0
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            if valid_end is not None and not fresh and os.fstat(self._fd).st_size > valid_end:
                os.ftruncate(self._fd, valid_end)
                os.fsync(self._fd)
            if fresh or os.fstat(self._fd).st_size == 0:
                self._write(encode_line({"journal": FORMAT, "generation": generation}))
                fsync_dir(path.parent)
        except BaseException:
            os.close(self._fd)
            raise
        self.size = os.fstat(self._fd).st_size
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
