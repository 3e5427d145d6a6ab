"""WiredeskApp: the library and the reader, on one store."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from annotations.history import History
from annotations.store import Store, StoreError
from tui.commands import WiredeskCommands
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen

__all__ = ["WiredeskApp"]


class WiredeskApp(App[None]):
    """Read wire stories and tag who said what."""

    CSS_PATH = "wiredesk.tcss"
    TITLE = "wiredesk"
    COMMANDS = App.COMMANDS | {WiredeskCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Show every key"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1", tooltip="Show every key"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit", tooltip="Quit wiredesk"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            id="app.command_palette",
            tooltip="Command palette: open a story by headline, run an action",
        ),
    ]

    def __init__(self, store: Store, *, annotator: str = "", open_story: str | None = None, demo: bool = False) -> None:
        super().__init__()
        self.store = store
        self.annotator = annotator
        self.demo = demo
        self._open_at_start = open_story
        self._histories: dict[str, History] = {}

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen())
        if self._open_at_start:
            self.open_story(self._open_at_start)

    def history(self, story_id: str) -> History:
        """The undo history of one story, for this session."""
        if story_id not in self._histories:
            self._histories[story_id] = History(self.store)
        return self._histories[story_id]

    def open_story(self, story_id: str) -> None:
        """Show the reader on a story."""
        try:
            story = self.store.story(story_id)
        except StoreError as exc:
            self.notify(str(exc), title="Cannot open story", severity="error")
            return
        while isinstance(self.screen, ReaderScreen | HelpScreen):
            self.pop_screen()
        self.push_screen(ReaderScreen(story, self.history(story_id)))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
