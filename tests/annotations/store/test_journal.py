"""Damage to the files at rest: journals scanned as clean, torn or corrupt; appends that fail leave nothing;
unreadable snapshots refused; and, for any truncation or bit flip of a real journal or snapshot, the store
either refuses with one line naming the file or opens with exactly a state that was saved."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from annotations.model import Annotation
from annotations.store import ANNOTATIONS_FILE, Store, journal
from annotations.store.records import AnnotationRecord
from annotations.store.storage import JournaledStorage, StoreError
from tests.store_support import STORY_A, STORY_B, put, remove

JOURNAL_FILE = "annotations.journal"


def write_journal(path: Path, changes: int, generation: int = 0) -> journal.Journal:
    log = journal.Journal(path, generation)
    for n in range(changes):
        log.append({"seq": n + 1, "ops": [["t", str(n + 1), {"id": f"d{n}", "n": n}]]})
    return log


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


# --- scan: clean, torn, corrupt -----------------------------------------------------------------------------------


def test_a_clean_journal(tmp_path: Path) -> None:
    path = tmp_path / "t.journal"
    write_journal(path, 3, generation=7).close()
    found = journal.scan(path)
    assert (found.status, found.generation, found.seq, found.end_seq, found.problem) == ("clean", 7, 0, 3, "")
    assert [json.loads(c) for c in found.changes] == [
        {"seq": n + 1, "ops": [["t", str(n + 1), {"id": f"d{n}", "n": n}]]} for n in range(3)
    ]
    assert found.valid_end == found.size == path.stat().st_size and found.dropped == 0


@pytest.mark.parametrize("content", [None, b""], ids=["missing", "empty"])
def test_a_missing_or_empty_journal_is_clean_without_a_header(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "t.journal"
    if content is not None:
        path.write_bytes(content)
    found = journal.scan(path)
    assert (found.status, found.generation, found.changes, found.size) == ("clean", None, [], 0)
    assert found.exists == (content is not None)  # the storage tells them apart (an empty journal is damage)


@pytest.mark.parametrize("cut", [1, 10, -1], ids=["one-byte", "ten-bytes", "all-but-the-newline"])
def test_a_partial_last_line_is_torn_and_dropped(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "t.journal"
    write_journal(path, 3).close()
    good = path.read_bytes()
    last = lines(path)[-1]
    path.write_bytes(good[: len(good) - len(last)] + last[:cut])
    found = journal.scan(path)
    assert found.status == "torn" and len(found.changes) == 2
    assert found.valid_end == len(good) - len(last) and found.dropped == len(last[:cut])
    assert "partial last line" in found.problem and "never acknowledged" in found.problem


def test_a_torn_header_leaves_no_generation(tmp_path: Path) -> None:
    path = tmp_path / "t.journal"
    write_journal(path, 0).close()
    path.write_bytes(path.read_bytes()[:-5])
    found = journal.scan(path)
    assert (found.status, found.generation, found.valid_end) == ("torn", None, 0)


def _flip(data: bytes, pos: int, bit: int = 0) -> bytes:
    return data[:pos] + bytes([data[pos] ^ (1 << bit)]) + data[pos + 1 :]


@pytest.mark.parametrize("damaged", [1, 2, 3], ids=["header", "middle", "last-complete-line"])
def test_a_damaged_complete_line_is_corrupt(tmp_path: Path, damaged: int) -> None:
    path = tmp_path / "t.journal"
    write_journal(path, 3).close()
    parts = lines(path)
    start = sum(len(p) for p in parts[:damaged])
    path.write_bytes(_flip(path.read_bytes(), start + 20))
    found = journal.scan(path)
    assert found.status == "corrupt" and f"line {damaged + 1} is damaged" in found.problem
    assert found.valid_end == start and len(found.changes) == max(damaged - 1, 0)


def test_a_first_line_that_is_not_a_header_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "t.journal"
    path.write_bytes(journal.encode_line({"ops": []}) + journal.encode_line({"ops": []}))
    found = journal.scan(path)
    assert (found.status, found.generation, found.valid_end) == ("corrupt", None, 0)


def test_a_storage_cuts_a_torn_tail_but_refuses_a_corrupt_journal(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    write_journal(path.with_suffix(".journal"), 2).close()
    journal_path = path.with_suffix(".journal")
    good = journal_path.read_bytes()
    journal_path.write_bytes(good + b"0badc0de {partial")
    storage = JournaledStorage(path)
    assert set(storage.read()["t"]) == {"1", "2"}  # TinyDB document ids, as JSON keys
    storage.close()
    assert journal_path.read_bytes() == good  # the torn tail was never acknowledged: cut away,
    (kept,) = (tmp_path / "quarantine").iterdir()
    assert kept.read_bytes() == good + b"0badc0de {partial"  # once the whole file was kept in quarantine

    damaged = _flip(good, len(good) - 5)
    journal_path.write_bytes(damaged)
    for read_only in (True, False):
        with pytest.raises(StoreError, match="line 3 is damaged") as err:
            JournaledStorage(path, read_only=read_only).read()
        assert str(journal_path) in str(err.value) and "\n" not in str(err.value)
    assert journal_path.read_bytes() == damaged


# --- appends that fail leave nothing behind -----------------------------------------------------------------------


def test_a_failed_append_leaves_no_partial_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.journal"
    log = write_journal(path, 2)
    before = path.read_bytes()
    real_write = os.write

    def half_then_fail(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "write", half_then_fail)
        with pytest.raises(OSError, match="No space left"):
            log.append({"ops": [["t", "99", {"id": "lost", "n": 99}]]})
    assert path.read_bytes() == before and log.size == len(before)
    log.append({"ops": [["t", "100", {"id": "next", "n": 100}]]})  # the next append follows the last good line
    log.close()
    found = journal.scan(path)
    assert found.status == "clean" and len(found.changes) == 3 and b"lost" not in path.read_bytes()


def test_an_append_that_cannot_be_undone_stops_the_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.journal"
    log = write_journal(path, 1)

    def fail(*args: object) -> None:
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as m:
        m.setattr(os, "fdatasync", fail)
        m.setattr(os, "ftruncate", fail)
        with pytest.raises(OSError):
            log.append({"ops": [["t", "1", {}]]})
    with pytest.raises(OSError, match="could not be restored") as err:  # later lines would follow a bad one
        log.append({"ops": [["t", "2", {}]]})
    assert str(path) in str(err.value)
    log.close()


# --- unreadable snapshots are refused, never read as something else, never overwritten --------------------------

UNREADABLE = {
    "zero-length": b"",
    "only-whitespace": b"  \n",
    "truncated": b'{"annotations": {"1": {"id": "3f2a", "kind": "quote", "st',
    "garbage": b"\x00\xff\xfe\x89PNG\r\n\x1a\n garbage",
    "json-list": b'[{"kind": "quote"}]',
    "json-string": b'"annotations"',
    "table-not-object": b'{"annotations": []}',
    "record-lacks-fields": b'{"annotations": {"1": {"id": "a1", "kind": "quote"}}}',
    "record-lacks-its-id": b'{"annotations": {"1": {"story_id": "s", "kind": "quote", "start": 1, "end": 2, '
    b'"exact": "x"}}}',
    "record-not-object": b'{"annotations": {"1": ["not", "a", "record"]}}',
    "record-wrong-type": b'{"annotations": {"1": {"id": "a1", "story_id": "s", "kind": "quote", "start": "1", '
    b'"end": 2, "exact": "x"}}}',
    "meta-without-checksum": b'{"annotations": {}, "wiredesk": {"1": {"format": 1, "generation": 4}}}',
    "invalid-utf8-doc-id": b'{"annotations": {"1\xe1": {"id": "a1", "story_id": "s", "kind": "quote", "start": 1, '
    b'"end": 2, "exact": "x"}}}',
    "invalid-utf8-id": b'{"annotations": {"1": {"id": "a\xe1", "story_id": "s", "kind": "quote", "start": 1, '
    b'"end": 2, "exact": "x"}}}',
    "invalid-utf8-text": b'{"annotations": {"1": {"id": "a1", "story_id": "s\xe1", "kind": "quote", "start": 1, '
    b'"end": 2, "exact": "x"}}}',
}


@pytest.mark.parametrize("content", UNREADABLE.values(), ids=UNREADABLE.keys())
@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "writable"])
def test_an_unreadable_snapshot_is_refused_naming_it_and_left_untouched(
    tmp_path: Path, content: bytes, read_only: bool
) -> None:
    path = tmp_path / ANNOTATIONS_FILE
    path.write_bytes(content)
    mtime = path.stat().st_mtime_ns
    storage = JournaledStorage(path, types={"annotations": AnnotationRecord}, read_only=read_only)
    with pytest.raises(StoreError) as err:
        storage.read()
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(StoreError):
        storage.write({"annotations": {}})  # even when asked directly, it is never treated as empty
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_damage_that_leaves_valid_json_is_caught_by_the_snapshot_checksum(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    storage = JournaledStorage(path)
    storage.table("t")["1"] = {"id": "d1", "text": "Mayor Ada Quist"}
    storage.compact()
    storage.close()
    damaged = path.read_bytes().replace(b"Mayor Ada Quist", b"Mayor Ada Quest")
    # plausible data, but not what was saved
    assert json.loads(damaged)["t"] == {"1": {"id": "d1", "text": "Mayor Ada Quest"}}
    path.write_bytes(damaged)
    with pytest.raises(StoreError, match="checksum does not match") as err:
        JournaledStorage(path, read_only=True).read()
    assert str(path) in str(err.value)


def test_a_snapshot_without_the_wiredesk_table_is_read_as_generation_zero(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    with TinyDB(path) as plain:  # as plain TinyDB (or an older wiredesk) writes it
        plain.table("t").insert({"id": "d1", "n": 1})
    written = path.read_bytes()
    assert json.loads(written) == {"t": {"1": {"id": "d1", "n": 1}}}
    storage = JournaledStorage(path)
    assert storage.read() == {"t": {"1": {"id": "d1", "n": 1}}} and storage.generation == 0
    storage.compact()
    storage.close()
    assert storage.backups()[0][1].read_bytes() == written  # kept as it was
    assert JournaledStorage(path, read_only=True).read() == {"t": {"1": {"id": "d1", "n": 1}}}
    with TinyDB(path, access_mode="r") as plain:  # and what wiredesk wrote, plain TinyDB reads
        assert plain.table("t").get(doc_id=1) == {"id": "d1", "n": 1}


# --- any truncation or bit flip of a real journal or snapshot ------------------------------------------------------


@dataclass
class Library:
    """A data dir whose annotations went through a compaction and then `len(states) - 1` saves in the journal."""

    folder: Path
    states: list[dict[str, Annotation]]  # states[k]: the annotations after the k-th save since the compaction


def _spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+", text)]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("library") / "data"
    anns = [
        Annotation.new(story, ("quote", "actor", "claim")[n % 3], start, end, note=f"note {n}")
        for story in (STORY_A, STORY_B)
        for n, (start, end) in enumerate(_spans(story.text))
    ]
    with Store(folder) as store:
        store.add_stories([STORY_A, STORY_B])
        for ann in anns[:24]:
            put(store, ann)
        store.close(compact=True)
    states = []
    with Store(folder) as store:
        states.append({a.id: a for a in store.annotations()})
        saves = [lambda s, a=a: put(s, a) for a in anns[24:36]]
        saves += [lambda s, a=a: put(s, a.edited(note="edited")) for a in anns[:4]]
        saves += [lambda s, a=a: remove(s, a.id) for a in anns[4:8]]
        for save in saves:
            save(store)
            states.append({a.id: a for a in store.annotations()})
    assert len(states[0]) == 24 and len(journal.scan(folder / JOURNAL_FILE).changes) == len(saves) == 20
    return Library(folder, states)


def _open(folder: Path, mutated: Path, read_only: bool) -> dict[str, Annotation] | None:
    """The annotations a Store finds in `folder`, or None if it refuses with one line naming `mutated`."""
    try:
        with Store(folder, read_only=read_only) as store:
            return {a.id: a for a in store.annotations()}
    except StoreError as exc:
        message = str(exc)
        assert "\n" not in message and str(mutated) in message, message
        return None


def _check(library: Library, name: str, content: bytes) -> dict[str, Annotation] | None:
    """Open a copy of the library with `name` replaced by `content`, read-only then writable; both must agree."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(library.folder, folder)
        mutated = folder / name
        mutated.write_bytes(content)
        seen = _open(folder, mutated, read_only=True)
        if seen is None:
            assert _open(folder, mutated, read_only=False) is None
            assert mutated.read_bytes() == content  # refused and left as it was
            return None
        assert seen != {}, "an empty store where data was"
        assert seen in library.states, "a state that was never saved"
        assert _open(folder, mutated, read_only=False) == seen
        assert _open(folder, mutated, read_only=True) == seen  # what the writer tidied up changed no data
        return seen


def test_a_journal_cut_at_any_line_boundary_is_refused_never_read_as_an_older_state(library: Library) -> None:
    data = (library.folder / JOURNAL_FILE).read_bytes()
    ends = [m.end() for m in re.finditer(b"\n", data)]
    assert len(ends) == len(library.states)  # a header, then one line per save
    for end in ends[:-1]:
        assert _check(library, JOURNAL_FILE, data[:end]) is None  # the head says 20 saves were made
    assert _check(library, JOURNAL_FILE, data) == library.states[-1]
    assert _check(library, JOURNAL_FILE, b"") is None


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_truncation_of_the_journal_is_refused(library: Library, data: st.DataObject) -> None:
    """Even a cut inside the last line: that save was acknowledged (the head says so), so it is damage, not a
    torn write."""
    raw = (library.folder / JOURNAL_FILE).read_bytes()
    cut = data.draw(st.integers(0, len(raw) - 1), label="cut")
    assert _check(library, JOURNAL_FILE, raw[:cut]) is None


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_bit_flip_in_the_journal_is_refused_or_harmless(library: Library, data: st.DataObject) -> None:
    raw = (library.folder / JOURNAL_FILE).read_bytes()
    pos = data.draw(st.integers(0, len(raw) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    seen = _check(library, JOURNAL_FILE, _flip(raw, pos, bit))
    assert seen in (None, library.states[-1])  # harmless: e.g. a checksum digit flipped to upper case


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_truncation_of_the_snapshot_is_refused(library: Library, data: st.DataObject) -> None:
    raw = (library.folder / ANNOTATIONS_FILE).read_bytes()
    cut = data.draw(st.integers(0, len(raw) - 1), label="cut")
    assert _check(library, ANNOTATIONS_FILE, raw[:cut]) is None


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_bit_flip_in_the_snapshot_is_refused_or_harmless(library: Library, data: st.DataObject) -> None:
    raw = (library.folder / ANNOTATIONS_FILE).read_bytes()
    pos = data.draw(st.integers(0, len(raw) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    seen = _check(library, ANNOTATIONS_FILE, _flip(raw, pos, bit))
    assert seen in (None, library.states[-1])
