"""Hostile text on the sourcing dashboard: actor names, agencies and filters with escape sequences, control and
bidi characters and Rich markup reach the screen as plain, clean text; a hostile filter is one clean line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.actors import Actor
from annotations.model import Annotation
from annotations.store import Store
from tests.store_support import make_story
from tests.tui.support import open_dashboard, until
from tui.app import WiredeskApp
from tui.screens.counted import CountedScreen
from tui.widgets.stats_list import StatsList
from tui.widgets.usage_list import UsageList
from tui.widgets.weekly_plot import WeeklyPlot

pytestmark = pytest.mark.usefixtures("no_suggestions")

ESC = "\x1b"
#: The registry refuses control characters in names (`Actor.check`); markup, bidi and format characters it keeps.
NAMES = [
    "Eve ]0;pwned [2J [5m",
    "[bold red]Mallory[/] [link=http://x]here[/link]",
    "Bob\u202e\u200bgninraw\u2066",
]
AGENCY = f"{ESC}[31mWire\x07 [b]Co[/b]"
STORY = make_story(
    "“One,” said A. “Two,” said B. “Three,” said C.",
    headline=f"Hostile {ESC}[5m headline",
    agency=AGENCY,
    created="2026-03-02",
)
FILTERS = [f"{ESC}[2J quoting:{ESC}[31m", "agency:[bold]x[/bold] since:9999-99-99", "\x00\x01 " * 300]


def clean(text: str) -> bool:
    return ESC not in text and all(c.isprintable() or c == "\n" for c in text)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = Store(tmp_path)
    made.add_stories([STORY])
    actors = [
        Actor(id=f"0000000{n}-0000-4000-8000-000000000000", name=name, type="person") for n, name in enumerate(NAMES)
    ]
    quotes = []
    for actor, exact in zip(actors, ("One", "Two", "Three"), strict=True):
        start = STORY.text.index(exact)
        ann = Annotation.new(STORY, "quote", start, start + len(exact), annotator="tester")
        quotes.append(ann.edited(speaker=actor.id, form="direct"))
    made.apply([*((None, a) for a in actors), *((None, q) for q in quotes)])
    return made


async def test_hostile_names_and_agency_are_shown_clean(store: Store) -> None:
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        for pane in ("speakers", "types", "agencies"):
            table = screen.query_one(f"#{pane}-list", StatsList)
            assert table.row_count
            for i in range(table.row_count):
                assert clean(table.line_text(i, 78))
        assert any(
            "[bold red]Mallory" in screen.query_one("#speakers-list", StatsList).line_text(i, 120) for i in range(3)
        )
        plot = screen.query_one(WeeklyPlot)
        assert all(clean(label) for label in plot.labels)
        assert any("[bold red]Mallory" in label for label in plot.labels)
        await pilot.press("4")  # the plot drawn: its axis label names the speakers, markup shown as typed
        await pilot.pause()
        drawn = app.export_screenshot()
        assert "Mallory" in drawn and "[bold&#160;red]" in drawn
        await pilot.press("1")
        assert clean(str(screen.query_one("#stats-summary").render()))
        await pilot.press("3", "enter")
        await until(pilot, lambda: isinstance(app.screen, CountedScreen), "the quotes")
        assert clean(str(app.screen.query_one("#counted-info").render()))
        usages = app.screen.query_one(UsageList)
        assert usages.row_count == 3 and all(clean(usages.line_text(i, 78)) for i in range(3))
        assert clean(app.screen.sub_title)


@pytest.mark.parametrize("text", FILTERS, ids=range(len(FILTERS)))
async def test_a_hostile_filter_is_one_clean_line(store: Store, text: str) -> None:
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        before = screen.chosen
        screen.query_one("#stats-filter").value = text  # type: ignore[attr-defined]
        await until(pilot, lambda: screen.chosen is not before, "the filter counted")
        summary = str(screen.query_one("#stats-summary").render())
        assert clean(summary)
        if screen.chosen.errors:  # one line saying why, and nothing counted
            assert "\n" not in summary.strip() and not screen.query_one("#speakers-list", StatsList).row_count


async def test_a_hostile_annotator_name_is_a_clean_layer_name(store: Store) -> None:
    from dataclasses import replace

    from annotations.layers import Layers

    theirs = next(iter(store.iter_annotations()))
    store.apply([(None, replace(theirs, id="f" * 8 + theirs.id[8:], annotator=f"{ESC}]0;x\x07\u202eEve"))])
    app = WiredeskApp(store, annotator="tester", layers=Layers("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        summary = screen.query_one("#stats-summary")
        for _ in range(2):  # from every layer: yours, then theirs
            before = str(summary.render())
            await pilot.press("L")
            await until(pilot, lambda: str(summary.render()) != before, "the next layer")  # noqa: B023
            assert clean(str(summary.render()))
        assert str(summary.render()).startswith("Eve’s layer (L: next)")  # the sequence and the bidi control gone
