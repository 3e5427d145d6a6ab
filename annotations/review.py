"""The review queue of carried annotations: the spans carried with a changed text and the orphans that could not
be placed (see `annotations.carrying`). Each can be accepted (a changed span as it was carried, an orphan at its
best candidate place), placed on a span the analyst chooses, or dropped; each is one undoable step. A claim placed
takes its earlier version's place in its claim thread, as a carried one does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from annotations.anchor import snap
from annotations.carrying import threads_follow
from annotations.history import DuplicateAnnotation, History, existing_annotation
from annotations.model import CONTEXT, Annotation, AnnotationError, Carried, now_iso, quoted
from annotations.store import Store
from annotations.store.orphans import Orphan

__all__ = ["ReviewItem", "accept", "drop", "place_on", "review_item", "waiting"]


@dataclass(frozen=True)
class ReviewItem:
    """One carried annotation waiting for review: a `changed` span (an annotation of the new version, `was` its
    old text) or an `orphan` (not placed; `candidates` where it might go, best first)."""

    state: str  # "changed" | "orphan"
    id: str  # the annotation's id (changed) or the orphan's id
    story_id: str
    kind: str
    was: str  # the text on the earlier version
    exact: str  # the text now (changed), "" for an orphan
    start: int | None  # where it is now (changed) or its best candidate (orphan), None if it has none
    end: int | None
    candidates: tuple[tuple[int, int, float], ...]
    origin: str
    source: str

    def describe(self) -> str:
        """One terminal-safe line for lists and notifications."""
        if self.state == "changed":
            return f"{self.kind} changed: {quoted(self.was, 40)} → {quoted(self.exact, 40)}"
        where = f"{len(self.candidates)} candidate place(s)" if self.candidates else "no candidate place"
        return f"{self.kind} not placed: {quoted(self.was, 40)} ({where})"


def _of_changed(ann: Annotation) -> ReviewItem:
    assert ann.carried is not None
    c = ann.carried
    return ReviewItem(
        "changed", ann.id, ann.story_id, ann.kind, c.was, ann.exact, ann.start, ann.end, (), c.origin, c.source
    )


def _of_orphan(orphan: Orphan) -> ReviewItem:
    best = orphan.candidates[0] if orphan.candidates else None
    start, end = (best[0], best[1]) if best else (None, None)
    return ReviewItem(
        "orphan", orphan.id, orphan.story_id, orphan.kind, orphan.exact, "", start, end, orphan.candidates,
        orphan.origin, orphan.source,
    )  # fmt: skip


def waiting(store: Store, story_id: str | None = None) -> list[ReviewItem]:
    """What waits for review in one story version (or in the library), by story, then by place in the text
    (orphans without a candidate last)."""
    stories = sorted(store.review_counts()) if story_id is None else [story_id]
    items: list[ReviewItem] = []
    for sid in stories:
        found = [_of_changed(a) for a in store.annotations(sid) if a.carried is not None and a.carried.pending]
        found += [_of_orphan(o) for o in store.orphans(sid)]
        items += sorted(found, key=lambda i: (i.start is None, i.start or 0, i.end or 0, i.id))
    return items


def review_item(store: Store, item_id: str) -> ReviewItem:
    """The item waiting for review with this id (an annotation's or an orphan's); AnnotationError if none."""
    orphan = store.orphan(item_id)
    if orphan is not None:
        return _of_orphan(orphan)
    ann = store.annotation(item_id)
    if ann is not None and ann.carried is not None and ann.carried.pending:
        return _of_changed(ann)
    raise AnnotationError(f"nothing waits for review with id {item_id[:8]!r}")


def accept(history: History, item: ReviewItem) -> Annotation:
    """Accept a changed span as carried, or place an orphan at its best candidate; one undoable step."""
    store = history.store
    if item.state == "changed":
        ann = store.annotation(item.id)
        if ann is None or ann.carried is None:
            raise AnnotationError("that carried annotation is gone")
        done = ann.edited(carried=replace(ann.carried, pending=False))
        history.do([(ann, done)], f"accept changed {ann.kind}")
        return done
    if item.start is None or item.end is None:
        raise AnnotationError("this annotation has no candidate place: select its text and place it there")
    return place_on(history, item, item.start, item.end, score=item.candidates[0][2] if item.candidates else 1.0)


def place_on(history: History, item: ReviewItem, start: int, end: int, *, score: float = 1.0) -> Annotation:
    """Put the item on [start, end) of its story (widened to whole words); one undoable step."""
    store = history.store
    story = store.story(item.story_id)
    s, e = snap(story, start, end)
    text, stamp = story.text, now_iso()
    exact, prefix, suffix = text[s:e], text[max(0, s - CONTEXT) : s], text[e : e + CONTEXT]
    if item.state == "changed":
        ann = store.annotation(item.id)
        if ann is None or ann.carried is None:
            raise AnnotationError("that carried annotation is gone")
        carried = replace(ann.carried, method="review", score=1.0, pending=False)
        moved = ann.edited(start=s, end=e, exact=exact, prefix=prefix, suffix=suffix, carried=carried)
        if (there := existing_annotation(store, moved)) is not None:
            raise DuplicateAnnotation(there)
        history.do([(ann, moved)], f"place changed {ann.kind}")
        return moved
    orphan = store.orphan(item.id)
    if orphan is None:
        raise AnnotationError("that orphan is gone")
    old = orphan.earlier
    placed = Carried(origin=old.id, source=orphan.source, method="review", score=min(1.0, max(0.0, score)))
    made = replace(old, id=str(uuid.uuid4()), story_id=item.story_id, start=s, end=e, exact=exact, prefix=prefix)
    made = replace(made, suffix=suffix, modified=stamp, carried=placed)
    made.check()
    if (there := existing_annotation(store, made)) is not None:
        raise DuplicateAnnotation(there)
    history.do([(orphan, None), (None, made), *threads_follow(store, [(None, made)])], f"place carried {old.kind}")
    return made


def drop(history: History, item: ReviewItem) -> ReviewItem:
    """Drop the item: a changed span's annotation is deleted, an orphan forgotten (carrying again never brings
    it back); one undoable step. Returns the item dropped."""
    store = history.store
    if item.state == "changed":
        ann = store.annotation(item.id)
        if ann is None:
            raise AnnotationError("that carried annotation is gone")
        history.do([(ann, None)], f"drop changed {ann.kind}")
        return item
    orphan = store.orphan(item.id)
    if orphan is None:
        raise AnnotationError("that orphan is gone")
    history.do([(orphan, None)], f"drop carried {orphan.kind}")
    return item
