"""Claim threads in the app, driven by Pilot: the reader's link key and its picker (likely threads first, or a new
one, then a status), the threads view (timeline in date order, Enter opens a claim in its story), undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotations import claim_threads
from annotations.history import History
from annotations.store import Store
from tests.threads_support import CATCH, DENIED, REOPEN, SECOND, fill
from tests.tui.support import Notices, run_command, until
from tui.app import WiredeskApp
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.reader import ReaderScreen
from tui.screens.thread_picker import NEW_THREAD, ThreadPicker
from tui.screens.threads import ThreadsScreen
from tui.widgets.story_view import StoryView

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        yield fill(s)


async def at_claim(pilot: Any, exact: str) -> None:
    """Wait for the reader, then put the cursor on the claim `exact`."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.query(StoryView), "the reader")
    view = app.screen.query_one(StoryView)
    start = view.story.text.index(exact)
    view.move_to(start)
    await until(pilot, lambda: view.annotations_at(view.cursor), "the cursor on the claim")


async def threads_view(pilot: Any) -> ThreadsScreen:
    """C, then the threads view once it is shown."""
    await pilot.press("ctrl+t")
    await until(pilot, lambda: isinstance(pilot.app.screen, ThreadsScreen), "the threads view")
    screen = pilot.app.screen
    assert isinstance(screen, ThreadsScreen)
    return screen


def options(screen: Any) -> list[str]:
    from textual.widgets import OptionList

    return [str(o.id) for o in screen.query_one(OptionList).options]


async def test_the_link_key_starts_a_thread_then_links_a_second_claim_into_it(store: Store) -> None:
    app = WiredeskApp(store, annotator="tester", open_story=REOPEN.story_id)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await at_claim(pilot, REOPEN.exact)
        await pilot.press("J")
        await until(pilot, lambda: isinstance(app.screen, ThreadPicker), "the thread picker")
        assert options(app.screen) == [NEW_THREAD]  # no thread yet: only a new one
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the status choice")
        await pilot.press("enter")  # asserted
        await until(pilot, lambda: store.threads(), "the thread saved")
        (thread,) = store.threads()
        assert thread.ids == (REOPEN.id,) and "Linked" in [n.title for n in notices]
        assert next(n.message for n in notices if n.title == "Linked").endswith(": asserted (1 claim)")
        status = app.screen.query_one("#status")
        await until(pilot, lambda: "asserted in “The port will reopen" in str(status.render()), "the status line")
        app.open_story(DENIED.story_id)
        await until(pilot, lambda: app.screen.story.id == DENIED.story_id, "the second story")  # type: ignore[attr-defined]
        await at_claim(pilot, DENIED.exact)
        await pilot.press("J")
        await until(pilot, lambda: isinstance(app.screen, ThreadPicker), "the thread picker")
        assert options(app.screen) == [NEW_THREAD, thread.id]  # the likely thread proposed
        assert app.screen.query_one("OptionList").highlighted == 1  # type: ignore[attr-defined]  # similar text
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the status choice")
        await pilot.press("down", "down", "down", "enter")  # asserted, repeated, disputed, denied
        await until(pilot, lambda: len(store.threads()[0].members) == 2, "the denial linked")
        moments = claim_threads.timeline(store, store.threads()[0])
        assert [(m.date[:10], m.member.status) for m in moments] == [
            ("2026-03-01", "asserted"),
            ("2026-03-02", "denied"),
        ]
        await pilot.press("u")  # one step: the denial leaves the thread
        await until(pilot, lambda: store.threads()[0].ids == (REOPEN.id,), "the link undone")
        assert any("claim threads" in n.message for n in notices)


async def test_the_link_key_on_no_claim_says_so(store: Store) -> None:
    app = WiredeskApp(store, annotator="tester", open_story=REOPEN.story_id)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.query(StoryView), "the reader")
        app.screen.query_one(StoryView).move_to(0)
        await pilot.press("J")
        await until(pilot, lambda: notices, "a notice")
        assert "Put the cursor on a claim" in notices[-1].message
        assert isinstance(app.screen, ReaderScreen)


async def test_the_threads_view_shows_the_timeline_and_opens_a_claim(store: Store) -> None:
    history = History(store)
    thread = claim_threads.link(history, REOPEN)
    claim_threads.link(history, DENIED, thread.id, status="denied")
    other = claim_threads.link(history, CATCH)
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        screen = await threads_view(pilot)
        await until(pilot, lambda: screen.thread_list.option_count == 2, "two threads")
        assert screen.current_thread_id() == other.id  # its story is the newest
        await pilot.press("down")
        await until(pilot, lambda: screen.timeline.option_count == 2, "the port thread's timeline")
        await until(pilot, lambda: screen.timeline.size.width > 0, "the timeline laid out")
        drawn = [
            "".join(seg.text for seg in screen.timeline.render_line(y)).strip()
            for y in range(screen.timeline.size.height)
        ]
        starts = [n for n, line in enumerate(drawn) if line[:4] == "2026"]
        assert [drawn[n][:19] for n in starts] == ["2026-03-01 asserted", "2026-03-02 denied  "]
        denial = " ".join(line for line in drawn[starts[1] :] if line)
        assert "Harbour Operators Union" in denial
        await pilot.press("enter", "down", "enter")  # into the timeline, the denial, open it
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.query(StoryView), "the reader")
        view = app.screen.query_one(StoryView)
        assert view.story.id == SECOND.id
        await until(pilot, lambda: view.cursor == DENIED.start, "the cursor on the denial")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ThreadsScreen), "back to the threads")


async def test_the_threads_view_retitles_unlinks_and_undoes(store: Store) -> None:
    history = History(store)
    thread = claim_threads.link(history, REOPEN)
    claim_threads.link(history, DENIED, thread.id, status="denied")
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "claim threads", "Claim threads")
        await until(pilot, lambda: isinstance(app.screen, ThreadsScreen), "the threads view")
        screen = app.screen
        assert isinstance(screen, ThreadsScreen)
        await until(pilot, lambda: screen.thread_list.option_count == 1, "the thread")
        await pilot.press("r")
        await until(pilot, lambda: app.screen is not screen, "the title prompt")
        await pilot.press("ctrl+u", *"Port reopening", "enter")
        await until(pilot, lambda: store.thread(thread.id).title == "Port reopening", "the new title")  # type: ignore[union-attr]
        await pilot.press("tab", "down", "x")
        await until(pilot, lambda: store.thread(thread.id).ids == (REOPEN.id,), "the denial unlinked")  # type: ignore[union-attr]
        await pilot.press("u")
        await until(pilot, lambda: len(store.thread(thread.id).members) == 2, "the unlink undone")  # type: ignore[union-attr]


async def test_the_threads_view_when_there_are_none(store: Store) -> None:
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ThreadsScreen), "the threads view")
        await until(pilot, lambda: app.screen.query_one("#no-threads").display, "the empty note")
        assert "press J" in str(app.screen.query_one("#no-threads").render())


async def test_the_threads_view_merges_two_threads(store: Store) -> None:
    history = History(store)
    port = claim_threads.link(history, REOPEN)
    denial = claim_threads.link(history, DENIED, status="denied")
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        screen = await threads_view(pilot)
        await until(pilot, lambda: screen.current_thread_id() == denial.id, "the denial's thread first")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the choice of thread")
        await pilot.press("enter")
        await until(pilot, lambda: [t.id for t in store.threads()] == [port.id], "one thread left")
        assert store.threads()[0].ids == (REOPEN.id, DENIED.id)
        await until(pilot, lambda: screen.current_thread_id() == port.id, "the merged thread highlighted")


async def test_the_stories_key_shows_the_threads_stories_in_the_library(store: Store) -> None:
    from tui.screens.library import LibraryScreen
    from tui.widgets.story_list import StoryList

    history = History(store)
    thread = claim_threads.link(history, REOPEN, title="Port reopening")
    claim_threads.link(history, DENIED, thread.id, status="denied")
    claim_threads.link(history, CATCH)
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        screen = await threads_view(pilot)
        await until(pilot, lambda: screen.thread_list.option_count == 2, "two threads")
        await pilot.press("down")
        await until(pilot, lambda: screen.current_thread_id() == thread.id, "the port thread highlighted")
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "back in the library")
        stories = app.screen.query_one(StoryList)
        await until(pilot, lambda: stories.row_count == 2, "the thread's two stories listed")
        assert {row.id for row in stories.shown_entries} == {REOPEN.story_id, DENIED.story_id}
        assert app.screen.query_one("#filter").value == f"thread:{thread.id[:8]}"
