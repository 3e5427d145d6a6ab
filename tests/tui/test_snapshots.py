"""Snapshot tests: how the reader and the library look, at fixed terminal sizes.

Update after an intended visual change with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from annotations.anchor import locate
from annotations.model import Annotation
from annotations.store import Store
from annotations.suggest import Suggestion
from stories.loader import parse_text
from stories.model import Story
from tests.store_support import add_story, put
from tests.tui.support import counts_shown
from tests.tui.test_tui import STORY
from tui.app import WiredeskApp
from tui.widgets.story_list import StoryList


def no_suggestions(story: Story, registry: object) -> list[Suggestion]:
    """The reader's pictures here are of annotations: no suggestions (tests/tui/test_tui_suggest.py has theirs)."""
    return []


def tagged_store(path: Path, created: str | None = None) -> tuple[Store, str]:
    store = Store(path)
    story = parse_text(STORY, "nordvik.txt")[0]
    add_story(store, dated(story, created) if created else story)
    sid = story.id
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
    app = WiredeskApp(store, annotator="tester", open_story=sid, suggester=no_suggestions)

    async def run_before(pilot) -> None:
        await pilot.press("/", *"keep the morning", "enter")
        await pilot.pause()
        pilot.app.clear_notifications()

    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)


def test_reader_at_80x24_hides_the_panel(snap_compare, tmp_path: Path) -> None:
    store, sid = tagged_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", open_story=sid, suggester=no_suggestions)
    assert snap_compare(app, terminal_size=(80, 24), press=["}", "}", "w"])


def test_library(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates are fixed (the stories' and today's), so the picture does not change with the calendar."""
    store, _ = tagged_store(tmp_path, created="2026-05-02")
    other = STORY.replace("Harbour council approves ferry timetable", "Sandholm ferry crews vote on new rota")
    add_story(store, dated(parse_text(other, "other.txt")[0], "2025-11-30"))  # last year's: shows its year
    update = STORY.replace("well past midnight", "until almost two in the morning")  # same story, new text
    add_story(store, dated(parse_text(update, "update.txt")[0], "2026-05-03"))  # shows as [v2]
    monkeypatch.setattr(StoryList, "clock", staticmethod(lambda: date(2026, 6, 1)))
    app = WiredeskApp(store, annotator="tester")
    assert snap_compare(app, terminal_size=(100, 24), run_before=counts_shown)


def dated(story: Story, created: str) -> Story:
    return replace(story, meta=replace(story.meta, created=created))
