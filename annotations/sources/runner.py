"""The sources at work: poll what is due, hand what arrives to the library, and say what happened.

One process at a time polls (`.sources.lock`, a flock the kernel releases when the process dies): `wiredesk watch`,
or the app when no watch runs. What a poll brings goes into the arrivals (`annotations.sources.arrivals`); the
write lock's holder imports them: `Runner.intake` takes the write lock for one batch when it is free (a watch with
no app open), and the app, which holds it, takes them on its own timer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from annotations.sources.arrivals import (
    deliver,
    deliver_file,
    pending,
    remove_stale_temp,
    settle_deliveries,
    take_arrivals,
)
from annotations.sources.state import SourceState, load_state, update_state
from annotations.store import SourcesLock, Store, StoreError, StoreLockedError
from stories.model import StoryError
from stories.sources.entry import SourceEntry
from stories.sources.feed import FeedPoll, backoff_seconds, poll_feed
from stories.sources.folder import FolderScan, FolderWatcher
from stories.text import clean_line

__all__ = ["Report", "Runner", "SourcesLock"]

#: Spool files of one source remembered as taken, at most (older ones go first).
MAX_TAKEN = 200_000
Change = Callable[[SourceState], None]


@dataclass(frozen=True)
class Report:
    """One line about one source (cleaned); `failed`: this poll of it failed; `idle`: nothing happened (a folder
    looked at with nothing new: the watch loop does not print those, one a second)."""

    source: str
    line: str
    failed: bool = False
    idle: bool = False


class Runner:
    """The configured sources of one data dir. `claim()` first: only the claimant polls."""

    def __init__(
        self,
        data_dir: Path,
        entries: Sequence[SourceEntry],
        *,
        settle: float = 1.0,
        deadline: float = 30.0,
        fetch: Callable[..., FeedPoll] = poll_feed,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.entries = list(entries)
        self.formats: Mapping[str, str | None] = {e.name: e.fmt for e in self.entries}
        self.deadline = deadline
        self._fetch = fetch
        self._clock = clock
        self.scans = {e.name: FolderScan(e.folder, settle=settle) for e in self.entries if e.folder is not None}
        self.watchers: dict[str, FolderWatcher] = {}
        self.wake = threading.Event()
        self._lock = SourcesLock(self.data_dir)

    def claim(self) -> str:
        """Become the one poller: "" if so, else who polls."""
        if self._lock.held:
            return ""
        try:
            self._lock.acquire()
        except StoreLockedError:
            return f"the sources are polled by {self._lock.holder()}"
        except StoreError as exc:
            return clean_line(str(exc))
        remove_stale_temp(self.data_dir)
        return ""

    def watch_folders(self) -> None:
        """Wake `wake` on changes in the folders (watchdog; each falls back to polling on its own)."""
        for entry in self.entries:
            if entry.folder is not None and entry.name not in self.watchers and entry.folder.is_dir():
                self.watchers[entry.name] = FolderWatcher(entry.folder, self.wake)

    def close(self) -> None:
        for watcher in self.watchers.values():
            watcher.close()
        self.watchers.clear()
        self._lock.release()

    def due_in(self) -> float:
        """Seconds until the next source is due (0: now)."""
        states, now = load_state(self.data_dir), self._clock()
        return max(0.0, min((self._due(e, states.get(e.name), now) for e in self.entries), default=60.0))

    def _due(self, entry: SourceEntry, state: SourceState | None, now: float) -> float:
        if state is None or not state.last_poll:
            return 0.0
        last = _epoch(state.last_poll)
        if entry.folder is not None:
            return max(state.backoff_until - now, 0.0)  # folders: checked on every round (cheap), woken by changes
        return max(last + entry.interval - now, state.backoff_until - now)

    def poll(self, *, force: bool = False, stop: Callable[[], bool] = lambda: False) -> list[Report]:
        """Poll every source that is due (all of them if `force`): one report per source polled, and one per thing
        left out of a folder (each told once). The state is saved once at the end."""
        states, now = load_state(self.data_dir), self._clock()
        reports: list[Report] = []
        changes: dict[str, list[Change]] = {}
        for entry in self.entries:
            if stop():
                break
            state = states.get(entry.name, SourceState())
            if not force and self._due(entry, state, now) > 0:
                continue
            poller = self._poll_feed if entry.url else self._poll_folder
            try:
                found, change = poller(entry, state)
            except (OSError, StoreError) as exc:  # the data dir could not take an arrival
                found = [Report(entry.name, f"{entry.name}: failed: {clean_line(str(exc))}", True)]
                change = _failed(entry, clean_line(str(exc)), 0.0, now)
            reports.extend(found)
            changes.setdefault(entry.name, []).append(change)

        def apply(all_states: dict[str, SourceState]) -> None:
            for name, todo in changes.items():
                for change in todo:
                    change(all_states.setdefault(name, SourceState()))

        if changes:
            try:
                update_state(self.data_dir, apply)
            except StoreError as exc:
                reports.append(Report("", clean_line(f"sources state not saved: {exc}")))
        return reports

    def _poll_feed(self, entry: SourceEntry, state: SourceState) -> tuple[list[Report], Change]:
        got = self._fetch(entry, state.etag, state.last_modified, deadline=self.deadline)
        now = self._clock()
        if got.error:
            wait = max(got.wait, backoff_seconds(entry.interval, state.failures + 1))
            line = f"{entry.name}: failed: {got.error}; next try in {wait:.0f} s"
            return [Report(entry.name, line, True)], _failed(entry, got.error, got.wait, now)
        if got.status == 304:
            line = f"{entry.name}: not modified (304)"
        else:
            name = Path(urlsplit(entry.url).path).name or "feed.xml"
            deliver(self.data_dir, entry.name, got.body, name)
            line = f"{entry.name}: changed ({got.status}, {len(got.body):,} bytes), handed to the library"

        def validated(s: SourceState) -> None:
            _ok(s, now)
            s.etag, s.last_modified = got.etag, got.last_modified

        return [Report(entry.name, line)], validated

    def _poll_folder(self, entry: SourceEntry, state: SourceState) -> tuple[list[Report], Change]:
        scan = self.scans[entry.name]
        watcher = self.watchers.get(entry.name)
        result = scan.check(watcher.take_renamed() if watcher else ())
        now = self._clock()
        reports = [Report(entry.name, f"{entry.name}: {line}") for line in result.skipped]
        if not scan.root.is_dir():
            error = f"the folder {entry.where} does not exist"
            reports.append(Report(entry.name, f"{entry.name}: failed: {error}", True))
            return reports, _failed(entry, error, 0.0, now)
        taken = set(state.taken)
        added: list[str] = []
        for candidate in result.ready:
            if candidate.key in taken:
                continue
            try:
                if not deliver_file(self.data_dir, entry.name, candidate.path, candidate.size, candidate.mtime_ns):
                    continue  # gone, or changed since the check: the next check sees it again
            except StoryError as exc:  # unreadable or too large: told once, never tried again
                added.append(candidate.key)
                reports.append(Report(entry.name, clean_line(f"{entry.name}: {candidate.path.name}: {exc}")))
                continue
            added.append(candidate.key)
        if added:
            settle_deliveries(self.data_dir, entry.name)
        waiting = f", {result.waiting} still being written" if result.waiting else ""
        line = f"{entry.name}: {len(added)} file{'s' * (len(added) != 1)} taken{waiting}"
        reports.append(Report(entry.name, line, idle=not added and not result.waiting))
        present = {str(p) for p in scan.present}

        def change(s: SourceState) -> None:
            _ok(s, now)
            kept = [k for k in s.taken if k.split("\0", 1)[0] in present]
            s.taken = (kept + added)[-MAX_TAKEN:]

        return reports, change

    def intake(self, stop: Callable[[], bool] = lambda: False) -> list[str]:
        """Import the arrivals if the library's write lock is free (else the app holding it does): one line per
        source with new stories, and one per file that failed."""
        if not pending(self.data_dir, 1):
            return []
        try:
            store = Store(self.data_dir)
        except StoreLockedError:
            return []
        try:
            got = take_arrivals(store, formats=self.formats, stop=stop)
        finally:
            store.close()
        lines = [f"{source}: {_stories(len(ids))} new in the library" for source, ids in got.new.items()]
        return lines + got.lines

    def run(
        self, tell: Callable[[Report], None], stop: threading.Event, *, tick: float = 1.0, intake: bool = True
    ) -> None:
        """Poll (and, with `intake`, take the arrivals) until `stop` is set (the caller sets `wake` too, to end the
        wait)."""
        self.watch_folders()
        while not stop.is_set():
            for report in self.poll(stop=stop.is_set):
                tell(report)
            for line in self.intake(stop.is_set) if intake else ():
                tell(Report("", line))
            if stop.is_set():
                return
            self.wake.wait(min(tick, self.due_in()) or 0.05)
            self.wake.clear()


def _stories(n: int) -> str:
    return f"{n:,} stor{'y' if n == 1 else 'ies'}"


def _epoch(iso: str) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0


def _ok(s: SourceState, now: float) -> None:
    s.last_poll = _iso(now)
    s.failures, s.backoff_until = 0, 0.0


def _failed(entry: SourceEntry, error: str, wait: float, now: float) -> Change:
    def change(s: SourceState) -> None:
        s.last_poll = s.error_at = _iso(now)
        s.last_error = error
        s.failures += 1
        s.backoff_until = now + max(wait, backoff_seconds(entry.interval, s.failures))

    return change


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
