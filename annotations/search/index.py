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
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from annotations.search.docs import COLUMNS, WEIGHTS, notes_of, story_columns
from annotations.store import ANNOTATIONS_FILE, Store, StoreError
from annotations.store.atomic import fsync_dir
from annotations.store.files import intruder
from stories.model import Story
from stories.text import clean_line

__all__ = ["INDEX_FILE", "SCHEMA", "SearchIndex"]

INDEX_FILE = "search.sqlite"
#: Bumped whenever the file's layout or what a row holds changes: an index of another schema is rebuilt.
SCHEMA = "wiredesk-search-1"
_BATCH = 500
_COLS = ", ".join(COLUMNS)
_CREATE = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, story_id TEXT NOT NULL UNIQUE, notes TEXT NOT NULL DEFAULT '')",
    f"CREATE VIRTUAL TABLE fts USING fts5({_COLS}, content='', tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO fts(fts, rank) VALUES('rank', 'bm25({', '.join(str(w) for w in WEIGHTS)})')",
)
_INSERT = f"INSERT INTO fts(rowid, {_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
_DELETE = f"INSERT INTO fts(fts, rowid, {_COLS}) VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)"

Progress = Callable[[int, int], None]
_Rows = list[tuple[object, ...]]


class _Damaged(Exception):
    """The index file cannot be used as it is."""


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
        self._lock = threading.RLock()

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
            self._ids = {}

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
        """Index newly imported stories (the import calls it); stories it holds already are skipped. Does
        nothing while the index is not open: the next `ensure` catches up."""
        with self._lock:
            if self._db is None:
                return
            try:
                new = [s for s in stories if s.id not in self._ids]
                self._insert(self._db, new, None, 0, len(new))
                self._db.commit()
            except sqlite3.Error:
                self.close()  # the next ensure rebuilds it

    # --- queries -------------------------------------------------------------------------------------

    def search(self, expression: str, limit: int | None = None) -> list[tuple[str, float]]:
        """(story id, BM25 score, higher is better) of the stories matching an FTS5 expression built by
        `TextQuery.fts`, best first. Raises StoreError when the index cannot answer (it is then closed)."""
        sql = "SELECT docs.story_id, -fts.rank FROM fts JOIN docs ON docs.rowid = fts.rowid WHERE fts MATCH ? "
        sql += "ORDER BY fts.rank" + (" LIMIT ?" if limit is not None else "")
        return self._query(sql, (expression, limit) if limit is not None else (expression,))

    def matching(self, expression: str) -> set[str]:
        """The ids of the stories matching an FTS5 expression (unranked)."""
        sql = "SELECT docs.story_id FROM fts JOIN docs ON docs.rowid = fts.rowid WHERE fts MATCH ?"
        return {row[0] for row in self._query(sql, (expression,))}

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
        self._insert(db, missing, progress, 0, len(missing))
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
        self, db: sqlite3.Connection, stories: Iterable[Story | str], progress: Progress | None, done: int, total: int
    ) -> int:
        """Index stories (or story ids, read from the store) with their notes, committing every batch."""
        by_story = self.store.records_by_story() if self.store.annotations_loaded else {}
        next_row = (db.execute("SELECT max(rowid) FROM docs").fetchone()[0] or 0) + 1
        rows: _Rows = []
        docs: _Rows = []
        for item in stories:
            story = self.store.story(item) if isinstance(item, str) else item
            notes = notes_of(by_story.get(story.id, {}))
            rows.append((next_row, *story_columns(story, notes)))
            docs.append((next_row, story.id, notes))
            self._ids[story.id] = next_row
            next_row += 1
            if len(rows) >= _BATCH:
                done = self._flush(db, rows, docs, progress, done, total)
        return self._flush(db, rows, docs, progress, done, total)

    def _flush(
        self, db: sqlite3.Connection, rows: _Rows, docs: _Rows, progress: Progress | None, done: int, total: int
    ) -> int:
        if rows:
            db.executemany(_INSERT, rows)
            db.executemany("INSERT INTO docs(rowid, story_id, notes) VALUES (?, ?, ?)", docs)
            done += len(rows)
            rows.clear()
            docs.clear()
            if progress is not None:
                progress(done, total)
        return done

    def _rebuild(self, progress: Progress | None) -> None:
        """Build the whole index into a temp file and rename it over the old one (in memory when read-only)."""
        ids = list(self.store.story_ids)
        self._ids = {}
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
            self._ids = {}
            self.problem = clean_line(
                f"cannot write the search index {self.path}: {getattr(exc, 'strerror', None) or exc}"
            )
            return
        self._db = self._connect(str(self.path))
        self._db.execute("PRAGMA journal_mode=TRUNCATE")

    def _fill(self, db: sqlite3.Connection, ids: list[str], progress: Progress | None) -> None:
        for statement in _CREATE:
            db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
        db.execute("INSERT INTO meta VALUES ('notes', ?)", (_fingerprint(self.store.data_dir),))
        if not self.store.annotations_loaded:
            self.store.load_annotations()
        self._insert(db, ids, progress, 0, len(ids))
        db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        db.commit()
