"""Helpers for the storage and table tests: annotation documents, a TinyDB on a JournaledStorage, views of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tinydb
from tinydb import TinyDB

from annotations.store.records import AnnotationRecord, to_record
from annotations.store.storage import JournaledStorage
from annotations.store.table import TrackedTable, tracked, tracked_db

TABLE = "annotations"


def doc(n: int, **fields: Any) -> dict[str, Any]:
    """A valid annotation document; our id (`id`) is `a{n}`."""
    return {"id": f"a{n}", "story_id": f"s{n % 7}", "kind": ("quote", "actor", "claim")[n % 3], "start": n,
            "end": n + 5, "exact": f"text {n}", **fields}  # fmt: skip


def rec(n: int, **fields: Any) -> dict[str, Any]:
    """`doc(n)` as it is stored: every field of the record, defaults included."""
    return to_record(doc(n, **fields), AnnotationRecord).to_dict()


def open_db(path: Path, **options: Any) -> tuple[TinyDB, TrackedTable, JournaledStorage]:
    storage = JournaledStorage(path, types={TABLE: AnnotationRecord}, **options)
    db = tracked_db(storage)
    return db, tracked(db, TABLE), storage


def contents(storage: JournaledStorage) -> dict[str, dict[str, Any]]:
    """The documents in memory as plain dicts, by TinyDB document id ("1", "2", … as in the JSON)."""
    return {doc_id: dict(rec) for doc_id, rec in storage.read().get(TABLE, {}).items()}


def ids(docs: dict[str, dict[str, Any]]) -> set[str]:
    """Our ids (the `id` fields) of `docs`."""
    return {d["id"] for d in docs.values()}


def index(table: TrackedTable) -> dict[str, int]:
    """Our id -> TinyDB document id, as `doc_id` gives it for each record in the table; checks `find` too."""
    found: dict[str, int] = {}
    for doc_id, record in table.records().items():
        assert table.find(record.id) is record, record.id
        found[record.id] = int(doc_id)
        assert table.doc_id(record.id) == int(doc_id), record.id
    assert len(found) == len(table)  # our ids are unique
    return found


def reopened(path: Path) -> dict[str, dict[str, Any]]:
    """The documents another (read-only) storage finds on disk now."""
    return contents(JournaledStorage(path, types={TABLE: AnnotationRecord}, read_only=True))


def plain_tinydb(path: Path) -> dict[str, dict[str, Any]]:
    with tinydb.TinyDB(path, access_mode="r") as db:
        data = db.storage.read()
    assert data is not None
    return data
