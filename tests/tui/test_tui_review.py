"""The reader on a new version of a tagged story: the version bar, and the review keys (R next, P place or accept,
D drop), each one undoable step."""

from __future__ import annotations

from pathlib import Path

from annotations.history import History
from annotations.importing import import_paths
from annotations.registry import Registry
from annotations.store import Store
from stories.model import Story
from tests.annotations.test_carrying import CLOSE, LEDE, NEW_TOP, OFFER, OFFER_REWORDED, QUOTE, TALKS, _file, _tag
from tests.tui.support import until
from tui.app import WiredeskApp
from tui.screens.reader import ReaderScreen
from tui.widgets.version_bar import VersionBar

SIZE = (100, 32)


def _nothing(story: Story, registry: Registry) -> list:
    return []


def _library(tmp_path: Path) -> tuple[Store, str]:
    """Version 1 tagged (an actor, two claims), then UPDATE 1: one claim reworded, the other deleted."""
    store = Store(tmp_path / "lib")
    history = History(store)
    (first,) = import_paths(store, [_file(tmp_path, "v1.txt", 0, [LEDE, QUOTE, OFFER, CLOSE, TALKS])])
    _tag(store, history, first.story_id, "Port Merrow", "actor")
    _tag(store, history, first.story_id, "their offer of a 4 percent raise was final", "claim")
    _tag(store, history, first.story_id, "Talks broke down on Tuesday after six hours", "claim")
    (second,) = import_paths(store, [_file(tmp_path, "v2.txt", 1, [NEW_TOP, LEDE, QUOTE, OFFER_REWORDED, CLOSE])])
    return store, second.story_id


async def test_the_reader_walks_the_review_queue_and_undo_brings_it_back(tmp_path: Path) -> None:
    store, v2 = _library(tmp_path)
    assert store.to_review(v2) == 2
    app = WiredeskApp(store, annotator="tester", open_story=v2, suggester=_nothing)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        bar = screen.query_one(VersionBar)
        line = bar.line(bar.facts).plain
        assert line.startswith("version 2 of 2") and "2 to review (R)" in line
        # the new top paragraph takes the dateline: the first changed, the old lede its own; reworded; deleted
        assert "4 paragraphs changed (d shows them)" in line
        await pilot.press("R")  # the changed claim first (it has a place), its span selected
        changed = store.annotations(v2)[-1] if store.annotations(v2)[-1].kind == "claim" else None
        assert changed is not None and changed.carried is not None and changed.carried.pending
        assert screen.view.selection == (changed.start, changed.end)
        await pilot.press("P")  # kept where it was carried: accepted
        await until(pilot, lambda: store.to_review(v2) == 1, "the changed claim accepted")
        assert not store.annotation(changed.id).carried.pending
        await pilot.press("R")
        await pilot.press("D")  # the deleted claim: dropped
        await until(pilot, lambda: store.to_review(v2) == 0, "the orphan dropped")
        assert "to review" not in bar.line(bar.facts).plain
        await pilot.press("u")
        await until(pilot, lambda: store.to_review(v2) == 1, "undo brings the orphan back")
        assert "1 to review" in bar.line(bar.facts).plain
        await pilot.press("u")
        await until(pilot, lambda: store.to_review(v2) == 2, "undo brings the changed claim back")


async def test_the_library_marks_a_story_with_annotations_to_review(tmp_path: Path) -> None:
    from tui.screens.library import LibraryScreen
    from tui.widgets.story_list import StoryList

    store, _ = _library(tmp_path)
    store.load_annotations()
    app = WiredeskApp(store, annotator="tester", suggester=_nothing)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        stories = app.screen.query_one(StoryList)
        await until(pilot, lambda: "to review" in " ".join(stories.cells(0)), "the review count in the list")
        assert "● [v2: 2 to review] Merrow dock strike enters third week" in stories.cells(0)  # imported: unread


async def test_an_update_imported_in_the_app_carries_in_one_step_that_u_undoes(tmp_path: Path) -> None:
    from tests.annotations.test_carrying import _file as wire_file
    from tui.screens.library import LibraryScreen
    from tui.widgets.wrapped_log import WrappedLog

    store = Store(tmp_path / "lib")
    history = History(store)
    (first,) = import_paths(store, [wire_file(tmp_path, "v1.txt", 0, [LEDE, QUOTE, OFFER, CLOSE, TALKS])])
    _tag(store, history, first.story_id, "Port Merrow", "actor")
    update = wire_file(tmp_path, "v2.txt", 1, [NEW_TOP, LEDE, QUOTE, OFFER_REWORDED, CLOSE])
    app = WiredeskApp(store, annotator="tester", suggester=_nothing)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        await pilot.press("i")
        await until(pilot, lambda: bool(app.screen.query("#import-path")), "the import dialog")
        app.screen.query_one("#import-path").value = str(update)
        await pilot.press("enter")
        summary = app.screen.query_one("#import-summary")
        await until(pilot, lambda: "version" in str(summary.content), "the import summary")
        log = app.screen.query_one("#import-log", WrappedLog)
        # the summary and the log's rows are two updates: a run under load looked between them
        await until(pilot, lambda: "1 of 1 annotation carried" in "\n".join(log.rows), "the import log")
        assert "new version v2.txt" in "\n".join(log.rows)
        (v2,) = [e.id for e in store.versions(first.story_id) if e.id != first.story_id]
        assert [a.exact for a in store.annotations(v2)] == ["Port Merrow"]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "back in the library")
        assert app.history().undo() is not None  # the carry is the app's last step
        assert store.annotations(v2) == [] and store.carry(v2) is None
