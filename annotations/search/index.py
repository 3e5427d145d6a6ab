"""The library's full-text index: `<data_dir>/search.sqlite`, SQLite FTS5 through the standard library.

Derived and rebuildable: TinyDB and the text pack stay the store of record. The file holds one FTS5 row per story
version (`docs.COLUMNS`), contentless (the texts are in the pack already: the index only holds words, and a
row is deleted by giving its old text, which never changes); `docs` maps each row to its story id and keeps the
notes it was indexed with; `meta` the schema and the annotations files' fingerprint the notes were read at.
Writing it is `annotations.search.build`.

Never trusted blindly: a file of another schema, a cut one (its size is not its page count), one SQLite cannot
read, or one holding a story the library lacks is rebuilt, into a temp file renamed over it; something other
than a regular file at its path is never replaced (one-line `problem`). A story the library has and the index
lacks is added (`ensure`, and `add` on import); notes are caught up in `ensure` when the annotations changed.
A read-only library reads the file when it is in sync, else builds the index in memory.

Threads: `ensure` may run in a worker while another thread searches. A rebuild is written into its own file
without holding the index, which answers "not ready" meanwhile; catching up holds it a batch at a time; `close`
never waits for a build (the build stops at its next batch and removes its temp file).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Iterable
from typing import Any

from annotations.search.build import (
    BATCH,
    SCHEMA,
    Cancelled,
    Contents,
    Progress,
    build,
    connect,
    fingerprint,
    update_notes,
    write,
)
from annotations.search.pack import pack_stories
from annotations.store import Store, StoreError
from annotations.store.atomic import fsync_dir
from annotations.store.files import intruder
from stories.model import Story
from stories.text import clean_line

__all__ = ["INDEX_FILE", "RANKED", "SearchIndex"]

INDEX_FILE = "search.sqlite"
#: How many of a query's newest matches BM25 ranks (see `SearchIndex.search`).
RANKED = 2000
IN_MEMORY = "the library is read-only: the search index is kept in memory"

_SHARED: weakref.WeakKeyDictionary[Store, SearchIndex] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


class _Damaged(Exception):
    """The index file cannot be used as it is."""


class SearchIndex:
    """The derived full-text index of one library: <data_dir>/search.sqlite (SQLite FTS5 via sqlite3)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.data_dir / INDEX_FILE
        #: Why the index cannot be used or kept on disk (one clean line), else "".
        self.problem = ""
        #: What the user may want to know about the index (kept in memory…), else "".
        self.note = ""
        self._db: sqlite3.Connection | None = None
        self._contents = Contents()
        self._lock = threading.RLock()  # the connection and the contents, held briefly
        self._work = threading.Lock()  # one writer at a time: ensure, rebuild, add
        self._cancel = threading.Event()

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
        """In sync with the store's stories, usable now (notes may lag until the next `ensure`). Never waits."""
        return self._db is not None and not self.problem and len(self._contents.ids) == len(self.store)

    def close(self) -> None:
        """Close the file; a build running in another thread stops at its next batch (never waited for)."""
        self._cancel.set()
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._contents = Contents()

    # --- keeping in sync -----------------------------------------------------------------------------

    def ensure(self, progress: Progress | None = None) -> None:
        """Bring the index in sync: rebuild when missing/unreadable/from another store generation, else catch up
        on stories and notes it lacks. Safe to call from a worker thread; `progress(done, total)` while it works."""
        with self._work:
            self._cancel.clear()
            if not self._usable_path():
                return
            with self._lock:
                if self._db is None:
                    self._open()
                db = self._db
            try:
                if db is not None:
                    self._catch_up(db, progress)
                    return
            except (sqlite3.Error, _Damaged):
                with self._lock:
                    self._drop()
            except Cancelled:
                return
            self._rebuild(progress)

    def rebuild(self, progress: Progress | None = None) -> None:
        """Build the index anew from the store, whatever state it is in (`wiredesk doctor --repair`)."""
        with self._work:
            self._cancel.clear()
            with self._lock:
                self._drop()
            if self._usable_path():
                self._rebuild(progress)

    def add(self, stories: Iterable[Story]) -> None:
        """Index newly imported stories (the import calls it); stories it holds already are skipped. An index
        file not yet open is opened. Nothing is done without one, in a read-only library, or while an `ensure`
        runs: the next `ensure` builds or catches up."""
        if self.store.read_only or self.problem or not self._work.acquire(blocking=False):
            return
        try:
            with self._lock:
                if self._db is None:
                    self._open()
                db = self._db
                if db is None:
                    return
                new = [s for s in stories if s.id not in self._contents.ids]
                try:
                    write(db, self.store, new, len(new), self._contents, self._lock, threading.Event())
                    db.commit()
                except sqlite3.Error:
                    self._drop()  # the next ensure rebuilds it
        finally:
            self._work.release()

    def _usable_path(self) -> bool:
        """False (and `problem` says why) when something other than a regular file stands at the index's path."""
        kind = intruder(self.path) or (self.path.is_symlink() and "a symbolic link")
        with self._lock:
            if kind:
                self._drop()
                self.problem = clean_line(
                    f"{self.path} is {kind}, not a regular file; it is never replaced: "
                    "remove it to let wiredesk rebuild the search index"
                )
                return False
            self.problem = ""
            return True

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
            story_of = self._contents.story_of
            found = [(story_of[row], score) for row, score in ranked]
            if len(first) > RANKED and (limit is None or limit > RANKED):
                rest = self._rows("AND rowid < ?", (expression, first[RANKED - 1][0]))
                rest.sort(reverse=True)
                found += zip(map(story_of.__getitem__, rest), itertools.repeat(0.0))  # made in C: 73k rows
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
        return self._contents.ids.get(story_id, -1)

    def _query(self, sql: str, args: tuple[object, ...]) -> list[Any]:
        with self._lock:
            if self._db is None:
                raise StoreError("the search index is not open")
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                self._drop()
                raise StoreError(
                    f"the search index cannot be read ({clean_line(str(exc))}); it will be rebuilt"
                ) from None

    # --- the file ------------------------------------------------------------------------------------

    def _open(self) -> None:
        """Open the file if it is there and sound, reading which story is in which row; else leave it closed."""
        if not self.path.is_file():
            return
        read_only = self.store.read_only
        target = f"{self.path.resolve().as_uri()}?mode=ro" if read_only else str(self.path)
        try:
            db = connect(target, uri=read_only)
        except sqlite3.Error:
            return
        try:
            self._check(db)
            self._contents = Contents.read(db)
        except (sqlite3.Error, _Damaged):
            db.close()
            self._contents = Contents()
            return
        self._db = db

    def _check(self, db: sqlite3.Connection) -> None:
        pages, size = db.execute("PRAGMA page_count").fetchone()[0], db.execute("PRAGMA page_size").fetchone()[0]
        if pages * size != self.path.stat().st_size:
            raise _Damaged("cut short")
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA:
            raise _Damaged("another schema")

    def _catch_up(self, db: sqlite3.Connection, progress: Progress | None) -> None:
        ids = self.store.story_ids
        contents = self._contents
        if any(sid not in ids for sid in contents.ids):
            raise _Damaged("another library's index")
        missing = [sid for sid in ids if sid not in contents.ids]
        notes = fingerprint(self.store.data_dir)
        with self._lock:
            row = db.execute("SELECT value FROM meta WHERE key = 'notes'").fetchone()
        if not missing and row is not None and row[0] == notes:
            return
        if self.store.read_only and self.note != IN_MEMORY:
            db = self._to_memory(db)
        stories = pack_stories(self.store, set(missing)) if len(missing) > BATCH else missing  # many: one pass
        write(db, self.store, stories, len(missing), contents, self._lock, self._cancel, progress)
        self.store.load_annotations()
        update_notes(db, self.store, contents, self._lock)
        with self._lock:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('notes', ?)", (notes,))
            db.commit()

    def _to_memory(self, db: sqlite3.Connection) -> sqlite3.Connection:
        """A read-only library's index that is behind: copied into memory, to catch up there."""
        memory = connect(":memory:")
        with self._lock:
            db.backup(memory)
            db.close()
            self._db = memory
            self.note = IN_MEMORY
        return memory

    def _rebuild(self, progress: Progress | None) -> None:
        """Build the whole index into a temp file and rename it over the old one (in memory when read-only),
        without holding the index: it is "not ready" meanwhile."""
        if self.store.read_only:
            db = connect(":memory:")
            try:
                contents = build(self.store, db, progress, self._cancel)
            except Cancelled:
                db.close()
                return
            with self._lock:
                self._db, self._contents, self.note = db, contents, IN_MEMORY
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{INDEX_FILE}.", suffix=".tmp", dir=self.store.data_dir)
        os.close(fd)
        try:
            db = connect(tmp)
            try:
                db.execute("PRAGMA journal_mode=OFF")
                db.execute("PRAGMA synchronous=OFF")
                contents = build(self.store, db, progress, self._cancel)
            finally:
                db.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            with self._lock:
                if self._cancel.is_set():
                    raise Cancelled
                if kind := intruder(self.path) or (self.path.is_symlink() and "a symbolic link"):
                    raise StoreError(f"{self.path} is {kind}, not a regular file; it is never replaced")
                os.replace(tmp, self.path)
                fsync_dir(self.path.parent)
                self._drop()
                self._db = connect(str(self.path))
                self._db.execute("PRAGMA journal_mode=TRUNCATE")
                self._contents = contents
        except Cancelled:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        except (OSError, sqlite3.Error, StoreError) as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            reason = getattr(exc, "strerror", None) or exc
            self.problem = clean_line(f"cannot write the search index {self.path}: {reason}")
