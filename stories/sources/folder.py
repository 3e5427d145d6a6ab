"""Watching a spool folder: which files are complete and may be taken.

A file is ready when its size and modification time are the same over two checks and it was last changed at
least `settle` seconds ago, when it was renamed into place (the writer's own "done"), or when it has not changed
for `quiet` seconds (so that one check, `wiredesk watch --once` from cron, takes what was dropped earlier). The
folder is read recursively; hidden files and partial downloads (`.tmp`, `.part`) wait, symbolic links are
followed only to files inside the folder, and anything that is not a regular file (a FIFO, a device, a link
loop) is never opened and is told once. `FolderWatcher` wakes the caller when watchdog sees a change; without
watchdog (or when the system refuses it) the caller simply checks on its interval.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from stories.loader import SKIPPED_IN_FOLDERS
from stories.text import clean_line

if TYPE_CHECKING:  # watchdog is imported when a folder is watched
    from watchdog.observers.api import BaseObserver

__all__ = ["Candidate", "FolderScan", "FolderWatcher", "ScanResult"]

_PARTIAL = frozenset({".tmp", ".part", ".partial", ".crdownload", ".filepart"})


@dataclass(frozen=True)
class Candidate:
    """A complete file: where it is, and its size and mtime (ns) when it was found complete."""

    path: Path
    size: int
    mtime_ns: int

    @property
    def key(self) -> str:
        """What identifies this file's content as seen: path, size and mtime."""
        return f"{self.path}\0{self.size}\0{self.mtime_ns}"


@dataclass
class ScanResult:
    ready: list[Candidate] = field(default_factory=list)
    waiting: int = 0  # files seen but not yet stable
    skipped: list[str] = field(default_factory=list)  # one clean line per thing left out (each told once)


class FolderScan:
    """The checks of one folder; `check()` once per poll. `settle`: seconds a file must be left unchanged."""

    def __init__(self, root: Path, *, settle: float = 1.0, quiet: float = 10.0) -> None:
        self.root = Path(root)
        self.settle, self.quiet = settle, quiet
        self._last: dict[Path, tuple[int, int]] = {}
        self._told: set[Path] = set()

    def check(self, renamed: Collection[Path] = (), *, now: float | None = None) -> ScanResult:
        """The files ready now (each file is returned by every check while ready: the caller keeps what it
        took), the number still being written, and the lines for what is left out (the first time only)."""
        now = time.time() if now is None else now
        result = ScanResult()
        if not self.root.is_dir():
            self._tell(self.root, f"{clean_line(str(self.root))}: the folder does not exist", result)
            return result
        root_real = self.root.resolve()
        current: dict[Path, tuple[int, int]] = {}
        for path, st in self._files(result, root_real):
            seen = (st.st_size, st.st_mtime_ns)
            current[path] = seen
            age = now - st.st_mtime_ns / 1e9
            stable = (self._last.get(path) == seen and age >= self.settle) or age >= self.quiet
            if stable or path in renamed:
                result.ready.append(Candidate(path, st.st_size, st.st_mtime_ns))
            else:
                result.waiting += 1
        self._last = current
        return result

    @property
    def present(self) -> set[Path]:
        """The files the last check saw."""
        return set(self._last)

    def _files(self, result: ScanResult, root_real: Path) -> list[tuple[Path, os.stat_result]]:
        """Every regular file that may be taken, with its status (links followed inside the folder only), in
        sorted order; one stat each."""
        found: list[tuple[Path, os.stat_result]] = []
        folders = [self.root]
        while folders:
            here = folders.pop()
            try:
                with os.scandir(here) as listing:
                    entries = sorted(listing, key=lambda e: e.name, reverse=True)
            except OSError as exc:
                self._tell(here, f"{clean_line(str(here))}: cannot be read ({clean_line(exc.strerror or '')})", result)
                continue
            for entry in reversed(entries):
                path = Path(entry.path)
                name = entry.name
                if name.startswith("."):
                    continue
                link = False
                try:
                    link = entry.is_symlink()
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(path)
                        continue
                    if Path(name).suffix.lower() in _PARTIAL | SKIPPED_IN_FOLDERS:
                        continue
                    if link:
                        target = path.resolve(strict=True)
                        if target.is_dir():
                            self._tell(path, f"{clean_line(str(path))}: a linked folder, not followed", result)
                            continue
                        if not target.is_relative_to(root_real):
                            line = f"{clean_line(str(path))}: a link to outside the folder, not followed"
                            self._tell(path, line, result)
                            continue
                    st = entry.stat()  # links followed (inside the folder, checked above)
                except (OSError, RuntimeError) as exc:
                    if isinstance(exc, FileNotFoundError) and not link:
                        continue  # deleted meanwhile
                    self._tell(path, f"{clean_line(str(path))}: a broken link or a link loop, skipped", result)
                    continue
                if not stat.S_ISREG(st.st_mode):
                    self._tell(path, f"{clean_line(str(path))}: skipped, not a regular file", result)
                    continue
                found.append((path, st))
        return found

    def _tell(self, path: Path, line: str, result: ScanResult) -> None:
        if path not in self._told:
            self._told.add(path)
            result.skipped.append(line)


class FolderWatcher:
    """Wakes `wait` when something changes in the folder (watchdog), and remembers files renamed into it.
    Without watchdog, or when the system refuses a watch, `wait` just waits its timeout (polling)."""

    def __init__(self, root: Path, changed: threading.Event | None = None) -> None:
        self.root = Path(root)
        self.changed = changed or threading.Event()
        self._renamed: set[Path] = set()
        self._lock = threading.Lock()
        self._observer: BaseObserver | None = None
        self.error = ""
        try:
            self._start()
        except Exception as exc:  # no watchdog, no inotify watches left, a folder that is not there: poll
            self.error = clean_line(f"{type(exc).__name__}: {exc}")[:200]
            self._observer = None

    def _start(self) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type == "moved" and event.dest_path:
                    with watcher._lock:
                        watcher._renamed.add(Path(os.fsdecode(event.dest_path)))
                watcher.changed.set()

        observer = Observer()
        observer.daemon = True
        observer.schedule(Handler(), os.fspath(self.root), recursive=True)
        observer.start()
        self._observer = observer

    @property
    def live(self) -> bool:
        """Whether changes are watched (else: polling only)."""
        return self._observer is not None

    def take_renamed(self) -> set[Path]:
        """Files renamed into the folder since the last call."""
        with self._lock:
            found, self._renamed = self._renamed, set()
        return found

    def wait(self, timeout: float) -> bool:
        """Wait until a change or `timeout`; True if something changed."""
        hit = self.changed.wait(timeout)
        self.changed.clear()
        return hit

    def close(self) -> None:
        observer = self._observer
        self._observer = None
        if observer is not None:
            with contextlib.suppress(Exception):
                observer.stop()
                observer.join(5)
