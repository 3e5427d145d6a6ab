"""StoryList: the library's stories, one row each (id, date, agency, headline, tag counts).

A Line API widget: only the rows on screen are rendered, so 10,000 stories cost no more than 30 at start.
Line 0 is the column header and stays put while the rows scroll under it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.model import KINDS
from annotations.store import StoryEntry
from tui.story_text import display_date

__all__ = ["StoryList"]

_ID, _DATE, _AGENCY, _COUNT, _GAP = 8, 11, 16, 3, 2


class StoryList(ScrollView, can_focus=True):
    """A row per story; Enter (or a click on the highlighted row) opens it. `filter()` narrows by words."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="library.open", tooltip="Read the highlighted story"),
        Binding("down,j", "move(1)", "Next story", show=False, id="library.down"),
        Binding("up,k", "move(-1)", "Previous story", show=False, id="library.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="library.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="library.page_up"),
        Binding("home,g", "jump(0)", "First story", show=False, id="library.first"),
        Binding("end,G", "jump(-1)", "Last story", show=False, id="library.last"),
    ]

    COMPONENT_CLASSES = {"story-list--header", "story-list--cursor", "story-list--dim", "story-list--odd"}

    DEFAULT_CSS = """
    StoryList {
        background: $surface;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        & > .story-list--header { text-style: bold; background: $panel; }
        & > .story-list--cursor { background: $block-cursor-blurred-background; }
        & > .story-list--dim { color: $text-muted; }
        & > .story-list--odd { background: $surface-lighten-1 20%; }
        &:focus > .story-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Opened(Message):
        """The user chose a story to read."""

        story_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[StoryEntry] = []
        self._rows: list[StoryEntry] = []
        self._counts: dict[str, Counter[str]] | None = None
        self._query = ""

    # --- content -----------------------------------------------------------------------------------------

    @property
    def shown(self) -> int:
        """How many stories the filter lets through."""
        return len(self._rows)

    @property
    def total(self) -> int:
        """How many stories there are (the newest version standing for each story)."""
        return len(self._entries)

    @property
    def highlighted(self) -> StoryEntry | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_entries(self, entries: list[StoryEntry], counts: dict[str, Counter[str]] | None) -> None:
        """Show these stories (newest first), keeping the highlighted story where possible.

        `counts` None: the annotations are still being read; the count columns show "…".
        """
        self._entries, self._counts = entries, counts
        self._rebuild()

    def filter(self, query: str) -> None:
        """Keep the stories whose id, headline, agency, authors or section hold every word of `query`."""
        self._query = query
        self._rebuild()

    def _rebuild(self) -> None:
        current = self.highlighted
        words = self._query.lower().split()
        self._rows = [e for e in self._entries if not words or _matches(e, words)]
        ids = {e.id: i for i, e in enumerate(self._rows)} if current else {}
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self.cursor = ids.get(current.id, 0) if current else 0
        self.refresh()

    def highlight(self, story_id: str) -> None:
        """Move the cursor to a story, if it is shown (the newest version stands for its story)."""
        index = next((i for i, e in enumerate(self._rows) if e.id == story_id), None)
        if index is not None:
            self.cursor = index

    def row_text(self, story_id: str) -> str:
        """The plain text of a story's row as shown (for tests and screen readers)."""
        entry = next(e for e in self._rows if e.id == story_id)
        return "".join(seg.text for seg in self._row_segments(entry, 120, Style()))

    # --- moving ------------------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        height = self.scrollable_content_region.height - 1
        if height > 0:
            top = round(self.scroll_offset.y)
            if new < top:
                self.scroll_to(y=new, animate=False, immediate=True)
            elif new >= top + height:
                self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(self.scrollable_content_region.height - 2, 1)

    def action_jump(self, where: int) -> None:
        self.cursor = 0 if where == 0 else len(self._rows) - 1

    def action_open(self) -> None:
        if (entry := self.highlighted) is not None:
            self.post_message(self.Opened(entry.id))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1 + round(self.scroll_offset.y)
        if event.y == 0 or not 0 <= row < len(self._rows):
            return
        if row == self.cursor or event.chain > 1:
            self.cursor = row
            self.action_open()
        else:
            self.cursor = row

    # --- rendering ---------------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)

    def _headline_width(self, width: int) -> int:
        return max(width - (_ID + _DATE + _AGENCY + 3 * _COUNT) - 7 * _GAP - 1, 12)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("story-list--header", partial=True)
            cells = ["ID", "Date", "Agency", "Headline", *(k[0].upper() for k in KINDS)]
            return Strip(self._cells(cells, width, header)).adjust_cell_length(width, header)
        index = y - 1 + round(self.scroll_offset.y)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        style = base
        if index % 2:
            style += self.get_component_rich_style("story-list--odd", partial=True)
        if index == self.cursor:
            style += self.get_component_rich_style("story-list--cursor", partial=True)
        return Strip(self._row_segments(self._rows[index], width, style)).adjust_cell_length(width, style)

    def _row_segments(self, entry: StoryEntry, width: int, style: Style) -> list[Segment]:
        m = entry.meta
        if self._counts is None:
            counts = ["…"] * len(KINDS)
        else:
            c = self._counts.get(entry.id, Counter())
            counts = [str(c[k]) if c[k] else "·" for k in KINDS]
        dim = style + self.get_component_rich_style("story-list--dim", partial=True)
        headline = f"[v{entry.version}] {m.headline}" if entry.versions > 1 else m.headline  # an updated story
        cells = [entry.short_id, display_date(m), m.agency or "", headline, *counts]
        return self._cells(cells, width, style, dim_first=dim)

    def _cells(self, cells: list[str], width: int, style: Style, dim_first: Style | None = None) -> list[Segment]:
        widths = [_ID, _DATE, _AGENCY, self._headline_width(width), *([_COUNT] * len(KINDS))]
        segments = [Segment(" ", style)]
        for i, (cell, cell_width) in enumerate(zip(cells, widths, strict=True)):
            if i > 3:  # counts: right-aligned
                shown = cell.rjust(cell_width)[-cell_width:]
            else:
                text = Text(cell, no_wrap=True)
                text.truncate(cell_width, overflow="ellipsis", pad=True)
                shown = text.plain
            segments.append(Segment(shown, dim_first if (i == 0 and dim_first is not None) else style))
            segments.append(Segment(" " * _GAP, style))
        return segments

    def region_of(self, story_id: str) -> Region | None:
        """Where a story's row is on screen (for tests); None if it is scrolled away or filtered out."""
        index = next((i for i, e in enumerate(self._rows) if e.id == story_id), None)
        if index is None:
            return None
        y = index + 1 - round(self.scroll_offset.y)
        return Region(0, y, self.size.width, 1) if 1 <= y < self.size.height else None


def _matches(entry: StoryEntry, words: list[str]) -> bool:
    m = entry.meta
    hay = " ".join([entry.id, m.headline, m.agency or "", m.section or "", *m.authors]).lower()
    return all(w in hay for w in words)
