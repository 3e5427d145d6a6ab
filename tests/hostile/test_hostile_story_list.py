"""stories.list is derived and never trusted blindly: whatever stands in its place (a folder, a FIFO, a link to a
device, bytes with a good checksum but a bad body), the library opens from its index as if there were none, and
nothing but a regular file is ever replaced."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import msgspec
import pytest

from annotations.store import Store
from annotations.store.listing import _MAGIC, LIST_FILE
from tests.store_support import make_story, put, tag_text


def _library(data_dir: Path) -> list[tuple[str, str]]:
    stories = [make_story("First.", headline="One", created="2026-01-01"), make_story("Second.", headline="Two")]
    with Store(data_dir) as store:
        store.add_stories(stories)
        put(store, tag_text(stories[0], "First"))
        return [(e.id, e.meta.headline) for e in store.entries()]


def _opens_from_the_index(data_dir: Path, expected: list[tuple[str, str]]) -> None:
    with Store(data_dir) as store:
        assert store._stories_db is not None
        assert [(e.id, e.meta.headline) for e in store.entries()] == expected


@pytest.mark.parametrize("intruder", ["folder", "fifo", "device link"])
def test_something_else_in_its_place_is_ignored_and_left_alone(data_dir: Path, intruder: str) -> None:
    expected = _library(data_dir)
    path = data_dir / LIST_FILE
    path.unlink()
    if intruder == "folder":
        path.mkdir()
    elif intruder == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    _opens_from_the_index(data_dir, expected)  # never blocks on the FIFO, never reads /dev/zero
    assert not path.is_file()  # not replaced
    assert path.is_dir() if intruder == "folder" else path.is_fifo() if intruder == "fifo" else path.is_symlink()


def _with_checksum(body: bytes) -> bytes:
    return _MAGIC + b"%08x\n" % zlib.crc32(body) + body


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\xc1\xc1\xc1",  # not msgpack
        msgspec.msgpack.encode({"rows": []}),  # another shape
        msgspec.msgpack.encode([["uid", 1, 2, ""], [["a" * 64, "x", "", "", 0, [0, 1]]]]),  # version 0
        msgspec.msgpack.encode([["uid", 1, 2, ""], [["a" * 64, "x", "", "", 1, [-5, 1]]]]),  # a negative offset
    ],
)
def test_a_well_checksummed_list_with_a_bad_body_is_ignored(data_dir: Path, body: bytes) -> None:
    expected = _library(data_dir)
    (data_dir / LIST_FILE).write_bytes(_with_checksum(body))
    _opens_from_the_index(data_dir, expected)


def test_a_list_naming_a_story_twice_is_ignored(data_dir: Path) -> None:
    expected = _library(data_dir)
    raw = (data_dir / LIST_FILE).read_bytes()
    state, rows = msgspec.msgpack.decode(raw[len(_MAGIC) + 9 :])
    (data_dir / LIST_FILE).write_bytes(_with_checksum(msgspec.msgpack.encode([state, [*rows, rows[0]]])))
    _opens_from_the_index(data_dir, expected)


def test_a_list_entry_whose_metadata_cannot_be_read_shows_a_line_not_a_traceback(data_dir: Path) -> None:
    _library(data_dir)
    raw = (data_dir / LIST_FILE).read_bytes()
    state, rows = msgspec.msgpack.decode(raw[len(_MAGIC) + 9 :])
    rows[0][6] = msgspec.msgpack.Ext(1, b"\x00")  # the metadata blob: not a record
    (data_dir / LIST_FILE).write_bytes(_with_checksum(msgspec.msgpack.encode([state, rows])))
    with Store(data_dir, read_only=True) as store:
        assert store._stories_db is None  # the list is used (its checksum and shape are good) ...
        assert "list entry is damaged" in store.entries()[0].meta.headline  # ... and the bad row says so


def test_doctor_repair_moves_a_folder_in_its_place_to_quarantine_and_the_next_close_writes_it(data_dir: Path) -> None:
    from annotations.store import doctor

    expected = _library(data_dir)
    path = data_dir / LIST_FILE
    path.unlink()
    path.mkdir()
    doctor.repair(data_dir)
    assert [p.name.split(".")[:2] for p in (data_dir / "quarantine").iterdir()] == [["stories", "list"]]
    _opens_from_the_index(data_dir, expected)
    assert path.is_file()
