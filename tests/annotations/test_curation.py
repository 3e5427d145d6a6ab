"""Curation (`annotations.curation`): agreed items go into `curated` when curation starts, once; the rest are open
items with who said what; accept, edit, reject, each one undoable step, remembered; a story is curated when
nothing is left."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.config import ConfigError
from annotations.curation import accept, curation_policy, find_item, reject, start, state, version_line
from annotations.history import DuplicateAnnotation, History
from annotations.layers import CURATED, Layers
from annotations.library_index import LibraryIndex, parse_filter
from annotations.model import AnnotationError
from annotations.store import Store
from annotations.store.decisions import Decision
from tests.annotations.curation_support import CLAIM, SAID, TwoLayers, tag, two_layers

CURATOR = Layers("carol")


def _curated(store: Store, story_id: str) -> list[tuple[str, str, str]]:
    return [(a.kind, a.exact, a.annotator) for a in store.annotations(story_id) if a.annotator == CURATED]


@pytest.fixture
def lib(tmp_path: Path) -> TwoLayers:
    return two_layers(tmp_path / "lib")


def test_the_agreed_items_go_into_curated_when_curation_starts_and_only_once(lib: TwoLayers) -> None:
    store, sid = lib.store, lib.story.id
    before = state(store, sid, CURATOR)
    assert store.curated_stories() == set()
    assert before.annotators == ("alice", "bob")
    assert [i.kind for i in before.agreed] == ["quote", "actor"]  # text order: the quote holds the name
    assert not before.curated
    history = History(store)
    copied = start(history, sid, CURATOR)
    assert {(a.kind, a.exact) for a in copied} == {(i.kind, i.exact) for i in before.agreed}
    quote = next(a for a in copied if a.kind == "quote")
    assert quote.speaker == lib.erdogan.id and quote.form == "direct" and quote.annotator == CURATED
    assert all(store.annotation(a.id) == a for a in copied)  # new annotations, the annotators' left as they were
    assert len([a for a in store.annotations(sid) if a.annotator in ("alice", "bob")]) == 9
    assert start(history, sid, CURATOR) == []  # idempotent
    assert len(_curated(store, sid)) == 2
    assert {d.decision for d in store.decisions(sid)} == {"agreed"}
    # undone as one step; started again, copied again (the decisions went with the undo)
    history.undo()
    assert _curated(store, sid) == [] and store.decisions(sid) == []
    assert len(start(history, sid, CURATOR)) == 2


def test_a_curated_annotation_deleted_is_not_copied_again(lib: TwoLayers) -> None:
    store, sid = lib.store, lib.story.id
    history = History(store)
    copied = start(history, sid, CURATOR)
    history.delete(copied[0].id)
    assert start(history, sid, CURATOR) == []  # the decision stays: never twice
    assert len(_curated(store, sid)) == 1


def test_open_items_list_who_said_what(lib: TwoLayers) -> None:
    store, sid = lib.store, lib.story.id
    start(History(store), sid, CURATOR)
    items = state(store, sid, CURATOR).open
    assert [(i.kind, [v.annotator for v in i.versions], list(i.missing)) for i in items] == [
        ("quote", ["alice", "bob"], []),  # a speaker different
        ("claim", ["alice", "bob"], []),  # a status different
        ("quote", ["alice"], ["bob"]),  # only alice found it
    ]
    speaker = items[0]
    lines = {v.annotator: version_line(store, v.annotation) for v in speaker.versions}
    assert lines == {"alice": "speaker Mevlüt Çavuşoğlu, direct", "bob": "speaker Recep Tayyip Erdoğan, direct"}
    assert version_line(store, items[1].versions[1].annotation) == "no claimant, disputed"
    assert find_item(items, items[1].id[:8]) is items[1]
    with pytest.raises(AnnotationError, match="no open curation item"):
        find_item(items, "zzzz")


def test_accept_edit_reject_empty_the_list_and_the_story_is_curated(lib: TwoLayers) -> None:
    store, sid = lib.store, lib.story.id
    history = History(store)
    start(history, sid, CURATOR)
    speaker, claim, only = state(store, sid, CURATOR).open
    made = accept(history, speaker, "bob")
    assert made.annotator == CURATED and made.speaker == lib.erdogan.id and made.id != speaker.versions[1].annotation.id
    edited = accept(history, claim, "alice", edited=claim.versions[0].annotation.edited(status="false", note="see AA"))
    assert (edited.status, edited.note, edited.annotator) == ("false", "see AA", CURATED)
    with pytest.raises(AnnotationError, match="'bob' has no quote there"):
        accept(history, only, "bob")
    reject(history, only)
    after = state(store, sid, CURATOR)
    assert after.open == () and after.agreed == () and after.curated
    assert {d.decision: d.source for d in store.decisions(sid)} == {
        "agreed": "alice,bob",
        "accepted": "bob",
        "edited": "alice",
        "rejected": "",
    }
    assert sorted(_curated(store, sid)) == sorted(
        [
            ("actor", "Erdoğan", CURATED),
            ("quote", speaker.exact, CURATED),
            ("quote", SAID[: SAID.index(" Erdoğan")], CURATED),
            ("claim", CLAIM, CURATED),
        ]
    )
    assert LibraryIndex(store).select(parse_filter("is:curated")).only == {sid}
    with pytest.raises(AnnotationError, match="settled already"):
        reject(history, speaker)
    # each decision is one step: undo the rejection, the item is open again; redo settles it again
    history.undo()
    assert [i.id for i in state(store, sid, CURATOR).open] == [only.id]
    assert LibraryIndex(store).select(parse_filter("is:cur")).only == set()
    history.redo()
    assert state(store, sid, CURATOR).curated


def test_undo_of_an_accept_takes_the_curated_copy_and_the_decision_back(lib: TwoLayers) -> None:
    store, sid = lib.store, lib.story.id
    history = History(store)
    start(history, sid, CURATOR)
    speaker = state(store, sid, CURATOR).open[0]
    made = accept(history, speaker, "alice")
    history.undo()
    assert store.annotation(made.id) is None and store.decision(speaker.id) is None
    assert speaker.id in {i.id for i in state(store, sid, CURATOR).open}


def test_majority_needs_more_than_half_and_at_least_two(tmp_path: Path) -> None:
    lib = two_layers(tmp_path / "lib")
    store, story = lib.store, lib.story
    # a third annotator agrees with alice on the speaker and the claim
    speaker = state(store, story.id, CURATOR).open[0]
    third = [
        tag(story, "dan", speaker.exact, "quote", speaker=lib.cavusoglu.id, form="direct"),
        tag(story, "dan", CLAIM, "claim", status="unverified"),
    ]
    store.apply([(None, a) for a in third])
    assert [i.kind for i in state(store, story.id, CURATOR).agreed] == []  # `all`: dan tagged neither agreed one
    majority = state(store, story.id, CURATOR, "majority")
    chosen = {i.kind: (i.agreed.annotator if i.agreed else None) for i in majority.agreed}
    assert chosen == {"quote": "alice", "actor": "alice", "claim": "alice"}  # 2 of 3, each
    assert [i.kind for i in majority.open] == ["quote"]  # alice alone: not a majority
    copied = start(History(store), story.id, CURATOR, "majority")
    assert {a.kind for a in copied} == {"quote", "actor", "claim"}
    assert next(a for a in copied if a.exact == speaker.exact).speaker == lib.cavusoglu.id


def test_one_annotator_alone_is_no_agreement(tmp_path: Path) -> None:
    lib = two_layers(tmp_path / "lib")
    store = lib.store
    store.apply([(a, None) for a in store.annotations(lib.story.id) if a.annotator == "bob"])
    found = state(store, lib.story.id, CURATOR)
    assert found.agreed == () and len(found.open) == 5 and found.annotators == ("alice",)


def test_the_curators_own_layer_counts_and_a_merged_entry_compares_as_its_target(tmp_path: Path) -> None:
    lib = two_layers(tmp_path / "lib")
    store = lib.store
    history = History(store)
    # bob's speaker of the second quote, Erdoğan, merged into Çavuşoğlu: now they agree
    history.merge_actors(lib.erdogan.id, lib.cavusoglu.id)
    kinds = [i.kind for i in state(store, lib.story.id, Layers("alice")).agreed]
    assert kinds == ["quote", "actor", "quote"]


def test_curated_is_a_layer_apart_for_the_duplicate_rule(lib: TwoLayers) -> None:
    store, sid = lib.store, lib.story.id
    history = History(store)
    start(history, sid, CURATOR)
    speaker = state(store, sid, CURATOR).open[0]
    accept(history, speaker, "alice")
    again = tag(lib.story, CURATED, speaker.exact, "quote")
    with pytest.raises(DuplicateAnnotation):
        history.add(again)
    with pytest.raises(DuplicateAnnotation):  # an annotator's layer still holds one of a kind per span
        history.add(tag(lib.story, "alice", speaker.exact, "quote"))


def test_the_policy_comes_from_the_config() -> None:
    assert curation_policy({}) == "all"
    assert curation_policy({"curation": "majority"}) == "majority"
    with pytest.raises(ConfigError, match='curation must be "all" or "majority"'):
        curation_policy({"curation": "most\x1b[31m"})
    with pytest.raises(AnnotationError, match="unknown curation policy"):
        state(Store.__new__(Store), "x", CURATOR, "some")


def test_a_decision_is_stored_and_checked_like_a_rejection(lib: TwoLayers) -> None:
    store, story = lib.store, lib.story
    start_ = story.text.index(CLAIM)
    good = Decision.new(story.id, "claim", start_, start_ + len(CLAIM), CLAIM, "rejected", "", "")
    with pytest.raises(AnnotationError, match="does not match the story text"):
        store.apply([(None, Decision.new(story.id, "claim", start_, start_ + 3, "xyz", "rejected", "", ""))])
    with pytest.raises(AnnotationError, match="unknown curation decision"):
        Decision.new(story.id, "claim", start_, start_ + 3, "xyz", "maybe", "", "")
    with pytest.raises(AnnotationError, match="names its curated annotation"):
        Decision.new(story.id, "claim", start_, start_ + 3, "xyz", "accepted", "bob", "")
    store.apply([(None, good)])
    path = store.data_dir
    store.close()
    again = Store(path)
    again.load_annotations()
    assert again.decisions(story.id) == [good] and again.decision(good.id) == good
    again.close()


def test_an_undone_decision_leaves_a_tombstone_that_a_redo_takes_away(lib: TwoLayers) -> None:
    """So that sync carries the undo to the other libraries (`annotations.sync`), as an annotation's deletion."""
    store, sid = lib.store, lib.story.id
    history = History(store)
    start(history, sid, CURATOR)
    only = state(store, sid, CURATOR).open[2]
    made = reject(history, only)
    assert store.decision_tombstone(made.id) is None
    history.undo()
    tomb = store.decision_tombstone(made.id)
    assert tomb is not None and (tomb["story_id"], tomb["modified"]) == (sid, made.created)
    path = store.data_dir
    store.close()
    again = Store(path)
    again.load_annotations()
    assert again.decision_tombstones() == [tomb]
    again.apply([(None, made)])  # decided again (a redo): the tombstone goes
    assert again.decision_tombstone(made.id) is None and again.decision(made.id) == made
    again.close()
