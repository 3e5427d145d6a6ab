"""The store's files as they must be: regular files of a sane size, opened without blocking on whatever took
their place (a folder, a FIFO, a device, a link to one), and the quarantine where repairs keep what they replace.

Every store file is opened through `open_file` (O_NONBLOCK, then `fstat`): a FIFO never hangs a command, a link
to `/dev/zero` is never read, and the message names the file in one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "MAX_FILE_BYTES",
    "QUARANTINE",
    "LoadCancelled",
    "ReadOnlyError",
    "StoreError",
    "intruder",
    "keep_in_quarantine",
    "make_private_dirs",
    "open_file",
    "read_file",
    "remove_stale_temp_files",
]

#: No store file read whole is larger than this; a bigger one is damage (a sparse file, say), not a library.
MAX_FILE_BYTES = 2 << 30
QUARANTINE = "quarantine"
REPAIR = "`wiredesk doctor --repair` moves it to quarantine/"
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class StoreError(Exception):
    """The store cannot be read or written; the message is one line naming the file."""


class LoadCancelled(StoreError):
    """A load stopped because the store is closing (`Store.close` while annotations load in the background)."""


class ReadOnlyError(StoreError):
    """The data dir (or a file in it) cannot be written: a read-only folder or file system (`reason` says which)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _not_a_file(path: Path, kind: str) -> StoreError:
    link = ""
    with contextlib.suppress(OSError):
        if path.is_symlink():
            link = f" (a link to {os.readlink(path)})"
    return StoreError(f"{path} is {kind}{link}, not a regular file; it was left untouched — {REPAIR}")


def open_file(path: Path, flags: int = os.O_RDONLY, *, limit: int | None = MAX_FILE_BYTES) -> int | None:
    """A descriptor on the regular file `path` (None if it does not exist and `flags` do not create it).

    Opened with O_NONBLOCK, so nothing that stands in the file's place can block; anything but a regular file
    (or a link to one), or a file larger than `limit`, raises StoreError naming it. A file or folder that cannot
    be written raises ReadOnlyError."""
    path = Path(path)
    try:
        fd = os.open(path, flags | os.O_NONBLOCK | os.O_CLOEXEC, 0o600)
    except FileNotFoundError:
        if flags & os.O_CREAT:
            raise StoreError(f"cannot create {path}: its folder does not exist") from None
        return None
    except IsADirectoryError:
        raise _not_a_file(path, "a folder") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO opened for writing with no reader, or a socket
            raise _not_a_file(path, "a FIFO or a socket") from None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and flags & _WRITING:
            raise ReadOnlyError(
                f"{path} cannot be written ({exc.strerror}): it is read-only", exc.strerror or ""
            ) from None
        raise StoreError(f"cannot open {path}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_a_file(path, _kind(st.st_mode))
        if limit is not None and st.st_size > limit:
            raise StoreError(
                f"{path} is {st.st_size / 1e9:.1f} GB, more than a library file can be; it was left untouched — "
                f"{REPAIR}"
            )
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_file(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of the regular file `path`, or None if it does not exist (see `open_file`)."""
    fd = open_file(path, limit=limit)
    if fd is None:
        return None
    try:
        chunks: list[bytes] = []
        size = os.fstat(fd).st_size + 1  # one read (and no copy to join) for a file that does not grow meanwhile
        while chunk := os.read(fd, max(size, 1 << 20) if not chunks else 1 << 20):
            chunks.append(chunk)
            if sum(map(len, chunks)) > limit:  # grew while we read
                raise StoreError(f"{path} grew past {limit} bytes while it was read; it was left untouched")
        return b"".join(chunks)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def intruder(path: Path) -> str:
    """What stands at `path` in place of a regular file ("a folder", "a FIFO", "a link to /dev/zero"…), or ""
    when it is a regular file, a link to one, or nothing. Looks without opening anything."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return ""
    if stat.S_ISREG(st.st_mode):
        return ""
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            return f"a broken link to {os.readlink(path)}"
        return "" if stat.S_ISREG(target.st_mode) else f"a link to {os.readlink(path)} ({_kind(target.st_mode)})"
    return _kind(st.st_mode)


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S")


def quarantine_path(data_dir: Path, name: str) -> Path:
    """A free name for `name` in the data dir's quarantine/ (created 0700)."""
    folder = Path(data_dir) / QUARANTINE
    folder.mkdir(mode=0o700, exist_ok=True)
    if not folder.is_dir() or folder.is_symlink():
        raise StoreError(f"{folder} is not a folder; nothing can be kept in quarantine")
    target = folder / f"{name}.{_stamp()}"
    n = 1
    while os.path.lexists(target):
        n += 1
        target = folder / f"{name}.{_stamp()}.{n}"
    return target


def keep_in_quarantine(data_dir: Path, path: Path, *, move: bool, data: bytes | None = None) -> Path:
    """Keep `path` in quarantine/ before it is replaced or cut: moved there as it is (whatever it is: a folder, a
    FIFO, a link), or copied (`data`: its bytes, already read) and fsync'd. Returns where it went."""
    target = quarantine_path(data_dir, path.name)
    if move:
        os.rename(path, target)
    else:
        if data is None:
            data = read_file(path)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            view = memoryview(data or b"")
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise
        os.close(fd)
    fsync_dir(target.parent)
    if move:
        fsync_dir(path.parent)
    return target


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and every missing folder above it, each readable by the user only (0700, whatever the
    umask); folders that exist are left as they are."""
    missing = [p for p in (folder, *folder.parents) if not os.path.isdir(p)]
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
            os.chmod(path, 0o700)  # mkdir's mode is cut by the umask
        except FileExistsError:
            if not path.is_dir():
                raise StoreError(f"cannot create data dir {folder}: {path} is not a folder") from None
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise ReadOnlyError(f"cannot create data dir {folder}: {exc.strerror}", exc.strerror or "") from None
            raise StoreError(f"cannot create data dir {folder}: {exc.strerror}") from None


def remove_stale_temp_files(data_dir: Path) -> None:
    """Temp files of writes a crash interrupted: never acknowledged data (the writer holds the lock now)."""
    for folder in (data_dir, data_dir / "backups"):
        for tmp in folder.glob(".*.tmp") if folder.is_dir() else ():
            with contextlib.suppress(OSError):
                tmp.unlink()
