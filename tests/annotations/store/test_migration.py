"""Libraries written before sequence numbers (tests/annotations/store/legacy/, made by the store as it was) open
as they are, read-only or writable, and hold exactly what they held; their first save renumbers the journal (and
starts the head), after which the damage checks apply to them too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotations.store import Store, StoreError, doctor, journal
from annotations.store.snapshot import decode_snapshot
from tests.store_support import STORY_A, add_story, put, snapshot, tag_text

LEGACY = Path(__file__).parent / "legacy"
EXPECTED = json.loads((LEGACY / "expected.json").read_text("utf-8"))


def _state(store: Store) -> dict[str, object]:
    entries = store.entries(all_versions=True)
    return {
        "stories": {e.id: {**e.meta.to_dict(), "added": e.added} for e in entries},
        "texts": {e.id: store.story(e.id).text for e in entries},
        "annotations": {a.id: a.to_dict() for a in store.annotations()},
        "actors": {a.id: a.to_dict() for a in store.actors(include_merged=True)},
    }


@pytest.fixture(params=sorted(EXPECTED))
def legacy(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    folder = tmp_path / request.param
    shutil.copytree(LEGACY / request.param, folder)
    return folder, EXPECTED[request.param]


def test_an_old_library_opens_as_it_was(legacy: tuple[Path, dict[str, object]]) -> None:
    folder, expected = legacy
    before = snapshot(folder)
    with Store(folder, read_only=True) as s:
        assert _state(s) == expected
    with Store(folder) as s:  # opening to write changes nothing yet
        assert _state(s) == expected
    assert snapshot(folder) == before
    assert doctor.check(folder).healthy


def test_its_first_save_renumbers_the_journal_and_the_checks_then_apply(legacy: tuple[Path, dict[str, object]]):
    folder, expected = legacy
    old = journal.scan(folder / "annotations.journal")
    assert old.seq is None and old.changes  # written before sequence numbers
    with Store(folder) as s:
        add_story(s, STORY_A)
        ann = tag_text(STORY_A, "the council said", kind="claim")
        put(s, ann)
        after = _state(s)
    assert after["annotations"] == {**expected["annotations"], ann.id: ann.to_dict()}  # type: ignore[dict-item]
    new = journal.scan(folder / "annotations.journal")
    assert (new.generation, new.seq, len(new.changes)) == (old.generation, 0, len(old.changes) + 1)
    assert [json.loads(c)["seq"] for c in new.changes] == list(range(1, len(old.changes) + 2))
    assert [json.loads(c)["ops"] for c in new.changes[:-1]] == [json.loads(c)["ops"] for c in old.changes]
    assert new.uid and (folder / "annotations.head").exists()
    with Store(folder, read_only=True) as s:
        assert _state(s) == after
    with Store(folder) as s:  # a compaction gives the snapshot its change count and file id
        s.load_annotations()
        s.close(compact=True)
    meta = decode_snapshot((folder / "annotations.json").read_bytes(), {}, folder / "annotations.json")[1]
    assert meta.seq == len(old.changes) + 1 and meta.uid == new.uid
    with Store(folder, read_only=True) as s:
        assert _state(s) == after
    (folder / "annotations.journal").write_bytes(b"")
    with pytest.raises(StoreError, match=r"annotations\.journal is empty"):
        Store(folder, read_only=True).load_annotations()


def test_records_made_from_the_models_write_what_the_store_always_wrote() -> None:
    """Every document of the old snapshots decodes to its record and encodes back to the very same bytes."""
    import msgspec

    from annotations.store.records import ActorRecord, AnnotationRecord, StoryRecord

    types = {"annotations": AnnotationRecord, "actors": ActorRecord, "stories": StoryRecord}
    checked = 0
    for snapshot_file in sorted(LEGACY.rglob("*.json")):
        if snapshot_file.name == "expected.json":
            continue
        tables = msgspec.json.decode(snapshot_file.read_bytes(), type=dict[str, dict[str, msgspec.Raw]])
        for name, docs in tables.items():
            for raw in docs.values() if name in types else ():
                assert msgspec.json.encode(msgspec.json.decode(raw, type=types[name])) == bytes(raw)
                checked += 1
    assert checked >= 8  # stories, annotations and a registry entry
