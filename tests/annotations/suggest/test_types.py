"""Actor types: the shapes of state bodies, storms and laws (names.py), and the story-level pass (types.py) that
settles one type per new name from the evidence of all its mentions. Every name here is invented."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.actors import ACTOR_TYPES
from annotations.registry import Registry
from annotations.suggest.actors import find_actors
from annotations.suggest.context import Context
from annotations.suggest.names import classify
from annotations.suggest.settle import settle_types
from stories.model import Story, StoryBuilder, StoryMeta


def story(*paragraphs: str) -> Story:
    builder = StoryBuilder()
    builder.add("headline", "Floods")
    for p in paragraphs:
        builder.add("paragraph", p)
    return builder.build(StoryMeta(headline=""))


def types(*paragraphs: str) -> dict[str, str]:
    """exact -> type of every mention found (the last one of an exact text wins)."""
    return {m.exact: m.actor_type for m in find_actors(Context(story(*paragraphs), Registry([])))}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Coastal Works Department", "government"),
        ("Supreme Court", "government"),
        ("Constitutional Court", "government"),
        ("Federal Roads Agency", "government"),
        ("National Flood Warning Center", "government"),
        ("National Rescue Force", "government"),
        ("Chilean Weather Service", "government"),
        ("Peruvian Geological Survey", "government"),
        ("Water Supply Authority", "government"),
        ("Legislature", "government"),
        ("Tovar News Agency", "organisation"),
        ("International Grain Agency", "organisation"),
        ("Regional Water Council", "organisation"),
        ("National Union of Dockers", "organisation"),
        ("Hurricane Belinda", "other"),
        ("Tropical Storm Arvo", "other"),
        ("Clean Rivers Act", "other"),
        ("Harbour Declaration", "other"),  # the last word decides
        ("Varnian War", "other"),  # events are no actors' organisations
        ("Northern Games", "other"),
    ],
)
def test_state_bodies_storms_and_laws_by_their_words(name: str, kind: str) -> None:
    assert classify(name.split())[0] == kind


def test_a_continent_alone_is_a_place_not_a_country() -> None:
    got = types("Exports to Europe and Asia fell, while European buyers waited.")
    assert got["Europe"] == "place" and got["Asia"] == "place"


def test_an_acronym_takes_the_type_of_its_expansion() -> None:
    got = types(
        "The Marenian Flood Control Authority (MFCA) opened two dams.",
        "The MFCA said on Monday that the water would recede.",
    )
    assert got["MFCA"] == "government"


def test_a_storm_named_again_by_its_own_name_stays_a_storm() -> None:
    got = types("Hurricane Belinda struck the coast on Monday.", "Belinda weakened as it moved inland, officials said.")
    assert got["Hurricane Belinda"] == "other" and got["Belinda"] == "other"


def test_one_unknown_word_with_place_evidence_is_a_place() -> None:
    got = types(
        "Volrath reported the highest water on Sunday.",
        "Residents of Volrath were moved to schools, said Ana Brel, a farmer from Dunnick.",
        "The Tesko river burst its banks near the Corvan district.",
    )
    assert got["Volrath"] == "place"  # "Residents of Volrath": every mention of the name takes it
    assert got["Dunnick"] == "place"  # "a farmer from Dunnick"
    assert got["Tesko"] == "place"  # "the Tesko river"
    assert got["Corvan"] == "place"


def test_a_known_place_spreads_across_its_list() -> None:
    got = types("Water rose in Moscow, Pelvik and Ostrand, and Pelvik lost power.")
    assert got["Pelvik"] == "place" and got["Ostrand"] == "place"


def test_two_words_after_the_or_before_a_lowercase_noun_are_not_a_person() -> None:
    got = types(
        "Strikes closed the Vela Rosa copper mine on Monday.",
        "The Kalder Stahl union said talks had failed.",
        "Bren Tovic said the talks had failed.",
    )
    assert got["Vela Rosa"] == "place"
    assert got["Kalder Stahl"] == "organisation"
    assert got["Bren Tovic"] == "person"


def test_person_evidence_still_makes_a_person() -> None:
    got = types("Orla Venn, a lawyer for the farmers, said they would appeal.", "Venn said in Karsk that it was late.")
    assert got["Orla Venn"] == "person" and got["Venn"] == "person"
    assert got["Karsk"] == "place"


def test_a_name_after_a_place_and_a_comma_is_an_apposition_not_a_list() -> None:
    got = types("The mayor of Moscow, Dario Pelk Marin, said the bridge would stay shut.")
    assert got["Dario Pelk Marin"] == "person"


def test_company_words_around_a_name_make_it_an_organisation() -> None:
    got = types(
        "The union of Swedish carmaker Dalvik Motorverk met on Monday.",
        "The province, which holds voting rights in Dalvik, said it would wait.",
        "Dalvik shares fell, and Dalvik's chief executive said nothing.",
    )
    assert got["Dalvik Motorverk"] == "organisation" and got["Dalvik"] == "organisation"


def test_a_name_typed_by_its_context_once_has_that_type_everywhere() -> None:
    got = types(
        "Rescuers reached Tavrosk late on Sunday.",
        "Boats were sent to villages near Tavrosk, and Tavrosk said it needed more.",
    )
    assert got["Tavrosk"] == "place"
    assert {
        m.actor_type
        for m in find_actors(
            Context(
                story(
                    "Tavrosk said on Sunday it needed boats.", "Rescuers reached the city of Tavrosk late on Sunday."
                ),
                Registry([]),
            )
        )
        if m.exact == "Tavrosk"
    } == {"place"}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("National Institute for Ocean Studies", "government"),
        ("Federal Service for Veterinary Control of Food Safety", "government"),
        ("Centre for Regional Studies", "organisation"),
        ("Ministry for Coastal Affairs", "government"),
        ("Tarsk Arbitration Court", "government"),
        ("Court of Arbitration for Sport", "organisation"),
        ("Baltic Cable Consortium", "organisation"),
        ("Varun Infra Projects", "organisation"),
    ],
)
def test_bodies_named_with_for_and_more_company_heads(name: str, kind: str) -> None:
    assert classify(name.split())[0] == kind


def test_an_acronym_of_a_name_in_the_story_takes_its_type() -> None:
    got = types(
        "The Federal Coastal Protection Agency sent boats on Monday.",
        "Later the FCPA said the levee had held.",
    )
    assert got["FCPA"] == "government"


def test_a_place_known_elsewhere_spreads_to_a_new_name_listed_with_it() -> None:
    got = types(
        "Water rose in Tarvik overnight.",
        "Tarvik and Olmen were cut off, and the Velka and the Dren burst their banks near Tarvik.",
    )
    assert got["Olmen"] == "place"


def test_the_first_of_two_surnames_names_the_person_again() -> None:
    got = types("Prices rose, central bank president Marta Solano Ibarra told reporters.", "Solano said it would wait.")
    assert got["Solano"] == "person"


def test_a_name_with_a_head_word_inside_yields_to_person_evidence() -> None:
    got = types("Park Ji-hoon, a researcher at the institute, said prices would rise.")
    assert got["Park Ji-hoon"] == "person"


def test_institution_words_in_an_apposition_make_an_organisation() -> None:
    got = types(
        "The firm that runs the ferry, Halden Marit, said in a statement that no one was hurt.",
        "A court ordered Vessa Lorn, one of the country's largest carriers, to pay.",
        "A Tomsen Varo poll showed the ruling Alva Nerin coalition ahead.",
    )
    assert got["Halden Marit"] == "organisation"
    assert got["Vessa Lorn"] == "organisation"
    assert got["Tomsen Varo"] == "organisation"
    assert got["Alva Nerin"] == "organisation"


def test_plural_place_nouns_before_of_make_places() -> None:
    got = types("Farms were occupied in the provinces of Vela Norte and Armin, officials said.")
    assert got["Vela Norte"] == "place" and got["Armin"] == "place"


def test_a_person_after_a_role_in_an_institution_stays_a_person() -> None:
    got = types(
        "The head of the union, Mira Vestal, said the strike would go on.",
        "The company's chief executive, Tor Alden, said nothing.",
    )
    assert got["Mira Vestal"] == "person" and got["Tor Alden"] == "person"


def test_more_demonyms_mark_their_country_s_bodies() -> None:
    assert classify("Malaysian Rubber Board".split())[0] == "government"
    assert classify("Ghanaian Cocoa Board".split())[0] == "government"
    assert classify("Coast Guard".split())[0] == "government"


def test_justice_before_a_full_name_is_a_judge_s_title() -> None:
    assert classify("Justice Helena Braga Souto".split()) == ("person", 1)
    assert classify("Justice Ministry".split())[0] == "government"
    assert classify("Justice and Development Party".split())[0] == "organisation"


def test_an_apposition_is_read_to_its_noun() -> None:
    got = types("A court ordered Vessa Lorn, one of the republic's largest regional carriers, to pay.")
    assert got["Vessa Lorn"] == "organisation"


@given(st.text(alphabet=st.sampled_from(list("Ab Cd, and the (EF) of in river Mr. 's\n")), max_size=200))
def test_settling_keeps_every_span_and_never_raises(text: str) -> None:
    found = find_actors(Context(story(text), Registry([])))
    assert all(m.actor_type in ACTOR_TYPES for m in found)
    assert settle_types(text, []) == []


def test_a_role_at_a_name_makes_it_an_organisation_and_a_resort_of_a_place() -> None:
    got = types(
        "«Rates will fall,» said Ines Varga, a strategist at Mirel Kassa in Vienna.",
        "Two skiers died near the resort of Olvenden, police said.",
        "Talks were held at Rovan Hall on Monday.",
    )
    assert got["Mirel Kassa"] == "organisation"
    assert got["Olvenden"] == "place"
