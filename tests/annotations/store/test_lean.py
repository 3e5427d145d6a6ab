"""Lean annotation records: quote, prefix and suffix equal to the story text are not held in memory, yet every
reader, and every file written, gets them as stored."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import msgspec
import pytest

from annotations.store import ANNOTATIONS_FILE, Store, StoreError
from annotations.store.lean import FROM_TEXT, LeanRecords
from annotations.store.records import AnnotationRecord, to_record
from annotations.store.snapshot import decode_snapshot, encode_snapshot
from tests.store_support import STORY_A, STORY_B, add_story, put, tag_text

STORED = ("exact", "prefix", "suffix")


def _library(data_dir: Path) -> dict[str, dict]:
    """STORY_A and STORY_B with three annotations; one keeps a prefix that is not the text's (hand-written)."""
    odd = replace(tag_text(STORY_A, "Mayor Ada Quist", kind="actor"), prefix="an older, wider context: ")
    anns = [tag_text(STORY_A, "We will not wait another year"), odd, tag_text(STORY_B, "Ferry services", "claim")]
    with Store(data_dir) as store:
        add_story(store, STORY_A)
        add_story(store, STORY_B)
        for ann in anns:
            put(store, ann)
        store.tags.storage.compact()
    return {a.id: a.to_dict() for a in anns}


def _record(store: Store, ann_id: str) -> AnnotationRecord:
    return store.tags.annotations.find(ann_id)


def test_memory_leaves_out_what_the_text_holds_and_readers_get_it_back(data_dir: Path) -> None:
    saved = _library(data_dir)
    with Store(data_dir) as store:
        for ann_id, stored in saved.items():
            rec = _record(store, ann_id)
            kept = {name: getattr(rec, name) for name in STORED if getattr(rec, name) is not FROM_TEXT}
            assert kept == ({"prefix": "an older, wider context: "} if stored["prefix"].startswith("an older") else {})
            assert store.annotation(ann_id).to_dict() == stored
        assert {a.id: a.to_dict() for a in store.iter_annotations()} == saved
        assert {a.id: a.to_dict() for a in store.annotations(STORY_A.id)} == {
            k: v for k, v in saved.items() if v["story_id"] == STORY_A.id
        }


def test_compaction_writes_every_record_whole(data_dir: Path) -> None:
    saved = _library(data_dir)
    before = (data_dir / ANNOTATIONS_FILE).read_bytes()
    with Store(data_dir) as store:
        assert _record(store, next(iter(saved))).exact is FROM_TEXT
        store.tags.storage.compact()
    raw = (data_dir / ANNOTATIONS_FILE).read_bytes()
    tables, _meta = decode_snapshot(raw, {}, data_dir / ANNOTATIONS_FILE)  # plain dicts: exactly what is on disk
    assert {doc["id"]: doc for doc in tables["annotations"].values()} == saved
    assert raw.split(b'"wiredesk"')[0] == before.split(b'"wiredesk"')[0]  # the same records, byte for byte


def test_records_replayed_from_the_journal_and_edited_ones_stay_right(data_dir: Path) -> None:
    saved = _library(data_dir)
    first = next(iter(saved))
    with Store(data_dir) as store:
        edited = store.annotation(first).edited(note="edited")  # type: ignore[union-attr]
        store.apply([(store.annotation(first), edited)])
        assert _record(store, first).exact is FROM_TEXT  # saved, then held lean
        assert store.annotation(first) == edited
    with Store(data_dir) as store:  # the change read back from the journal
        assert _record(store, first).prefix is FROM_TEXT
        assert store.annotation(first) == edited
        store.tags.storage.compact()
    with Store(data_dir, read_only=True) as store:
        assert store.annotation(first) == edited


def test_a_record_whose_story_is_missing_is_held_whole(data_dir: Path) -> None:
    lean = LeanRecords(lambda story_id: None)
    rec = to_record(tag_text(STORY_A, "Mayor Ada Quist").to_dict(), AnnotationRecord)
    lean.shrink(rec)
    assert rec.exact == "Mayor Ada Quist" and lean.full(rec) is rec


def test_a_text_that_can_no_longer_be_read_is_reported_not_guessed() -> None:
    texts = {STORY_A.id: STORY_A.text}

    def text_of(story_id: str) -> str | None:
        if story_id not in texts:
            raise StoreError("damaged")
        return texts[story_id]

    lean = LeanRecords(text_of)
    rec = to_record(tag_text(STORY_A, "Mayor Ada Quist").to_dict(), AnnotationRecord)
    lean.shrink(rec)
    assert rec.exact is FROM_TEXT
    texts.clear()
    lean._texts.clear()  # as when the text left the cache
    with pytest.raises(StoreError):
        lean.full(rec)


def test_a_lean_record_is_never_encoded_as_is() -> None:
    lean = LeanRecords({STORY_A.id: STORY_A.text}.get)
    rec = to_record(tag_text(STORY_A, "Mayor Ada Quist").to_dict(), AnnotationRecord)
    whole = encode_snapshot({"annotations": {"1": rec}}, 1)
    lean.shrink(rec)
    with pytest.raises(TypeError):  # a writer that forgot `full` fails; it never writes a wrong value
        msgspec.json.encode(rec)
    assert encode_snapshot({"annotations": {"1": rec}}, 1, full={"annotations": lean.full}) == whole
    assert json.loads(whole)["annotations"]["1"]["exact"] == "Mayor Ada Quist"
