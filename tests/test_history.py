"""Undo and redo: every step is saved at once, and a new change clears what could be redone."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import journal
from annotations.anchor import locate
from annotations.history import Change, History
from annotations.model import Annotation
from annotations.store import Store, StoreError
from stories.model import Story, StoryBuilder, StoryMeta


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
        s.add_story(STORY)
        yield s


def test_add_then_undo_then_redo_each_saved_at_once(store: Store, data_dir: Path) -> None:
    history = History(store)
    ann = history.add(new("We need another month"), STORY)
    assert on_disk(data_dir) == {ann.id: ann}

    change = history.undo(STORY)
    assert change == Change(None, ann) and change.describe() == "add quote"
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


def test_edit_then_undo_then_redo(store: Store, data_dir: Path) -> None:
    history = History(store)
    ann = history.add(new("the silt has cut their catch by a third", kind="claim", note="unverified"))
    edited = history.edit(ann.edited(note="checked with the port authority"))
    assert on_disk(data_dir)[ann.id].note == "checked with the port authority"

    change = history.undo()
    assert change == Change(ann, edited) and change.describe() == "edit claim"
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
