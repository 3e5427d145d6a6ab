"""The wide comparison of a placement against its rivals: the old text around a span, `wide` characters on each
side (far more than the stored context), set against the new text around each place of the span's text; and the new
text around the placement set against the old text around each other old place of that text. A placement stands only
if no rival fits clearly better on either side: two paragraphs opening with the same words and swapped, or a sentence
repeated in several paragraphs, agree on the stored context but not on the paragraph around it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Sides", "common_prefix", "contest"]


def common_prefix(a: str, b: str) -> int:
    """How many characters `a` and `b` share from their starts."""
    if a == b:
        return len(a)
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@dataclass(frozen=True)
class Sides:
    """How far (0..1 of the window) the text before and the text after two places agree, read outward."""

    before: float
    after: float

    def beaten_by(self, other: Sides, margin: float, least: float) -> bool:
        """True if `other` agrees clearly further (by `margin`) on at least one side, and there at least `least` of
        the window (a shorter run is a stock phrase: "told reporters. Neither side gave details")."""
        return any(b >= max(a + margin, least) for a, b in ((self.before, other.before), (self.after, other.after)))

    @property
    def score(self) -> float:
        return (self.before + self.after) / 2


def agreement(a: str, b: str, cap: int) -> int:
    """How many characters `a` and `b` share read from their starts, up to `cap`; `cap` if they are the same text
    (both end at the text's edge). Exact: past an edit, template sentences with other names and figures agree."""
    return cap if a == b else min(common_prefix(a, b), cap)


def sides(a: str, a_start: int, a_end: int, b: str, b_start: int, b_end: int, wide: int) -> Sides:
    """How far the text before a[a_start:a_end] and before b[b_start:b_end] agree, read backwards, and the text after
    them, read forwards: up to `wide` characters, as a share of `wide`."""
    before = agreement(a[max(0, a_start - wide) : a_start][::-1], b[max(0, b_start - wide) : b_start][::-1], wide)
    after = agreement(a[a_end : a_end + wide], b[b_end : b_end + wide], wide)
    return Sides(before / wide, after / wide)


def contest(
    old: str,
    new: str,
    span: tuple[int, int],
    place: tuple[int, int],
    old_hits: Sequence[int],
    new_hits: Sequence[int],
    *,
    wide: int,
    margin: float,
    least: float,
) -> list[tuple[int, float]] | None:
    """None if old `span` placed at new `place` is unchallenged, else the places a reviewer should see (new start,
    wide score), best first, the placement among them. Challengers (all start offsets of the span's text): another
    new place (`new_hits`) whose surroundings fit the span's clearly better on either side (the span's paragraph
    may have moved there); another old place (`old_hits`) whose surroundings fit the new place clearly better on
    either side (the new place may be that passage's: identical paragraphs, one deleted; or a deletion between two
    copies of a sentence, which the diff may slide either way)."""
    size = span[1] - span[0]
    here = sides(old, *span, new, *place, wide)
    better = []
    for n in new_hits:
        if n != place[0]:
            there = sides(old, *span, new, n, n + size, wide)
            if here.beaten_by(there, margin, least):
                better.append((n, there.score))
    old_rival = any(
        here.beaten_by(sides(old, o, o + size, new, *place, wide), margin, least) for o in old_hits if o != span[0]
    )
    if not better and not old_rival:
        return None
    return sorted([*better, (place[0], here.score)], key=lambda c: (-c[1], c[0]))
