"""StoryList: the library's stories, one row each (id, date, agency, headline, tag counts)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message

from annotations.model import KINDS
from annotations.store import StoryEntry
from tui.story_text import list_date
from tui.widgets.row_list import Column, RowList, navigation_bindings

__all__ = ["StoryList"]

_ID, _DATE, _AGENCY, _COUNT = 8, 11, 14, 3


class StoryList(RowList):
    """A row per story; Enter (or a click on the highlighted row) opens it. `filter()` narrows the rows."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="library.open", tooltip="Read the highlighted story"),
        *navigation_bindings("library", "story"),
    ]

    DIM_COLUMNS = frozenset({0})
    FLEX_MIN = 40

    #: What day it is: dates of this year are shown without their year.
    clock: Callable[[], date] = staticmethod(date.today)

    @dataclass
    class Opened(Message):
        """The user chose a story to read."""

        story_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[StoryEntry] = []
        self._rows: list[StoryEntry] = []
        self._counts: dict[str, Counter[str]] | None = None
        self._words: list[str] = []
        self._allows: Callable[[str], bool] | None = None
        self._today = self.clock()

    # --- content -----------------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def shown(self) -> int:
        """How many stories the filter lets through."""
        return len(self._rows)

    @property
    def shown_entries(self) -> list[StoryEntry]:
        """The stories the filter lets through, as listed."""
        return list(self._rows)

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
        self._today = self.clock()
        self._rebuild()

    def filter(self, words: str, allows: Callable[[str], bool] | None = None) -> None:
        """Keep the stories whose id, headline, agency, authors or section hold every one of `words`, and whose
        id `allows` accepts (when given)."""
        self._words, self._allows = words.lower().split(), allows
        self._rebuild()

    def _rebuild(self) -> None:
        current = self.highlighted
        words, allows = self._words, self._allows
        self._rows = [
            e for e in self._entries if (allows is None or allows(e.id)) and (not words or _matches(e, words))
        ]
        ids = {e.id: i for i, e in enumerate(self._rows)} if current else {}
        self.rows_changed(ids.get(current.id, 0) if current else 0)

    def highlight(self, story_id: str) -> None:
        """Move the cursor to a story, if it is shown (the newest version stands for its story)."""
        index = next((i for i, e in enumerate(self._rows) if e.id == story_id), None)
        if index is not None:
            self.cursor = index

    def row_text(self, story_id: str) -> str:
        """The plain text of a story's row as shown (for tests and screen readers)."""
        return self.line_text(next(i for i, e in enumerate(self._rows) if e.id == story_id))

    def region_of(self, story_id: str) -> Region | None:
        """Where a story's row is on screen (for tests); None if it is scrolled away or filtered out."""
        index = next((i for i, e in enumerate(self._rows) if e.id == story_id), None)
        return None if index is None else self.region_of_row(index)

    def open_row(self, index: int) -> None:
        self.post_message(self.Opened(self._rows[index].id))

    # --- columns -----------------------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        """Id, date, agency, headline, counts; on a narrow screen the agency goes first, then the id, then the
        date, so that the headline keeps FLEX_MIN cells (two stories differing late in the headline stay apart)."""
        counts = [Column(_COUNT, right=True)] * len(KINDS)
        return [Column(_ID, drop=2), Column(_DATE, drop=3), Column(_AGENCY, drop=1), Column(), *counts]

    def header(self) -> list[str]:
        return ["ID", "Date", "Agency", "Headline", *(k[0].upper() for k in KINDS)]

    def cells(self, index: int) -> list[str]:
        entry = self._rows[index]
        m = entry.meta
        if self._counts is None:
            counts = ["…"] * len(KINDS)
        else:
            c = self._counts.get(entry.id, Counter())
            counts = [str(c[k]) if c[k] else "·" for k in KINDS]
        headline = f"[v{entry.version}] {m.headline}" if entry.versions > 1 else m.headline  # an updated story
        return [entry.short_id, list_date(m, entry.added, self._today), m.agency or "", headline, *counts]


def _matches(entry: StoryEntry, words: list[str]) -> bool:
    m = entry.meta
    hay = " ".join([entry.id, m.headline, m.agency or "", m.section or "", *m.authors]).lower()
    return all(w in hay for w in words)
