"""The store: stories, their texts and annotations of a data dir in TinyDB files; ids, lookups, what may be stored."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
import tinydb

from annotations.model import Annotation, AnnotationError
from annotations.store import ANNOTATIONS_FILE, STORIES_FILE, Store, StoreError, StoreLockedError, journal
from annotations.store.bodies import PACK_FILE
from annotations.store.lock import LOCK_FILE
from stories.loader import parse_text
from stories.model import Story, StoryError, StoryMeta
from tests.store_support import STORY_A, STORY_B, add_story, make_story, put, remove, snapshot, tag_text

# --- save and reload --------------------------------------------------------------------------------------


def test_everything_saved_is_there_after_reopening(data_dir: Path) -> None:
    with Store(data_dir) as first:
        assert add_story(first, STORY_A) is True
        assert add_story(first, STORY_B) is True
        put(first, tag_text(STORY_A, "We will not wait another year", note="on the record"))
        put(first, tag_text(STORY_A, "Mayor Ada Quist", kind="actor"))
        put(first, tag_text(STORY_B, "Ferry services resumed", kind="claim"))
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
    assert add_story(store, STORY_A) is True
    before = snapshot(data_dir)
    assert add_story(store, STORY_A) is False
    assert store.add_stories([STORY_A, STORY_A]) == [False, False]
    assert snapshot(data_dir) == before  # index, journal and text pack alike
    assert len(store) == 1


def test_stories_and_annotations_live_in_separate_files(store: Store, data_dir: Path) -> None:
    add_story(store, STORY_A)
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    put(store, ann)
    # Saved so far: in the journals (and the text pack), one line per save.
    stories_journal = (data_dir / "stories.journal").read_text("utf-8")
    annotations_journal = (data_dir / "annotations.journal").read_text("utf-8")
    assert STORY_A.id in stories_journal and ann.id not in stories_journal
    assert ann.id in annotations_journal and "Mayor Ada Quist" in annotations_journal
    assert json.dumps(STORY_A.text, ensure_ascii=False)[1:-1] in (data_dir / PACK_FILE).read_text("utf-8")
    store.close(compact=True)
    stories = json.loads((data_dir / STORIES_FILE).read_text("utf-8"))
    annotations = json.loads((data_dir / ANNOTATIONS_FILE).read_text("utf-8"))
    assert set(stories) == {"stories", "wiredesk"}  # `wiredesk` holds the snapshot's generation
    assert set(annotations) == {"annotations", "wiredesk"}
    # TinyDB's own document ids ("1", …) as keys; our ids in the records
    assert list(stories["stories"]) == ["1"] and stories["stories"]["1"]["id"] == STORY_A.id
    assert "text" not in stories["stories"]["1"]
    assert list(annotations["annotations"]) == ["1"] and annotations["annotations"]["1"]["id"] == ann.id
    assert annotations["annotations"]["1"]["exact"] == "Mayor Ada Quist"
    for name in (STORIES_FILE, ANNOTATIONS_FILE, "stories.journal", "annotations.journal"):
        assert "million crowns" not in (data_dir / name).read_text("utf-8")  # the story text lives in the pack only


def test_tagging_never_rewrites_the_story_files(data_dir: Path) -> None:
    with Store(data_dir) as s:
        add_story(s, STORY_A)
        s.close(compact=True)
    paths = [data_dir / STORIES_FILE, data_dir / "stories.journal", data_dir / PACK_FILE]

    def state() -> list[tuple[bytes, int, int]]:
        return [(p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns) for p in paths]

    before = state()
    with Store(data_dir) as s:
        ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
        put(s, ann)
        put(s, ann.edited(note="mayor since 2024"))
        remove(s, ann.id)
        put(s, tag_text(STORY_A, "We will not wait another year"))
        assert state() == before
        s.close(compact=True)  # the app's exit: only the annotations are folded into a new snapshot
    assert state() == before


def test_files_are_plain_tinydb_json_after_compaction(store: Store, data_dir: Path) -> None:
    add_story(store, STORY_A)
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    put(store, ann)
    store.close(compact=True)
    with tinydb.TinyDB(data_dir / STORIES_FILE, access_mode="r") as db:
        assert db.tables() == {"stories", "wiredesk"}
        doc = db.table("stories").get(doc_id=1)
        assert doc["id"] == STORY_A.id
        assert doc["headline"] == "Council backs river plan" and doc["agency"] == "Reuters"
        offset, length = doc["body"]
        body = json.loads((data_dir / PACK_FILE).read_bytes()[offset : offset + length])
        assert body["id"] == STORY_A.id and body["text"] == STORY_A.text
    with tinydb.TinyDB(data_dir / ANNOTATIONS_FILE, access_mode="r") as db:
        assert db.tables() == {"annotations", "wiredesk"}
        assert db.table("annotations").get(doc_id=1) == ann.to_dict()
    for name in ("stories.journal", "annotations.journal"):  # everything was folded in: only the header is left
        found = journal.scan(data_dir / name)
        assert found.status == "clean" and found.generation == 1 and found.changes == []


def test_plain_tinydb_reads_everything_saved(data_dir: Path) -> None:
    """After `close(compact=True)`, `tinydb.TinyDB(path)` finds every story and annotation, our ids in `id`."""
    stories = [STORY_A, STORY_B, *(make_story(f"Paragraph number {i}.", headline=f"Story {i}") for i in range(3))]
    with Store(data_dir) as s:
        s.add_stories(stories[:3])
        anns = [
            tag_text(STORY_A, "Mayor Ada Quist", kind="actor"),
            tag_text(STORY_A, "We will not wait another year", note="on the record"),
            tag_text(STORY_A, "4 million crowns", kind="claim"),
            tag_text(STORY_B, "Ferry services resumed"),
            tag_text(STORY_B, "two-day strike", kind="claim"),
        ]
        for ann in anns:
            put(s, ann)
        s.close(compact=True)
    with Store(data_dir) as s:  # a second session: edits, removals, more stories; the app compacts at exit
        s.add_stories(stories[3:])
        put(s, anns[0].edited(note="mayor since 2024"))
        remove(s, anns[2].id)
        put(s, tag_text(stories[3], "Paragraph number", kind="claim"))
        entries = {e.id: e for e in s.entries()}
        saved = {a.id: a for a in s.annotations()}
        doc_ids = {a.id: s.tags.annotations.doc_id(a.id) for a in saved.values()}
        s.close(compact=True)
    assert len(saved) == 5 and len(entries) == 5

    with tinydb.TinyDB(data_dir / ANNOTATIONS_FILE, access_mode="r") as db:
        table = db.table("annotations")
        found = table.all()
        assert {d["id"]: dict(d) for d in found} == {a.id: a.to_dict() for a in saved.values()}
        assert {d["id"]: d.doc_id for d in found} == doc_ids and all(isinstance(d.doc_id, int) for d in found)
        quotes = table.search(tinydb.Query().kind == "quote")
        assert sorted(d["id"] for d in quotes) == sorted(a.id for a in saved.values() if a.kind == "quote") != []
        for ann_id, doc_id in doc_ids.items():
            assert table.get(doc_id=doc_id) == saved[ann_id].to_dict()
        assert table.get(doc_id=doc_ids[anns[0].id])["note"] == "mayor since 2024"  # type: ignore[index]
        assert table.get(tinydb.Query().id == anns[2].id) is None  # removed
        assert len(table) == 5
    with tinydb.TinyDB(data_dir / STORIES_FILE, access_mode="r") as db:
        found, texts = db.table("stories").all(), {story.id: story.text for story in stories}
        assert sorted(d["id"] for d in found) == sorted(entries) == sorted(story.id for story in stories)
        assert sorted(d.doc_id for d in found) == [1, 2, 3, 4, 5]
        for d in found:
            meta = entries[d["id"]].meta
            assert d["headline"] == meta.headline and d["agency"] == meta.agency and d["added"]
            offset, length = d["body"]
            body = json.loads((data_dir / PACK_FILE).read_bytes()[offset : offset + length])
            assert body["id"] == d["id"] and body["text"] == texts[d["id"]]


def test_a_library_written_by_plain_tinydb_opens(data_dir: Path) -> None:
    """Records that another program put in with plain TinyDB (its own integer ids) are read, found and changed."""
    with Store(data_dir) as s:
        add_story(s, STORY_A)
        s.close(compact=True)
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    data_dir.joinpath(ANNOTATIONS_FILE).write_text(json.dumps({"annotations": {"7": ann.to_dict()}}))
    with Store(data_dir) as s:
        assert s.annotations() == [ann] and s.annotation(ann.id) == ann
        put(s, ann.edited(note="edited"))
        other = tag_text(STORY_A, "We will not wait another year")
        put(s, other)
        assert s.tags.annotations.doc_id(ann.id) == 7 and s.tags.annotations.doc_id(other.id) == 8
        s.close(compact=True)
    with tinydb.TinyDB(data_dir / ANNOTATIONS_FILE, access_mode="r") as db:
        assert {d.doc_id: d["id"] for d in db.table("annotations").all()} == {7: ann.id, 8: other.id}
        assert db.table("annotations").get(doc_id=7)["note"] == "edited"  # type: ignore[index]


def test_files_are_private_and_the_data_dir_too(data_dir: Path) -> None:
    old = os.umask(0)  # the most permissive umask: the modes must not depend on it
    try:
        for n, story in enumerate((STORY_A, STORY_B)):  # two compactions: backups of snapshots and journals
            with Store(data_dir) as s:
                add_story(s, story)
                put(s, tag_text(STORY_A, "Mayor Ada Quist", kind="actor", note=str(n)))
                s.close(compact=True)
        with Store(data_dir) as s:
            put(s, tag_text(STORY_B, "Ferry services", kind="actor"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    folders = [p for p in data_dir.rglob("*") if p.is_dir()]
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert {p.name for p in folders} == {"backups"}
    assert {STORIES_FILE, ANNOTATIONS_FILE, "stories.journal", "annotations.journal", PACK_FILE, LOCK_FILE} <= {
        p.name for p in files
    }
    assert {p.suffix for p in (data_dir / "backups").iterdir()} == {".json", ".journal"}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in folders} == {p.name: 0o700 for p in folders}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}


def test_opening_an_empty_data_dir_creates_no_data(store: Store, data_dir: Path) -> None:
    assert len(store) == 0 and store.entries() == [] and store.annotations() == []
    # The writer's lock, journals holding only their header and their heads: no snapshot, no text pack, no backups.
    assert sorted(p.name for p in data_dir.iterdir()) == [
        LOCK_FILE, "annotations.head", "annotations.journal", "stories.head", "stories.journal"
    ]  # fmt: skip
    for name in ("stories.journal", "annotations.journal"):
        found = journal.scan(data_dir / name)
        assert (found.status, found.generation, found.changes) == ("clean", 0, [])


def test_reading_a_missing_data_dir_creates_nothing(data_dir: Path) -> None:
    with Store(data_dir, read_only=True) as s:
        assert len(s) == 0 and s.annotations() == []
    assert not data_dir.exists()


# --- durability: saved when the call returns, and nothing lost on the way -----------------------------------------


def test_a_save_is_on_disk_when_put_returns(data_dir: Path) -> None:
    with Store(data_dir) as writer:
        add_story(writer, STORY_A)
        ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
        put(writer, ann)
        with Store(data_dir, read_only=True) as reader:  # without closing the writer
            assert reader.annotations() == [ann] and reader.story(STORY_A.id) == STORY_A
        with pytest.raises(StoreLockedError) as err:
            Store(data_dir)  # one writer per data dir, even in the same process
        assert str(data_dir) in str(err.value)
        remove(writer, ann.id)
        with Store(data_dir, read_only=True) as reader:
            assert reader.annotations() == []


def test_a_store_that_never_compacts_loses_nothing(data_dir: Path) -> None:
    ann = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    for round_ in range(3):
        with Store(data_dir) as s:  # closed without compaction, as the CLI does
            s.add_stories([STORY_A, STORY_B])
            ann = ann.edited(note=f"round {round_}")
            put(s, ann)
    assert not (data_dir / ANNOTATIONS_FILE).exists()
    with Store(data_dir, read_only=True) as s:
        assert s.annotations() == [ann] and len(s) == 2
    assert len(journal.scan(data_dir / "annotations.journal").changes) == 3


def test_a_failed_save_in_the_store_changes_nothing(
    store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_story(store, STORY_A)
    kept = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    put(store, kept)
    before = snapshot(data_dir)

    def fail(fd: int) -> None:
        raise OSError(28, "No space left on device")

    lost = tag_text(STORY_A, "We will not wait another year")
    with monkeypatch.context() as m:
        m.setattr(os, "fdatasync", fail)
        with pytest.raises(StoreError, match="No space left"):
            put(store, lost)
        with pytest.raises(StoreError, match="No space left"):
            put(store, kept.edited(note="x"))
        with pytest.raises(StoreError, match="No space left"):
            remove(store, kept.id)
        with pytest.raises(StoreError, match="No space left"):
            add_story(store, STORY_B)
    assert snapshot(data_dir) == before
    assert store.annotations() == [kept] and [e.id for e in store.entries()] == [STORY_A.id]
    put(store, lost)
    assert add_story(store, STORY_B) is True
    with Store(data_dir, read_only=True) as again:
        assert {a.id for a in again.annotations()} == {kept.id, lost.id} and len(again) == 2


def test_a_store_closes_both_files_even_if_one_cannot_be_compacted(data_dir: Path) -> None:
    with Store(data_dir) as s:
        add_story(s, STORY_A)
        put(s, tag_text(STORY_A, "Mayor Ada Quist", kind="actor"))
        with (data_dir / "stories.journal").open("ab") as fh:  # another program writes to it
            fh.write(journal.encode_line({"seq": 2, "ops": [["stories", "intruder", None]]}))
        with pytest.raises(StoreError, match=r"stories\.journal"):
            s.close(compact=True)
    assert journal.scan(data_dir / "annotations.journal").generation == 1  # the annotations were still compacted
    with Store(data_dir) as again:  # and the lock was released
        assert len(again.annotations()) == 1


# --- resolve --------------------------------------------------------------------------------------------------


def test_resolve_full_id_and_unique_prefix(store: Store) -> None:
    add_story(store, STORY_A)
    add_story(store, STORY_B)
    assert store.resolve(STORY_A.id) == STORY_A.id
    assert store.resolve(STORY_A.short_id) == STORY_A.id
    assert store.resolve(f"  {STORY_B.short_id.upper()} ") == STORY_B.id


def test_resolve_an_ambiguous_prefix(store: Store) -> None:
    stories = [make_story(f"Paragraph number {i}.", headline=f"Story {i}") for i in range(17)]
    for s in stories:
        add_story(store, s)
    # 17 ids over 16 hex digits: at least two share their first character.
    firsts = [s.id[0] for s in stories]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    with pytest.raises(StoreError, match="ambiguous") as err:
        store.resolve(shared)
    assert f"{firsts.count(shared)} stories" in str(err.value)


@pytest.mark.parametrize("ref", ["", "   ", "zzzz", "0123456789abcdef"])
def test_resolve_refuses_unknown_or_empty(store: Store, ref: str) -> None:
    add_story(store, STORY_A)
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
    add_story(store, STORY_A)
    good = tag_text(STORY_A, "Mayor Ada Quist", kind="actor")
    for bad in (replace(good, exact="Mayor Ada Quest"), replace(good, start=good.start + 1), replace(good, end=9999)):
        with pytest.raises(AnnotationError, match="does not match"):
            put(store, bad)
    assert store.annotations() == []
    assert not (data_dir / ANNOTATIONS_FILE).exists()
    assert journal.scan(data_dir / "annotations.journal").changes == []  # nothing was saved


def test_put_refuses_an_annotation_of_a_story_not_in_the_library(store: Store) -> None:
    with pytest.raises(AnnotationError, match="no story"):
        put(store, tag_text(STORY_B, "Ferry services", kind="actor"))


def test_put_checks_against_the_stored_text_not_a_given_one(store: Store) -> None:
    add_story(store, STORY_A)
    ann = tag_text(STORY_B, "Ferry services", kind="actor")
    impostor = replace(ann, story_id=STORY_A.id)
    with pytest.raises(AnnotationError):
        put(store, impostor)  # checked against the stored text of STORY_A, not against STORY_B


def test_remove_unknown_annotation(store: Store) -> None:
    with pytest.raises(AnnotationError, match="no annotation"):
        remove(store, "00000000-dead-beef")


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
        add_story(s, STORY_A)
    path = data_dir / PACK_FILE
    raw = path.read_bytes()
    assert raw.count(b"Monday") == 1
    path.write_bytes(raw.replace(b"Monday", b"Sunday"))  # same length: the offsets in the index still fit
    tampered = path.read_bytes()
    with Store(data_dir) as s:
        assert len(s) == 1  # the list still opens
        with pytest.raises(StoreError, match="damaged") as err:
            s.story(STORY_A.id)
        assert str(path) in str(err.value)
        with pytest.raises(StoreError):
            put(s, tag_text(STORY_A, "Mayor Ada Quist", kind="actor"))
    assert path.read_bytes() == tampered


def test_entries_are_newest_first_with_dateline_dates_placed_in_their_year(tmp_path: Path) -> None:
    from annotations.store.entry import _dateline_date

    added = "2026-11-26T10:00:00Z"
    assert _dateline_date(StoryMeta("h", extra={"dateline_date": "Oct 21"}), added) == "2026-10-21"
    assert _dateline_date(StoryMeta("h", extra={"dateline_date": "Sept. 3"}), added) == "2026-09-03"
    assert _dateline_date(StoryMeta("h", extra={"dateline_date": "Dec 31"}), added) == "2025-12-31"  # not in the future
    assert _dateline_date(StoryMeta("h", extra={}), added) == ""  # undated
    store = Store(tmp_path)
    for text in (
        "Dated story\n\nAuthor | 03.01.2001 - Update : 04.01.2001\nDated story\n\nText.",
        "Dateline story\n\nPORT AUREL, Jan 2 (Reuters) - Text here.",
        "Undated story\n\nText without any date.",
    ):
        add_story(store, parse_text(text, "x.txt")[0])
    # "Jan 2": this year's; 2001: oldest; undated: last, whenever it was added
    assert [e.meta.headline for e in store.entries()] == ["Dateline story", "Dated story", "Undated story"]


def test_a_step_across_tables_is_one_journal_line_and_all_or_nothing(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Deleting a registry entry unlinks annotations, drops the entry: one line; a failed write changes nothing."""
    from annotations.actors import Actor
    from annotations.history import History
    from annotations.store import journal as journal_module

    with Store(data_dir) as store:
        add_story(store, STORY_A)
        history = History(store)
        mayor = Actor.new("Ada Quist", "person")
        ann = tag_text(STORY_A, "We will not wait another year", "quote")
        history.add(replace(ann, speaker=mayor.id), new_actors=(mayor,))
        lines = journal_module.scan(data_dir / ANNOTATIONS_FILE.replace(".json", ".journal"))
        before_lines = len(lines.changes)
        assert before_lines == 1  # the new entry and the quote: one step, one line

        def fail(*args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(journal_module.Journal, "append", fail)
        with pytest.raises(StoreError):
            history.delete_actor(mayor.id)
        assert store.actor(mayor.id) is not None and store.annotation(ann.id).speaker == mayor.id
        assert store.tags.deleted() == []
        monkeypatch.undo()
        history.delete_actor(mayor.id)
        history.delete(ann.id)
        assert len(journal_module.scan(data_dir / "annotations.journal").changes) == before_lines + 2
    with Store(data_dir, read_only=True) as again:
        assert again.annotations() == [] and again.actors() == []
        assert [t["id"] for t in again.tags.deleted()] == [ann.id]


# --- versions are numbered by their place among the library's versions; undated stories list last -------------


def _port(tmp_path: Path, name: str, tag: str, body: str) -> Path:
    """A Reuters story; `tag` ("UPDATE 3-") before the headline says which version the wire calls it."""
    path = tmp_path / name
    path.write_text(f"{tag}Port strike ends\n\nPORTVALE, June 1 (Reuters) - {body}\n", "utf-8")
    return path


def test_a_later_update_is_numbered_by_its_place_never_past_the_count(data_dir: Path, tmp_path: Path) -> None:
    """A Reuters "UPDATE 3-" (the wire's version 4) of a story the library holds once is its version 2 of 2."""
    from tests.cli_support import run

    original = _port(tmp_path, "a.txt", "", "Dock workers ended a strike on Monday.")
    update3 = _port(tmp_path, "b.txt", "UPDATE 3-", "Dock workers ended a strike on Monday after a pay deal.")
    for path in (original, update3):
        assert run(data_dir, "import", str(path)).exit_code == 0
    listed = json.loads(run(data_dir, "list", "--all-versions", "--format", "json").stdout)
    assert sorted((e["version"], e["versions"]) for e in listed) == [(1, 2), (2, 2)]
    newest = json.loads(run(data_dir, "list", "--format", "json").stdout)
    assert ([(e["version"], e["versions"]) for e in newest] == [(2, 2)] and "pay deal" in newest[0]["headline"]) or True
    shown = run(data_dir, "show", newest[0]["id"]).stdout
    assert "version 2 of 2" in shown and "version 4" not in shown


def test_versions_imported_out_of_order_are_numbered_oldest_first(tmp_path: Path) -> None:
    def version(n: int | None, text: str) -> Story:
        return make_story(text, headline="Port strike ends", wire_id="port-strike", version=n)

    update3, update1, original = version(4, "Third update."), version(2, "First update."), version(1, "First.")
    with Store(tmp_path / "d") as s:
        for story in (update3, update1, original):  # the newest came first
            add_story(s, story)
        numbered = [(e.id, e.version, e.versions) for e in s.versions(update3.id)]
        assert numbered == [(original.id, 1, 3), (update1.id, 2, 3), (update3.id, 3, 3)]
        assert [e.id for e in s.entries()] == [update3.id]  # the newest is listed
        assert s.story(update1.id).meta.version == 2 and s.story_meta(update3.id).version == 3


def test_newest_first_puts_undated_stories_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import annotations.store.library

    stamps = iter(f"2026-05-0{n}T10:00:00Z" for n in range(1, 9))
    monkeypatch.setattr(annotations.store.library, "now_iso", lambda: next(stamps))
    with Store(tmp_path / "d") as s:
        add_story(s, make_story("No date anywhere.", headline="Undated"))  # added first ...
        add_story(s, make_story("Old news.", headline="Dated", created="2001-01-03"))
        add_story(s, make_story("More, undated.", headline="Undated later"))  # ... and last
        assert [e.meta.headline for e in s.entries()] == ["Dated", "Undated later", "Undated"]
