"""A library's side of sync through git (`annotations.sync`): the remote, the commit its annotations were last
brought up to date with, when, and the open sync conflicts (`sync/state.json` in the data dir).

The file is small and replaced atomically on each change; a missing file is a library that never synced. One that
does not read back (damaged, not a file) raises StoreError naming it: the conflicts it holds are the user's.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson

from annotations.store.atomic import write_atomic
from annotations.store.files import ReadOnlyError, StoreError, make_private_dirs, read_file

__all__ = ["MAX_STATE_BYTES", "STATE_FILE", "SYNC_DIR", "SyncState"]

SYNC_DIR = "sync"
STATE_FILE = "state.json"
#: A state file larger than this is not one sync wrote (the conflicts of a whole library fit well inside).
MAX_STATE_BYTES = 512 << 20


class SyncState:
    """The sync state of the data dir `data_dir` (read on first use)."""

    def __init__(self, data_dir: Path, *, read_only: bool) -> None:
        self.path = data_dir / SYNC_DIR / STATE_FILE
        self.read_only = read_only
        self._data: dict[str, Any] | None = None

    def _read(self) -> dict[str, Any]:
        if self._data is None:
            raw = read_file(self.path, limit=MAX_STATE_BYTES)
            data: Any = {}
            if raw is not None:
                try:
                    data = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    data = None
            if not isinstance(data, dict) or not isinstance(data.get("conflicts", []), list):
                raise StoreError(f"{self.path} is not a sync state wiredesk wrote; move it aside to start afresh")
            self._data = data
        return self._data

    def get(self, key: str) -> str:
        """A field of the state ("remote", "applied", "last_sync"): "" if never set."""
        value = self._read().get(key, "")
        return value if isinstance(value, str) else ""

    @property
    def conflicts(self) -> list[dict[str, Any]]:
        """The open conflicts (records as `annotations.sync.records` makes them), oldest first (a copy)."""
        return [c for c in copy.deepcopy(self._read().get("conflicts", [])) if isinstance(c, dict)]

    def save(self, conflicts: list[dict[str, Any]] | None = None, **fields: str) -> None:
        """Change fields and (if given) the conflicts, durably."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path.parent.parent} is open read-only: the sync state cannot change")
        data = dict(self._read())
        data.update(fields)
        if conflicts is not None:
            data["conflicts"] = conflicts
        make_private_dirs(self.path.parent)
        write_atomic(self.path, orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n")
        self._data = data
