"""One diff of two texts, reused for every span: runs of identical text (kept in place or moved) and the mapping
of old offsets to new ones through them."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, pairwise

from rapidfuzz.distance import Indel

__all__ = ["Block", "DiffMap"]

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Block:
    """`old[old_start:old_end] == new[new_start:new_start + len]`: a run of text found in both texts."""

    old_start: int
    old_end: int
    new_start: int
    moved: bool = False

    @property
    def new_end(self) -> int:
        return self.new_start + self.old_end - self.old_start

    @property
    def shift(self) -> int:
        return self.new_start - self.old_start


def _tokens(text: str) -> tuple[list[str], list[int]]:
    """Words, runs of spaces and single punctuation marks, with their start offsets (and the text's end last)."""
    toks = _TOKEN.findall(text)
    return toks, [0, *accumulate(map(len, toks))]  # the three alternatives cover every character


def _runs(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Equal token runs of a token-level LCS: (a_start, b_start, length in tokens)."""
    return [(op.src_start, op.dest_start, op.src_end - op.src_start) for op in Indel.opcodes(a, b) if op.tag == "equal"]


class DiffMap:
    """The blocks of identical text between `old` and `new`: the diff's equal runs, then long runs of the leftover
    text found again elsewhere (moved paragraphs). Old ranges of blocks never overlap."""

    def __init__(self, old: str, new: str, *, min_block: int, min_move: int) -> None:
        self.old, self.new = old, new
        a, a_at = _tokens(old)
        b, b_at = _tokens(new)
        kept: list[Block] = []
        for ai, bi, n in _slide(_runs(a, b), a, b):
            kept.append(Block(a_at[ai], a_at[ai + n], b_at[bi]))
        kept = self._drop_short(kept, min_block)
        self.blocks = sorted(kept + self._moves(kept, a, a_at, b, b_at, min_move), key=lambda bl: bl.old_start)
        self._starts = [bl.old_start for bl in self.blocks]

    def _drop_short(self, blocks: list[Block], min_block: int) -> list[Block]:
        """Equal runs shorter than `min_block` with an edit on both sides belong to the edit (a shared " the ")."""
        out = []
        for i, bl in enumerate(blocks):
            first = i == 0 and bl.old_start == 0 and bl.new_start == 0
            last = i == len(blocks) - 1 and bl.old_end == len(self.old) and bl.new_end == len(self.new)
            if bl.old_end - bl.old_start >= min_block or first or last:
                out.append(bl)
        return out

    def _moves(
        self, kept: list[Block], a: list[str], a_at: list[int], b: list[str], b_at: list[int], min_move: int
    ) -> list[Block]:
        """Long runs of the text the diff lost from `old` found again in the text it added to `new`."""
        gone = _gaps([(bl.old_start, bl.old_end) for bl in kept], len(self.old))
        added = _gaps(sorted((bl.new_start, bl.new_end) for bl in kept), len(self.new))
        if not gone or not added:
            return []
        ga, ga_at = _leftover(a, a_at, gone, "\x00a")
        gb, gb_at = _leftover(b, b_at, added, "\x00b")
        moves = []
        for ai, bi, n in _runs(ga, gb):
            start, end, dest = ga_at[ai], ga_at[ai + n - 1] + len(ga[ai + n - 1]), gb_at[bi]
            if end - start >= min_move:
                moves.append(Block(start, end, dest, moved=True))
        return moves

    def block_at(self, pos: int, *, end: bool = False) -> Block | None:
        """The block holding old offset `pos` (as a start: [old_start, old_end); as an end: (old_start, old_end])."""
        i = bisect_right(self._starts, pos - 1 if end else pos) - 1
        if i < 0:
            return None
        bl = self.blocks[i]
        inside = bl.old_start < pos <= bl.old_end if end else bl.old_start <= pos < bl.old_end
        return bl if inside else None

    def image(self, start: int, end: int) -> tuple[int, int] | None:
        """Where [start, end) went if one block holds all of it (its text is then unchanged)."""
        bl = self.block_at(start)
        if bl is None or end > bl.old_end:
            return None
        return start + bl.shift, end + bl.shift

    def kept(self, start: int, end: int) -> float:
        """The share of [start, end)'s word characters that lie in blocks (0..1)."""
        words = [m.span() for m in re.finditer(r"\w+", self.old[start:end])]
        total = sum(e - s for s, e in words)
        if total == 0:
            return 0.0
        inside = 0
        i = max(0, bisect_right(self._starts, start) - 1)
        for bl in self.blocks[i:]:
            if bl.old_start >= end:
                break
            for s, e in words:
                lo, hi = max(s + start, bl.old_start), min(e + start, bl.old_end)
                inside += max(0, hi - lo)
        return inside / total

    def region(self, start: int, end: int, slack: int) -> tuple[int, int] | None:
        """The new range the diff points to for old [start, end): each end through the block holding it, or, for an
        end lying in an edit, through the block that the edit borders exactly there. None if an end lies inside an
        edit (where it went is a guess), if no block touches the span, if its blocks went to places further apart
        than the span's length + `slack` (its pieces were paired with text elsewhere), or if the ends cross."""
        inner = self._overlapping(start, end)
        if not inner or max(b.shift for b in inner) - min(b.shift for b in inner) > end - start + slack:
            return None
        first, last = inner[0], inner[-1]
        if first.old_start <= start:
            ms: int | None = start + first.shift
        elif start == 0:
            ms = 0
        else:
            prev = self.block_at(start, end=True)
            ok = prev is not None and prev.old_end == start and prev.new_end <= first.new_start
            ms = prev.new_end if ok and prev is not None else None
        if last.old_end >= end:
            me: int | None = end + last.shift
        elif end == len(self.old):
            me = len(self.new)
        else:
            nxt = self.block_at(end)
            ok = nxt is not None and nxt.old_start == end and last.new_end <= nxt.new_start
            me = nxt.new_start if ok and nxt is not None else None
        if ms is None or me is None or ms >= me:
            return None
        return ms, me

    def between(self, start: int, end: int) -> tuple[int, int] | None:
        """For old [start, end) lying wholly in one edit whose ends it fills (a misspelt word), the new text the edit
        put there: between the block ending at `start` and the one starting at `end`; else None."""
        if self._overlapping(start, end):
            return None
        prev, nxt = self.block_at(start, end=True), self.block_at(end)
        if prev is None or nxt is None or prev.old_end != start or nxt.old_start != end:
            return None
        return (prev.new_end, nxt.new_start) if prev.new_end < nxt.new_start else None

    def edits(self, start: int, end: int) -> int:
        """How many separate edits touch old [start, end): gaps between the blocks holding its text, and its ends
        when they lie outside blocks."""
        inner = self._overlapping(start, end)
        if not inner:
            return 1
        gaps = sum(1 for x, y in pairwise(inner) if y.old_start > x.old_end)
        return gaps + (inner[0].old_start > start) + (inner[-1].old_end < end)

    def _overlapping(self, start: int, end: int) -> list[Block]:
        i = max(0, bisect_right(self._starts, start) - 1)
        out = []
        for bl in self.blocks[i:]:
            if bl.old_start >= end:
                break
            if bl.old_end > start:
                out.append(bl)
        return out

    def owner(self, new_start: int, new_end: int, anchor: int) -> int | None:
        """The old offset whose unchanged text new[new_start:new_end] is, if one block holds it with at least `anchor`
        characters of the block (or a text's end) on one side; else None (new text, or a pairing too short to
        trust)."""
        for bl in self._by_new():
            if bl.new_start <= new_start and new_end <= bl.new_end:
                before = new_start - bl.new_start if bl.old_start > 0 else anchor
                after = bl.new_end - new_end if bl.old_end < len(self.old) else anchor
                return new_start - bl.shift if max(before, after) >= anchor else None
        return None

    def covered(self, new_start: int, new_end: int) -> float:
        """The share of new[new_start:new_end] that is old text (lies in blocks), 0..1."""
        if new_end <= new_start:
            return 0.0
        inside = sum(max(0, min(new_end, bl.new_end) - max(new_start, bl.new_start)) for bl in self.blocks)
        return inside / (new_end - new_start)

    def _by_new(self) -> list[Block]:
        cached = getattr(self, "_new_order", None)
        if cached is None:
            cached = sorted(self.blocks, key=lambda bl: bl.new_start)
            self._new_order = cached
        return cached


def _boundary(toks: list[str], i: int) -> int:
    """How good a place an edit edge before token i is: after a line break 2, after a space 1, else 0."""
    if i <= 0 or i >= len(toks):
        return 2
    before = toks[i - 1]
    return 2 if "\n" in before else 1 if before.isspace() else 0


def _slide(runs: list[tuple[int, int, int]], a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Runs with each pure deletion or insertion between two of them slid, through the text repeated on both of
    its sides, to where its edges fall best (paragraph breaks first): deleting "X of the A...\n\nX of the B"
    becomes deleting the paragraph "X of the A...", not "A...\n\nX of the"."""
    out = [list(r) for r in runs]
    for k in range(len(out) - 1):
        (pa, pb, pn), (na, nb, nn) = out[k], out[k + 1]
        gap_a, gap_b = na - (pa + pn), nb - (pb + pn)
        if pn == 0 or (gap_a > 0) == (gap_b > 0):
            continue  # not a pure deletion or insertion
        toks, x, y = (a, pa + pn, na) if gap_a > 0 else (b, pb + pn, nb)
        start = pa if gap_a > 0 else pb
        best, shift = _boundary(toks, x) + _boundary(toks, y), 0
        s = 1
        while x - s >= start + 1 and toks[x - s] == toks[y - s]:
            score = _boundary(toks, x - s) + _boundary(toks, y - s)
            if score > best:
                best, shift = score, -s
            s += 1
        s = 1
        while s < nn and toks[x + s - 1] == toks[y + s - 1]:
            score = _boundary(toks, x + s) + _boundary(toks, y + s)
            if score > best:
                best, shift = score, s
            s += 1
        if shift:
            out[k][2] = pn + shift
            out[k + 1] = [na + shift, nb + shift, nn - shift]
    return [(ra, rb, rn) for ra, rb, rn in out if rn > 0]


def _gaps(ranges: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """The parts of [0, size) outside the sorted, disjoint `ranges`."""
    out, at = [], 0
    for s, e in ranges:
        if s > at:
            out.append((at, s))
        at = max(at, e)
    if at < size:
        out.append((at, size))
    return out


def _leftover(toks: list[str], at: list[int], gaps: list[tuple[int, int]], sep: str) -> tuple[list[str], list[int]]:
    """The tokens lying wholly in `gaps`, each gap closed by a separator token that matches nothing."""
    out: list[str] = []
    out_at: list[int] = []
    i = 0
    for n, (s, e) in enumerate(gaps):
        i = bisect_right(at, s - 1, 0, len(toks))
        while i < len(toks) and at[i] < e:
            if at[i] >= s and at[i + 1] <= e:
                out.append(toks[i])
                out_at.append(at[i])
            i += 1
        out.append(f"{sep}{n}")
        out_at.append(e)
    return out, out_at
