"""`wiredesk merge`: another library's JSON export brought in — conflicts, tombstones, registry matching by name,
idempotence, a byte-identical round trip, and refusals that change nothing."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result

from annotations import merge
from annotations.actors import Actor
from annotations.exports import json as export_json
from annotations.exports import select
from annotations.history import History
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story
from tests.cli_support import assert_user_error, run
from tests.store_support import add_story, make_story, remove, snapshot, tag_text

pytestmark = pytest.mark.usefixtures("plain_terminal")

RIVER = make_story(
    "“We will not wait another year,” Mayor Ada Quist said on Monday.",
    "The plan costs 4 million crowns, the council said.",
    "Venezuelan President Nicolas Maduro said the plan was “a good start”.",
    agency="Reuters",
    created="2026-03-01",
    wire_id="river",
)
RIVER_2 = make_story(
    "“We will not wait another year,” Mayor Ada Quist said on Tuesday.",
    "The plan costs 5 million crowns, the council said.",
    agency="Reuters",
    created="2026-03-02",
    wire_id="river",
)
FERRY = make_story("Ferry services resumed on Tuesday after a two-day strike.", headline="Ferries sail again")
LATER, LATEST = "2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z"  # after anything made while the tests run


def export_text(folder: Path) -> str:
    with Store(folder, read_only=True) as store:
        out = io.StringIO(newline="")
        export_json.write(store, out, select(store))
        return out.getvalue()


def export_to(folder: Path, path: Path) -> Path:
    path.write_bytes(export_text(folder).encode("utf-8"))
    return path


def merged(folder: Path, path: Path, *args: str) -> Result:
    result = run(folder, "merge", str(path), *args)
    assert result.exit_code == 0, result.output
    return result


def tag(store: Store, story: Story, exact: str, kind: str = "quote", **links: str) -> Annotation:
    ann = replace(tag_text(story, exact, kind), **links)
    History(store).add(ann)
    return ann


def edit(store: Store, ann_id: str, when: str, **changes: object) -> None:
    """Edit an annotation as if at `when` (so the tests decide which edit is later)."""
    before = store.annotation(ann_id)
    assert before is not None
    store.apply([(before, replace(before, modified=when, **changes))])


def line_of(result: Result, start: str) -> str:
    return next(line for line in result.stdout.splitlines() if line.startswith(start))


@pytest.fixture
def libs(data_dir: Path) -> tuple[Path, Path]:
    """Two data dirs, "a" and "b" (beside the test's data dir, which keeps the user's own untouched)."""
    return data_dir.parent / "a", data_dir.parent / "b"


@pytest.fixture
def shared(libs: tuple[Path, Path], tmp_path: Path) -> dict[str, str]:
    """Library a: two stories, a registry entry, three annotations; b holds a merged copy of it."""
    a, b = libs
    with Store(a) as store:
        store.add_stories([RIVER, FERRY])
        ada = Actor.new("Ada Quist", "person")
        History(store).add_actor(ada)
        quote = tag(store, RIVER, "We will not wait another year", speaker=ada.id)
        mention = tag(store, RIVER, "Mayor Ada Quist", "actor", actor=ada.id)
        claim = tag(store, FERRY, "Ferry services resumed on Tuesday", "claim")
    merged(b, export_to(a, tmp_path / "a.json"))
    return {"quote": quote.id, "mention": mention.id, "claim": claim.id, "ada": ada.id}


# --- round trip and idempotence ----------------------------------------------------------------------------


def test_round_trip_into_an_empty_library_exports_byte_identical(libs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = libs
    with Store(a) as store:
        store.add_stories([RIVER_2, RIVER, FERRY])  # two versions of one story
        history = History(store)
        ada, quist = Actor.new("Ada Quist", "person", aliases=("Mayor Quist",)), Actor.new("A. Quist", "person")
        history.add_actor(ada)
        history.add_actor(quist)
        history.merge_actors(quist.id, ada.id)
        tag(store, RIVER, "We will not wait another year", speaker=quist.id)
        tag(store, RIVER_2, "5 million crowns", "claim", claimant=ada.id)
        history.delete(tag(store, FERRY, "Ferry services", "actor").id)
        note = tag(store, FERRY, "two-day strike", "claim")
        edit(store, note.id, LATER, note="first line\nsecond line, “quoted”", status="supported")
    original = export_to(a, tmp_path / "a.json")
    data = json.loads(original.read_text("utf-8"))
    assert len(data["deleted"]) == 1 and len(data["actors"]) == 2 and len(data["stories"]) == 3

    result = merged(b, original)
    assert line_of(result, "stories:").startswith("stories: 3 added, 0 already here")
    assert line_of(result, "annotations:").startswith("annotations: 3 added, 0 identical")
    assert line_of(result, "tombstones:") == "tombstones: 1 recorded, 0 already here"
    assert line_of(result, "registry:").startswith("registry: 2 added, 0 same")
    assert export_text(b).encode("utf-8") == original.read_bytes()
    with Store(b, read_only=True) as store:
        assert [e.version for e in store.versions(RIVER.id)] == [1, 2]
        assert store.actor(quist.id) == store.actor(ada.id)


def test_merging_the_same_file_twice_changes_nothing(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    with Store(b) as store:  # b's own work: an edit and a deletion, both later than anything in a's file
        edit(store, shared["quote"], LATER, note="checked")
        remove(store, shared["claim"])
        tag(store, FERRY, "two-day strike", "claim")
    path = export_to(a, tmp_path / "a.json")
    first = merged(b, path)
    files, exported = snapshot(b), export_text(b)
    second = merged(b, path)
    assert snapshot(b) == files
    assert export_text(b) == exported
    assert second.stdout.splitlines()[0] == "merged a.json: nothing changed"
    assert "stories: 0 added, 2 already here" in second.stdout
    assert "0 added" in line_of(second, "annotations:") and "0 conflicts" in line_of(second, "annotations:")
    assert "1 resurrection refused" in line_of(first, "annotations:") == line_of(second, "annotations:")


def test_a_dry_run_reports_and_writes_nothing(shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = libs
    with Store(a) as store:
        tag(store, FERRY, "two-day strike", "claim")
    path = export_to(a, tmp_path / "a.json")
    files = snapshot(b)
    result = merged(b, path, "--dry-run")
    assert result.stdout.splitlines()[0] == "dry run of merging a.json: nothing written"
    assert "annotations: 1 added, 3 identical" in result.stdout
    assert snapshot(b) == files
    assert "annotations: 1 added, 3 identical" in merged(b, path).stdout
    assert merged(b, path, "--dry-run").stdout.splitlines()[0] == "dry run of merging a.json: it would change nothing"


# --- conflicts ---------------------------------------------------------------------------------------------


def test_both_sides_edited_the_later_edit_wins_and_every_conflict_is_listed(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    with Store(a) as store:
        edit(store, shared["quote"], LATEST, note="a: later")  # a edits later: a wins
        edit(store, shared["mention"], LATER, note="a: earlier")  # b edits later: b keeps its own
        edit(store, shared["claim"], LATER, note="a: same time")  # a tie: b keeps its own
    with Store(b) as store:
        edit(store, shared["quote"], LATER, note="b: earlier")
        edit(store, shared["mention"], LATEST, note="b: later")
        edit(store, shared["claim"], LATER, note="b: same time")
    result = merged(b, export_to(a, tmp_path / "a.json"))
    assert "0 added, 0 identical, 0 updated, 0 newer here (kept), 3 conflicts" in line_of(result, "annotations:")
    lines = result.stdout.splitlines()
    listed = lines[lines.index("conflicts:") + 1 : lines.index("conflicts:") + 4]
    by_id = {line.split()[0]: line for line in listed}
    assert set(by_id) == {shared[k][:8] for k in ("quote", "mention", "claim")}
    assert f"story {RIVER.short_id}" in by_id[shared["quote"][:8]]
    assert "“We will not wait another year”: there won" in by_id[shared["quote"][:8]]
    assert "“Mayor Ada Quist”: here won" in by_id[shared["mention"][:8]]
    assert "here won" in by_id[shared["claim"][:8]] and "tie" in by_id[shared["claim"][:8]]
    with Store(b, read_only=True) as store:
        notes = {key: store.annotation(shared[key]).note for key in ("quote", "mention", "claim")}  # type: ignore[union-attr]
    assert notes == {"quote": "a: later", "mention": "b: later", "claim": "b: same time"}


def test_an_edit_on_one_side_only_is_an_update_not_a_conflict(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    with Store(a) as store:
        edit(store, shared["quote"], LATER, note="a's edit", form="direct")
    with Store(b) as store:
        edit(store, shared["claim"], LATER, note="b's edit")
    result = merged(b, export_to(a, tmp_path / "a.json"))
    assert "1 identical, 1 updated, 1 newer here (kept), 0 conflicts" in line_of(result, "annotations:")
    with Store(b, read_only=True) as store:
        quote, claim = store.annotation(shared["quote"]), store.annotation(shared["claim"])
        assert quote is not None and (quote.note, quote.form) == ("a's edit", "direct")
        assert claim is not None and claim.note == "b's edit"


# --- tombstones --------------------------------------------------------------------------------------------


def test_an_annotation_deleted_here_is_not_resurrected(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    with Store(b) as store:
        remove(store, shared["quote"])
    result = merged(b, export_to(a, tmp_path / "a.json"))
    assert "1 resurrection refused" in line_of(result, "annotations:")
    assert "0 conflicts" in line_of(result, "annotations:")
    with Store(b, read_only=True) as store:
        assert store.annotation(shared["quote"]) is None
        assert [t["id"] for t in store.tombstones()] == [shared["quote"]]


def test_an_annotation_edited_there_after_its_deletion_here_comes_back_as_a_conflict(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    with Store(b) as store:
        remove(store, shared["quote"])
    with Store(a) as store:
        edit(store, shared["quote"], LATER, note="still wanted")
    result = merged(b, export_to(a, tmp_path / "a.json"))
    assert "1 conflicts" in line_of(result, "annotations:")
    assert f"{shared['quote'][:8]}  story {RIVER.short_id}" in result.stdout
    assert "there won — edited there" in result.stdout
    with Store(b, read_only=True) as store:
        back = store.annotation(shared["quote"])
        assert back is not None and back.note == "still wanted"
        assert store.tombstones() == []


def test_an_annotation_deleted_there_is_deleted_here_and_its_tombstone_travels(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    c = b.parent / "c"
    with Store(a) as store:
        remove(store, shared["claim"])
        ghost = tag(store, FERRY, "two-day strike", "claim")  # never seen by b: only its tombstone travels
        remove(store, ghost.id)
        tombstones = store.tombstones()
    result = merged(b, export_to(a, tmp_path / "a.json"))
    assert "1 tombstoned" in line_of(result, "annotations:")
    assert line_of(result, "tombstones:") == "tombstones: 1 recorded, 0 already here"
    with Store(b, read_only=True) as store:
        assert store.annotation(shared["claim"]) is None
        assert store.tombstones() == tombstones  # recorded as they were: same times
    merged(c, export_to(b, tmp_path / "b.json"))  # and they travel on with b's own export
    with Store(c, read_only=True) as store:
        assert store.tombstones() == tombstones
    assert export_text(c) == export_text(b) == export_text(a)


def test_an_annotation_deleted_there_but_edited_here_later_is_kept_as_a_conflict(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    with Store(a) as store:
        remove(store, shared["claim"])
    with Store(b) as store:
        edit(store, shared["claim"], LATER, note="checked with the port")
    result = merged(b, export_to(a, tmp_path / "a.json"))
    assert "1 conflicts, 0 tombstoned" in line_of(result, "annotations:")
    assert f"{shared['claim'][:8]}  story {FERRY.short_id}  “Ferry services resumed on Tuesday”: here won" in (
        result.stdout
    )
    assert "deleted there" in result.stdout
    with Store(b, read_only=True) as store:
        kept = store.annotation(shared["claim"])
        assert kept is not None and kept.note == "checked with the port"
        assert store.tombstones() == []


# --- two annotators, one story -----------------------------------------------------------------------------


def annotate_alone(folder: Path, who: str, spans: list[tuple[str, str]]) -> set[str]:
    """One annotator's own library: the story, their own "Nicolas Maduro" entry, their annotations."""
    with Store(folder) as store:
        add_story(store, RIVER)
        history = History(store)
        maduro = Actor.new("Nicolas Maduro", "person")
        history.add_actor(maduro)
        ids = set()
        for exact, kind in spans:
            ann = replace(tag_text(RIVER, exact, kind), annotator=who)
            field = {"quote": "speaker", "actor": "actor", "claim": "claimant"}[kind]
            history.add(replace(ann, **{field: maduro.id}))
            ids.add(ann.id)
        return ids


def test_two_annotators_tagging_the_same_story_merge_without_duplicates(
    libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    mine = annotate_alone(a, "ana", [("Nicolas Maduro", "actor"), ("the plan was “a good start”", "quote")])
    theirs = annotate_alone(b, "ben", [("President Nicolas Maduro", "actor"), ("“a good start”", "quote")])
    result = merged(a, export_to(b, tmp_path / "b.json"))
    assert line_of(result, "stories:") == "stories: 0 added, 1 already here"
    assert "annotations: 2 added, 0 identical" in result.stdout
    assert "1 matched by name, 0 type conflicts" in line_of(result, "registry:")
    lines = result.stdout.splitlines()
    assert "“Nicolas Maduro”" in lines[lines.index("matched by name:") + 1]
    with Store(a, read_only=True) as store:
        anns = store.annotations(RIVER.id)
        assert sorted(x.id for x in anns) == sorted(mine | theirs)
        [maduro] = [x for x in store.actors() if x.name == "Nicolas Maduro"]
        assert all(set(x.links().values()) == {maduro.id} for x in anns)
        assert len(store.actors(include_merged=True)) == 1

    merged(b, export_to(a, tmp_path / "a.json"))  # and back: b ends up with the same annotations, one entry
    with Store(b, read_only=True) as store:
        assert sorted(x.id for x in store.annotations(RIVER.id)) == sorted(mine | theirs)
        assert len(store.actors(include_merged=True)) == 1
    again = merged(a, export_to(b, tmp_path / "b.json"))
    assert again.stdout.startswith("merged b.json: nothing changed")


def test_entries_of_different_types_with_one_name_are_kept_apart_and_reported(
    libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    for folder, kind in ((a, "country"), (b, "person")):
        with Store(folder) as store:
            History(store).add_actor(Actor.new("Georgia", kind))
    result = merged(a, export_to(b, tmp_path / "b.json"))
    assert "1 added, 0 same, 0 updated, 0 newer here (kept), 0 matched by name, 1 type conflicts" in result.stdout
    assert "is a person there" in result.stdout and "a country here" in result.stdout
    with Store(a, read_only=True) as store:
        assert sorted(x.type for x in store.actors()) == ["country", "person"]


def test_an_entry_matched_by_an_alias_takes_the_links(libs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = libs
    with Store(a) as store:
        add_story(store, RIVER)
        History(store).add_actor(here := Actor.new("Ada Quist", "person", aliases=("Mayor Quist",)))
    with Store(b) as store:
        add_story(store, RIVER)
        History(store).add_actor(there := Actor.new("Mayor Quist", "other"))
        tag(store, RIVER, "We will not wait another year", speaker=there.id)
    result = merged(a, export_to(b, tmp_path / "b.json"))
    assert f"“Mayor Quist” ({there.id[:8]}) there -> “Ada Quist” ({here.id[:8]}) here" in result.stdout
    with Store(a, read_only=True) as store:
        [quote] = store.annotations(RIVER.id)
        assert quote.speaker == here.id
        assert [x.id for x in store.actors(include_merged=True)] == [here.id]


# --- large merges are batched ------------------------------------------------------------------------------


def test_a_large_merge_writes_a_journal_line_per_batch_not_per_annotation(
    libs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = libs
    with Store(a) as store:
        store.add_stories([RIVER, FERRY])
        words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", RIVER.text)]
        store.apply([(None, Annotation.new(RIVER, "actor", s, e)) for s, e in words])
        count = len(words)
    assert count > 25
    monkeypatch.setattr(merge, "BATCH", 10)
    result = merged(b, export_to(a, tmp_path / "a.json"))
    assert f"annotations: {count} added" in result.stdout
    assert len((b / "annotations.journal").read_text("utf-8").splitlines()) <= 1 + -(-count // 10)
    assert len((b / "stories.journal").read_text("utf-8").splitlines()) <= 2
    assert export_text(b) == export_text(a)


def test_merging_into_a_full_story_reads_its_annotations_once(
    libs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """N new annotations into a story holding N: the story's annotations are read once, not once per new one
    (which made a merge quadratic: 8,000 into 8,000 took 185 s; see bench/bench_merge.py)."""
    a, b = libs
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", RIVER.text)]
    for folder, mine in ((a, words[0::2]), (b, words[1::2])):
        with Store(folder) as store:
            add_story(store, RIVER)
            store.apply([(None, Annotation.new(RIVER, "actor", s, e)) for s, e in mine])
    path = export_to(a, tmp_path / "a.json")
    reads: list[str | None] = []
    original = Store.annotations

    def counted(self: Store, story_id: str | None = None) -> list[Annotation]:
        reads.append(story_id)
        return original(self, story_id)

    monkeypatch.setattr(Store, "annotations", counted)
    with Store(b) as store:
        report, _ = merge.merge_file(store, path)
    assert report["added"] == len(words[0::2]) > 10
    assert reads == [RIVER.id]


# --- refusals ----------------------------------------------------------------------------------------------


def _tamper_story(data: dict) -> None:
    data["stories"][0]["text"] = data["stories"][0]["text"].replace("year", "yaer")


def _tamper_annotation(data: dict) -> None:
    data["annotations"][0]["exact"] = "We will wait"


def _unknown_version(data: dict) -> None:
    data["wiredesk_export"] = 3


def _missing_entry(data: dict) -> None:
    data["annotations"][0]["speaker"] = "1f0e0000-0000-4000-8000-000000000000"


def _escape_in_story_id(data: dict) -> None:
    data["annotations"][0]["story_id"] = "\x1b[2J\x1b[H"


def _empty_merged_into(data: dict) -> None:
    data["actors"][0]["merged_into"] = []


REFUSALS = {
    "tampered story text": (_tamper_story, "its text no longer matches its id"),
    "annotation not matching": (_tamper_annotation, "its text does not match story"),
    "unknown version": (_unknown_version, "format version 3"),
    "missing registry entry": (_missing_entry, "is not in the actor registry"),
    "escape sequence for a story id": (_escape_in_story_id, "its story_id “” is not a story id"),
    "merged_into an empty list": (_empty_merged_into, "its merged_into is a list, not text"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_file_that_cannot_be_merged_changes_nothing(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path, case: str
) -> None:
    a, b = libs
    with Store(a) as store:  # something new in every part, so a partial merge would show
        add_story(store, RIVER_2)
        tag(store, RIVER_2, "5 million crowns", "claim", claimant=shared["ada"])
        remove(store, shared["claim"])
    data = json.loads(export_text(a))
    data["stories"].sort(key=lambda s: s["id"] != RIVER.id)
    data["annotations"].sort(key=lambda x: x["id"] != shared["quote"])
    tamper, fragment = REFUSALS[case]
    tamper(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), "utf-8")
    files = snapshot(b)
    for args in ((), ("--dry-run",)):
        line = assert_user_error(run(b, "merge", str(path), *args), fragment)
        assert "\x1b" not in line
    assert snapshot(b) == files


def test_a_truncated_or_foreign_file_is_refused_in_one_line(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    whole = export_to(a, tmp_path / "a.json").read_bytes()
    files = snapshot(b)
    (tmp_path / "cut.json").write_bytes(whole[: len(whole) // 2])
    assert_user_error(run(b, "merge", str(tmp_path / "cut.json")), "cut.json is not valid JSON (line")
    (tmp_path / "list.json").write_text("[1, 2]", "utf-8")
    assert_user_error(run(b, "merge", str(tmp_path / "list.json")), "not a wiredesk JSON export")
    (tmp_path / "latin.json").write_bytes(b'{"wiredesk_export": 2, "x": "\xe9"}')
    assert_user_error(run(b, "merge", str(tmp_path / "latin.json")), "not UTF-8")
    assert_user_error(run(b, "merge", str(tmp_path / "nowhere.json")), "cannot read", "nowhere.json")
    assert snapshot(b) == files


def test_a_locked_library_is_refused_in_one_line_and_a_dry_run_still_reads_it(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    path = export_to(a, tmp_path / "a.json")
    with Store(b):
        assert_user_error(run(b, "merge", str(path)), "open for writing")
        result = merged(b, path, "--dry-run")
    assert "it would change nothing" in result.stdout


def test_a_span_both_annotators_tagged_is_kept_twice_and_flagged(libs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = libs
    annotate_alone(a, "ana", [("Nicolas Maduro", "actor")])
    annotate_alone(b, "ben", [("Nicolas Maduro", "actor")])
    result = merged(a, export_to(b, tmp_path / "b.json"))
    lines = result.stdout.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("spans tagged on both sides"))
    assert "actor “Nicolas Maduro”" in lines[title + 1]
    with Store(a, read_only=True) as store:
        assert len(store.annotations(RIVER.id)) == 2  # nothing is dropped: the user decides


def test_registry_entries_edited_on_both_sides_are_named(
    shared: dict[str, str], libs: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = libs
    with Store(b) as store:
        entry = store.actors()[0]
        History(store).edit_actor(replace(entry.edited(type="government"), modified="2099-01-01T00:00:00Z"))
    result = merged(a, export_to(b, tmp_path / "b.json"))
    lines = result.stdout.splitlines()
    title = lines.index("registry entries both sides have, edited:")
    assert "taken from there (type)" in lines[title + 1]
