"""The sourcing dashboard, driven by Textual's Pilot: opened from the library and the reader, its tables and plot,
the filter edited in place, Enter to the quotes a row counts and on to the story."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.actors import Actor
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story
from tests.store_support import make_story
from tests.tui.support import open_dashboard, run_command, until
from tui.app import WiredeskApp
from tui.screens.counted import CountedScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.pair_list import PairList
from tui.widgets.stats_list import StatsList
from tui.widgets.story_view import StoryView
from tui.widgets.usage_list import UsageList
from tui.widgets.weekly_plot import WeeklyPlot

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)

PORT = make_story(
    "“The port will reopen Monday,” Minister Ana Berg said. “We are ready,” she added.",
    "“Nothing is agreed,” union leader Tor Lind said.",
    headline="Port to reopen Monday",
    agency="Reuters",
    created="2026-03-02",
)
STRIKE = make_story(
    "“The strike goes on,” Tor Lind said. “Talks resume Friday,” Minister Ana Berg said.",
    headline="Dockers strike on",
    agency="AP",
    created="2026-03-10",
)


def quote(story: Story, exact: str, speaker: str, form: str = "direct") -> Annotation:
    start = story.text.index(exact)
    return Annotation.new(story, "quote", start, start + len(exact), annotator="tester").edited(
        speaker=speaker, form=form
    )


class Library:
    def __init__(self, path: Path) -> None:
        self.store = Store(path)
        self.store.add_stories([PORT, STRIKE])
        self.berg = Actor.new("Ana Berg", "government")
        self.lind = Actor.new("Tor Lind", "person")
        self.quotes = {
            "reopen": quote(PORT, "The port will reopen Monday", self.berg.id),
            "ready": quote(PORT, "We are ready", self.berg.id, "indirect"),
            "agreed": quote(PORT, "Nothing is agreed", self.lind.id),
            "strike": quote(STRIKE, "The strike goes on", self.lind.id),
            "talks": quote(STRIKE, "Talks resume Friday", self.berg.id),
        }
        self.store.apply([(None, self.berg), (None, self.lind), *((None, q) for q in self.quotes.values())])

    def app(self) -> WiredeskApp:
        return WiredeskApp(self.store, annotator="tester")


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path)


def speakers(app: WiredeskApp) -> list[str]:
    rows = app.screen.query_one("#speakers-list", StatsList).rows
    return [f"{row.label}={row.counts['quote']}" for row in rows]


async def test_speakers_counts_plot_and_enter_lists_exactly_their_quotes(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        assert speakers(app) == ["Ana Berg=3", "Tor Lind=2"]
        top = screen.query_one("#speakers-list", StatsList)
        assert "█" in top.line_text(0) and "60.0" in top.line_text(0)  # share of voice as a bar, and in figures
        assert screen.shown is not None and screen.shown.weeks == ["2026-W10", "2026-W11"]
        plot = screen.query_one(WeeklyPlot)
        assert plot.labels == ["Ana Berg", "Tor Lind"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CountedScreen), "the quotes listed")
        rows = app.screen.query_one(UsageList).rows
        assert {u.annotation.id for u in rows} == {lib.quotes[k].id for k in ("reopen", "ready", "talks")}
        await pilot.press("enter")  # the newest story first: STRIKE, at its quote
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the story")
        view = app.screen.query_one(StoryView)
        assert view.story.id == STRIKE.id
        await until(pilot, lambda: view.cursor == lib.quotes["talks"].start, "the cursor on the quote")


async def test_the_library_filter_comes_along_and_edits_in_place(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.store.annotations_loaded, "the annotations")
        assert isinstance(app.screen, LibraryScreen)
        app.screen.set_filter("agency:AP")
        await pilot.pause()
        screen = await open_dashboard(pilot)
        assert speakers(app) == ["Ana Berg=1", "Tor Lind=1"]
        agencies = [row.key for row in screen.query_one("#agencies-list", StatsList).rows]
        assert agencies == ["AP"]
        await pilot.press("/")
        box = screen.query_one("#stats-filter")
        assert box.has_focus
        await pilot.press(*"ctrl+u".split())  # clear it: every story
        await until(pilot, lambda: speakers(app) == ["Ana Berg=3", "Tor Lind=2"], "every story counted")
        types = {row.key: row.counts["quote"] for row in screen.query_one("#types-list", StatsList).rows}
        assert types == {"government": 3, "person": 2}
        await pilot.press(*"quoting:Nobody")
        await until(pilot, lambda: box.has_class("-error"), "the filter's error")
        assert speakers(app) == []
        await pilot.press("escape", "escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "back in the library")


async def test_opened_from_the_reader_and_the_palette_and_kept_current(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.store.annotations_loaded, "the annotations")
        app.open_story(PORT.id)
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await open_dashboard(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "back in the reader")
        from annotations.history import History

        History(app.store).delete(lib.quotes["talks"].id)
        await run_command(pilot, "sourcing", "Sourcing dashboard")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.shown is not None, "shown")
        await until(pilot, lambda: speakers(app) == ["Ana Berg=2", "Tor Lind=2"], "the deleted quote left out")


async def test_speakers_quoted_together_open_to_their_quotes(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        assert "2.0 a story" in str(screen.query_one("#stats-summary").render())
        await pilot.press("5")
        pairs = screen.query_one(PairList)
        await until(pilot, lambda: pairs.has_focus, "the pairs focused")
        assert pairs.row_count == 1 and "Ana Berg" in pairs.line_text(0) and "Tor Lind" in pairs.line_text(0)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CountedScreen), "the quotes listed")
        assert {u.annotation.id for u in app.screen.query_one(UsageList).rows} == {q.id for q in lib.quotes.values()}


async def test_readable_at_80_by_24(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        table = screen.query_one("#speakers-list", StatsList)
        await until(pilot, lambda: table.region_of_row(1) is not None, "two rows on screen")
        assert table.shown_header()[:2] == ["Speaker", "Quotes"] and "%" in table.shown_header()
        assert "Ana Berg" in table.line_text(0, table.size.width)
        await pilot.press("4")
        await pilot.pause()
        plot = screen.query_one(WeeklyPlot)
        assert plot.size.height >= 10 and plot.size.width >= 60
        assert plot._x_formatter.get_labels_for_ticks([1.0, 2.0]) == ["26W10", "26W11"]  # ISO weeks on the x axis
        key = screen.query_one("#weekly-key")
        assert str(key.content) == "o Ana Berg   x Tor Lind" and key.size.width <= 80  # under the plot, whole


async def test_the_weekly_plot_keeps_weeks_without_quotes_in_their_place_and_names_every_marker() -> None:
    from textual.app import App, ComposeResult

    class PlotApp(App[None]):
        def compose(self) -> ComposeResult:
            yield WeeklyPlot()

    names = ["Speaker Number One", "Speaker Two", "Third Speaker Name", "Fourth Speaker", "Fifth Of Them"]
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(WeeklyPlot)
        plot.show(["2025-W52", "2026-W01", "2026-W09"], [(name, [1, 0, n + 1]) for n, name in enumerate(names)])
        first = plot._datasets[0]
        assert list(first.x) == [1, 10] and list(first.y) == [1, 1]  # 2026-W09 is nine weeks after 2025-W52
        assert plot._x_formatter.get_labels_for_ticks([1.0, 2.0, 10.0]) == ["25W52", "26W01", "26W09"]
        assert str(plot.key) == "   ".join(f"{m} {name}" for m, name in zip("ox+*#", names, strict=True))
        plot.show([], [])
        assert str(plot.key) == "no quotes" and not plot._datasets


async def test_with_a_teams_layers_the_figures_count_one_layer_and_L_moves_on(lib: Library) -> None:
    from dataclasses import replace

    from annotations.layers import CURATED, Layers

    ben = replace(quote(PORT, "The port will reopen Monday", lib.berg.id), annotator="ben")
    curated = replace(quote(PORT, "The port will reopen Monday", lib.berg.id), annotator=CURATED)
    lib.store.apply([(None, ben), (None, curated)])
    app = WiredeskApp(lib.store, annotator="tester", layers=Layers("tester"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        summary = screen.query_one("#stats-summary")
        assert str(summary.content).startswith("curated layer (L: next) · every story · 1 quote · 1 speaker (")
        assert speakers(app) == ["Ana Berg=1"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CountedScreen), "the quotes listed")
        assert [u.annotation.id for u in app.screen.query_one(UsageList).rows] == [curated.id]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the dashboard again")
        seen: list[str] = []

        def layer() -> str:
            return str(summary.content).split(" (")[0]

        for _ in range(4):  # after curated, every layer, then yours, ben's, curated again
            before = layer()
            await pilot.press("L")
            await until(pilot, lambda: layer() != before, "the next layer")  # noqa: B023 (awaited in the loop)
            seen.append(layer())
            if seen[-1] == "every layer":
                assert speakers(app) == ["Ana Berg=5", "Tor Lind=2"]
            if seen[-1] == "ben’s layer":
                assert speakers(app) == ["Ana Berg=1"]
        assert seen == ["every layer", "your layer", "ben’s layer", "curated layer"]


async def test_with_no_quotes_counted_the_summary_says_which_keys_make_one(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.add_stories([PORT, STRIKE])
    app = WiredeskApp(store, annotator="tester", keymap={"reader.tag_quote": "Q"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        summary = screen.query_one("#stats-summary")
        hint = "select a quote and press Q, or accept a suggested one with y."
        assert str(summary.render()).splitlines()[1:] == [f"No quotes yet: in a story, {hint}"]
        screen.query_one("#stats-filter").value = "agency:AP"
        await until(pilot, lambda: "No quotes in these stories" in str(summary.render()), "the filter counted")


async def test_quotes_counted_means_no_hint(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        assert "No quotes" not in str(screen.query_one("#stats-summary").render())
