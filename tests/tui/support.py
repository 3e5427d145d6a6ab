"""Helpers for Pilot tests that hold on a loaded machine: wait for a condition (never for a time or a count of
toasts), keep every notification the app made, and type keys faster than the app can take them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from textual import events
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.keys import _character_to_key  # Pilot's own way of naming a typed character
from textual.notifications import SeverityLevel
from textual.pilot import Pilot

from tui.screens.dashboard import DashboardScreen
from tui.screens.library import LibraryScreen
from tui.widgets.story_list import StoryList

__all__ = ["Notice", "Notices", "counts_shown", "no_suggestions", "press_at_once", "run_command", "until"]

#: How many pauses `until` waits at most: a bound against a hang, not a timing (each pause waits until the app
#: is idle, however long that takes on a loaded machine).
MAX_PAUSES = 400


@pytest.fixture
def no_suggestions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader suggests nothing, for tests of other things (as in test_snapshots.py; the suggestions' own tests,
    in test_tui_suggest.py, give the app a fixed suggester): no suggester run and no suggestion list drawn after
    every open, save and undo."""
    monkeypatch.setattr("tui.app._suggest", lambda story, registry: [])


async def until(pilot: Pilot[object], condition: Callable[[], object], what: str = "the condition") -> None:
    """Pause until `condition()` is true; fail naming `what` if the app goes idle MAX_PAUSES times without it."""
    for _ in range(MAX_PAUSES):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never came true: {what}")


async def open_dashboard(pilot: Pilot[object]) -> DashboardScreen:
    """Press the dashboard's key once the annotations are read, and wait for its figures."""
    app = pilot.app
    await until(pilot, lambda: app.store.annotations_loaded, "the annotations")
    await pilot.press("O")
    await until(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.shown is not None, "figures")
    assert isinstance(app.screen, DashboardScreen)
    return app.screen


async def counts_shown(pilot: Pilot[object]) -> None:
    """Wait for the library to show its tag counts: the annotations are read by a worker after the first frame."""
    app = pilot.app

    def counts() -> list[str]:
        lists = app.screen.query(StoryList) if isinstance(app.screen, LibraryScreen) else []
        return [c for stories in lists for i in range(stories.row_count) for c in stories.cells(i)[-3:]]

    await until(pilot, lambda: counts() and "…" not in counts(), "the library's tag counts")


async def run_command(pilot: Pilot[object], typed: str, command: str) -> None:
    """Open the command palette, type `typed`, wait until the highlighted command is `command`, and run it."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    await pilot.press(*typed)
    commands = app.screen.query_one(CommandList)

    def first_hit() -> str:
        option = commands.highlighted_option
        return str(option.prompt) if option is not None else ""

    await until(pilot, lambda: command in first_hit(), f"the palette to offer {command!r} first")
    await pilot.press("enter")


@dataclass(frozen=True)
class Notice:
    """One notification the app made."""

    message: str
    title: str
    severity: str
    timeout: float | None


class Notices(list[Notice]):
    """Every notification an app makes from now on, kept after its toast has timed out (a toast lasts seconds;
    on a loaded machine a test can take longer than that)."""

    def __init__(self, app: App[object]) -> None:
        super().__init__()
        notify = app.notify

        def record(
            message: str,
            *,
            title: str = "",
            severity: SeverityLevel = "information",
            timeout: float | None = None,
            markup: bool = True,
        ) -> None:
            self.append(Notice(str(message), title, severity, timeout))
            notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

        app.notify = record  # type: ignore[method-assign]  # on this app only: an instance attribute

    def messages(self) -> list[str]:
        return [n.message for n in self]


def press_at_once(app: App[object], *keys: str) -> None:
    """Queue key presses for the app all at once, as a fast typist's keys arrive: none is handled before the last
    is queued (Pilot's `press` waits for the app between keys)."""
    for key in keys:
        character = {"enter": "\r", "escape": "\x1b", "space": " "}.get(key, key if len(key) == 1 else None)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)  # "/" is "slash", " " is "space", as the driver names them
        app.post_message(events.Key(key, character).set_sender(app))  # as the driver sends them
