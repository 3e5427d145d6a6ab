"""TinyDB storage that never leaves a half-written file and never overwrites one it could not read.

`AtomicJSONStorage` is a drop-in TinyDB `Storage`: the file at rest is plain TinyDB JSON. Every write
replaces the whole file atomically (see `annotations.atomic`); the data is kept in memory between writes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from annotations.atomic import write_atomic

__all__ = ["AtomicJSONStorage", "StoreError"]


class StoreError(Exception):
    """The store cannot be read or written; the message is one line naming the file."""


class AtomicJSONStorage(Storage):
    """A TinyDB JSON file written atomically, refused (never emptied) when unreadable.

    Before each write the file is checked against what this process last read or wrote: if another
    process changed it meanwhile, the write is refused instead of overwriting the other's work.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._data: dict[str, dict[str, Any]] | None = None
        self._loaded = False
        self._stamp: tuple[int, int, int] | None = None

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _load(self) -> dict[str, dict[str, Any]] | None:
        stamp = self._file_stamp()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._stamp = None
            return None
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror}") from None
        if not raw.strip():
            raise StoreError(f"{self.path} is empty (0 bytes of data); it was left untouched")
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise StoreError(f"{self.path} is unreadable ({exc}); it was left untouched") from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreError(f"{self.path} is not a TinyDB file; it was left untouched")
        self._stamp = stamp
        return data

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self._loaded:
            self._data = self._load()
            self._loaded = True
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            self._revert()
            raise StoreError(f"{self.path} is open read-only")
        if self._file_stamp() != self._stamp:
            self._revert()
            raise StoreError(f"{self.path} was changed by another process; reopen wiredesk to see its changes")
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            write_atomic(self.path, payload)
        except OSError as exc:
            self._revert()
            raise StoreError(f"could not save {self.path}: {exc.strerror or exc}") from None
        self._data = data
        self._stamp = self._file_stamp()

    def _revert(self) -> None:
        """Forget unsaved changes TinyDB made to the in-memory data: the file on disk is the truth."""
        self._loaded = False
        self._data = None

    def close(self) -> None:
        self._data = None
        self._loaded = False
