"""Where each annotation of a story's old version goes in the new text: exact text with its context, then its
position through one diff of the two texts, then fuzzy matching where the diff points. What is not placed with
confidence is an orphan with its best candidate places; two about equally good places make an orphan too."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz

from annotations.carry.diffmap import DiffMap
from annotations.carry.thresholds import Thresholds, load_thresholds
from annotations.carry.wide import common_prefix, contest, sides
from stories.text import is_word_char, snap_to_words

__all__ = ["Candidate", "Placement", "SpanLike", "place"]

#: States and methods of a placement.
CARRIED, CHANGED, ORPHAN = "carried", "changed", "orphan"
#: At most this many exact occurrences of a span's text are weighed (a very common word).
_MAX_OCCURRENCES = 64
_MAX_CANDIDATES = 3
_WORDS = re.compile(r"\w+")


class SpanLike(Protocol):
    """What placing reads of an annotation (`annotations.model.Annotation` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def exact(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def suffix(self) -> str: ...


@dataclass(frozen=True)
class Candidate:
    """A possible place in the new text, with a score 0..1."""

    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Placement:
    """Where one old annotation goes: `carried` (same text), `changed` (same passage, edited) or `orphan`."""

    id: str
    state: str
    start: int | None
    end: int | None
    method: str
    score: float
    candidates: tuple[Candidate, ...] = ()


def place(
    old_text: str, new_text: str, spans: Sequence[SpanLike], thresholds: Thresholds | None = None
) -> list[Placement]:
    """One placement per span of `old_text`, in the same order, onto `new_text` (one diff for all of them)."""
    th = thresholds or load_thresholds()
    if not spans:
        return []
    dm = DiffMap(old_text, new_text, min_block=th.min_block, min_move=th.min_move)
    return [_Placer(dm, th, span).run() for span in spans]


def _whole(text: str, start: int, end: int) -> bool:
    """True if text[start:end] cuts no word at either end."""
    cuts_start = start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start])
    cuts_end = end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end])
    return not (cuts_start or cuts_end)


def _whole_hits(text: str, exact: str) -> list[int]:
    """Where `exact` starts in `text` as whole words (at most `_MAX_OCCURRENCES`)."""
    hits: list[int] = []
    i = text.find(exact) if exact else -1
    while i != -1 and len(hits) < _MAX_OCCURRENCES:
        if _whole(text, i, i + len(exact)):
            hits.append(i)
        i = text.find(exact, i + 1)
    return hits


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


class _Placer:
    """The decision for one span."""

    def __init__(self, dm: DiffMap, th: Thresholds, span: SpanLike) -> None:
        self.dm, self.th, self.span = dm, th, span
        self.new = dm.new
        self.region = dm.region(span.start, span.end, th.slack)
        self._contexts: dict[tuple[int, int], float] = {}

    def run(self) -> Placement:
        occurrences = self._occurrences()
        exact = self._exact_candidates(occurrences)
        placed = self._decide(occurrences, exact)
        if placed.start is None or placed.end is None:
            return placed
        better = contest(
            self.dm.old,
            self.new,
            (self.span.start, self.span.end),
            (placed.start, placed.end),
            _whole_hits(self.dm.old, self.span.exact),
            occurrences,
            wide=self.th.wide,
            margin=self.th.margin,
            least=self.th.wide_least,
        )
        if better is None:
            return placed
        ends = {at: at + len(self.span.exact) for at, _ in better} | {placed.start: placed.end}
        return self._orphan(exact, [Candidate(at, ends[at], round(score, 4)) for at, score in better])

    def _decide(self, occurrences: list[int], exact: list[Candidate]) -> Placement:
        """The placement the span's context, the diff and fuzzy matching support, before the wide comparison."""
        image = self._trusted_image(exact)
        if image is not None:  # one long run of identical text holds the whole span: its text is where the diff says
            here = self._context(image[0])
            others = [self._context(o) for o in occurrences if o != image[0]]
            unique = all(c < here for c in others)  # else the diff chose
            if not unique and (self._repeated_run() or any(c > here for c in others)):
                return self._orphan(exact)  # the diff chose between copies of a run, or against the context
            return self._placed(CARRIED, image, "exact" if unique else "diff", 1.0)
        if exact and exact[0].score >= self.th.exact_min:
            best = exact[0]
            if (len(exact) == 1 or self._clear(best, exact[1])) and not self._twin(best.start, best.end):
                if self._look_alike(best.start, best.end):
                    return self._orphan(exact)  # another old place of its text fits the stored context as well
                return self._placed(CARRIED, (exact[0].start, exact[0].end), "context", exact[0].score)
            return self._orphan(exact)  # two about equally good places: never guess
        if any(self._context(c.start) >= self.th.conflict_context for c in exact):
            return self._orphan(exact)  # its text is found unchanged elsewhere: moved, or edited here? never guess
        changed = self._changed()
        return changed if changed is not None else self._orphan(exact)

    def _trusted_image(self, others: list[Candidate]) -> tuple[int, int] | None:
        """The diff's image of the span, if its run of unchanged text goes on long enough around it, or if the stored
        context matches there and matches no other copy of the text better."""
        span, th = self.span, self.th
        block = self.dm.block_at(span.start)
        image = self.dm.image(span.start, span.end)
        if block is None or image is None:
            return None
        before = span.start - block.old_start if block.old_start > 0 else th.anchor
        after = block.old_end - span.end if block.old_end < len(self.dm.old) else th.anchor
        if min(before, after) >= th.anchor:  # unless the run may be another copy's (moved, or repeated) ...
            doubtful = block.moved or self._repeated_run()
            return None if doubtful and self._look_alike(*image) else image  # ... whose context fits as well
        here = self._context(image[0])
        rivals = [self._context(c.start) for c in others if c.start != image[0]]
        if here >= th.trust_context and all(r <= here - th.margin for r in rivals) and not self._twin(*image):
            return None if self._look_alike(*image) else image
        return None

    def _repeated_run(self) -> bool:
        """True if the run of unchanged text holding the span appears more than once in the old text or in the new
        one (the diff paired one copy of it, maybe the wrong one)."""
        block = self.dm.block_at(self.span.start)
        if block is None:
            return False
        run = self.dm.old[block.old_start : block.old_end]
        return any(text.find(run, text.find(run) + 1) != -1 for text in (self.dm.old, self.new))

    def _look_alike(self, start: int, end: int) -> bool:
        """True if another place of the span's text in the old version has as much of its own surroundings around
        new[start:end] as this span's stored context has, in all or on a side where this span's context is cut short:
        the new text there may be that other passage (a sentence of a template repeated with other names)."""
        sp, old, new = self.span, self.dm.old, self.new
        before, after = self._sides(start, end)
        here = before + after
        lp, ls = len(sp.prefix), len(sp.suffix)
        for o in _whole_hits(old, sp.exact):
            if o == sp.start:
                continue
            o_end = o + len(sp.exact)
            b = common_prefix(old[max(0, o - lp) : o][::-1], new[max(0, start - lp) : start][::-1])
            a = common_prefix(old[o_end : o_end + ls], new[end : end + ls])
            if b + a >= here or (before < lp and b > before) or (after < ls and a > after):
                return True
        return False

    def _sides(self, start: int, end: int) -> tuple[int, int]:
        """How many characters of the stored prefix and of the stored suffix the new text has around [start, end)."""
        prefix, suffix, new = self.span.prefix, self.span.suffix, self.new
        before = common_prefix(prefix[::-1], new[max(0, start - len(prefix)) : start][::-1])
        return before, common_prefix(suffix, new[end : end + len(suffix)])

    def _twin(self, start: int, end: int) -> bool:
        """True if new[start:end] with `anchor` characters either side is also old text at a place other than this
        span's: the new text there is (or may be) that other passage."""
        old, new, a = self.dm.old, self.new, self.th.anchor
        lo, hi = max(0, start - a), min(len(new), end + a)
        window, offset = new[lo:hi], start - lo
        i = old.find(window)
        while i != -1:
            if i + offset != self.span.start:
                return True
            i = old.find(window, i + 1)
        return False

    def _clear(self, best: Candidate, second: Candidate) -> bool:
        """True if `best` beats `second` by the margin, both in score and in context alone."""
        by_context = self._context(best.start) - self._context(second.start)
        return best.score - second.score >= self.th.margin and by_context >= self.th.margin

    def _placed(self, state: str, where: tuple[int, int], method: str, score: float) -> Placement:
        return Placement(self.span.id, state, where[0], where[1], method, round(min(1.0, max(0.0, score)), 4))

    def _occurrences(self) -> list[int]:
        """Where the span's exact text starts in the new text, as whole words."""
        return _whole_hits(self.new, self.span.exact)

    def _context(self, at: int, end: int | None = None) -> float:
        """How much of the stored prefix and suffix the new text has around [at, end) (end: at + the old text's
        length), 0..1."""
        end = at + len(self.span.exact) if end is None else end
        known = self._contexts.get((at, end))
        if known is not None:
            return known
        total = len(self.span.prefix) + len(self.span.suffix)
        if total == 0:
            return 1.0
        self._contexts[(at, end)] = sum(self._sides(at, end)) / total
        return self._contexts[(at, end)]

    def _near(self, start: int, end: int) -> bool:
        if self.region is None:
            return False
        slack = self.th.slack
        return start < self.region[1] + slack and end > self.region[0] - slack

    def _exact_candidates(self, occurrences: list[int]) -> list[Candidate]:
        """Occurrences of the exact text that are not another old passage's unchanged text, best first."""
        size, w = len(self.span.exact), self.th.context_weight
        out = []
        for at in occurrences:
            owner = self.dm.owner(at, at + size, self.th.anchor)
            if owner is not None and owner != self.span.start:
                continue
            score = w * self._context(at) + (1 - w) * (1.0 if self._near(at, at + size) else 0.0)
            out.append(Candidate(at, at + size, round(score, 4)))
        return sorted(out, key=lambda c: (-c.score, c.start))

    def _changed(self) -> Placement | None:
        """The passage where the diff points, if enough of it survives (or it is one edit between its whole
        context, as a misspelt name) and it is similar enough."""
        region = self.region or self.dm.between(self.span.start, self.span.end)
        if region is None:
            return None
        start, end = snap_to_words(self.new, *region)
        if start >= end:
            return None
        if self.dm.kept(self.span.start, self.span.end) < self.th.kept_min and not self._one_edit_within(start, end):
            return None
        exact, found = self.span.exact, self.new[start:end]
        if found == exact:  # the text is there after all, but not in one trusted run: only if its context agrees
            ok = self._context(start) >= self.th.trust_context
            return self._placed(CARRIED, (start, end), "diff", 1.0) if ok else None
        sim = _similarity(exact, found)
        method = "diff"
        if sim < self.th.changed_min:
            fuzzy = self._fuzzy(start, end)  # only narrows what the diff points to, never reaches past it ...
            if fuzzy is None or fuzzy.score < self.th.fuzzy_min or self._cuts_whole_context(start, end, fuzzy):
                return None  # ... nor away from an edge where the stored context is whole (words edited there)
            start, end, sim, method = fuzzy.start, fuzzy.end, fuzzy.score, "fuzzy"
        if self.new[start:end].count("\n\n") > exact.count("\n\n"):
            return None  # an edit inside a passage adds no paragraph: one moved in, or the one before, joined it
        if self.new[start:end] == exact or not self._kept_around(start, end, method) or self._twin(start, end):
            return None  # its own text in a place whose context disagrees: not confidently this passage
        before, after = self._sides(start, end)
        damaged = (before < len(self.span.prefix)) + (after < len(self.span.suffix))
        if self.dm.edits(self.span.start, self.span.end) + damaged > self.th.max_edits:
            return None  # edited in many places, in it and beside it: a stretch rewritten to a look-alike
        wide = sides(self.dm.old, self.span.start, self.span.end, self.new, start, end, self.th.wide)
        if max(wide.before, wide.after) < self.th.wide_least:
            return None  # its old surroundings agree on neither side past a stock phrase: a look-alike sentence
        if self._old_copy(start, end):
            return None  # the passage is another old one, unchanged: its place, not the span's edited one
        rival = self._rival(start, end)
        here = (sim + self._context(start, end)) / 2
        if rival is not None and (rival.score + self._context(rival.start, rival.end)) / 2 >= here - self.th.margin:
            return None  # a passage elsewhere is about as similar: never guess
        return self._placed(CHANGED, (start, end), method, sim)

    def _cuts_whole_context(self, start: int, end: int, fuzzy: Candidate) -> bool:
        """True if `fuzzy` moves an edge of the diff's passage [start, end) at which the stored context is whole."""
        before, after = self._sides(start, end)
        whole_before, whole_after = before == len(self.span.prefix), after == len(self.span.suffix)
        return (whole_before and fuzzy.start != start) or (whole_after and fuzzy.end != end)

    def _one_edit_within(self, start: int, end: int) -> bool:
        """True if the span is one edit, as many words long as new[start:end], with the whole stored context on both
        sides of it (a misspelt word; not words added beside it)."""
        sp = self.span
        whole = self._sides(start, end) == (len(sp.prefix), len(sp.suffix))
        same_words = len(_WORDS.findall(sp.exact)) == len(_WORDS.findall(self.new[start:end]))
        return whole and same_words and self.dm.edits(sp.start, sp.end) == 1

    def _kept_around(self, start: int, end: int, method: str) -> bool:
        """True if the new passage [start, end) keeps its surroundings: one side of the stored context whole, and the
        other either matching at least `changed_context` or, for `slack` characters, all old text (a paragraph beside
        it deleted) with [start, end) where the diff maps the span (`method` "diff": the edge on that side lies in a
        block) and `changed_min` of its words kept; a passage damaged on both sides is a rewritten stretch of text,
        however alike."""
        sp, th, new = self.span, self.th, self.new
        before, after = self._sides(start, end)
        if before < len(sp.prefix) and after < len(sp.suffix):
            return False
        if before < len(sp.prefix):
            share, lo, hi = before / len(sp.prefix), max(0, start - th.slack), start
            edge = self.dm.block_at(sp.start)
        else:
            share, lo, hi = (after / len(sp.suffix) if sp.suffix else 1.0), end, min(len(new), end + th.slack)
            edge = self.dm.block_at(sp.end, end=True)
        if share >= th.changed_context:
            return True
        mapped = method == "diff" and edge is not None and self.dm.kept(sp.start, sp.end) >= th.changed_min
        return mapped and (hi <= lo or self.dm.covered(lo, hi) == 1.0)

    def _old_copy(self, start: int, end: int) -> bool:
        """True if new[start:end] is, word for word, old text other than the span's own: another old passage,
        unchanged, whose place this is (a look-alike sentence beside the span's edited one)."""
        found, sp, old = self.new[start:end], self.span, self.dm.old
        at = old.find(found)
        while at != -1:
            if at + len(found) <= sp.start or at >= sp.end:
                return True
            at = old.find(found, at + 1)
        return False

    def _rival(self, start: int, end: int) -> Candidate | None:
        """The best fuzzy match of the span's text outside new[start:end] in text the new version brought (text that
        is mostly another old passage, unchanged, is that passage's place)."""
        size = len(self.span.exact)
        if size > self.th.max_search:
            return None
        found = []
        for lo, hi in ((0, start), (end, len(self.new))):
            c = self._fuzzy(lo, hi) if hi - lo >= size // 2 else None
            if c is not None and (c.end <= start or c.start >= end) and self.dm.covered(c.start, c.end) <= 0.5:
                found.append(c)  # (text mostly in blocks is another old passage, unchanged)
        return max(found, key=lambda c: c.score, default=None)

    def _fuzzy(self, lo: int, hi: int) -> Candidate | None:
        """The best fuzzy alignment of the span's text within new[lo:hi], widened to whole words."""
        exact = self.span.exact
        if hi <= lo or not exact.strip():
            return None
        found = fuzz.partial_ratio_alignment(exact, self.new[lo:hi])
        if found is None:
            return None
        start, end = snap_to_words(self.new, lo + found.dest_start, lo + found.dest_end)
        if start >= end:
            return None
        return Candidate(start, end, round(_similarity(exact, self.new[start:end]), 4))

    def _orphan(self, exact: list[Candidate], more: Sequence[Candidate] = ()) -> Placement:
        """Not placed: the best few places a reviewer may pick from."""
        pool = [*exact, *more]
        if self.region is not None:
            near = self._fuzzy(
                max(0, self.region[0] - self.th.slack), min(len(self.new), self.region[1] + self.th.slack)
            )
            if near is not None:
                pool.append(near)
        if len(self.span.exact) <= self.th.max_search:
            anywhere = self._fuzzy(0, len(self.new))
            if anywhere is not None:
                pool.append(anywhere)
        best: dict[tuple[int, int], Candidate] = {}
        for c in pool:
            if c.score >= self.th.candidate_min and c.score > best.get((c.start, c.end), Candidate(0, 0, -1.0)).score:
                best[(c.start, c.end)] = c
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.start))[:_MAX_CANDIDATES]
        return Placement(self.span.id, ORPHAN, None, None, "", 0.0, tuple(ranked))
