"""FindBar: the incremental find box of the reader; it also holds a library search the story was opened from."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tui.desk import desk

__all__ = ["FindBar", "FindInput"]


class FindInput(Input):
    """The find box. Keys typed after Enter or the cancel key, which reach it before the reader has taken the focus
    back, are the reader's: they go up as `FindBar.Typed` instead of into the box."""

    def on_key(self, event: events.Key) -> None:
        bar = self.parent
        if not isinstance(bar, FindBar):
            return
        if bar.closing:
            event.prevent_default()  # not into the box: Input's own key handler, which runs after this one, is skipped
            event.stop()
            bar.post_message(FindBar.Typed(event.key, event.character))
        elif event.key == "enter" or event.key in desk(self).keymap.keys("find.cancel"):
            bar.closing = True  # the key itself goes on to Input's Enter or the bar's cancel binding


class FindBar(Horizontal):
    """`Find: [query]  3 of 12`. Typing finds as you go, Enter selects the match, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel find", id="find.cancel", tooltip="Close find, cursor back"),
        Binding(
            "tab",
            "toggle_whole_words",
            "Whole words",
            id="find.whole_words",
            tooltip="Find whole words only, or any part of a word",
        ),
    ]

    DEFAULT_CSS = """
    FindBar {
        height: 1;
        display: none;
        background: $panel;
        &.-open { display: block; }
        & > Label { padding: 0 1; color: $text-muted; }
        & > #find-label { color: $text; text-style: bold; }
        & > #find-mode { width: auto; }
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

    @dataclass
    class Typed(Message):
        """A key typed after Enter or Escape that reached the box before it closed: pass it to the reader."""

        key: str
        character: str | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: Enter or the cancel key was pressed: the bar is closing, keys typed from now on are not the query's.
        self.closing = False
        #: Match whole words only (the toggle key); kept for the next find and for `n`/`N`.
        self.whole_words = False
        #: The box holds a library search (the search language's words, phrases and prefixes), not plain text.
        self.search = False

    def compose(self) -> ComposeResult:
        yield Label("Find:", id="find-label")
        yield FindInput(placeholder="a capital: exact case; Enter selects, Esc cancels", id="find-input")
        yield Label("", id="find-status", markup=False)
        yield Label("", id="find-mode", markup=False)

    def on_mount(self) -> None:
        self._show_mode("")

    def _show_mode(self, query: str) -> None:
        """The hint at the right: how the query matches now, and the key that toggles whole words."""
        if self.search:
            self.query_one("#find-mode", Label).update("library search: words, “phrases”, word*")
            return
        case = "exact case" if any(c.isupper() for c in query) else "any case"
        words = "whole words" if self.whole_words else "parts of words"
        key = desk(self).key_for("find.whole_words")
        self.query_one("#find-mode", Label).update(f"{case} · {words} ({key} toggles)")

    def set_search(self, search: bool) -> None:
        """Hold a library search (`Search:`), or plain text to find (`Find:`)."""
        self.search = search
        self.query_one("#find-label", Label).update("Search:" if search else "Find:")
        self._show_mode(self.input.value)

    def fill(self, query: str) -> None:
        """Put `query` in the box without opening it (the next find starts from it)."""
        self.input.value = query
        self.input.cursor_position = len(query)

    def action_toggle_whole_words(self) -> None:
        if self.search:
            return  # a search matches as the library does: words, phrases, prefixes
        self.whole_words = not self.whole_words
        self._show_mode(self.input.value)
        self.post_message(self.Changed(self.input.value))

    @property
    def input(self) -> Input:
        return self.query_one(FindInput)

    def open(self, query: str = "") -> None:
        """Show the bar, focused, with `query` in it."""
        self.closing = False
        self.add_class("-open")
        self.input.value = query
        self.input.cursor_position = len(query)
        self.screen.set_focus(self.input)  # at once, not after the keys already queued: they are the query

    def close(self) -> None:
        self.remove_class("-open")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def set_status(self, text: str) -> None:
        self.query_one("#find-status", Label).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_mode(event.value)
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())
