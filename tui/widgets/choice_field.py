"""ChoiceField: one value out of a few, shown in a row and changed with the arrow keys or a first letter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

__all__ = ["ChoiceField"]

#: How an unset value (None) is shown.
UNSET = "–"


class ChoiceField(Widget, can_focus=True):
    """`–  direct  indirect  partial` with the chosen value marked; ←/→ (or space) change it, and a letter
    jumps to the next value starting with it. Enter is left to the form (it saves)."""

    BINDINGS = [
        Binding("left", "step(-1)", "Previous", show=False, id="choice.previous", tooltip="Previous value"),
        Binding("right,space", "step(1)", "Next", show=False, id="choice.next", tooltip="Next value"),
    ]

    COMPONENT_CLASSES = {"choice-field--chosen"}

    DEFAULT_CSS = """
    ChoiceField {
        height: 1; width: 1fr; color: $text-muted;
        & > .choice-field--chosen { color: $text; text-style: bold reverse; }
        &:focus { background: $accent 25%; color: $text; }
        &:focus > .choice-field--chosen { background: $accent; text-style: bold; }
        &:disabled { opacity: 50%; }
    }
    """

    @dataclass
    class Changed(Message):
        """The value changed."""

        field: ChoiceField
        value: str | None

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(
        self, values: Sequence[str | None], value: str | None = None, *, id: str | None = None, disabled: bool = False
    ) -> None:
        """`values` may include None, shown as an en dash (not set)."""
        super().__init__(id=id, disabled=disabled)
        self.values = list(values)
        self._index = self.values.index(value) if value in self.values else 0

    @property
    def value(self) -> str | None:
        return self.values[self._index]

    @value.setter
    def value(self, value: str | None) -> None:
        """Set the value without posting Changed (for the form's own updates)."""
        self._index = self.values.index(value)
        self.refresh()

    def render(self) -> Text:
        chosen = self.get_component_rich_style("choice-field--chosen", partial=True)
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, value in enumerate(self.values):
            out.append(f" {UNSET if value is None else value} ", style=chosen if i == self._index else "")
        return out

    def _choose(self, index: int) -> None:
        if index != self._index:
            self._index = index
            self.refresh()
            self.post_message(self.Changed(self, self.value))

    def action_step(self, step: int) -> None:
        self._choose((self._index + step) % len(self.values))

    def on_key(self, event: events.Key) -> None:
        """A letter: the next value that starts with it (again: the one after, e.g. person, place)."""
        char = (event.character or "").lower()
        if not event.is_printable or not char.isalpha():
            return
        count = len(self.values)
        for step in range(1, count + 1):
            index = (self._index + step) % count
            value = self.values[index]
            if value is not None and value.lower().startswith(char):
                event.stop()
                self._choose(index)
                return
