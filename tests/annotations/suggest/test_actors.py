"""Actor mentions (annotations/suggest/actors.py): registry names and aliases, new candidates with types, and what
is never a mention (demonyms alone, the dateline, agency stamps, sentence-initial common words, headline case)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.actors import Actor
from annotations.registry import Registry
from annotations.suggest import suggest
from annotations.suggest.actors import find_actors
from annotations.suggest.context import Context
from annotations.suggest.matcher import registry_matcher
from annotations.suggest.model import Suggestion
from stories.model import Story, StoryBuilder, StoryMeta
from tests.annotations.suggest.actor_fixtures import fixtures


def story(*paragraphs: str, headline: str = "Talks", dateline: str | None = None) -> Story:
    builder = StoryBuilder()
    builder.add("headline", headline)
    if dateline:
        builder.add("dateline", dateline, inline=True)
    for p in paragraphs:
        builder.add("paragraph", p)
    return builder.build(StoryMeta(headline=""))


def registry(*entries: tuple[str, ...] | tuple[str, str, tuple[str, ...]]) -> Registry:
    """A registry of (name, type) or (name, type, aliases) entries."""
    return Registry(Actor.new(e[0], e[1], aliases=tuple(e[2]) if len(e) > 2 else ()) for e in entries)


def mentions(s: Story, reg: Registry | None = None) -> list[Suggestion]:
    return find_actors(Context(s, reg or Registry([])))


def spans(s: Story, reg: Registry | None = None) -> dict[str, tuple[str, str]]:
    """exact -> (actor, type) of every mention (the last one of an exact text wins)."""
    return {m.exact: (m.actor, m.actor_type) for m in mentions(s, reg)}


# --- the fixtures ---------------------------------------------------------------------------------------------


def test_the_fixtures_are_found_with_their_types() -> None:
    """Over every fixture (22 stories in eight agencies' layouts): recall and precision of exact spans, and the
    type and name of each found mention. A mention marked {-} (a demonym alone) is never suggested."""
    tp = fp = fn = right = 0
    wrong: list[str] = []
    for f in fixtures():
        got = {(m.start, m.end): m for m in find_actors(Context(f.story, f.registry))}
        expected = {(e.start, e.end): e for e in f.expected}
        for key, e in expected.items():
            m = got.get(key)
            if e.type == "-":
                assert m is None, f"{f.name}: {e.exact!r} suggested as {m.actor_type if m else ''}"
            elif m is None:
                fn += 1
                wrong.append(f"{f.name}: missed {e.exact!r}")
            else:
                tp += 1
                right += (m.actor_type, m.actor) == (e.type, e.actor)
        fp += sum(1 for key in got if key not in expected)
    assert tp + fn >= 190  # the fixtures hold that many mentions: the test sees them all
    assert tp / (tp + fn) >= 0.95, wrong
    assert tp / (tp + fp) >= 0.95
    assert right / tp >= 0.95


# --- registry names -------------------------------------------------------------------------------------------


def test_every_mention_of_a_registry_name_or_alias_is_found_longest_first() -> None:
    reg = registry(("Russia", "country"), ("Russian Embassy in Caracas", "government"), ("Kremlin", "government"))
    s = story("The Russian Embassy in Caracas said Russia would help. Russia and the Kremlin agreed.")
    found = mentions(s, reg)
    assert [(m.exact, m.actor_type) for m in found] == [
        ("Russian Embassy in Caracas", "government"),
        ("Russia", "country"),
        ("Russia", "country"),
        ("Kremlin", "government"),
    ]
    assert all(m.actor_id for m in found) and all(s.text[m.start : m.end] == m.exact for m in found)
    assert found[0].score >= 0.9


def test_registry_names_match_folded_but_never_inside_a_word_or_in_lowercase() -> None:
    reg = registry(("Nicolás Maduro", "person", ("Maduro",)), ("Lee", "person"), ("US", "country"))
    s = story(
        "NICOLAS MADURO spoke. Maduro's aides and Venezuela’s friends listened in the lee of the hill.",
        "Russians and users of Trust were there.",
    )
    found = spans(s, reg)
    assert found["NICOLAS MADURO"] == ("Nicolás Maduro", "person")
    assert found["Maduro"] == ("Nicolás Maduro", "person")  # the possessive is left out of the span
    assert "lee" not in found and not any("US" in e.upper() and len(e) > 2 for e in found if e != "NICOLAS MADURO")


def test_an_alias_is_tagged_with_the_entry_it_names() -> None:
    reg = registry(("Russian Government", "government", ("Kremlin",)))
    [m] = mentions(story("The Kremlin said on Monday it had no plans."), reg)
    assert (m.exact, m.actor, m.actor_type, m.rule) == (
        "Kremlin",
        "Russian Government",
        "government",
        "actor.registry.alias",
    )


def test_the_matcher_is_built_once_per_registry() -> None:
    reg = registry(("Ivo Maric", "person"))
    assert registry_matcher(reg) is registry_matcher(reg)
    assert registry_matcher(registry(("Ivo Maric", "person"))) is not registry_matcher(reg)


def test_a_title_before_a_registry_person_joins_the_mention_a_nationality_does_not() -> None:
    reg = registry(("Ivo Maric", "person"))
    [m] = mentions(story("“We agree,” Kestovan Prime Minister Ivo Maric said."), reg)
    assert (m.exact, m.actor, m.actor_id) == ("Prime Minister Ivo Maric", "Ivo Maric", reg.actors[0].id)


# --- new candidates -------------------------------------------------------------------------------------------


def test_a_title_and_a_name_then_the_surname_alone() -> None:
    s = story(
        "Deputy Agriculture Minister Yelena Orlova said exports would rise.",
        "“Demand is strong,” Orlova told reporters. Orlova's ministry agreed.",
    )
    found = mentions(s)
    assert [(m.exact, m.actor, m.actor_type) for m in found] == [
        ("Deputy Agriculture Minister Yelena Orlova", "Yelena Orlova", "person"),
        ("Orlova", "Yelena Orlova", "person"),
        ("Orlova", "Yelena Orlova", "person"),
    ]


def test_a_shared_surname_goes_to_the_person_named_last() -> None:
    s = story(
        "Petra Novak won. Her cousin Jan Novak lost.",
        "“The voters have spoken,” Novak said.",
        "Petra Novak thanked him. Novak smiled.",
    )
    surnames = [m.actor for m in mentions(s) if m.exact == "Novak"]
    assert surnames == ["Jan Novak", "Petra Novak"]


def test_organisations_governments_and_places_by_their_words() -> None:
    s = story(
        "The Ministry of Agriculture and Forestry, the Regional Water Council and the Homeland Party met at the "
        "University of Kovara near Lake Ordin, as the Russian Foreign Ministry and the White House watched.",
    )
    assert spans(s) == {
        "Ministry of Agriculture and Forestry": ("Ministry of Agriculture and Forestry", "government"),
        "Regional Water Council": ("Regional Water Council", "organisation"),
        "Homeland Party": ("Homeland Party", "organisation"),
        "University of Kovara": ("University of Kovara", "organisation"),
        "Lake Ordin": ("Lake Ordin", "place"),
        "Russian Foreign Ministry": ("Russian Foreign Ministry", "government"),
        "White House": ("White House", "government"),
    }


def test_countries_from_pycountry_demonyms_never_alone() -> None:
    s = story(
        "Russian and Syrian officials met in the Russian Federation. Syria, Türkiye and the U.S. sent envoys.",
        "The talks on the Russia-Ukraine war went on.",
    )
    found = spans(s)
    assert found["Russian Federation"] == ("Russia", "country")
    assert found["Syria"] == ("Syria", "country")
    assert found["Türkiye"][1] == "country"
    assert found["U.S."] == ("United States", "country")
    assert found["Russia"] == ("Russia", "country") and found["Ukraine"] == ("Ukraine", "country")
    assert "Russian" not in found and "Syrian" not in found


def test_agencies_when_they_act_not_in_the_stamp() -> None:
    s = story(
        "Nordvolt said on Monday it would cut jobs, a spokesman told Reuters.", dateline="OSLO, Oct 21 (Reuters) -"
    )
    found = mentions(s)
    assert [(m.exact, m.actor_type) for m in found] == [("Nordvolt", "organisation"), ("Reuters", "organisation")]
    assert found[1].start > s.text.index("spokesman")


def test_the_dateline_is_skipped_also_when_it_is_inside_the_first_paragraph() -> None:
    s = story(
        "MOSCOW, December 3. /TASS/. Grain exports will rise, Yelena Orlova said.",
        "CARACAS (EFE) - Prices rose, Delcy Rodriguez said.",
    )
    assert [m.exact for m in mentions(s)] == ["Yelena Orlova", "Delcy Rodriguez"]


def test_sentence_initial_words_months_and_days_are_not_names() -> None:
    s = story(
        "The talks ended. On Thursday the sides met again. However, in March Analysts doubted it.",
        "Meanwhile prices rose. Under the deal, exports rise. Speaking on Monday, nobody objected.",
    )
    assert mentions(s) == []


def test_a_headline_in_title_case_only_repeats_names_the_body_gives() -> None:
    s = story(
        "Prime Minister Ivo Maric met Dana Vostrik in Kovara.",
        headline="Maric Says Talks With Vostrik Will Resume In June After Storm",
    )
    found = [(m.exact, m.actor) for m in mentions(s) if m.start < len(s.headline)]
    assert found == [("Maric", "Ivo Maric"), ("Vostrik", "Dana Vostrik")]


def test_suggest_returns_the_actor_mentions() -> None:
    s = story("Prime Minister Ivo Maric said the deal was done.")
    assert [m.actor for m in suggest(s, Registry([])) if m.kind == "actor"] == ["Ivo Maric"]
    assert [m.actor for m in suggest(s, Registry([]), nlp=None) if m.kind == "actor"] == ["Ivo Maric"]


# --- never raises ---------------------------------------------------------------------------------------------

# long ones too: a finder that is quadratic somewhere takes minutes on them, not a second
HOSTILE = [
    "A " * 20000,
    "of " * 3000 + "Ministry",
    "Ministry of " * 10000 + "Health",
    "Embassy in " * 10000,
    "Talks With Orlenia Resume In June After Storm\n" * 2000,
    "The" + " And" * 3000,
    "’s ’s ’s '''' ---- .... U.S.U.S.U.S.",
    "İstanbul ǅemal ﬁnance ß STRASSE Ⅻ ٣ 𝐀𝐁𝐂 Ελλάδα Москва 東京",
    "\u200b\u200dZero\u200cWidth Joiners\u2060Inside",
    "Dr. Dr. Dr. Mr. Ms. Gen. " * 500,
    "(Reuters) /TASS/ (AFP) - " * 200,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_never_raises_on_odd_text(text: str) -> None:
    reg = registry(("Ministry of Health", "government"), ("A", "other"), ("U.S.", "country"))
    s = story(text, text)
    for m in mentions(s, reg):
        assert m.exact and m.exact == s.text[m.start : m.end]


@given(st.text(min_size=1, max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    builder = StoryBuilder()
    if not builder.add("paragraph", text):
        return
    s = builder.build(StoryMeta(headline="h"))
    for m in mentions(s, registry(("Kestova", "country"))):
        assert s.text[m.start : m.end] == m.exact and m.kind == "actor"


def test_a_person_is_the_title_and_the_name_nationality_country_and_body_apart() -> None:
    s = story(
        "French President Emmanuel Macron met ECB President Christine Lagarde and Federation Council Deputy "
        "Speaker Konstantin Kosachev."
    )
    assert [(m.exact, m.actor, m.actor_type) for m in mentions(s)] == [
        ("President Emmanuel Macron", "Emmanuel Macron", "person"),
        ("ECB", "ECB", "organisation"),
        ("President Christine Lagarde", "Christine Lagarde", "person"),
        ("Federation Council", "Federation Council", "organisation"),
        ("Deputy Speaker Konstantin Kosachev", "Konstantin Kosachev", "person"),
    ]


def test_a_surname_before_the_full_name_is_linked_to_it() -> None:
    s = story(
        "Trump and Maduro trade barbs.",
        "US President Donald Trump said President Nicolas Maduro must go.",
        "President Maduro replied.",
    )
    found = [(m.exact, m.actor) for m in mentions(s) if m.actor_type == "person"]
    assert found == [
        ("Trump", "Donald Trump"),
        ("Maduro", "Nicolas Maduro"),
        ("President Donald Trump", "Donald Trump"),
        ("President Nicolas Maduro", "Nicolas Maduro"),
        ("President Maduro", "Nicolas Maduro"),
    ]


def test_a_registry_surname_alone_only_when_one_person_has_it() -> None:
    reg = registry(("Jan Novak", "person"), ("Petra Novak", "person"), ("Yelena Orlova", "person"))
    s = story("The minister said Orlova and Novak would attend.")
    found = {m.exact: m for m in mentions(s, reg)}
    assert found["Orlova"].actor_id == next(a.id for a in reg.actors if a.name == "Yelena Orlova")
    assert found["Novak"].actor_id is None  # two entries have it: not guessed


def test_an_attribute_before_a_name_is_no_part_of_it() -> None:
    s = story(
        "The Oslo-based Nordlys Freight said on Monday that its Kremlin-backed rival, Tundra Haulage, had cut prices,"
        " while state-owned Fjordline stayed silent."
    )
    found = {m.exact: m.actor_type for m in mentions(s)}
    assert "Nordlys Freight" in found and "Tundra Haulage" in found
    assert not any("-based" in exact or "-backed" in exact for exact in found)
