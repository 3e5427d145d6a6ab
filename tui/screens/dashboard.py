"""DashboardScreen: who gets quoted in the stories the library's filter selects, as tables and a plot.

The filter sits at the top, editable in place (`/`); below it, tabs: the speakers, their types and the agencies
(quotes, direct and indirect, share of voice as a bar; Enter lists the quotes a row counts), quotes per week of
the most quoted speakers, and the speakers quoted together (Enter: their quotes in the stories quoting both).
With a team's layers the figures count one layer (`L` the next), as `wiredesk stats` does: curated once it
exists, else every layer.
Every figure comes from `annotations.stats` (`overview`), worked out in a thread so that a large library's first
count never holds the keys.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane

from annotations.layers import ALL, CURATED
from annotations.library_index import LibraryIndex
from annotations.search import SearchIndex
from annotations.stats import Overview, StatsIndex, overview, select
from annotations.stats.selection import Chosen
from stories.text import clean_line
from tui.desk import desk
from tui.widgets.pair_list import PairList
from tui.widgets.stats_list import StatsList
from tui.widgets.weekly_plot import WeeklyPlot

__all__ = ["DashboardScreen"]

#: The tables: (group, heading, pane id, tab title).
TABLES = (
    ("actor", "Speaker", "speakers", "Speakers"),
    ("type", "Speaker type", "types", "Types"),
    ("agency", "Agency", "agencies", "Agencies"),
)


class DashboardScreen(Screen):
    """The sourcing dashboard over the stories `text` (the library filter's language) selects."""

    AUTO_FOCUS = "#speakers-list"

    BINDINGS = [
        Binding("escape", "back", "Back", id="dashboard.back", tooltip="Back to where the dashboard was opened"),
        Binding("/", "edit_filter", "Filter", id="dashboard.filter", tooltip="Edit the filter the figures count"),
        Binding("1", "tab('speakers')", "Speakers", show=False, id="dashboard.speakers", tooltip="Quotes by speaker"),
        Binding("2", "tab('types')", "Types", show=False, id="dashboard.types", tooltip="Quotes by speaker type"),
        Binding("3", "tab('agencies')", "Agencies", show=False, id="dashboard.agencies", tooltip="Quotes by agency"),
        Binding("4", "tab('weekly')", "Weekly", show=False, id="dashboard.weekly", tooltip="Quotes per week"),
        Binding(
            "5", "tab('together')", "Together", show=False, id="dashboard.together", tooltip="Speakers quoted together"
        ),
        Binding(
            "L",
            "cycle_layer",
            "Layer",
            show=False,
            id="dashboard.layer",
            tooltip="Count the next annotator layer: each layer of the library, then every layer at once",
        ),
    ]

    DEFAULT_CSS = """
    DashboardScreen {
        & > #stats-filter { border: tall $accent; height: 3; }
        & > #stats-filter.-error { border: tall $error; }
        & > #stats-summary { height: auto; padding: 0 1; background: $panel; }
        & > TabbedContent { height: 1fr; }
        & StatsList { height: 1fr; }
        & #weekly-key { height: auto; padding: 0 1 0 10; }
    }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text
        self.shown: Overview | None = None
        self.chosen: Chosen | None = None
        self.generation = 0  # of the filter typed last: an older count's answer is dropped
        self._library: tuple[tuple[int, ...], LibraryIndex] | None = None  # for the tokens, per change
        self._typed: Timer | None = None  # counts the filter once typing pauses
        self.asked_layer: str | None = None  # the layer asked for with `L` (None: the default)
        #: The layer counted, the library's layers, and the annotator names as recorded that it counts (None: all).
        self.scope: tuple[str, list[str], frozenset[str] | None] = (ALL, [], None)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self.text, placeholder="every story · words quoting:NAME agency:NAME since:DATE …", id="stats-filter"
        )
        yield Static("counting…", id="stats-summary")
        with TabbedContent(initial="speakers"):
            for by, heading, pane, title in TABLES:
                with TabPane(title, id=pane):
                    yield StatsList(by, heading, id=f"{pane}-list")
            with TabPane("Per week", id="weekly"):
                yield WeeklyPlot(id="weekly-plot")
                yield Static(id="weekly-key", markup=False)  # which marker is whom, wrapped at any width
            with TabPane("Together", id="together"):
                yield PairList(id="together-list")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "sourcing"
        self.count(self.text)

    def on_screen_resume(self) -> None:
        if self.shown is not None:  # back from a list or a story: annotations may have changed
            self.count(self.query_one("#stats-filter", Input).value)

    # --- counting ----------------------------------------------------------------------------------------

    def count(self, text: str) -> None:
        self.generation += 1
        self._count(text, self.generation)

    @work(thread=True, exclusive=True, group="stats")
    def _count(self, text: str, generation: int) -> None:
        store = desk(self).store
        store.load_annotations()
        index = SearchIndex.of(store)
        store.unread.refresh()
        state = (store.tags.storage.seq, len(store), len(store.unread.ids))
        if self._library is None or self._library[0] != state:  # the annotation tokens' index, once per change
            self._library = (state, LibraryIndex(store))
        chosen = select(store, text, index if index.ready else None, self._library[1])
        stats, layers = StatsIndex.of(store), desk(self).layers
        names = stats.annotator_names()
        present = layers.ordered(layers.of_name(name) for name in names)
        counted = layers.choose(self.asked_layer if self.asked_layer in (*present, ALL) else None, present)
        scope = (counted, present, layers.recorded_names(counted, names))
        figures = None if chosen.errors else overview(stats, chosen.stories, scope[2])
        self.app.call_from_thread(self._show, chosen, figures, generation, scope)

    def _show(
        self,
        chosen: Chosen,
        figures: Overview | None,
        generation: int,
        scope: tuple[str, list[str], frozenset[str] | None],
    ) -> None:
        if generation != self.generation or not self.is_attached:
            return
        self.chosen, self.shown, self.scope = chosen, figures, scope
        box = self.query_one("#stats-filter", Input)
        box.set_class(bool(chosen.errors), "-error")
        summary = self.query_one("#stats-summary", Static)
        if chosen.errors or figures is None:
            summary.update(Text(clean_line(chosen.errors[0]) if chosen.errors else "", style="bold"))
            for _, _, pane, _ in TABLES:
                self.query_one(f"#{pane}-list", StatsList).set_rows([])
            self._plot([], [])
            self.query_one(PairList).set_pairs([])
            return
        summary.update(self._summary(chosen, figures))
        for rows, (_, _, pane, _) in zip((figures.speakers, figures.types, figures.agencies), TABLES, strict=True):
            self.query_one(f"#{pane}-list", StatsList).set_rows(rows)
        labels = {row.key: row.label for row in figures.speakers}
        self._plot(figures.weeks, [(labels[k], c) for k, c in figures.weekly.items()])
        self.query_one(PairList).set_pairs(figures.pairs)

    def _plot(self, weeks: list[str], series: list[tuple[str, list[int]]]) -> None:
        plot = self.query_one(WeeklyPlot)
        plot.show(weeks, series)
        self.query_one("#weekly-key", Static).update(plot.key)

    def _summary(self, chosen: Chosen, figures: Overview) -> Text:
        stories = "every story" if chosen.stories is None else f"{len(chosen.stories):,} stories"
        quotes = sum(row.counts["quote"] for row in figures.speakers)
        speakers = sum(1 for row in figures.speakers if row.key)
        official = figures.officials
        quoted = len(official.only) + len(official.other)
        line = f"{self._layer_name()} · " if len(self.scope[1]) > 1 else ""
        line += f"{stories} · {quotes:,} quote{'' if quotes == 1 else 's'}"
        line += f" · {speakers:,} speaker{'' if speakers == 1 else 's'}"
        if figures.speakers_per_story:
            line += f" ({figures.mean_speakers:.1f} a story)"
        if quoted:
            noun = "story" if quoted == 1 else "stories"
            line += f" · officials only in {100 * official.share:.0f}% of {quoted:,} {noun} quoting a known speaker"
        if not quotes:
            line += f"\n{self._no_quotes_hint(chosen)}"
        notes = " · ".join(chosen.notes)
        return Text(line + (f"\n{clean_line(notes)}" if notes else ""))

    def _no_quotes_hint(self, chosen: Chosen) -> str:
        """What to do when nothing is counted: the keys that make a quote, as the user's keymap has them."""
        where = "No quotes yet" if chosen.stories is None else "No quotes in these stories"
        if len(self.scope[1]) > 1:
            where += " in this layer"
        key = desk(self).key_for
        return (
            f"{where}: in a story, select a quote and press {key('reader.tag_quote')},"
            f" or accept a suggested one with {key('reader.accept_suggestion')}."
        )

    def _layer_name(self) -> str:
        layer = self.scope[0]
        if layer == ALL:
            return "every layer (L: next)"
        if layer == CURATED:
            return "curated layer (L: next)"
        mine = layer == desk(self).layers.me
        return f"{'your' if mine else clean_line(layer) + chr(8217) + 's'} layer (L: next)"

    # --- keys and events -----------------------------------------------------------------------------------

    #: Seconds typing must pause before the filter is counted (a large library's count takes a moment).
    TYPING_PAUSE = 0.2

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._typed is not None:
            self._typed.stop()
        self.generation += 1  # what is shown belongs to an older filter from now on
        self._typed = self.set_timer(self.TYPING_PAUSE, lambda: self.count(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._focus_table()

    def _focus_table(self) -> None:
        active = self.query_one(TabbedContent).active
        if active != "weekly":
            self.query_one(f"#{active}-list").focus()

    def action_edit_filter(self) -> None:
        self.query_one("#stats-filter", Input).focus()

    def action_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        self._focus_table()

    def action_cycle_layer(self) -> None:
        """Count the next layer of the library (then every layer, then the first again)."""
        layer, present, _ = self.scope
        if len(present) < 2:
            self.notify("This library has one annotator layer.", timeout=3)
            return
        order = [*present, ALL]
        self.asked_layer = order[(order.index(layer) + 1) % len(order)] if layer in order else order[0]
        self.count(self.query_one("#stats-filter", Input).value)

    def action_back(self) -> None:
        if self.query_one("#stats-filter", Input).has_focus:
            self._focus_table()
            return
        self.app.pop_screen()

    def on_stats_list_opened(self, event: StatsList.Opened) -> None:
        """List the quotes the row counts, over the stories the filter selects now."""
        from tui.screens.counted import CountedScreen

        if self.chosen is None:
            return
        row, by = event.row, event.stats_list.by
        ids = StatsIndex.of(desk(self).store).members(
            by, row.key, kind="quote", stories=self.chosen.stories, annotators=self.scope[2]
        )
        self.app.push_screen(CountedScreen(f"Quotes · {row.label}", ids))

    def on_pair_list_opened(self, event: PairList.Opened) -> None:
        """List the two speakers' quotes in the stories quoting both."""
        from tui.screens.counted import CountedScreen

        pair = event.pair
        ids = StatsIndex.of(desk(self).store).pair_quotes(pair, self.scope[2])
        self.app.push_screen(CountedScreen(f"Quotes · {pair.labels[0]} with {pair.labels[1]}", ids))
