"""The claim finder on hostile story text: its own cue words (data showed, according to, and that, a charge)
everywhere, datelines and colons in odd places, many claims in one paragraph. It never raises, every claim's span
is its exact text without edge spaces, and overlapping claims are left out."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.registry import Registry
from annotations.suggest import suggest
from stories.model import Story
from tests.hostile.test_hostile_suggest_quotes import story_of

PIECES = [
    '"', "“", "”", "«", "»", "'", "’", ",", ".", ":", ": ", " ", " ", " ", "\n\n", "said", "told the paper", "that",
    "and that", "according to", "data", "showed", "a poll", "accused", "of", "12", "percent", "killed", "would",
    "I", "we", "he", "KYIV (AFP) - ", "/TASS/.", "(PTI)", ", a charge", ", as", "while", "May", "é", "ß",
]  # fmt: skip


def claims_in(text: str) -> tuple[Story | None, list]:
    story = story_of(text)
    if story is None:
        return None, []
    return story, [s for s in suggest(story, Registry([])) if s.kind == "claim"]


def check(text: str) -> None:
    story, claims = claims_in(text)
    for c in claims:
        assert story is not None and story.text[c.start : c.end] == c.exact
        assert c.exact == c.exact.strip() and len(c.exact.split()) >= 3
        assert 0 <= c.score <= 1
    spans = sorted((c.start, c.end) for c in claims)
    for (s1, e1), (s2, e2) in pairwise(spans):
        common = min(e1, e2) - s2
        assert common * 2 < max(e1 - s1, e2 - s2), "two claims overlap by half or more"


@given(st.lists(st.sampled_from(PIECES), max_size=80))
def test_any_mix_of_claim_cues_never_raises(pieces: list[str]) -> None:
    check(" ".join(pieces))


@pytest.mark.parametrize(
    "text",
    [
        "data showed " * 3000,
        "according to data, " * 2000,
        "and that " * 3000,
        ": " * 5000 + "the mill shipped 40 tonnes",
        ", a charge " * 3000,
        "KYIV (AFP) - " * 2000,
        '"We lost 12 boats," he said. ' * 1000,
    ],
    ids=lambda t: repr(t[:20]),
)
def test_pathological_input(text: str) -> None:
    check(text)


def test_a_long_paragraph_of_claims_gives_each_clause_once() -> None:
    sentence = "Officials said that 12 people had died and that 30 were hurt, the agency said, as rain fell."
    _, claims = claims_in(" ".join([sentence] * 400))
    assert len(claims) == 800
    assert {c.exact for c in claims} == {"12 people had died", "30 were hurt"}
