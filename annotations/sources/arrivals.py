"""Arrivals: the handoff between whoever fetches and whoever writes the library.

What a source brings (a feed document that changed, a complete spool file) is copied into
`DATA_DIR/arrivals/<source>/`: a temp name, fsync, rename in, so a file there is complete or absent. Whoever holds
the library's write lock takes them (`take_arrivals`) through the one import path (`import_paths`: versions,
dedupe, carrying annotations forward) and removes each file only after its stories are saved; a file that cannot
be imported is moved to `arrivals/failed/` and reported once. A crash anywhere leaves files that the next intake
imports; a file imported twice is a no-op (dedupe).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotations.config import ConfigError
from annotations.sources.state import SourceState, now_iso, update_state
from annotations.store import Store, StoreError
from annotations.store.atomic import write_atomic
from annotations.store.files import fsync_dir
from stories.loader import MAX_BYTES, read_path
from stories.model import StoryError
from stories.text import clean_line

if TYPE_CHECKING:
    from annotations.history import History
    from annotations.importing import ImportOutcome

__all__ = ["ARRIVALS", "FAILED", "Intake", "deliver", "pending", "take_arrivals"]

ARRIVALS = "arrivals"
FAILED = "failed"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def deliver(data_dir: Path, source: str, data: bytes, name: str) -> Path:
    """Put `data` into the source's arrivals, complete or not at all; returns where. `name` (cleaned, shortened)
    keeps the original file name's ending for the format's recognition."""
    folder = Path(data_dir) / ARRIVALS / source
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = folder / f"{time.time_ns():020d}-{hashlib.blake2b(data, digest_size=4).hexdigest()}-{_stem(name)}"
    write_atomic(final, data)  # a temp name beside it, fsync, rename, fsync of the folder
    return final


def deliver_file(data_dir: Path, source: str, path: Path, size: int, mtime_ns: int) -> bool:
    """Put a complete spool file into the source's arrivals: a hard link when the spool is on the data dir's file
    system (no copy: the file is complete, and a link is all or nothing), else a copy through `deliver`. False if
    it went or changed since it was found complete (the next check sees it again). The caller fsyncs the folder
    once for many (`settle_deliveries`). Raises StoryError for a file that cannot be read (told once)."""
    folder = os.path.join(data_dir, ARRIVALS, source)
    tag = hashlib.blake2b(os.fsencode(path), digest_size=4).hexdigest()
    final = os.path.join(folder, f"{time.time_ns():020d}-{tag}-{_stem(path.name)}")
    try:
        try:
            os.link(path, final)
        except FileNotFoundError:
            if os.path.isdir(folder):
                return False  # the spool file went
            os.makedirs(folder, mode=0o700, exist_ok=True)  # the first arrival of this source
            os.link(path, final)
    except FileNotFoundError:
        return False
    except OSError:  # another file system, or links refused (protected_hardlinks, a FAT spool): copy it
        try:
            data = read_path(path, MAX_BYTES)
        except StoryError:
            if not path.exists():
                return False
            raise
        if len(data) != size:
            return False
        write_atomic(Path(final), data)
        return True
    st = os.stat(final)
    if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):  # rewritten since the check: not this time
        os.unlink(final)
        return False
    return True


def settle_deliveries(data_dir: Path, source: str) -> None:
    """Make the links `deliver_file` made durable: one fsync of the source's arrivals folder."""
    with contextlib.suppress(OSError):
        fsync_dir(Path(data_dir) / ARRIVALS / source)


def pending(data_dir: Path, limit: int | None = None) -> list[tuple[str, Path]]:
    """(source, file) of every arrival waiting, oldest first per source; cheap when there are none (one scandir)."""
    root = Path(data_dir) / ARRIVALS
    try:
        sources = sorted(e.name for e in os.scandir(root) if e.is_dir(follow_symlinks=False) and e.name != FAILED)
    except OSError:
        return []
    found: list[tuple[str, Path]] = []
    for source in sources:
        with contextlib.suppress(OSError):
            names = sorted(
                e.name
                for e in os.scandir(root / source)
                if not e.name.startswith(".") and e.is_file(follow_symlinks=False)
            )
            found.extend((source, root / source / n) for n in names)
        if limit is not None and len(found) >= limit:
            return found[:limit]
    return found


def remove_stale_temp(data_dir: Path) -> None:
    """Temp files of deliveries a crash cut short (call only as the one poller: nobody else delivers)."""
    for tmp in (Path(data_dir) / ARRIVALS).glob("*/.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


@dataclass
class Intake:
    """What one intake did: story ids new or updated (in arrival order) per source, files taken, lines to show."""

    new: dict[str, list[str]] = field(default_factory=dict)
    files: int = 0
    lines: list[str] = field(default_factory=list)
    stopped: bool = False

    @property
    def ids(self) -> list[str]:
        return [i for ids in self.new.values() for i in ids]


def take_arrivals(
    store: Store,
    *,
    formats: Mapping[str, str | None] | None = None,
    limit: int | None = None,
    stop: Callable[[], bool] = lambda: False,
    history: History | None = None,
) -> Intake:
    """Import the arrivals waiting (at most `limit` files) into `store` (writable), per source with its format
    (`formats`: source -> format name). `stop` is asked between files. Raises StoreError only if the store cannot
    be written at all. `history`: where a new version's carried annotations become an undoable step."""
    intake = Intake()
    by_source: dict[str, list[Path]] = {}
    for source, path in pending(store.data_dir, limit):
        by_source.setdefault(source, []).append(path)
    for source, paths in by_source.items():
        if intake.stopped:
            break
        whole = limit is None  # every file of the source's folder: walked as a plain folder import walks one
        _take(store, source, paths, (formats or {}).get(source), intake, stop, history, whole)
    if intake.new:
        when = now_iso()

        def count(states: dict[str, SourceState]) -> None:
            for source, ids in intake.new.items():
                states.setdefault(source, SourceState()).count_new(len(ids), when)

        with contextlib.suppress(StoreError):  # the counts only: the stories are saved
            update_state(store.data_dir, count)
    return intake


def _take(
    store: Store,
    source: str,
    paths: list[Path],
    fmt: str | None,
    intake: Intake,
    stop: Callable[[], bool],
    history: History | None,
    whole: bool = False,
) -> None:
    from annotations.importing import import_paths  # the app imports this module at start, the import loop later

    done: list[tuple[Path, list[ImportOutcome]]] = []
    current: tuple[Path, list[ImportOutcome]] | None = None
    named = [store.data_dir / ARRIVALS / source] if whole else paths
    outcomes = import_paths(store, named, fmt, budget=_budget(), history=history)
    for outcome in outcomes:
        path = Path(outcome.path)
        if current is None or current[0] != path:
            if current is not None:
                done.append(current)
                if stop():
                    intake.stopped = True
                    current = None
                    break
            current = (path, [])
        current[1].append(outcome)
    else:
        if current is not None:
            done.append(current)
        seen = {p for p, _ in done}
        done.extend((p, []) for p in paths if p not in seen)  # a file that gave no story at all
    close = getattr(outcomes, "close", None)  # stopped: the batch not yet saved is dropped (its files wait)
    if close is not None:
        close()
    _settle(store, source, done, intake)


def _settle(store: Store, source: str, done: list[tuple[Path, list[ImportOutcome]]], intake: Intake) -> None:
    """Record the sources of the stories saved, then remove their files; move aside the files that failed."""
    origin = {o.story_id: source for _, outcomes in done for o in outcomes if o.status != "failed" and o.story_id}
    try:
        store.record_sources(origin)
    except StoreError as exc:
        intake.lines.append(clean_line(f"{source}: story sources not recorded: {exc}"))
    new = intake.new.setdefault(source, [])
    for path, outcomes in done:
        broken = [o for o in outcomes if o.status == "failed" and o.story is None]
        unsaved = [o for o in outcomes if o.status == "failed" and o.story is not None]
        if unsaved:  # the library could not store it: the file waits for the next intake
            intake.lines.append(clean_line(f"{source}: {path.name}: not saved, kept for later: {unsaved[0].reason}"))
            continue
        if broken or not outcomes:
            reason = broken[0].reason if broken else "no story in it"
            intake.lines.append(
                clean_line(
                    f"{source}: {_shown_name(path)} cannot be imported ({reason}); moved to {ARRIVALS}/{FAILED}/"
                )
            )
            _move_aside(store.data_dir, source, path)
            continue
        new.extend(o.story_id for o in outcomes if o.status in ("imported", "version"))
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        intake.files += 1
    if not new:
        del intake.new[source]
    # the removals are not fsync'd: one lost to a crash is imported again, which changes nothing (dedupe)


def _stem(name: str) -> str:
    """A file name safe to keep (the original's ending helps recognise the format)."""
    return _SAFE.sub("_", name)[-80:].lstrip("._") or "arrival"


def _budget() -> float:
    """Seconds one arrival may take to parse: the config's, or the default when the config cannot be read (the
    arrival must not be blamed for the config)."""
    from annotations.importing import DEFAULT_BUDGET, time_budget

    try:
        return time_budget()
    except ConfigError:
        return DEFAULT_BUDGET


def _shown_name(path: Path) -> str:
    """The arrival's original name (without the time and hash it was given)."""
    return path.name.split("-", 2)[-1]


def _move_aside(data_dir: Path, source: str, path: Path) -> None:
    folder = Path(data_dir) / ARRIVALS / FAILED
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.replace(path, folder / f"{source}-{path.name}")
        fsync_dir(folder)
