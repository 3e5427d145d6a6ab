"""The library on disk: stories and annotations of one data dir.

Files in the data dir:

- `stories.json` + `stories.journal` — TinyDB: the story index (metadata, and where each body lies);
- `stories.list` — the story list in compact form, derived from the index (`annotations.store.listing`): a
  library opens from it without reading the index, which is read only when something is stored;
- `texts.pack` — the story bodies, append-only (see `annotations.store.bodies`);
- `annotations.json` + `annotations.journal` — TinyDB: the annotations;
- `unread.jsonl` — which story versions are unread (`annotations.store.unread`);
- `sync/` — the sync state (`annotations.store.sync_state`) and the git working copy of `annotations.sync`;
- `backups/` — earlier snapshots with their journals; `.lock` — who is writing.

Both TinyDB files use `JournaledStorage` and `TrackedTable`: a save is one fsync'd journal line, whatever the
library's size. One process at a time writes (see `annotations.store.lock`); others open read-only. Annotations
load on first use (or in the background, `load_annotations`, which `close` stops), so listing stories never waits
for them.
Every method that changes something returns only after the change is durable.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from pathlib import Path
from typing import Any

from annotations.actors import Actor
from annotations.model import CURATED, Annotation, now_iso
from annotations.store.bodies import BodyPack
from annotations.store.decisions import Decision
from annotations.store.entry import StoryEntry, entry_of_record, newest_first, share_days, version_order
from annotations.store.files import LoadCancelled, ReadOnlyError, make_private_dirs, remove_stale_temp_files
from annotations.store.listing import ListState, index_state, read_list, snapshot_tag, write_list
from annotations.store.lock import DataDirLock, StoreLockedError
from annotations.store.orphans import Carry, Orphan
from annotations.store.records import AnnotationRecord, StoryRecord
from annotations.store.rejections import Rejection
from annotations.store.storage import LOOK, JournaledStorage, StoreError
from annotations.store.story_sources import StorySources
from annotations.store.sync_state import SyncState
from annotations.store.table import JournaledDB, TrackedTable, tracked, tracked_db
from annotations.store.tagstore import ANNOTATIONS_FILE, Edit, TagStore
from annotations.store.unread import UnreadMarks
from annotations.threads import Thread, ThreadTombstone
from stories.model import Story, StoryMeta, short_id

__all__ = [
    "ANNOTATIONS_FILE",
    "STORIES_FILE",
    "LoadCancelled",
    "ReadOnlyError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoryEntry",
]

STORIES_FILE = "stories.json"


class Store:
    """Stories and annotations of one data dir. Raises StoreError (StoreLockedError if another writes)."""

    def __init__(
        self, data_dir: str | Path, *, read_only: bool = False, compact_min_bytes: int | None = None, lean: bool = True
    ) -> None:
        """Open the library in `data_dir`. `compact_min_bytes` overrides how big a journal may grow before it is
        folded into a new snapshot (tests and benchmarks use a small one to exercise compaction). `lean`: hold the
        annotations' text and context as the story texts give them (`annotations.store.lean`: ~260 B less an
        annotation, for a load that reads each annotated story's text once); a short-lived command loads faster
        without."""
        self.data_dir = Path(data_dir)
        self.read_only = read_only
        self.lean = lean
        self._compact_min_bytes = compact_min_bytes
        self._lock = DataDirLock(self.data_dir)
        self._loading = threading.Lock()
        self._cancel = threading.Event()  # set by `close`: a background load stops
        self._index_lock = threading.Lock()
        self._stories_db: JournaledDB | None = None  # the story index, opened on first need when the list was read
        self._listed: ListState | None = None  # the state of the index `stories.list` holds, when it was read
        self._entries: dict[str, StoryEntry] = {}
        self._versions: dict[str, list[StoryEntry]] = {}  # wire identity -> versions, oldest first
        self._sorted: list[StoryEntry] | None = None  # every entry, newest first, until the next change
        self._shown: dict[bool, list[StoryEntry]] = {}  # `entries()` by all_versions, until the next change
        if not read_only:
            make_private_dirs(self.data_dir)
            self._lock.acquire()
            remove_stale_temp_files(self.data_dir)
        try:
            self._bodies = BodyPack(self.data_dir, read_only=read_only)
            last_text = self._bodies.last_seq()  # first: a writer stores texts after the index changes before them
            self._check_pack(last_text, self._read_entries())
        except BaseException:
            with contextlib.suppress(StoreError):
                if self._stories_db is not None:
                    self._stories_db.storage.close()
            self._lock.release()
            raise
        self._tags: TagStore | None = None
        self._sources = StorySources(self.data_dir)
        self._unread: UnreadMarks | None = None
        self._sync: SyncState | None = None

    def _read_entries(self) -> int:
        """Read the story list: from `stories.list` when it holds the index as it is on disk, else from the index
        itself. Returns the index's change number."""
        listed = read_list(self.data_dir)
        if listed is not None and listed[0] == index_state(self.data_dir / STORIES_FILE):
            state, rows = listed
            share_days(rows)
            self._entries = {entry.id: entry for entry in rows}
            if len(self._entries) == len(rows):  # else an id is there twice: damage
                for entry in rows:
                    if entry.wire_id:
                        self._versions.setdefault(entry.wire_id, []).append(entry)
                for group in self._versions.values():
                    group.sort(key=version_order)
                self._sorted = rows  # written newest first
                self._listed = state
                return state.seq
            self._entries, self._versions = {}, {}
        db = self._index()
        for rec in tracked(db, "stories").records().values():
            self._remember(entry_of_record(rec))
        return db.storage.seq

    def _index(self) -> JournaledDB:
        """The story index, opened now if it is not yet (a library opened from its list opens it to store)."""
        with self._index_lock:
            if self._stories_db is None:
                db = self._open(STORIES_FILE, "stories", StoryRecord)
                if self._listed is not None and db.storage.seq != self._listed.seq:
                    db.storage.close()
                    raise StoreError(f"{db.storage.path} changed since the library was opened; open it again")
                self._stories_db = db
            return self._stories_db

    @property
    def _stories(self) -> TrackedTable:
        return tracked(self._index(), "stories")

    def _check_pack(self, last: int | None, seq: int) -> None:
        """Cross-check the story index (at change `seq`) with the text pack: every text in the pack was stored
        by an index change (its number `last` is beside it), so a pack ahead of the index means the index lost
        changes."""
        if last is not None and last > seq + 1:  # +1: an import may have died between text and index
            journal_path = (self.data_dir / STORIES_FILE).with_suffix(".journal")
            raise StoreError(
                f"{journal_path} holds the story index up to change {seq}, but {self._bodies.path} "
                f"has texts stored by change {last}: changes are missing; {LOOK}"
            )

    def _open(self, name: str, table: str, record_type: type) -> JournaledDB:
        tuning: dict[str, Any] = {}
        if self._compact_min_bytes is not None:
            tuning["compact_min_bytes"] = self._compact_min_bytes
        storage = JournaledStorage(self.data_dir / name, types={table: record_type}, read_only=self.read_only, **tuning)
        return tracked_db(storage)  # loaded now: an unreadable file is reported at open, not at first use

    def take_warnings(self) -> list[str]:
        """Problems that did not stop a save (a compaction that failed and will be retried); each once."""
        found = []
        for db in self._dbs():
            if db.storage.compaction_error:
                found.append(db.storage.compaction_error)
                db.storage.compaction_error = ""
        return found

    def _dbs(self) -> list[JournaledDB]:
        return [db for db in (self._stories_db, self._tags.db if self._tags is not None else None) if db is not None]

    @property
    def writer(self) -> str:
        """Who holds the write lock, when this store is read-only because of it."""
        return self._lock.holder()

    def close(self, *, compact: bool | None = None) -> None:
        """Close the files. `compact=True` first folds the journals into new snapshots (the app does so at exit);
        otherwise the journals stay as they are (they were already compacted whenever they passed their threshold).
        A background load of the annotations stops at once (nothing was changed by it)."""
        self._cancel.set()
        with self._loading:  # a background load stops first
            self._close(compact)

    def _close(self, compact: bool | None) -> None:
        error: StoreError | None = None
        try:
            for db in self._dbs():  # each is closed even if another fails
                storage = db.storage
                try:
                    storage.close(compact=bool(compact) and not self.read_only)
                except StoreError as exc:
                    error = error or exc
            self._write_list()
        finally:
            self._bodies.close()
            self._lock.release()
        if error is not None:
            raise error

    def _write_list(self) -> None:
        """Write `stories.list` anew if the index changed since it was written (a writer that opened the index)."""
        db = self._stories_db
        if self.read_only or db is None or not db.storage.uid or db.storage.legacy or not self._entries:
            return  # read-only, nothing read or stored, or a library with no stories (nothing to speed up)
        storage = db.storage
        try:
            state = ListState(storage.uid, storage.generation, storage.seq, snapshot_tag(storage.path))
            if state != self._listed:
                write_list(self.data_dir, state, self._entries.values())
                self._listed = state
        except (StoreError, OSError):  # derived: the next open reads the index itself and tries again
            pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- stories ---------------------------------------------------------------------------------------

    def add_stories(self, stories: Iterable[Story]) -> list[bool]:
        """Store story versions with one fsync for the bodies and one for the index; True for each new one."""
        return [status != "present" for status in self.import_stories(stories)]

    def import_stories(self, stories: Iterable[Story]) -> list[str]:
        """Store story versions; for each: "present" (already in the library: nothing changed), "version" (a new
        version of a story the library has: same wire identity, other text) or "imported". One fsync for the
        bodies and one for the index, whatever the number of stories."""
        stories = list(stories)
        new: dict[str, Story] = {}
        new_wire_ids: set[str] = set()
        statuses = []
        for story in stories:
            if story.id in self._entries or story.id in new:
                statuses.append("present")
                continue
            wire_id = story.meta.wire_id  # a version keeps the number its wire gave it: `version_order` orders
            known = wire_id and (wire_id in self._versions or wire_id in new_wire_ids)
            statuses.append("version" if known else "imported")
            new[story.id] = story
            if wire_id:
                new_wire_ids.add(wire_id)
        if new:
            added = now_iso()
            docs = [{"id": story.id, **story.meta.to_dict(), "added": added} for story in new.values()]
            seq = self._index().storage.seq + 1
            spans = self._bodies.append(new.values(), seq=seq, records=docs)
            self._stories.insert_multiple([{**doc, "body": span} for doc, span in zip(docs, spans, strict=True)])
            stories_table = self._stories
            for story in new.values():
                self._remember(entry_of_record(stories_table.find(story.id)))
        return statuses

    @property
    def unread(self) -> UnreadMarks:
        """Which story versions are unread (`annotations.store.unread`), read on first use."""
        if self._unread is None:
            self._unread = UnreadMarks(self.data_dir, read_only=self.read_only)
        return self._unread

    @property
    def sync(self) -> SyncState:
        """The library's side of sync through git (`annotations.store.sync_state`): remote, conflicts."""
        if self._sync is None:
            self._sync = SyncState(self.data_dir, read_only=self.read_only)
        return self._sync

    def _remember(self, entry: StoryEntry) -> None:
        self._sorted = None
        self._shown.clear()
        self._entries[entry.id] = entry
        if entry.wire_id:
            group = self._versions.setdefault(entry.wire_id, [])
            group.append(entry)
            group.sort(key=version_order)

    def _numbered(self, entry: StoryEntry) -> StoryEntry:
        """`entry` as the library shows it: numbered by its place among the story's versions (1 the oldest,
        `versions` the newest; a story held once is 1 of 1), whatever number its wire gave it (that only orders
        them)."""
        group = self._versions.get(entry.wire_id) if entry.wire_id else None
        if not group or len(group) < 2:
            return entry if entry.version == 1 else entry.numbered(1, 1)
        number = next(n for n, e in enumerate(group, 1) if e is entry)
        return entry.numbered(number, len(group))

    def entries(self, *, all_versions: bool = False) -> list[StoryEntry]:
        """The stories of the library, newest first (undated ones last): of a story with several versions, only
        the newest (with `versions` set), unless `all_versions`."""
        shown = self._shown.get(all_versions)
        if shown is None:
            if self._sorted is None:
                self._sorted = sorted(self._entries.values(), key=newest_first, reverse=True)
            shown = self._sorted
            if any(len(group) > 1 for group in self._versions.values()) or any(e.version != 1 for e in shown):
                shown = []
                for entry in self._sorted:
                    group = self._versions.get(entry.wire_id) if entry.wire_id else None
                    if group and len(group) > 1 and not all_versions and group[-1] is not entry:
                        continue
                    shown.append(self._numbered(entry))
            self._shown[all_versions] = shown
        return list(shown)

    def versions(self, story_id: str) -> list[StoryEntry]:
        """Every version of the story this id belongs to, oldest first (just itself if it has no others)."""
        entry = self._entries.get(story_id)
        if entry is None:
            raise StoreError(f"no story {short_id(story_id)} in the library")
        group = self._versions.get(entry.wire_id) if entry.wire_id else None
        return [self._numbered(e) for e in group] if group else [entry]

    def __len__(self) -> int:
        return len(self._entries)

    def story_meta(self, story_id: str) -> StoryMeta:
        """The metadata of the story with this full id."""
        try:
            return self._numbered(self._entries[story_id]).meta
        except KeyError:
            raise StoreError(f"no story {short_id(story_id)} in the library") from None

    def packed_bodies(self) -> Iterator[dict[str, Any] | None]:
        """Every story body in the texts pack, in the order they were stored (None for a line that does not
        decode), in one pass: for a reader of every text (the search index), which checks each against its id."""
        for _, _, body in self._bodies.scan():
            yield body

    def story(self, story_id: str) -> Story:
        """The story with this full id, its text read from the pack and checked against its id."""
        meta = self.story_meta(story_id)
        text, blocks = self._bodies.read(story_id, self._entries[story_id].body)
        return Story(id=story_id, text=text, blocks=blocks, meta=meta)

    def resolve(self, ref: str) -> str:
        """The full id of the story whose id starts with `ref` (any unique prefix)."""
        ref = ref.strip().lower()
        if not ref:
            raise StoreError("no story id given")
        if ref in self._entries:
            return ref
        found = [sid for sid in self._entries if sid.startswith(ref)]
        if not found:
            raise StoreError(f"no story with id {ref!r} in the library (see `wiredesk list`)")
        if len(found) > 1:
            raise StoreError(f"story id {ref!r} is ambiguous: {len(found)} stories start with it; give more of it")
        return found[0]

    # --- annotations and the actor registry -----------------------------------------------------------

    @property
    def annotations_loaded(self) -> bool:
        return self._tags is not None

    def load_annotations(self) -> None:
        """Read the annotations and the registry now (safe from a worker thread; later calls return at once).
        Raises LoadCancelled if the store is closed meanwhile (the load stops at once, having changed nothing)."""
        with self._loading:
            if self._tags is None:
                self._stop_if_closing()
                tuning = {} if self._compact_min_bytes is None else {"compact_min_bytes": self._compact_min_bytes}
                self._tags = TagStore(
                    self.data_dir,
                    read_only=self.read_only,
                    tuning=tuning,
                    check=self._stop_if_closing,
                    text_of=self._text_of if self.lean else None,
                )

    def _text_of(self, story_id: str) -> str | None:
        """The text of a story in the library (read from the pack, checked), or None."""
        entry = self._entries.get(story_id)
        return None if entry is None else self._bodies.text(story_id, entry.body)

    def _stop_if_closing(self) -> None:
        if self._cancel.is_set():
            raise LoadCancelled(f"{self.data_dir} was closed while its annotations were read")

    @property
    def tags(self) -> TagStore:
        """The annotations and the registry, read on first use."""
        self.load_annotations()
        assert self._tags is not None
        return self._tags

    def annotations(self, story_id: str | None = None) -> list[Annotation]:
        """Annotations of one story (or of all), in text order."""
        if story_id is None:
            return sorted(self.iter_annotations(), key=lambda a: (a.story_id, a.start, -a.end, a.kind, a.id))
        return self.tags.of_story(story_id)

    def iter_annotations(self) -> Iterator[Annotation]:
        """Every annotation, story by story."""
        return self.tags.all()

    def annotation(self, ann_id: str) -> Annotation | None:
        return self.tags.get(ann_id)

    def counts(self, story_id: str) -> Counter[str]:
        """How many annotations of each kind a story has (shared between stories with the same counts: do not
        change it)."""
        tags = self._tags if self._tags is not None else self.tags
        return tags.counts(story_id)

    def apply(
        self,
        edits: Sequence[Edit],
        *,
        tombstones: Mapping[str, Mapping[str, str] | None] | None = None,
        actor_tombstones: Mapping[str, Mapping[str, str] | None] | None = None,
        decision_tombstones: Mapping[str, Mapping[str, str] | None] | None = None,
    ) -> None:
        """Make a set of changes to annotations and registry entries durably, or none of them (see TagStore);
        `tombstones` sets the tombstones of those annotation ids exactly (None: none), `actor_tombstones` those
        of registry entries, `decision_tombstones` those of curation decisions."""
        self.tags.apply(edits, self.story, tombstones, actor_tombstones, decision_tombstones)

    def actors(self, *, include_merged: bool = False) -> list[Actor]:
        """Registry entries by name (those merged into another only with `include_merged`)."""
        found = [a for a in self.tags.registry.values() if include_merged or not a.merged_into]
        return sorted(found, key=lambda a: a.name.casefold())

    def actor(self, actor_id: str | None) -> Actor | None:
        """The entry an id stands for now (a merged entry gives the one it was merged into)."""
        return self.tags.canonical(actor_id)

    def actor_usage(self, actor_id: str) -> list[tuple[str, Annotation]]:
        """(field, annotation) for every annotation linking to this entry or one merged into it."""
        return self.tags.usage(actor_id)

    # --- rejected suggestions (see `annotations.store.rejections`) ---

    def rejections(self, story_id: str | None = None) -> list[Rejection]:
        """The rejected suggestions of one story (or of all), in text order."""
        return self.tags.rejected.of_story(story_id)

    def rejection(self, rejection_id: str) -> Rejection | None:
        rec = self.tags.rejections.find(rejection_id)
        return None if rec is None else Rejection.from_record(rec)

    def rejected_keys(self, story_id: str) -> Set[tuple[str, int, int]]:
        """The (kind, start, end) of every suggestion rejected in this story (live: do not change it)."""
        return self.tags.rejected.keys(story_id)

    def rejected_patterns(self) -> Set[str]:
        """Every rejected pattern ("actor:thursday talks"), not to be suggested in any story (live)."""
        return self.tags.rejected.patterns()

    # --- curation decisions (see `annotations.store.decisions`) ---

    def decisions(self, story_id: str) -> list[Decision]:
        """What the curator settled in one story version, in text order."""
        return self.tags.decided.of_story(story_id)

    def curated_stories(self) -> set[str]:
        """The story versions that are curated: every kind and span an annotator tagged is settled, by a decision
        or because the curated layer holds it (`annotations.curation`; whatever its policy, which decides only
        how an item gets settled)."""
        found: set[str] = set()
        for story_id in self.tags.decided.by_story:
            records = self.tags.by_story.get(story_id, {}).values()
            settled = {d.key for d in self.tags.decided.of_story(story_id)}
            settled |= {(r.kind, r.start, r.end) for r in records if r.annotator == CURATED}
            if all((r.kind, r.start, r.end) in settled for r in records):
                found.add(story_id)
        return found

    def decision(self, decision_id: str) -> Decision | None:
        rec = self.tags.curation.find(decision_id)
        return None if rec is None else Decision.from_record(rec)

    def all_decisions(self) -> list[Decision]:
        """Every curation decision, by story then in text order."""
        return [d for story_id in sorted(self.tags.decided.by_story) for d in self.tags.decided.of_story(story_id)]

    def decision_tombstone(self, decision_id: str) -> dict[str, str] | None:
        """The tombstone of an undone curation decision (id, story_id, deleted, modified), or None."""
        return self.tags.decision_tombstone(decision_id)

    def decision_tombstones(self) -> list[dict[str, str]]:
        """Tombstones of undone curation decisions (id, story_id, deleted, modified), oldest first: sync carries
        an undo to the other libraries (`annotations.sync`)."""
        return self.tags.deleted_decisions()

    # --- carried annotations waiting for review (see `annotations.carrying`) ---

    def orphans(self, story_id: str | None = None) -> list[Orphan]:
        """The annotations of earlier versions that could not be placed on this story version (or on any)."""
        return self.tags.orphaned.of_story(story_id)

    def orphan(self, orphan_id: str) -> Orphan | None:
        rec = self.tags.orphans.find(orphan_id)
        return None if rec is None else Orphan.from_record(rec)

    def carry(self, story_id: str) -> Carry | None:
        """The record of carrying an earlier version's annotations onto this version, if there was one."""
        return self.tags.carry(story_id)

    def review_counts(self) -> Counter[str]:
        """How many carried annotations wait for review, by story version (only versions with some)."""
        tags = self.tags
        found: Counter[str] = Counter({sid: len(found) for sid, found in tags.orphaned.by_story.items()})
        for key, carried in tags.carried.items():
            if carried.pending and (rec := tags.annotations.find(key)) is not None:
                found[rec.story_id] += 1
        return found

    def to_review(self, story_id: str) -> int:
        """How many carried annotations of this story version wait for review: orphans and changed spans."""
        tags = self.tags
        changed = sum(
            1 for rec in tags.by_story.get(story_id, {}).values() if (c := tags.carried.get(rec.id)) and c.pending
        )
        return tags.orphaned.count(story_id) + changed

    # --- claim threads (see `annotations.threads`) ---

    def threads(self) -> list[Thread]:
        """Every claim thread, oldest first."""
        return sorted(self.tags.threads.values(), key=lambda t: (t.created, t.id))

    def thread(self, thread_id: str) -> Thread | None:
        return self.tags.threads.get(thread_id)

    def thread_of(self, ann_id: str) -> Thread | None:
        """The thread a claim annotation is in, if any."""
        tags = self.tags
        found = tags.thread_of.get(ann_id)
        return None if found is None else tags.threads.get(found)

    def thread_tombstone(self, thread_id: str) -> ThreadTombstone | None:
        """The tombstone of a deleted claim thread, or None."""
        return self.tags.thread_tombstone(thread_id)

    def thread_tombstones(self) -> list[ThreadTombstone]:
        """Tombstones of deleted claim threads, oldest first."""
        return self.tags.deleted_threads()

    # --- for the history and registry ---

    def tombstone(self, ann_id: str) -> dict[str, str] | None:
        """The tombstone of a deleted annotation (id, story_id, deleted, modified), or None."""
        return self.tags.tombstone(ann_id)

    def actor_tombstone(self, actor_id: str) -> dict[str, str] | None:
        """The tombstone of a deleted registry entry (id, deleted, modified), or None."""
        return self.tags.actor_tombstone(actor_id)

    def actor_tombstones(self) -> list[dict[str, str]]:
        """Tombstones of deleted registry entries (id, deleted, modified), oldest first."""
        return self.tags.deleted_actors()

    def entry(self, actor_id: str) -> Actor | None:
        """The registry entry with this id as stored: a merged one itself, not the entry it forwards to."""
        return self.tags.registry.get(actor_id)

    def merged_ids(self, actor_id: str) -> set[str]:
        """The id of an entry and of every entry merged into it (directly or not)."""
        return self.tags.merged_ids(actor_id)

    # --- for merge ---

    def registry(self) -> Mapping[str, Actor]:
        """Every registry entry by id, those merged into another included (the live registry: do not change it)."""
        return self.tags.registry

    def records_by_story(self) -> Mapping[str, Mapping[str, AnnotationRecord]]:
        """Every stored annotation record, by story id then annotation id (live: do not change it). A record's
        `exact`, `prefix` and `suffix` may be `lean.FROM_TEXT` (held in the story text): `annotation(id)` has them."""
        return self.tags.by_story

    def tombstones(self) -> list[dict[str, str]]:
        """Tombstones of deleted annotations (id, story_id, deleted, modified), oldest first."""
        return self.tags.deleted()

    @property
    def story_ids(self) -> Set[str]:
        """The full id of every story version in the library (live: do not change it)."""
        return self._entries.keys()

    def story_source(self, story_id: str) -> str:
        """The live source this story came from ("" if it was imported by hand)."""
        return self._sources.get(story_id)

    def story_sources(self) -> Mapping[str, str]:
        """Story id -> the live source it came from, for every story that came from one."""
        return self._sources.all()

    def record_sources(self, sources: Mapping[str, str]) -> None:
        """Remember which source stories came from (a story keeps its first); durable when it returns."""
        if self.read_only:
            raise ReadOnlyError(f"{self.data_dir} is open read-only: story sources cannot be recorded")
        self._sources.record(sources)
