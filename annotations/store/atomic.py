"""Atomic file writes: a temp file beside the target, fsync, rename, fsync of the folder.

A reader sees the old file or the new one, never a half-written one, even after a crash.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_output", "fsync_dir", "write_atomic"]

PRIVATE = 0o600


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_output(path: Path, *, binary: bool = False, private: bool = True) -> Iterator[IO]:
    """Write `path` through a temp file that replaces it only if the block finishes without error.

    `private` files are readable by the user only (0600); others get the usual umask permissions.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mode = "wb" if binary else "w"
        fh_ = os.fdopen(fd, mode, **({} if binary else {"encoding": "utf-8", "newline": ""}))
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    try:
        with fh_ as fh:
            os.fchmod(fh.fileno(), PRIVATE if private else _default_mode())
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_atomic(path: Path, data: bytes, *, private: bool = True) -> None:
    """Replace `path` with `data` atomically and durably."""
    with atomic_output(path, binary=True, private=private) as fh:
        fh.write(data)
