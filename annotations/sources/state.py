"""What is known of each live source between runs: `sources-state.json` in the data dir.

Per source: the feed's validators (ETag, Last-Modified), the last poll, the last new story, the last error and
when, failures in a row and the time before which it is not polled again (backoff), stories today, and the spool
files already taken (path, size and mtime). Two processes may update it (the poller, and whoever imports the
arrivals), so every update is read-change-write under a short lock (`.sources-state.lock`), and the write is
atomic. A damaged file costs what it held (files of a folder are taken again, and dedupe makes that a no-op).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

from annotations.store.atomic import write_atomic
from annotations.store.files import StoreError, intruder, read_file

__all__ = ["STATE_FILE", "SourceState", "load_state", "now_iso", "update_state"]

STATE_FILE = "sources-state.json"
_LOCK_FILE = ".sources-state.lock"
_MAX_BYTES = 64 << 20


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class SourceState:
    """One source's state; times are ISO 8601 UTC ("" never), `backoff_until` seconds since the epoch."""

    etag: str = ""
    last_modified: str = ""
    last_poll: str = ""
    last_new: str = ""
    last_error: str = ""
    error_at: str = ""
    failures: int = 0
    backoff_until: float = 0.0
    day: str = ""  # the UTC day `today` counts
    today: int = 0
    taken: list[str] = field(default_factory=list)

    def count_new(self, n: int, when: str) -> None:
        """`n` new stories arrived at `when`."""
        day = when[:10]
        if self.day != day:
            self.day, self.today = day, 0
        self.today += n
        if n:
            self.last_new = when

    def stories_today(self, today: str | None = None) -> int:
        return self.today if self.day == (today or now_iso()[:10]) else 0


def _state_of(raw: object) -> SourceState:
    if not isinstance(raw, dict):
        return SourceState()
    names = {f.name: f.type for f in fields(SourceState)}
    kept = {}
    defaults = asdict(SourceState())
    for key, value in raw.items():
        if key in names and type(value) is type(defaults[key]):
            kept[key] = value
    if not all(isinstance(k, str) for k in kept.get("taken", [])):
        kept.pop("taken")
    return SourceState(**kept)


def load_state(data_dir: Path) -> dict[str, SourceState]:
    """Every source's state (empty when the file is missing, damaged, or not a file)."""
    path = Path(data_dir) / STATE_FILE
    try:
        raw = None if intruder(path) else read_file(path, limit=_MAX_BYTES)
        table = json.loads(raw) if raw else {}
    except (StoreError, ValueError, RecursionError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {str(name): _state_of(value) for name, value in table.items()}


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    fd = os.open(Path(data_dir) / _LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held for one read-change-write: milliseconds
        yield
    finally:
        os.close(fd)


def update_state(data_dir: Path, change: Callable[[dict[str, SourceState]], None]) -> dict[str, SourceState]:
    """Read the state, let `change` change it, write it back atomically; returns it. StoreError if it cannot be
    written (the sources go on; what it held is asked again next time)."""
    data_dir = Path(data_dir)
    try:
        with _locked(data_dir):
            states = load_state(data_dir)
            change(states)
            data = json.dumps({name: asdict(s) for name, s in states.items()}, separators=(",", ":"))
            write_atomic(data_dir / STATE_FILE, data.encode())
    except OSError as exc:
        raise StoreError(f"cannot write {data_dir / STATE_FILE}: {exc.strerror or exc}") from None
    return states
