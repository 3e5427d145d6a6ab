"""The library's full-text index: `<data_dir>/search.sqlite`, SQLite FTS5 through the standard library.

Derived and rebuildable: TinyDB and the text pack stay the store of record. The file holds one FTS5 row per story
version (`docs.COLUMNS`), contentless (the texts are in the pack already: the index only holds words, and a
row is deleted by giving its old text, which never changes); `docs` maps each row to its story id and keeps the
notes it was indexed with; `meta` the schema and the annotations files' fingerprint the notes were read at.

Never trusted blindly: a file of another schema, a cut one (its size is not its page count), one SQLite cannot
read, or one holding a story the library lacks is rebuilt, into a temp file renamed over it; something other
than a regular file at its path is never replaced (one-line `problem`). A story the library has and the index
lacks is added (`ensure`, and `add` on import); notes are caught up in `ensure` when the annotations changed.
A read-only library reads the file when it is in sync, else builds the index in memory.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Set
from pathlib import Path
from typing import Any

from annotations.search.docs import COLUMNS, WEIGHTS, columns, meta_columns, notes_of, story_columns
from annotations.search.pack import Packed, pack_stories
from annotations.search.words import TOKENIZE
from annotations.store import ANNOTATIONS_FILE, Store, StoreError
from annotations.store.atomic import fsync_dir
from annotations.store.files import intruder
from stories.model import Story
from stories.text import clean_line

__all__ = ["INDEX_FILE", "RANKED", "SCHEMA", "SearchIndex"]

INDEX_FILE = "search.sqlite"
#: Bumped whenever the file's layout or what a row holds changes: an index of another schema is rebuilt.
SCHEMA = "wiredesk-search-1"
_BATCH = 500
#: How many of a query's newest matches BM25 ranks (see `SearchIndex.search`).
RANKED = 2000
_COLS = ", ".join(COLUMNS)
_CREATE = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, story_id TEXT NOT NULL UNIQUE, notes TEXT NOT NULL DEFAULT '')",
    f"CREATE VIRTUAL TABLE fts USING fts5({_COLS}, content='', tokenize='{TOKENIZE}')",
    f"INSERT INTO fts(fts, rank) VALUES('rank', 'bm25({', '.join(str(w) for w in WEIGHTS)})')",
)
_INSERT = f"INSERT INTO fts(rowid, {_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
_DELETE = f"INSERT INTO fts(fts, rowid, {_COLS}) VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)"

Progress = Callable[[int, int], None]
_Rows = list[tuple[object, ...]]


_SHARED: weakref.WeakKeyDictionary[Store, SearchIndex] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


class _Damaged(Exception):
    """The index file cannot be used as it is."""


def _ahead(batches: Iterator[tuple[_Rows, _Rows]], depth: int = 4) -> Iterator[tuple[_Rows, _Rows]]:
    """The batches, made in a thread up to `depth` ahead of the caller (SQLite works without the GIL)."""
    ahead: queue.Queue[tuple[_Rows, _Rows] | BaseException | None] = queue.Queue(depth)
    stop = threading.Event()

    def make() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    with contextlib.suppress(queue.Full):
                        ahead.put(batch, timeout=0.1)
                        break
            item: BaseException | None = None
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


def _fingerprint(data_dir: Path) -> str:
    """Size and modification time of the annotations' files: when it changes, notes may have changed."""
    parts = []
    for name in (ANNOTATIONS_FILE, ANNOTATIONS_FILE.replace(".json", ".journal")):
        try:
            st = os.stat(data_dir / name)
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
    return " ".join(parts)


class SearchIndex:
    """The derived full-text index of one library: <data_dir>/search.sqlite (SQLite FTS5 via sqlite3)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.data_dir / INDEX_FILE
        #: Why the index cannot be used or kept on disk (one clean line), else "".
        self.problem = ""
        #: What the user may want to know about the index (built in memory…), else "".
        self.note = ""
        self._db: sqlite3.Connection | None = None
        self._ids: dict[str, int] = {}  # story id -> row
        self._story_of: dict[int, str] = {}  # row -> story id
        self._lock = threading.RLock()

    @classmethod
    def of(cls, store: Store) -> SearchIndex:
        """The one index of this store in this process (made on first call), so that an import in one place
        updates the index another place searches."""
        with _SHARED_LOCK:
            index = _SHARED.get(store)
            if index is None:
                index = _SHARED[store] = cls(store)
            return index

    # --- state ---------------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """In sync with the store's stories, usable now (notes may lag until the next `ensure`)."""
        with self._lock:
            return self._db is not None and len(self._ids) == len(self.store) and not self.problem

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
            self._db = None
            self._ids, self._story_of = {}, {}

    # --- keeping in sync -----------------------------------------------------------------------------

    def ensure(self, progress: Progress | None = None) -> None:
        """Bring the index in sync: rebuild when missing/unreadable/from another store generation, else catch up
        on stories and notes it lacks. Safe to call from a worker thread; `progress(done, total)` while it works."""
        with self._lock:
            if kind := intruder(self.path) or (self.path.is_symlink() and "a symbolic link"):
                self.close()
                self.problem = clean_line(
                    f"{self.path} is {kind}, not a regular file; it is never replaced: "
                    "remove it to let wiredesk rebuild the search index"
                )
                return
            self.problem = ""
            if self._db is None:
                self._open()
            try:
                if self._db is not None:
                    self._catch_up(progress)
                    return
            except (sqlite3.Error, _Damaged):
                self.close()
            self._rebuild(progress)

    def rebuild(self, progress: Progress | None = None) -> None:
        """Build the index anew from the store, whatever state it is in (`wiredesk doctor --repair`)."""
        with self._lock:
            self.close()
            if kind := intruder(self.path) or (self.path.is_symlink() and "a symbolic link"):
                self.problem = clean_line(f"{self.path} is {kind}, not a regular file; it is never replaced")
                return
            self.problem = ""
            self._rebuild(progress)

    def add(self, stories: Iterable[Story]) -> None:
        """Index newly imported stories (the import calls it); stories it holds already are skipped. An index
        file not yet open is opened; without one (or in a read-only library) nothing is done: the next `ensure`
        builds or catches up."""
        with self._lock:
            if self.store.read_only or self.problem:
                return
            if self._db is None:
                self._open()
            if self._db is None:
                return
            try:
                new = [s for s in stories if s.id not in self._ids]
                self._insert(self._db, new, None, len(new))
                self._db.commit()
            except sqlite3.Error:
                self.close()  # the next ensure rebuilds it

    # --- queries -------------------------------------------------------------------------------------

    def search(self, expression: str, limit: int | None = None) -> list[tuple[str, float]]:
        """(story id, score) of the stories matching an FTS5 expression built by `TextQuery.fts`, best first.

        The score is BM25 (higher is better). When more than `RANKED` stories match, BM25 ranks the `RANKED`
        newest of them (rows are numbered in the order the stories were imported), and the older ones follow,
        newest first, with score
        0: ranking 70,000 rows costs half a second, and a word in that many stories says little about any one of
        them (FTS5's BM25 gives a word in half the library no weight at all). Raises StoreError when the index
        cannot answer (it is then closed, and the next `ensure` rebuilds it)."""
        with self._lock:
            first = self._query(
                "SELECT rowid, -rank FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ?", (expression, RANKED + 1)
            )
            ranked = sorted(first[:RANKED], key=lambda row: -row[1])  # stable: the newer first on a tie
            story_of = self._story_of
            found = [(story_of[row], score) for row, score in ranked]
            if len(first) > RANKED and (limit is None or limit > RANKED):
                rest = self._rows("AND rowid < ?", (expression, first[RANKED - 1][0]))
                found += [(story_of[row], 0.0) for row in sorted(rest, reverse=True)]
            return found if limit is None else found[:limit]

    def matching(self, expression: str) -> set[int]:
        """The rows of the stories matching an FTS5 expression (unranked): see `row`."""
        return set(self._rows("", (expression,)))

    def _rows(self, more: str, args: tuple[object, ...]) -> list[int]:
        """The rows matching; one string from SQLite, as a list of rows is ten times slower to fetch."""
        rows = self._query(f"SELECT group_concat(rowid) FROM fts WHERE fts MATCH ? {more}", args)[0][0]
        return [int(row) for row in rows.split(",")] if rows else []

    def row(self, story_id: str) -> int:
        """The row of a story in the index (-1 if it has none)."""
        return self._ids.get(story_id, -1)

    def _query(self, sql: str, args: tuple[object, ...]) -> list[Any]:
        with self._lock:
            if self._db is None:
                raise StoreError("the search index is not open")
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                self.close()
                raise StoreError(
                    f"the search index cannot be read ({clean_line(str(exc))}); it will be rebuilt"
                ) from None

    # --- the file ------------------------------------------------------------------------------------

    def _connect(self, target: str, *, uri: bool = False) -> sqlite3.Connection:
        db = sqlite3.connect(target, uri=uri, check_same_thread=False, isolation_level="DEFERRED")
        db.execute("PRAGMA cache_size=-16000")
        return db

    def _open(self) -> None:
        """Open the file if it is there and sound, reading which story is in which row; else leave it closed."""
        if not self.path.is_file():
            return
        read_only = self.store.read_only
        target = f"{self.path.resolve().as_uri()}?mode=ro" if read_only else str(self.path)
        try:
            db = self._connect(target, uri=read_only)
        except sqlite3.Error:
            return
        try:
            self._check(db)
            self._ids = dict(db.execute("SELECT story_id, rowid FROM docs"))
        except (sqlite3.Error, _Damaged):
            db.close()
            self._ids = {}
            return
        self._story_of = {row: sid for sid, row in self._ids.items()}
        self._db = db

    def _check(self, db: sqlite3.Connection) -> None:
        pages, size = db.execute("PRAGMA page_count").fetchone()[0], db.execute("PRAGMA page_size").fetchone()[0]
        if pages * size != self.path.stat().st_size:
            raise _Damaged("cut short")
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA:
            raise _Damaged("another schema")

    def _catch_up(self, progress: Progress | None) -> None:
        assert self._db is not None
        ids = self.store.story_ids
        if any(sid not in ids for sid in self._ids):
            raise _Damaged("another library's index")
        missing = [sid for sid in ids if sid not in self._ids]
        fingerprint = _fingerprint(self.store.data_dir)
        row = self._db.execute("SELECT value FROM meta WHERE key = 'notes'").fetchone()
        if not missing and row is not None and row[0] == fingerprint:
            return
        if self.store.read_only and self._on_disk():
            self._to_memory()
        db = self._db
        assert db is not None
        stories = pack_stories(self.store, set(missing)) if len(missing) > _BATCH else missing  # many: one pass
        self._insert(db, stories, progress, len(missing))
        self._catch_up_notes(db)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('notes', ?)", (fingerprint,))
        db.commit()

    def _on_disk(self) -> bool:
        assert self._db is not None
        return any(row[2] for row in self._db.execute("PRAGMA database_list") if row[1] == "main")

    def _to_memory(self) -> None:
        """A read-only library's index that is behind: copied into memory, to catch up there."""
        assert self._db is not None
        memory = self._connect(":memory:")
        self._db.backup(memory)
        self._db.close()
        self._db = memory
        self.note = "the library is read-only: the search index is kept in memory"

    def _catch_up_notes(self, db: sqlite3.Connection) -> None:
        """Re-index every story whose annotations' notes changed since they were indexed."""
        by_story = self.store.records_by_story()
        stored = dict(db.execute("SELECT rowid, notes FROM docs WHERE notes != ''"))
        for sid, records in by_story.items():
            row = self._ids.get(sid)
            notes = notes_of(records)
            if row is None or stored.pop(row, "") == notes:
                continue
            self._set_notes(db, sid, row, notes)
        for row, _old in list(stored.items()):  # stories whose notes are all gone
            sid = db.execute("SELECT story_id FROM docs WHERE rowid = ?", (row,)).fetchone()[0]
            self._set_notes(db, sid, row, "")

    def _set_notes(self, db: sqlite3.Connection, story_id: str, row: int, notes: str) -> None:
        old = db.execute("SELECT notes FROM docs WHERE rowid = ?", (row,)).fetchone()[0]
        story = self.store.story(story_id)
        db.execute(_DELETE, (row, *story_columns(story, old)))
        db.execute(_INSERT, (row, *story_columns(story, notes)))
        db.execute("UPDATE docs SET notes = ? WHERE rowid = ?", (notes, row))

    def _insert(
        self, db: sqlite3.Connection, stories: Iterable[Story | Packed | str], progress: Progress | None, total: int
    ) -> None:
        """Index `total` stories (or story ids, read from the store) with their notes, in the open transaction;
        a long run is read in a thread while SQLite indexes the batch before."""
        first = (db.execute("SELECT max(rowid) FROM docs").fetchone()[0] or 0) + 1
        batches = self._batches(stories, first)
        done = 0
        for rows, docs in _ahead(batches) if total > _BATCH else batches:
            db.executemany(_INSERT, rows)
            db.executemany("INSERT INTO docs(rowid, story_id, notes) VALUES (?, ?, ?)", docs)
            done += len(rows)
            if progress is not None:
                progress(done, total)

    def _batches(self, stories: Iterable[Story | Packed | str], row: int) -> Iterator[tuple[_Rows, _Rows]]:
        by_story = self.store.records_by_story() if self.store.annotations_loaded else {}
        rows: _Rows = []
        docs: _Rows = []
        for item in stories:
            notes = notes_of(by_story.get(item if isinstance(item, str) else item.id, {}))
            story_id, columns = self._columns(item, notes)
            rows.append((row, *columns))
            docs.append((row, story_id, notes))
            self._ids[story_id] = row
            self._story_of[row] = story_id
            row += 1
            if len(rows) >= _BATCH:
                yield rows, docs
                rows, docs = [], []
        if rows:
            yield rows, docs

    def _columns(self, item: Story | Packed | str, notes: str) -> tuple[str, tuple[str, ...]]:
        """A story's id and columns; a story whose text cannot be read is indexed by its metadata alone."""
        if isinstance(item, Story):
            return item.id, story_columns(item, notes)
        if isinstance(item, Packed):
            try:
                return item.id, columns(item.text, item.blocks, item.meta, notes)
            except (TypeError, ValueError):  # blocks the pack does not hold as (kind, start, end)
                item = item.id
        try:
            return item, story_columns(self.store.story(item), notes)
        except StoreError:
            return item, (*meta_columns(self.store.story_meta(item))[:5], notes)

    def _rebuild(self, progress: Progress | None) -> None:
        """Build the whole index into a temp file and rename it over the old one (in memory when read-only)."""
        ids = self.store.story_ids
        self._ids, self._story_of = {}, {}
        if progress is not None:
            progress(0, len(ids))
        if self.store.read_only:
            db = self._connect(":memory:")
            self._fill(db, ids, progress)
            self._db = db
            self.note = "the library is read-only: the search index is kept in memory"
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{INDEX_FILE}.", suffix=".tmp", dir=self.store.data_dir)
        os.close(fd)
        try:
            db = self._connect(tmp)
            try:
                db.execute("PRAGMA journal_mode=OFF")
                db.execute("PRAGMA synchronous=OFF")
                self._fill(db, ids, progress)
            finally:
                db.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            if kind := intruder(self.path) or (self.path.is_symlink() and "a symbolic link"):
                raise StoreError(f"{self.path} is {kind}, not a regular file; it is never replaced")
            os.replace(tmp, self.path)
            fsync_dir(self.path.parent)
        except (OSError, sqlite3.Error, StoreError) as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            self._ids, self._story_of = {}, {}
            self.problem = clean_line(
                f"cannot write the search index {self.path}: {getattr(exc, 'strerror', None) or exc}"
            )
            return
        self._db = self._connect(str(self.path))
        self._db.execute("PRAGMA journal_mode=TRUNCATE")

    def _fill(self, db: sqlite3.Connection, ids: Set[str], progress: Progress | None) -> None:
        for statement in _CREATE:
            db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
        db.execute("INSERT INTO meta VALUES ('notes', ?)", (_fingerprint(self.store.data_dir),))
        if not self.store.annotations_loaded:
            self.store.load_annotations()
        # One merge at the end instead of merging as segments pile up: 1.5 times faster to build, as compact.
        db.execute("INSERT INTO fts(fts, rank) VALUES ('automerge', 0)")
        db.execute("INSERT INTO fts(fts, rank) VALUES ('crisismerge', 2000)")
        self._insert(db, pack_stories(self.store, ids), progress, len(ids))
        db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        db.execute("INSERT INTO fts(fts, rank) VALUES ('automerge', 4)")  # the defaults, for the imports to come
        db.execute("INSERT INTO fts(fts, rank) VALUES ('crisismerge', 16)")
        db.commit()
