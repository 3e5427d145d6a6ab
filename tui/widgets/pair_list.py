"""PairList: speakers quoted in the same stories, a row per pair with how many stories quote both; Enter opens
the quotes of the two in those stories."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from annotations.stats import Pair
from tui.bars import bar
from tui.widgets.row_list import Column, RowList, navigation_bindings

__all__ = ["PairList"]


class PairList(RowList):
    """Rows of `annotations.stats.Pair`: the two speakers, the stories quoting both, as a number and a bar."""

    BINDINGS = [
        Binding("enter", "open", "Quotes", id="pairs.open", tooltip="List the two speakers' quotes in those stories"),
        *navigation_bindings("pairs", "pair"),
    ]

    FLEX_MIN = 12

    @dataclass
    class Opened(Message):
        """The user chose a pair."""

        pair: Pair

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Pair] = []
        self._most = 0

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> tuple[Pair, ...]:
        return tuple(self._rows)

    def set_pairs(self, pairs: list[Pair]) -> None:
        self._rows = pairs
        self._most = max((len(p.stories) for p in pairs), default=0)
        self.rows_changed(0)

    def open_row(self, index: int) -> None:
        self.post_message(self.Opened(self._rows[index]))

    def columns(self) -> list[Column]:
        return [Column(share=1), Column(share=1), Column(7, right=True), Column(12, drop=1)]

    def header(self) -> list[str]:
        return ["Speaker", "quoted with", "Stories", ""]

    def cells(self, index: int) -> list[str]:
        pair = self._rows[index]
        count = len(pair.stories)
        return [pair.labels[0], pair.labels[1], f"{count:,}", bar(count, self._most, 12)]
