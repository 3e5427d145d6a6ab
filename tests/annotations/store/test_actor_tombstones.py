"""A deleted registry entry leaves a tombstone (so that sync carries the deletion); adding it again, or undoing
the deletion, removes it; a tombstone given to `Store.apply` is recorded as given."""

from __future__ import annotations

from pathlib import Path

from annotations.actors import Actor
from annotations.history import History
from annotations.store import Store


def test_deleting_an_entry_leaves_a_tombstone_and_undo_removes_it(data_dir: Path) -> None:
    with Store(data_dir) as store:
        history = History(store)
        actor = history.add_actor(Actor.new("Ada Quist", "person"))
        assert store.actor_tombstone(actor.id) is None
        history.delete_actor(actor.id)
        tomb = store.actor_tombstone(actor.id)
        assert tomb is not None and tomb["id"] == actor.id and tomb["modified"] == actor.modified
        history.undo()
        assert store.actor_tombstone(actor.id) is None and store.entry(actor.id) == actor
        history.redo()
    with Store(data_dir, read_only=True) as fresh:
        assert [t["id"] for t in fresh.actor_tombstones()] == [actor.id]


def test_a_given_actor_tombstone_is_recorded_as_given(data_dir: Path) -> None:
    with Store(data_dir) as store:
        actor = Actor.new("Ada Quist", "person")
        store.apply([(None, actor)])
        given = {"id": actor.id, "deleted": "2020-01-02T03:04:05Z", "modified": "2020-01-01T00:00:00Z"}
        store.apply([(actor, None)], actor_tombstones={actor.id: given})
        assert store.actor_tombstone(actor.id) == given
        store.apply([(None, actor)])
        assert store.actor_tombstone(actor.id) is None
