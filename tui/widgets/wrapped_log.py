"""WrappedLog: lines of text that wrap at the width shown, and wrap again when it changes.

Textual's RichLog wraps each line once, when it is written, at a width that can be wider than the log's content
area (the characters past it are cut off), and keeps that wrapping when the log is resized. This log keeps the
lines and lays them out for the width it has; only the rows on screen are rendered.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["WrappedLog"]


class WrappedLog(ScrollView):
    """Append lines with `write`; it follows the end unless scrolled up."""

    DEFAULT_CSS = """
    WrappedLog { height: 12; overflow-x: hidden; background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Text] = []
        self._rows: list[list[Segment]] = []
        self._width = 0

    def write(self, text: Text) -> None:
        """Add a line (wrapped as it is shown, never cut)."""
        follow = self.is_vertical_scroll_end or self.max_scroll_y == 0
        self._lines.append(text)
        if self._width:
            self._rows.extend(self._wrap(text, self._width))
            self._update_size()
        if follow:
            self.scroll_end(animate=False, immediate=True)
        self.refresh()

    def clear(self) -> None:
        """Remove every line."""
        self._lines.clear()
        self._rows.clear()
        self._update_size()
        self.refresh()

    @property
    def rows(self) -> list[str]:
        """The text of each row as laid out now (for tests and screen readers)."""
        return ["".join(segment.text for segment in row) for row in self._rows]

    def _wrap(self, text: Text, width: int) -> list[list[Segment]]:
        console = self.app.console
        return [list(line.render(console)) for line in text.wrap(console, width, overflow="fold")]

    def _update_size(self) -> None:
        self.virtual_size = Size(self._width, len(self._rows))

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width > 0 and width != self._width:
            self._width = width
            self._rows = [row for line in self._lines for row in self._wrap(line, width)]
            self._update_size()
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + round(self.scroll_offset.y)
        base = self.rich_style
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, base)
        return Strip(self._rows[index]).apply_style(base).adjust_cell_length(width, base)
