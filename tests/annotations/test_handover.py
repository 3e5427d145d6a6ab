"""The command line's steps handed to the app's undo history (`annotations.handover`): undone newest first, only
while what they wrote is still there, and a damaged or odd steps file gives none."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.actors import Actor
from annotations.handover import MAX_STEPS, STEPS_FILE
from annotations.history import History
from annotations.model import AnnotationError
from annotations.store import Store
from tests.annotations.test_history import STORY, new
from tests.store_support import add_story


@pytest.fixture(autouse=True)
def _story(store: Store) -> None:
    """The store (tests/store_support.py) holds the story the annotations are of."""
    add_story(store, STORY)


def test_steps_of_the_command_line_are_undone_by_the_next_history(store: Store, data_dir: Path) -> None:
    cli = History(store, hand_over=True)
    voss = Actor.new("Ellen Voss", "person")
    ann = cli.add(new("We need another month").edited(speaker=voss.id), new_actors=(voss,))
    cli.edit(ann.edited(note="checked"))
    cli.delete(ann.id)
    app = History(store)
    assert app.adopt() == 3
    app.undo()
    assert store.annotation(ann.id).note == "checked"  # type: ignore[union-attr]
    app.undo()
    assert store.annotation(ann.id) == ann
    change = app.undo()
    assert change is not None and change.describe() == "add quote (command line)"
    assert store.annotation(ann.id) is None and store.actor(voss.id) is None
    assert not (data_dir / STEPS_FILE).exists()  # each undone step left the file
    assert History(store).adopt() == 0
    app.redo()
    assert store.annotation(ann.id) == ann  # redo as for any step


def test_a_step_changed_since_is_not_undone(store: Store) -> None:
    ann = History(store, hand_over=True).add(new("We need another month"))
    History(store).edit(ann.edited(note="a later change, not from the command line"))
    app = History(store)
    app.adopt()
    with pytest.raises(AnnotationError, match="changed since"):
        app.undo()
    assert store.annotation(ann.id).note == "a later change, not from the command line"  # type: ignore[union-attr]
    assert app.undo() is None and History(store).adopt() == 0  # dropped, never tried again


def test_only_the_last_steps_are_kept(store: Store) -> None:
    cli = History(store, hand_over=True)
    ann = cli.add(new("We need another month"))
    for n in range(MAX_STEPS + 5):
        cli.edit(ann.edited(note=str(n)))
    assert History(store).adopt() == MAX_STEPS
