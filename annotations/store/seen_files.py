"""What imports remember of the files they parsed: a hash of a file's bytes (with the parse version and the format
asked for) -> the ids of the stories those bytes gave. A re-import looks a file up here before parsing it.

A derived file in the data dir (`seen-files.jsonl`), only a cache: a miss means parsing, so it is never trusted
further than that (the caller still checks that every story it names is in the library). It holds a header line,
then one `[key, [story ids]]` line per file. Each import batch appends its lines with one fsync; whenever the file
must be rewritten (damaged, too big, too many stale lines) it is replaced atomically (`atomic.write_atomic`).

Hostile or broken, it costs nothing but the cache: a file that does not read back line for line as written (a torn
append, garbage, another version) or is over `MAX_FILE_BYTES` is rebuilt empty; a link, a folder, a FIFO or a
device in its place is neither read nor replaced (nothing is remembered while it is there). It stays bounded:
past `MAX_WEIGHT` (files plus story ids), the oldest entries are dropped.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

import msgspec

from annotations.store.atomic import write_atomic
from annotations.store.files import StoreError
from stories.loader import PARSE_VERSION

__all__ = ["MAX_FILE_BYTES", "MAX_IDS", "MAX_WEIGHT", "SEEN_FILE", "SeenFiles", "file_key"]

SEEN_FILE = "seen-files.jsonl"
#: A file that gave more stories than this is not remembered (it is parsed again: one file, rare).
MAX_IDS = 1_000
#: At most this many files plus story ids are remembered (~40 MB); past it the oldest half-quarter goes.
MAX_WEIGHT = 600_000
#: A seen-files file larger than this is damage, not a cache: rebuilt empty unread.
MAX_FILE_BYTES = 64 << 20
_HEADER = b'{"wiredesk_seen_files":1}\n'
_KEY = re.compile(r"[0-9a-f]{32}")
_ID = re.compile(r"[0-9a-f]{64}")
_decode = msgspec.json.Decoder(tuple[str, list[str]]).decode
_encode = msgspec.json.Encoder().encode
_NOFOLLOW = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def file_key(data: bytes, fmt: str | None) -> str:
    """The key of a file's bytes parsed as `fmt` (None: recognised) by this version of the parser."""
    digest = hashlib.blake2b(f"{PARSE_VERSION}\0{fmt or ''}\0".encode(), digest_size=16, person=b"wiredesk-seen")
    digest.update(data)
    return digest.hexdigest()


class SeenFiles:
    """The seen-files cache of one data dir, loaded at once; `add` then `save` once per import batch."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / SEEN_FILE
        self._entries: dict[str, tuple[str, ...]] = {}
        self._pending: list[str] = []
        self._weight = 0
        self._lines = 0
        self.usable = True  # False: something else stands where the file goes; nothing is read or written
        self._rewrite = False  # the file must be replaced whole at the next save
        self._load()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> tuple[str, ...] | None:
        """The story ids the file with this key gave, or None if it was not seen."""
        return self._entries.get(key)

    def add(self, key: str, ids: Sequence[str]) -> None:
        """Remember that the file with this key gave these stories (written at the next `save`)."""
        ids = tuple(ids)
        if not self.usable or not ids or len(ids) > MAX_IDS or not _valid(key, ids):
            return
        old = self._entries.pop(key, None)
        if old == ids:
            self._entries[key] = ids
            return
        self._weight += 1 + len(ids) - (1 + len(old) if old is not None else 0)
        self._entries[key] = ids
        self._pending.append(key)

    def save(self) -> None:
        """Write what was added since the last save: appended with one fsync, or the whole file replaced
        atomically when it must be. A failure only disables the cache for this run (it is never needed)."""
        if not self.usable or not (self._pending or self._rewrite):
            return
        if self._weight > MAX_WEIGHT:
            self._trim()
        if not self._rewrite and self._lines > 2 * len(self._entries) + 1000:
            self._rewrite = True  # mostly lines that later ones replaced
        try:
            if self._rewrite or not self._append():
                self._write_whole()
        except (OSError, StoreError):
            self.usable = False
        self._pending = []

    # --- inside ---------------------------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | _NOFOLLOW)
        except FileNotFoundError:
            return
        except OSError as exc:  # ELOOP: a link; ENXIO and the like: something that is no file
            self.usable = exc.errno not in (errno.ELOOP, errno.ENXIO, errno.EISDIR)
            self._rewrite = self.usable
            return
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                self.usable = False
                return
            if st.st_size > MAX_FILE_BYTES:
                self._rewrite = True
                return
            os.set_blocking(fd, True)
            data = _read_all(fd, MAX_FILE_BYTES)
        except OSError:
            self._rewrite = True
            return
        finally:
            os.close(fd)
        if data is None or not self._parse(data):
            self._entries, self._weight, self._lines, self._rewrite = {}, 0, 0, True

    def _parse(self, data: bytes) -> bool:
        """Fill the entries from the file's bytes; False if they are not exactly what `save` writes."""
        if not data.startswith(_HEADER) or not data.endswith(b"\n"):
            return False
        lines = data[len(_HEADER) :].split(b"\n")
        lines.pop()  # after the last newline
        entries = self._entries
        for line in lines:
            try:
                key, ids = _decode(line)
            except msgspec.DecodeError:
                return False
            found = tuple(ids)
            if not found or len(found) > MAX_IDS or not _valid(key, found):
                return False
            old = entries.pop(key, None)
            self._weight += 1 + len(found) - (1 + len(old) if old is not None else 0)
            entries[key] = found
        self._lines = len(lines)
        return True

    def _trim(self) -> None:
        """Drop the oldest entries until a quarter of the room is free again."""
        keep = MAX_WEIGHT * 3 // 4
        for key in list(self._entries):
            if self._weight <= keep:
                break
            self._weight -= 1 + len(self._entries.pop(key))
        self._rewrite = True

    def _append(self) -> bool:
        """Append the pending entries, fsync'd; False if there is no file to append to (it is written whole)."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | _NOFOLLOW)
        except FileNotFoundError:
            return False
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StoreError(f"{self.path} is not a regular file")
            os.set_blocking(fd, True)
            lines = _lines(self._pending, self._entries)
            _write_all(fd, lines)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._lines += len(self._pending)
        return True

    def _write_whole(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISREG(os.lstat(self.path).st_mode):  # a link or an intruder appeared: never replaced
                raise StoreError(f"{self.path} is not a regular file")
        write_atomic(self.path, _HEADER + _lines(self._entries, self._entries))
        self._lines = len(self._entries)
        self._rewrite = False


def _valid(key: str, ids: Iterable[str]) -> bool:
    return bool(_KEY.fullmatch(key)) and all(_ID.fullmatch(i) for i in ids)


def _lines(keys: Iterable[str], entries: dict[str, tuple[str, ...]]) -> bytes:
    return b"".join(_encode((key, entries[key])) + b"\n" for key in keys if key in entries)


def _read_all(fd: int, limit: int) -> bytes | None:
    """The bytes of `fd`, or None if there are more than `limit` (the file grew while it was read)."""
    chunks, size = [], 0
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return None
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
