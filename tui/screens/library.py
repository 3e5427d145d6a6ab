"""LibraryScreen: every story in the library; `/` filters, Enter opens."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from tui.screens.import_dialog import ImportDialog
from tui.widgets.story_list import StoryList
from tui.widgets.welcome import Welcome

__all__ = ["LibraryScreen"]


class LibraryScreen(Screen):
    """The story list, with a filter box that appears on `/`."""

    AUTO_FOCUS = "#stories"

    BINDINGS = [
        Binding("i", "import", "Import", id="library.import", tooltip="Import files, folders or a feed URL"),
        Binding("/", "filter", "Filter", id="library.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="library.clear_filter"),
    ]

    DEFAULT_CSS = """
    LibraryScreen {
        & > #filter { dock: top; display: none; border: tall $accent; height: 3; }
        & > #filter.-open { display: block; }
        & > StoryList { height: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: words from headline, agency, author, section or id", id="filter")
        yield StoryList(id="stories")
        yield Welcome(self.app.store.data_dir, id="welcome")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Shown (the first time too): show the library as it is now."""
        self.reload()

    def reload(self) -> None:
        """Show the library as it is now (counts change as the reader tags)."""
        store = self.app.store
        entries = store.entries()
        stories = self.query_one(StoryList)
        counts = {e.id: store.counts(e.id) for e in entries} if store.annotations_loaded else None
        stories.set_entries(entries, counts)
        empty = not entries
        stories.display = not empty
        self.query_one(Welcome).display = empty
        self._update_title()
        if not empty and not self.query_one("#filter", Input).has_class("-open"):
            stories.focus()

    def _update_title(self) -> None:
        stories = self.query_one(StoryList)
        total, shown = stories.total, stories.shown
        label = "demo library" if self.app.demo else "library"
        if self.app.read_only:
            label += " (read-only)"
        noun = "story" if total == 1 else "stories"
        count = f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}"
        self.sub_title = f"{label} · {count}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.query_one("#filter", Input).has_class("-open")
        if action == "filter":
            return len(self.app.store) > 0
        return True

    def action_import(self) -> None:
        if self.app.read_only:
            self.notify(self.app.read_only, title="Read-only: cannot import", severity="error")
            return
        self.app.push_screen(ImportDialog(), self._imported)

    def _imported(self, new: list[str] | None) -> None:
        self.reload()
        if new:
            self.query_one(StoryList).highlight(new[-1])

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
        self.query_one(StoryList).filter(event.value)
        self._update_title()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(StoryList).focus()

    def on_key(self, event) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus and event.key == "down":
            event.stop()
            self.query_one(StoryList).focus()

    def on_story_list_opened(self, event: StoryList.Opened) -> None:
        self.app.open_story(event.story_id)
