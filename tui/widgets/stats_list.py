"""StatsList: one table of the sourcing dashboard, a row per group (speaker, type, agency) with its quotes, forms
and share as a bar; Enter opens the quotes the row counts."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from annotations.stats import Row
from tui.bars import bar
from tui.widgets.row_list import Column, RowList, navigation_bindings

__all__ = ["BAR_WIDTH", "StatsList"]

#: Cells of a row's share bar.
BAR_WIDTH = 16


class StatsList(RowList):
    """Rows of `annotations.stats.Row`, counted of one kind (quotes): name, count, direct, indirect, bar, share."""

    BINDINGS = [
        Binding("enter", "open", "Quotes", id="dashboard.open", tooltip="List the quotes this row counts"),
        *navigation_bindings("dashboard", "row"),
    ]

    FLEX_MIN = 16

    @dataclass
    class Opened(Message):
        """The user chose a row: the group `by` it is of and the row."""

        stats_list: StatsList
        row: Row

    def __init__(self, by: str, heading: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.by = by
        self.heading = heading
        self._rows: list[Row] = []
        self._most = 0

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(self._rows)

    @property
    def highlighted(self) -> Row | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_rows(self, rows: list[Row]) -> None:
        """Show these rows; the cursor stays on the highlighted group if it is still there."""
        current = self.highlighted
        self._rows = rows
        self._most = max((row.counts["quote"] for row in rows), default=0)
        keys = [row.key for row in rows]
        self.rows_changed(keys.index(current.key) if current is not None and current.key in keys else 0)

    def open_row(self, index: int) -> None:
        self.post_message(self.Opened(self, self._rows[index]))

    def columns(self) -> list[Column]:
        """Name, quotes, direct, indirect, bar, share; on a narrow screen the forms go first, then the bar."""
        return [
            Column(share=1),
            Column(6, right=True),
            Column(6, right=True, drop=1),
            Column(8, right=True, drop=1),
            Column(BAR_WIDTH, drop=2),
            Column(6, right=True),
        ]

    def header(self) -> list[str]:
        return [self.heading, "Quotes", "Direct", "Indir.", "Share of voice", "%"]

    def cells(self, index: int) -> list[str]:
        row = self._rows[index]
        quotes = row.counts["quote"]
        return [
            row.label,
            f"{quotes:,}",
            f"{row.forms['direct']:,}",
            f"{row.forms['indirect']:,}",
            bar(quotes, self._most, BAR_WIDTH),
            f"{100 * row.share:.1f}",
        ]
