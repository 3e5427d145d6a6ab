"""Undo and redo of annotation changes. Every step, undo and redo included, is saved at once."""

from __future__ import annotations

from dataclasses import dataclass

from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story

__all__ = ["Change", "History"]


@dataclass(frozen=True)
class Change:
    """One annotation going from `before` to `after` (None: absent)."""

    before: Annotation | None
    after: Annotation | None

    @property
    def subject(self) -> Annotation:
        ann = self.after or self.before
        assert ann is not None
        return ann

    def describe(self) -> str:
        """A short label such as "add quote" or "delete actor"."""
        verb = "add" if self.before is None else "delete" if self.after is None else "edit"
        return f"{verb} {self.subject.kind}"


class History:
    """Applies changes to a store and remembers them for undo/redo (for one session)."""

    def __init__(self, store: Store, limit: int = 1000) -> None:
        self.store = store
        self.limit = limit
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def _set(self, ann_id: str, state: Annotation | None, story: Story | None) -> None:
        if state is None:
            self.store.remove(ann_id)
        else:
            self.store.put(state, story)

    def _record(self, change: Change) -> None:
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()

    def add(self, ann: Annotation, story: Story | None = None) -> Annotation:
        """Store a new annotation."""
        self.store.put(ann, story)
        self._record(Change(None, ann))
        return ann

    def edit(self, ann: Annotation, story: Story | None = None) -> Annotation:
        """Replace an annotation with an edited version of it."""
        before = self.store.annotation(ann.id)
        self.store.put(ann, story)
        self._record(Change(before, ann))
        return ann

    def delete(self, ann_id: str) -> Annotation:
        """Delete an annotation."""
        before = self.store.remove(ann_id)
        self._record(Change(before, None))
        return before

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self, story: Story | None = None) -> Change | None:
        """Revert the last change; None if there is nothing to undo."""
        if not self._undo:
            return None
        change = self._undo[-1]
        self._set(change.subject.id, change.before, story)
        self._redo.append(self._undo.pop())
        return change

    def redo(self, story: Story | None = None) -> Change | None:
        """Re-apply the last undone change; None if there is nothing to redo."""
        if not self._redo:
            return None
        change = self._redo[-1]
        self._set(change.subject.id, change.after, story)
        self._undo.append(self._redo.pop())
        return change
