"""A TinyDB table whose writes cost what they change, not what the table holds.

Stock TinyDB rebuilds and rewrites a whole table for every insert, update or remove. `TrackedTable` runs
TinyDB's own update functions against the in-memory table through a recording view, then hands only the
changed documents to the storage (`JournaledStorage.commit`). If the commit fails, the view puts every
changed document back, so memory never holds a change the disk does not.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from annotations.store.records import Record, RecordError, to_record
from annotations.store.storage import JournaledStorage, StoreError

__all__ = ["JournaledDB", "TrackedTable", "tracked", "tracked_db"]

_MISSING = object()


class _Changes(MutableMapping[object, dict[str, Any]]):
    """The table as TinyDB's updaters see it: changes apply at once and are remembered for commit/undo.

    TinyDB hands updaters integer document ids; the table itself (as stored in JSON) has string keys.
    """

    def __init__(self, docs: dict[str, Any], record_type: type[Record] | None, whole: Callable[[Any], Any]) -> None:
        self._docs = docs
        self._type = record_type
        self._whole = whole  # a lean table's record as stored (`annotations.store.lean`)
        self._before: dict[str, Any] = {}
        self._handed_out: dict[str, dict[str, Any]] = {}

    def _remember(self, doc_id: str) -> None:
        if doc_id not in self._before:
            self._before[doc_id] = self._docs.get(doc_id, _MISSING)

    def __getitem__(self, doc_id: object) -> dict[str, Any]:
        doc_id = str(doc_id)
        if doc_id not in self._handed_out:  # updaters change documents in place: give them a copy to change
            doc = self._whole(self._docs[doc_id])
            self._handed_out[doc_id] = doc.to_dict() if isinstance(doc, Record) else copy.deepcopy(doc)
        return self._handed_out[doc_id]

    def __setitem__(self, doc_id: object, doc: Any) -> None:
        doc_id = str(doc_id)
        self._remember(doc_id)
        self._handed_out.pop(doc_id, None)
        self._docs[doc_id] = to_record(doc, self._type)

    def __delitem__(self, doc_id: object) -> None:
        doc_id = str(doc_id)
        self._remember(doc_id)
        self._handed_out.pop(doc_id, None)
        del self._docs[doc_id]

    def __iter__(self) -> Iterator[int]:
        return (int(k) for k in list(self._docs))

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._docs

    @property
    def before(self) -> dict[str, Any]:
        """Each changed document as it was before (or the MISSING marker)."""
        return self._before

    def finish(self) -> list[tuple[str, Any]]:
        """Fold in-place edits back into records; the changed documents as (id, doc or None)."""
        for doc_id, edited in list(self._handed_out.items()):
            if doc_id in self._docs and to_record(edited, self._type) != self._whole(self._docs[doc_id]):
                self[doc_id] = edited
        self._handed_out.clear()
        return [
            (doc_id, self._docs.get(doc_id))
            for doc_id, before in self._before.items()
            if self._docs.get(doc_id, _MISSING) is not before
        ]

    def undo(self) -> None:
        """Put every changed document back as it was."""
        for doc_id, before in self._before.items():
            if before is _MISSING:
                self._docs.pop(doc_id, None)
            else:
                self._docs[doc_id] = before
        self._before.clear()
        self._handed_out.clear()


def _same(doc: Any) -> Any:
    return doc


class TrackedTable(Table):
    """A table whose changes are committed one journal line at a time, with documents found by their `id`.

    Document ids are TinyDB's own integers, so a plain `TinyDB(path)` reads the file as usual; every record
    also carries our id (`id`: an annotation's uuid, a story's sha256), unique in the table and indexed here
    in memory. A write that would give two records the same `id` is refused (StoreError) and changes nothing.
    """

    KEY = "id"

    def __init__(
        self,
        storage: Storage,
        name: str,
        cache_size: int = Table.default_query_cache_capacity,
        persist_empty: bool = False,
    ) -> None:
        options = {"persist_empty": True} if persist_empty else {}  # an argument since TinyDB 4.8.1
        super().__init__(storage, name, cache_size, **options)
        self._by_key: dict[Any, str] = {}
        self._indexed: dict[str, Any] | None = None  # the documents `_by_key` indexes

    def _index(self) -> dict[Any, str]:
        """Our id -> document id. Rebuilt when the table's documents were replaced (a dropped table, say)."""
        docs = self._read_table()
        if docs is not self._indexed:
            self._by_key = {doc.get(self.KEY): doc_id for doc_id, doc in docs.items()}
            self._indexed = docs
        return self._by_key

    def _update_table(self, updater: Callable[[dict[int, Mapping[Any, Any]]], None]) -> None:
        storage = self._storage
        assert isinstance(storage, JournaledStorage)
        docs = storage.table(self.name)
        index = self._index()
        lean = storage.lean.get(self.name)
        changes = _Changes(docs, storage.types.get(self.name), _same if lean is None else lean.full)
        try:
            updater(changes)  # type: ignore[arg-type]  # TinyDB types it a dict; updaters use only mapping methods
            ops = changes.finish()
            moved = self._moved_keys(index, changes.before, ops)
            if ops:
                storage.commit(self.name, ops, undo=lambda: self._undo_later(changes))
        except RecordError as exc:
            changes.undo()
            raise StoreError(str(exc)) from None
        except BaseException:
            changes.undo()
            raise
        finally:
            self.clear_cache()
        for key, doc_id in moved.items():
            if doc_id is None:
                index.pop(key, None)
            else:
                index[key] = doc_id

    def _undo_later(self, changes: _Changes) -> None:
        """Put a change back after its transaction failed to save (the index is then rebuilt on next use)."""
        changes.undo()
        self._indexed = None
        self.clear_cache()

    def _moved_keys(
        self, index: dict[Any, str], before: dict[str, Any], ops: list[tuple[str, Any]]
    ) -> dict[Any, str | None]:
        """How the index changes with `ops`: our id -> its document id (None: gone). RecordError if two records
        would share an id."""
        moved: dict[Any, str | None] = {}
        for doc_id, _doc in ops:
            old = before[doc_id]
            if old is not _MISSING and index.get(old.get(self.KEY)) == doc_id:
                moved[old.get(self.KEY)] = None
        for doc_id, doc in ops:
            if doc is None:
                continue
            key = doc.get(self.KEY)
            if not isinstance(key, str):
                raise RecordError(f"a record in table {self.name!r} lacks its id (a string in field {self.KEY!r})")
            owner = moved[key] if key in moved else index.get(key)
            if owner is not None and owner != doc_id:
                raise RecordError(f"a record with id {key!r} is already in table {self.name!r} (document {owner})")
            moved[key] = doc_id
        return moved

    def write_many(self, writes: list[tuple[str, Any]]) -> None:
        """Set (or, with None, delete) the records with these `id`s in one commit: one journal line."""
        index = self._index()

        def updater(table: Any) -> None:
            added: dict[str, str] = {}  # records this batch adds: our id -> their new document id
            for key, doc in writes:
                doc_id = added.get(key) or index.get(key)
                if doc is None:
                    if doc_id is not None and doc_id in table:
                        del table[doc_id]
                elif doc_id is not None:
                    table[doc_id] = doc
                else:
                    new_id: int = self._get_next_id()  # type: ignore[no-untyped-call]  # TinyDB leaves it untyped
                    added[key] = str(new_id)
                    table[new_id] = doc

        self._update_table(updater)

    def doc_id(self, key: str) -> int | None:
        """TinyDB's document id of the record whose `id` is `key`, or None."""
        doc_id = self._index().get(key)
        return None if doc_id is None else int(doc_id)

    def find(self, key: str) -> Any:
        """The stored record whose `id` is `key` (no copy: do not change it), or None."""
        doc_id = self._index().get(key)
        return None if doc_id is None else self._read_table()[doc_id]

    def records(self) -> dict[str, Any]:
        """Every stored record by TinyDB document id (the live table: do not change it)."""
        return self._read_table()


class JournaledDB(TinyDB):
    """A TinyDB on a `JournaledStorage` (its `storage`, typed as such) whose tables are `TrackedTable`s."""

    table_class = TrackedTable

    def __init__(self, storage: JournaledStorage) -> None:
        super().__init__(storage=lambda: storage)
        self._journaled = storage

    @property
    def storage(self) -> JournaledStorage:
        return self._journaled


def tracked_db(storage: JournaledStorage) -> JournaledDB:
    """A TinyDB on `storage` whose tables are `TrackedTable`s; the storage is read now, so an unreadable file is
    reported at once, not at first use."""
    db = JournaledDB(storage)
    storage.read()
    return db


def tracked(db: JournaledDB, name: str) -> TrackedTable:
    """Table `name` of a `tracked_db`."""
    table = db.table(name)
    assert isinstance(table, TrackedTable)
    return table
