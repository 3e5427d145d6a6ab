"""UsageList: the annotations that link to one actor, across the library: story, date, role, text, status."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from annotations.model import Annotation
from stories.model import StoryMeta
from tui.story_text import display_date
from tui.widgets.row_list import Column, RowList, navigation_bindings

__all__ = ["ROLES", "Usage", "UsageList"]

#: What each link field makes of an annotation, as the list shows it.
ROLES = {"speaker": "quote", "claimant": "claim", "actor": "mention"}


@dataclass(frozen=True)
class Usage:
    """An annotation linking to the actor through `field`, in the story `meta` describes."""

    field: str
    annotation: Annotation
    meta: StoryMeta


class UsageList(RowList):
    """A row per linking annotation; Enter opens its story with the cursor on it."""

    BINDINGS = [
        Binding("enter", "open", "Go to", id="actor.open", tooltip="Open the story at this annotation"),
        *navigation_bindings("actor", "annotation"),
    ]

    DIM_COLUMNS = frozenset({0})

    @dataclass
    class Opened(Message):
        """The user chose an annotation to go to."""

        annotation: Annotation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Usage] = []

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> tuple[Usage, ...]:
        """The rows, in the order shown."""
        return tuple(self._rows)

    @property
    def highlighted(self) -> Usage | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_usages(self, usages: list[Usage]) -> None:
        """Show these rows in this order; the cursor stays on the highlighted annotation if it is still here."""
        current = self.highlighted
        self._rows = usages
        index = next(
            (
                i
                for i, u in enumerate(usages)
                if current and (u.annotation.id, u.field) == (current.annotation.id, current.field)
            ),
            0,
        )
        self.rows_changed(index)

    def open_row(self, index: int) -> None:
        self.post_message(self.Opened(self._rows[index].annotation))

    def columns(self) -> list[Column]:
        return [Column(11), Column(share=2), Column(7), Column(share=3), Column(11)]

    def header(self) -> list[str]:
        return ["Date", "Story", "Role", "Text", "Form/status"]

    def cells(self, index: int) -> list[str]:
        usage = self._rows[index]
        ann = usage.annotation
        detail = ann.status if usage.field == "claimant" else ann.form if usage.field == "speaker" else ""
        return [display_date(usage.meta), usage.meta.headline, ROLES[usage.field], f"“{ann.exact}”", detail or ""]
