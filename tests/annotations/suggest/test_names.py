"""Names (annotations/suggest/names.py) and countries (countries.py): types from a name's words and its context,
country names from pycountry, demonyms as data."""

from __future__ import annotations

import pytest

from annotations.actors import ACTOR_TYPES
from annotations.suggest.actors import guess_type as exported
from annotations.suggest.countries import city_named, country_named, demonym_country, is_demonym
from annotations.suggest.names import classify, guess_type


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Ivo Maric", "person"),
        ("Prime Minister Ivo Maric", "person"),
        ("NATO Secretary-General Mark Rutte", "person"),
        ("Dr. Lena Horvat", "person"),
        ("Foreign Ministry", "government"),
        ("the Foreign Ministry", "government"),
        ("Russian Foreign Ministry", "government"),
        ("Ministry of Defence", "government"),
        ("the Russian Embassy in Caracas", "government"),
        ("Kremlin", "government"),
        ("the White House", "government"),
        ("State Department", "government"),
        ("Regional Water Council", "organisation"),
        ("Homeland Party", "organisation"),
        ("Nordvolt Energy Corp", "organisation"),
        ("University of Kovara", "organisation"),
        ("Reuters", "organisation"),
        ("NATO", "organisation"),
        ("Popular Liberation Front", "group"),
        ("Palestinians", "group"),
        ("Russia", "country"),
        ("Russian Federation", "country"),
        ("Venezuela", "country"),
        ("Lake Ordin", "place"),
        ("Varna River", "place"),
        ("Moscow", "place"),
    ],
)
def test_guess_type_from_the_words_of_a_name(name: str, kind: str) -> None:
    assert guess_type(name) == kind


def test_guess_type_from_the_context() -> None:
    assert guess_type("Feld", before="The cooperative's lawyer, ") == "person"  # a role word just before
    assert guess_type("Peskov", before="Kremlin spokesman ") == "person"
    assert guess_type("Selvo", before="the ceremony in ") == "place"
    assert guess_type("Selvo", before="the town of ") == "place"
    assert guess_type("Nordvolt", after=" said on Monday") == "organisation"  # one unknown word: a body, not a person
    assert guess_type("Feld", after=", a lawyer for the cooperative, said") == "person"


@pytest.mark.parametrize("name", ["", " ", "\x00", "’s", "---", "of the", "A" * 10_000, "Ministry of " * 500])
def test_guess_type_never_raises_and_gives_a_type(name: str) -> None:
    assert guess_type(name, before=name, after=name) in ACTOR_TYPES
    assert exported is guess_type  # the quote finder's speakers are typed by the same function


def test_classify_tells_where_the_name_starts_after_a_title() -> None:
    assert classify("Deputy Agriculture Minister Yelena Orlova".split()) == ("person", 3)
    assert classify("Secretary of State Antony Blinken".split()) == ("person", 3)
    assert classify("Prime Minister".split())[0] != "person"  # a title alone names no one
    assert classify([]) == ("", 0)


def test_countries_by_every_name_pycountry_knows_and_the_newsroom_uses() -> None:
    assert country_named("Russian Federation") == "Russia"
    assert country_named("the Russian Federation") == "Russia"
    assert country_named("Bolivarian Republic of Venezuela") == "Venezuela"
    assert country_named("Venezuela, Bolivarian Republic of") == "Venezuela"
    assert country_named("Viet Nam") == country_named("Vietnam") == "Vietnam"
    assert country_named("U.S.") == country_named("United States of America") == "United States"
    assert country_named("Türkiye") == country_named("Turkey") == "Turkey"
    assert country_named("Kestova") is None
    assert country_named("Georgian") is None and country_named("Georgia") == "Georgia"


def test_demonyms_are_data_and_name_their_country() -> None:
    assert demonym_country("Russian") == "Russia" and demonym_country("Britons") == "Britain"
    assert is_demonym("Syrian") and is_demonym("Palestinians") and not is_demonym("Syria")
    assert city_named("New Delhi") and not city_named("Kovara")
