"""Claim threads: linking claims of several stories into one thread, each with its status; undo, the store's checks,
restart, merge, exports and versions all carry them (issue 18 §3)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from annotations import claim_threads, merge
from annotations.carrying import carry_forward
from annotations.exports import exporter, select
from annotations.history import History
from annotations.model import AnnotationError
from annotations.store import Store
from annotations.threads import Member, Thread, ThreadTombstone
from tests.store_support import make_story
from tests.threads_support import AUTHORITY, CATCH, DENIED, FIRST, OPERATORS, REOPEN, SECOND, claim, fill


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        yield fill(s)


def export(store: Store, fmt: str) -> str:
    out = io.StringIO(newline="")
    exporter(fmt).write(store, out, select(store))
    return out.getvalue()


def linked(store: Store) -> tuple[History, Thread]:
    """The acceptance steps: a thread from the first claim, the denial linked into it."""
    history = History(store)
    thread = claim_threads.link(history, REOPEN)
    claim_threads.link(history, DENIED, thread.id, status="denied")
    found = store.thread(thread.id)
    assert found is not None
    return history, found


def statuses(store: Store, thread: Thread) -> list[tuple[str, str]]:
    return [(m.date[:10], m.member.status) for m in claim_threads.timeline(store, thread)]


# --- acceptance 3 -------------------------------------------------------------------------------------------


def test_two_claims_make_one_thread_with_two_statuses_in_date_order(store: Store) -> None:
    _, thread = linked(store)
    assert thread.title == "The port will reopen Monday"
    assert store.threads() == [thread]
    assert statuses(store, thread) == [("2026-03-01", "asserted"), ("2026-03-02", "denied")]
    moments = claim_threads.timeline(store, thread)
    assert [m.claimant for m in moments] == ["Fernside Port Authority", "Harbour Operators Union"]
    assert [m.agency for m in moments] == ["Reuters", "Associated Press"]


def test_the_thread_survives_restart(data_dir: Path, store: Store) -> None:
    _, thread = linked(store)
    store.close()
    with Store(data_dir, read_only=True) as again:
        assert again.threads() == [thread]
        assert again.thread_of(DENIED.id) == thread
        assert statuses(again, thread) == [("2026-03-01", "asserted"), ("2026-03-02", "denied")]


def test_the_thread_survives_merge_into_another_library(tmp_path: Path, store: Store) -> None:
    _, thread = linked(store)
    path = tmp_path / "export.json"
    path.write_text(export(store, "json"), "utf-8")
    with Store(tmp_path / "other") as other:
        report, changed = merge.merge_file(other, path)
        assert changed and report["threads_added"] == 1
        assert other.threads() == [thread]
        assert statuses(other, thread) == [("2026-03-01", "asserted"), ("2026-03-02", "denied")]
        assert any(line.startswith("threads: 1 added") for line in report.lines(changed=True))
        report, changed = merge.merge_file(other, path)  # merging again changes nothing
        assert not changed and report["threads_same"] == 1


def test_the_thread_survives_export(store: Store) -> None:
    _, thread = linked(store)
    data = json.loads(export(store, "json"))
    assert data["threads"] == [thread.to_dict()]
    lines = [json.loads(line) for line in export(store, "jsonl").splitlines()]
    assert {(x["id"], x["thread"], x["thread_status"]) for x in lines} == {
        (REOPEN.id, thread.id, "asserted"),
        (DENIED.id, thread.id, "denied"),
        (CATCH.id, "", ""),
    }
    rows = list(csv.DictReader(io.StringIO(export(store, "csv"))))
    assert {(r["annotation_id"], r["thread"], r["thread_status"]) for r in rows} == {
        (REOPEN.id, thread.id, "asserted"),
        (DENIED.id, thread.id, "denied"),
        (CATCH.id, "", ""),
    }
    items = json.loads(export(store, "w3c"))["first"]["items"]
    (linking,) = [i for i in items if i["motivation"] == "linking"]
    assert linking["id"] == f"urn:wiredesk:thread:{thread.id}"
    assert linking["target"] == [f"urn:uuid:{REOPEN.id}", f"urn:uuid:{DENIED.id}"]
    assert linking["body"][0]["value"] == thread.title
    denied = next(i for i in items if i["id"] == f"urn:uuid:{DENIED.id}")
    (link,) = [b for b in denied["body"] if b.get("purpose") == "linking"]
    assert link["source"]["id"] == linking["id"] and link["wiredesk:status"] == "denied"


def test_export_of_one_story_holds_only_its_members(store: Store) -> None:
    from annotations.exports import ExportFilter

    _, _thread = linked(store)
    out = io.StringIO()
    exporter("json").write(store, out, select(store, ExportFilter(story_ids=frozenset({SECOND.id}))))
    (only,) = json.loads(out.getvalue())["threads"]
    assert [m["annotation"] for m in only["members"]] == [DENIED.id]


# --- steps and undo -----------------------------------------------------------------------------------------


def test_every_thread_change_is_one_undoable_step(store: Store) -> None:
    history, thread = linked(store)
    claim_threads.retitle(history, thread.id, "Port reopening\x1b[31m Monday")
    assert store.thread(thread.id).title == "Port reopening Monday"  # type: ignore[union-attr]
    history.undo()
    assert store.thread(thread.id) == thread
    claim_threads.unlink(history, DENIED.id)
    assert store.thread_of(DENIED.id) is None
    history.undo()
    assert store.thread_of(DENIED.id) == thread
    history.undo()  # the denial's link
    history.undo()  # the thread itself
    assert store.threads() == []
    history.redo()
    history.redo()
    assert store.thread(thread.id) == thread


def test_a_status_changes_in_place_and_a_claim_moves_between_threads(store: Store) -> None:
    history, thread = linked(store)
    claim_threads.link(history, DENIED, thread.id, status="corrected")
    assert [m.status for m in store.thread(thread.id).members] == ["asserted", "corrected"]  # type: ignore[union-attr]
    other = claim_threads.link(history, CATCH)
    claim_threads.link(history, DENIED, other.id, status="disputed")
    assert store.thread_of(DENIED.id).id == other.id  # type: ignore[union-attr]
    assert store.thread(thread.id).ids == (REOPEN.id,)  # type: ignore[union-attr]
    claim_threads.link(history, REOPEN, other.id)  # its last claim leaves: the thread goes
    assert store.thread(thread.id) is None
    history.undo()
    assert store.thread(thread.id).ids == (REOPEN.id,)  # type: ignore[union-attr]


def test_merging_threads(store: Store) -> None:
    history = History(store)
    first = claim_threads.link(history, REOPEN)
    second = claim_threads.link(history, DENIED, status="denied")
    merged = claim_threads.merge_threads(history, second.id, first.id)
    assert store.threads() == [merged] and merged.ids == (REOPEN.id, DENIED.id)
    history.undo()
    assert {t.id for t in store.threads()} == {first.id, second.id}


def test_deleting_a_claim_takes_it_out_of_its_thread_in_the_same_step(store: Store) -> None:
    history, thread = linked(store)
    history.delete(DENIED.id)
    assert store.thread(thread.id).ids == (REOPEN.id,)  # type: ignore[union-attr]
    history.undo()
    assert store.thread(thread.id) == thread
    ann = store.annotation(DENIED.id)
    assert ann is not None
    history.edit(ann.edited(kind="quote"))  # a claim no more
    assert store.thread_of(DENIED.id) is None
    history.delete(REOPEN.id)
    assert store.threads() == []
    history.undo()
    history.undo()
    assert store.thread(thread.id) == thread


def test_only_claims_go_into_threads(store: Store) -> None:
    history = History(store)
    story = make_story("The mayor said the bridge was safe.", headline="Bridge", created="2026-03-04")
    store.add_stories([story])
    start = story.text.index("the bridge was safe")
    from annotations.model import Annotation

    quote = Annotation.new(story, "quote", start, start + len("the bridge was safe"))
    store.apply([(None, quote)])
    with pytest.raises(AnnotationError, match="only claims"):
        claim_threads.link(history, quote)
    bad = Thread.new("a quote", Member(quote.id, "asserted", "2026-03-04T00:00:00Z"))
    with pytest.raises(AnnotationError, match="not a claim"):
        store.apply([(None, bad)])
    nowhere = Thread.new("nothing", Member("0" * 32, "asserted", "2026-03-04T00:00:00Z"))
    with pytest.raises(AnnotationError, match="not in the library"):
        store.apply([(None, nowhere)])


def test_a_claim_is_in_one_thread_only(store: Store) -> None:
    _, _thread = linked(store)
    twice = Thread.new("again", Member(REOPEN.id, "repeated", "2026-03-04T00:00:00Z"))
    with pytest.raises(AnnotationError, match="already in claim thread"):
        store.apply([(None, twice)])
    with pytest.raises(AnnotationError, match="unknown thread status"):
        Thread.new("odd", Member(CATCH.id, "maybe", "2026-03-04T00:00:00Z"))


def test_the_annotations_table_keeps_its_bytes(data_dir: Path, store: Store) -> None:
    linked(store)
    store.close(compact=True)  # the journal folded into annotations.json
    tables = json.loads((data_dir / "annotations.json").read_text("utf-8"))
    for rec in tables["annotations"].values():
        assert "thread" not in json.dumps(rec)
    assert len(tables["threads"]) == 1


# --- likely threads -----------------------------------------------------------------------------------------


def test_likely_threads_rank_same_claimant_and_similar_text_first(store: Store) -> None:
    history = History(store)
    port = claim_threads.link(history, DENIED, status="denied")
    catch = claim_threads.link(history, CATCH)
    ranked = claim_threads.likely_threads(store, REOPEN)
    assert [r.thread.id for r in ranked] == [port.id, catch.id]
    assert "similar" in ranked[0].why
    later = make_story(
        "The authority repeated that fishing quotas would stay.", headline="Quotas", created="2026-03-05"
    )
    store.add_stories([later])
    quota = claim(later, "fishing quotas would stay", AUTHORITY)
    store.apply([(None, quota)])
    mine = claim_threads.link(history, REOPEN, port.id)  # the authority's claim is in the port thread now
    ranked = claim_threads.likely_threads(store, quota)
    assert ranked[0].thread.id == mine.id and ranked[0].why.startswith("same claimant")
    assert all(r.thread.id != store.thread_of(quota.id) for r in ranked)


# --- versions -----------------------------------------------------------------------------------------------


def versioned(tmp_path: Path, text: str) -> tuple[Store, History, Thread, str]:
    """A library where the first story (with wire id "port") is in a thread with the denial, then gets an update
    with `text` carried onto it: the library, its history, the thread, the update's id."""
    update = make_story(
        text,
        headline="Port to reopen Monday",
        agency="Reuters",
        created="2026-03-01T10:00:00Z",
        updated="2026-03-01T15:00:00Z",
        wire_id="port",
    )
    lib = Store(tmp_path / "versions")
    lib.add_stories([replace(FIRST, meta=replace(FIRST.meta, wire_id="port")), SECOND])
    lib.apply([(None, AUTHORITY), (None, OPERATORS), (None, REOPEN), (None, DENIED)])
    hist = History(lib)
    made = claim_threads.link(hist, REOPEN)
    claim_threads.link(hist, DENIED, made.id, status="denied")
    lib.add_stories([update])
    carry_forward(lib, update.id, hist)
    return lib, hist, made, update.id


def test_a_carried_claim_stays_in_its_thread(tmp_path: Path) -> None:
    text = "The port will reopen Monday, the Fernside Port Authority said on Saturday, after repairs."
    lib, hist, made, update = versioned(tmp_path, text)
    with lib:
        (carried,) = [a for a in lib.annotations(update) if a.kind == "claim"]
        now = lib.thread(made.id)
        assert now is not None and now.ids == (carried.id, DENIED.id)
        assert [m.status for m in now.members] == ["asserted", "denied"]
        hist.undo()
        assert lib.thread(made.id).ids == (REOPEN.id, DENIED.id)  # type: ignore[union-attr]


def test_threads_in_w3c_pass_the_must_assertions(store: Store) -> None:
    from tests.annotations.test_export_formats import must_failures, w3c_validators

    validators = w3c_validators()
    linked(store)
    items = json.loads(export(store, "w3c"))["first"]["items"]
    assert len(items) == 4  # three claims, one thread
    for item in items:
        assert must_failures(item, validators) == [], item["id"]


def test_a_damaged_thread_at_rest_is_one_line_and_left_untouched(data_dir: Path, store: Store) -> None:
    from annotations.store import StoreError

    tags = store.tags
    with tags.storage.transaction():
        bad = {"id": "f" * 32, "title": "odd", "members": [], "created": "", "modified": ""}
        tags.threads_table.write_many([(bad["id"], bad)])
    store.close()
    with Store(data_dir, read_only=True) as again, pytest.raises(StoreError, match="claim thread ffffffff is damaged"):
        again.load_annotations()


# --- merge, both sides ---------------------------------------------------------------------------------------


def _export_to(store: Store, path: Path) -> Path:
    path.write_text(export(store, "json"), "utf-8")
    return path


def test_a_thread_both_sides_changed_keeps_the_claims_each_side_linked(tmp_path: Path, store: Store) -> None:
    history, thread = linked(store)
    base = _export_to(store, tmp_path / "base.json")
    with Store(tmp_path / "other") as other:
        merge.merge_file(other, base)
        claim_threads.link(History(other), CATCH, thread.id, status="repeated")  # there: a third claim
        theirs = _export_to(other, tmp_path / "theirs.json")
    claim_threads.retitle(history, thread.id, "Port reopening")  # here: a new title, later
    report, changed = merge.merge_file(store, theirs)
    assert changed and report["threads_updated"] == 1
    now = store.thread(thread.id)
    assert now is not None and set(now.ids) == {REOPEN.id, DENIED.id, CATCH.id}


def test_a_claim_in_another_thread_here_stays_there(tmp_path: Path, store: Store) -> None:
    plain = _export_to(store, tmp_path / "plain.json")
    with Store(tmp_path / "other") as other:
        merge.merge_file(other, plain)
        mine = claim_threads.link(History(other), REOPEN)  # there: the claim in a thread of its own
        _, thread = linked(store)
        report, changed = merge.merge_file(other, _export_to(store, tmp_path / "a.json"))
        assert changed and report["threads_added"] == 1
        assert other.thread_of(REOPEN.id) == mine
        assert other.thread(thread.id).ids == (DENIED.id,)  # type: ignore[union-attr]
        assert any(f"claim {REOPEN.id[:8]} is in thread {mine.id[:8]} here" in n for n in report.notes)


def test_a_claim_deleted_there_leaves_its_thread_here(tmp_path: Path, store: Store) -> None:
    history, thread = linked(store)
    with Store(tmp_path / "other") as other:
        merge.merge_file(other, _export_to(store, tmp_path / "a.json"))
        history.delete(DENIED.id)  # here: deleted (and out of the thread), then merged there
        report, changed = merge.merge_file(other, _export_to(store, tmp_path / "b.json"))
        assert changed and report["tombstoned"] == 1
        assert other.annotation(DENIED.id) is None
        assert other.thread(thread.id).ids == (REOPEN.id,)  # type: ignore[union-attr]


def test_a_title_is_one_clean_line_however_it_comes() -> None:
    member = Member(CATCH.id, "asserted", "2026-03-04T00:00:00Z")
    made = Thread.new("Port\x1b[2J reopens\u202e\nMonday" + "!" * 500, member)
    assert "\x1b" not in made.title and "\u202e" not in made.title and "\n" not in made.title
    assert len(made.title) <= 200 and made.title.startswith("Port reopens")
    data = {**made.to_dict(), "title": "\x1b]52;c;aGVsbG8=\x07Port"}
    assert Thread.from_dict(data).title == "Port"


def test_an_orphaned_claim_placed_in_review_takes_its_place_in_the_thread(tmp_path: Path) -> None:
    from annotations import review

    text = "Harbour officials gave no date at all for the terminal, and crews stayed home."
    lib, hist, made, update = versioned(tmp_path, text)
    with lib:
        (item,) = review.waiting(lib, update)  # the claim could not be placed
        start = lib.story(update).text.index("gave no date")
        placed = review.place_on(hist, item, start, start + len("gave no date"))
        assert lib.thread(made.id).ids == (placed.id, DENIED.id)  # type: ignore[union-attr]
        hist.undo()
        assert lib.thread(made.id).ids == (REOPEN.id, DENIED.id)  # type: ignore[union-attr]


# --- deletions travel: unlinked claims and thread tombstones ------------------------------------------------

PAST, FUTURE = "2001-01-01T00:00:00Z", "2099-01-01T00:00:00Z"  # before and after every step of these tests


def _rewritten(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """The export in `path` with `change` made to its document (times set apart from the tests' own)."""
    data = json.loads(path.read_text("utf-8"))
    change(data)
    out = path.with_name(f"changed-{path.name}")
    out.write_text(json.dumps(data), "utf-8")
    return out


def _text(report: merge.Report, start: str) -> str:
    return next(line for line in report.lines(changed=True) if line.startswith(start))


def test_a_thread_deleted_here_does_not_come_back_from_a_file_that_has_it(tmp_path: Path, store: Store) -> None:
    history, thread = linked(store)
    base = _export_to(store, tmp_path / "base.json")
    claim_threads.unlink(history, REOPEN.id)
    claim_threads.unlink(history, DENIED.id)  # its last claim: the thread goes, and leaves a tombstone
    (tomb,) = store.thread_tombstones()
    assert store.thread(thread.id) is None and tomb.id == thread.id and tomb.claims == (DENIED.id,)
    report, changed = merge.merge_file(store, base)
    assert not changed and report["threads_refused"] == 1
    assert store.thread(thread.id) is None and store.thread_of(REOPEN.id) is None
    assert _text(report, "thread deletions:").startswith("thread deletions: 0 applied, 0 kept (edited here later), 1 ")
    # edited there after the deletion: it comes back, and says so
    later = _rewritten(base, lambda d: d["threads"][0].update(modified=FUTURE))
    report, changed = merge.merge_file(store, later)
    assert changed and report["threads_revived"] == 1 and store.thread(thread.id) is not None
    assert any(f"thread {thread.id[:8]}: deleted here" in n and n.endswith("back") for n in report.notes)
    assert store.thread_tombstones() == []


def test_a_thread_merged_into_another_here_stays_merged(tmp_path: Path, store: Store) -> None:
    history = History(store)
    first, second = claim_threads.link(history, REOPEN), claim_threads.link(history, DENIED)
    base = _export_to(store, tmp_path / "base.json")
    claim_threads.merge_threads(history, second.id, first.id)
    assert [t.id for t in store.thread_tombstones()] == [second.id]
    report, changed = merge.merge_file(store, base)
    assert not changed and report["threads_refused"] == 1
    assert [t.ids for t in store.threads()] == [(REOPEN.id, DENIED.id)]


def test_a_claim_unlinked_here_does_not_come_back_unless_linked_there_later(tmp_path: Path, store: Store) -> None:
    history, thread = linked(store)
    base = _export_to(store, tmp_path / "base.json")
    claim_threads.unlink(history, DENIED.id)
    now = store.thread(thread.id)
    assert now is not None and now.ids == (REOPEN.id,) and now.unlinked_at(DENIED.id)
    report, changed = merge.merge_file(store, base)
    assert not changed and report["unlinks_kept"] == 1
    assert store.thread(thread.id) == now
    assert _text(report, "claims unlinked:") == (
        "claims unlinked: 0 applied, 1 kept out, 0 back (linked there later), 0 kept in (linked here later)"
    )
    later = _rewritten(base, lambda d: d["threads"][0]["members"][1].update(linked=FUTURE))
    report, changed = merge.merge_file(store, later)
    assert changed and report["relinked"] == 1
    back = store.thread(thread.id)
    assert back is not None and back.ids == (REOPEN.id, DENIED.id) and back.unlinked == ()
    assert any(f"claim {DENIED.id[:8]}: unlinked from thread" in n and "back in it" in n for n in report.notes)
    assert not merge.merge_file(store, later)[1]  # merging again changes nothing


def _undone_there(store: Store, tmp_path: Path) -> tuple[Path, Path, list[ThreadTombstone]]:
    """Library "other" takes this one's export, unlinks the denial (exported), then the first claim, its thread's
    last (exported): the two files, and the thread's tombstone there."""
    with Store(tmp_path / "other") as other:
        merge.merge_file(other, _export_to(store, tmp_path / "a.json"))
        there = History(other)
        claim_threads.unlink(there, DENIED.id)
        unlinked = _export_to(other, tmp_path / "unlinked.json")
        claim_threads.unlink(there, REOPEN.id)
        return unlinked, _export_to(other, tmp_path / "deleted.json"), other.thread_tombstones()


def test_an_unlink_and_a_deletion_there_apply_here(tmp_path: Path, store: Store) -> None:
    _, thread = linked(store)
    unlinked, deleted, tombs = _undone_there(store, tmp_path)
    assert [t["id"] for t in json.loads(deleted.read_text("utf-8"))["deleted_threads"]] == [thread.id]
    report, changed = merge.merge_file(store, unlinked)
    assert changed and report["unlinks_applied"] == 1
    now = store.thread(thread.id)
    assert now is not None and now.ids == (REOPEN.id,) and now.unlinked_at(DENIED.id)  # kept: it travels on
    assert not merge.merge_file(store, unlinked)[1]
    report, changed = merge.merge_file(store, deleted)
    assert changed and report["threads_deleted"] == 1 and store.thread(thread.id) is None
    assert store.thread_tombstones() == tombs  # recorded with its time there
    report, changed = merge.merge_file(store, deleted)
    assert not changed and report["thread_tombstones_present"] == 1


def test_a_claim_moved_to_another_thread_there_moves_here(tmp_path: Path, store: Store) -> None:
    _, thread = linked(store)
    with Store(tmp_path / "other") as other:
        merge.merge_file(other, _export_to(store, tmp_path / "a.json"))
        moved = claim_threads.link(History(other), DENIED, title="Operators deny")  # out of the thread, into a new one
        theirs = _export_to(other, tmp_path / "b.json")
    report, changed = merge.merge_file(store, theirs)
    assert changed and report["unlinks_applied"] == 1 and report["threads_added"] == 1 and not report.notes
    assert store.thread(thread.id).ids == (REOPEN.id,)  # type: ignore[union-attr]
    assert store.thread_of(DENIED.id) == moved
    assert not merge.merge_file(store, theirs)[1]


def test_an_unlink_or_a_deletion_there_yields_to_a_later_edit_here(tmp_path: Path, store: Store) -> None:
    _, thread = linked(store)
    unlinked, deleted, _tombs = _undone_there(store, tmp_path)
    early = _rewritten(unlinked, lambda d: d["threads"][0].update(unlinked={DENIED.id: PAST}))
    report, changed = merge.merge_file(store, early)
    assert not changed and report["unlinks_outlived"] == 1
    assert store.thread(thread.id) == thread
    assert any("linked here later" in n and n.endswith("kept in it") for n in report.notes)
    early = _rewritten(deleted, lambda d: d["deleted_threads"][0].update(deleted=PAST, modified=PAST))
    report, changed = merge.merge_file(store, early)
    assert not changed and report["threads_spared"] == 1 and store.thread(thread.id) is not None
    assert any(f"thread {thread.id[:8]}: deleted there {PAST}, but edited here later" in n for n in report.notes)


def test_a_round_trip_carries_an_unlink_there_and_back(tmp_path: Path, store: Store) -> None:
    history, thread = linked(store)
    with Store(tmp_path / "b") as b:
        merge.merge_file(b, _export_to(store, tmp_path / "a1.json"))
        claim_threads.unlink(History(b), DENIED.id)  # B unlinks
        merge.merge_file(store, _export_to(b, tmp_path / "b1.json"))  # A takes it
        assert store.thread(thread.id).ids == (REOPEN.id,)  # type: ignore[union-attr]
        report, changed = merge.merge_file(b, _export_to(store, tmp_path / "a2.json"))  # and back: nothing new
        assert not changed
        claim_threads.unlink(history, REOPEN.id)  # A deletes the thread
        report, changed = merge.merge_file(b, _export_to(store, tmp_path / "a3.json"))
        assert changed and report["threads_deleted"] == 1 and b.thread(thread.id) is None
        assert b.thread_tombstones() == store.thread_tombstones()
        assert not merge.merge_file(store, _export_to(b, tmp_path / "b2.json"))[1]


def test_an_export_written_before_unlinks_and_thread_tombstones_merges_as_before(tmp_path: Path, store: Store) -> None:
    history, thread = linked(store)
    claim_threads.link(history, CATCH, thread.id)
    claim_threads.unlink(history, CATCH.id)
    new = _export_to(store, tmp_path / "new.json")
    assert json.loads(new.read_text("utf-8"))["threads"][0]["unlinked"]

    def old_format(data: dict[str, Any]) -> None:
        del data["deleted_threads"]
        for item in data["threads"]:
            item.pop("unlinked", None)

    old = _rewritten(new, old_format)
    with Store(tmp_path / "other") as other:
        report, changed = merge.merge_file(other, old)
        assert changed and report["threads_added"] == 1
        assert other.thread(thread.id) == replace(store.thread(thread.id), unlinked=())  # type: ignore[type-var]


def test_undo_of_an_unlink_or_a_thread_deletion_restores_it_exactly(store: Store) -> None:
    history, thread = linked(store)
    claim_threads.unlink(history, DENIED.id)
    history.undo()
    assert store.thread(thread.id) == thread and thread.unlinked == ()
    claim_threads.unlink(history, DENIED.id)
    one = store.thread(thread.id)
    claim_threads.unlink(history, REOPEN.id)
    (tomb,) = store.thread_tombstones()
    history.undo()
    assert store.thread(thread.id) == one and store.thread_tombstones() == []
    history.redo()
    assert store.thread(thread.id) is None and store.thread_tombstones() == [tomb]  # its first time kept
    history.undo()
    history.undo()
    assert store.thread(thread.id) == thread


def test_unlinks_and_thread_tombstones_survive_restart(data_dir: Path, store: Store) -> None:
    history, thread = linked(store)
    other = claim_threads.link(history, CATCH)
    claim_threads.unlink(history, DENIED.id)
    claim_threads.unlink(history, CATCH.id)
    kept, tombs = store.thread(thread.id), store.thread_tombstones()
    assert kept is not None and kept.unlinked and [t.id for t in tombs] == [other.id]
    store.close()
    with Store(data_dir, read_only=True) as again:
        assert again.thread(thread.id) == kept and again.thread_tombstones() == tombs


def test_a_thread_deletion_from_the_command_line_is_undone_in_the_app(store: Store) -> None:
    _, thread = linked(store)
    cli = History(store, hand_over=True)
    claim_threads.unlink(cli, REOPEN.id)
    claim_threads.unlink(cli, DENIED.id)
    assert store.thread_tombstones()
    app = History(store)
    assert app.adopt() == 2
    app.undo()
    app.undo()
    assert store.thread(thread.id) == thread and store.thread_tombstones() == []


def test_a_leftover_tombstone_of_a_live_thread_is_harmless(tmp_path: Path, store: Store) -> None:
    _, thread = linked(store)
    base = _export_to(store, tmp_path / "base.json")
    store.apply([(None, ThreadTombstone(thread.id, FUTURE, FUTURE, thread.ids))])
    data = json.loads(export(store, "json"))
    assert data["deleted_threads"] == [] and data["threads"] == [thread.to_dict()]
    report, changed = merge.merge_file(store, base)
    assert not changed and report["threads_same"] == 1
    with Store(tmp_path / "other") as other:
        merge.merge_file(other, base)
        claim_threads.unlink(History(other), DENIED.id)
        report, changed = merge.merge_file(store, _export_to(other, tmp_path / "b.json"))
        assert changed and report["unlinks_applied"] == 1
