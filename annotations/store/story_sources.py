"""Which live source each story came from: the `story-sources.jsonl` table of the data dir, read through the
`Store` facade (`Store.story_source`, `Store.record_sources`) for the library's `source:NAME` filter and column.

One `[story id, source name]` line per story, appended with one fsync per intake batch by the writer (the lock
holder); the first source a story came from is the one kept. A torn last line (a crash mid-append) or a line
that does not read as one is skipped; the rest still counts. Derived from nothing else, so never rebuilt: a
story whose line is lost just shows no source.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from pathlib import Path

import msgspec

from annotations.store.files import StoreError, intruder, read_file

__all__ = ["SOURCES_FILE", "StorySources"]

SOURCES_FILE = "story-sources.jsonl"
_MAX_BYTES = 256 << 20
_ID = re.compile(r"[0-9a-f]{64}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
_decode = msgspec.json.Decoder(tuple[str, str]).decode
_encode = msgspec.json.Encoder().encode


class StorySources:
    """Story id -> source name, loaded on first use."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / SOURCES_FILE
        self._names: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._names is None:
            names: dict[str, str] = {}
            try:
                raw = b"" if intruder(self.path) else (read_file(self.path, limit=_MAX_BYTES) or b"")
            except StoreError:
                raw = b""
            for line in raw.splitlines():
                with contextlib.suppress(msgspec.DecodeError, ValueError):
                    story_id, name = _decode(line)
                    if _ID.fullmatch(story_id) and _NAME.fullmatch(name):
                        names.setdefault(story_id, name)
            self._names = names
        return self._names

    def get(self, story_id: str) -> str:
        return self._load().get(story_id, "")

    def all(self) -> Mapping[str, str]:
        return self._load()

    def record(self, sources: Mapping[str, str]) -> None:
        """Remember the source of stories that have none yet; durable when it returns (StoreError if not)."""
        names = self._load()
        new = {i: n for i, n in sources.items() if i not in names and _ID.fullmatch(i) and _NAME.fullmatch(n)}
        if not new:
            return
        if kind := intruder(self.path):
            raise StoreError(f"{self.path} is {kind}, not a file; story sources are not recorded")
        data = b"".join(_encode((i, n)) + b"\n" for i, n in new.items())
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                if os.fstat(fd).st_size and not _ends_in_newline(fd):
                    data = b"\n" + data  # after a torn line: start a fresh one
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        names.update(new)


def _ends_in_newline(fd: int) -> bool:
    size = os.fstat(fd).st_size
    return os.pread(fd, 1, size - 1) == b"\n"
