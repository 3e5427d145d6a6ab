"""WiredeskApp: the library and the reader, on one store."""

from __future__ import annotations

import asyncio

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

    def __init__(
        self,
        store: Store,
        *,
        annotator: str = "",
        open_story: str | None = None,
        demo: bool = False,
        read_only: str = "",
    ) -> None:
        """`read_only`: why the library cannot be written (another process holds it), or "" if it can."""
        super().__init__()
        self.store = store
        self.annotator = annotator
        self.demo = demo
        self.read_only = read_only or ("the library is open read-only" if store.read_only else "")
        self._open_at_start = open_story
        self._histories: dict[str, History] = {}

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen())
        if self.read_only:
            self.notify(self.read_only, title="Read-only: tags cannot be saved", severity="warning", timeout=12)
        if self._open_at_start:  # `wiredesk open`: the reader is the first frame, so read the annotations now
            try:
                self.store.load_annotations()
            except StoreError as exc:
                self._fail(str(exc))
                return
            self.open_story(self._open_at_start)
        else:
            self.call_after_refresh(self._load_in_background)

    def _load_in_background(self) -> None:
        """Read the annotations after the first frame, off the UI thread; then show the counts."""
        if not self.store.annotations_loaded:
            self.run_worker(self._load_annotations, thread=True, group="load", exit_on_error=False)

    def _load_annotations(self) -> None:
        try:
            self.store.load_annotations()
        except StoreError as exc:
            self.call_from_thread(self._fail, str(exc))
            return
        self.call_from_thread(self._loaded)

    def _loaded(self) -> None:
        if isinstance(self.screen, LibraryScreen):
            self.screen.reload()

    def _fail(self, message: str) -> None:
        self.exit(return_code=1, message=f"wiredesk: {message}")

    def history(self, story_id: str) -> History:
        """The undo history of one story, for this session."""
        if story_id not in self._histories:
            self._histories[story_id] = History(self.store)
        return self._histories[story_id]

    def open_story(self, story_id: str) -> None:
        """Show the reader on a story (once the annotations are read, which may still be under way)."""
        if self.store.annotations_loaded:
            self._show_story(story_id)
        else:
            self.run_worker(self._open_when_loaded(story_id), group="open", exclusive=True)

    async def _open_when_loaded(self, story_id: str) -> None:
        try:
            await asyncio.to_thread(self.store.load_annotations)
        except StoreError as exc:
            self._fail(str(exc))
            return
        self._show_story(story_id)

    def _show_story(self, story_id: str) -> None:
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
