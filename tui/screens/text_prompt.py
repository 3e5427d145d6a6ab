"""TextPrompt: ask for one line of text (a new name, aliases, an external id); Enter keeps, Escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

__all__ = ["TextPrompt"]


class TextPrompt(ModalScreen[str | None]):
    """Dismisses with the text typed (spaces folded), or None on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without changing anything")]

    DEFAULT_CSS = """
    TextPrompt {
        align: center middle;
        & > Vertical {
            width: 72; max-width: 100%; height: auto;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & #prompt-title { text-style: bold; padding-bottom: 1; }
        & #prompt-help { color: $text-muted; padding-top: 1; }
    }
    """

    def __init__(self, title: str, value: str = "", *, help: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title, self._value, self._help, self._placeholder = title, value, help, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, id="prompt-title", markup=False)
            yield Input(self._value, placeholder=self._placeholder, id="prompt-input", select_on_focus=False)
            yield Static(self._help or "Enter keeps · Escape cancels", id="prompt-help", markup=False)

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        box.cursor_position = len(box.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(" ".join(event.value.split()))

    def action_cancel(self) -> None:
        self.dismiss(None)
