"""Reviewing: the reader's keys for carried annotations that wait for review (a base of ReaderScreen, between
Finding and Suggesting): go to the next or previous one (its proposed place is selected), place it on the
selection (which accepts the proposed place when left as it is), or drop it. Each is one undoable step.

What waits and what each key stores is `annotations.review`'s; this module only asks it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.binding import Binding

from annotations.model import AnnotationError, quoted
from annotations.review import ReviewItem, drop, place_on, waiting
from annotations.store import StoreError
from tui.desk import desk
from tui.screens.suggesting import Suggesting

__all__ = ["REVIEW_BINDINGS", "Reviewing"]

T = TypeVar("T")

#: The reader's review keys (ReaderScreen declares them, so they are listed with its own).
REVIEW_BINDINGS = [
    Binding(
        "R",
        "next_review",
        "Review",
        show=False,
        id="reader.next_review",
        tooltip="Go to the next carried annotation to review (changed, or not placed): its place is selected",
    ),
    Binding(
        "alt+r",
        "previous_review",
        "Previous to review",
        show=False,
        id="reader.previous_review",
        tooltip="Go to the previous carried annotation to review",
    ),
    Binding(
        "P",
        "place_review",
        "Place",
        show=False,
        id="reader.place_review",
        tooltip="Put the annotation being reviewed on the selection (as selected by R: accept its proposed place)",
    ),
    Binding(
        "D",
        "drop_review",
        "Drop",
        show=False,
        id="reader.drop_review",
        tooltip="Drop the annotation being reviewed (a changed span is deleted; one not placed is forgotten)",
    ),
]


class Reviewing(Suggesting):
    """The carried annotations of the story waiting for review, walked one at a time."""

    def __init__(self) -> None:
        super().__init__()
        self._reviewing: ReviewItem | None = None  # the item the last review jump went to

    def review_items(self) -> list[ReviewItem]:
        """What waits for review in this story, in text order."""
        return waiting(desk(self).store, self.story.id)

    def _jump_review(self, forward: bool) -> None:
        items = self.review_items()
        if not items:
            self._reviewing = None
            self.notify("Nothing waits for review in this story.", severity="information")
            return
        ids = [i.id for i in items]
        at = ids.index(self._reviewing.id) if self._reviewing is not None and self._reviewing.id in ids else -1
        item = items[(at + (1 if forward else -1)) % len(items)] if at >= 0 else items[0 if forward else -1]
        self._reviewing = item
        view = self.view
        if item.start is not None and item.end is not None:
            view.select(item.start, item.end)  # centred on it
        else:
            view.clear_selection()
        self._say_review(item, items.index(item) + 1, len(items))

    def _say_review(self, item: ReviewItem, number: int, total: int) -> None:
        key = self._key
        place, drop_ = key("reader.place_review"), key("reader.drop_review")
        if item.state == "changed":
            hint = f"{place} keep it here, select other text + {place} to move it, {drop_} drop"
        elif item.start is not None:
            hint = f"{place} place it on the selection (its best candidate), {drop_} drop"
        else:
            hint = f"no candidate place: select its text + {place}, or {drop_} drop"
        self.app.clear_notifications()  # the item before: settled or passed
        self.notify(f"{item.describe()}\n{hint}", title=f"To review {number}/{total}", markup=False, timeout=8)

    def action_next_review(self) -> None:
        self._jump_review(forward=True)

    def action_previous_review(self) -> None:
        self._jump_review(forward=False)

    def _current_review(self) -> ReviewItem | None:
        item = self._reviewing
        if item is None or item.id not in {i.id for i in self.review_items()}:
            self._reviewing = None
            self.notify(f"Nothing being reviewed: {self._key('reader.next_review')} goes to the next one.",
                        severity="warning")  # fmt: skip
            return None
        return item

    def action_place_review(self) -> None:
        """Put the item on the selection (the proposed place, as the review jump selected it, or other text)."""
        if not self._writable() or (item := self._current_review()) is None:
            return
        selection = self.view.selection
        if selection is None:
            self.notify("Select the text to put it on first.", severity="warning")
            return
        before = desk(self).store.annotation(item.id) if item.state == "changed" else None
        made = self._settle(lambda: place_on(self.history, item, *selection, score=self._score_of(item, selection)))
        if made is None:
            return
        self.view.move_to(made.start)
        self._reload_annotations(current=made.id, changed=[(before, None), (None, made)])
        self.notify(quoted(made.exact), title=f"Placed {made.kind}", markup=False)
        self._after_review()

    def _settle(self, step: Callable[[], T]) -> T | None:
        """Run a review step (one undoable save); None if it was refused (said in a notification)."""
        try:
            done = step()
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return None
        self._reviewing = None
        self.app.clear_notifications()  # the item's toast: settled
        self.view.clear_selection()
        return done

    @staticmethod
    def _score_of(item: ReviewItem, selection: tuple[int, int]) -> float:
        """The confidence of a place the analyst chose: a candidate's score if it is one, else certain."""
        return next((score for s, e, score in item.candidates if (s, e) == selection), 1.0)

    def action_drop_review(self) -> None:
        if not self._writable() or (item := self._current_review()) is None:
            return
        gone = desk(self).store.annotation(item.id) if item.state == "changed" else None
        if self._settle(lambda: drop(self.history, item)) is None:
            return
        self._reload_annotations(changed=[(gone, None)])
        self.notify(quoted(item.was), title=f"Dropped {item.kind}", markup=False)
        self._after_review()

    def _after_review(self) -> None:
        """Say what is left to review (the version bar shows the count)."""
        left = len(self.review_items())
        self.refresh_version_bar()
        if left:
            self.notify(f"{left} left to review: {self._key('reader.next_review')} goes to the next.")

    def refresh_version_bar(self) -> None:
        """Show the version bar's figures anew (ReaderScreen has one when the story has several versions)."""
