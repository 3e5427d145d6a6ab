"""Undo and redo of every change to annotations and the actor registry. Each step, undo and redo included,
is saved at once.

A step is a list of edits (before, after) applied together by `Store.apply`: adding a quote and the new
actor it names, merging two registry entries, deleting an entry and the links to it. Undo applies the same
edits backwards.

The duplicate policy lives here, for the app and the command line alike: a story holds one annotation of a
kind per span in each annotator layer (`DuplicateAnnotation` names the one already there). So does the layers'
rule: a `History` given `layers` refuses to edit or delete an annotation of another's layer (`ReadOnlyLayer`);
`do` itself checks nothing (curation writes the curated layer through it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from annotations import handover
from annotations.actors import Actor, fold_name
from annotations.layers import Layers
from annotations.model import CURATED, LINKS, Annotation, AnnotationError, quoted, with_article
from annotations.registry import merge_edits
from annotations.store import Store
from annotations.store.rejections import Rejection
from annotations.store.tagstore import Edit, Subject
from annotations.threads import buried, detached
from stories.model import Story
from stories.text import clean_line

__all__ = ["Change", "DuplicateAnnotation", "History", "by_prefix", "existing_annotation", "find_annotation"]

T = TypeVar("T")


class DuplicateAnnotation(AnnotationError):
    """An annotation of the same kind and span as one the story has: `existing`."""

    def __init__(self, existing: Annotation) -> None:
        kind = with_article(existing.kind)
        super().__init__(f"{quoted(existing.exact)} is already tagged as {kind} ({existing.id[:8]})")
        self.existing = existing


def existing_annotation(store: Store, ann: Annotation, layers: Layers | None = None) -> Annotation | None:
    """The annotation (another than `ann`) of the same kind and span in its story, if there is one: the
    duplicate policy allows one annotation of a kind per span (with `layers`: per span in each layer, so two
    annotators may tag the same words alike). The curated layer is apart: curation copies annotators' spans into it
    (`annotations.curation`)."""
    kind, start, end, curated = ann.kind, ann.start, ann.end, ann.annotator == CURATED
    for rec in store.records_by_story().get(ann.story_id, {}).values():  # records: no Annotation made for each
        same = rec.start == start and rec.end == end and rec.kind == kind and rec.id != ann.id
        if same and (rec.annotator == CURATED) == curated:
            found = store.annotation(rec.id)
            if found is not None and (layers is None or layers.of(found) == layers.of(ann)):
                return found
    return None


def find_annotation(store: Store, ref: str) -> Annotation:
    """The annotation whose id starts with `ref` (any unique prefix, as for stories)."""
    return by_prefix(
        ref, store.annotation, store.iter_annotations, "annotation", "in the library (see `wiredesk show STORY`)"
    )


def by_prefix(ref: str, exact: Callable[[str], T | None], every: Callable[[], Iterable[T]], what: str, hint: str) -> T:
    """The item (with an `id`) whose id is `ref` or starts with it; AnnotationError if none or several. `exact`
    finds one by its whole id, `every` lists them all; `hint` ends the message of none found."""
    key = ref.strip().lower()
    if not key:
        raise AnnotationError(f"no {what} id given")
    if (found := exact(key)) is not None:
        return found
    shown = clean_line(ref)
    matches = [item for item in every() if getattr(item, "id", "").startswith(key)]
    if not matches:
        raise AnnotationError(f'no {what} with id "{shown}" {hint}')
    if len(matches) > 1:
        raise AnnotationError(f'{what} id "{shown}" is ambiguous: {len(matches)} start with it; give more of it')
    return matches[0]


@dataclass(frozen=True)
class Change:
    """One undoable step: its edits, and what to call it ("add quote", "merge actors")."""

    edits: tuple[Edit, ...]
    label: str
    #: The tombstones of the step's annotations before and after it (None: none), so that undo and redo
    #: restore them exactly: undoing an add leaves no tombstone, redoing a delete keeps its first time.
    tombstones_before: Mapping[str, Mapping[str, str] | None] = dataclasses.field(default_factory=dict, compare=False)
    tombstones_after: Mapping[str, Mapping[str, str] | None] = dataclasses.field(default_factory=dict, compare=False)
    #: A step the command line made (its id in `annotations.handover`'s file), "" for this session's own.
    handed: str = dataclasses.field(default="", compare=False)

    @property
    def subject(self) -> Subject:
        """The annotation this step is about (else the first registry entry, rejection or orphan it touches)."""
        items = [i for before, after in self.edits if (i := after or before) is not None]
        return next((i for i in items if isinstance(i, Annotation)), items[0])

    def describe(self) -> str:
        return self.label

    def inverse(self) -> tuple[Edit, ...]:
        return tuple((after, before) for before, after in reversed(self.edits))


class History:
    """Applies changes to a store and remembers them for undo/redo (for one session). `hand_over` (the command
    line's): each step is also left for the app to undo (`annotations.handover`); `adopt` (the app's) starts the
    history with the steps the command line left. `layers`: whose layer is the analyst's (edits and deletes of
    another layer are refused; duplicates are counted per layer); None: one layer, as before annotators."""

    def __init__(
        self, store: Store, limit: int = 1000, *, hand_over: bool = False, layers: Layers | None = None
    ) -> None:
        self.store = store
        self.layers = layers
        self.limit = limit
        self.hand_over = hand_over
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def adopt(self) -> int:
        """Begin the history with the steps the command line left (oldest first); returns how many."""
        steps = [
            Change(edits, f"{label} (command line)", before, after, handed=step_id)
            for step_id, edits, label, before, after in handover.load(self.store)
        ]
        self._undo[:0] = steps
        return len(steps)

    def do(self, edits: list[Edit], label: str) -> Change:
        """Apply `edits` as one undoable step. A claim the step deletes (or makes another kind) leaves its claim
        thread in the same step (`annotations.threads.detached`), and a thread it deletes leaves a tombstone
        (`annotations.threads.buried`): undo puts them back as they were."""
        edits = [*edits, *detached(edits, self.store.thread_of)]
        edits.extend(buried(edits, self.store.thread_tombstone))
        ids = {item.id for edit in edits for item in edit if isinstance(item, Annotation)}
        before = {key: self.store.tombstone(key) for key in ids}
        self.store.apply(edits)
        after = {key: self.store.tombstone(key) for key in ids}
        change = Change(tuple(edits), label, before, after)
        if self.hand_over:
            handover.record(self.store, change.edits, label, before, after)
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()
        return change

    # --- annotations ---------------------------------------------------------------------------------------

    def existing(self, ann: Annotation) -> Annotation | None:
        """The annotation (another than `ann`) of the same kind and span in its story, if there is one."""
        return existing_annotation(self.store, ann, self.layers)

    def check_editable(self, ann: Annotation, verb: str = "edit") -> None:
        """Refuse (`ReadOnlyLayer`) to `verb` an annotation outside the analyst's layer (nothing, without layers)."""
        if self.layers is not None:
            self.layers.check(ann, verb)

    def _refuse_duplicate(self, ann: Annotation) -> None:
        if (there := self.existing(ann)) is not None:
            raise DuplicateAnnotation(there)

    def add(self, ann: Annotation, story: Story | None = None, *, new_actors: tuple[Actor, ...] = ()) -> Annotation:
        """Store a new annotation (and the new registry entries it links to, in the same step). An actor
        mention spelled in a way its entry does not know yet ("Maduro" for Nicolas Maduro) becomes an alias.
        DuplicateAnnotation if the story has an annotation of that kind and span already."""
        self._refuse_duplicate(ann)
        learned = [] if any(a.id == ann.actor for a in new_actors) else self._new_alias(ann)
        self.do([*((None, a) for a in new_actors), *learned, (None, ann)], f"add {ann.kind}")
        return ann

    def _new_alias(self, ann: Annotation) -> list[Edit]:
        entry = self.store.actor(ann.actor) if ann.kind == "actor" else None
        spelled = " ".join(ann.exact.split())
        if entry is None or fold_name(spelled) in {fold_name(n) for n in entry.names}:
            return []
        if any(fold_name(spelled) in {fold_name(n) for n in other.names} for other in self.store.actors()):
            return []  # another entry's name: not this one's alias
        return [(entry, entry.edited(aliases=(*entry.aliases, spelled)))]

    def edit(
        self,
        ann: Annotation,
        story: Story | None = None,
        *,
        new_actors: tuple[Actor, ...] = (),
        entry: Actor | None = None,
    ) -> Annotation:
        """Replace an annotation with an edited version of it, with the new registry entries it links to and
        `entry`, an edited registry entry (the type of the actor a mention links to), in the same step.
        DuplicateAnnotation if it would become a second annotation of one kind and span."""
        before = self.store.annotation(ann.id)
        if before is None:
            raise AnnotationError(f"no annotation {ann.id[:8]}")
        self.check_editable(before, "retag" if before.kind != ann.kind else "edit")
        self._refuse_duplicate(ann)
        changed = dataclasses.replace(ann, modified=before.modified) != before
        edits: list[Edit] = [(None, a) for a in new_actors]
        label = f"edit {before.kind}" if before.kind == ann.kind else f"change {before.kind} to {ann.kind}"
        if entry is not None:
            stored = self.store.entry(entry.id)
            if stored is None:
                raise AnnotationError(f"no actor {entry.id[:8]} in the registry")
            edits.append((stored, entry))
            label = label if changed else _actor_label(stored, entry)
        if changed or not edits:
            edits.append((before, ann))
        self.do(edits, label)
        return ann

    def delete(self, ann_id: str) -> Annotation:
        """Delete an annotation (the registry entry it links to stays)."""
        return self.delete_many([ann_id])[0]

    def delete_many(self, ann_ids: list[str]) -> list[Annotation]:
        """Delete annotations in one step (the registry entries they link to stay)."""
        gone: dict[str, Annotation] = {}
        for ann_id in ann_ids:
            before = self.store.annotation(ann_id)
            if before is None:
                raise AnnotationError(f"no annotation {ann_id[:8]}")
            self.check_editable(before, "delete")
            gone[before.id] = before
        kinds = {a.kind for a in gone.values()}
        label = f"delete {kinds.pop()}" if len(gone) == 1 else f"delete {len(gone)} annotations"
        self.do([(a, None) for a in gone.values()], label)
        return list(gone.values())

    # --- the actor registry --------------------------------------------------------------------------------

    def add_actor(self, actor: Actor) -> Actor:
        self.do([(None, actor)], f"add actor {actor.name}")
        return actor

    def edit_actor(self, actor: Actor) -> Actor:
        """Rename, retype, re-alias… a registry entry (links follow: they are by id)."""
        before = self.store.entry(actor.id)
        if before is None:
            raise AnnotationError(f"no actor {actor.id[:8]} in the registry")
        self.do([(before, actor)], _actor_label(before, actor))
        return actor

    def merge_actors(self, source_id: str, target_id: str) -> Actor:
        """Merge `source` into `target`: its names become aliases of the target and its links follow."""
        source, target = self.store.actor(source_id), self.store.actor(target_id)
        if source is None or target is None:
            raise AnnotationError("both actors must be in the registry")
        edits = merge_edits(source, target)
        merged = edits[-1][1]  # the target, with the source's names as aliases
        assert isinstance(merged, Actor)
        self.do(edits, f"merge {source.name} into {target.name}")
        return merged

    def delete_actor(self, actor_id: str) -> int:
        """Delete a registry entry and unlink the annotations that link to it; how many were unlinked."""
        actor = self.store.entry(actor_id)
        if actor is None:
            raise AnnotationError(f"no actor {actor_id[:8]} in the registry")
        edits: list[Edit] = []
        unlinked: dict[str, Annotation] = {}
        for field, ann in self.store.actor_usage(actor_id):
            if field in LINKS and getattr(ann, field) == actor_id:
                current = unlinked.get(ann.id, ann)
                unlinked[ann.id] = current.edited(**{field: None})
        edits.extend((self.store.annotation(i), a) for i, a in unlinked.items())
        for other in self.store.actors(include_merged=True):  # entries merged into it come back on their own
            if other.merged_into == actor_id:
                edits.append((other, other.edited(merged_into=None)))
        edits.append((actor, None))
        self.do(edits, f"delete actor {actor.name}")
        return len(unlinked)

    # --- rejected suggestions ---------------------------------------------------------------------------

    def reject(self, rejections: Sequence[Rejection]) -> Change | None:
        """Remember rejected suggestions as one undoable step (undo brings them back); those already rejected
        are left as they are. None if every one was."""
        new = {r.id: r for r in rejections if self.store.rejection(r.id) is None}
        if not new:
            return None
        kinds = {r.kind for r in new.values()}
        label = f"reject {kinds.pop()} suggestion" if len(new) == 1 else f"reject {len(new)} suggestions"
        return self.do([(None, r) for r in new.values()], label)

    # --- undo and redo -------------------------------------------------------------------------------------

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
        if change.handed:
            try:
                handover.check_current(self.store, change.edits, change.label)
            except AnnotationError:
                self._undo.pop()
                handover.forget(self.store, change.handed)
                raise
        self.store.apply(change.inverse(), tombstones=change.tombstones_before)
        if change.handed:
            handover.forget(self.store, change.handed)
        self._redo.append(self._undo.pop())
        return change

    def redo(self, story: Story | None = None) -> Change | None:
        """Re-apply the last undone change; None if there is nothing to redo."""
        if not self._redo:
            return None
        change = self._redo[-1]
        self.store.apply(change.edits, tombstones=change.tombstones_after)
        self._undo.append(self._redo.pop())
        return change


_ACTOR_FIELDS = (("aliases", "aliases"), ("type", "type"), ("external_id", "external id"), ("note", "note"))


def _actor_label(before: Actor, after: Actor) -> str:
    """What an edit of a registry entry changed: "rename A to B", "edit aliases of A", "edit type, note of A"."""
    if before.name != after.name:
        return f"rename {before.name} to {after.name}"
    changed = [label for name, label in _ACTOR_FIELDS if getattr(before, name) != getattr(after, name)]
    return f"edit {', '.join(changed) or 'entry'} of {after.name}"
