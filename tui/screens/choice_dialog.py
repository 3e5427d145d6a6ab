"""ChoiceDialog: pick one of a few values (an actor's type); the current one is highlighted."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

__all__ = ["ChoiceDialog"]


class ChoiceDialog(ModalScreen[str | None]):
    """Dismisses with the chosen value (Enter or a click), or None on Escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choice_dialog.cancel", tooltip="Close without changing anything")
    ]

    DEFAULT_CSS = """
    ChoiceDialog {
        align: center middle;
        & > Vertical {
            width: 44; max-width: 100%; height: auto;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & #choice-title { text-style: bold; padding-bottom: 1; }
        & OptionList { height: auto; border: none; padding: 0; }
        & #choice-help { color: $text-muted; padding-top: 1; }
    }
    """

    def __init__(
        self, title: str, values: tuple[str, ...] | list[str], current: str | None = None, *, mark: bool = True
    ) -> None:
        """`current` is highlighted, and marked "(now)" if `mark` (not for a new entry's first choice)."""
        super().__init__()
        self._title, self._values, self._current, self._mark = title, list(values), current, mark

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, id="choice-title", markup=False)
            options = [Option(f"{v}  (now)" if v == self._current and self._mark else v, id=v) for v in self._values]
            yield OptionList(*options, id="choice-options", markup=False)
            yield Label("↑/↓ move · Enter picks · Esc cancels", id="choice-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self._values.index(self._current) if self._current in self._values else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
