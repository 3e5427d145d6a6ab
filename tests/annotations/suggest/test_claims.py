"""Claims: the content of indirect speech and of accusations, with the claimant."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.registry import Registry
from annotations.suggest.claims import _Names, find_claims
from annotations.suggest.context import Context
from annotations.suggest.model import Suggestion
from annotations.suggest.quotes import find_quotes
from tests.annotations.suggest.suggest_support import fixtures, load_fixture, run, story_of

WITH_CLAIMS = [p for p in fixtures() + fixtures("c-") if "=== expect" in p.read_text() and "\nclaim |" in p.read_text()]


def claims_of(*paragraphs: str) -> list:
    return [s for s in run(story_of(*paragraphs)) if s.kind == "claim"]


def test_some_fixtures_have_claims() -> None:
    assert len(WITH_CLAIMS) >= 4


@pytest.mark.parametrize("path", WITH_CLAIMS, ids=lambda p: p.stem)
def test_fixture_claims_are_found_with_their_claimant(path: Path) -> None:
    story, expected = load_fixture(path)
    found = [s for s in run(story) if s.kind == "claim"]
    for e in (e for e in expected if e.form == "claim"):
        match = [c for c in found if c.exact.startswith(e.prefix)]
        assert match, f"no claim {e.prefix!r} in {[c.exact for c in found]}"
        assert match[0].claimant == e.who


def test_indirect_speech_is_a_claim_of_its_speaker() -> None:
    (claim,) = claims_of("Health Minister Ana Diaz said on Monday that 42 people had died in the floods.")
    assert claim.exact == "42 people had died in the floods"
    assert claim.claimant == "Ana Diaz"
    assert claim.cue == "said"


def test_an_accusation_is_a_claim_with_its_accuser() -> None:
    (claim,) = claims_of("Interior Minister Rasa Petrauskas accused the protesters of attacking police officers.")
    assert claim.exact == "the protesters of attacking police officers"
    assert claim.claimant == "Rasa Petrauskas"
    assert claim.rule == "claim.accusation"


def test_figures_attributed_to_a_source() -> None:
    (claim,) = claims_of("More than 3,000 homes were damaged, according to the regional governor's office.")
    assert claim.exact == "More than 3,000 homes were damaged"
    assert claim.claimant != ""


def test_no_claims_in_plain_narrative() -> None:
    assert claims_of("The bridge was closed on Monday. Traffic was diverted through the town centre.") == []


def test_claims_from_empty_input() -> None:
    ctx = Context.__new__(Context)
    ctx.text, ctx.paragraphs, ctx.sentence_starts, ctx.memo = "", ((0, 0),), [0], {}
    ctx.registry = Registry([])
    assert find_claims(ctx, find_quotes(ctx, []), []) == []


def test_a_figure_in_a_direct_quote_is_a_claim_of_the_speaker() -> None:
    claims = claims_of(
        '"Our inspectors closed 37 kitchens this spring. We are not done," Food Safety Chief Ines Varga said.'
    )
    assert [(c.exact, c.claimant, c.rule) for c in claims] == [
        ("Our inspectors closed 37 kitchens this spring", "Ines Varga", "claim.quoted")
    ]


def test_a_quoted_plan_question_or_opinion_is_no_claim() -> None:
    assert claims_of('"We will hire 200 nurses next year," Mayor Karel Dvorak said.') == []
    assert claims_of('"Who pays for 40 new buses?" Councillor Petra Lind asked.') == []
    assert claims_of('"This is a good day for the city," Mayor Karel Dvorak said.') == []


def test_only_the_first_factual_sentence_of_a_quote() -> None:
    claims = claims_of(
        '"The fire destroyed 14 barns. Nine cattle died. We are heartbroken," farmer Olaf Brenn told the paper.'
    )
    assert [c.exact for c in claims] == ["The fire destroyed 14 barns"]


def test_a_comment_after_the_claim_is_left_out() -> None:
    (claim,) = claims_of(
        "Union leader Taavi Kukk said managers had skipped two safety inspections, a charge the firm denies."
    )
    assert claim.exact == "managers had skipped two safety inspections"


def test_clauses_joined_by_and_that_are_two_claims() -> None:
    claims = claims_of("Harbour master Ilka Varnes said that four trawlers had sunk and that 30 sailors were rescued.")
    assert [c.exact for c in claims] == ["four trawlers had sunk", "30 sailors were rescued"]
    assert {c.claimant for c in claims} == {"Ilka Varnes"}


def test_a_forecast_without_a_figure_is_no_claim() -> None:
    assert claims_of("Transport Minister Lea Moser said the new line would make the region more attractive.") == []


def test_a_forecast_with_a_figure_is_a_claim() -> None:
    (claim,) = claims_of("Finance Minister Lea Moser said the deficit would fall to 2.5% of output next year.")
    assert claim.exact == "the deficit would fall to 2.5% of output next year"


def test_what_data_showed_is_a_claim_with_the_source_as_claimant_when_named() -> None:
    claims = claims_of("Sheep numbers fell 6 percent last year, data from the Farm Census Office showed.")
    assert [c.exact for c in claims] == ["Sheep numbers fell 6 percent last year"]
    assert claims[0].rule == "claim.shown"


def test_a_poll_showed() -> None:
    (claim,) = claims_of("A survey released on Friday showed that 58 percent of voters backed the reform.")
    assert claim.exact == "58 percent of voters backed the reform"


def test_an_unnamed_source_with_that_is_a_claim_without_claimant() -> None:
    (claim,) = claims_of("Two aides, who asked not to be named, told the paper that the talks had collapsed.")
    assert claim.exact == "the talks had collapsed"
    assert claim.claimant == ""


def test_an_unnamed_source_without_that_needs_a_figure_or_an_event() -> None:
    assert claims_of("Some aides said the mood was good.") == []
    (claim,) = claims_of("Some aides said the army had arrested 12 officers.")
    assert claim.exact == "the army had arrested 12 officers"


def test_a_tail_attribution_with_background_after_it() -> None:
    (claim,) = claims_of("Floods cut off 30 villages, the county office said on Sunday, as rain kept falling.")
    assert claim.exact == "Floods cut off 30 villages"


def test_a_direct_quote_before_the_attribution_is_no_tail_claim() -> None:
    claims = claims_of('"The roof fell in on 12 people," the county office said on Sunday.')
    assert [c.rule for c in claims] == ["claim.quoted"]


def test_showed_inside_quotation_marks_is_no_source() -> None:
    assert claims_of('The mayor called it "a survey that showed nothing new at all" and left the hall.') == []


@pytest.mark.parametrize(
    ("paragraph", "exact"),
    [
        (
            "OSLO (Reuters) - Storms sank 12 ferries overnight, the coast guard said.",
            "Storms sank 12 ferries overnight",
        ),
        (
            "Lindau, May 3 (PTI) Landslides buried 40 houses in the hills, the district office said.",
            "Landslides buried 40 houses in the hills",
        ),
        (
            "The Baltic Ferry Union (BFU) lost 12 boats, its chairman said.",
            "The Baltic Ferry Union (BFU) lost 12 boats",
        ),
        (
            "The lake reached 4.2 metres on Friday, well above the warning mark, the water agency said.",
            "The lake reached 4.2 metres on Friday",
        ),
        (
            "Rail union head Mira Kask said exports fell 8 percent, led by weaker timber sales.",
            "exports fell 8 percent",
        ),
    ],
)
def test_claim_boundaries(paragraph: str, exact: str) -> None:
    assert [c.exact for c in claims_of(paragraph)] == [exact]


def test_a_lead_in_with_a_colon_is_left_out_of_a_quoted_claim() -> None:
    (claim,) = claims_of('"I told the board plainly: the town has paid 3 million for this road," Mayor Ota Rus said.')
    assert claim.exact == "the town has paid 3 million for this road"


def test_an_opening_mark_without_its_closing_is_left_out() -> None:
    claims = claims_of("“The mill shipped 9,000 tonnes in May,” manager Eda Polat said.", "“We will grow,” she added.")
    assert [c.exact for c in claims] == ["The mill shipped 9,000 tonnes in May"]


def test_a_claimant_from_the_names_in_a_source_is_the_last_that_is_not_a_place() -> None:
    def mention(start: int, name: str, type_: str) -> Suggestion:
        return Suggestion(
            kind="actor", start=start, end=start + len(name), exact=name, score=1, actor=name, actor_type=type_
        )

    mentions = [
        mention(0, "Oslo", "place"),
        mention(10, "Norway", "country"),
        mention(20, "Fish Board", "organisation"),
    ]
    assert _Names(mentions).last_within(0, 40) == ("Fish Board", None, "organisation", 20, 30)
    assert _Names(mentions).last_within(0, 19) == ("Norway", None, "country", 10, 16)
    assert _Names(mentions).last_within(0, 9) is None


def test_the_source_of_data_is_its_last_name_not_a_place() -> None:
    (claim,) = claims_of("According to data from Norway's Fisheries Directorate, cod catches fell 11 percent.")
    assert claim.exact == "cod catches fell 11 percent"
    assert claim.claimant == "Fisheries Directorate"


def test_what_a_speaker_says_of_himself_or_in_quoted_words_is_no_claim_without_a_figure() -> None:
    assert claims_of("Coach Pavel Hrub said he had spoken to the players on Sunday.") == []
    assert claims_of('Coach Pavel Hrub said the dressing room was "in pieces".') == []
    assert [c.exact for c in claims_of("Coach Pavel Hrub said the club had sacked its doctor.")] == [
        "the club had sacked its doctor"
    ]


def test_a_quote_and_its_attribution_before_according_to_is_no_according_claim() -> None:
    claims = claims_of('"The harvest was poor," farmer Juho Aalto said, according to the local radio.')
    assert [c.rule for c in claims if c.rule == "claim.according"] == []


def test_a_sentence_of_a_personal_story_in_a_quote_is_no_claim() -> None:
    assert claims_of('"I have driven this bus for 30 years," driver Nuno Paz said.') == []


def test_according_to_a_long_source_name() -> None:
    claims = claims_of(
        "According to figures from the National Office for Roads and Bridges of the Northern Provinces (NORB), "
        "traffic on the coast road rose 7 percent."
    )
    assert [c.exact for c in claims] == ["traffic on the coast road rose 7 percent"]


def test_saying_after_a_subject_the_speaker_finder_does_not_know() -> None:
    claims = claims_of("The water board denied the complaint, saying crews had fixed 40 km of pipes before winter.")
    assert [c.exact for c in claims] == ["crews had fixed 40 km of pipes before winter"]


def test_a_claim_never_runs_over_the_end_of_a_sentence() -> None:
    claims = claims_of(
        'Union chief Ana Pires said the yard had cut 300 jobs "last year. We warned them" before the strike.'
    )
    assert all(". " not in c.exact for c in claims)


def test_background_after_a_cue_is_no_claim() -> None:
    claims = claims_of(
        "Farm minister Ivo Dolan told reporters, as the delegations met in Varna for talks, that 40 farms had closed."
    )
    assert all(not c.exact.startswith("as ") for c in claims)
