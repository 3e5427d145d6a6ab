"""A hostile or broken `unread.jsonl` (`annotations/store/unread.py`) costs the marks, never a story, a hang or a
traceback: a FIFO, a folder or a link to a device in its place is neither read nor replaced (marks are kept in
memory); garbage and escape sequences are skipped; a file past its size limit is not read and is replaced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotations.importing import import_paths
from annotations.store import Store, unread
from annotations.store.unread import UNREAD_FILE, UnreadMarks
from tests.cli_support import run, stories

A = "a" * 64


def _import(store: Store, tmp_path: Path) -> str:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "one.txt").write_text("Snow closes pass\n\nCrews worked.", "utf-8")
    [outcome] = import_paths(store, [folder])
    assert outcome.status == "imported"
    return outcome.story_id


@pytest.mark.parametrize("kind", ["fifo", "folder", "device link"])
def test_something_else_in_its_place_is_left_alone(tmp_path: Path, kind: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / UNREAD_FILE
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    store = Store(data)
    story_id = _import(store, tmp_path)  # stored; the mark kept in memory
    assert story_id in store.unread and not store.unread.usable
    store.unread.mark_read([story_id])
    assert story_id not in store.unread
    store.close()
    assert path.is_fifo() if kind == "fifo" else path.is_dir() if kind == "folder" else path.is_symlink()


def test_garbage_and_escape_sequences_are_skipped(tmp_path: Path) -> None:
    (tmp_path / UNREAD_FILE).write_bytes(
        b'\xff\xfe\x00garbage\n["+",["\x1b[2J' + b"a" * 60 + b'"]]\n{"+":1}\n["?",["' + A.encode() + b'"]]\n'
        b'["+",["' + A.encode() + b'","' + b"B" * 64 + b'"]]\n' + b"[" * 100_000 + b"\n"
    )
    marks = UnreadMarks(tmp_path)
    assert set(marks.ids) == {A}  # the one valid id of the one valid line


def test_an_oversized_file_is_not_read_and_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unread, "MAX_UNREAD_BYTES", 1000)
    (tmp_path / UNREAD_FILE).write_bytes((b'["+",["' + A.encode() + b'"]]\n') * 100)
    marks = UnreadMarks(tmp_path)
    assert len(marks) == 0
    assert (tmp_path / UNREAD_FILE).stat().st_size < 1000  # replaced at once, small


def test_the_cli_lists_and_marks_with_a_fifo_in_place(data_dir: Path, files: Path) -> None:
    data_dir.mkdir(parents=True)
    os.mkfifo(data_dir / UNREAD_FILE)
    run(data_dir, "import", str(files / "harbour.txt"))
    [story] = stories(data_dir)
    assert story["unread"] is False  # nothing saved: the marks of one command die with it
    result = run(data_dir, "read", story["id"])
    assert result.exit_code == 0 and "Traceback" not in result.output
