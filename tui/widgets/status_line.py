"""StatusLine: one line of state under the text (mode, what is under the cursor, where we are)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

__all__ = ["StatusLine"]


class StatusLine(Widget):
    """Shows a Rich Text; updating it repaints the line without a new layout (it changes on every key)."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def show(self, text: Text) -> None:
        """Replace the line."""
        if text != self._text:
            self._text = text
            self.refresh()

    @property
    def text(self) -> Text:
        return self._text

    def render(self) -> Text:
        return self._text
