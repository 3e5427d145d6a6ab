"""Atomic file writes: a temp file beside the target, fsync, rename, fsync of the folder.

A reader sees the old file or the new one, never a half-written one, even after a crash. Only a regular file
is ever replaced this way: a target that is a symbolic link is followed, and the file it points to is replaced
beside itself (the link stays a link); a target that is a folder, a device or a FIFO is refused, never renamed
over.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from annotations.store.files import StoreError, fsync_dir, intruder

__all__ = ["atomic_output", "fsync_dir", "real_target", "write_atomic"]

PRIVATE = 0o600


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def real_target(path: Path) -> Path:
    """Where writing `path` really lands: the file at the end of its symbolic links (`path` itself if none)."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextlib.contextmanager
def atomic_output(path: Path, *, binary: bool = False, private: bool = True) -> Iterator[IO[Any]]:
    """Write `path` through a temp file that replaces it only if the block finishes without error.

    `private` files are readable by the user only (0600); others get the usual umask permissions. A link is
    followed to the file it names, which is replaced in its own folder; anything but a regular file there is
    refused (StoreError)."""
    path = real_target(path)
    if kind := intruder(path):
        raise StoreError(f"{path} is {kind}, not a regular file; it is never replaced")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        fh_: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
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
