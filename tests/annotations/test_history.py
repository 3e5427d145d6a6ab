"""Undo and redo: every step is saved at once, and a new change clears what could be redone."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotations.actors import Actor
from annotations.anchor import locate
from annotations.exports import json as export_json
from annotations.exports import select
from annotations.history import Change, DuplicateAnnotation, History, existing_annotation, find_annotation
from annotations.model import Annotation, AnnotationError
from annotations.store import Store, StoreError, journal
from stories.model import Story, StoryBuilder, StoryMeta
from tests.store_support import add_story


def build_story() -> Story:
    builder = StoryBuilder()
    builder.add("headline", "Harbour board delays dredging vote")
    builder.add("paragraph", "“We need another month,” board chair Lena Holt said on Wednesday.")
    builder.add("paragraph", "Fishermen say the silt has cut their catch by a third since spring.")
    return builder.build(StoryMeta(headline=""))


STORY = build_story()


def new(exact: str, kind: str = "quote", note: str = "") -> Annotation:
    start, end = locate(STORY, exact)
    return Annotation.new(STORY, kind, start, end, note=note)


def on_disk(data_dir: Path) -> dict[str, Annotation]:
    """The annotations a fresh Store reads from the files now."""
    with Store(data_dir, read_only=True) as fresh:
        return {a.id: a for a in fresh.annotations()}


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        add_story(s, STORY)
        yield s


def test_add_then_undo_then_redo_each_saved_at_once(store: Store, data_dir: Path) -> None:
    history = History(store)
    ann = history.add(new("We need another month"), STORY)
    assert on_disk(data_dir) == {ann.id: ann}

    change = history.undo(STORY)
    assert change == Change(((None, ann),), "add quote") and change.describe() == "add quote"
    assert store.annotation(ann.id) is None
    assert on_disk(data_dir) == {}

    assert history.redo(STORY) == change
    assert store.annotation(ann.id) == ann
    assert on_disk(data_dir) == {ann.id: ann}


def test_delete_then_undo_then_redo(store: Store, data_dir: Path) -> None:
    history = History(store)
    ann = history.add(new("Lena Holt", kind="actor"))
    assert history.delete(ann.id) == ann
    assert on_disk(data_dir) == {}

    change = history.undo()
    assert change is not None and change.describe() == "delete actor"
    assert on_disk(data_dir) == {ann.id: ann}
    assert store.annotation(ann.id) == ann

    history.redo()
    assert on_disk(data_dir) == {}
    assert store.annotations() == []


def test_undo_and_redo_restore_tombstones_exactly(store: Store) -> None:
    history = History(store)
    ann = history.add(new("Lena Holt", kind="actor"))
    history.undo()  # undoing an addition leaves no trace: nothing to carry to another library
    assert store.tags.deleted() == []
    history.redo()
    history.delete(ann.id)
    (tombstone,) = store.tags.deleted()
    history.undo()
    assert store.tags.deleted() == []
    history.redo()  # the deletion keeps the time it was first made
    assert store.tags.deleted() == [tombstone]


def test_edit_then_undo_then_redo(store: Store, data_dir: Path) -> None:
    history = History(store)
    ann = history.add(new("the silt has cut their catch by a third", kind="claim", note="unverified"))
    edited = history.edit(ann.edited(note="checked with the port authority"))
    assert on_disk(data_dir)[ann.id].note == "checked with the port authority"

    change = history.undo()
    assert change == Change(((ann, edited),), "edit claim") and change.describe() == "edit claim"
    assert on_disk(data_dir)[ann.id] == ann
    assert store.annotation(ann.id) == ann

    history.redo()
    assert on_disk(data_dir)[ann.id] == edited
    assert store.annotation(ann.id) == edited


def test_undo_walks_back_through_several_changes(store: Store, data_dir: Path) -> None:
    history = History(store)
    first = history.add(new("Lena Holt", kind="actor"))
    second = history.add(new("We need another month"))
    history.delete(first.id)
    assert set(on_disk(data_dir)) == {second.id}
    history.undo()
    assert set(on_disk(data_dir)) == {first.id, second.id}
    history.undo()
    assert set(on_disk(data_dir)) == {first.id}
    history.undo()
    assert on_disk(data_dir) == {}
    assert history.undo() is None
    for _ in range(3):
        history.redo()
    assert set(on_disk(data_dir)) == {second.id}
    assert history.redo() is None


def test_a_new_change_clears_redo(store: Store) -> None:
    history = History(store)
    history.add(new("Lena Holt", kind="actor"))
    history.undo()
    assert history.can_redo
    history.add(new("We need another month"))
    assert not history.can_redo
    assert history.redo() is None
    assert [a.exact for a in store.annotations()] == ["We need another month"]


def test_nothing_to_undo_or_redo(store: Store) -> None:
    history = History(store)
    assert not history.can_undo and not history.can_redo
    assert history.undo() is None
    assert history.redo() is None


def test_the_history_is_limited(store: Store) -> None:
    history = History(store, limit=2)
    for exact in ("Lena Holt", "We need another month", "Fishermen"):
        history.add(new(exact, kind="actor"))
    assert history.undo() is not None
    assert history.undo() is not None
    assert history.undo() is None
    assert [a.exact for a in store.annotations()] == ["Lena Holt"]


def test_a_failed_undo_stays_undoable(store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    history = History(store)
    ann = history.add(new("Lena Holt", kind="actor"))

    def fail(*args: object) -> None:
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as m:
        m.setattr(journal.os, "fdatasync", fail)  # the journal line is written but cannot be made durable
        with pytest.raises(StoreError, match="Input/output error"):
            history.undo()
    assert history.can_undo and not history.can_redo
    assert store.annotation(ann.id) == ann
    assert on_disk(data_dir) == {ann.id: ann}
    assert history.undo() is not None
    assert on_disk(data_dir) == {}


# --- one annotation of a kind per span: the policy the app and the command line share ----------------------------


def test_a_second_annotation_of_one_kind_and_span_is_refused(store: Store, data_dir: Path) -> None:
    history = History(store)
    first = history.add(new("We need another month"))
    with pytest.raises(
        DuplicateAnnotation, match=rf"“We need another month” is already tagged as a quote \({first.id[:8]}\)"
    ):
        history.add(new("We need another month"))
    with pytest.raises(DuplicateAnnotation) as caught:
        history.add(new("Lena Holt", kind="actor"), new_actors=(Actor.new("Lena Holt", "person"),))
        history.add(new("Lena Holt", kind="actor"))
    assert "is already tagged as an actor" in str(caught.value)  # the article fits the word
    assert caught.value.existing.kind == "actor"
    claim = history.add(new("We need another month", kind="claim"))  # another kind on the span is no duplicate
    assert existing_annotation(store, new("We need another month")) == first
    with pytest.raises(DuplicateAnnotation):
        history.edit(claim.edited(kind="quote"))  # nor may an edit make one
    assert sorted(a.kind for a in on_disk(data_dir).values()) == ["actor", "claim", "quote"]  # one of each


def test_deleting_several_is_one_step(store: Store, data_dir: Path) -> None:
    history = History(store)
    a, b = history.add(new("Lena Holt", kind="actor")), history.add(new("We need another month"))
    assert history.delete_many([a.id, b.id, a.id]) == [a, b]
    assert on_disk(data_dir) == {}
    change = history.undo()
    assert change is not None and change.label == "delete 2 annotations"
    assert set(on_disk(data_dir)) == {a.id, b.id}
    with pytest.raises(AnnotationError, match="no annotation"):
        history.delete_many([a.id, "0" * 36])
    assert set(on_disk(data_dir)) == {a.id, b.id}  # nothing deleted when one is missing


def test_an_edit_and_its_entry_retyped_are_one_step(store: Store, data_dir: Path) -> None:
    history = History(store)
    holt = Actor.new("Lena Holt", "person")
    mention = history.add(new("Lena Holt", kind="actor").edited(actor=holt.id), new_actors=(holt,))
    retyped = holt.edited(type="organisation")
    history.edit(mention, entry=retyped)  # the annotation unchanged: only its entry's type
    assert store.actor(holt.id) == retyped
    change = history.undo()
    assert change is not None and change.label == "edit type of Lena Holt"
    assert store.actor(holt.id) == holt
    history.edit(mention.edited(note="a board member"), entry=retyped)
    assert (store.annotation(mention.id).note, store.actor(holt.id).type) == ("a board member", "organisation")  # type: ignore[union-attr]
    history.undo()
    assert store.annotation(mention.id) == mention and store.actor(holt.id) == holt


def test_find_an_annotation_by_an_id_prefix(store: Store) -> None:
    history = History(store)
    ann = history.add(new("We need another month"))
    assert find_annotation(store, ann.id[:6].upper()) == ann
    assert find_annotation(store, f"  {ann.id} ") == ann
    assert find_annotation(store, ann.id[:1]) == ann  # any unique prefix, as for stories
    with pytest.raises(AnnotationError, match="no annotation with id"):
        find_annotation(store, "ffff0000")


# --- the acceptance scenario: ten mixed steps, undone and redone, every one saved ------------------------------


def export_of(store: Store) -> str:
    """The whole JSON export, tombstones included (undo and redo restore those exactly too)."""
    out = io.StringIO(newline="")
    export_json.write(store, out, select(store))
    return out.getvalue()


def build_other() -> Story:
    builder = StoryBuilder()
    builder.add("headline", "Port reopens after dredging")
    builder.add("paragraph", "Board chair Lena Holt said the channel was clear, the port authority said on Friday.")
    return builder.build(StoryMeta(headline=""))


OTHER = build_other()


def test_ten_mixed_steps_undo_to_the_same_export_and_redo_to_the_same_export(data_dir: Path) -> None:
    def at(story: Story, exact: str, kind: str, **fields: object) -> Annotation:
        start, end = locate(story, exact)
        return replace(Annotation.new(story, kind, start, end), **fields)  # type: ignore[arg-type]

    store = Store(data_dir)
    store.add_stories([STORY, OTHER])
    setup = History(store)
    holt = setup.add_actor(Actor.new("Lena Holt", "person"))
    setup.add(at(STORY, "Lena Holt", "actor", actor=holt.id))
    fishermen = setup.add(at(STORY, "the silt has cut their catch by a third", "claim", status="unverified"))
    setup.delete(setup.add(at(OTHER, "Board chair", "actor")).id)  # a tombstone before the steps
    before = export_of(store)
    assert len(json.loads(before)["deleted"]) == 1

    history = History(store)
    board = Actor.new("Port authority", "organisation")
    chair = Actor.new("L. Holt", "person")
    quote = history.add(at(STORY, "We need another month", "quote", speaker=holt.id, form="direct"))  # 1
    history.add(at(OTHER, "the port authority", "actor", actor=board.id), new_actors=(board,))  # 2 (composite)
    claim = history.add(at(OTHER, "the channel was clear", "claim", claimant=chair.id), new_actors=(chair,))  # 3
    history.edit(quote.edited(form="indirect", cue="said"))  # 4
    history.edit(store.annotation(claim.id).edited(status="disputed", note="dredger says otherwise"))  # 5
    history.edit(fishermen.edited(kind="quote", form="partial"))  # 6: a kind change drops the status
    history.delete(quote.id)  # 7
    history.edit_actor(board.edited(name="Portvale Port Authority", aliases=("port authority",)))  # 8: rename
    history.merge_actors(chair.id, holt.id)  # 9: merge
    history.add(at(OTHER, "Lena Holt", "actor", actor=holt.id))  # 10
    after = export_of(store)
    assert after != before
    data = json.loads(after)
    assert store.actor(claim.claimant) == store.actor(holt.id)  # the claim follows the merge
    assert {a["name"] for a in data["actors"]} == {"Lena Holt", "L. Holt", "Portvale Port Authority"}
    assert export_of(store) == after  # nothing volatile in an export
    assert len(json.loads(after)["deleted"]) == 2  # the quote deleted in step 7

    for _ in range(10):
        assert history.undo() is not None
    assert history.undo() is None
    assert export_of(store) == before
    with Store(data_dir, read_only=True) as fresh:  # every undo was saved as it happened
        assert export_of(fresh) == before

    for _ in range(10):
        assert history.redo() is not None
    assert history.redo() is None
    assert export_of(store) == after
    store.close()
    with Store(data_dir, read_only=True) as fresh:
        assert export_of(fresh) == after
