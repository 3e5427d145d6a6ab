"""ConfirmDialog: ask before something hard to see undone (deleting a registry entry); says what it affects."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

__all__ = ["ConfirmDialog"]


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with True on `y` (or the confirm button), False on `n`, Escape or the cancel button."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Do it"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Keep everything as it is"),
    ]

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        & > Vertical {
            width: 72; max-width: 100%; height: auto;
            border: thick $error; background: $surface; padding: 0 1;
        }
        & #confirm-title { text-style: bold; padding-bottom: 1; }
        & Horizontal { height: auto; padding-top: 1; align-horizontal: right; }
        & Button { margin-left: 2; }
    }
    """

    def __init__(self, title: str, message: str, *, confirm: str = "Delete") -> None:
        super().__init__()
        self._title, self._message, self._confirm = title, message, confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, id="confirm-title", markup=False)
            yield Static(self._message, id="confirm-message", markup=False)
            with Horizontal():
                yield Button("Cancel (n)", id="confirm-cancel")
                yield Button(f"{self._confirm} (y)", variant="error", id="confirm-ok")

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()  # Enter alone never deletes

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-ok")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
