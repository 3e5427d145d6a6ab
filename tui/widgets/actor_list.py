"""ActorList: the actor registry, one row per entry, with how often the library links to it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from annotations.actors import Actor
from tui.widgets.row_list import Column, RowList, navigation_bindings

__all__ = ["ROLE_COLUMNS", "ActorList"]

#: The count columns: link field and header.
ROLE_COLUMNS = (("speaker", "Quotes"), ("claimant", "Claims"), ("actor", "Mentions"))


class ActorList(RowList):
    """A row per registry entry: name, aliases, type, quotes, claims, mentions and stories; Enter opens it."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="actors.open", tooltip="Show the actor's quotes, claims and mentions"),
        *navigation_bindings("actors", "actor"),
    ]

    DIM_COLUMNS = frozenset({1})
    FLEX_MIN = 30

    @dataclass
    class Opened(Message):
        """The user chose an actor to look into."""

        actor_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Actor] = []
        self._counts: dict[str, Counter[str]] = {}
        self._stories: dict[str, int] = {}

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def highlighted(self) -> Actor | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_actors(self, actors: list[Actor], counts: dict[str, Counter[str]], stories: dict[str, int]) -> None:
        """Show these entries in this order, with their link counts by field and their story counts; the cursor
        stays on the highlighted entry if it is still shown, else on the same row."""
        current = self.highlighted
        self._rows, self._counts, self._stories = actors, counts, stories
        index = next((i for i, a in enumerate(actors) if current and a.id == current.id), self.cursor)
        self.rows_changed(index)

    def highlight(self, actor_id: str) -> None:
        """Move the cursor to an entry, if it is shown."""
        index = next((i for i, a in enumerate(self._rows) if a.id == actor_id), None)
        if index is not None:
            self.cursor = index

    def row_text(self, actor_id: str) -> str:
        """The plain text of an entry's row as shown (for tests)."""
        return self.line_text(next(i for i, a in enumerate(self._rows) if a.id == actor_id))

    def open_row(self, index: int) -> None:
        self.post_message(self.Opened(self._rows[index].id))

    def columns(self) -> list[Column]:
        """Name, aliases, type, the counts and stories; on a narrow screen the aliases go first, then the stories
        count, then the type, so that the name keeps FLEX_MIN cells."""
        counts = [Column(len(h), right=True) for _, h in ROLE_COLUMNS]
        return [Column(share=3), Column(share=2, drop=1), Column(12, drop=3), *counts, Column(7, right=True, drop=2)]

    def header(self) -> list[str]:
        return ["Name", "Aliases", "Type", *(h for _, h in ROLE_COLUMNS), "Stories"]

    def cells(self, index: int) -> list[str]:
        actor = self._rows[index]
        counts = self._counts.get(actor.id, Counter())
        numbers = [str(counts[name]) if counts[name] else "·" for name, _ in ROLE_COLUMNS]
        stories = self._stories.get(actor.id, 0)
        return [actor.name, ", ".join(actor.aliases), actor.type, *numbers, str(stories) if stories else "·"]
