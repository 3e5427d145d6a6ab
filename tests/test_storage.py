"""The storage under the store: saves through the journal, compaction and backups, refusals, writes that cost
what they change, and records that TinyDB reads as mappings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
import tinydb
from store_support import snapshot
from tinydb import Query, TinyDB
from tinydb.table import Document

from annotations import atomic, journal
from annotations.records import AnnotationRecord, RecordError, to_record
from annotations.storage import JournaledStorage, StoreError
from annotations.store import ANNOTATIONS_FILE
from annotations.table import TrackedTable

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
    db = TinyDB(storage=lambda: storage)
    db.table_class = TrackedTable
    storage.read()
    return db, db.table(TABLE), storage  # type: ignore[return-value]


def contents(storage: JournaledStorage) -> dict[str, dict[str, Any]]:
    """The documents in memory as plain dicts, by TinyDB document id ("1", "2", … as in the JSON)."""
    return {doc_id: dict(rec) for doc_id, rec in storage.read().get(TABLE, {}).items()}


def ids(docs: dict[str, dict[str, Any]]) -> set[str]:
    """Our ids (the `id` fields) of `docs`."""
    return {d["id"] for d in docs.values()}


def index(table: TrackedTable) -> dict[str, int]:
    """Our id -> TinyDB document id, as `doc_id` gives it for each record in the table; checks `find` too."""
    found = {}
    for doc_id, record in table.records().items():
        assert table.find(record.id) is record, record.id
        found[record.id] = table.doc_id(record.id)
        assert found[record.id] == int(doc_id), record.id
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


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ANNOTATIONS_FILE


# --- saves go to the journal; compaction folds them into a snapshot ----------------------------------------------


def test_each_save_is_one_journal_line_that_a_reopen_replays(path: Path) -> None:
    db, table, storage = open_db(path)
    assert table.insert(doc(1)) == 1  # TinyDB's own document ids: 1, 2, …
    assert table.insert_multiple([doc(2), doc(3)]) == [2, 3]
    table.update({"note": "checked"}, doc_ids=[table.doc_id("a1")])
    table.remove(doc_ids=[table.doc_id("a2")])
    found = journal.scan(storage.journal_path)
    assert (found.status, found.generation, len(found.changes)) == ("clean", 0, 4)
    # each line names the changed documents by their TinyDB id (as a JSON key, a string) with our id inside
    ops = [json.loads(change)["ops"] for change in found.changes]
    assert [[(t, doc_id, d and d["id"]) for t, doc_id, d in line] for line in ops] == [
        [(TABLE, "1", "a1")],
        [(TABLE, "2", "a2"), (TABLE, "3", "a3")],
        [(TABLE, "1", "a1")],
        [(TABLE, "2", None)],
    ]
    assert not path.exists()  # no snapshot until a compaction
    expected = {"1": rec(1, note="checked"), "3": rec(3)}
    assert contents(storage) == expected
    assert reopened(path) == expected  # another reader, while this writer is open
    db.close()
    assert reopened(path) == expected


def test_compaction_writes_a_plain_tinydb_snapshot_and_empties_the_journal(path: Path) -> None:
    db, table, storage = open_db(path)
    table.insert_multiple([doc(n) for n in range(20)])
    table.update({"note": "edited"}, Query().kind == "quote")
    table.remove(Query().start >= 15)
    expected = contents(storage)
    assert len(expected) == 15 and sum(d["note"] == "edited" for d in expected.values()) == 5
    assert set(expected) == {str(n) for n in range(1, 16)}
    storage.compact()
    data = plain_tinydb(path)
    assert data[TABLE] == expected and data["wiredesk"]["1"].keys() == {"format", "generation", "crc32"}
    assert data["wiredesk"]["1"]["generation"] == 1
    with tinydb.TinyDB(path, access_mode="r") as plain:
        assert plain.table(TABLE).get(doc_id=4) == expected["4"] and expected["4"]["id"] == "a3"
        assert {d.doc_id: d for d in plain.table(TABLE).all()} == {int(k): d for k, d in expected.items()}
    found = journal.scan(storage.journal_path)
    assert (found.status, found.generation, found.changes) == ("clean", 1, [])
    assert storage.journal_bytes == 0
    assert table.insert(doc(99)) == 21  # saves go on into the new journal; TinyDB never reuses an id it gave out
    db.close()
    _, again_table, again = open_db(path)
    assert again.generation == 1 and contents(again) == {**expected, "21": rec(99)}
    assert dict(again_table.find("a99")) == rec(99) and again_table.doc_id("a99") == 21
    again.close()


def test_close_with_compact_folds_only_a_journal_that_holds_changes(path: Path) -> None:
    open_db(path)[2].close(compact=True)
    assert not path.exists()  # nothing to fold in
    _, table, storage = open_db(path)
    table.insert(doc(1))
    storage.close(compact=True)
    assert plain_tinydb(path)[TABLE] == {"1": rec(1)}


def test_a_journal_past_its_threshold_is_compacted_on_the_next_save(path: Path) -> None:
    db, table, storage = open_db(path, compact_min_bytes=2048)
    for n in range(60):
        table.insert(doc(n))
    assert storage.generation >= 2 and storage.compaction_error == ""
    assert journal.scan(storage.journal_path).generation == storage.generation
    assert len(journal.scan(storage.journal_path).changes) < 60  # the rest is in the snapshot
    expected = contents(storage)
    db.close()
    assert len(expected) == 60 and reopened(path) == expected
    assert ids(expected) == {f"a{n}" for n in range(60)} and set(expected) == {str(n) for n in range(1, 61)}


def test_backups_keep_three_generations_of_snapshot_and_journal(path: Path) -> None:
    db, table, storage = open_db(path)
    states = {}
    for n in range(6):
        table.insert(doc(n))
        storage.compact()
        states[storage.generation] = contents(storage)
    db.close()
    backups = storage.backups()
    assert [g for g, _, _ in backups] == [5, 4, 3]
    for generation, snapshot_file, journal_file in backups:
        assert snapshot_file.name == f"annotations.{generation:06d}.json"
        assert journal_file is not None and journal_file.name == f"annotations.{generation:06d}.journal"
        assert plain_tinydb(snapshot_file)[TABLE] == states[generation]
        kept = journal.scan(journal_file)
        assert kept.generation == generation and len(kept.changes) == 1
        # the snapshot plus its journal is the next generation
        replay = JournaledStorage(path, types={TABLE: AnnotationRecord}, read_only=True)
        tables = {TABLE: {k: to_record(v, AnnotationRecord) for k, v in states[generation].items()}}
        replay.apply_change(tables, kept.changes[0])
        assert {k: dict(v) for k, v in tables[TABLE].items()} == states[generation + 1]
    names = {p.name for p in storage.backup_dir.iterdir()}
    assert not any(name.startswith(("annotations.000001.", "annotations.000002.")) for name in names)


def test_a_stale_journal_from_an_interrupted_compaction_is_archived_not_replayed(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _db, table, storage = open_db(path)
    table.insert(doc(1))
    storage.compact()
    table.insert(doc(2))

    class Crash(BaseException):
        pass

    def crash(*args: object) -> None:
        raise Crash

    with monkeypatch.context() as m:  # the process dies right after the new snapshot is renamed into place
        m.setattr(JournaledStorage, "_archive_journal", crash)
        with pytest.raises(Crash):
            storage.compact()
    expected = contents(storage)
    assert plain_tinydb(path)["wiredesk"]["1"]["generation"] == 2
    assert journal.scan(storage.journal_path).generation == 1  # the old journal is still in place
    # Make replaying it visible: a change that would delete a1 (document 1) if the stale journal were applied.
    with storage.journal_path.open("ab") as fh:
        fh.write(journal.encode_line({"ops": [[TABLE, "1", None]]}))
    stale = storage.journal_path.read_bytes()
    assert reopened(path) == expected  # a reader ignores it
    db2, _, again = open_db(path)  # the next writer moves it to backups/
    assert contents(again) == expected
    assert (again.backup_dir / "annotations.000001.journal").read_bytes() == stale
    found = journal.scan(again.journal_path)
    assert (found.generation, found.changes) == (2, [])
    db2.close()
    assert reopened(path) == expected


def test_a_journal_newer_than_its_snapshot_is_refused_naming_both(path: Path) -> None:
    db, table, storage = open_db(path)
    for n in range(3):
        table.insert(doc(n))
        storage.compact()
    table.insert(doc(9))
    db.close()
    older = storage.backups()[0][1]
    path.write_bytes(older.read_bytes())  # someone put back an older snapshot
    before = snapshot(path.parent)
    for read_only in (True, False):
        with pytest.raises(StoreError) as err:
            JournaledStorage(path, types={TABLE: AnnotationRecord}, read_only=read_only).read()
        message = str(err.value)
        assert str(path) in message and str(storage.journal_path) in message and "\n" not in message
        assert "generation 3 > 2" in message
    assert snapshot(path.parent) == before


# --- a compaction that fails part-way loses nothing ---------------------------------------------------------------


def test_a_compaction_whose_folder_fsync_fails_still_moves_saves_to_the_new_journal(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, table, storage = open_db(path)
    table.insert(doc(1))

    def fail(folder: Path) -> None:
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as m:
        m.setattr(atomic, "fsync_dir", fail)  # the new snapshot is renamed into place; its durability is unknown
        with pytest.raises(StoreError, match="Input/output error"):
            storage.compact()
    table.insert(doc(2))  # acknowledged after the failed compaction
    assert journal.scan(storage.journal_path).generation == storage.generation == 1
    db.close()
    assert ids(reopened(path)) == {"a1", "a2"}
    db, _, again = open_db(path)
    assert ids(contents(again)) == {"a1", "a2"}
    db.close()


def test_a_compaction_that_cannot_start_its_new_journal_refuses_further_saves(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, table, storage = open_db(path)
    table.insert(doc(1))

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(journal.Journal, "__init__", fail)
        with pytest.raises(StoreError, match="No space left"):
            storage.compact()
    with pytest.raises(StoreError, match="opened again") as err:
        table.insert(doc(2))
    assert "\n" not in str(err.value) and ids(contents(storage)) == {"a1"}
    assert table.find("a2") is None and table.doc_id("a1") == 1
    db.close()
    db, table, again = open_db(path)  # opened again: everything acknowledged is there, and saving works
    assert ids(contents(again)) == {"a1"}
    table.insert(doc(2))
    db.close()
    assert ids(reopened(path)) == {"a1", "a2"}


def test_a_reader_racing_a_compaction_never_sees_an_older_state(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, table, writer = open_db(path)
    table.insert(doc(1))
    writer.compact()
    table.insert(doc(2))  # only in the journal
    real_scan, calls = journal.scan, []

    def scan_during_compaction(journal_path: Path) -> journal.JournalScan:
        calls.append(journal_path)
        if len(calls) == 1:  # the writer compacts after the reader read the snapshot, and the reader
            writer.compact()  # looks at the journal just as the old one was moved away
            return journal.JournalScan()
        return real_scan(journal_path)

    monkeypatch.setattr(journal, "scan", scan_during_compaction)
    assert reopened(path) == contents(writer) and len(calls) == 2
    db.close()


DROPS = {
    "drop_tables": lambda db: db.drop_tables(),  # TinyDB replaces everything through `write`: a compaction
    "drop_table": lambda db: db.drop_table(TABLE),  # TinyDB deletes the table from what `read` gave, then writes
}


@pytest.mark.parametrize("drop", DROPS.values(), ids=DROPS.keys())
def test_a_failed_drop_leaves_memory_as_it_was(path: Path, monkeypatch: pytest.MonkeyPatch, drop: Any) -> None:
    db, table, storage = open_db(path)
    table.insert(doc(1))
    before = contents(storage)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(atomic.os, "replace", fail)
        with pytest.raises(StoreError, match="No space left"):
            drop(db)
    assert contents(storage) == before and reopened(path) == before
    assert TABLE in db.tables() and dict(table.find("a1")) == rec(1) and table.doc_id("a1") == 1
    drop(db)
    assert contents(storage) == {} and reopened(path) == {}
    assert table.find("a1") is None and table.doc_id("a1") is None  # a table held across the drop knows
    assert db.table(TABLE).insert(doc(2)) == 1 and dict(table.find("a2")) == rec(2)
    db.close()
    assert ids(reopened(path)) == {"a2"}


# --- refusals: foreign changes, read-only ----------------------------------------------------------------------


def _rewrite_snapshot(storage: JournaledStorage) -> None:
    data = json.loads(storage.path.read_bytes())
    data[TABLE]["50"] = doc(50, id="intruder")
    storage.path.write_text(json.dumps(data))


def _append_to_journal(storage: JournaledStorage) -> None:
    with storage.journal_path.open("ab") as fh:
        fh.write(journal.encode_line({"ops": [[TABLE, "50", doc(50, id="intruder")]]}))


def _replace_journal(storage: JournaledStorage) -> None:
    data = storage.journal_path.read_bytes()
    storage.journal_path.unlink()
    storage.journal_path.write_bytes(data)


@pytest.mark.parametrize("change", [_rewrite_snapshot, _append_to_journal, _replace_journal])
def test_a_file_changed_by_another_program_is_never_overwritten(path: Path, change: Any) -> None:
    _db, table, storage = open_db(path)
    table.insert(doc(1))
    storage.compact()
    table.insert(doc(2))
    change(storage)
    before = snapshot(path.parent)
    with pytest.raises(StoreError, match="changed by another program") as err:
        storage.compact()
    named = storage.path if change is _rewrite_snapshot else storage.journal_path
    assert str(named) in str(err.value) and "\n" not in str(err.value)
    assert snapshot(path.parent) == before
    with pytest.raises(StoreError, match="another program"):
        storage.close(compact=True)
    assert snapshot(path.parent) == before


def test_a_refused_compaction_after_a_save_keeps_the_save(path: Path) -> None:
    db, table, storage = open_db(path, compact_min_bytes=1)  # every save wants a compaction
    table.insert(doc(1))
    _append_to_journal(storage)
    table.insert(doc(2))  # acknowledged: it is in the journal
    assert "another program" in storage.compaction_error
    db.close()
    assert ids(reopened(path)) == {"a1", "a2", "intruder"}


def test_read_only_storage_refuses_every_write(path: Path) -> None:
    db, table, _storage = open_db(path)
    table.insert(doc(1))
    db.close()
    before = snapshot(path.parent)
    ro_db, ro_table, ro = open_db(path, read_only=True)
    memory = contents(ro)
    with pytest.raises(StoreError, match="read-only"):
        ro.commit(TABLE, [("2", to_record(doc(2), AnnotationRecord))])
    with pytest.raises(StoreError, match="read-only"):
        ro.compact()
    with pytest.raises(StoreError, match="read-only"):
        ro_table.insert(doc(2))
    with pytest.raises(StoreError, match="read-only"):
        ro_table.update({"note": "x"}, doc_ids=[ro_table.doc_id("a1")])
    with pytest.raises(StoreError, match="read-only"):
        ro_db.drop_table(TABLE)
    with pytest.raises(StoreError, match="read-only"):
        ro_db.drop_tables()
    assert contents(ro) == memory and index(ro_table) == {"a1": 1} and ro_table.find("a2") is None
    ro_db.close()
    assert snapshot(path.parent) == before


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

    def spy(self: JournaledStorage, name: str, ops: list) -> None:
        calls.append((name, list(ops)))
        commit(self, name, ops)

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
