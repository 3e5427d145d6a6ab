"""The agreement screen, driven by Textual's Pilot: reached from the library (key and palette), the tables of
`wiredesk agree`, Enter on a disagreement opening the reader at its span."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from annotations.agreement import Snapshot, measure
from annotations.store import Store
from tests.agreement_support import ANADOLU, build_library, span
from tests.store_support import make_story
from tests.tui.support import counts_shown, run_command, until
from tui.agreement_table import story_table
from tui.app import WiredeskApp
from tui.screens.agreement import AgreementScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.disagreement_list import DisagreementList
from tui.widgets.story_view import StoryView

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)


def _shown(app: WiredeskApp) -> bool:
    return isinstance(app.screen, AgreementScreen) and app.screen.result is not None


def _text(app: WiredeskApp) -> str:
    """What the measures part shows, as plain text."""
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(app.screen.query_one("#tables", Static).content)
    return console.export_text()


async def test_enter_on_a_disagreement_opens_the_reader_at_its_span(tmp_path: Path) -> None:
    build_library(tmp_path)
    with Store(tmp_path) as store:
        app = WiredeskApp(store, annotator="ana")
        async with app.run_test(size=SIZE) as pilot:
            await counts_shown(pilot)
            await pilot.press("a")
            await until(pilot, lambda: _shown(app), "the agreement measured")
            table = app.screen.query_one(DisagreementList)
            assert table.row_count == 3
            assert "ana · ben (κ)" in _text(app) and "0.80" in _text(app)
            cells = table.cells(2)
            assert cells[2] == "span found" and "ben: —" in cells[4]
            await pilot.press("down", "down", "enter")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
            start = ANADOLU.text.index("The ceasefire must hold")
            view = app.screen.query_one(StoryView)
            await until(pilot, lambda: view.cursor == start, "the cursor on the span")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, AgreementScreen), "back to the agreement")


async def test_reached_from_the_palette_and_says_why_it_cannot_measure(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        app = WiredeskApp(store, annotator="ana")
        async with app.run_test(size=SIZE) as pilot:
            await run_command(pilot, "agreem", "Agreement")
            await until(pilot, lambda: isinstance(app.screen, AgreementScreen), "the agreement screen")
            await until(pilot, lambda: "two annotators or more" in _text(app), "why it cannot measure")
            assert not app.screen.query_one(DisagreementList).display
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, AgreementScreen), "back to the library")


def test_the_screens_story_table_shows_the_lowest_agreement_first() -> None:
    """The app draws at most `most` stories (a table of thousands takes seconds): those of lowest agreement."""
    good = make_story("Fidan said talks would resume.", headline="A good story")
    bad = make_story("Fidan said talks would resume.", headline="B bad story", agency="AA")
    anns = [span(good, "talks would resume", "quote", who) for who in ("ana", "ben")]
    anns += [span(bad, "talks would resume", "quote", "ana"), span(bad, "Fidan", "quote", "ben")]
    result = measure(Snapshot(anns, {}, {good.id: good.meta.headline, bad.id: bad.meta.headline}), "ana")
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(story_table(result, most=1))
    shown = console.export_text()
    assert "B bad story" in shown and "A good story" not in shown and "the 1 of lowest agreement, of 2" in shown
    console.print(story_table(result))
    assert "A good story" in console.export_text()
