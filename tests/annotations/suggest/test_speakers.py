"""Speakers: names made from noun phrases, and pronouns, roles, surnames and documents resolved to earlier actors."""

from __future__ import annotations

import pytest

from annotations.actors import Actor
from annotations.registry import Registry
from annotations.suggest import suggest
from tests.annotations.suggest.suggest_support import quotes_of, run, story_of


def speaker_of(*paragraphs: str) -> tuple[str, str]:
    """(speaker, type) of the story's last direct quote."""
    quote = quotes_of(run(story_of(*paragraphs)), "direct")[-1]
    return quote.speaker, quote.speaker_type


@pytest.mark.parametrize(
    ("sentence", "name", "type_"),
    [
        ('"Go," US President Donald Trump said.', "Donald Trump", "person"),
        ('"Go," Russian Federation Council Deputy Speaker Konstantin Kosachev said.', "Konstantin Kosachev", "person"),
        ('"Go," Venezuela\'s Vice President Delcy Rodriguez said.', "Delcy Rodriguez", "person"),
        ('"Go," the Russian Embassy in Caracas said.', "Russian Embassy in Caracas", "government"),
        ('"Go," said the Ministry of Foreign Affairs.', "Ministry of Foreign Affairs", "government"),
        ('"Go," said Dmitry Peskov, the Kremlin spokesman.', "Dmitry Peskov", "person"),
        ('"Go," Pedro Sanz, a lawyer for the family, said.', "Pedro Sanz", "person"),
        ('Foreign Minister Ana Diaz said: "Go."', "Ana Diaz", "person"),
        ('"Go," the opposition said.', "opposition", "group"),
        ('"Go," Chief Operating Officer Mara Vint told reporters.', "Mara Vint", "person"),
        ('"Go," Chief Financial Officer Ole Brek said.', "Ole Brek", "person"),
        ('"Go," General Manager Tomas King said.', "Tomas King", "person"),
        ('"Go," said Tomas King.', "Tomas King", "person"),
        ('"Go," Mayor Ana Bishop said.', "Ana Bishop", "person"),
        ('"Go," said Sara Major, a lawyer.', "Sara Major", "person"),
    ],
)
def test_the_named_speaker_of_the_sentence(sentence: str, name: str, type_: str) -> None:
    assert speaker_of(sentence) == (name, type_)


def test_a_surname_is_the_earlier_full_name() -> None:
    assert speaker_of("Kremlin spokesman Dmitry Peskov spoke on Monday.", '"No," Peskov said.')[0] == "Dmitry Peskov"


def test_a_role_is_the_latest_actor_with_that_title() -> None:
    assert (
        speaker_of(
            "Deputy Agriculture Minister Yelena Orlova met Mayor Ivan Petrov on Monday.", '"Yes," the minister said.'
        )[0]
        == "Yelena Orlova"
    )


def test_she_skips_a_man_named_later() -> None:
    name = speaker_of(
        "Spokeswoman Maria Zakharova spoke after Foreign Minister Sergei Lavrov left.", '"Enough," she said.'
    )[0]
    assert name == "Maria Zakharova"


def test_he_is_the_last_speaker() -> None:
    assert speaker_of('"One," said Mayor Ivan Petrov.', '"Two," he said.')[0] == "Ivan Petrov"


def test_the_ministry_is_the_ministry_named_before() -> None:
    assert speaker_of("The Foreign Ministry summoned the ambassador.", '"Never," the ministry said.') == (
        "Foreign Ministry",
        "government",
    )


def test_a_document_speaks_for_its_author() -> None:
    assert speaker_of("The Central Bank published its review.", '"Inflation will ease," the review said.')[0] in (
        "",
        "Central Bank",
    )
    assert speaker_of("The Central Bank released a statement.", '"Inflation will ease," the statement said.')[0] == (
        "Central Bank"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        '"Go," a senior official told reporters on condition of anonymity.',
        '"Go," officials said.',
        '"Go," one diplomat said.',
        '"Go," she said.',
    ],
)
def test_no_confident_speaker_gives_none(sentence: str) -> None:
    assert speaker_of(sentence)[0] == ""


def test_registry_entries_by_alias_and_surname() -> None:
    kosachev = Actor.new("Konstantin Kosachev", "person", aliases=("K. Kosachev",))
    story = story_of("Senator Konstantin Kosachev spoke on Monday.", '"Yes," Kosachev said.', '"No," said K. Kosachev.')
    quotes = quotes_of(suggest(story, Registry([kosachev])), "direct")
    assert [q.speaker_id for q in quotes] == [kosachev.id, kosachev.id]


def test_the_speaker_span_is_the_mention_in_the_text() -> None:
    story = story_of('"Go," US President Donald Trump said.')
    (quote,) = quotes_of(run(story), "direct")
    assert story.text[quote.speaker_start : quote.speaker_end] == "Donald Trump"  # type: ignore[index]  # ints here


def test_the_phrase_before_an_aside_speaks() -> None:
    story = story_of("Putin, speaking at the forum in St. Petersburg, said the economy had grown by 3.6 percent.")
    (quote,) = quotes_of(run(story), "indirect")
    assert quote.speaker == "Putin"
    assert quote.exact == "the economy had grown by 3.6 percent"


def test_the_diplomat_is_the_diplomat_named_before_else_nobody() -> None:
    assert speaker_of("Russian diplomat Maria Zakharova spoke.", '"No," the diplomat said.')[0] == "Maria Zakharova"
    assert speaker_of('"No," the diplomat said.')[0] == ""


def test_an_unnamed_spokesman_for_a_body_gives_the_body() -> None:
    assert speaker_of('"Go," a spokesman for the Foreign Ministry said.') == ("Foreign Ministry", "government")
    assert speaker_of('"Go," a diplomat in Moscow said.')[0] == ""
    assert speaker_of('"Go," a Kremlin spokesman said.')[0] == "Kremlin"  # a spokesman speaks for the body named


def test_an_acronym_is_an_organisation() -> None:
    assert speaker_of('"Go," NATO said.') == ("NATO", "organisation")


def test_the_diplomat_with_none_so_named_is_the_person_just_speaking_whatever_the_gender() -> None:
    name = speaker_of(
        "Deputy Minister Ivan Sorokin said the talks had been long. He noted that both sides had moved.",
        '"The text is nearly ready," the diplomat said.',
    )[0]
    assert name == "Ivan Sorokin"


def test_a_press_service_speaks_for_its_body() -> None:
    name = speaker_of(
        "The Federal Consumer Service sued the carrier.",
        "The Kazan Arbitration Court fined the carrier, the court's press service told reporters.",
        '"The claim was satisfied in full," the press service said.',
    )[0]
    assert name == "Kazan Arbitration Court"


def test_a_surname_is_the_storys_own_full_name_before_a_registry_namesake() -> None:
    namesake = Actor.new("Ruth Abara", "person", aliases=("Abara",))  # another story called her "Abara"
    story = story_of("Goalkeeper Peter Abara saved two penalties on Sunday.", '"It was luck," Abara said.')
    (quote,) = quotes_of(suggest(story, Registry([namesake])), "direct")
    assert (quote.speaker, quote.speaker_id) == ("Peter Abara", None)
