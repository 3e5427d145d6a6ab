"""Where a query's terms occur in a text, read word by word as the index reads it: for highlights, snippets,
the plain scan and the reader's n/N."""

from __future__ import annotations

from annotations.search.query import Query, Term, TextQuery
from annotations.search.words import marked

__all__ = ["match_spans", "term_spans"]


def term_spans(terms: list[Term], text: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of any of `terms` in `text`, in text order (overlapping ones merged)."""
    if not terms or not text:
        return []
    if text.isascii() and all(w.isascii() for t in terms for w in t.words):  # the words must be in it somewhere
        low = text.lower()
        if not any(t.words[0].lower() in low for t in terms):
            return []
    return marked(" OR ".join(t.fts() for t in terms), text)


def match_spans(query: Query | TextQuery, text: str) -> list[tuple[int, int]]:
    """Where the query's positive terms (words, phrases, prefixes) occur in `text`, folded as the index folds
    (case, diacritics), in text order: the reader's n/N walk these."""
    match = query.match if isinstance(query, Query) else query
    return term_spans(match.positive(), text)
