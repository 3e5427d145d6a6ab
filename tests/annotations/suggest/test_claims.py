"""Claims: the content of indirect speech and of accusations, with the claimant."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.registry import Registry
from annotations.suggest.claims import find_claims
from annotations.suggest.context import Context
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
