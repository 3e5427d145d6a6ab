"""DisagreementList: the annotators' disagreements, one a row (story, kind, what differs, the span, who said what);
Enter opens the reader at the span. Drawn with the Line API: tens of thousands of rows cost no more than a screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from annotations.agreement.report import Disagreement
from tui.agreement_table import DISAGREEMENT_COLUMNS, disagreement_cells
from tui.widgets.row_list import Column, RowList, navigation_bindings

__all__ = ["DisagreementList"]


class DisagreementList(RowList):
    """A row per disagreement, in the order of the measure (story, then text); Enter opens it."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="agreement.open", tooltip="Open the reader at this disagreement's span"),
        *navigation_bindings("agreement", "disagreement"),
    ]

    DIM_COLUMNS = frozenset({0})

    @dataclass
    class Opened(Message):
        """The user chose a disagreement to look at."""

        disagreement: Disagreement

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Disagreement] = []

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def highlighted(self) -> Disagreement | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_disagreements(self, rows: list[Disagreement]) -> None:
        """Show these rows, the cursor on the first."""
        self._rows = rows
        self.rows_changed(0)

    def open_row(self, index: int) -> None:
        self.post_message(self.Opened(self._rows[index]))

    def columns(self) -> list[Column]:
        return [Column(share=2, drop=2), Column(6), Column(11), Column(share=2, drop=1), Column(share=5)]

    def header(self) -> list[str]:
        return list(DISAGREEMENT_COLUMNS)

    def cells(self, index: int) -> list[str]:
        return list(disagreement_cells(self._rows[index]))
