"""Live sources in the open app (issue 16 §2): what arrives shows in the library while the analyst tags in the
reader, and both are saved: the app holds the write lock, so it takes the arrivals itself, on its own thread."""

from __future__ import annotations

from pathlib import Path

from annotations.sources import deliver, pending
from annotations.store import Store
from tests.cli_support import FERRY
from tests.tui.support import until
from tests.tui.test_tui import SIZE, make_store, selected, view_of
from tui.app import AnnotationsLoaded, WiredeskApp
from tui.screens.library import LibraryScreen
from tui.widgets.story_list import StoryList


async def test_an_arrival_shows_in_the_library_while_a_quote_is_tagged(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", open_story=sid, poll_sources=False)
    app.ARRIVALS_TICK = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("/", *"keep the morning boat", "enter")
        await until(pilot, lambda: selected(view_of(app)) == "keep the morning boat", "the quote selected")
        deliver(tmp_path, "wire", FERRY.encode(), "ferry.txt")  # what `wiredesk watch` hands over
        await pilot.press("q")
        await until(pilot, lambda: not pending(tmp_path), "the arrival taken")
        await until(pilot, lambda: [a.exact for a in store.annotations(sid)] == ["keep the morning boat"], "saved")
        library = next(s for s in app.screen_stack if isinstance(s, LibraryScreen))
        await pilot.press("escape")  # the library, under the reader, lists the arrival when it is shown again
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "back in the library")
        await until(pilot, lambda: library.query_one(StoryList).total == 2, "the arrival in the library")
        assert "2 stories" in str(app.screen.sub_title)
    store.close()
    reopened = Store(tmp_path, read_only=True)
    assert len(reopened) == 2 and [a.exact for a in reopened.annotations(sid)] == ["keep the morning boat"]
    assert sorted(reopened.story_sources().values()) == ["wire"]
    reopened.close()


async def test_a_read_only_app_leaves_the_arrivals_for_the_writer(tmp_path: Path) -> None:
    writer, _ = make_store(tmp_path)
    reader = Store(tmp_path, read_only=True)
    deliver(tmp_path, "wire", FERRY.encode(), "ferry.txt")
    app = WiredeskApp(reader, read_only="open elsewhere", poll_sources=False)
    app.ARRIVALS_TICK = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.live is None and len(pending(tmp_path)) == 1
    reader.close()
    writer.close()


async def test_the_source_column_and_filter(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    deliver(tmp_path, "wire", FERRY.encode(), "ferry.txt")
    from annotations.sources import take_arrivals

    arrived = take_arrivals(store).ids
    app = WiredeskApp(store, annotator="tester", poll_sources=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        stories = app.screen.query_one(StoryList)
        await until(pilot, lambda: stories.total == 2, "both stories")
        assert "Source" in stories.header()
        rows = {stories.shown_entries[i].id: stories.cells(i) for i in range(stories.row_count)}
        assert "wire" in rows[arrived[0]] and "wire" not in rows[sid]
        app.screen.set_filter("source:wi")
        await until(pilot, lambda: stories.shown == 1, "the filter applied")
        assert stories.shown_entries[0].id == arrived[0]
    store.close()


async def test_the_source_column_appearing_leaves_the_headline_its_width(tmp_path: Path) -> None:
    """The list's layout, worked out once a width, is worked out again when the Source column comes (a bug: the
    headline was cut to three cells and the source took its width)."""
    store, _ = make_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", poll_sources=False)
    app.ARRIVALS_TICK = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        stories = app.screen.query_one(StoryList)
        await until(pilot, lambda: stories.total == 1, "the library drawn without sources")
        deliver(tmp_path, "wire", FERRY.encode(), "ferry.txt")
        await until(pilot, lambda: stories.total == 2 and "Source" in stories.header(), "the arrival listed")
        await pilot.pause()
        lines = [stories.render_line(y).text for y in range(3)]
        assert "Headline" in lines[0] and any("Ferries sail after crew" in line for line in lines[1:]), lines
    store.close()


async def test_annotations_loaded_while_the_library_is_taken_down_is_no_crash(tmp_path: Path) -> None:
    """Found under load: the loading thread's message came as the app quit, after the library's list was removed
    (NoMatches from `reload`)."""
    store, _ = make_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", poll_sources=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        await app.screen.query_one(StoryList).remove()
        app.post_message(AnnotationsLoaded())
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    store.close()
