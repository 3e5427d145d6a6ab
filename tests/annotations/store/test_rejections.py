"""Rejected suggestions in the library: durable like every change, checked, undoable, and left out of merges,
exports and the doctor's way."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from tinydb import TinyDB

from annotations import merge
from annotations.exports import json as export_json
from annotations.exports import select
from annotations.history import History
from annotations.model import AnnotationError
from annotations.store import ANNOTATIONS_FILE, Store, StoreError, doctor
from annotations.store.rejections import Rejection, rejection_id
from annotations.suggest.model import pattern_of
from stories.model import Story
from tests.store_support import STORY_A, STORY_B, add_story, put, snapshot, tag_text


def rejection(exact: str = "Mayor Ada Quist", kind: str = "actor", story: Story = STORY_A) -> Rejection:
    start = story.text.index(exact)
    return Rejection.new(story.id, kind, start, start + len(exact), exact, pattern_of(kind, exact))


def opened(data_dir: Path, **kw: object) -> Store:
    store = Store(data_dir, **kw)  # type: ignore[arg-type]
    add_story(store, STORY_A)
    add_story(store, STORY_B)
    return store


def test_a_rejection_survives_a_restart_and_a_compaction(tmp_path: Path) -> None:
    r = rejection()
    with opened(tmp_path, compact_min_bytes=1) as store:
        History(store).reject([r])
    with Store(tmp_path) as store:
        assert store.rejections() == [r]
        assert store.rejected_keys(STORY_A.id) == {r.key}
        assert set(store.rejected_patterns()) == {"actor:mayor ada quist"}
        store.close(compact=True)
    with Store(tmp_path, read_only=True) as store:
        assert store.rejection(r.id) == r and store.rejections(STORY_B.id) == []


def test_rejections_are_a_plain_tinydb_table_beside_the_annotations(tmp_path: Path) -> None:
    r = rejection()
    with opened(tmp_path) as store:
        History(store).reject([r])
        store.close(compact=True)
    db = TinyDB(tmp_path / ANNOTATIONS_FILE)
    try:
        [doc] = db.table("rejections").all()
    finally:
        db.close()
    assert dict(doc) == r.to_dict()


def test_the_id_is_the_key_so_the_same_rejection_is_kept_once(tmp_path: Path) -> None:
    assert rejection().id == rejection().id == rejection_id(STORY_A.id, "actor", *rejection().key[1:])
    assert rejection().id != rejection(kind="claim").id


def test_undo_removes_it_from_disk_too(tmp_path: Path) -> None:
    with opened(tmp_path) as store:
        history = History(store)
        history.reject([rejection(), rejection("We will not wait another year", "quote")])
        history.undo()
        assert store.rejections() == [] and not store.rejected_patterns()
    with Store(tmp_path) as store:
        assert store.rejections() == []


def test_a_pattern_stays_rejected_while_one_of_its_rejections_is_left(tmp_path: Path) -> None:
    here, there = rejection("Tuesday", "actor", story=STORY_B), rejection("the council", "actor")
    there = Rejection.new(STORY_A.id, "actor", there.start, there.end, there.exact, here.pattern)  # one pattern
    with opened(tmp_path) as store:
        history = History(store)
        history.reject([here])
        history.reject([there])
        history.undo()
        assert set(store.rejected_patterns()) == {"actor:tuesday"}
        history.undo()
        assert set(store.rejected_patterns()) == set()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"exact": "Mayor Ada Quisp"}, "does not match the story text"),
        ({"start": 10_000, "end": 10_010}, "does not match the story text"),
        ({"kind": "rumour"}, "unknown kind"),
        ({"start": 5, "end": 5}, "needs a span"),
        ({"pattern": "quote:mayor ada quist"}, "must start with actor:"),
    ],
)
def test_a_rejection_that_does_not_fit_is_refused_and_nothing_is_written(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    bad = dataclasses.replace(rejection(), **change)  # type: ignore[arg-type]
    with opened(tmp_path) as store:
        store.load_annotations()
        before = snapshot(tmp_path)
        with pytest.raises(AnnotationError, match=message):
            store.apply([(None, bad)])
        assert store.rejections() == [] and snapshot(tmp_path) == before


def test_a_rejection_of_a_story_not_in_the_library_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path) as store, pytest.raises(StoreError):
        store.apply([(None, rejection())])


def test_a_read_only_library_refuses_a_rejection(tmp_path: Path) -> None:
    with opened(tmp_path):
        pass
    with Store(tmp_path, read_only=True) as store, pytest.raises(StoreError):
        History(store).reject([rejection()])


def test_the_doctor_finds_a_library_with_rejections_healthy(tmp_path: Path) -> None:
    with opened(tmp_path, compact_min_bytes=1) as store:
        put(store, tag_text(STORY_A, "We will not wait another year"))
        History(store).reject([rejection()])
        History(store).reject([rejection("Mayor", "claim")])
    report = doctor.check(tmp_path)
    assert report.healthy, report.lines()


def test_exports_and_merges_leave_rejections_behind(tmp_path: Path) -> None:
    with opened(tmp_path / "a") as store:
        put(store, tag_text(STORY_A, "We will not wait another year"))
        History(store).reject([rejection()])
        out = io.StringIO(newline="")
        export_json.write(store, out, select(store))
    exported = out.getvalue()
    assert "rejection" not in exported and "mayor ada quist" not in exported
    path = tmp_path / "a.json"
    path.write_text(exported, encoding="utf-8")
    with Store(tmp_path / "b") as other:
        report, _ = merge.merge_file(other, path)
        assert report["added"] == 1 and other.rejections() == []
    json.loads(exported)  # still one JSON document


def test_repair_rebuilds_rejections_with_the_rest_of_a_damaged_snapshot(tmp_path: Path) -> None:
    first, second, third = rejection(), rejection("the council said", "quote"), rejection("Ferry", "actor", STORY_B)
    with opened(tmp_path) as store:
        History(store).reject([first])
        store.close(compact=True)
    with Store(tmp_path) as store:
        History(store).reject([second])
        store.close(compact=True)
    with Store(tmp_path) as store:
        History(store).reject([third])  # in the journal only
    path = tmp_path / ANNOTATIONS_FILE
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert not doctor.check(tmp_path).healthy
    report = doctor.repair(tmp_path)
    assert report.healthy, report.lines()
    with Store(tmp_path, read_only=True) as store:
        assert {r.id for r in store.rejections()} == {first.id, second.id, third.id}
        assert store.rejected_keys(STORY_B.id) == {third.key}
