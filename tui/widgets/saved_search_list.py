"""SavedSearchList: the config's saved searches at the top of the library, each with how many stories it finds."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from annotations.config import SavedSearch
from tui.widgets.row_list import Column, RowList, navigation_bindings

__all__ = ["SavedSearchList"]

_NAME, _COUNT = 18, 9


class SavedSearchList(RowList):
    """A row per saved search (name, query, count); Enter puts its query in the library's search box."""

    BINDINGS = [
        Binding("enter", "open", "Search", id="searches.open", tooltip="Put the saved search's query in the box"),
        *navigation_bindings("searches", "saved search"),
    ]

    DIM_COLUMNS = frozenset({1})
    FLEX_MIN = 20

    @dataclass
    class Chosen(Message):
        """The user chose a saved search."""

        search: SavedSearch

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._searches: list[SavedSearch] = []
        self._counts: dict[str, int] = {}

    @property
    def row_count(self) -> int:
        return len(self._searches)

    @property
    def searches(self) -> list[SavedSearch]:
        return list(self._searches)

    def set_searches(self, searches: list[SavedSearch]) -> None:
        """Show these searches, their counts "…" until `set_count` gives them."""
        self._searches, self._counts = list(searches), {}
        self.styles.height = len(searches) + 2 if searches else 0  # the header, the rows, a rule under them
        self.display = bool(searches)
        self.rows_changed(min(self.cursor, max(len(searches) - 1, 0)))

    def set_count(self, name: str, count: int | None) -> None:
        """How many stories a search finds (None: not known yet)."""
        if count is None:
            self._counts.pop(name, None)
        else:
            self._counts[name] = count
        self.refresh()

    def count_text(self, name: str) -> str:
        """A search's count as shown ("…" while it is counted)."""
        return f"{self._counts[name]:,}" if name in self._counts else "…"

    def columns(self) -> list[Column]:
        return [Column(_NAME), Column(), Column(_COUNT, right=True)]

    def header(self) -> list[str]:
        return ["Saved search", "Query", "Stories"]

    def cells(self, index: int) -> list[str]:
        search = self._searches[index]
        return [f"★ {search.name}", search.query, self.count_text(search.name)]

    def open_row(self, index: int) -> None:
        self.post_message(self.Chosen(self._searches[index]))
