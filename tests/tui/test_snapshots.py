"""Snapshot tests: how the reader and the library look, at fixed terminal sizes.

Update after an intended visual change with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

from annotations.anchor import locate
from annotations.model import Annotation
from annotations.store import Store
from stories.loader import parse_text
from tests.store_support import add_story, put
from tests.tui.test_tui import STORY, make_store
from tui.app import WiredeskApp


def tagged_store(path: Path) -> tuple[Store, str]:
    store, sid = make_store(path)
    story = store.story(sid)
    for kind, text in [
        ("claim", "Opposition member Karl Ek said the plan was"),
        ("actor", "Karl Ek"),
        ("quote", "We listened to every islander who wrote to us,"),
        ("actor", "Voss"),
    ]:
        start, end = locate(story, text)
        put(store, Annotation.new(story, kind, start, end, annotator="tester"))
    return store, sid


def test_reader_with_annotations_and_selection(snap_compare, tmp_path: Path) -> None:
    store, sid = tagged_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", open_story=sid)

    async def run_before(pilot) -> None:
        await pilot.press("/", *"keep the morning", "enter")
        await pilot.pause()
        pilot.app.clear_notifications()

    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)


def test_reader_at_80x24_hides_the_panel(snap_compare, tmp_path: Path) -> None:
    store, sid = tagged_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", open_story=sid)
    assert snap_compare(app, terminal_size=(80, 24), press=["}", "}", "w"])


def test_library(snap_compare, tmp_path: Path) -> None:
    store, _ = tagged_store(tmp_path)
    other = STORY.replace("Harbour council approves ferry timetable", "Sandholm ferry crews vote on new rota")
    add_story(store, parse_text(other, "other.txt")[0])
    update = STORY.replace("well past midnight", "until almost two in the morning")  # same story, new text
    add_story(store, parse_text(update, "update.txt")[0])  # shows as [v2]
    app = WiredeskApp(store, annotator="tester")
    assert snap_compare(app, terminal_size=(100, 24))
