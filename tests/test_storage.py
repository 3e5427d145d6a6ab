"""The store on disk: atomic writes, unreadable files refused and untouched, other writers not overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_support import STORY_A, STORY_B, disk_annotations, make_story, memory_annotations, snapshot, tag_text

from annotations import atomic
from annotations.storage import AtomicJSONStorage
from annotations.store import ANNOTATIONS_FILE, STORIES_FILE, Store, StoreError

# --- atomicity -----------------------------------------------------------------------------------------------


def _fail(*args: object, **kwargs: object) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_a_failed_put_leaves_the_old_file_and_memory_as_they_were(
    store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    store.add_story(STORY_A)
    kept = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    store.put(kept)
    before = snapshot(data_dir)

    lost = tag_text(STORY_A, "We will not wait another year")
    with monkeypatch.context() as m:
        m.setattr(atomic.os, broken, _fail)
        with pytest.raises(StoreError) as err:
            store.put(lost)
    message = str(err.value)
    assert str(data_dir / ANNOTATIONS_FILE) in message and "No space left" in message and "\n" not in message
    assert snapshot(data_dir) == before  # old file byte for byte, and no temp file left behind
    assert store.annotation(lost.id) is None
    assert store.annotations() == [kept]
    assert memory_annotations(store) == disk_annotations(data_dir)

    store.put(lost)  # the next save works and keeps everything
    with Store(data_dir) as again:
        assert {a.id for a in again.annotations()} == {kept.id, lost.id}


def test_a_failed_edit_keeps_the_old_version(store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_story(STORY_A)
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor", note="first")
    store.put(ann)
    before = snapshot(data_dir)
    with monkeypatch.context() as m:
        m.setattr(atomic.os, "replace", _fail)
        with pytest.raises(StoreError):
            store.put(ann.edited(note="second"))
    assert snapshot(data_dir) == before
    assert store.annotation(ann.id) == ann
    assert memory_annotations(store) == disk_annotations(data_dir)


def test_a_failed_remove_keeps_the_annotation(store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_story(STORY_A)
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    store.put(ann)
    before = snapshot(data_dir)
    with monkeypatch.context() as m:
        m.setattr(atomic.os, "replace", _fail)
        with pytest.raises(StoreError):
            store.remove(ann.id)
    assert snapshot(data_dir) == before
    assert store.annotation(ann.id) == ann
    store.remove(ann.id)
    assert disk_annotations(data_dir) == {}


def test_a_failed_add_story_stores_nothing(store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_story(STORY_A)
    before = snapshot(data_dir)
    with monkeypatch.context() as m:
        m.setattr(atomic.os, "replace", _fail)
        with pytest.raises(StoreError):
            store.add_story(STORY_B)
    assert snapshot(data_dir) == before
    assert [e.id for e in store.entries()] == [STORY_A.id]
    with pytest.raises(StoreError):
        store.story(STORY_B.id)
    assert store.add_story(STORY_B) is True
    with Store(data_dir) as again:
        assert len(again) == 2


def test_when_the_folder_fsync_fails_memory_still_matches_disk(
    store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename has happened but its durability is unknown: whatever the file holds, memory agrees."""
    store.add_story(STORY_A)
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    with monkeypatch.context() as m:
        m.setattr(atomic, "fsync_dir", _fail)
        with pytest.raises(StoreError):
            store.put(ann)
    assert memory_annotations(store) == disk_annotations(data_dir)
    assert {p.name for p in data_dir.iterdir()} == {STORIES_FILE, ANNOTATIONS_FILE}
    store.put(ann.edited(note="saved"))
    with Store(data_dir) as again:
        assert again.annotation(ann.id).note == "saved"


# --- unreadable files are refused, never overwritten ----------------------------------------------------------

UNREADABLE = {
    "zero-length": b"",
    "only-whitespace": b"  \n",
    "truncated": b'{"annotations": {"3f2a": {"kind": "quote", "st',
    "garbage": b"\x00\xff\xfe\x89PNG\r\n\x1a\n garbage",
    "json-list": b'[{"kind": "quote"}]',
    "json-string": b'"annotations"',
    "table-not-object": b'{"annotations": []}',
}


@pytest.mark.parametrize("name", [STORIES_FILE, ANNOTATIONS_FILE])
@pytest.mark.parametrize("content", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_file_is_refused_and_left_untouched(data_dir: Path, name: str, content: bytes) -> None:
    data_dir.mkdir()
    path = data_dir / name
    path.write_bytes(content)
    mtime = path.stat().st_mtime_ns
    with pytest.raises(StoreError) as err:
        Store(data_dir)
    message = str(err.value)
    assert str(path) in message
    assert "\n" not in message
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in data_dir.iterdir()) == [name]


def test_an_unreadable_file_is_never_treated_as_empty(data_dir: Path) -> None:
    """The storage refuses to write over a file it could not read, even if asked directly."""
    data_dir.mkdir()
    path = data_dir / ANNOTATIONS_FILE
    path.write_bytes(b'{"annotations": {"a1": ')
    storage = AtomicJSONStorage(path)
    with pytest.raises(StoreError):
        storage.read()
    with pytest.raises(StoreError):
        storage.write({"annotations": {}})
    assert path.read_bytes() == b'{"annotations": {"a1": '


@pytest.mark.parametrize(
    ("name", "table"),
    [
        (STORIES_FILE, {"stories": {"abc": {"text": "no headline, no blocks"}}}),
        (STORIES_FILE, {"stories": {"abc": 5}}),
        (ANNOTATIONS_FILE, {"annotations": {"a1": {"kind": "quote"}}}),
        (ANNOTATIONS_FILE, {"annotations": {"a1": ["not", "a", "record"]}}),
        (ANNOTATIONS_FILE, {"annotations": {"a1": {**tag_text(STORY_A, "Ada").to_dict(), "start": "12"}}}),
    ],
    ids=[
        "story-lacks-fields",
        "story-not-object",
        "annotation-lacks-fields",
        "annotation-not-object",
        "annotation-wrong-type",
    ],
)
def test_a_damaged_record_is_refused_naming_the_file(data_dir: Path, name: str, table: dict) -> None:
    data_dir.mkdir()
    path = data_dir / name
    content = json.dumps(table).encode()
    path.write_bytes(content)
    with pytest.raises(StoreError) as err:
        Store(data_dir)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert path.read_bytes() == content


def test_a_read_only_store_refuses_to_write(data_dir: Path) -> None:
    with Store(data_dir) as s:
        s.add_story(STORY_A)
    before = snapshot(data_dir)
    with Store(data_dir, read_only=True) as ro:
        assert ro.story(STORY_A.id) == STORY_A
        with pytest.raises(StoreError, match="read-only"):
            ro.put(tag_text(STORY_A, "Mayor Ada Quist", kind="actor"))
        assert ro.annotations() == []
    assert snapshot(data_dir) == before


# --- another process changed the file -----------------------------------------------------------------------


def test_a_write_over_another_process_changes_is_refused(data_dir: Path) -> None:
    first = Store(data_dir)
    first.add_story(STORY_A)
    second = Store(data_dir)
    theirs = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    second.put(theirs)
    on_disk = (data_dir / ANNOTATIONS_FILE).read_bytes()

    mine = tag_text(STORY_A, "We will not wait another year")
    with pytest.raises(StoreError, match="another process") as err:
        first.put(mine)
    assert str(data_dir / ANNOTATIONS_FILE) in str(err.value)
    assert (data_dir / ANNOTATIONS_FILE).read_bytes() == on_disk
    # The refusal made the first store read the file again: it now shows the other's work, and can add to it.
    assert first.annotations() == [theirs]
    first.put(mine)
    with Store(data_dir) as third:
        assert {a.id for a in third.annotations()} == {theirs.id, mine.id}
    first.close()
    second.close()


def test_a_story_added_by_another_process_is_not_lost(data_dir: Path) -> None:
    first = Store(data_dir)
    first.add_story(STORY_A)
    second = Store(data_dir)
    second.add_story(STORY_B)
    third_story = make_story("A third story.", headline="Third")
    with pytest.raises(StoreError, match="another process"):
        first.add_story(third_story)
    with Store(data_dir) as check:
        assert {e.id for e in check.entries()} == {STORY_A.id, STORY_B.id}
    first.close()
    second.close()


def test_a_file_created_by_another_process_is_not_overwritten(data_dir: Path) -> None:
    first = Store(data_dir)  # no files yet
    second = Store(data_dir)
    second.add_story(STORY_B)
    with pytest.raises(StoreError, match="another process"):
        first.add_story(STORY_A)
    with Store(data_dir) as check:
        assert [e.id for e in check.entries()] == [STORY_B.id]
