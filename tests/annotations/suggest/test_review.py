"""Accepting and rejecting suggestions: what is pending, what accepting stores and links, rejections that last."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotations.suggest as suggest_pkg
from annotations.actors import Actor
from annotations.history import History
from annotations.model import AnnotationError
from annotations.registry import Registry
from annotations.store import Store
from annotations.suggest.model import Suggestion
from annotations.suggest.review import Batch, accept, accept_all, pending, reject, to_annotation
from stories.model import Story
from tests.store_support import add_story, make_story, tag_text

STORY = make_story(
    "“We will not wait another year,” Mayor Ada Quist said on Monday.",
    "Quist told reporters the Harbour Agency had agreed. The Harbour Agency declined to comment.",
    "Thursday Talks resume next week, Quist said.",
)
OTHER = make_story(
    "Thursday Talks collapsed, the Harbour Agency said.",
    headline="Talks collapse",
)


def span(story: Story, exact: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = story.text.index(exact, start + 1)
    return start, start + len(exact)


def quote(story: Story = STORY, exact: str = "We will not wait another year", **fields: object) -> Suggestion:
    start, end = span(story, exact)
    values: dict[str, object] = {"speaker": "Ada Quist", "speaker_type": "person", "form": "direct", "cue": "said"}
    values.update(fields)
    return Suggestion("quote", start, end, exact, 0.9, "test", **values)  # type: ignore[arg-type]


def mention(story: Story = STORY, exact: str = "Harbour Agency", nth: int = 0, **fields: object) -> Suggestion:
    start, end = span(story, exact, nth)
    values: dict[str, object] = {"actor": exact, "actor_type": "organisation"}
    values.update(fields)
    return Suggestion("actor", start, end, exact, 0.8, "test", **values)  # type: ignore[arg-type]


def claim(story: Story = STORY) -> Suggestion:
    exact = "the Harbour Agency had agreed"
    start, end = span(story, exact)
    return Suggestion("claim", start, end, exact, 0.6, "test", claimant="Ada Quist", claimant_type="person")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "lib")
    add_story(s, STORY)
    add_story(s, OTHER)
    yield s
    s.close()


@pytest.fixture
def history(store: Store) -> History:
    return History(store)


# --- pending -----------------------------------------------------------------------------------------------


def test_pending_drops_suggestions_overlapping_an_annotation_of_their_kind(history: History) -> None:
    q, m = quote(), mention()
    history.add(tag_text(STORY, "not wait another", "quote"))  # overlaps the quote, not the same span
    assert pending(history.store, STORY, [q, m]) == [m]


def test_pending_keeps_suggestions_overlapping_an_annotation_of_another_kind(history: History) -> None:
    q = quote()
    history.add(tag_text(STORY, "We will not wait another year", "claim"))
    assert pending(history.store, STORY, [q]) == [q]


def test_pending_without_a_list_asks_the_suggester(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Registry] = []

    def fake(story: Story, registry: Registry, nlp: object = None) -> list[Suggestion]:
        seen.append(registry)
        return [mention(nth=1), mention()]

    monkeypatch.setattr(suggest_pkg, "suggest", fake)
    assert pending(store, STORY) == [mention(), mention(nth=1)]  # in text order
    registry = Registry.of(store)
    pending(store, STORY, registry=registry)
    assert seen[-1] is registry


def test_pending_is_in_text_order(store: Store) -> None:
    items = [claim(), mention(nth=1), quote(), mention()]
    assert [s.start for s in pending(store, STORY, items)] == sorted(s.start for s in items)


# --- accept ------------------------------------------------------------------------------------------------


def test_accept_stores_a_quote_linked_to_a_new_speaker_in_one_step(history: History) -> None:
    store = history.store
    [ann] = accept(history, STORY, [quote()], annotator="tester")
    speaker = store.actor(ann.speaker)
    assert speaker is not None and (speaker.name, speaker.type) == ("Ada Quist", "person")
    assert (ann.kind, ann.exact, ann.form, ann.cue, ann.annotator) == (
        "quote",
        "We will not wait another year",
        "direct",
        "said",
        "tester",
    )
    assert ann.created == ann.modified  # a fresh annotation, not an edited one (merging tells them apart)
    assert store.annotations(STORY.id) == [ann]
    history.undo()
    assert store.annotations(STORY.id) == [] and store.actor(ann.speaker) is None


def test_accept_is_saved_at_once(tmp_path: Path) -> None:
    with Store(tmp_path / "lib") as store:
        add_story(store, STORY)
        accept(History(store), STORY, [quote(), mention()], annotator="tester")
    with Store(tmp_path / "lib", read_only=True) as again:
        assert sorted(a.kind for a in again.annotations(STORY.id)) == ["actor", "quote"]


def test_a_name_several_suggestions_give_gets_one_new_entry(history: History) -> None:
    anns = accept(history, STORY, [mention(), mention(nth=1), quote(), claim()], annotator="t")
    store = history.store
    assert [a.name for a in store.actors()] == ["Ada Quist", "Harbour Agency"]
    agency = next(a for a in store.actors() if a.name == "Harbour Agency")
    assert agency.type == "organisation"
    assert {a.actor for a in anns if a.kind == "actor"} == {agency.id}
    quist = {a.speaker for a in anns if a.kind == "quote"} | {a.claimant for a in anns if a.kind == "claim"}
    assert len(quist) == 1 and None not in quist


def test_accept_links_an_existing_entry_by_name_or_alias(history: History) -> None:
    entry = history.add_actor(Actor.new("Ada Quist", "person", aliases=("Mayor Quist",)))
    [ann] = accept(history, STORY, [quote(speaker="mayor quist")], annotator="t")
    assert ann.speaker == entry.id and len(history.store.actors()) == 1


def test_accept_follows_the_suggesters_registry_id(history: History) -> None:
    entry = history.add_actor(Actor.new("Ada Quist", "person"))
    [ann] = accept(history, STORY, [quote(speaker="Someone Else", speaker_id=entry.id)], annotator="t")
    assert ann.speaker == entry.id


def test_a_quote_without_a_speaker_is_stored_without_one(history: History) -> None:
    [ann] = accept(history, STORY, [quote(speaker="")], annotator="t")
    assert ann.speaker is None and history.store.actors() == []


def test_an_ambiguous_name_is_left_unlinked(store: Store) -> None:
    # two entries answering to one name (a library merged from two): the analyst links it by hand
    registry = Registry(
        [Actor.new("Ada Quist", "person", aliases=("Quist",)), Actor.new("Bo Quist", aliases=("Quist",))]
    )
    ann, new = to_annotation(store, STORY, quote(speaker="Quist"), annotator="t", batch=Batch(registry))
    assert ann.speaker is None and new == ()


def test_accept_skips_spans_already_tagged_and_twice_adds_nothing(history: History) -> None:
    q, m = quote(), mention()
    history.add(tag_text(STORY, "We will not wait another year", "quote"))
    assert [a.kind for a in accept(history, STORY, [q, m, m], annotator="t")] == ["actor"]
    steps = len(history._undo)
    assert accept(history, STORY, [q, m], annotator="t") == []
    assert len(history._undo) == steps  # nothing to do: no step


def test_an_actor_mention_spelled_anew_becomes_an_alias(history: History) -> None:
    entry = history.add_actor(Actor.new("Harbour Agency of Norland", "organisation"))
    [ann] = accept(history, STORY, [mention(actor_id=entry.id)], annotator="t")
    stored = history.store.actor(entry.id)
    assert ann.actor == entry.id and stored is not None and stored.aliases == ("Harbour Agency",)
    history.undo()
    assert history.store.actor(entry.id).aliases == ()  # type: ignore[union-attr]


def test_accepting_a_stale_suggestion_stores_nothing(history: History) -> None:
    good, bad = quote(), Suggestion("quote", 0, 5, "Nope!", 0.9)
    with pytest.raises(AnnotationError, match="does not match"):
        accept(history, STORY, [good, bad], annotator="t")
    assert history.store.annotations(STORY.id) == [] and not history.can_undo


def test_to_annotation_stores_nothing(store: Store) -> None:
    ann, new = to_annotation(store, STORY, quote(), annotator="t")
    assert [a.name for a in new] == ["Ada Quist"] and ann.speaker == new[0].id
    assert store.annotations(STORY.id) == [] and store.actors() == []


def test_to_annotation_with_one_batch_makes_one_entry_per_name(store: Store) -> None:
    batch = Batch(Registry.of(store))
    first = to_annotation(store, STORY, quote(), annotator="t", batch=batch)
    second = to_annotation(store, STORY, claim(), annotator="t", batch=batch)
    assert len(first[1]) == 1 and second[1] == () and second[0].claimant == first[0].speaker


# --- reject ------------------------------------------------------------------------------------------------


def test_a_rejected_suggestion_is_not_pending_after_a_restart(tmp_path: Path) -> None:
    q, m = quote(), mention()
    with Store(tmp_path / "lib") as store:
        add_story(store, STORY)
        reject(History(store), STORY, [q])
    with Store(tmp_path / "lib") as store:
        assert pending(store, STORY, [q, m]) == [m]


def test_a_rejected_pattern_is_hidden_in_every_story(history: History) -> None:
    talks = mention(exact="Thursday Talks", actor_type="group")
    elsewhere = mention(OTHER, exact="Thursday Talks", actor_type="group")
    agency = mention(OTHER)
    reject(history, STORY, [talks])
    assert pending(history.store, OTHER, [elsewhere, agency]) == [agency]
    assert pending(history.store, STORY, [mention(exact="THURSDAY TALKS".title())]) == []


def test_undo_of_a_reject_brings_the_suggestions_back(history: History) -> None:
    q, m = quote(), mention()
    reject(history, STORY, [q, m])
    assert pending(history.store, STORY, [q, m]) == []
    change = history.undo()
    assert change is not None and change.describe() == "reject 2 suggestions"
    assert pending(history.store, STORY, [q, m]) == [q, m]
    history.redo()
    assert pending(history.store, STORY, [q, m]) == []


def test_rejecting_twice_keeps_one_record_and_makes_no_second_step(history: History) -> None:
    reject(history, STORY, [quote()])
    reject(history, STORY, [quote()])
    assert len(history.store.rejections(STORY.id)) == 1 and len(history._undo) == 1


def test_rejecting_a_stale_suggestion_is_refused(history: History) -> None:
    with pytest.raises(AnnotationError, match="does not match"):
        reject(history, STORY, [Suggestion("actor", 0, 5, "Nope!", 0.5)])
    assert history.store.rejections() == []


def test_a_name_that_looks_like_an_id_prefix_is_read_as_a_name(history: History) -> None:
    entry = history.add_actor(Actor.new("Harbour Agency", "organisation"))
    hexname = entry.id[:4]
    story = make_story(f"“We are ready,” {hexname} said.")
    add_story(history.store, story)
    [ann] = accept(history, story, [quote(story, "We are ready", speaker=hexname)], annotator="t")
    assert ann.speaker != entry.id and history.store.actor(ann.speaker).name == hexname  # type: ignore[union-attr]


def test_a_new_spelling_two_entries_meet_in_one_batch_becomes_an_alias_of_the_first_only(history: History) -> None:
    one = history.add_actor(Actor.new("Harbour Agency of Norland", "organisation"))
    two = history.add_actor(Actor.new("Harbour Agency of Vesland", "organisation"))
    accept(history, STORY, [mention(actor_id=one.id), mention(nth=1, actor_id=two.id)], annotator="t")
    aliases = {a.name: a.aliases for a in history.store.actors()}
    assert aliases == {one.name: ("Harbour Agency",), two.name: ()}


# --- accepting everything ----------------------------------------------------------------------------------


def test_accept_all_passes_again_until_no_name_is_added_so_a_second_run_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    early = make_story("Quist spoke first, at the harbour.", headline="Early")
    late = make_story("Mayor Ada Quist spoke later.", headline="Late")

    def by_registry(story: Story, registry: Registry, nlp: object = None) -> list[Suggestion]:
        """The full name anywhere; the surname only once the registry knows its person (as the real one does)."""
        found = []
        if "Ada Quist" in story.text:
            found.append(mention(story, "Ada Quist", actor="Ada Quist", actor_type="person"))
        elif "Quist" in story.text and (hit := registry.lookup("Ada Quist").actor) is not None:
            found.append(mention(story, "Quist", actor="Ada Quist", actor_type="person", actor_id=hit.id))
        return found

    monkeypatch.setattr(suggest_pkg, "suggest", by_registry)
    store = Store(tmp_path / "lib")
    try:
        add_story(store, early)
        add_story(store, late)
        history = History(store)
        first = [
            (story.id, [s.exact for s in found])
            for story, found in accept_all(history, [early.id, late.id], annotator="t")
        ]
        assert first == [(late.id, ["Ada Quist"]), (early.id, ["Quist"])]  # the early story, on the second pass
        assert store.annotations(early.id)[0].actor == store.annotations(late.id)[0].actor
        assert list(accept_all(history, [early.id, late.id], annotator="t")) == []
    finally:
        store.close()
