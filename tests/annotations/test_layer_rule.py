"""The layers' rule in `History`: another annotator's layer and `curated` are read-only; duplicates per layer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotations.history import DuplicateAnnotation, History
from annotations.layers import ALL, CURATED, Layers, ReadOnlyLayer, layers_of
from annotations.model import Annotation
from annotations.store import Store
from tests.annotations.test_history import STORY, new, on_disk
from tests.annotations.test_history import store as store  # the fixture

ANA = Layers("ana")


def by(annotator: str, exact: str = "We need another month", kind: str = "quote") -> Annotation:
    return replace(new(exact, kind), annotator=annotator)


def test_another_layer_is_refused_edit_retag_and_delete(store: Store) -> None:
    History(store).add(theirs := by("ben"))
    history = History(store, layers=ANA)
    with pytest.raises(ReadOnlyLayer, match=r"cannot edit “We need another month”: it is in ben's layer, read-only"):
        history.edit(theirs.edited(note="mine now"))
    with pytest.raises(ReadOnlyLayer, match=r"cannot retag .* ben's layer"):
        history.edit(replace(theirs, kind="claim"))
    with pytest.raises(ReadOnlyLayer, match="cannot delete"):
        history.delete(theirs.id)
    assert store.annotation(theirs.id) == theirs and not history.can_undo


def test_curated_is_read_only_outside_curation(store: Store, data_dir) -> None:
    History(store).add(settled := by(CURATED))
    mine = History(store).add(by("", "Fishermen", "actor"))
    history = History(store, layers=ANA)
    with pytest.raises(ReadOnlyLayer, match="the curated layer, written only in curation"):
        history.delete_many([mine.id, settled.id])
    assert set(on_disk(data_dir)) == {mine.id, settled.id}  # nothing deleted: not even the one allowed


def test_your_layer_holds_the_unnamed_and_machine_made(store: Store) -> None:
    history = History(store, layers=ANA)
    for name in ("ana", "", "wiredesk-suggest"):
        ann = history.add(by(name))
        history.edit(ann.edited(note="ok"))
        history.delete(ann.id)


def test_without_layers_nothing_changes(store: Store) -> None:
    ann = History(store).add(by("ben"))
    History(store).delete(ann.id)
    assert store.annotation(ann.id) is None


def test_a_duplicate_is_one_per_layer(store: Store) -> None:
    History(store).add(by("ben"))
    history = History(store, layers=ANA)
    mine = history.add(by("ana"))  # the same words as ben's: another layer
    with pytest.raises(DuplicateAnnotation):
        history.add(by(""))  # yours again
    assert History(store).existing(by("zoe")) is not None  # without layers: one per span, as before
    assert mine.id in {a.id for a in store.annotations(STORY.id)}


def test_layers_of_the_config() -> None:
    layers = layers_of({"annotator": "ana", "suggest_annotator": "desk-bot"})
    assert layers.me == "ana" and layers.editable(by("desk-bot")) and layers.editable(by("wiredesk-suggest"))
    assert layers.shows(by("ben"), ALL) and not layers.shows(by("ben"), "ana")
    assert not layers.solo and layers_of({"annotator": " "}).solo


def test_solo_one_analyst_owns_every_layer_but_curated(store: Store) -> None:
    solo = Layers("root", solo=True)  # no annotator named: the OS user name, a guess
    assert solo.names([by("ben"), by("tester"), by(CURATED)]) == ["root", CURATED]
    history = History(store, layers=solo)
    ann = History(store).add(by("tester"))
    history.edit(ann.edited(note="as before layers"))
    with pytest.raises(DuplicateAnnotation):
        history.add(by("ben"))
    History(store).add(settled := by(CURATED, "Fishermen", "actor"))
    with pytest.raises(ReadOnlyLayer):
        history.delete(settled.id)


def test_what_you_made_before_naming_yourself_stays_yours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotations.config.getpass.getuser", lambda: "ana-laptop")
    solo_work = by("ana-laptop")  # recorded under the OS user name while no annotator was named
    layers = layers_of({"annotator": "ana"})
    assert layers.of(solo_work) == "ana" and layers.editable(solo_work)
    assert layers.of(by("ben")) == "ben"
    assert layers_of({"annotator": "ana-laptop"}).before == frozenset()  # named as the OS user: nothing apart
