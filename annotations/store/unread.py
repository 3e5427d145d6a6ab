"""Which story versions are unread: stored by an import and not opened since (`unread.jsonl` in the data dir).

A library without the file has nothing unread: an existing library starts all read, and only what is imported
from then on starts unread.

The file is an append-only log: a header line, then one `["+", [ids]]` (unread) or `["-", [ids]]` (read) line per
change, appended with one fsync. Two processes (`wiredesk watch` and the app) both append, never overwriting each
other's lines; `refresh` reads the lines appended since (a stat when nothing changed), replaying them in file order.
A line that does not read back (torn by a crash, garbage) is skipped. When the log holds far more lines than
unread ids, a writer replaces it with one line (atomically). Something other than a regular file in its place
(a folder, a FIFO, a link to a device) is never read or replaced: the marks are then kept in memory for the
session, as they are in a read-only library.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Set
from pathlib import Path

import msgspec

from annotations.store.atomic import write_atomic
from annotations.store.files import StoreError, open_file

__all__ = ["COMPACT_LINES", "MAX_UNREAD_BYTES", "UNREAD_FILE", "UnreadMarks"]

UNREAD_FILE = "unread.jsonl"
#: A larger file is damage, not a log of marks: it is not read (nothing is unread) and a writer replaces it.
MAX_UNREAD_BYTES = 64 << 20
#: A writer replaces the log with one line once it holds more than this many lines beyond the unread ids.
COMPACT_LINES = 2000
_HEADER = b'{"wiredesk_unread":1}\n'
_ID = re.compile(r"[0-9a-f]{64}")
_decode = msgspec.json.Decoder(tuple[str, list[str]]).decode
_encode = msgspec.json.Encoder().encode


class UnreadMarks:
    """The unread story versions of one data dir (read from its log at first use, kept up by `refresh`)."""

    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.path = Path(data_dir) / UNREAD_FILE
        self.read_only = read_only
        self._ids: set[str] = set()
        self._file: tuple[int, int] | None = None  # (device, inode) of the log read
        self._offset = 0  # bytes of it read (whole lines)
        self._lines = 0
        self.usable = True  # False: something else stands where the log goes; marks are kept in memory
        self.refresh()
        if self._lines > len(self._ids) + COMPACT_LINES:
            with contextlib.suppress(OSError, StoreError):  # tried again at the next mark
                self._compact()

    # --- reading -------------------------------------------------------------------------------------------

    @property
    def ids(self) -> Set[str]:
        """The unread ids as last read (live: do not change it; `refresh` first for another process's marks)."""
        return self._ids

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def refresh(self) -> bool:
        """Read what was appended since the last read (by this process or another); True if the ids changed."""
        if not self.usable:
            return False
        before = frozenset(self._ids)
        self._read_new()
        return len(before) != len(self._ids) or before != self._ids

    def _read_new(self) -> None:
        try:
            fd = open_file(self.path, limit=None)
        except StoreError:  # a folder, a FIFO, a link to a device: never read, never replaced
            self.usable = False
            return
        if fd is None:
            self._reset(None)
            return
        try:
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) != self._file or st.st_size < self._offset:
                self._reset((st.st_dev, st.st_ino))  # replaced (compacted) or cut: read it whole again
            if st.st_size == self._offset:
                return
            if st.st_size > MAX_UNREAD_BYTES:
                self._offset = st.st_size  # damage: not read; a writer replaces it at the next mark
                self._lines = len(self._ids) + COMPACT_LINES + 1
                return
            os.lseek(fd, self._offset, os.SEEK_SET)
            data = _read_all(fd, st.st_size - self._offset)
        except OSError:
            return
        finally:
            os.close(fd)
        self._replay(data)

    def _reset(self, file: tuple[int, int] | None) -> None:
        self._ids, self._file, self._offset, self._lines = set(), file, 0, 0

    def _replay(self, data: bytes) -> None:
        """Apply the whole lines of `data` (read from `_offset`), in order; a torn last line waits for its end."""
        end = data.rfind(b"\n") + 1
        for line in data[:end].splitlines():
            self._lines += 1
            try:
                op, ids = _decode(line)
            except msgspec.DecodeError:
                continue  # the header, a torn line, garbage
            found = [i for i in ids if _ID.fullmatch(i)]
            if op == "+":
                self._ids.update(found)
            elif op == "-":
                self._ids.difference_update(found)
        self._offset += end

    # --- marking -------------------------------------------------------------------------------------------

    def mark_unread(self, story_ids: Iterable[str]) -> list[str]:
        """Mark these story versions unread, durably (in memory only when read-only); the ids that changed."""
        return self._mark("+", [i for i in dict.fromkeys(story_ids) if i not in self._ids])

    def mark_read(self, story_ids: Iterable[str]) -> list[str]:
        """Mark these story versions read, durably (in memory only when read-only); the ids that changed."""
        return self._mark("-", [i for i in dict.fromkeys(story_ids) if i in self._ids])

    def _mark(self, op: str, changed: list[str]) -> list[str]:
        changed = [i for i in changed if _ID.fullmatch(i)]
        if not changed:
            return []
        (self._ids.update if op == "+" else self._ids.difference_update)(changed)
        if not self.read_only and self.usable:
            try:
                self._append(_encode((op, changed)) + b"\n")
                self._read_new()  # this line, and any another process appended before it
                if self._lines > len(self._ids) + COMPACT_LINES:
                    self._compact()
            except (OSError, StoreError) as exc:
                raise StoreError(f"{self.path}: the read/unread marks cannot be saved: {_reason(exc)}") from None
        return changed

    def _append(self, line: bytes) -> None:
        """Append one line, fsync'd (the header first when the log is new; a line break first after a torn line).
        `refresh` reads it back with any lines another process appended before it, in file order."""
        fd = open_file(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, limit=None)
        assert fd is not None  # (O_CREAT)
        size = os.fstat(fd).st_size
        if size == 0:
            line = _HEADER + line
        elif os.pread(fd, 1, size - 1) != b"\n":  # a torn line (a crash mid-append): ended, so this one is whole
            line = b"\n" + line
        try:
            _write_all(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def _compact(self) -> None:
        """Replace the log with one line holding the unread ids, read first (another process's marks stay)."""
        if self.read_only or not self.usable:
            return
        self.refresh()
        if not self.usable:
            return
        write_atomic(self.path, _HEADER + _encode(("+", sorted(self._ids))) + b"\n")
        self._file = None  # read again whole at the next refresh (a new inode)
        self.refresh()


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _read_all(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
