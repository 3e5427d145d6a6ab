"""Unambiguous placements: when a span's text and its stored context occur where the diff maps it and elsewhere
(swapped template paragraphs, a sentence repeated in several paragraphs, identical paragraphs), the old text beyond
the stored context decides; a span is placed only where no other place fits its wider surroundings clearly better,
else it is an orphan with the places as candidates."""

from __future__ import annotations

from annotations.carry import Placement, place
from tests.annotations.carry.support import P1, P2, P3, P4, paragraphs, span

# Two paragraphs opening with the same 64 characters (seed 12, chain 499).
A = (
    'Mark Berg of the Ministry of Health said the decision showed "we will study the ruling carefully before deciding'
    ' what to do next" and called for talks late on Sunday.'
)
B = (
    'Mark Berg of the Ministry of Health said the decision showed "we have waited 9 years for this decision and we'
    ' will not wait any longer" and called for talks on Thursday.'
)


def said(years: int, day: str) -> str:
    """A template sentence that differs from its siblings only in a figure and a day."""
    return (
        f'Li Voss of the World Food Programme said the decision showed "we have waited {years} years for this decision'
        f' and we will not wait any longer" and called for talks on {day}.'
    )


# One sentence closing three paragraphs that open differently (seed 12, chain 1717).
S = said(6, "Tuesday")
X1 = "Nobody should pay more because of grain exports, a senior official told the committee. " + S
X2 = "The Northern Energy Institute plans to spend 69 million on wildfire funding, according to documents. " + S
X3 = "A report commissioned by the Red Crescent found that 17 of 20 sites failed basic safety checks. " + S
THREE = paragraphs(P1, X1, P2, X2, P3, X3, P4)


def at(new: str, paragraph: str, exact: str) -> tuple[int, int]:
    """Where `exact` lies inside `paragraph` of `new`."""
    start = new.index(paragraph) + paragraph.index(exact)
    return start, start + len(exact)


def not_misplaced(p: Placement, truth: tuple[int, int] | None, state: str = "carried") -> bool:
    """An orphan, or placed exactly at the truth in the right state (never elsewhere)."""
    return p.state == "orphan" or (truth is not None and (p.start, p.end) == truth and p.state == state)


def test_two_swapped_paragraphs_opening_alike_are_not_told_apart_by_the_stored_context() -> None:
    old, new = paragraphs(P1, P2, A, B, P3), paragraphs(P1, P2, B, A, P3)
    for exact, nth, paragraph in (("Mark Berg", 1, A), ("Mark Berg", 2, B), ("Ministry of Health said", 1, A)):
        p = place(old, new, [span(old, exact, nth)])[0]
        truth = at(new, paragraph, exact)
        assert p.state == "orphan", (exact, nth, p)
        assert truth[0] in {c.start for c in p.candidates}  # the reviewer is offered the right place


def test_swapped_paragraphs_far_apart_that_differ_only_in_figures() -> None:
    a, b = said(9, "Thursday"), said(6, "Tuesday")
    old, new = paragraphs(P1, a, P2, b, P3), paragraphs(P1, b, P2, a, P3)
    p = place(old, new, [span(old, "Li Voss")])[0]
    assert not_misplaced(p, at(new, a, "Li Voss")), p


def test_a_sentence_repeated_in_three_paragraphs_rotated_or_swapped() -> None:
    exact = 'showed "we have waited'
    for new in (
        paragraphs(P1, X3, P2, X1, P3, X2, P4),  # rotated
        paragraphs(P1, X1, P2, X3, P3, X2, P4),  # the last two swapped
        paragraphs(P1, X2, P2, X1, P3, X3, P4),  # the first two swapped
    ):
        p = place(THREE, new, [span(THREE, exact, 2)])[0]
        assert not_misplaced(p, at(new, X2, exact)), p


def test_a_swap_plus_an_edit_in_the_swapped_paragraph() -> None:
    old = paragraphs(P1, P2, A, B, P3)
    typo = A.replace("carefully", "carfeully")
    new = paragraphs(P1, P2, B, typo, P3)
    p = place(old, new, [span(old, "Mark Berg")])[0]
    assert not_misplaced(p, at(new, typo, "Mark Berg")), p
    late = said(9, "Thursday"), said(6, "Tuesday")
    old = paragraphs(P1, *late, P3)
    edited = late[0].replace("Thursday", "Thursday night")
    new = paragraphs(P1, late[1], edited, P3)
    p = place(old, new, [span(old, "Li Voss of the World")])[0]
    assert not_misplaced(p, at(new, edited, "Li Voss of the World")), p


def test_a_swap_plus_a_figure_corrected_in_the_other_paragraph() -> None:
    old = paragraphs(P1, P2, A, B, P3)
    corrected = B.replace("9 years", "19 years")
    new = paragraphs(P1, P2, corrected, A, P3)
    p = place(old, new, [span(old, "Mark Berg", 2)])[0]
    assert not_misplaced(p, at(new, corrected, "Mark Berg")), p


def test_identical_paragraphs_one_deleted_leave_the_deleted_copys_span_unplaced() -> None:
    same = "Neither side gave details of the agreement, which the opposition party said would be signed within 3 days."
    old = paragraphs(P1, same, P2, same, P3)
    p = place(old, paragraphs(P1, same, P2, P3), [span(old, "the opposition party", 2)])[0]
    assert p.state == "orphan"
    p = place(old, paragraphs(P1, P2, same, P3), [span(old, "the opposition party", 1)])[0]
    assert p.state == "orphan"


def test_a_unique_place_is_still_carried() -> None:
    new = paragraphs(P1, X1, P2, X2, P3, P4)  # X3's paragraph deleted: X1 and X2 keep their surroundings
    for nth, paragraph in ((1, X1), (2, X2)):
        p = place(THREE, new, [span(THREE, 'showed "we have waited', nth)])[0]
        assert (p.state, (p.start, p.end)) == ("carried", at(new, paragraph, 'showed "we have waited'))


def test_a_deletion_between_two_copies_of_a_sentence_is_no_guess() -> None:
    # X2 ... X3 losing everything between the sentence in X2 and its copy in X3 reads the same as losing P3 and X3:
    # which copy survives is not in the text (seed 17 had the other reading).
    new = paragraphs(P1, X1, P2, X2, P4)
    p = place(THREE, new, [span(THREE, 'showed "we have waited', 3)])[0]
    assert p.state == "orphan"
    p = place(THREE, new, [span(THREE, 'showed "we have waited', 2)])[0]
    assert not_misplaced(p, at(new, X2, 'showed "we have waited'))
