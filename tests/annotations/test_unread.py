"""Read and unread stories, headless: the marks' log (`annotations/store/unread.py`), the import marking what it
stores, the library filter's `is:unread` / `is:read`, and two processes' marks on one log."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.importing import import_paths
from annotations.library_index import LibraryIndex, parse_filter
from annotations.store import Store, unread
from annotations.store.unread import UNREAD_FILE, UnreadMarks
from tests.store_support import add_story, make_story

A, B, C = "a" * 64, "b" * 64, "c" * 64


def _files(folder: Path, *headlines: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, headline in enumerate(headlines):
        (folder / f"{n}.txt").write_text(f"{headline}\n\nThe council met on Monday about {headline}.", "utf-8")
    return folder


def test_an_existing_library_is_all_read_and_imports_start_unread(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    old = make_story(headline="Old story")
    add_story(store, old)  # stored before read state existed: no log
    assert not (tmp_path / "data" / UNREAD_FILE).exists() and len(store.unread) == 0
    outcomes = list(import_paths(store, [_files(tmp_path / "in", "Ferry vote", "Snow closes pass")]))
    new = {o.story_id for o in outcomes}
    assert set(store.unread.ids) == new and old.id not in store.unread
    again = list(import_paths(store, [tmp_path / "in"]))  # already there: nothing marked again
    assert {o.status for o in again} == {"present"}
    store.unread.mark_read(new)
    store.close()
    reopened = Store(tmp_path / "data")
    assert len(reopened.unread) == 0  # durable
    list(import_paths(reopened, [tmp_path / "in"]))
    assert len(reopened.unread) == 0  # a re-import of what was read leaves it read
    reopened.close()


def test_marks_persist_and_report_what_changed(tmp_path: Path) -> None:
    marks = UnreadMarks(tmp_path)
    assert marks.mark_unread([A, B, A]) == [A, B]
    assert marks.mark_unread([A]) == []
    assert marks.mark_read([A, C]) == [A]
    assert marks.mark_unread(["not an id", "../x"]) == []  # only story ids are kept
    assert set(UnreadMarks(tmp_path).ids) == {B}


def test_two_processes_append_and_see_each_others_marks(tmp_path: Path) -> None:
    app, watch = UnreadMarks(tmp_path), UnreadMarks(tmp_path)
    watch.mark_unread([A, B])
    assert app.refresh() and set(app.ids) == {A, B}
    app.mark_read([A])
    watch.mark_unread([C])  # reads what the app appended before its own line
    assert set(watch.ids) == {B, C}
    assert not watch.refresh()  # nothing new: nothing changed
    assert set(UnreadMarks(tmp_path).ids) == {B, C}


def test_a_torn_or_damaged_line_costs_only_that_line(tmp_path: Path) -> None:
    marks = UnreadMarks(tmp_path)
    marks.mark_unread([A])
    with (tmp_path / UNREAD_FILE).open("ab") as fh:
        fh.write(b'garbage\x1b[2J\n["+",[1,2]]\n["+",["' + B.encode())  # junk, a wrong shape, a torn append
    assert set(UnreadMarks(tmp_path).ids) == {A}
    marks.mark_unread([C])  # appended after the torn line, on a line of its own
    assert C in UnreadMarks(tmp_path).ids


def test_a_long_log_is_compacted_to_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unread, "COMPACT_LINES", 20)
    marks, other = UnreadMarks(tmp_path), UnreadMarks(tmp_path)
    other.mark_unread([C])
    for _ in range(15):
        marks.mark_unread([A, B])
        marks.mark_read([A])
    assert (tmp_path / UNREAD_FILE).read_bytes().count(b"\n") < 20 + 5
    assert set(UnreadMarks(tmp_path).ids) == {B, C}  # the other process's mark kept
    other.mark_read([C])  # the other process appends to the new file
    assert set(UnreadMarks(tmp_path).ids) == {B}
    assert set(UnreadMarks(tmp_path).ids) == {B}


def test_a_read_only_library_keeps_marks_in_memory_and_writes_nothing(tmp_path: Path) -> None:
    UnreadMarks(tmp_path).mark_unread([A])
    before = (tmp_path / UNREAD_FILE).read_bytes()
    marks = UnreadMarks(tmp_path, read_only=True)
    assert marks.mark_read([A]) == [A] and A not in marks
    assert (tmp_path / UNREAD_FILE).read_bytes() == before


def test_is_unread_and_is_read_filter_the_library(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    old = make_story(headline="Old story")
    add_story(store, old)
    new = [o.story_id for o in import_paths(store, [_files(tmp_path / "in", "Ferry vote", "Snow closes pass")])]
    store.unread.mark_read(new[:1])
    index = LibraryIndex(store)
    for typed, expected in [("is:unread", {new[1]}), ("is:unr", {new[1]}), ("is:read", {old.id, new[0]})]:
        selection = index.select(parse_filter(typed))
        assert {s for s in (old.id, *new) if selection.allows(s)} == expected, typed
        assert not selection.errors
    assert "is:unread" in index.select(parse_filter("is:bogus")).errors[0]
    store.close()
