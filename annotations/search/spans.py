"""Where a query's terms occur in a text, word by word as the index reads it: for highlights, snippets and the
reader's n/N."""

from __future__ import annotations

from annotations.search.query import Query, Term, TextQuery
from annotations.search.words import words

__all__ = ["match_spans", "term_spans"]


def term_spans(terms: list[Term], text: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of any of `terms` in `text`, in text order (overlaps kept apart)."""
    found = list(words(text))
    folded = [w for _, _, w in found]
    spans = set()
    for term in terms:
        n = len(term.words)
        first, last = term.words[0], term.words[-1]
        for i, word in enumerate(folded[: len(folded) - n + 1]):
            if (word != first and not (n == 1 and term.prefix and word.startswith(first))) or (
                n > 1
                and (
                    folded[i + 1 : i + n - 1] != list(term.words[1:-1])
                    or not (folded[i + n - 1] == last or (term.prefix and folded[i + n - 1].startswith(last)))
                )
            ):
                continue
            spans.add((found[i][0], found[i + n - 1][1]))
    return sorted(spans)


def match_spans(query: Query | TextQuery, text: str) -> list[tuple[int, int]]:
    """Where the query's positive terms (words, phrases, prefixes) occur in `text`, folded as the index folds
    (case, diacritics), in text order: the reader's n/N walk these."""
    match = query.match if isinstance(query, Query) else query
    return term_spans(match.positive(), text)
