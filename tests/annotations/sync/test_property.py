"""Random concurrent edits by two and three annotators, each syncing when it likes (hypothesis): after everyone
syncs twice, every library is the same (curation decisions included), and every edit nobody overwrote after seeing
it is in the libraries or listed as a conflict. Only git is started: a bare repository in a temp dir."""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import claim_threads
from annotations.actors import Actor
from annotations.history import History
from annotations.layers import Layers
from annotations.model import Annotation
from annotations.store import Store
from annotations.store.decisions import Decision
from annotations.sync.engine import sync
from annotations.sync.records import is_tombstone
from tests.store_support import make_story
from tests.sync_support import bare_repo

STORY = make_story(
    "Ministers met in Ankara on Monday to discuss the budget and the new rail line to the coast.",
    "The opposition said the plan would cost too much, and the unions said they would strike.",
)
WORDS = [
    (m, m + len(w)) for m, w in ((STORY.text.index(w), w) for w in ("Ministers", "Ankara", "budget", "rail", "unions"))
]
ACTIONS = (
    "add",
    "edit",
    "delete",
    "actor",
    "actor_edit",
    "actor_delete",
    "actor_merge",
    "link",
    "unlink",
    "decide",
    "undecide",
    "sync",
)


@dataclass
class Edit:
    """One edit: of which record, to what value (a note, or "deleted"), and which edits its maker had seen."""

    key: tuple[str, str]
    value: str
    seen: frozenset[int]


@dataclass
class Team:
    stores: dict[str, Store]
    remote: Path
    edits: list[Edit] = field(default_factory=list)
    seen: dict[str, set[int]] = field(default_factory=dict)
    pushed: set[int] = field(default_factory=set)
    counter: itertools.count = field(default_factory=itertools.count)

    def made(self, who: str, key: tuple[str, str], value: str) -> None:
        self.edits.append(Edit(key, value, frozenset(self.seen[who])))
        self.seen[who].add(len(self.edits) - 1)

    def sync(self, who: str) -> None:
        sync(self.stores[who], who, remote=str(self.remote))
        self.seen[who] |= self.pushed
        self.pushed |= self.seen[who]

    def act(self, who: str, action: str, pick: int) -> None:
        store = self.stores[who]
        mine = [a for a in store.annotations() if Layers(who).of(a) == who]
        actors = store.actors(include_merged=True)
        token = f"{who}-{next(self.counter)}"
        if action == "add":
            start, end = WORDS[pick % len(WORDS)]
            kind = "claim" if pick % 3 == 0 else "quote"  # claims to link into threads
            speaker = actors[pick % len(actors)].id if actors and pick % 2 and kind == "quote" else None
            ann = Annotation.new(STORY, kind, start, end, note=token, annotator=who)
            ann = Annotation(**{**ann.__dict__, "speaker": speaker})
            store.apply([(None, ann)])
            self.made(who, ("ann", ann.id), token)
        elif action in ("edit", "delete") and mine:
            ann = mine[pick % len(mine)]
            store.apply([(ann, ann.edited(note=token) if action == "edit" else None)])
            self.made(who, ("ann", ann.id), token if action == "edit" else "deleted")
        elif action == "actor":
            actor = Actor.new(f"Actor {token}", "person", note=token)
            store.apply([(None, actor)])
            self.made(who, ("actor", actor.id), token)
        elif action in ("actor_edit", "actor_delete") and actors:
            actor = actors[pick % len(actors)]
            if action == "actor_edit":
                store.apply([(actor, actor.edited(note=token))])
            else:
                History(store).delete_actor(actor.id)
            self.made(who, ("actor", actor.id), token if action == "actor_edit" else "deleted")
        elif action == "actor_merge" and len(live := [a for a in actors if not a.merged_into]) > 1:
            source, target = live[pick % len(live)], live[(pick + 1) % len(live)]
            History(store).merge_actors(source.id, target.id)  # structure, not a value: checked by convergence
        elif action == "link" and (claims := [a for a in store.annotations() if a.kind == "claim"]):
            threads = store.threads()  # structure, not a value: checked by convergence
            target = threads[pick % len(threads)].id if threads and pick % 2 else None
            statuses = ("asserted", "denied", "confirmed")
            claim_threads.link(History(store), claims[pick % len(claims)], target, status=statuses[pick % 3])
        elif action == "unlink" and (linked := [a for t in store.threads() for a in t.ids]):
            claim_threads.unlink(History(store), linked[pick % len(linked)])
        elif action == "decide":  # a curator's decision of an item: a rejection, or an agreement copied (its id)
            start, end = WORDS[pick % len(WORDS)]
            kind = ("quote", "claim")[pick % 2]
            how = "rejected" if pick % 3 else "agreed"
            source, curated = ("", "") if how == "rejected" else (who, "0f" * 16)
            made = Decision.new(STORY.id, kind, start, end, STORY.text[start:end], how, source, curated)
            store.apply([(store.decision(made.id), made)])
            self.made(who, ("decision", made.id), how)
        elif action == "undecide" and (decided := store.decisions(STORY.id)):
            undone = decided[pick % len(decided)]  # undo: the decision deleted
            store.apply([(undone, None)])
            self.made(who, ("decision", undone.id), "deleted")
        elif action == "sync":
            self.sync(who)


def library(store: Store) -> dict[str, Any]:
    """What must be the same in every library: the registry, the annotations (each as its layer has it), the claim
    threads (title, claims and their statuses), the open conflicts."""
    anns = {}
    for ann in store.annotations():
        data = ann.to_dict()
        data["annotator"] = Layers("?").of(ann) if ann.annotator else "?"
        anns[ann.id] = data
    actors = {a.id: a.to_dict() for a in store.actors(include_merged=True)}
    threads = {t.id: (t.title, {m.annotation: m.status for m in t.members}) for t in store.threads()}
    conflicts = sorted(c["id"] for c in store.sync.conflicts)
    decisions = {d.id: d.to_dict() for d in store.decisions(STORY.id)}
    return {
        "annotations": anns,
        "actors": actors,
        "threads": threads,
        "conflicts": conflicts,
        "decisions": decisions,
    }


def value_now(store: Store, key: tuple[str, str]) -> str | None:
    kind, ident = key
    if kind == "decision":
        made = store.decision(ident)
        return made.decision if made is not None else "deleted" if store.decision_tombstone(ident) else None
    if kind == "ann":
        ann = store.annotation(ident)
        return ann.note if ann is not None else "deleted" if store.tombstone(ident) else None
    actor = store.entry(ident)
    return actor.note if actor is not None else "deleted" if store.actor_tombstone(ident) else None


def in_conflicts(store: Store, key: tuple[str, str], value: str) -> bool:
    for conflict in store.sync.conflicts:
        if conflict["record"] != key[1]:
            continue
        for side in (conflict["ours"], conflict["theirs"]):
            if (
                isinstance(side, dict)
                and ("deleted" if is_tombstone(side) else side.get("note", side.get("decision"))) == value
            ):
                return True
    return False


def run_team(names: list[str], steps: list[tuple[int, str, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        stores = {name: Store(root / name) for name in names}
        try:
            for store in stores.values():
                store.add_stories([STORY])
            team = Team(stores, bare_repo(root / "team.git"), seen={n: set() for n in names})
            for who, action, pick in steps:
                team.act(names[who % len(names)], action, pick)
            for _ in range(2):
                for name in names:
                    team.sync(name)
            first = library(stores[names[0]])
            for name in names[1:]:
                assert library(stores[name]) == first, f"{name}'s library differs from {names[0]}'s"
            store = stores[names[0]]
            for number, edit in enumerate(team.edits):
                overwritten = any(number in later.seen for later in team.edits if later.key == edit.key)
                now = value_now(store, edit.key)
                if not overwritten and not (now is None and edit.value == "deleted"):  # None: never shared
                    assert now == edit.value or in_conflicts(store, edit.key, edit.value), edit
        finally:
            for store in stores.values():
                store.close()


STEPS = st.lists(st.tuples(st.integers(0, 2), st.sampled_from(ACTIONS), st.integers(0, 40)), max_size=14)


@settings(max_examples=6)
@given(steps=STEPS)
def test_two_annotators_converge_and_lose_no_edit(steps: list[tuple[int, str, int]]) -> None:
    run_team(["ada", "ben"], steps)


@settings(max_examples=4)
@given(steps=STEPS)
def test_three_annotators_converge_and_lose_no_edit(steps: list[tuple[int, str, int]]) -> None:
    run_team(["ada", "ben", "cem"], steps)
