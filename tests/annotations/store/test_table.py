"""The tracked table: a failed commit changes nothing, our ids lead to TinyDB's documents, a write costs what it
changes, and records read as mappings that TinyDB queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from tinydb import Query, TinyDB
from tinydb.table import Document

from annotations.store import ANNOTATIONS_FILE, journal
from annotations.store.records import AnnotationRecord, RecordError, to_record
from annotations.store.storage import JournaledStorage, StoreError
from annotations.store.table import TrackedTable
from tests.storage_support import TABLE, contents, doc, index, open_db, rec, reopened
from tests.store_support import snapshot


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ANNOTATIONS_FILE


# --- a failed commit changes nothing in memory --------------------------------------------------------------


WRITES = {
    "insert": lambda t: t.insert(doc(10)),
    "insert_multiple": lambda t: t.insert_multiple([doc(n) for n in (10, 11, 12)]),
    "insert_document": lambda t: t.insert(Document(doc(10), doc_id=40)),  # as another program might
    "update": lambda t: t.update({"note": "changed", "end": 99}, doc_ids=[t.doc_id("a1")]),
    "update_by_query": lambda t: t.update({"note": "changed"}, Query().kind == "quote"),
    "update_in_place": lambda t: t.update(lambda d: d.__setitem__("note", "x"), doc_ids=[1, 2]),
    "update_our_id": lambda t: t.update({"id": "b1"}, doc_ids=[t.doc_id("a1")]),
    "upsert": lambda t: t.upsert(doc(10), Query().id == "a10"),
    "remove": lambda t: t.remove(doc_ids=[t.doc_id("a1")]),
    "remove_by_query": lambda t: t.remove(Query().start < 4),
    "truncate": lambda t: t.truncate(),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_failed_commit_leaves_memory_exactly_as_before(
    path: Path, monkeypatch: pytest.MonkeyPatch, write: Any
) -> None:
    db, table, storage = open_db(path)
    table.insert_multiple([doc(n) for n in range(6)])
    records = dict(storage.read()[TABLE])
    before, disk, found = contents(storage), snapshot(path.parent), index(table)

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(journal.Journal, "append", fail)
        with pytest.raises(StoreError, match="No space left") as err:
            write(table)
    assert str(storage.journal_path) in str(err.value)
    assert contents(storage) == before
    assert all(storage.read()[TABLE][k] is records[k] for k in records)  # the very same records are back
    assert sorted(d.doc_id for d in table.all()) == sorted(int(k) for k in records)
    assert table.search(Query().note == "changed") == []
    assert index(table) == found and table.find("a10") is None and table.find("b1") is None
    assert snapshot(path.parent) == disk
    write(table)  # the same write works once the disk does
    assert reopened(path) == contents(storage) != before
    after = index(table)
    db.close()
    _, again, _ = open_db(path)
    assert index(again) == after  # and a reopen finds every record where the writer had it


def test_an_invalid_document_is_refused_and_nothing_changes(path: Path) -> None:
    db, table, storage = open_db(path)
    table.insert_multiple([doc(1), doc(2)])
    before, disk, found = contents(storage), snapshot(path.parent), index(table)
    with pytest.raises(StoreError, match="AnnotationRecord"):
        table.insert({"kind": "quote"})
    with pytest.raises(StoreError, match="AnnotationRecord"):
        table.update({"start": "twelve"}, doc_ids=[table.doc_id("a1")])
    with pytest.raises(StoreError, match=r"AnnotationRecord.*`id`"):
        table.insert({k: v for k, v in doc(3).items() if k != "id"})  # every record carries our id
    with pytest.raises(StoreError, match=r"'a1'.*already"):
        table.insert(doc(1, note="again"))  # our ids are unique in a table
    with pytest.raises(StoreError, match=r"'a3'.*already"):
        table.insert_multiple([doc(3), doc(4), doc(3, note="twice")])
    with pytest.raises(StoreError, match=r"'a2'.*already"):
        table.update({"id": "a2"}, doc_ids=[table.doc_id("a1")])
    assert contents(storage) == before and snapshot(path.parent) == disk and index(table) == found
    table.update(lambda d: d.update(id=f"{d['id']}-swapped"), Query().kind.exists())  # every id changes at once
    new = table.insert(doc(1))  # and the old one is free again (in a new document: refused inserts used up ids)
    assert index(table) == {"a1-swapped": 1, "a2-swapped": 2, "a1": new} and new > 2
    db.close()


# --- find and doc_id: our ids lead to TinyDB's documents --------------------------------------------------------


def test_find_and_doc_id_follow_every_change_and_a_reopen(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, table, storage = open_db(path)
    assert table.find("a1") is None and table.doc_id("a1") is None and table.records() == {}
    table.insert(doc(1))
    table.insert_multiple([doc(2), doc(3), doc(4)])
    assert index(table) == {"a1": 1, "a2": 2, "a3": 3, "a4": 4}
    assert table.find("a2") is storage.read()[TABLE]["2"] and table.records() is storage.read()[TABLE]

    table.update({"note": "checked"}, doc_ids=[table.doc_id("a2")])
    table.update({"id": "b3"}, Query().id == "a3")  # our id itself may change: the document stays
    table.remove(doc_ids=[table.doc_id("a1")])
    table.remove(Query().id == "a4")
    assert index(table) == {"a2": 2, "b3": 3}
    assert table.find("a2").note == "checked" and table.find("a1") is None and table.doc_id("a4") is None
    assert table.insert(doc(5)) == 5  # a new document never takes the id of a removed one

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    found = index(table)
    with monkeypatch.context() as m:
        m.setattr(journal.Journal, "append", fail)
        for write in (
            lambda: table.insert(doc(6)),
            lambda: table.update({"id": "c2"}, doc_ids=[2]),
            lambda: table.remove(doc_ids=[table.doc_id("a5")]),
            lambda: table.truncate(),
        ):
            with pytest.raises(StoreError, match="No space left"):
                write()
            assert index(table) == found and table.find("a6") is None and table.find("c2") is None
    storage.compact()
    table.insert(doc(7))  # after the compaction, in the new journal
    found = index(table)
    assert found == {"a2": 2, "b3": 3, "a5": 5, "a7": table.doc_id("a7")}
    db.close()

    db, table, _ = open_db(path)
    assert index(table) == found
    assert table.insert(doc(8)) == max(found.values()) + 1
    table.remove(doc_ids=[table.doc_id("b3")])
    found = index(table)
    db.close()
    _, table, _ = open_db(path, read_only=True)
    assert index(table) == found and set(found) == {"a2", "a5", "a7", "a8"}


# --- a write costs what it changes ------------------------------------------------------------------------------


def test_a_write_commits_only_the_documents_it_changes(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, table, storage = open_db(path)
    table.insert_multiple([doc(n) for n in range(5000)])  # a{n} is document n + 1
    calls: list[tuple[str, list]] = []
    commit = JournaledStorage.commit

    def spy(self: JournaledStorage, name: str, ops: list, undo: Any = None) -> None:
        calls.append((name, list(ops)))
        commit(self, name, ops, undo)

    monkeypatch.setattr(JournaledStorage, "commit", spy)
    size = storage.journal_path.stat().st_size
    table.update({"note": "one"}, doc_ids=[table.doc_id("a123")])
    table.insert(doc(5000))
    table.remove(doc_ids=[table.doc_id("a7")])
    table.update({"note": "one"}, doc_ids=[table.doc_id("a123")])  # no change: nothing to commit
    table.update({"note": "q"}, (Query().start == 42) | (Query().start == 43))
    assert [(name, [doc_id for doc_id, _ in ops]) for name, ops in calls] == [
        (TABLE, ["124"]),
        (TABLE, ["5001"]),
        (TABLE, ["8"]),
        (TABLE, ["43", "44"]),
    ]
    assert calls[0][1][0][1]["note"] == "one" and calls[1][1][0][1]["id"] == "a5000" and calls[2][1][0][1] is None
    grown = storage.journal_path.stat().st_size - size
    assert grown < 1500  # four short lines, not a table of 5,000
    db.close()


# --- records read as mappings, and TinyDB queries work on them ---------------------------------------------


def test_records_read_as_mappings() -> None:
    rec = to_record({**doc(1), "note": "n"}, AnnotationRecord)
    assert isinstance(rec, AnnotationRecord)
    assert rec["id"] == rec.id == "a1" and next(iter(rec)) == "id"
    assert rec["exact"] == "text 1" and rec.get("note") == "n" and rec.get("nope", 5) == 5
    assert "kind" in rec and "nope" not in rec and len(rec) == len(AnnotationRecord.__struct_fields__)
    assert list(rec) == list(rec.keys()) == list(AnnotationRecord.__struct_fields__)
    assert dict(rec) == rec.to_dict() == dict(rec.items())
    with pytest.raises(KeyError):
        rec["nope"]
    assert msgspec.json.decode(msgspec.json.encode(rec)) == dict(rec)  # at rest: one plain JSON object
    assert to_record(rec, AnnotationRecord) is rec and to_record(rec, None) == dict(rec)
    with pytest.raises(RecordError, match="AnnotationRecord"):
        to_record({"kind": "quote"}, AnnotationRecord)
    story_ids = ["".join(["story-", str(n)]) for n in (7, 7)]
    assert story_ids[0] is not story_ids[1]
    a, b = (to_record({**doc(1), "story_id": sid}, AnnotationRecord) for sid in story_ids)
    assert a.story_id is b.story_id  # repeated strings are shared


def test_tinydb_queries_search_records(path: Path) -> None:
    db, table, storage = open_db(path)
    table.insert_multiple([doc(n, note="tbc" if n % 4 == 0 else "") for n in range(30)])  # a{n} is document n + 1
    assert all(isinstance(r, AnnotationRecord) for r in storage.read()[TABLE].values())
    ann = Query()
    quotes = table.search(ann.kind == "quote")
    assert sorted(d.doc_id for d in quotes) == [n + 1 for n in range(0, 30, 3)]
    assert sorted(d["id"] for d in quotes) == sorted(f"a{n}" for n in range(0, 30, 3))
    assert all(isinstance(d, Document) and d["kind"] == "quote" for d in quotes)
    assert len(table.search((ann.start >= 10) & (ann.start < 20) & (ann.note == "tbc"))) == 2
    assert table.count(ann.story_id.one_of(["s0", "s1"])) == 10
    assert table.search(ann.exact.matches(r"text 2\d")) == table.search(ann.exact.search("^text 2[0-9]$"))
    assert table.get(doc_id=6) == rec(5) and table.get(doc_id=table.doc_id("a5")) == rec(5)
    assert table.get(ann.id == "a5").doc_id == 6  # type: ignore[union-attr]
    assert table.contains(ann.end == 34) and not table.contains(ann.end == 1000)
    assert table.contains(doc_id=30) and not table.contains(doc_id=31)
    assert table.get(ann.start == 29).doc_id == 30  # type: ignore[union-attr]
    table.update({"note": "done"}, ann.note == "tbc")
    assert table.count(ann.note == "done") == 8 and table.count(ann.note == "tbc") == 0
    assert isinstance(table.find("a0"), AnnotationRecord) and table.find("a0").note == "done"
    db.close()


def test_an_untyped_tracked_table_refuses_a_document_without_our_id(tmp_path: Path) -> None:
    storage = JournaledStorage(tmp_path / "t.json")  # no record type: documents are plain dicts
    db = TinyDB(storage=lambda: storage)
    db.table_class = TrackedTable
    table: TrackedTable = db.table("t")  # type: ignore[assignment]
    assert table.insert({"id": "x1", "n": 1}) == 1 and table.find("x1") == {"id": "x1", "n": 1}
    for bad in ({"n": 2}, {"id": 2, "n": 2}):
        with pytest.raises(StoreError, match="lacks its id"):
            table.insert(bad)
    assert storage.read() == {"t": {"1": {"id": "x1", "n": 1}}} and table.doc_id("x1") == 1
    db.close()
