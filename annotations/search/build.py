"""Writing the search index: its tables, rows made from stories (read in a thread while SQLite indexes the batch
before), notes brought up to date, and a whole index built into a fresh database."""

from __future__ import annotations

import contextlib
import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotations.search.docs import COLUMNS, WEIGHTS, columns, meta_columns, notes_of, story_columns
from annotations.search.pack import Packed, pack_stories
from annotations.search.words import TOKENIZE
from annotations.store import ANNOTATIONS_FILE, Store, StoreError
from stories.model import Story

__all__ = ["SCHEMA", "Cancelled", "Contents", "Progress", "build", "connect", "fingerprint", "update_notes", "write"]

#: Bumped whenever the file's layout or what a row holds changes: an index of another schema is rebuilt.
SCHEMA = "wiredesk-search-2"
BATCH = 500
_COLS = ", ".join(COLUMNS)
_CREATE = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # `whole` 0: a story whose text could not be read, indexed by its metadata (deleting its row needs to know)
    "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, story_id TEXT NOT NULL UNIQUE, notes TEXT NOT NULL, whole INTEGER)",
    f"CREATE VIRTUAL TABLE fts USING fts5({_COLS}, content='', tokenize='{TOKENIZE}')",
    f"INSERT INTO fts(fts, rank) VALUES('rank', 'bm25({', '.join(str(w) for w in WEIGHTS)})')",
)
_INSERT = f"INSERT INTO fts(rowid, {_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
_DELETE = f"INSERT INTO fts(fts, rowid, {_COLS}) VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)"

Progress = Callable[[int, int], None]
_Rows = list[tuple[object, ...]]


class Cancelled(Exception):
    """The index was closed while it was being written."""


@dataclass
class Contents:
    """Which story is in which row of an index."""

    ids: dict[str, int] = field(default_factory=dict)  # story id -> row
    story_of: dict[int, str] = field(default_factory=dict)  # row -> story id

    @classmethod
    def read(cls, db: sqlite3.Connection) -> Contents:
        ids = dict(db.execute("SELECT story_id, rowid FROM docs"))
        return cls(ids, {row: sid for sid, row in ids.items()})


def connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    """A connection any thread may use (one at a time: the index holds a lock around each use)."""
    db = sqlite3.connect(target, uri=uri, check_same_thread=False, isolation_level="DEFERRED")
    db.execute("PRAGMA cache_size=-16000")
    return db


def fingerprint(data_dir: Path) -> str:
    """Inode, size and modification time of the annotations' files: when it changes, notes may have changed."""
    parts = []
    for name in (ANNOTATIONS_FILE, ANNOTATIONS_FILE.replace(".json", ".journal")):
        try:
            st = os.stat(data_dir / name)
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
    return " ".join(parts)


def build(store: Store, db: sqlite3.Connection, progress: Progress | None, cancel: threading.Event) -> Contents:
    """Fill a fresh database with the index of every story of the store (notes included) and commit it."""
    ids = store.story_ids
    if progress is not None:
        progress(0, len(ids))
    for statement in _CREATE:
        db.execute(statement)
    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
    db.execute("INSERT INTO meta VALUES ('notes', ?)", (fingerprint(store.data_dir),))
    store.load_annotations()
    # One merge at the end instead of merging as segments pile up: 1.5 times faster to build, as compact.
    db.execute("INSERT INTO fts(fts, rank) VALUES ('automerge', 0)")
    db.execute("INSERT INTO fts(fts, rank) VALUES ('crisismerge', 2000)")
    contents = Contents()
    write(db, store, pack_stories(store, ids), len(ids), contents, threading.RLock(), cancel, progress)
    db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    db.execute("INSERT INTO fts(fts, rank) VALUES ('automerge', 4)")  # the defaults, for the imports to come
    db.execute("INSERT INTO fts(fts, rank) VALUES ('crisismerge', 16)")
    db.commit()
    return contents


def write(
    db: sqlite3.Connection,
    store: Store,
    stories: Iterable[Story | Packed | str],
    total: int,
    contents: Contents,
    lock: threading.RLock,
    cancel: threading.Event,
    progress: Progress | None = None,
) -> None:
    """Index `total` stories (or story ids, read from the store) with their notes, in the open transaction,
    each batch written holding `lock`. Raises Cancelled when `cancel` is set."""
    with lock:
        row = (db.execute("SELECT max(rowid) FROM docs").fetchone()[0] or 0) + 1
    batches = _batches(store, stories, row)
    done = 0
    for rows, docs in _ahead(batches) if total > BATCH else batches:
        if cancel.is_set():
            raise Cancelled
        with lock:
            db.executemany(_INSERT, rows)
            db.executemany("INSERT INTO docs(rowid, story_id, notes, whole) VALUES (?, ?, ?, ?)", docs)
            for row, story_id, _, _ in docs:
                contents.ids[str(story_id)] = int(str(row))
                contents.story_of[int(str(row))] = str(story_id)
        done += len(rows)
        if progress is not None:
            progress(done, total)


def _batches(store: Store, stories: Iterable[Story | Packed | str], row: int) -> Iterator[tuple[_Rows, _Rows]]:
    by_story = store.records_by_story() if store.annotations_loaded else {}
    rows: _Rows = []
    docs: _Rows = []
    for item in stories:
        notes = notes_of(by_story.get(item if isinstance(item, str) else item.id, {}))
        story_id, texts, whole = _columns(store, item, notes)
        rows.append((row, *texts))
        docs.append((row, story_id, notes, whole))
        row += 1
        if len(rows) >= BATCH:
            yield rows, docs
            rows, docs = [], []
    if rows:
        yield rows, docs


def _columns(store: Store, item: Story | Packed | str, notes: str) -> tuple[str, tuple[str, ...], bool]:
    """A story's id, columns, and whether they hold its text: one whose text cannot be read is indexed by its
    metadata alone."""
    if isinstance(item, Story):
        return item.id, story_columns(item, notes), True
    if isinstance(item, Packed):
        try:
            return item.id, columns(item.text, item.blocks, item.meta, notes), True
        except (TypeError, ValueError):  # blocks the pack does not hold as (kind, start, end)
            item = item.id
    try:
        return item, story_columns(store.story(item), notes), True
    except StoreError:
        return item, (*meta_columns(store.story_meta(item))[:5], notes), False


def _ahead(batches: Iterator[tuple[_Rows, _Rows]], depth: int = 4) -> Iterator[tuple[_Rows, _Rows]]:
    """The batches, made in a thread up to `depth` ahead of the caller (SQLite works without the GIL)."""
    ahead: queue.Queue[tuple[_Rows, _Rows] | BaseException | None] = queue.Queue(depth)
    stop = threading.Event()

    def make() -> None:
        item: BaseException | None = None
        try:
            for batch in batches:
                while not stop.is_set():
                    with contextlib.suppress(queue.Full):
                        ahead.put(batch, timeout=0.1)
                        break
        except BaseException as exc:  # handed to the caller, raised there
            item = exc
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                ahead.put(item, timeout=0.1)
                return

    worker = threading.Thread(target=make, name="search-index-read", daemon=True)
    worker.start()
    try:
        while (got := ahead.get()) is not None:
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        stop.set()
        worker.join()


def update_notes(db: sqlite3.Connection, store: Store, contents: Contents, lock: threading.RLock) -> None:
    """Re-index every story whose annotations' notes changed since they were indexed (in the open transaction).
    A row is deleted by giving the index exactly what it was made of: the same columns, the old notes."""
    by_story = store.records_by_story()
    with lock:
        stored = {row: (old, whole) for row, old, whole in db.execute("SELECT rowid, notes, whole FROM docs")}
    for row, (old, whole) in stored.items():
        story_id = contents.story_of[row]
        notes = notes_of(by_story.get(story_id, {}))
        if notes == old:
            continue
        texts: tuple[str, ...]
        if whole:
            try:
                texts = story_columns(store.story(story_id))[:5]
            except StoreError:  # damaged since: left as it is, until the index is rebuilt
                continue
        else:
            texts = meta_columns(store.story_meta(story_id))[:5]
        with lock:
            db.execute(_DELETE, (row, *texts, old))
            db.execute(_INSERT, (row, *texts, notes))
            db.execute("UPDATE docs SET notes = ? WHERE rowid = ?", (notes, row))
