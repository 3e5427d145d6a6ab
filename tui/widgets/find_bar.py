"""FindBar: the incremental find box of the reader."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

__all__ = ["FindBar"]


class FindBar(Horizontal):
    """`Find: [query]  3 of 12`. Typing finds as you go, Enter selects the match, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel find", id="find.cancel", tooltip="Close find, cursor back")]

    DEFAULT_CSS = """
    FindBar {
        height: 1;
        display: none;
        background: $panel;
        &.-open { display: block; }
        & > Label { padding: 0 1; color: $text-muted; }
        & > #find-label { color: $text; text-style: bold; }
        & > Input { border: none; height: 1; width: 1fr; padding: 0; background: $panel; }
        & > Input:focus { border: none; }
    }
    """

    @dataclass
    class Changed(Message):
        """The query changed."""

        query: str

    @dataclass
    class Submitted(Message):
        """Enter was pressed."""

        query: str

    class Cancelled(Message):
        """Escape was pressed."""

    def compose(self) -> ComposeResult:
        yield Label("Find:", id="find-label")
        yield Input(placeholder="type to find; Enter selects the match, Esc cancels", id="find-input")
        yield Label("", id="find-status", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def open(self, query: str = "") -> None:
        """Show the bar, focused, with `query` in it."""
        self.add_class("-open")
        self.input.value = query
        self.input.cursor_position = len(query)
        self.input.focus()

    def close(self) -> None:
        self.remove_class("-open")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def set_status(self, text: str) -> None:
        self.query_one("#find-status", Label).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())
