"""Annotations, the actor registry, rejected suggestions, carrying's records and claim threads: the tables of
`annotations.json`, with their in-memory indexes.

Every change goes through `apply`, a list of edits (old, new) of annotations, registry entries, rejections
(`annotations.store.rejections`), orphans and carries (`annotations.store.orphans`) and claim threads
(`annotations.threads`, in a `threads` table of their own, and the tombstones of deleted ones in
`thread_tombstones`), curation decisions (`curation`, the tombstones of undone ones in `curation_tombstones`)
that is checked as a whole, then written with one journal line per table — registry additions first, registry
deletions last, so a crash in between never leaves a link to a missing entry. `History` builds its undoable
steps from the same edits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgspec

from annotations.actors import Actor, follow_merges
from annotations.model import KINDS, LINKS, Annotation, AnnotationError, Carried, now_iso
from annotations.store.decisions import Decision, DecisionIndex, DecisionRecord
from annotations.store.lean import LeanRecords
from annotations.store.orphans import Carry, CarryRecord, Orphan, OrphanIndex, OrphanRecord
from annotations.store.records import (
    ActorRecord,
    ActorTombstoneRecord,
    AnnotationRecord,
    CarriedRecord,
    ThreadRecord,
    ThreadTombstoneRecord,
    TombstoneRecord,
)
from annotations.store.rejections import KindAndSpan, RejectedIndex, Rejection, RejectionRecord
from annotations.store.storage import LOOK, JournaledStorage, StoreError
from annotations.store.table import tracked, tracked_db
from annotations.threads import Thread, ThreadTombstone
from stories.model import Story

__all__ = ["ANNOTATIONS_FILE", "Edit", "TagStore"]

ANNOTATIONS_FILE = "annotations.json"

#: What an edit changes: an annotation, a registry entry, a rejection, an orphan, a carry record, a curation
#: decision (`annotations.store.decisions`), a claim thread or a deleted thread's tombstone.
Subject = Annotation | Actor | Rejection | Orphan | Carry | Decision | Thread | ThreadTombstone
#: One change: (before, after) of a Subject; None before = added, None after = deleted.
Edit = tuple[Subject | None, Subject | None]

#: The annotation's fields its record holds (`carried` is kept in its own table).
_HELD = tuple(name for name in Annotation.__dataclass_fields__ if name != "carried")
assert AnnotationRecord.__struct_fields__ == _HELD, "record and model differ"


def _carried(rec: CarriedRecord) -> Carried:
    return Carried(rec.origin, rec.source, rec.method, rec.score, rec.was, rec.pending)


def _actor(rec: ActorRecord) -> Actor:
    return Actor.from_dict(rec.to_dict())


def _found(rec: Any) -> dict[str, str] | None:
    return None if rec is None else rec.to_dict()


def _oldest_first(records: Iterable[Any]) -> list[dict[str, str]]:
    return sorted((rec.to_dict() for rec in records), key=lambda t: (t["deleted"], t["id"]))


def _stone_writes(
    table: Any,
    given: Mapping[str, Mapping[str, str] | None],
    writes: Sequence[tuple[str, dict[str, Any] | None]],
    befores: Mapping[str, Any],
    make: Callable[[str, Any], dict[str, Any]],
) -> list[tuple[str, dict[str, Any] | None]]:
    """The writes to a tombstones `table` for `writes` to its records' table: the tombstones `given` (None: none),
    then for every other id a tombstone (`make(id, the record before)`) where a record is deleted, and none where
    one is written again."""
    out: list[tuple[str, dict[str, Any] | None]] = [
        (key, None if tomb is None else dict(tomb))
        for key, tomb in given.items()
        if tomb is not None or table.find(key) is not None
    ]
    for key, doc in writes:
        if key in given:
            continue
        if doc is None and (old := befores.get(key)) is not None:
            out.append((key, make(key, old)))
        elif doc is not None and table.find(key) is not None:
            out.append((key, None))
    return out


class TagStore:
    """The annotations and actor registry of a data dir (loaded by `Store.load_annotations`)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        read_only: bool,
        tuning: dict[str, Any],
        check: Callable[[], None] | None = None,
        text_of: Callable[[str], str | None] | None = None,
    ) -> None:
        """Read the annotations file; `check` is called as it goes (it raises to stop the load: see `Store.close`).
        With `text_of` (a story's text, or None), annotation records are held lean (`annotations.store.lean`)."""
        self.lean = LeanRecords(text_of) if text_of is not None else None
        storage = JournaledStorage(
            data_dir / ANNOTATIONS_FILE,
            types={
                "annotations": AnnotationRecord,
                "actors": ActorRecord,
                "tombstones": TombstoneRecord,
                "actor_tombstones": ActorTombstoneRecord,
                "rejections": RejectionRecord,
                "carried": CarriedRecord,
                "orphans": OrphanRecord,
                "carries": CarryRecord,
                "curation": DecisionRecord,
                "curation_tombstones": TombstoneRecord,
                "threads": ThreadRecord,
                "thread_tombstones": ThreadTombstoneRecord,
            },
            lean={"annotations": self.lean} if self.lean is not None else None,
            read_only=read_only,
            **tuning,
        )
        storage.check = check
        self.db = tracked_db(storage)
        storage.check = None
        self.annotations = tracked(self.db, "annotations")
        self.actors = tracked(self.db, "actors")
        self.tombstones = tracked(self.db, "tombstones")
        self.actor_tombstones = tracked(self.db, "actor_tombstones")
        self.rejections = tracked(self.db, "rejections")
        self.rejected = RejectedIndex(Rejection.from_record(rec) for rec in self.rejections.records().values())
        self.carried_table = tracked(self.db, "carried")
        self.carried: dict[str, Carried] = {r.id: _carried(r) for r in self.carried_table.records().values()}
        self.orphans = tracked(self.db, "orphans")
        self.orphaned = OrphanIndex(Orphan.from_record(rec) for rec in self.orphans.records().values())
        self.carries = tracked(self.db, "carries")
        self.curation = tracked(self.db, "curation")
        self.decided = DecisionIndex(Decision.from_record(rec) for rec in self.curation.records().values())
        self.curation_tombstones = tracked(self.db, "curation_tombstones")
        self.threads_table = tracked(self.db, "threads")
        self.thread_tombstones = tracked(self.db, "thread_tombstones")
        self.threads: dict[str, Thread] = {}
        self.thread_of: dict[str, str] = {}  # claim annotation id -> the id of its thread
        for thread_rec in self.threads_table.records().values():
            try:
                self._index_thread(Thread.from_dict(thread_rec.to_dict()))
            except AnnotationError as exc:
                raise StoreError(
                    f"{storage.path}: claim thread {str(thread_rec.id)[:8]} is damaged ({exc}); {LOOK}"
                ) from None
        self.by_story: dict[str, dict[str, AnnotationRecord]] = {}  # story id -> annotation id -> record
        self.by_actor: dict[str, set[str]] = {}  # registry id -> ids of annotations linking to it
        self._counts: dict[tuple[int, ...], Counter[str]] = {}  # see `counts`
        #: How many annotation changes were applied since the load, and the story each last touched: story id ->
        #: the value `changes` took then (derived aggregates catch up on those stories only: `annotations.stats`).
        self.changes = 0
        self.touched: dict[str, int] = {}
        self.registry: dict[str, Actor] = {rec.id: _actor(rec) for rec in self.actors.records().values()}
        for n, rec in enumerate(self.annotations.records().values()):
            if check is not None and not n % 20_000:
                check()
            self._index(rec)

    def _index(self, rec: AnnotationRecord) -> None:
        self.by_story.setdefault(rec.story_id, {})[rec.id] = rec
        for name in LINKS:
            if target := getattr(rec, name):
                self.by_actor.setdefault(target, set()).add(rec.id)

    def _index_thread(self, thread: Thread) -> None:
        self.threads[thread.id] = thread
        for ann_id in thread.ids:
            self.thread_of[ann_id] = thread.id

    def _unindex_thread(self, thread_id: str) -> None:
        old = self.threads.pop(thread_id, None)
        for ann_id in old.ids if old is not None else ():
            if self.thread_of.get(ann_id) == thread_id:
                del self.thread_of[ann_id]

    def _unindex(self, rec: AnnotationRecord) -> None:
        self.by_story.get(rec.story_id, {}).pop(rec.id, None)
        for name in LINKS:
            if target := getattr(rec, name):
                self.by_actor.get(target, set()).discard(rec.id)

    @property
    def storage(self) -> JournaledStorage:
        return self.db.storage

    # --- reading ----------------------------------------------------------------------------------------

    def _model(self, rec: AnnotationRecord) -> Annotation:
        """The annotation a record holds, every field as stored, and where it was carried from."""
        made = Annotation(*msgspec.structs.astuple(rec if self.lean is None else self.lean.full(rec)))
        carried = self.carried.get(rec.id)
        return made if carried is None else replace(made, carried=carried)

    def of_story(self, story_id: str) -> list[Annotation]:
        anns = [self._model(rec) for rec in self.by_story.get(story_id, {}).values()]
        return sorted(anns, key=lambda a: (a.start, -a.end, a.kind, a.id))

    def all(self) -> Iterator[Annotation]:
        for records in list(self.by_story.values()):
            for rec in list(records.values()):
                yield self._model(rec)

    def get(self, ann_id: str) -> Annotation | None:
        rec = self.annotations.find(ann_id)
        return None if rec is None else self._model(rec)

    def carry(self, story_id: str) -> Carry | None:
        """The record of carrying annotations onto this story version, if there was one."""
        rec = self.carries.find(story_id)
        return None if rec is None else Carry.from_record(rec)

    def counts(self, story_id: str) -> Counter[str]:
        """How many annotations of each kind the story has: one Counter shared by every story with the same
        counts (a library of 100,000 stories holds a few hundred of them), so do not change it."""
        records = self.by_story.get(story_id)
        kinds = [rec.kind for rec in records.values()] if records else []
        key = tuple(kinds.count(k) for k in KINDS)
        if sum(key) != len(kinds):  # a kind this version does not know (a newer library's): counted apart
            odd: Counter[str] = Counter(dict.fromkeys(KINDS, 0))
            odd.update(kinds)
            return odd
        found = self._counts.get(key)
        if found is None:
            found = self._counts[key] = Counter(dict(zip(KINDS, key, strict=True)))
        return found

    def canonical(self, actor_id: str | None) -> Actor | None:
        """The entry an id stands for now: merges followed (safe against loops)."""
        return follow_merges(self.registry, actor_id)

    def merged_ids(self, actor_id: str) -> set[str]:
        """The id of an entry and of every entry merged into it (directly or not)."""
        ids = {actor_id}
        changed = True
        while changed:
            changed = False
            for actor in self.registry.values():
                if actor.merged_into in ids and actor.id not in ids:
                    ids.add(actor.id)
                    changed = True
        return ids

    def usage(self, actor_id: str) -> list[tuple[str, Annotation]]:
        """(field, annotation) for every annotation that links to this entry or one merged into it."""
        found: list[tuple[str, Annotation]] = []
        for aid in self.merged_ids(actor_id):
            for ann_id in self.by_actor.get(aid, ()):
                ann = self.get(ann_id)
                if ann is not None:
                    found.extend((name, ann) for name, target in ann.links().items() if target == aid)
        return sorted(found, key=lambda fa: (fa[1].story_id, fa[1].start, fa[0]))

    # --- writing ----------------------------------------------------------------------------------------

    def apply(
        self,
        edits: Sequence[Edit],
        story_of: Callable[[str], Story],
        tombstones: Mapping[str, Mapping[str, str] | None] | None = None,
        actor_tombstones: Mapping[str, Mapping[str, str] | None] | None = None,
        decision_tombstones: Mapping[str, Mapping[str, str] | None] | None = None,
    ) -> None:
        """Check `edits` as a whole, then make them durable (see the module docstring). Raises on refusal.

        `tombstones` sets the tombstone of an annotation id exactly, in place of what this call would do for it:
        a record (id, story_id, deleted, modified: from another library, or as it was before an undone step) or
        None for no tombstone at all. `actor_tombstones` does the same for registry entries (id, deleted,
        modified): a deleted entry leaves one, an entry added again loses it; `decision_tombstones` for curation
        decisions (id, story_id, deleted, modified: the decision's `created`), so that an undone decision's
        deletion travels by sync (`annotations.sync`)."""
        actors_after = dict(self.registry)
        for before, after in edits:
            if isinstance(after, Actor):
                after.check()
                actors_after[after.id] = after
            elif isinstance(before, Actor):
                actors_after.pop(before.id, None)
        self._check_registry(edits, actors_after)
        self._check_threads(edits)
        texts: dict[str, str] = {}
        actor_puts: list[tuple[str, dict[str, Any] | None]] = []
        ann_writes: list[tuple[str, dict[str, Any] | None]] = []
        actor_drops: list[tuple[str, dict[str, Any] | None]] = []
        rejection_writes: list[tuple[str, dict[str, Any] | None]] = []
        carried_writes: list[tuple[str, dict[str, Any] | None]] = []
        orphan_writes: list[tuple[str, dict[str, Any] | None]] = []
        carry_writes: list[tuple[str, dict[str, Any] | None]] = []
        decision_writes: list[tuple[str, dict[str, Any] | None]] = []
        thread_writes: list[tuple[str, dict[str, Any] | None]] = []
        thread_tomb_writes: list[tuple[str, dict[str, Any] | None]] = []
        for before, after in edits:
            subject = after if after is not None else before
            if isinstance(subject, ThreadTombstone):
                thread_tomb_writes.append((subject.id, after.to_dict() if isinstance(after, ThreadTombstone) else None))
            elif isinstance(subject, Decision):
                if isinstance(after, Decision):
                    after.check()
                    self._check_text(after, f"curated {after.kind}", texts, story_of)
                decision_writes.append((subject.id, after.to_dict() if isinstance(after, Decision) else None))
            elif isinstance(subject, Thread):
                thread_writes.append((subject.id, after.to_dict() if isinstance(after, Thread) else None))
            elif isinstance(subject, Orphan):
                if isinstance(after, Orphan):
                    after.check()
                orphan_writes.append((subject.id, after.to_dict() if isinstance(after, Orphan) else None))
            elif isinstance(subject, Carry):
                carry_writes.append((subject.id, after.to_dict() if isinstance(after, Carry) else None))
            elif isinstance(subject, Rejection):
                if isinstance(after, Rejection):
                    after.check()
                    self._check_text(after, f"rejected {after.kind}", texts, story_of)
                rejection_writes.append((subject.id, after.to_dict() if isinstance(after, Rejection) else None))
            elif isinstance(subject, Annotation):
                if isinstance(after, Annotation):
                    self._check_annotation(after, before, actors_after, texts, story_of)
                ann_writes.append((subject.id, after.to_dict() if after is not None else None))
                carried = after.carried if isinstance(after, Annotation) else None
                if carried is not None:
                    carried_writes.append((subject.id, {"id": subject.id, **carried.to_dict()}))
                elif subject.id in self.carried:
                    carried_writes.append((subject.id, None))
            elif isinstance(subject, Actor):
                if after is not None:
                    actor_puts.append((subject.id, after.to_dict()))
                else:
                    actor_drops.append((subject.id, None))
        # A deleted annotation leaves a tombstone (written first: a crash in between leaves a tombstone of a live
        # annotation, which merging ignores, never a deletion without one); one added again loses its tombstone.
        stamp = now_iso()
        given = dict(tombstones or {})
        befores = {b.id: b for b, _ in reversed(edits) if isinstance(b, Annotation)}  # the first of each id
        dead: list[tuple[str, dict[str, Any] | None]] = [
            (key, dict(tomb)) for key, tomb in given.items() if tomb is not None
        ]
        revived: list[tuple[str, dict[str, Any] | None]] = [
            (key, None) for key, tomb in given.items() if tomb is None and self.tombstones.find(key) is not None
        ]
        for key, doc in ann_writes:
            old = befores.get(key)
            if key in given:
                continue
            if doc is None and old is not None:
                dead.append((key, {"id": key, "story_id": old.story_id, "deleted": stamp, "modified": old.modified}))
            elif doc is not None and self.tombstones.find(key) is not None:
                revived.append((key, None))
        actors_dead = _stone_writes(
            self.actor_tombstones,
            actor_tombstones or {},
            [*actor_drops, *actor_puts],
            {b.id: b for b, _ in reversed(edits) if isinstance(b, Actor)},
            lambda key, old: {"id": key, "deleted": stamp, "modified": old.modified},
        )
        decisions_dead = _stone_writes(
            self.curation_tombstones,
            decision_tombstones or {},
            decision_writes,
            {b.id: b for b, _ in reversed(edits) if isinstance(b, Decision)},
            lambda key, old: {"id": key, "story_id": old.story_id, "deleted": stamp, "modified": old.created},
        )
        with self.storage.transaction():  # one journal line: the whole step lands, or none of it
            for table, writes in (
                (self.actors, actor_puts),
                (self.actor_tombstones, actors_dead),
                (self.tombstones, dead),
                (self.annotations, ann_writes),
                (self.tombstones, revived),
                (self.rejections, rejection_writes),
                (self.carried_table, carried_writes),
                (self.orphans, orphan_writes),
                (self.carries, carry_writes),
                (self.curation, decision_writes),
                (self.curation_tombstones, decisions_dead),
                (self.threads_table, thread_writes),
                (self.thread_tombstones, thread_tomb_writes),
                (self.actors, actor_drops),
            ):
                if writes:
                    table.write_many(writes)
        for before, after in edits:
            subject = after if after is not None else before
            if isinstance(subject, Decision):
                if isinstance(after, Decision):
                    self.decided.add(after)
                else:
                    self.decided.discard(subject.id, subject.story_id)
            elif isinstance(subject, Thread):
                self._unindex_thread(subject.id)
            elif isinstance(subject, Orphan):
                if isinstance(after, Orphan):
                    self.orphaned.add(after)
                else:
                    self.orphaned.discard(subject.id, subject.story_id)
            elif isinstance(subject, Rejection):
                if isinstance(after, Rejection):
                    self.rejected.add(after)
                else:
                    self.rejected.discard(subject.id, subject.story_id)
            elif isinstance(subject, Actor):
                if after is None:
                    self.registry.pop(subject.id, None)
                else:
                    self.registry[subject.id] = subject  # `after`, an Actor
            elif isinstance(subject, Annotation):
                carried = after.carried if isinstance(after, Annotation) else None
                if carried is None:
                    self.carried.pop(subject.id, None)
                else:
                    self.carried[subject.id] = carried
                self.changes += 1
                self.touched[subject.story_id] = self.changes
                indexed = self.by_story.get(subject.story_id, {}).get(subject.id)
                if indexed is not None:
                    self._unindex(indexed)
                rec = self.annotations.find(subject.id)
                if rec is not None:
                    if self.lean is not None and not self.storage.in_transaction:  # saved: memory may hold it lean
                        self.lean.shrink(rec)
                    self._index(rec)
        for _before, after in edits:  # indexed again once every old thread is out (a claim moving between two)
            if isinstance(after, Thread):
                self._index_thread(after)

    def decision_tombstone(self, decision_id: str) -> dict[str, str] | None:
        """The tombstone of a deleted (undone) curation decision (id, story_id, deleted, modified), or None."""
        return _found(self.curation_tombstones.find(decision_id))

    def deleted_decisions(self) -> list[dict[str, str]]:
        """Tombstones of deleted curation decisions, oldest first."""
        return _oldest_first(self.curation_tombstones.records().values())

    def _check_threads(self, edits: Sequence[Edit]) -> None:
        """Refuse a thread whose members are not claims there once the edits are made, or a claim in two threads."""
        written = {s.id: a for b, a in edits if isinstance(s := a if a is not None else b, Thread)}
        if not written:
            return
        anns: dict[str, Annotation | None] = {}
        for before, after in edits:
            if isinstance(after, Annotation):
                anns[after.id] = after
            elif isinstance(before, Annotation):
                anns[before.id] = None
        owner: dict[str, str] = {}
        for thread_id, thread in written.items():
            if not isinstance(thread, Thread):
                continue
            thread.check()
            for ann_id in thread.ids:
                if ann_id in anns:
                    ann = anns[ann_id]
                    kind = ann.kind if ann is not None else None
                else:
                    rec = self.annotations.find(ann_id)
                    kind = rec.kind if rec is not None else None
                if kind != "claim":
                    what = "not a claim" if kind else "not in the library"
                    raise AnnotationError(f"claim thread {thread_id[:8]}: annotation {ann_id[:8]} is {what}")
                other = owner.get(ann_id) or self.thread_of.get(ann_id)
                if other is not None and other != thread_id and (ann_id in owner or other not in written):
                    raise AnnotationError(f"claim {ann_id[:8]} is already in claim thread {other[:8]}")
                owner[ann_id] = thread_id

    def tombstone(self, ann_id: str) -> dict[str, str] | None:
        """The tombstone of a deleted annotation (id, story_id, deleted, modified), or None."""
        return _found(self.tombstones.find(ann_id))

    def deleted(self) -> list[dict[str, str]]:
        """Tombstones of deleted annotations (id, story_id, deleted, modified), oldest first."""
        return _oldest_first(self.tombstones.records().values())

    def thread_tombstone(self, thread_id: str) -> ThreadTombstone | None:
        """The tombstone of a deleted claim thread, or None."""
        rec = self.thread_tombstones.find(thread_id)
        return None if rec is None else ThreadTombstone.from_dict(rec.to_dict())

    def deleted_threads(self) -> list[ThreadTombstone]:
        """Tombstones of deleted claim threads, oldest first."""
        found = (ThreadTombstone.from_dict(rec.to_dict()) for rec in self.thread_tombstones.records().values())
        return sorted(found, key=lambda t: (t.deleted, t.id))

    def actor_tombstone(self, actor_id: str) -> dict[str, str] | None:
        """The tombstone of a deleted registry entry (id, deleted, modified), or None."""
        return _found(self.actor_tombstones.find(actor_id))

    def deleted_actors(self) -> list[dict[str, str]]:
        """Tombstones of deleted registry entries (id, deleted, modified), oldest first."""
        return _oldest_first(self.actor_tombstones.records().values())

    def _check_registry(self, edits: Sequence[Edit], actors: dict[str, Actor]) -> None:
        """Refuse a registry that would hold a link to a missing entry: a merge into one, or an annotation the
        edits leave alone that links to an entry they delete."""
        touched = {s.id for before, after in edits if isinstance(s := after or before, Annotation)}
        for before, after in edits:
            if isinstance(after, Actor) and after.merged_into and after.merged_into not in actors:
                raise AnnotationError(f"actor {after.name} would be merged into an entry not in the registry")
            if isinstance(before, Actor) and after is None and before.id not in actors:
                linked = sorted(self.by_actor.get(before.id, set()) - touched)
                if linked:
                    raise AnnotationError(f"actor {before.name} is still linked from annotation {linked[0][:8]}")
                merged = next((a for a in actors.values() if a.merged_into == before.id), None)
                if merged is not None:
                    raise AnnotationError(f"actor {merged.name} is still merged into {before.name}")

    def _check_annotation(
        self,
        ann: Annotation,
        before: Subject | None,
        actors: dict[str, Actor],
        texts: dict[str, str],
        story_of: Callable[[str], Story],
    ) -> None:
        ann.check()
        if isinstance(before, Annotation) and before.story_id != ann.story_id:
            raise AnnotationError(f"annotation {ann.id[:8]} belongs to another story")
        if ann.story_id not in texts:
            texts[ann.story_id] = story_of(ann.story_id).text
        if not ann.matches(texts[ann.story_id]):
            raise AnnotationError(f"annotation {ann.id[:8]} does not match the story text at {ann.start}-{ann.end}")
        for name, target in ann.links().items():
            if target not in actors:
                raise AnnotationError(f"the {name} of annotation {ann.id[:8]} is not in the actor registry")

    def _check_text(
        self, item: KindAndSpan, what: str, texts: dict[str, str], story_of: Callable[[str], Story]
    ) -> None:
        """Refuse a rejection or decision whose `exact` is not its story's text at its span."""
        if item.story_id not in texts:
            texts[item.story_id] = story_of(item.story_id).text
        if texts[item.story_id][item.start : item.end] != item.exact:
            raise AnnotationError(f"{what} does not match the story text at {item.start}-{item.end}")

    def story_ids_linking(self, actor_id: str, field: str) -> set[str]:
        """Stories with an annotation whose `field` links to this entry (or one merged into it)."""
        return {ann.story_id for name, ann in self.usage(actor_id) if name == field}
