"""Properties of `place` for any text and any edit: a carried span's text is its old text, every span is in range
and whole words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.carry import place
from annotations.model import CONTEXT
from stories.text import snap_to_words
from tests.annotations.carry.support import Span

WORDS = st.sampled_from(["Lind", "said", "the", "port", "12%", "union,", "fell", "quay.", '"We', 'win,"', "\n\n", "a"])
TEXT = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, list[tuple[int, int]]]:
    old = draw(TEXT)
    a = draw(st.integers(0, len(old)))
    b = draw(st.integers(a, min(len(old), a + 80)))
    new = old[:a] + draw(st.lists(WORDS, max_size=12).map(" ".join)) + old[b:]
    spans = []
    for _ in range(draw(st.integers(1, 6))):
        s = draw(st.integers(0, len(old) - 1))
        spans.append(snap_to_words(old, s, draw(st.integers(s + 1, len(old)))))
    return old, new, [(s, e) for s, e in spans if s < e]


@settings(max_examples=150, deadline=None)
@given(cases())
def test_carried_text_is_unchanged_and_every_span_is_in_range_and_whole_words(
    case: tuple[str, str, list[tuple[int, int]]],
) -> None:
    old, new, ranges = case
    spans = [
        Span(f"s{i}", s, e, old[s:e], old[max(0, s - CONTEXT) : s], old[e : e + CONTEXT])
        for i, (s, e) in enumerate(ranges)
    ]
    placed = place(old, new, spans)
    assert [p.id for p in placed] == [sp.id for sp in spans]
    for sp, p in zip(spans, placed, strict=True):
        for c in p.candidates:
            assert 0 <= c.start < c.end <= len(new) and 0 <= c.score <= 1
        if p.state == "orphan":
            assert p.start is None and p.end is None and len(p.candidates) <= 3
            continue
        assert p.start is not None and p.end is not None and 0 <= p.start < p.end <= len(new)
        assert snap_to_words(new, p.start, p.end) == (p.start, p.end)
        assert (new[p.start : p.end] == sp.exact) == (p.state == "carried")
        assert 0 <= p.score <= 1 and not p.candidates
