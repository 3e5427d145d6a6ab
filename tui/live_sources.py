"""LiveSources: the open app's side of the live sources.

The app holds the library's write lock, so it takes what arrives: every second a timer looks for arrivals (one
scandir when there are none) and imports a few files at a time on the app's own thread, where every other save is
made, so that tagging and arrivals never write at once. It also polls the sources, in a daemon thread, when the
config lets it and no `wiredesk watch` polls them already (then it stands by and asks again now and then).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from annotations.sources.arrivals import pending
from annotations.store import StoreError

if TYPE_CHECKING:  # the import loop and the poller are imported when first needed, not at the app's start
    from textual.app import App

    from annotations.history import History
    from annotations.sources.runner import Report, Runner
    from annotations.store import Store
    from stories.sources import SourceEntry

__all__ = ["LiveSources"]

#: Arrival files imported per tick at most: a drop of a thousand files never freezes the screen for long.
PER_TICK = 20
#: Seconds between two tries to become the poller while another process polls.
STANDBY = 10.0


class LiveSources:
    """Arrivals taken on the app's timer (`tick`), and the sources polled in a thread (`start_polling`)."""

    def __init__(
        self,
        app: App[None],
        store: Store,
        entries: Sequence[SourceEntry],
        arrived: Callable[[list[str]], None],
        history: Callable[[], History],
    ) -> None:
        self.app, self.store, self.entries = app, store, list(entries)
        self.formats = {e.name: e.fmt for e in self.entries}
        self._arrived, self._history = arrived, history
        self._stop = threading.Event()
        self._runner: Runner | None = None
        self._failing: set[str] = set()
        self.polling = False  # this app polls the sources now

    def tick(self) -> None:
        """Take the arrivals waiting (a few files), if the annotations are read (carrying may need them)."""
        if self.store.read_only or not self.store.annotations_loaded or not pending(self.store.data_dir, 1):
            return
        from annotations.sources.arrivals import take_arrivals

        try:
            intake = take_arrivals(self.store, formats=self.formats, limit=PER_TICK, history=self._history())
        except StoreError as exc:
            self.app.notify(str(exc), title="Arrivals not taken", severity="error", markup=False)
            return
        for line in intake.lines:
            self.app.notify(line, title="Arrival", severity="warning", timeout=10, markup=False)
        if intake.ids:
            self._arrived(intake.ids)

    def start_polling(self) -> None:
        """Poll the sources in a daemon thread (quitting never waits for it)."""
        from annotations.sources.runner import Runner

        if self.entries and self._runner is None:
            self._runner = Runner(self.store.data_dir, self.entries)
            threading.Thread(target=self._poll, name="wiredesk-sources", daemon=True).start()

    def _poll(self) -> None:
        runner = self._runner
        assert runner is not None
        while not self._stop.is_set():
            if runner.claim():  # a `wiredesk watch` polls: stand by, taking arrivals only
                self._stop.wait(STANDBY)
                continue
            self.polling = True
            try:
                runner.run(self._told, self._stop, intake=False)
            except Exception as exc:  # one line, and the app goes on (arrivals are still taken)
                from annotations.sources.runner import Report

                self._told(Report("", f"polling stopped: {type(exc).__name__}: {exc}", True))
            finally:
                self.polling = False
                runner.close()
            return

    def _told(self, report: Report) -> None:
        """A failure is shown once, when the source starts failing; a success clears it."""
        if report.failed and report.source not in self._failing:
            self._failing.add(report.source)
            with contextlib.suppress(RuntimeError):  # the app is closing
                self.app.call_from_thread(
                    self.app.notify, report.line, title="Source failing", severity="warning", timeout=10, markup=False
                )
        elif not report.failed:
            self._failing.discard(report.source)

    def stop(self) -> None:
        self._stop.set()
        if self._runner is not None:
            self._runner.wake.set()
