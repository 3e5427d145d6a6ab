"""LibraryScreen: every story in the library; `/` filters (words and tokens such as `is:untagged`), Enter opens."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from annotations.library_index import LibraryIndex, Selection, parse_filter
from tui.desk import desk
from tui.screens.export_dialog import ExportDialog, Scope, everything_scope, list_scope, story_scope
from tui.screens.import_dialog import ImportDialog
from tui.widgets.story_list import StoryList
from tui.widgets.welcome import Welcome

__all__ = ["FILTER_PLACEHOLDER", "LibraryScreen"]

#: The filter box's hint: every token (the help screen explains each).
FILTER_PLACEHOLDER = "words · is:untagged|tagged · quoting:NAME · actor:NAME · claimant:NAME · claims:STATUS"


class LibraryScreen(Screen):
    """The story list, with a filter box that appears on `/`."""

    AUTO_FOCUS = "#stories"

    BINDINGS = [
        Binding("i", "import", "Import", id="library.import", tooltip="Import files, folders or a feed URL"),
        Binding(
            "/",
            "filter",
            "Filter",
            id="library.filter",
            tooltip="Filter by words and is:untagged, quoting:NAME, actor:NAME, claimant:NAME, claims:STATUS",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="library.export",
            tooltip="Export annotations (JSON, CSV…): the highlighted story, the filtered list or everything",
        ),
        Binding("escape", "clear_filter", "Clear filter", id="library.clear_filter", tooltip="Show every story"),
    ]

    DEFAULT_CSS = """
    LibraryScreen {
        & > #filter { dock: top; display: none; border: tall $accent; height: 3; }
        & > #filter.-open { display: block; }
        & > #filter.-error { border: tall $error; }
        & > StoryList { height: 1fr; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._index: LibraryIndex | None = None  # what the annotations say, for filter tokens; built on demand

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=FILTER_PLACEHOLDER, id="filter")
        yield StoryList(id="stories")
        yield Welcome(desk(self).store.data_dir, id="welcome")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Shown (the first time too): show the library as it is now."""
        self.reload()

    def reload(self) -> None:
        """Show the library as it is now (counts change as the reader tags)."""
        store = desk(self).store
        entries = store.entries()
        stories = self.query_one(StoryList)
        counts = {e.id: store.counts(e.id) for e in entries} if store.annotations_loaded else None
        self._index = None  # built again when a filter token needs it
        stories.set_entries(entries, counts)
        self._apply_filter(self.query_one("#filter", Input).value)
        empty = not entries
        stories.display = not empty
        self.query_one(Welcome).display = empty
        self._update_title()
        if not empty and not self.query_one("#filter", Input).has_class("-open"):
            stories.focus()

    def _update_title(self) -> None:
        stories = self.query_one(StoryList)
        total, shown = stories.total, stories.shown
        label = "demo library" if desk(self).demo else "library"
        if desk(self).read_only:
            label += " (read-only)"
        noun = "story" if total == 1 else "stories"
        count = f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}"
        self.sub_title = f"{label} · {count}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.query_one("#filter", Input).has_class("-open")
        if action in ("filter", "export"):
            return len(desk(self).store) > 0
        return True

    def action_import(self) -> None:
        if desk(self).read_only:
            self.notify(desk(self).read_only, title="Read-only: cannot import", severity="error")
            return
        self.app.push_screen(ImportDialog(), self._imported)

    def _imported(self, new: list[str] | None) -> None:
        self.reload()
        if new:
            self.query_one(StoryList).highlight(new[-1])

    def export_scopes(self) -> list[Scope]:
        """What the library can export: the stories the filter shows (when it hides some), then everything."""
        stories, store = self.query_one(StoryList), desk(self).store
        filtered = [list_scope(store, stories.shown_entries)] if stories.shown < stories.total else []
        return [*filtered, everything_scope(store)]

    def action_export(self) -> None:
        """Export the highlighted story (every version), the filtered list or everything; read-only libraries
        too. The filtered list is chosen first when the filter hides stories, else everything."""
        highlighted = self.query_one(StoryList).highlighted
        listed = self.export_scopes()
        scopes = ([story_scope(desk(self).store, highlighted.id, every_version=True)] if highlighted else []) + listed
        self.app.push_screen(ExportDialog(scopes, scope=listed[0].name))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("-open")
        box.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("-open")
        self.query_one(StoryList).focus()
        self.refresh_bindings()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    def _apply_filter(self, text: str) -> None:
        """Narrow the list to the stories holding every word and satisfying every token of `text`."""
        flt = parse_filter(text)
        box = self.query_one("#filter", Input)
        selection = Selection()
        if flt.terms:
            store = desk(self).store
            if not store.annotations_loaded:
                selection = Selection(only=set(), notes=["reading the annotations…"])
            else:
                if self._index is None:
                    self._index = LibraryIndex(store)
                selection = self._index.select(flt)
        self.query_one(StoryList).filter(" ".join(flt.words), None if not flt.terms else selection.allows)
        box.border_subtitle = " · ".join(selection.errors or selection.notes)
        box.set_class(bool(selection.errors), "-error")
        self._update_title()

    def set_filter(self, text: str) -> None:
        """Show the filter box with `text` in it, and the stories it lets through."""
        box = self.query_one("#filter", Input)
        box.add_class("-open")
        box.value = text
        box.cursor_position = len(text)
        self._apply_filter(text)
        if text.endswith(":"):  # a token waiting for its name
            box.focus()
        else:
            self.query_one(StoryList).focus()
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(StoryList).focus()

    def on_key(self, event) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus and event.key == "down":
            event.stop()
            self.query_one(StoryList).focus()

    def on_story_list_opened(self, event: StoryList.Opened) -> None:
        desk(self).open_story(event.story_id)
