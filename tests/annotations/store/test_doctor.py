"""`wiredesk doctor`: a damaged library is reported, and repaired from its backups and journals without losing
anything acknowledged and without deleting a byte (what is replaced or cut goes to quarantine/)."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.table import Document

from annotations.model import Annotation
from annotations.store import ANNOTATIONS_FILE, STORIES_FILE, Store, StoreError, StoreLockedError, doctor, journal
from annotations.store.bodies import PACK_FILE, BodyPack
from annotations.store.records import AnnotationRecord, StoryRecord
from annotations.store.storage import JournaledStorage
from annotations.store.table import TrackedTable
from tests.cli_support import assert_user_error, run
from tests.store_support import (
    STORY_A,
    STORY_B,
    add_story,
    assert_nothing_lost,
    make_story,
    put,
    remove,
    snapshot,
    tag_text,
)

pytestmark = pytest.mark.usefixtures("plain_terminal")

STORY_C = make_story("The harbour board delayed its vote on Tuesday.", headline="Harbour vote delayed")


@dataclass
class Saved:
    """What was acknowledged: the annotations by id, and the stories."""

    annotations: dict[str, Annotation]
    stories: set[str]


def build(data_dir: Path) -> Saved:
    """A library after two compactions of each file (so backups exist), plus saves only in the journals."""
    a1 = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    a2 = tag_text(STORY_B, "Ferry services resumed", kind="claim")
    a3 = tag_text(STORY_C, "The harbour board", kind="actor")
    a4 = tag_text(STORY_A, "We will not wait another year")
    with Store(data_dir) as s:
        add_story(s, STORY_A)
        put(s, a1)
        s.close(compact=True)
    with Store(data_dir) as s:
        add_story(s, STORY_B)
        put(s, a2)
        put(s, a1.edited(note="mayor since 2024"))
        s.close(compact=True)
    with Store(data_dir) as s:  # closed without compaction, as the CLI does: these live in the journals only
        add_story(s, STORY_C)
        put(s, a3)
        put(s, a4)
        remove(s, a2.id)
        saved = Saved({a.id: a for a in s.annotations()}, {e.id for e in s.entries()})
    assert len(saved.annotations) == 3 and saved.stories == {STORY_A.id, STORY_B.id, STORY_C.id}
    for name in ("stories", "annotations"):
        assert [g for g, _, _ in JournaledStorage(data_dir / f"{name}.json", read_only=True).backups()] == [1]
        assert journal.scan(data_dir / f"{name}.journal").generation == 2
    return saved


def on_disk(data_dir: Path) -> Saved:
    with Store(data_dir, read_only=True) as s:
        for entry in s.entries():
            assert s.story(entry.id).id == entry.id  # every text reads back and matches its id
        return Saved({a.id: a for a in s.annotations()}, {e.id for e in s.entries()})


def quarantined(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (data_dir / "quarantine").iterdir()}


def test_a_healthy_library(data_dir: Path) -> None:
    saved = build(data_dir)
    before = snapshot(data_dir)
    report = doctor.check(data_dir)
    assert report.healthy and report.problems == []
    assert any("3 annotation(s) match" in note for note in report.notes)
    result = run(data_dir, "doctor")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(f"{data_dir}: healthy")
    assert "annotations.json: 3 record(s), generation 2, journal: 3 change(s)" in result.stdout
    assert "annotations.json: 1 backup generation(s), newest 1" in result.stdout
    repaired = run(data_dir, "doctor", "--repair")
    assert repaired.exit_code == 0 and "repaired" not in repaired.stdout and "healthy" in repaired.stdout
    assert snapshot(data_dir) == before and on_disk(data_dir) == saved  # nothing to do: nothing done


def test_a_missing_data_dir_is_a_problem_not_a_crash(data_dir: Path) -> None:
    for args in (["doctor"], ["doctor", "--repair"]):
        result = run(data_dir, *args)
        assert result.exit_code == 1 and "does not exist" in result.stdout and "Traceback" not in result.output
    assert not data_dir.exists()


DAMAGE = {
    "zero-length": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: b"\x00\xff\xfe\x89PNG\r\n\x1a\n garbage" * 3,
}


@pytest.mark.parametrize("name", [ANNOTATIONS_FILE, STORIES_FILE])
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_snapshot_is_reported_then_rebuilt_from_backups_and_journals(
    data_dir: Path, name: str, damage: object
) -> None:
    saved = build(data_dir)
    path = data_dir / name
    bad = damage(path.read_bytes())  # type: ignore[operator]
    path.write_bytes(bad)
    before = snapshot(data_dir)

    line = assert_user_error(run(data_dir, "list"), str(path))
    assert line.startswith("Error: ") and "doctor" in line
    assert_user_error(run(data_dir, "annotate", STORY_C.id, "--kind", "quote", "--text", "vote"), str(path))
    found = run(data_dir, "doctor")
    assert found.exit_code == 1 and str(path) in found.stdout and "PROBLEM" in found.stdout
    assert found.stderr.strip() == f"{data_dir}: 1 problem(s); `wiredesk doctor --repair` fixes what it can"
    assert snapshot(data_dir) == before  # looking changes nothing

    repaired = run(data_dir, "doctor", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert f"{name} rebuilt from backup generation 1" in repaired.stdout and "were not in" not in repaired.stdout
    assert repaired.stdout.strip().endswith(f"{data_dir}: healthy")
    assert list(quarantined(data_dir).values()) == [bad]  # the bad file, moved aside as it was
    assert on_disk(data_dir) == saved  # everything acknowledged, the journal-only saves included
    assert run(data_dir, "doctor").exit_code == 0
    assert run(data_dir, "list").exit_code == 0
    assert_nothing_lost(before, data_dir)

    with Store(data_dir) as s:  # and the library goes on: saves, compaction, reopen
        put(s, tag_text(STORY_C, "delayed its vote", kind="claim"))
        s.close(compact=True)
    assert len(on_disk(data_dir).annotations) == 4


def test_a_snapshot_damaged_after_a_single_compaction_is_rebuilt_from_the_first_journal(data_dir: Path) -> None:
    with Store(data_dir) as s:
        s.add_stories([STORY_A, STORY_B])
        for ann in (tag_text(STORY_A, "Mayor Ada Quist", kind="actor"), tag_text(STORY_B, "Ferry services")):
            put(s, ann)
        s.close(compact=True)  # the only compaction: no snapshot backup yet, only the first journal
    with Store(data_dir) as s:
        put(s, tag_text(STORY_A, "We will not wait another year"))
        saved = Saved({a.id: a for a in s.annotations()}, {e.id for e in s.entries()})
    for name in (ANNOTATIONS_FILE, STORIES_FILE):
        (data_dir / name).write_bytes(b"")
    before = snapshot(data_dir)
    assert not doctor.check(data_dir).healthy
    report = doctor.repair(data_dir)
    assert report.healthy, report.lines()
    assert sum("rebuilt from an empty library (generation 0)" in r for r in report.repaired) == 2
    assert on_disk(data_dir) == saved
    assert_nothing_lost(before, data_dir)


@pytest.mark.parametrize("bad", [b"", b'{"_default": {"1": ', b"\x00\xff garbage"], ids=["empty", "torn", "garbage"])
def test_a_bad_snapshot_beside_the_first_journal_is_rebuilt_from_that_journal(data_dir: Path, bad: bytes) -> None:
    with Store(data_dir) as s:  # never compacted (the app was killed): everything is in the first journals
        s.add_stories([STORY_A, STORY_B])
        put(s, tag_text(STORY_A, "Mayor Ada Quist", kind="actor"))
        saved = Saved({a.id: a for a in s.annotations()}, {e.id for e in s.entries()})
    assert not (data_dir / ANNOTATIONS_FILE).exists()
    (data_dir / ANNOTATIONS_FILE).write_bytes(bad)
    before = snapshot(data_dir)
    assert_user_error(run(data_dir, "list"), str(data_dir / ANNOTATIONS_FILE))
    repaired = run(data_dir, "doctor", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "rebuilt from an empty library (generation 0)" in repaired.stdout
    assert list(quarantined(data_dir).values()) == [bad]
    assert on_disk(data_dir) == saved
    assert_nothing_lost(before, data_dir)


def test_a_snapshot_older_than_its_journal_is_set_aside_and_rebuilt(data_dir: Path) -> None:
    saved = build(data_dir)
    path = data_dir / ANNOTATIONS_FILE
    path.write_bytes((data_dir / "backups" / "annotations.000001.json").read_bytes())  # an old copy put back
    before = snapshot(data_dir)
    line = assert_user_error(run(data_dir, "list"), str(path), str(data_dir / "annotations.journal"))
    assert "newer snapshot" in line
    report = doctor.repair(data_dir)
    assert report.healthy, report.lines()
    assert on_disk(data_dir) == saved
    assert_nothing_lost(before, data_dir)


@pytest.mark.parametrize("via", ["api", "cli"])
def test_a_damaged_journal_line_in_the_middle_is_cut_back_and_kept_in_quarantine(data_dir: Path, via: str) -> None:
    build(data_dir)
    path = data_dir / "annotations.journal"
    raw = path.read_bytes()
    lines = raw.splitlines(keepends=True)
    assert len(lines) == 4  # header, put a3, put a4, remove a2
    pos = len(lines[0]) + len(lines[1]) + 30  # inside line 3
    damaged = raw[:pos] + b"#" + raw[pos + 1 :]
    path.write_bytes(damaged)
    before = snapshot(data_dir)
    with Store(data_dir, read_only=True) as s, pytest.raises(StoreError, match="line 3 is damaged"):
        s.load_annotations()  # the library opens (stories first); its annotations do not
    line = assert_user_error(run(data_dir, "list"), str(path), "line 3 is damaged")
    assert "doctor" in line
    if via == "api":
        report = doctor.check(data_dir)
        assert [p for p in report.problems if str(path) in p and "line 3" in p] == report.problems != []
        report = doctor.repair(data_dir)
        assert report.healthy, report.lines()
        assert any("1 change(s) of its journal that could be read" in r for r in report.repaired)
    else:
        found = run(data_dir, "doctor")
        assert found.exit_code == 1 and "line 3 is damaged" in found.stdout
        repaired = run(data_dir, "doctor", "--repair")
        assert repaired.exit_code == 0, repaired.output
        assert "1 change(s) of its journal that could be read" in repaired.stdout and "healthy" in repaired.stdout
    # The good lines live on in a new snapshot (generation 3); the journal starts afresh beside it, numbered on
    # from the last change ever saved, and the whole damaged file is in quarantine, as it was.
    found = journal.scan(path)
    assert (found.generation, found.changes, found.seq) == (3, [], 6)
    assert list(quarantined(data_dir).values()) == [damaged]
    # What the good lines said is there: the snapshot, and a3 from line 2; a4 (line 3) and the removal (line 4)
    # are only in quarantine now.
    anns = on_disk(data_dir).annotations
    assert {a.exact for a in anns.values()} == {"Mayor Ada Quist", "Ferry services resumed", "The harbour board"}
    assert run(data_dir, "doctor").exit_code == 0
    assert_nothing_lost(before, data_dir)


def _insert_raw(data_dir: Path, docs: dict[int, dict]) -> None:
    """Put annotation records into the store as another program might: with no checks, at TinyDB ids of its own."""
    storage = JournaledStorage(data_dir / ANNOTATIONS_FILE, types={"annotations": AnnotationRecord})
    db = TinyDB(storage=lambda: storage)
    db.table_class = TrackedTable
    db.table("annotations").insert_multiple([Document(d, doc_id=i) for i, d in docs.items()])
    db.close()


def test_annotations_that_no_longer_fit_their_story_move_to_quarantine(data_dir: Path) -> None:
    saved = build(data_dir)
    good = next(iter(saved.annotations.values())).to_dict()
    orphan = {**good, "id": "orphan-1", "story_id": "f" * 64}
    mismatch = {**good, "id": "mismatch-1", "exact": good["exact"].upper()}
    _insert_raw(data_dir, {101: orphan, 57: mismatch})
    before = snapshot(data_dir)

    report = doctor.check(data_dir)
    assert sorted(p.split(":")[0] for p in report.problems) == ["annotation mismatch", "annotation orphan-1"]
    assert any("is not in the library" in p for p in report.problems)
    assert any("no longer matches" in p for p in report.problems)
    found = run(data_dir, "doctor")
    assert found.exit_code == 1 and "2 problem(s)" in found.stderr

    repaired = run(data_dir, "doctor", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "2 annotation(s) that no longer fit their story moved to" in repaired.stdout
    (kept,) = quarantined(data_dir).values()
    moved = json.loads(kept)
    assert set(moved["annotations"]) == set(moved["why"]) == {"orphan-1", "mismatch-1"}  # by our ids
    assert moved["annotations"]["orphan-1"] == orphan and moved["annotations"]["mismatch-1"] == mismatch
    # the removal names TinyDB's document ids, and only those two
    (change,) = journal.scan(data_dir / "annotations.journal").changes[-1:]
    assert sorted(json.loads(change)["ops"]) == [["annotations", "101", None], ["annotations", "57", None]]
    assert on_disk(data_dir) == saved  # the others are untouched
    assert run(data_dir, "doctor").exit_code == 0
    assert_nothing_lost(before, data_dir)


def test_a_damaged_story_body_is_pointed_at_an_intact_copy(data_dir: Path) -> None:
    saved = build(data_dir)
    stories = JournaledStorage(data_dir / STORIES_FILE, types={"stories": StoryRecord}, read_only=True).read()
    doc_ids = {rec.id: int(doc_id) for doc_id, rec in stories["stories"].items()}
    assert sorted(doc_ids.values()) == [1, 2, 3]
    pack = data_dir / PACK_FILE
    raw = pack.read_bytes()
    BodyPack(data_dir).append([STORY_B])  # a second copy of its text, as an interrupted import might leave
    spare = pack.read_bytes()[len(raw) :]
    assert raw.count(b"Ferry services resumed") == 1 and b"Ferry services resumed" in spare
    pack.write_bytes(raw.replace(b"Ferry services resumed", b"Ferry services RESUMED") + spare)
    before = snapshot(data_dir)
    assert any(p.startswith(f"story {STORY_B.id[:8]}") for p in doctor.check(data_dir).problems)

    report = doctor.repair(data_dir)
    assert report.healthy, report.lines()
    assert any("1 story text(s) pointed at an intact copy" in r for r in report.repaired)
    (change,) = journal.scan(data_dir / "stories.journal").changes[-1:]
    ((table, doc_id, record),) = json.loads(change)["ops"]
    assert (table, doc_id, record["id"]) == ("stories", str(doc_ids[STORY_B.id]), STORY_B.id)
    assert on_disk(data_dir) == saved
    assert_nothing_lost(before, data_dir)


def test_repair_refuses_while_another_store_writes(data_dir: Path) -> None:
    saved = build(data_dir)
    (data_dir / ANNOTATIONS_FILE).write_bytes(b"")
    before = snapshot(data_dir)
    writer = Store(data_dir)  # it opens: annotations are read on first use
    try:
        with pytest.raises(StoreLockedError) as err:
            doctor.repair(data_dir)
        assert str(data_dir) in str(err.value) and "\n" not in str(err.value)
        line = assert_user_error(run(data_dir, "doctor", "--repair"), str(data_dir), "open for writing")
        assert "close it there first" in line
        checked = run(data_dir, "doctor")  # looking is allowed meanwhile
        assert checked.exit_code == 1 and "library in use" in checked.stdout
    finally:
        writer.close()
    assert snapshot(data_dir) == before
    with Store(data_dir, read_only=True):  # readers do not stop it
        assert doctor.repair(data_dir).healthy
    assert on_disk(data_dir) == saved


def test_repair_output_is_private(data_dir: Path) -> None:
    build(data_dir)
    (data_dir / STORIES_FILE).write_bytes(b"garbage")
    path = data_dir / "annotations.journal"
    raw = path.read_bytes()
    path.write_bytes(raw[:-10] + b"#" + raw[-9:])
    assert doctor.repair(data_dir).healthy
    folder = data_dir / "quarantine"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and len(list(folder.iterdir())) == 2
    for p in [*folder.iterdir(), data_dir / STORIES_FILE]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
