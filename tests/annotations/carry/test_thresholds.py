"""The re-anchoring thresholds: read from data, and each one decides on both of its sides."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import pytest

from annotations.carry import Placement, Thresholds, load_thresholds, place
from annotations.carry.diffmap import DiffMap
from tests.annotations.carry.support import BASE, P1, P2, P3, P4, P5, Span, paragraphs, span
from tests.conftest import ROOT

FIGURE = "Shares in the operator fell 12% after the ruling"
GONE = "The authority said it would study the judgment before deciding its next step"
LOOK_ALIKE = "The operator said it would study the judgment before deciding its next step, a lawyer told reporters."


def run(old: str, new: str, sp: Span, **changes: Any) -> Placement:
    return place(old, new, [sp], replace(load_thresholds(), **changes))[0]


def context(sp: Span, new: str, start: int, end: int) -> float:
    """The share of the stored prefix and suffix found around new[start:end] (as the engine measures it)."""
    before = next((i for i, (a, b) in enumerate(zip(sp.prefix[::-1], new[:start][::-1], strict=False)) if a != b), None)
    after = next((i for i, (a, b) in enumerate(zip(sp.suffix, new[end:], strict=False)) if a != b), None)
    before = min(len(sp.prefix), start) if before is None else before
    after = min(len(sp.suffix), len(new) - end) if after is None else after
    return (before + after) / (len(sp.prefix) + len(sp.suffix))


def test_the_data_file_holds_every_threshold_and_is_packaged() -> None:
    th = load_thresholds()
    assert all(isinstance(getattr(th, f.name), int | float) for f in fields(Thresholds))
    assert 0 < th.margin < 1 and th.min_block >= 1 and th.anchor >= 1
    assert '"annotations.carry" = ["thresholds.toml"]' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"margin": None}, "missing"),
        ({"extra": 1}, "unknown"),
        ({"margin": "high"}, "number"),
        ({"slack": True}, "number"),
    ],
)
def test_a_bad_mapping_is_refused_with_the_field_named(change: dict[str, Any], message: str) -> None:
    data = {f.name: getattr(load_thresholds(), f.name) for f in fields(Thresholds)}
    data.update(change)
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(ValueError, match=message):
        Thresholds.from_mapping(data)


def test_exact_min_and_context_weight() -> None:
    new = paragraphs(P1, P3, P4, P5, P2)
    sp = span(BASE, "Petra Lind")
    score = run(BASE, new, sp, min_move=10_000).score
    assert run(BASE, new, sp, min_move=10_000, exact_min=score).state == "carried"
    assert run(BASE, new, sp, min_move=10_000, exact_min=score + 0.01).state == "orphan"
    assert run(BASE, new, sp, min_move=10_000, context_weight=1.0).score == pytest.approx(context(sp, new, *_at(new)))
    assert run(BASE, new, sp, min_move=10_000, context_weight=0.0).state == "orphan"  # far from where the diff points


def _at(new: str) -> tuple[int, int]:
    return new.index("Petra Lind"), new.index("Petra Lind") + len("Petra Lind")


def test_margin() -> None:
    line = "Petra Lind spoke for the union."
    old = paragraphs(P1, line, P3)
    new = paragraphs("Fresh text one.", line, "Fresh two.", line.replace(" union.", " union today."), "Fresh three.")
    sp = span(old, "Petra Lind")
    first = new.index("Petra")
    second = new.index("Petra", first + 1)
    gap = context(sp, new, first, first + 10) - context(sp, new, second, second + 10)
    assert gap > 0
    loose = {"exact_min": 0.0, "context_weight": 1.0, "min_move": 10_000}
    assert run(old, new, sp, margin=gap - 0.001, **loose).start == first
    assert run(old, new, sp, margin=gap + 0.001, **loose).state == "orphan"


def test_kept_min_and_changed_min() -> None:
    new = BASE.replace("fell 12%", "fell 21%").replace("the operator fell", "the operators fell")  # two edits
    sp = span(BASE, FIGURE)
    kept = DiffMap(BASE, new, min_block=4, min_move=48).kept(sp.start, sp.end)
    assert run(BASE, new, sp, kept_min=kept).state == "changed"
    assert run(BASE, new, sp, kept_min=kept + 0.01).state == "orphan"
    sim = run(BASE, new, sp).score
    assert run(BASE, new, sp, changed_min=sim).state == "changed"
    assert run(BASE, new, sp, changed_min=sim + 0.01, fuzzy_min=1.01).state == "orphan"


def test_changed_context() -> None:
    # the figure edited, and the sentence after it rewritten: the prefix is whole, the suffix keeps ", their "
    rest = ", their worst day on record as brokers and small investors alike rushed to sell."
    new = BASE.replace("fell 12%", "fell 21%").replace(", their steepest drop since the company listed in 2019.", rest)
    sp = span(BASE, FIGURE)
    share = len(", their ") / len(sp.suffix)
    assert run(BASE, new, sp, changed_context=share).state == "changed"
    assert run(BASE, new, sp, changed_context=share + 0.01).state == "orphan"


def test_max_edits() -> None:
    before = "Nordvolt said 10% of water rights cases were still open, and talks would resume on Wednesday."
    after = before.replace("Nordvolt", "The state broadcaster").replace("10% of water rights", "3% of wildfire funding")
    old, new = paragraphs(P1, P2, before, P3), paragraphs(P1, P2, after, P3)
    sp = span(old, before)
    edits = DiffMap(old, new, min_block=4, min_move=48).edits(sp.start, sp.end)
    assert edits == 3
    assert run(old, new, sp, max_edits=edits).state == "changed"
    assert run(old, new, sp, max_edits=edits - 1).state == "orphan"


def test_conflict_context() -> None:
    aside = f"Analysts recalled that {FIGURE} in a similar case."
    new = paragraphs(P1, P2, P3.replace("fell 12%", "fell 21%"), aside, P4, P5)
    sp = span(BASE, FIGURE)
    assert run(BASE, new, sp, conflict_context=0.0).state == "orphan"  # its old text, unchanged, elsewhere
    assert run(BASE, new, sp, conflict_context=0.01).state == "changed"


def test_fuzzy_min() -> None:
    new = BASE.replace("expect to win", "expect to secure a complete and total victory in the higher court")
    new = new.replace("who leads", "who now leads")  # an edit beside the span's end: its suffix is not whole there
    sp = span(BASE, "We will appeal, and we expect to win")
    score = run(BASE, new, sp, changed_context=0.0).score
    assert run(BASE, new, sp, changed_context=0.0, fuzzy_min=score).method == "fuzzy"
    assert run(BASE, new, sp, changed_context=0.0, fuzzy_min=score + 0.01).state == "orphan"


def test_slack() -> None:
    inserted = " ".join(["The union said the quay had been its members' workplace for generations."] * 5)
    new = paragraphs(P1, P2, P3 + " " + inserted, P4, P5)  # sentences added inside the span (no new paragraph)
    sp = span(BASE, P3 + "\n\n" + P4)
    spread = len(inserted) + 1
    loose = {"changed_min": 0.0, "changed_context": 0.0, "kept_min": 0.0}
    assert run(BASE, new, sp, slack=spread - len(sp.exact), **loose).state == "changed"
    assert run(BASE, new, sp, slack=spread - len(sp.exact) - 1, **loose).state == "orphan"


def test_anchor_and_trust_context() -> None:
    new = BASE.replace("who leads", "who heads")
    sp = span(BASE, "Petra Lind")
    distance = len(", who ")
    assert run(BASE, new, sp, anchor=distance, trust_context=1.01).method == "exact"
    assert run(BASE, new, sp, anchor=distance + 1, trust_context=1.01).method == "context"
    at = new.index("Petra Lind")
    ctx = context(sp, new, at, at + 10)
    assert run(BASE, new, sp, anchor=1000, trust_context=ctx).method == "exact"
    assert run(BASE, new, sp, anchor=1000, trust_context=ctx + 0.01).method == "context"


def test_min_block_and_min_move() -> None:
    old, new = "alpha beta gamma delta", "alphas beta gammas delta"
    assert any(b.old_start == 5 for b in DiffMap(old, new, min_block=6, min_move=48).blocks)  # " beta "
    assert not any(b.old_start == 5 for b in DiffMap(old, new, min_block=7, min_move=48).blocks)
    moved = paragraphs(P1, P3, P4, P5, P2)
    run_length = max(b.old_end - b.old_start for b in DiffMap(BASE, moved, min_block=4, min_move=1).blocks if b.moved)
    assert any(b.moved for b in DiffMap(BASE, moved, min_block=4, min_move=run_length).blocks)
    assert not any(b.moved for b in DiffMap(BASE, moved, min_block=4, min_move=run_length + 1).blocks)


def test_candidate_min_and_max_search() -> None:
    new = paragraphs(P1, P2, P3, P5, LOOK_ALIKE)
    sp = span(BASE, GONE)
    best = run(BASE, new, sp).candidates[0].score
    assert run(BASE, new, sp, candidate_min=best).candidates
    assert not run(BASE, new, sp, candidate_min=best + 0.01).candidates
    assert run(BASE, new, sp, max_search=len(GONE)).candidates
    assert not run(BASE, new, sp, max_search=len(GONE) - 1).candidates


SWAP_A = (
    'Mark Berg of the Ministry of Health said the decision showed "we will study the ruling carefully before deciding'
    ' what to do next" and called for talks late on Sunday.'
)
SWAP_B = SWAP_A.replace("we will study the ruling carefully before deciding what to do next", "we have waited 9 years")


def test_wide() -> None:
    old, new = paragraphs(P1, P2, SWAP_A, SWAP_B, P3), paragraphs(P1, P2, SWAP_B, SWAP_A, P3)
    sp = span(old, "Mark Berg")
    assert run(old, new, sp).state == "orphan"  # the paragraphs agree for 64 characters after the name, then part
    assert run(old, new, sp, wide=len(sp.suffix)).state == "carried"  # no wider than the stored context: not seen


def test_wide_least() -> None:
    said = " told reporters on Monday that the council would sign within 3 days."
    named = "Fresh words about the harbour came on Monday from the prosecutor Marta Rossi" + said
    old = paragraphs(P1, named, P2, P3)
    edited = named.replace("the council", "the union")
    new = paragraphs(P1, edited, P2, "The court heard from the lawyer Marta Rossi" + said + " More followed.", P3)
    sp = span(old, "Marta Rossi")
    here = new.index("Marta Rossi")
    share = len(said) / load_thresholds().wide  # how far the other copy agrees after the name: a stock sentence
    assert (run(old, new, sp).state, run(old, new, sp).start) == ("carried", here)
    assert run(old, new, sp, wide_least=share).state == "orphan"
    assert run(old, new, sp, wide_least=share + 0.01).start == here


def test_max_edits_counts_a_side_whose_stored_context_is_not_whole() -> None:
    before = "Nordvolt said 10% of water rights cases were still open, and talks would resume on Wednesday."
    after = before.replace("10%", "3%").replace("were still", "remained")  # two edits inside
    old = paragraphs(P1, P2, before, P3)
    new = paragraphs(P1, P2.replace("dockworkers", "dock workers"), after, P3)  # and one in its stored prefix
    sp = span(old, before)
    assert run(old, paragraphs(P1, P2, after, P3), sp).state == "changed"  # the same two edits, the prefix whole
    partly = len(" union in the city.\n\n") / len(sp.prefix)  # the prefix is kept in part: allowed here
    assert run(old, new, sp, max_edits=3, changed_context=partly).state == "changed"
    assert run(old, new, sp, changed_context=partly).state == "orphan"
