"""The app reads the annotations after its first frame, on a thread of its own: quitting never waits for it, and
opening a story while it runs shows the story once it is done."""

from __future__ import annotations

import threading
from pathlib import Path

from annotations.store import Store
from tests.store_support import make_story, put, tag_text
from tests.tui.support import counts_shown, until
from tui.app import WiredeskApp
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen


def _held_store(data_dir: Path) -> tuple[Store, threading.Event, threading.Event]:
    """A store whose annotations load stops at its first check until `release` is set (or the store closes)."""
    story = make_story("Yes, said Ada.")
    with Store(data_dir) as store:
        store.add_stories([story])
        put(store, tag_text(story, "Yes"))
    store = Store(data_dir)
    entered, release = threading.Event(), threading.Event()
    stop_if_closing = store._stop_if_closing

    def held() -> None:
        entered.set()
        while not (release.is_set() or store._cancel.is_set()):
            release.wait(0.01)
        stop_if_closing()

    store._stop_if_closing = held  # type: ignore[method-assign]  # the load waits here
    return store, entered, release


async def test_quitting_while_the_annotations_load_does_not_wait_for_them(data_dir: Path) -> None:
    store, entered, _release = _held_store(data_dir)
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, entered.is_set, "the load to start")
        await pilot.press("ctrl+q")  # the load is still held: it never finishes by itself
    assert app._loader is not None and app._loader.is_alive()  # the app is gone, its load still held
    store.close()  # stops the load
    app._loader.join()
    assert not store.annotations_loaded


async def test_a_story_opened_while_the_annotations_load_opens_when_they_are_read(data_dir: Path) -> None:
    store, entered, release = _held_store(data_dir)
    app = WiredeskApp(store, annotator="tester")
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, entered.is_set, "the load to start")
            assert isinstance(app.screen, LibraryScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)  # waits for the annotations
            release.set()
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
            await pilot.press("escape")
            await counts_shown(pilot)
    finally:
        store.close()
