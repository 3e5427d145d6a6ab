"""A few generated version chains (bench/make_versions.py): the truth is consistent and nothing is misplaced."""

from __future__ import annotations

from types import ModuleType

import pytest

from annotations.carry import place
from tests.annotations.carry.support import bench


@pytest.fixture(scope="module")
def versions() -> ModuleType:
    return bench("make_versions")


def test_chains_are_deterministic_and_their_truth_holds(versions: ModuleType) -> None:
    chain = versions.make_chain(7, 1)
    assert chain == versions.make_chain(7, 1) and 2 <= len(chain.steps) <= 4
    for step in chain.steps:
        assert len(step.spans) == versions.PER_STORY
        for sp, truth in zip(step.spans, step.truth, strict=True):
            assert step.old[sp.start : sp.end] == sp.exact and truth.id == sp.id
            if truth.state == "same":
                assert step.new[truth.start : truth.end] == sp.exact
            elif truth.state == "changed":
                assert step.new[truth.start : truth.end] != sp.exact


def test_a_small_run_misplaces_nothing(versions: ModuleType) -> None:
    seen = {"same": 0, "changed": 0, "gone": 0}
    for chain in versions.make_chains(12, seed=11):
        for step in chain.steps:
            for truth, p in zip(step.truth, place(step.old, step.new, step.spans), strict=True):
                seen[truth.state] += 1
                if p.state == "orphan":
                    continue
                assert truth.state != "gone", (step.edits, p)
                assert (p.start, p.end) == (truth.start, truth.end), (step.edits, p, truth)
                assert (p.state == "carried") == (truth.state == "same")
    assert all(seen.values())  # every kind of truth came up


@pytest.mark.parametrize(
    ("seed", "index", "step", "ident"),
    [
        (4, 491, 0, "a8"),  # the diff paired a quote with an inserted copy of its sentence
        (5, 850, 1, "a5"),  # a deleted sentence's start paired with the next paragraph's, a template's
        (4, 569, 2, "a20"),  # a rewritten lede with a look-alike sentence: both sides of the span new
        (4, 1718, 3, "a23"),  # a sentence rewritten into a look-alike: three edits inside the span
        (4, 1089, 1, "a17"),  # a span half in a deleted paragraph, its other side whole
        (5, 951, 0, "a11"),  # a paragraph moved into a span: fuzzy matching found a piece of it
        (4, 598, 1, "a14"),  # a misspelt name with a word added after it: not one misspelling
        (7, 1655, 0, "a19"),  # a short run between edits, repeated in the old text: the diff took the wrong copy
        (6, 785, 3, "a11"),  # a deleted sentence's text found as the start of a moved paragraph's look-alike
        (8, 1702, 2, "a21"),  # two paragraphs starting alike swapped: the diff ran on into the wrong one
        (10, 1594, 1, "a17"),  # a deleted paragraph's name, the next paragraph starting alike: its suffix cut short
        (10, 166, 0, "a3"),  # a moved quote's copy: the other old copy fits the damaged side better
        (12, 499, 0, "a6"),  # two paragraphs opening with the same 64 characters swapped: the stored context agrees
        (12, 1717, 2, "a19"),  # a sentence closing two paragraphs, both moved: the diff paired the wrong copies
        (14, 1051, 2, "a11"),  # a deleted template sentence; a look-alike spliced before its next paragraph
        (15, 669, 2, "a24"),  # a span's last word reworded: fuzzy matching cut the new words off its end
        (16, 931, 1, "a15"),  # a rewritten lede ending in a look-alike sentence: two edits in it, one beside it
        (16, 1229, 1, "a20"),  # a look-alike in a rewritten lede: its old surroundings agree only on stock words
        (17, 1663, 0, "a17"),  # a paragraph deleted between two opening alike: the diff slid the deletion
        (18, 103, 0, "a12"),  # a rewritten lede opening with a look-alike quote: its suffix kept only in part
        (19, 775, 3, "a8"),  # a paragraph inserted before the span's, ending in its first words: joined to it
        (20, 1605, 0, "a13"),  # a paragraph moved into a span across two paragraphs
        (21, 1810, 2, "a6"),  # its paragraph moved, a typo in it; a look-alike where it was: the moved copy is a rival
    ],
)
def test_misplacements_once_found_on_held_out_seeds_stay_fixed(
    versions: ModuleType, seed: int, index: int, step: int, ident: str
) -> None:
    st = versions.make_chain(seed, index).steps[step]
    at = next(i for i, sp in enumerate(st.spans) if sp.id == ident)
    truth, p = st.truth[at], place(st.old, st.new, st.spans)[at]
    assert p.state == "orphan" or (truth.state != "gone" and (p.start, p.end) == (truth.start, truth.end)), (p, truth)


def test_the_bench_report_names_each_goal(versions: ModuleType) -> None:
    carry = bench("bench_carry")
    report = carry.report(carry.run(3, seed=2), 3, 2)
    for words in ("carried to the right place", "misplaced", "changed detected", "orphans", "median", "p95", "difflib"):
        assert words in report
    held = carry.held_out_line(carry.run(2, seed=3), 3)
    assert held.startswith("- held out, seed 3:") and "misplaced **" in held
