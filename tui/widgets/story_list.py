"""StoryList: the library's stories in a table (id, date, agency, headline, tag counts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from annotations.model import KINDS
from annotations.store import StoryEntry
from tui.story_text import display_date

__all__ = ["StoryList"]

_FIXED = {"id": 8, "date": 11, "agency": 16}


class StoryList(DataTable):
    """A row per story; Enter opens the highlighted one. `filter()` narrows the rows by words."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="library.open"),
        Binding("down,j", "cursor_down", "Next story", show=False, id="library.down"),
        Binding("up,k", "cursor_up", "Previous story", show=False, id="library.up"),
    ]

    @dataclass
    class Opened(Message):
        """The user chose a story to read."""

        story_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cursor_foreground_priority="renderable")
        self._entries: list[StoryEntry] = []
        self._counts: dict[str, Counter[str]] = {}
        self._query = ""
        self._width = 0

    @property
    def shown(self) -> int:
        """How many stories the filter lets through."""
        return self.row_count

    def set_entries(self, entries: list[StoryEntry], counts: dict[str, Counter[str]]) -> None:
        """Show these stories (newest first), keeping the highlighted story where possible."""
        self._entries, self._counts = entries, counts
        self._rebuild()

    def filter(self, query: str) -> None:
        """Keep the stories whose id, headline, agency, authors or section hold every word of `query`."""
        self._query = query
        self._rebuild()

    def _matches(self, entry: StoryEntry, words: list[str]) -> bool:
        m = entry.meta
        hay = " ".join([entry.id, m.headline, m.agency or "", m.section or "", *m.authors]).lower()
        return all(w in hay for w in words)

    def _columns(self) -> None:
        width = self.scrollable_content_region.width or 100
        counts = 3 * (3 + 2)
        headline = max(width - sum(w + 2 for w in _FIXED.values()) - counts - 3, 20)
        self.add_column("ID", width=_FIXED["id"], key="id")
        self.add_column("Date", width=_FIXED["date"], key="date")
        self.add_column("Agency", width=_FIXED["agency"], key="agency")
        self.add_column("Headline", width=headline, key="headline")
        for kind in KINDS:
            self.add_column(Text(kind[0].upper(), justify="right"), width=3, key=kind)
        self._width = width

    def _rebuild(self) -> None:
        current = None
        if self.row_count and self.cursor_row >= 0:
            current = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        self.clear(columns=True)
        self._columns()
        words = self._query.lower().split()
        for entry in self._entries:
            if words and not self._matches(entry, words):
                continue
            c = self._counts.get(entry.id, Counter())
            m = entry.meta
            self.add_row(
                Text(entry.short_id, style="dim"),
                Text(display_date(m), no_wrap=True),
                Text(m.agency or "", no_wrap=True, overflow="ellipsis"),
                Text(m.headline, no_wrap=True, overflow="ellipsis"),
                *(Text(str(c[k]) if c[k] else "·", justify="right") for k in KINDS),
                key=entry.id,
            )
        if current is not None:
            try:
                self.move_cursor(row=self.get_row_index(current), animate=False)
            except Exception:  # the story is filtered out
                self.move_cursor(row=0, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._rebuild()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(event.row_key.value))
