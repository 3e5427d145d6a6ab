"""The library on disk: stories and annotations of one data dir.

Files in the data dir:

- `stories.json` + `stories.journal` — TinyDB: the story index (metadata, and where each body lies);
- `texts.pack` — the story bodies, append-only (see `annotations.store.bodies`);
- `annotations.json` + `annotations.journal` — TinyDB: the annotations;
- `backups/` — earlier snapshots with their journals; `.lock` — who is writing.

Both TinyDB files use `JournaledStorage` and `TrackedTable`: a save is one fsync'd journal line, whatever the
library's size. One process at a time writes (see `annotations.store.lock`); others open read-only. Annotations
load on first use (or in the background, `load_annotations`), so listing stories never waits for them.
Every method that changes something returns only after the change is durable.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from annotations.actors import Actor
from annotations.model import Annotation, now_iso
from annotations.store.bodies import BodyPack
from annotations.store.files import ReadOnlyError
from annotations.store.lock import DataDirLock, StoreLockedError
from annotations.store.records import AnnotationRecord, Record, StoryRecord
from annotations.store.rejections import Rejection
from annotations.store.storage import LOOK, JournaledStorage, StoreError
from annotations.store.table import JournaledDB, tracked, tracked_db
from annotations.store.tagstore import ANNOTATIONS_FILE, Edit, TagStore
from stories.dates import dateline_day
from stories.model import Story, StoryMeta, short_id

__all__ = ["ANNOTATIONS_FILE", "STORIES_FILE", "ReadOnlyError", "Store", "StoreError", "StoreLockedError", "StoryEntry"]

STORIES_FILE = "stories.json"


@dataclass(frozen=True)
class StoryEntry:
    """A story in the library list: its id, metadata and when it was added (no text)."""

    id: str
    meta: StoryMeta
    added: str
    versions: int = 1  # how many versions of this story the library holds (set by `Store.entries`)

    @property
    def version(self) -> int:
        """This version's number (1 for a story with no other versions)."""
        return self.meta.version or 1

    @property
    def short_id(self) -> str:
        return short_id(self.id)

    @property
    def date(self) -> str:
        """The story's date: updated, else created, else its dateline's day (a dateline without a year counts in
        the year the story was added); "" if it has none."""
        return self.meta.updated or self.meta.created or _dateline_date(self.meta, self.added)

    @property
    def day(self) -> str:
        """The day filters go by: the story's date, else the day it was added (YYYY-MM-DD)."""
        return (self.date or self.added)[:10]

    @property
    def sort_key(self) -> tuple[str, str]:
        """Sorted in reverse, newest first by the story's date; undated stories last (latest added first)."""
        return (self.date, self.added)


def _dateline_date(meta: StoryMeta, added: str) -> str:
    """ISO date of a dateline date such as "March 4", in the latest year not after `added`; else ""."""
    day = dateline_day(str(meta.extra.get("dateline_date") or ""), added)
    return day.isoformat() if day is not None else ""


def _entry(rec: Record) -> StoryEntry:
    return StoryEntry(rec.id, StoryMeta.from_dict(cast(Mapping[str, Any], rec)), rec.added)


def _make_private_dirs(folder: Path) -> None:
    """Create `folder` and every missing folder above it, each readable by the user only (0700, whatever the
    umask); folders that exist are left as they are."""
    missing = [p for p in (folder, *folder.parents) if not os.path.isdir(p)]
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
            os.chmod(path, 0o700)  # mkdir's mode is cut by the umask
        except FileExistsError:
            if not path.is_dir():
                raise StoreError(f"cannot create data dir {folder}: {path} is not a folder") from None
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise ReadOnlyError(f"cannot create data dir {folder}: {exc.strerror}", exc.strerror or "") from None
            raise StoreError(f"cannot create data dir {folder}: {exc.strerror}") from None


def _remove_stale_temp_files(data_dir: Path) -> None:
    """Temp files of writes a crash interrupted: never acknowledged data (the writer holds the lock now)."""
    for folder in (data_dir, data_dir / "backups"):
        for tmp in folder.glob(".*.tmp") if folder.is_dir() else ():
            with contextlib.suppress(OSError):
                tmp.unlink()


class Store:
    """Stories and annotations of one data dir. Raises StoreError (StoreLockedError if another writes)."""

    def __init__(self, data_dir: str | Path, *, read_only: bool = False, compact_min_bytes: int | None = None) -> None:
        """Open the library in `data_dir`. `compact_min_bytes` overrides how big a journal may grow before it is
        folded into a new snapshot (tests and benchmarks use a small one to exercise compaction)."""
        self.data_dir = Path(data_dir)
        self.read_only = read_only
        self._compact_min_bytes = compact_min_bytes
        self._lock = DataDirLock(self.data_dir)
        self._loading = threading.Lock()
        if not read_only:
            _make_private_dirs(self.data_dir)
            self._lock.acquire()
            _remove_stale_temp_files(self.data_dir)
        try:
            self._bodies = BodyPack(self.data_dir, read_only=read_only)
            last_text = self._bodies.last_seq()  # first: a writer stores texts after the index changes before them
            self._stories_db = self._open(STORIES_FILE, "stories", StoryRecord)
            self._stories = tracked(self._stories_db, "stories")
            self._entries: dict[str, StoryEntry] = {}
            self._versions: dict[str, list[StoryEntry]] = {}  # wire identity -> versions, oldest first
            for rec in self._stories.records().values():
                self._remember(_entry(rec))
            self._check_pack(last_text)
        except BaseException:
            with contextlib.suppress(StoreError):
                if hasattr(self, "_stories_db"):
                    self._stories_db.storage.close()
            self._lock.release()
            raise
        self._tags: TagStore | None = None

    def _check_pack(self, last: int | None) -> None:
        """Cross-check the story index with the text pack: every text in the pack was stored by an index change
        (its number `last` is beside it), so a pack ahead of the index means the index lost changes."""
        storage = self._stories_db.storage
        if last is not None and last > storage.seq + 1:  # +1: an import may have died between text and index
            raise StoreError(
                f"{storage.journal_path} holds the story index up to change {storage.seq}, but {self._bodies.path} "
                f"has texts stored by change {last}: changes are missing; {LOOK}"
            )

    def _open(self, name: str, table: str, record_type: type) -> JournaledDB:
        tuning = {} if self._compact_min_bytes is None else {"compact_min_bytes": self._compact_min_bytes}
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
        return [self._stories_db] + ([self._tags.db] if self._tags is not None else [])

    @property
    def writer(self) -> str:
        """Who holds the write lock, when this store is read-only because of it."""
        return self._lock.holder()

    def close(self, *, compact: bool | None = None) -> None:
        """Close the files. `compact=True` first folds the journals into new snapshots (the app does so at exit);
        otherwise the journals stay as they are (they were already compacted whenever they passed their threshold)."""
        with self._loading:  # a background load finishes first
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
        finally:
            self._lock.release()
        if error is not None:
            raise error

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
        statuses = []
        for story in stories:
            if story.id in self._entries or story.id in new:
                statuses.append("present")
                continue
            wire_id = story.meta.wire_id
            taken = {e.version for e in self._versions.get(wire_id, ())} if wire_id else set()
            taken |= {s.meta.version or 1 for s in new.values() if wire_id and s.meta.wire_id == wire_id}
            if taken:  # another version of a story we have: keep its own number if free, else the next one
                mine = story.meta.version
                story = replace(
                    story, meta=replace(story.meta, version=mine if mine and mine not in taken else max(taken) + 1)
                )
            new[story.id] = story
            statuses.append("version" if taken else "imported")
        if new:
            added = now_iso()
            docs = [{"id": story.id, **story.meta.to_dict(), "added": added} for story in new.values()]
            seq = self._stories_db.storage.seq + 1
            spans = self._bodies.append(new.values(), seq=seq, records=docs)
            self._stories.insert_multiple([{**doc, "body": span} for doc, span in zip(docs, spans, strict=True)])
            for story in new.values():
                self._remember(_entry(self._stories.find(story.id)))
        return statuses

    def _remember(self, entry: StoryEntry) -> None:
        self._entries[entry.id] = entry
        if entry.meta.wire_id:
            group = self._versions.setdefault(entry.meta.wire_id, [])
            group.append(entry)
            group.sort(key=lambda e: (e.version, e.added))

    def _numbered(self, entry: StoryEntry) -> StoryEntry:
        """`entry` as the library shows it: of a story with several versions, numbered by its place among them
        (1 the oldest, `versions` the newest), whatever number its wire gave it (that only orders them)."""
        group = self._versions.get(entry.meta.wire_id) if entry.meta.wire_id else None
        if not group or len(group) < 2:
            return entry
        number = next(n for n, e in enumerate(group, 1) if e is entry)
        meta = entry.meta if entry.version == number else replace(entry.meta, version=number)
        return replace(entry, meta=meta, versions=len(group))

    def entries(self, *, all_versions: bool = False) -> list[StoryEntry]:
        """The stories of the library, newest first (undated ones last): of a story with several versions, only
        the newest (with `versions` set), unless `all_versions`."""
        shown = []
        for entry in self._entries.values():
            group = self._versions.get(entry.meta.wire_id) if entry.meta.wire_id else None
            if group and len(group) > 1 and not all_versions and group[-1] is not entry:
                continue
            shown.append(self._numbered(entry))
        return sorted(shown, key=lambda e: e.sort_key, reverse=True)

    def versions(self, story_id: str) -> list[StoryEntry]:
        """Every version of the story this id belongs to, oldest first (just itself if it has no others)."""
        entry = self._entries.get(story_id)
        if entry is None:
            raise StoreError(f"no story {short_id(story_id)} in the library")
        group = self._versions.get(entry.meta.wire_id) if entry.meta.wire_id else None
        return [self._numbered(e) for e in group] if group else [entry]

    def __len__(self) -> int:
        return len(self._entries)

    def story_meta(self, story_id: str) -> StoryMeta:
        """The metadata of the story with this full id."""
        try:
            return self._numbered(self._entries[story_id]).meta
        except KeyError:
            raise StoreError(f"no story {short_id(story_id)} in the library") from None

    def story(self, story_id: str) -> Story:
        """The story with this full id, its text read from the pack and checked against its id."""
        meta = self.story_meta(story_id)
        text, blocks = self._bodies.read(story_id, tuple(self._stories.find(story_id).body))
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
        """Read the annotations and the registry now (safe from a worker thread; later calls return at once)."""
        with self._loading:
            if self._tags is None:
                tuning = {} if self._compact_min_bytes is None else {"compact_min_bytes": self._compact_min_bytes}
                self._tags = TagStore(self.data_dir, read_only=self.read_only, tuning=tuning)

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
        """How many annotations of each kind a story has."""
        return self.tags.counts(story_id)

    def apply(self, edits: Sequence[Edit], *, tombstones: Mapping[str, Mapping[str, str] | None] | None = None) -> None:
        """Make a set of changes to annotations and registry entries durably, or none of them (see TagStore);
        `tombstones` sets the tombstones of those annotation ids exactly (None: none)."""
        self.tags.apply(edits, self.story, tombstones)

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

    # --- for the history and registry ---

    def tombstone(self, ann_id: str) -> dict[str, str] | None:
        """The tombstone of a deleted annotation (id, story_id, deleted, modified), or None."""
        return self.tags.tombstone(ann_id)

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
        """Every stored annotation record, by story id then annotation id (live: do not change it)."""
        return self.tags.by_story

    def tombstones(self) -> list[dict[str, str]]:
        """Tombstones of deleted annotations (id, story_id, deleted, modified), oldest first."""
        return self.tags.deleted()

    @property
    def story_ids(self) -> Set[str]:
        """The full id of every story version in the library (live: do not change it)."""
        return self._entries.keys()
