"""The actor registry: finding entries, editing them, and how links to them behave through merge, rename and
delete (each one undoable step)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotations.actors import Actor, fold_name, rank_actors
from annotations.anchor import locate
from annotations.history import History
from annotations.model import Annotation, AnnotationError
from annotations.registry import Registry
from annotations.store import Store
from stories.model import Story, StoryBuilder, StoryMeta
from tests.store_support import add_story


def build_story() -> Story:
    builder = StoryBuilder()
    builder.add("headline", "Caracas braces for talks")
    builder.add("paragraph", "“We are ready for dialogue,” President Nicolás Maduro said on Sunday.")
    builder.add("paragraph", "Maduro added that the talks would start in March, officials said.")
    return builder.build(StoryMeta(headline=""))


STORY = build_story()


def new(exact: str, kind: str, occurrence: int = 1, **fields: object) -> Annotation:
    start, end = locate(STORY, exact, occurrence)
    return replace(Annotation.new(STORY, kind, start, end), **fields)  # type: ignore[arg-type]


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        add_story(s, STORY)
        yield s


def registry(store: Store) -> dict[str, Actor]:
    return dict(store.tags.registry)


def on_disk(data_dir: Path) -> tuple[dict[str, Annotation], dict[str, Actor]]:
    """Annotations and registry as a fresh read-only Store reads them from the files now."""
    with Store(data_dir, read_only=True) as fresh:
        return {a.id: a for a in fresh.annotations()}, dict(fresh.tags.registry)


# --- finding entries --------------------------------------------------------------------------------------------

MADURO = Actor.new("Nicolás Maduro", "person", aliases=("Nicolas Maduro Moros",))
MORENO = Actor.new("Nicolás Moreno", "person")
MINISTRY = Actor.new("Foreign Ministry", "government", aliases=("MFA",))
RODRIGUEZ = Actor.new("Delcy Rodríguez", "person")
ALL = (MADURO, MORENO, MINISTRY, RODRIGUEZ)


def test_fold_name_ignores_case_accents_and_spacing() -> None:
    assert fold_name("  Nicolás   MADURO ") == fold_name("nicolas maduro") == "nicolas maduro"


def test_rank_exact_name_first_case_and_accents_ignored() -> None:
    (first, *_rest) = rank_actors("NICOLAS MADURO", ALL)
    assert (first.actor, first.how, first.score) == (MADURO, "exact", 100.0)


def test_rank_alias() -> None:
    first = rank_actors("mfa", ALL)[0]
    assert (first.actor, first.how) == (MINISTRY, "alias")
    assert rank_actors("nicolas maduro moros", ALL)[0].how == "alias"


def test_rank_fuzzy_a_misspelling() -> None:
    first = rank_actors("Nicolas Madurro", ALL)[0]
    assert (first.actor, first.how) == (MADURO, "fuzzy")
    assert first.score >= 90


def test_rank_a_surname_alone() -> None:
    first = rank_actors("Maduro", ALL)[0]
    assert (first.actor, first.how, first.score) == (MADURO, "surname", 96.0)
    assert rank_actors("rodriguez", ALL)[0].actor == RODRIGUEZ  # accents ignored


def test_rank_drops_what_is_not_close() -> None:
    assert rank_actors("Harbour board", ALL) == []


def test_rank_prefers_entries_of_the_story_among_equals() -> None:
    twin = Actor.new("Nicolás Maduro", "organisation")
    assert rank_actors("Nicolas Maduro", (MADURO, twin))[0].actor == min(MADURO, twin, key=lambda a: a.name)
    ranked = rank_actors("Nicolas Maduro", (MADURO, twin), prefer={twin.id})
    assert [m.actor for m in ranked] == [twin, MADURO] and ranked[0].preferred


def test_rank_an_empty_query_lists_everything_preferred_first() -> None:
    ranked = rank_actors("", ALL, prefer={RODRIGUEZ.id})
    assert [m.actor.name for m in ranked] == ["Delcy Rodríguez", "Foreign Ministry", "Nicolás Maduro", "Nicolás Moreno"]


def test_rank_limit() -> None:
    assert len(rank_actors("", ALL, limit=2)) == 2


# --- entries --------------------------------------------------------------------------------------------------


def test_new_actor_tidies_its_name_and_aliases() -> None:
    actor = Actor.new("  Nicolás \t Maduro ", "person", aliases=("Maduro", "MADURO", "nicolas maduro", " "))
    assert actor.name == "Nicolás Maduro" and actor.aliases == ("Maduro",)
    assert actor.created == actor.modified and actor.merged_into is None


@pytest.mark.parametrize(
    ("name", "type_", "message"),
    [("", "person", "needs a name"), ("Ana", "alien", "unknown actor type"), ("Ana\x1b[31m", "person", "control")],
)
def test_a_bad_entry_is_refused(name: str, type_: str, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        Actor.new(name, type_)


def test_edited_dedups_aliases_and_never_keeps_the_name_as_one() -> None:
    actor = Actor.new("Nicolás Maduro", "person")
    edited = actor.edited(aliases=("Maduro", "maduro", "Nicolas Maduro", "Maduro Moros", "Máduro"))
    assert edited.aliases == ("Maduro", "Maduro Moros")
    renamed = edited.edited(name="Maduro")  # renamed to one of its aliases: that alias goes
    assert renamed.name == "Maduro" and renamed.aliases == ("Maduro Moros",)
    assert renamed.names == ("Maduro", "Maduro Moros")
    with pytest.raises(AnnotationError, match="unknown actor type"):
        actor.edited(type="alien")


def test_actor_round_trips_through_a_dict() -> None:
    assert Actor.from_dict(MADURO.to_dict()) == MADURO
    assert MADURO.to_dict()["aliases"] == ["Nicolas Maduro Moros"]


def test_registry_lookup_of_a_library(store: Store) -> None:
    history = History(store)
    for actor in ALL:
        history.add_actor(actor)
    assert Registry.of(store).lookup("nicolas maduro").actor == MADURO
    assert Registry.of(store).lookup("MFA").actor == MINISTRY
    assert Registry.of(store).lookup("Maduro").actor is None  # strict: exact name or alias only
    assert Registry.of(store).lookup("Maduro", "lenient").actor == MADURO  # lenient: a surname alone too
    history.add_actor(Actor.new("MFA", "organisation"))
    assert Registry.of(store).lookup("mfa").actor is None  # ambiguous
    assert len(Registry.of(store).lookup("mfa").found) == 2


# --- annotations with links -------------------------------------------------------------------------------------


def test_a_new_actor_and_its_annotation_are_one_step(store: Store, data_dir: Path) -> None:
    history = History(store)
    maduro = Actor.new("Nicolás Maduro", "person")
    quote = new("We are ready for dialogue", "quote", speaker=maduro.id, form="direct", cue="said")
    history.add(quote, STORY, new_actors=(maduro,))
    assert on_disk(data_dir) == ({quote.id: quote}, {maduro.id: maduro})
    assert store.actor_usage(maduro.id) == [("speaker", quote)]
    history.undo()
    assert on_disk(data_dir) == ({}, {})
    assert store.annotations() == [] and store.actors() == []
    history.redo()
    assert on_disk(data_dir) == ({quote.id: quote}, {maduro.id: maduro})


def test_a_link_to_a_missing_entry_is_refused(store: Store, data_dir: Path) -> None:
    ghost = Actor.new("Nobody", "person")
    with pytest.raises(AnnotationError, match=r"speaker of annotation \w+ is not in the actor registry"):
        History(store).add(new("We are ready for dialogue", "quote", speaker=ghost.id))
    assert store.annotations() == [] and on_disk(data_dir) == ({}, {})


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("quote", {"form": "shouted"}, "unknown quote form"),
        ("claim", {"status": "maybe"}, "unknown claim status"),
        ("quote", {"status": "disputed"}, "a quote cannot have claimant or status"),
        ("actor", {"cue": "said"}, "an actor cannot have speaker or form or cue: those belong to a quote"),
    ],
)
def test_values_outside_their_vocabulary_or_kind_are_refused(
    store: Store, kind: str, fields: dict, message: str
) -> None:
    ann = new("We are ready for dialogue", kind, **fields)
    with pytest.raises(AnnotationError, match=message):
        store.apply([(None, ann)])
    base = new("We are ready for dialogue", kind)
    with pytest.raises(AnnotationError, match=message):
        base.edited(**fields)
    assert store.annotations() == []


def test_a_kind_change_drops_the_old_kinds_fields(store: Store) -> None:
    history = History(store)
    maduro = history.add_actor(Actor.new("Nicolás Maduro", "person"))
    quote = history.add(new("We are ready for dialogue", "quote", speaker=maduro.id, form="direct", cue="said"))
    claim = history.edit(quote.edited(kind="claim", status="unverified"))
    assert (claim.speaker, claim.form, claim.cue) == (None, None, "")
    assert (claim.kind, claim.status, claim.claimant) == ("claim", "unverified", None)
    assert store.annotation(quote.id) == claim and store.actor_usage(maduro.id) == []
    change = history.undo()
    assert change is not None and change.label == "change quote to claim"
    assert store.annotation(quote.id) == quote and store.actor_usage(maduro.id) == [("speaker", quote)]


# --- merge, rename, delete --------------------------------------------------------------------------------------


@pytest.fixture
def two_entries(store: Store) -> tuple[History, Actor, Actor, Annotation, Annotation]:
    """ "Maduro" (quoted, and mentioned) and "Nicolás Maduro" (mentioned): two entries for one man."""
    history = History(store)
    short = Actor.new("Maduro", "person", aliases=("President Maduro",))
    full = Actor.new("Nicolás Maduro", "person", external_id="Q57413")
    quote = new("We are ready for dialogue", "quote", speaker=short.id)
    history.add(quote, new_actors=(short,))
    mention = history.add(new("Maduro", "actor", occurrence=2, actor=short.id))
    history.add(new("Nicolás Maduro", "actor", actor=full.id), new_actors=(full,))
    return history, short, full, quote, mention


def test_merge_links_follow_and_names_become_aliases(store: Store, data_dir: Path, two_entries) -> None:
    history, short, full, quote, mention = two_entries
    before = on_disk(data_dir)
    merged = history.merge_actors(short.id, full.id)
    assert merged.name == "Nicolás Maduro" and merged.aliases == ("Maduro", "President Maduro")
    assert store.actor(quote.speaker) == store.actor(mention.actor) == merged  # links follow, none rewritten
    assert store.annotation(quote.id) == quote
    assert [a.name for a in store.actors()] == ["Nicolás Maduro"]
    assert store.tags.registry[short.id].merged_into == full.id  # the merged entry stays, forwarding
    assert {(f, a.id) for f, a in store.actor_usage(full.id)} == {
        ("speaker", quote.id),
        ("actor", mention.id),
        ("actor", next(a.id for a in store.annotations() if a.exact == "Nicolás Maduro")),
    }
    assert store.tags.story_ids_linking(full.id, "speaker") == {STORY.id}
    assert Registry.of(store).lookup("president maduro").actor == merged
    assert on_disk(data_dir) == (before[0], registry(store))

    change = history.undo()
    assert change is not None and change.label == "merge Maduro into Nicolás Maduro"
    assert on_disk(data_dir) == before and registry(store) == before[1]  # exactly as it was
    assert store.actor(quote.speaker) == short


def test_merge_refuses_an_entry_into_itself(store: Store, two_entries) -> None:
    history, short, full, *_ = two_entries
    history.merge_actors(short.id, full.id)
    with pytest.raises(AnnotationError, match="already"):
        history.merge_actors(short.id, full.id)


def test_rename_links_follow(store: Store, data_dir: Path, two_entries) -> None:
    history, short, _full, quote, _mention = two_entries
    renamed = history.edit_actor(short.edited(name="Nicolás Maduro Moros"))
    assert store.actor(quote.speaker) == renamed and store.annotation(quote.id) == quote
    assert on_disk(data_dir)[1][short.id].name == "Nicolás Maduro Moros"
    change = history.undo()
    assert change is not None and change.label == "rename Maduro to Nicolás Maduro Moros"
    assert store.actor(quote.speaker) == short == on_disk(data_dir)[1][short.id]


def test_delete_an_entry_in_use_unlinks_and_undo_relinks(store: Store, data_dir: Path, two_entries) -> None:
    history, short, full, quote, mention = two_entries
    before = on_disk(data_dir)
    assert history.delete_actor(short.id) == 2
    annotations, actors = on_disk(data_dir)
    assert short.id not in actors and full.id in actors
    assert annotations[quote.id].speaker is None and annotations[mention.id].actor is None
    assert store.actor_usage(short.id) == []
    history.undo()
    assert on_disk(data_dir) == before
    assert store.actor_usage(short.id) == [("speaker", quote), ("actor", mention)]


def test_deleting_an_entry_others_were_merged_into_brings_them_back(store: Store, two_entries) -> None:
    history, short, full, quote, _mention = two_entries
    history.merge_actors(short.id, full.id)
    history.delete_actor(full.id)
    assert store.actor(quote.speaker) == store.tags.registry[short.id]
    assert store.tags.registry[short.id].merged_into is None
    assert [a.name for a in store.actors()] == ["Maduro"]


def test_the_store_refuses_to_delete_an_entry_still_linked(store: Store, data_dir: Path, two_entries) -> None:
    _history, short, *_ = two_entries
    with pytest.raises(AnnotationError, match="still linked"):
        store.apply([(short, None)])
    target = Actor.new("Nicolás Maduro Moros", "person")
    merged = short.edited(merged_into=target.id)
    with pytest.raises(AnnotationError, match="merged into an entry not in the registry"):
        store.apply([(short, merged)])
    store.apply([(None, target), (short, merged)])
    before = on_disk(data_dir)
    with pytest.raises(AnnotationError, match="still merged into"):
        store.apply([(target, None)])
    assert on_disk(data_dir) == before and registry(store) == before[1]
