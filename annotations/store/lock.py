"""One writer per data dir: an OS lock on `DATA_DIR/.lock` (never on a data file, whose inode changes).

The lock is `flock`: the kernel releases it when its process dies, so a lock left by a crashed wiredesk is
simply free again; the owner details written into the file are only there to name the holder.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

from annotations.store.files import ReadOnlyError, StoreError, open_file, read_file

__all__ = ["DataDirLock", "ReadOnlyError", "SourcesLock", "StoreLockedError"]

LOCK_FILE = ".lock"


class StoreLockedError(StoreError):
    """Another process is the writer of this data dir."""


def _command(argv: list[str]) -> str:
    """'wiredesk' and its subcommand (`wiredesk --data-dir D annotate …` -> 'wiredesk annotate'), or the program."""
    program = Path(argv[0]).name if argv else "python"
    if program != "wiredesk":
        return program
    words = iter(argv[1:])
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("-"):
            return f"wiredesk {word}"
    return "wiredesk"


class DataDirLock:
    """The writer's lock on a data dir. `acquire()` raises StoreLockedError naming the current holder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_FILE
        self._fd = -1

    def acquire(self) -> None:
        """Take the lock, or raise: StoreLockedError naming the holder, ReadOnlyError if the data dir cannot be
        written, StoreError if something else than a file stands in the lock file's place."""
        try:
            fd = open_file(self.path, os.O_RDWR | os.O_CREAT, limit=None)
        except ReadOnlyError as exc:
            raise ReadOnlyError(
                f"{self.path.parent} is read-only ({exc.reason}): nothing can be saved there; reading commands work",
                exc.reason,
            ) from None
        assert fd is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLockedError(
                f"{self.path.parent} is open for writing by {self.holder()}; close it there first "
                "(reading works meanwhile)"
            ) from None
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"cannot lock {self.path}: {exc.strerror or exc}") from None
        owner = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": _command(sys.argv),
        }
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(owner).encode(), 0)
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        self._fd = fd

    def probe(self) -> str:
        """Who holds the lock now ("" if nobody), without writing anything (a reader, or a read-only data dir,
        can ask). Raises StoreError if something else than a file stands in the lock file's place."""
        fd = open_file(self.path, os.O_RDONLY, limit=None)
        if fd is None:
            return ""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return self.holder()
        except OSError:
            return ""  # a file system without locks: nobody can hold one
        finally:
            os.close(fd)  # closing the descriptor releases the flock
        return ""

    def holder(self) -> str:
        """Who holds the lock, as far as the lock file says: 'wiredesk (pid 123 on host, since …)'."""
        try:
            owner = json.loads(read_file(self.path, limit=4096) or b"")
            return f"{owner['command']} (pid {owner['pid']} on {owner['host']}, since {owner['since']})"
        except (StoreError, ValueError, KeyError, TypeError):
            return "another wiredesk process"

    @property
    def held(self) -> bool:
        return self._fd >= 0

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = -1


class SourcesLock(DataDirLock):
    """The live sources' poller's lock, `DATA_DIR/.sources.lock`: one process polls them at a time."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.path = Path(data_dir) / ".sources.lock"
