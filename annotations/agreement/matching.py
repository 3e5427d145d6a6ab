"""Pairing two annotators' spans of one kind in one story: exact matching and overlap matching, both one-to-one.

Exact: the same start and end. Overlap: two spans qualify when the characters they share are at least half of the
shorter one; of the qualifying pairs the best are taken first, greedily (highest share of their union first, so
exact matches come before any other, then the longest overlap, then text order), each span in one pair at most.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from annotations.model import Annotation

__all__ = ["exact_pairs", "overlap_pairs", "overlaps_enough"]

Pair = tuple[Annotation, Annotation]


def _overlap(a: Annotation, b: Annotation) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _share(a: Annotation, b: Annotation) -> Fraction:
    """The characters `a` and `b` share, as a part of those either covers."""
    return Fraction(_overlap(a, b), max(a.end, b.end) - min(a.start, b.start))


def overlaps_enough(a: Annotation, b: Annotation) -> bool:
    """Whether `a` and `b` share at least half of the shorter span's characters (and at least one)."""
    shared = _overlap(a, b)
    return shared > 0 and 2 * shared >= min(a.end - a.start, b.end - b.start)


def exact_pairs(left: Sequence[Annotation], right: Sequence[Annotation]) -> list[Pair]:
    """The spans of `left` and `right` with the same start and end, one-to-one, in text order."""
    waiting: dict[tuple[int, int], list[Annotation]] = {}
    for b in sorted(right, key=_order):
        waiting.setdefault((b.start, b.end), []).append(b)
    pairs: list[Pair] = []
    for a in sorted(left, key=_order):
        same = waiting.get((a.start, a.end))
        if same:
            pairs.append((a, same.pop(0)))
    return pairs


def overlap_pairs(left: Sequence[Annotation], right: Sequence[Annotation]) -> list[Pair]:
    """The spans of `left` and `right` paired by overlap (the rule in this module's docstring), in text order."""
    candidates = [
        (-_share(a, b), -_overlap(a, b), _order(a), _order(b), i, j)
        for i, a in enumerate(left)
        for j, b in enumerate(right)
        if overlaps_enough(a, b)
    ]
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[Pair] = []
    for *_, i, j in sorted(candidates):
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            pairs.append((left[i], right[j]))
    return sorted(pairs, key=lambda pair: _order(pair[0]))


def _order(ann: Annotation) -> tuple[int, int, str]:
    return ann.start, ann.end, ann.id
