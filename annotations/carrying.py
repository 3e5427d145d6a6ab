"""Carrying annotations forward: when a new version of a story arrives, the annotations of the version before it
are placed on the new text (`annotations.carry.place` decides where), as one step.

What is placed with confidence becomes an annotation of the new version that keeps everything of the old one
(kind, links, note, attributes, annotator, when it was made) and says where it came from (`Carried`). A span
whose text changed is carried too, marked as waiting for review with its old text. What cannot be placed becomes
an orphan (`annotations.store.orphans`) with its best candidate places: never placed silently. The earlier
version keeps its own annotations untouched. A carry record per version names the earlier annotations handled,
so carrying again (the same update imported twice, or `carry_forward` called again) adds nothing twice.

A carried claim stays in its claim thread (`annotations.threads`): it takes the place of the earlier version's
claim there, with its status, in the same step; the thread follows the story to its newest version.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from annotations.carry.placing import Placement, place
from annotations.history import History, existing_annotation
from annotations.model import CONTEXT, Annotation, Carried, now_iso
from annotations.store import Store, StoryEntry
from annotations.store.orphans import Carry, Orphan
from annotations.store.tagstore import Edit
from annotations.threads import Thread
from stories.model import Story

__all__ = ["CarryResult", "carry_forward", "carry_plan", "earlier_version", "threads_follow"]


@dataclass(frozen=True)
class CarryResult:
    """What one carry did: annotations placed as they were, placed with a changed text, orphaned, and left out
    because the new version already had an annotation of that kind and span."""

    story_id: str
    source: str
    carried: int = 0
    changed: int = 0
    orphans: int = 0
    already: int = 0

    @property
    def to_review(self) -> int:
        return self.changed + self.orphans

    def describe(self) -> str:
        """One line: "4 of 5 annotations carried (1 changed); 1 not placed; 2 to review"."""
        total = self.carried + self.changed + self.orphans
        line = f"{self.carried + self.changed} of {total} annotation{'s' if total != 1 else ''} carried"
        line += f" ({self.changed} changed)" if self.changed else ""
        line += f"; {self.orphans} not placed" if self.orphans else ""
        line += f"; {self.to_review} to review" if self.to_review else ""
        return line + (f"; {self.already} there already" if self.already else "")


def earlier_version(store: Store, story_id: str) -> StoryEntry | None:
    """The version whose annotations carry onto `story_id`: the nearest one before it (in the versions' order)
    that has annotations; None if there is none."""
    versions = store.versions(story_id)
    at = next((i for i, e in enumerate(versions) if e.id == story_id), 0)
    for entry in reversed(versions[:at]):
        if store.counts(entry.id).total() or store.orphans(entry.id):
            return entry
    return None


def _handled(store: Store, story_id: str) -> set[str]:
    """The earlier annotations already carried onto this version (or orphaned, or dropped in review)."""
    record = store.carry(story_id)
    done = set(record.origins) if record is not None else set()
    done.update(a.carried.origin for a in store.annotations(story_id) if a.carried is not None)
    done.update(o.origin for o in store.orphans(story_id))
    return done


def _placed(old: Annotation, new_story: Story, p: Placement, source: str, stamp: str) -> Annotation:
    assert p.start is not None and p.end is not None
    text = new_story.text
    changed = p.state == "changed"
    carried = Carried(
        origin=old.id,
        source=source,
        method=p.method or "fuzzy",
        score=max(0.0, min(1.0, float(p.score))),
        was=old.exact if changed else "",
        pending=changed,
    )
    return replace(
        old,
        id=str(uuid.uuid4()),
        story_id=new_story.id,
        start=p.start,
        end=p.end,
        exact=text[p.start : p.end],
        prefix=text[max(0, p.start - CONTEXT) : p.start],
        suffix=text[p.end : p.end + CONTEXT],
        modified=stamp,
        carried=carried,
    )


def threads_follow(store: Store, edits: list[Edit]) -> list[Edit]:
    """Thread edits putting each carried claim `edits` add in the place of its earlier version's claim (also for an
    orphan placed in review: `annotations.review`)."""
    changed: dict[str, Thread] = {}
    before: dict[str, Thread] = {}
    for _, made in edits:
        if not isinstance(made, Annotation) or made.kind != "claim" or made.carried is None:
            continue
        thread = store.thread_of(made.carried.origin)
        if thread is None:
            continue
        before.setdefault(thread.id, thread)
        current = changed.get(thread.id, thread)
        members = tuple(
            replace(m, annotation=made.id) if m.annotation == made.carried.origin else m for m in current.members
        )
        changed[thread.id] = replace(current, members=members)
    return [(before[key], thread) for key, thread in changed.items()]


def carry_plan(store: Store, story_id: str) -> tuple[list[Edit], CarryResult] | None:
    """The edits that carry the earlier version's annotations onto version `story_id`, and what they do; None
    when there is nothing to carry (no earlier annotated version, or everything handled already)."""
    source = earlier_version(store, story_id)
    if source is None:
        return None
    handled = _handled(store, story_id)
    todo = [a for a in store.annotations(source.id) if a.id not in handled]
    if not todo:
        return None
    old_story, new_story = store.story(source.id), store.story(story_id)
    stamp = now_iso()
    edits: list[Edit] = []
    counts = {"carried": 0, "changed": 0, "orphan": 0, "already": 0}
    taken: set[tuple[str, int, int]] = set()
    for old, p in zip(todo, place(old_story.text, new_story.text, todo), strict=True):
        if p.state in ("carried", "changed") and p.start is not None and p.end is not None:
            made = _placed(old, new_story, p, source.id, stamp)
            key = (made.kind, made.start, made.end)
            if key in taken or existing_annotation(store, made) is not None:
                counts["already"] += 1  # the new version has it already (tagged there, or carried twice over)
                continue
            taken.add(key)
            edits.append((None, made))
            counts[p.state] += 1
        else:
            candidates = [(c.start, c.end, c.score) for c in p.candidates]
            edits.append((None, Orphan.new(story_id, source.id, old, candidates, stamp)))
            counts["orphan"] += 1
    edits.extend(threads_follow(store, edits))
    before = store.carry(story_id)
    origins = tuple(sorted((set(before.origins) if before else set()) | {a.id for a in todo}))
    edits.append((before, Carry(story_id, source.id, origins, stamp)))
    result = CarryResult(story_id, source.id, counts["carried"], counts["changed"], counts["orphan"], counts["already"])
    return edits, result


def carry_forward(store: Store, story_id: str, history: History | None = None) -> CarryResult | None:
    """Carry the earlier version's annotations onto version `story_id` as one step (undoable through `history`
    when given); None when there was nothing to carry."""
    planned = carry_plan(store, story_id)
    if planned is None:
        return None
    edits, result = planned
    number = next((e.version for e in store.versions(story_id) if e.id == result.source), 1)
    label = f"carry annotations from version {number}"
    if history is not None:
        history.do(edits, label)
    else:
        store.apply(edits)
    return result
