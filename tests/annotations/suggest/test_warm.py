"""A registry that knows people from other stories (annotations/suggest/actors.py, matcher.py): the story's own
evidence comes first, the registry fills in what the story does not say."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.actors import Actor
from annotations.registry import Registry
from annotations.suggest import suggest
from annotations.suggest.actors import find_actors
from annotations.suggest.context import Context
from annotations.suggest.model import Suggestion
from stories.model import Story, StoryBuilder, StoryMeta


def story(*paragraphs: str) -> Story:
    builder = StoryBuilder()
    builder.add("headline", "Talks")
    for p in paragraphs:
        builder.add("paragraph", p)
    return builder.build(StoryMeta(headline=""))


def registry(*entries: tuple[str, str] | tuple[str, str, tuple[str, ...]]) -> Registry:
    """A registry of (name, type) or (name, type, aliases) entries: people and bodies other stories named."""
    return Registry(Actor.new(e[0], e[1], aliases=tuple(e[2]) if len(e) > 2 else ()) for e in entries)


def mentions(s: Story, reg: Registry) -> dict[str, Suggestion]:
    """exact text -> its mention (the last one of an exact text wins)."""
    return {m.exact: m for m in find_actors(Context(s, reg))}


def speakers(s: Story, reg: Registry) -> list[str]:
    return [q.speaker or "" for q in suggest(s, reg) if q.kind == "quote" and q.form == "direct"]


def test_a_full_name_in_the_story_beats_a_registry_namesake_met_by_surname() -> None:
    reg = registry(("Arvo Delmar", "person", ("Delmar",)))
    s = story(
        '"The bridge will open in May," Transport Minister Ilse Delmar told reporters on Tuesday.',
        '"We have the money," Delmar said.',
    )
    found = mentions(s, reg)
    whole = found["Transport Minister Ilse Delmar"]
    assert (whole.actor, whole.actor_id, whole.actor_type) == ("Ilse Delmar", None, "person")
    assert found["Delmar"].actor == "Ilse Delmar" and found["Delmar"].actor_id is None
    assert speakers(s, reg) == ["Ilse Delmar", "Ilse Delmar"]


def test_the_registry_person_still_takes_the_title_when_the_story_names_the_same_person() -> None:
    reg = registry(("Arvo Delmar", "person", ("Delmar",)))
    [m] = find_actors(Context(story("Prime Minister Arvo Delmar arrived on Monday."), reg))
    assert (m.exact, m.actor, m.rule) == ("Prime Minister Arvo Delmar", "Arvo Delmar", "actor.registry")
    assert m.actor_id == reg.actors[0].id


def test_a_registry_body_inside_a_longer_local_name_gives_way() -> None:
    reg = registry(("Harbour Authority", "organisation"), ("Brenlow", "place"))
    s = story('"Ships will wait," the Brenlow Harbour Authority said in a statement.')
    found = mentions(s, reg)
    assert "Harbour Authority" not in found and "Brenlow" not in found
    assert found["Brenlow Harbour Authority"].actor_id is None
    assert speakers(s, reg) == ["Brenlow Harbour Authority"]


def test_a_registry_name_is_never_half_of_a_hyphenated_name() -> None:
    reg = registry(("Corvale", "place"))
    s = story("Senator Ana Brisko-Corvale spoke first. Later Brisko-Corvale left for Corvale.")
    found = find_actors(Context(s, reg))
    assert [m.exact for m in found if m.actor == "Corvale"] == ["Corvale"]
    assert {m.actor for m in found if m.exact.endswith("Brisko-Corvale")} == {"Ana Brisko-Corvale"}


def test_a_short_alias_used_as_an_adjective_is_no_mention() -> None:
    reg = registry(("Oskarian Sea", "place", ("Oskarian",)))
    s = story("Demand for Oskarian gas rose by a third, traders said.")
    assert "Oskarian" not in mentions(s, reg)


def test_a_short_alias_leaving_out_a_country_the_story_never_names_is_not_linked() -> None:
    reg = registry(("Chilean Transport Ministry", "government", ("Transport Ministry",)))
    abroad = story("OSLO: The Transport Ministry said on Monday that fares would rise.")
    m = mentions(abroad, reg)["Transport Ministry"]
    assert (m.actor, m.actor_id, m.actor_type) == ("Transport Ministry", None, "government")
    home = story("The Transport Ministry said on Monday that Chilean fares would rise.")
    m = mentions(home, reg)["Transport Ministry"]
    assert (m.actor, m.actor_id) == ("Chilean Transport Ministry", reg.actors[0].id)


def test_a_hyphenated_surname_is_the_registry_key_not_its_last_half() -> None:
    reg = registry(("Dario Velen-Paros", "person"))
    s = story("Hundreds slept in a school gym in Paros, officials said on Sunday.")
    assert mentions(s, reg)["Paros"].actor != "Dario Velen-Paros"
    later = story("The plan was rejected on Sunday by Velen-Paros and two aides.")
    assert mentions(later, reg)["Velen-Paros"].actor == "Dario Velen-Paros"


def test_of_two_entries_an_alias_names_the_one_whose_country_the_story_gives_is_linked() -> None:
    reg = registry(
        ("Chilean Senate", "government", ("Senate",)),
        ("Norwegian Senate", "government", ("Senate",)),
    )
    s = story("Norwegian farmers protested as the Senate voted on Monday.")
    m = mentions(s, reg)["Senate"]
    assert (m.actor, m.actor_id) == ("Norwegian Senate", reg.actors[1].id)


_WORDS = [
    "Ilse",
    "Delmar",
    "Brisko-Corvale",
    "Corvale",
    "Harbour",
    "Authority",
    "said",
    "the",
    "Oskarian",
    "gas",
    "Minister",
    "Transport",
    "Ministry",
    "Chilean",
    "of",
    "-",
    '"',
    ".",
    ",",
    "\n\n",
    "in",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_any_text_with_a_learned_registry_gives_mentions_that_never_overlap(parts: list[str]) -> None:
    reg = registry(
        ("Arvo Delmar", "person", ("Delmar",)),
        ("Corvale", "place"),
        ("Harbour Authority", "organisation"),
        ("Oskarian Sea", "place", ("Oskarian",)),
        ("Chilean Transport Ministry", "government", ("Transport Ministry",)),
    )
    found = find_actors(Context(story(" ".join(parts) or "x"), reg))
    spans = sorted((m.start, m.end) for m in found)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
