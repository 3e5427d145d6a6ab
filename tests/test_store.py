"""The store: stories and annotations of a data dir in two TinyDB files; ids, lookups, what may be stored."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
import tinydb
from store_support import STORY_A, STORY_B, make_story, tag_text

from annotations.model import Annotation, AnnotationError
from annotations.store import ANNOTATIONS_FILE, STORIES_FILE, Store, StoreError
from stories.loader import parse_text
from stories.model import Story, StoryError, StoryMeta

# --- save and reload --------------------------------------------------------------------------------------


def test_everything_saved_is_there_after_reopening(data_dir: Path) -> None:
    with Store(data_dir) as first:
        assert first.add_story(STORY_A) is True
        assert first.add_story(STORY_B) is True
        first.put(tag_text(STORY_A, "We will not wait another year", note="on the record"))
        first.put(tag_text(STORY_A, "Mayor Ada Quist", kind="actor"))
        first.put(tag_text(STORY_B, "Ferry services resumed", kind="claim"))
        entries, anns = first.entries(), first.annotations()

    with Store(data_dir) as second:
        assert second.entries() == entries
        assert second.annotations() == anns
        assert len(second) == 2
        assert second.story(STORY_A.id) == STORY_A
        assert second.story(STORY_B.id) == STORY_B
        assert second.story_meta(STORY_A.id) == STORY_A.meta
        assert second.counts(STORY_A.id) == {"quote": 1, "actor": 1, "claim": 0}
        assert [a.exact for a in second.annotations(STORY_A.id)] == ["We will not wait another year", "Mayor Ada Quist"]


def test_adding_a_story_twice_changes_nothing(store: Store, data_dir: Path) -> None:
    assert store.add_story(STORY_A) is True
    before = (data_dir / STORIES_FILE).read_bytes()
    assert store.add_story(STORY_A) is False
    assert (data_dir / STORIES_FILE).read_bytes() == before
    assert len(store) == 1


def test_stories_and_annotations_live_in_separate_files(store: Store, data_dir: Path) -> None:
    store.add_story(STORY_A)
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    store.put(ann)
    stories = json.loads((data_dir / STORIES_FILE).read_text("utf-8"))
    annotations = json.loads((data_dir / ANNOTATIONS_FILE).read_text("utf-8"))
    assert set(stories) == {"stories"}
    assert set(annotations) == {"annotations"}
    assert stories["stories"][STORY_A.id]["text"] == STORY_A.text
    assert annotations["annotations"][ann.id]["exact"] == "Mayor Ada Quist"
    assert STORY_A.text not in (data_dir / ANNOTATIONS_FILE).read_text("utf-8")


def test_tagging_never_rewrites_the_stories_file(store: Store, data_dir: Path) -> None:
    store.add_story(STORY_A)
    path = data_dir / STORIES_FILE
    data, st = path.read_bytes(), path.stat()
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    store.put(ann)
    store.put(ann.edited(note="mayor since 2024"))
    store.remove(ann.id)
    after = path.stat()
    assert path.read_bytes() == data
    assert (after.st_ino, after.st_mtime_ns) == (st.st_ino, st.st_mtime_ns)


def test_files_are_plain_tinydb_json(store: Store, data_dir: Path) -> None:
    store.add_story(STORY_A)
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    store.put(ann)
    store.close()
    with tinydb.TinyDB(data_dir / STORIES_FILE, access_mode="r") as db:
        assert db.tables() == {"stories"}
        doc = db.storage.read()["stories"][STORY_A.id]
        assert doc["text"] == STORY_A.text and doc["headline"] == "Council backs river plan"
    with tinydb.TinyDB(data_dir / ANNOTATIONS_FILE, access_mode="r") as db:
        assert db.tables() == {"annotations"}
        assert db.storage.read()["annotations"][ann.id] == ann.to_dict()


def test_files_are_private_and_the_data_dir_too(data_dir: Path) -> None:
    old = os.umask(0)  # the most permissive umask: the modes must not depend on it
    try:
        with Store(data_dir) as s:
            s.add_story(STORY_A)
            s.put(tag_text(STORY_A, "Mayor Ada Quist", kind="actor"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in (STORIES_FILE, ANNOTATIONS_FILE):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600


def test_opening_an_empty_data_dir_creates_no_files(store: Store, data_dir: Path) -> None:
    assert len(store) == 0 and store.entries() == [] and store.annotations() == []
    assert list(data_dir.iterdir()) == []


# --- resolve --------------------------------------------------------------------------------------------------


def test_resolve_full_id_and_unique_prefix(store: Store) -> None:
    store.add_story(STORY_A)
    store.add_story(STORY_B)
    assert store.resolve(STORY_A.id) == STORY_A.id
    assert store.resolve(STORY_A.short_id) == STORY_A.id
    assert store.resolve(f"  {STORY_B.short_id.upper()} ") == STORY_B.id


def test_resolve_an_ambiguous_prefix(store: Store) -> None:
    stories = [make_story(f"Paragraph number {i}.", headline=f"Story {i}") for i in range(17)]
    for s in stories:
        store.add_story(s)
    # 17 ids over 16 hex digits: at least two share their first character.
    firsts = [s.id[0] for s in stories]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    with pytest.raises(StoreError, match="ambiguous") as err:
        store.resolve(shared)
    assert f"{firsts.count(shared)} stories" in str(err.value)


@pytest.mark.parametrize("ref", ["", "   ", "zzzz", "0123456789abcdef"])
def test_resolve_refuses_unknown_or_empty(store: Store, ref: str) -> None:
    store.add_story(STORY_A)
    with pytest.raises(StoreError) as err:
        store.resolve(ref)
    assert "\n" not in str(err.value)


def test_story_and_meta_of_unknown_id(store: Store) -> None:
    with pytest.raises(StoreError, match="no story"):
        store.story("f" * 64)
    with pytest.raises(StoreError, match="no story"):
        store.story_meta("f" * 64)


# --- annotations must match the text -----------------------------------------------------------------------


def test_put_refuses_an_annotation_that_does_not_match_the_text(store: Store, data_dir: Path) -> None:
    store.add_story(STORY_A)
    good = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    for bad in (replace(good, exact="Mayor Ada Quest"), replace(good, start=good.start + 1), replace(good, end=9999)):
        with pytest.raises(AnnotationError, match="does not match"):
            store.put(bad)
    assert store.annotations() == []
    assert not (data_dir / ANNOTATIONS_FILE).exists()


def test_put_refuses_an_annotation_of_a_story_not_in_the_library(store: Store) -> None:
    with pytest.raises(AnnotationError, match="no story"):
        store.put(tag_text(STORY_B, "Ferry services", kind="actor"))


def test_put_checks_against_the_stored_text_not_a_given_one(store: Store) -> None:
    store.add_story(STORY_A)
    ann = tag_text(STORY_B, "Ferry services", kind="actor")
    impostor = replace(ann, story_id=STORY_A.id)
    with pytest.raises(AnnotationError):
        store.put(impostor, STORY_B)  # STORY_B is not the annotation's story: the stored text is used


def test_remove_unknown_annotation(store: Store) -> None:
    with pytest.raises(AnnotationError, match="no annotation"):
        store.remove("00000000-dead-beef")


def test_annotation_new_refuses_bad_kind_and_span() -> None:
    with pytest.raises(AnnotationError, match="unknown kind"):
        Annotation.new(STORY_A, "rumour", 0, 5)
    with pytest.raises(AnnotationError, match="outside"):
        Annotation.new(STORY_A, "quote", 0, len(STORY_A.text) + 1)
    with pytest.raises(AnnotationError):
        Annotation.new(STORY_A, "quote", 5, 5)


# --- a stored story's text never changes ----------------------------------------------------------------------


def test_story_from_dict_refuses_a_changed_text() -> None:
    data = STORY_A.to_dict()
    assert Story.from_dict(data) == STORY_A
    tampered = {**data, "text": data["text"].replace("7-2", "9-0").replace("4 million", "5 million")}
    with pytest.raises(StoryError, match="no longer matches"):
        Story.from_dict(tampered)


def test_a_tampered_stored_story_is_reported(data_dir: Path) -> None:
    with Store(data_dir) as s:
        s.add_story(STORY_A)
    path = data_dir / STORIES_FILE
    raw = json.loads(path.read_bytes())
    raw["stories"][STORY_A.id]["text"] = STORY_A.text.replace("Monday", "Sunday")
    path.write_text(json.dumps(raw), "utf-8")
    tampered = path.read_bytes()
    with Store(data_dir) as s:
        assert len(s) == 1  # the list still opens
        with pytest.raises(StoreError, match="damaged") as err:
            s.story(STORY_A.id)
        assert str(path) in str(err.value)
        with pytest.raises(StoreError):
            s.put(tag_text(STORY_A, "Mayor Ada Quist", kind="actor"))
    assert path.read_bytes() == tampered


def test_entries_are_newest_first_with_dateline_dates_placed_in_their_year(tmp_path: Path) -> None:
    from annotations.store import _dateline_date

    added = "2026-11-26T10:00:00Z"
    assert _dateline_date(StoryMeta("h", extra={"dateline_date": "Oct 21"}), added) == "2026-10-21"
    assert _dateline_date(StoryMeta("h", extra={"dateline_date": "Sept. 3"}), added) == "2026-09-03"
    assert _dateline_date(StoryMeta("h", extra={"dateline_date": "Dec 31"}), added) == "2025-12-31"  # not in the future
    assert _dateline_date(StoryMeta("h", extra={}), added) == "2026-11-26"
    store = Store(tmp_path)
    for text in (
        "Dated story\n\nAuthor | 03.01.2001 - Update : 04.01.2001\nDated story\n\nText.",
        "Dateline story\n\nPORT AUREL, Jan 2 (Reuters) - Text here.",
        "Undated story\n\nText without any date.",
    ):
        store.add_story(parse_text(text, "x.txt")[0])
    # undated: the day it was added (today); "Jan 2": this year's; 2001: oldest
    assert [e.meta.headline for e in store.entries()] == ["Undated story", "Dateline story", "Dated story"]
