"""The storage under the store: saves through the journal, compaction and backups, failures part-way, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tinydb
from tinydb import Query

from annotations.store import ANNOTATIONS_FILE, atomic, journal
from annotations.store.records import AnnotationRecord, to_record
from annotations.store.storage import JournaledStorage, StoreError
from tests.storage_support import TABLE, contents, doc, ids, index, open_db, plain_tinydb, rec, reopened
from tests.store_support import snapshot


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
    assert data[TABLE] == expected and data["wiredesk"]["1"].keys() == {"format", "generation", "seq", "uid", "crc32"}
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
    stale = storage.journal_path.read_bytes()
    assert reopened(path) == expected  # a reader does not replay it (its changes are in the snapshot)
    db2, _, again = open_db(path)  # the next writer keeps it in backups/ and starts the new journal
    assert contents(again) == expected
    assert (again.backup_dir / "annotations.000001.journal").read_bytes() == stale
    found = journal.scan(again.journal_path)
    assert (found.generation, found.changes, found.seq) == (2, [], 2)
    db2.close()
    assert reopened(path) == expected


def test_a_stale_journal_with_changes_the_snapshot_lacks_is_refused(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older journal beside a snapshot is only the one a compaction stopped beside if the snapshot holds every
    change in it: one with more (or fewer) changes is damage, never silently set aside."""
    _db, table, storage = open_db(path)
    table.insert(doc(1))
    storage.compact()
    table.insert(doc(2))
    stale = storage.journal_path.read_bytes()
    table.insert(doc(3))
    storage.compact()
    storage.close()
    storage.journal_path.write_bytes(stale)  # the journal of generation 1, one change short of the snapshot
    before = snapshot(path.parent)
    for read_only in (True, False):
        with pytest.raises(StoreError, match="not the journal it was made from") as err:
            JournaledStorage(path, types={TABLE: AnnotationRecord}, read_only=read_only).read()
        assert str(storage.journal_path) in str(err.value) and "\n" not in str(err.value)
    assert snapshot(path.parent) == before


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
        fh.write(journal.encode_line({"seq": storage.seq + 1, "ops": [[TABLE, "50", doc(50, id="intruder")]]}))


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


def test_a_save_into_a_journal_another_program_changed_is_refused(path: Path) -> None:
    db, table, storage = open_db(path, compact_min_bytes=1)  # every save wants a compaction
    table.insert(doc(1))
    _append_to_journal(storage)
    before = snapshot(path.parent)
    with pytest.raises(StoreError, match="changed by another program") as err:
        table.insert(doc(2))  # written after a line it does not know of, it would be out of sequence
    assert str(storage.journal_path) in str(err.value) and "\n" not in str(err.value)
    assert table.find("a2") is None and snapshot(path.parent) == before
    db.close()
    assert ids(reopened(path)) == {"a1", "intruder"}  # the other program's line is in sequence: it counts


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
