"""A hit's snippet: one clean line of about 160 characters around the best match, with the matched spans."""

from __future__ import annotations

from annotations.search.query import Term
from annotations.search.spans import term_spans
from stories.text import clean_line

__all__ = ["SNIPPET_CHARS", "snippet"]

SNIPPET_CHARS = 160


def _best(spans: list[tuple[int, int]], text: str, terms: list[Term]) -> int:
    """Where the window holding the most different matched words starts (the earliest of the best)."""
    best, best_at = -1, spans[0][0]
    for i, (start, _) in enumerate(spans):
        inside = {text[s:e].casefold() for s, e in spans[i:] if e <= start + SNIPPET_CHARS}
        if len(inside) > best:
            best, best_at = len(inside), start
    return best_at


def snippet(terms: list[Term], parts: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet of the first of `parts` (body first, then the rest) where a term occurs, else the start of
    the first non-empty part; with the spans of it that matched."""
    for text in parts:
        spans = term_spans(terms, text) if terms else []
        if not spans:
            continue
        at = _best(spans, text, terms)
        start = max(0, at - SNIPPET_CHARS // 4)
        if start:
            start = text.find(" ", start, at) + 1 or at  # from a word's start
        line = _cut(text, start)
        return line, tuple(term_spans(terms, line))
    first = next((p for p in parts if p.strip()), "")
    return _cut(first, 0), ()


def _cut(text: str, start: int) -> str:
    end = start + SNIPPET_CHARS
    piece = text[start:end]
    if end < len(text):
        piece = piece[: piece.rfind(" ")] if " " in piece[SNIPPET_CHARS // 2 :] else piece
        piece += "…"
    line = clean_line(piece)
    return ("…" + line) if start else line
