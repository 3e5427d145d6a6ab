"""AgreementScreen: how far the annotators' layers agree, as `wiredesk agree` shows it (a table per kind, the
stories), and the disagreements one a row (`DisagreementList`): Enter opens the reader at the span.

It measures on a thread (the annotations may still be being read; nltk takes a moment to import; a large library
takes seconds), on a snapshot of the library taken on the app's thread, so that tagging meanwhile changes nothing
under it."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from annotations.agreement import Agreement, Snapshot, measure
from annotations.layers import Layers
from annotations.model import AnnotationError
from annotations.store import StoreError
from stories.text import clean_line
from tui.agreement_table import report
from tui.desk import desk
from tui.widgets.disagreement_list import DisagreementList

__all__ = ["AgreementScreen"]


class AgreementScreen(Screen[None]):
    """The agreement between every annotator layer but `curated`, and the list of their disagreements."""

    AUTO_FOCUS = "#disagreements"
    #: How many stories the per-story table shows at most (the lowest agreement first): a table of thousands of
    #: rows takes seconds to draw.
    STORIES_SHOWN = 40

    BINDINGS = [
        Binding("escape", "back", "Back", id="agreement.back", tooltip="Back to the library"),
        Binding(
            "r",
            "measure",
            "Measure again",
            id="agreement.measure",
            tooltip="Measure the agreement again (after tagging, merging or syncing)",
        ),
    ]

    DEFAULT_CSS = """
    AgreementScreen {
        & > #measures { height: auto; max-height: 60%; }
        & > #disagreements { height: 1fr; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        #: The last measure shown (None until it is).
        self.result: Agreement | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="measures"):
            yield Static("Measuring the agreement…", id="tables")
        yield DisagreementList(id="disagreements")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "agreement"
        self.action_measure()

    def action_measure(self) -> None:
        self._measure(desk(self).layers)

    @work(thread=True, exclusive=True, group="agreement")
    def _measure(self, me: Layers) -> None:
        store = desk(self).store
        try:
            store.load_annotations()  # at once if the app has read them; else waits for its loading thread
            library = self.app.call_from_thread(Snapshot.of, store)
            result = measure(library, me)
        except (AnnotationError, StoreError) as exc:
            self.app.call_from_thread(self._cannot, clean_line(str(exc)))
            return
        self.app.call_from_thread(self._show, result)

    def _cannot(self, why: str) -> None:
        self.result = None
        self.query_one("#tables", Static).update(Text(why))
        self.query_one(DisagreementList).display = False
        self.sub_title = "agreement · nothing to measure"

    def _show(self, result: Agreement) -> None:
        self.result = result
        shown = report(result, disagreements=False, stories=self.STORIES_SHOWN)
        self.query_one("#tables", Static).update(shown)
        rows = self.query_one(DisagreementList)
        rows.set_disagreements(result.disagreements)
        rows.display = bool(result.disagreements)
        count = len(result.disagreements)
        self.sub_title = (
            f"agreement · {len(result.annotators)} annotators · {count} disagreement{'s' if count != 1 else ''}"
            f" · Enter opens one"
        )

    def on_disagreement_list_opened(self, event: DisagreementList.Opened) -> None:
        """Open the reader at the disagreement's span."""
        item = event.disagreement
        desk(self).open_story(item.story_id, at=item.start)

    def action_back(self) -> None:
        self.app.pop_screen()
