"""A hostile or damaged steps file (`cli-steps.jsonl`, the command line's steps for the app to undo): read as no
steps or fewer, never a traceback, never replaced when it is not a regular file; the commands still work."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from annotations.handover import STEPS_FILE
from annotations.history import History
from annotations.store import Store
from tests.annotations.test_history import STORY, new
from tests.store_support import add_story


@pytest.fixture(autouse=True)
def _story(store: Store) -> None:
    """The store (tests/store_support.py) holds the story the annotations are of."""
    add_story(store, STORY)


GOOD_THEN_BAD = [
    "",
    "not json",
    "[]",
    '{"id": 1, "label": "x", "edits": []}',
    '{"id": "a", "label": "x", "edits": [[{"kind": "story", "data": {}}, null]]}',
    '{"id": "a", "label": "x", "edits": [[null, {"kind": "annotation", "data": {"id": "x"}}]]}',
    '{"id": "a", "label": "x", "edits": [[null, null, null]]}',
    '{"id": "a", "label": "x", "edits": [[null, {"kind": "actor", "data": {}}]]}',
    '{"id": "a", "label": "x", "edits": [[null, null]]}',
    '{"id": "a", "label": "x", "edits": [[null, {"kind": "actor", "data": {"id": "b", "name": "B"}}]], "before": [1]}',
    "\x1b[31m" + "x" * 10_000,
    '{"id": "a", "label": "x", "edits": [[null, {"kind": "thread", "data": {}}]]}',
    '{"id": "a", "label": "x", "edits": [[null, {"kind": "thread", "data": {"id": "t", "title": "T", "members": 7}}]]}',
    '{"id": "a", "label": "x", "edits": [[null, {"kind": "thread", "data": {"id": "t", "title": "T", "members": [],'
    ' "created": "", "modified": ""}}]]}',
    '{"id": "a", "label": "x", "edits": [[null, {"kind": "thread", "data": {"id": "t", "title": "T", "members":'
    ' [{"annotation": "a", "status": "maybe", "linked": ""}], "created": "", "modified": ""}}]]}',
]


def test_damaged_lines_are_skipped(store: Store, data_dir: Path) -> None:
    ann = History(store, hand_over=True).add(new("We need another month"))
    path = data_dir / STEPS_FILE
    good = path.read_text("utf-8")
    path.write_bytes(good.encode() + "\n".join(GOOD_THEN_BAD).encode() + b"\n\xff\xfe\n")
    assert History(store).adopt() == 0  # not UTF-8: no steps
    path.write_text(good + "\n".join(GOOD_THEN_BAD) + "\n", "utf-8")
    app = History(store)
    assert app.adopt() == 1  # the good step only
    app.undo()
    assert store.annotation(ann.id) is None


@pytest.mark.parametrize("odd", ["folder", "fifo", "link to a fifo"])
def test_an_odd_file_gives_no_steps_and_is_never_replaced(store: Store, data_dir: Path, odd: str) -> None:
    path = data_dir / STEPS_FILE
    if odd == "folder":
        path.mkdir()
    elif odd == "fifo":
        os.mkfifo(path)
    else:
        os.mkfifo(data_dir / "pipe")
        path.symlink_to(data_dir / "pipe")
    before = os.lstat(path).st_mode
    ann = History(store, hand_over=True).add(new("We need another month"))  # saved all the same
    assert store.annotation(ann.id) == ann
    assert History(store).adopt() == 0
    assert os.lstat(path).st_mode == before and not stat.S_ISREG(before)


def test_a_huge_file_is_not_read(store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    History(store, hand_over=True).add(new("We need another month"))
    monkeypatch.setattr("annotations.handover.MAX_FILE_BYTES", 10)
    assert History(store).adopt() == 0


def test_a_line_names_no_item_but_annotations_and_actors(store: Store, data_dir: Path) -> None:
    step = {"id": "a", "label": "x", "edits": [[None, {"kind": "rejection", "data": {"id": "r"}}]]}
    (data_dir / STEPS_FILE).write_text(json.dumps(step) + "\n", "utf-8")
    assert History(store).adopt() == 0
