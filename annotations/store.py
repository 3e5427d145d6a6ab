"""The library on disk: stories and annotations of one data dir, in two TinyDB files.

Stories live in `stories.json`, annotations in `annotations.json`, so tagging never rewrites story text.
Both are TinyDB files whose document ids are the story and annotation ids. Every method that changes
something returns only after the change is durable on disk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from annotations.model import KINDS, Annotation, AnnotationError, now_iso
from annotations.storage import AtomicJSONStorage, StoreError
from stories.model import Story, StoryMeta, short_id

__all__ = ["ANNOTATIONS_FILE", "STORIES_FILE", "Store", "StoreError", "StoryEntry"]

STORIES_FILE = "stories.json"
ANNOTATIONS_FILE = "annotations.json"


class _KeyedTable(Table):
    """A TinyDB table whose document ids are our own string ids."""

    document_id_class = str

    def _get_next_id(self) -> str:  # pragma: no cover - every insert names its id
        raise AnnotationError("documents in this table need an explicit id")


@dataclass(frozen=True)
class StoryEntry:
    """A story in the library list: its id, metadata and when it was added (no text)."""

    id: str
    meta: StoryMeta
    added: str

    @property
    def short_id(self) -> str:
        return short_id(self.id)

    @property
    def sort_key(self) -> tuple[str, str]:
        """Newest first by publication date; a dateline date without a year counts in the year it was added."""
        return (self.meta.updated or self.meta.created or _dateline_date(self.meta, self.added), self.added)


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def _dateline_date(meta: StoryMeta, added: str) -> str:
    """ISO date of a dateline date such as "March 4", in the latest year not after `added`; else `added`."""
    words = str(meta.extra.get("dateline_date") or "").replace(".", " ").split()
    try:
        month, day, year = _MONTHS[words[0][:3].lower()], int(words[1]), int(added[:4])
        when = date(year, month, day)
        if when.isoformat() > added[:10]:
            when = date(year - 1, month, day)
        return when.isoformat()
    except (IndexError, KeyError, ValueError):
        return added[:10]


StorageFactory = Callable[[Path, bool], Storage]


def _default_storage(path: Path, read_only: bool) -> Storage:
    return AtomicJSONStorage(path, read_only=read_only)


class Store:
    """Stories and annotations of one data dir. Raises StoreError when a file is unreadable."""

    def __init__(
        self, data_dir: str | Path, *, read_only: bool = False, storage: StorageFactory = _default_storage
    ) -> None:
        self.data_dir = Path(data_dir)
        self.read_only = read_only
        if not read_only:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:
                raise StoreError(f"cannot create data dir {self.data_dir}: {exc.strerror}") from None
        self._stories_db = self._open(STORIES_FILE, storage)
        self._annotations_db = self._open(ANNOTATIONS_FILE, storage)
        self._stories = self._stories_db.table("stories")
        self._annotations = self._annotations_db.table("annotations")
        self._reindex()

    def _open(self, name: str, storage: StorageFactory) -> TinyDB:
        db = TinyDB(self.data_dir / name, storage=lambda path: storage(Path(path), self.read_only))
        db.table_class = _KeyedTable
        return db

    def _reindex(self) -> None:
        """Build the in-memory indexes from the files (at open, and after a refused write)."""
        entries: dict[str, StoryEntry] = {}
        try:
            for doc in self._stories:
                if not isinstance(doc.get("headline"), str) or not isinstance(doc.get("added"), str):
                    raise ValueError(f"story {short_id(str(doc.doc_id))} lacks its headline or date added")
                entries[str(doc.doc_id)] = StoryEntry(str(doc.doc_id), StoryMeta.from_dict(doc), doc["added"])
        except (KeyError, TypeError, ValueError) as exc:
            where = self.data_dir / STORIES_FILE
            raise StoreError(f"{where} holds a damaged record ({exc}); it was left untouched") from None
        by_story: dict[str, dict[str, Annotation]] = {}
        try:
            for doc in self._annotations:
                ann = Annotation.from_dict(doc)
                by_story.setdefault(ann.story_id, {})[ann.id] = ann
        except (KeyError, TypeError, ValueError) as exc:
            where = self.data_dir / ANNOTATIONS_FILE
            raise StoreError(f"{where} holds a damaged record ({exc}); it was left untouched") from None
        self._entries, self._by_story = entries, by_story

    def _write(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except StoreError:
            self._reindex()
            raise

    def close(self) -> None:
        self._stories_db.close()
        self._annotations_db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- stories ---------------------------------------------------------------------------------------

    def add_story(self, story: Story) -> bool:
        """Store a story version. False if the library already had it (nothing is changed then)."""
        if story.id in self._entries:
            return False
        doc = {**story.to_dict(), "added": now_iso()}
        del doc["id"]
        self._write(lambda: self._stories.insert(Document(doc, doc_id=story.id)))
        self._entries[story.id] = StoryEntry(story.id, story.meta, doc["added"])
        return True

    def entries(self) -> list[StoryEntry]:
        """Every story in the library, newest first."""
        return sorted(self._entries.values(), key=lambda e: e.sort_key, reverse=True)

    def __len__(self) -> int:
        return len(self._entries)

    def story_meta(self, story_id: str) -> StoryMeta:
        """The metadata of the story with this full id."""
        try:
            return self._entries[story_id].meta
        except KeyError:
            raise StoreError(f"no story {short_id(story_id)} in the library") from None

    def story(self, story_id: str) -> Story:
        """The story with this full id."""
        doc = self._stories.get(doc_id=story_id)
        if doc is None:
            raise StoreError(f"no story {short_id(story_id)} in the library")
        try:
            return Story.from_dict({**doc, "id": story_id})
        except (KeyError, TypeError, ValueError) as exc:
            where = self.data_dir / STORIES_FILE
            raise StoreError(f"story {short_id(story_id)} in {where} is damaged: {exc}") from None

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

    # --- annotations -----------------------------------------------------------------------------------

    def annotations(self, story_id: str | None = None) -> list[Annotation]:
        """Annotations of one story (or of all), in text order."""
        if story_id is None:
            anns: Iterable[Annotation] = (a for per in self._by_story.values() for a in per.values())
        else:
            anns = self._by_story.get(story_id, {}).values()
        return sorted(anns, key=lambda a: (a.story_id if story_id is None else "", a.start, -a.end, a.kind, a.id))

    def iter_annotations(self) -> Iterator[Annotation]:
        """Every annotation, story by story."""
        for per in self._by_story.values():
            yield from per.values()

    def annotation(self, ann_id: str) -> Annotation | None:
        for per in self._by_story.values():
            if ann_id in per:
                return per[ann_id]
        return None

    def counts(self, story_id: str) -> Counter[str]:
        """How many annotations of each kind a story has."""
        c: Counter[str] = Counter({k: 0 for k in KINDS})
        c.update(a.kind for a in self._by_story.get(story_id, {}).values())
        return c

    def put(self, ann: Annotation, story: Story | None = None) -> None:
        """Add or replace an annotation, durably. Refused if its span no longer matches the story text."""
        if ann.story_id not in self._entries:
            raise AnnotationError(f"no story {short_id(ann.story_id)} in the library")
        story = story if story is not None and story.id == ann.story_id else self.story(ann.story_id)
        if not ann.matches(story.text):
            raise AnnotationError(f"annotation {ann.id[:8]} does not match the story text at {ann.start}-{ann.end}")
        if ann.id in self._by_story.get(ann.story_id, {}):
            self._write(lambda: self._annotations.update(ann.to_dict(), doc_ids=[ann.id]))
        else:
            self._write(lambda: self._annotations.insert(Document(ann.to_dict(), doc_id=ann.id)))
        self._by_story.setdefault(ann.story_id, {})[ann.id] = ann

    def remove(self, ann_id: str) -> Annotation:
        """Delete an annotation, durably; returns what was deleted."""
        ann = self.annotation(ann_id)
        if ann is None:
            raise AnnotationError(f"no annotation {ann_id[:8]}")
        self._write(lambda: self._annotations.remove(doc_ids=[ann_id]))
        del self._by_story[ann.story_id][ann_id]
        return ann
