"""The plain scan: does a text query match a story's columns, word by word, without the index. The reference
the index is tested against, and what searches headlines while the index is being built."""

from __future__ import annotations

from collections.abc import Sequence

from annotations.search.query import Term, TextQuery
from annotations.search.spans import term_spans

__all__ = ["matches"]


def _has(term: Term, columns: Sequence[str]) -> bool:
    return any(term_spans([term], text) for text in columns if text)


def matches(match: TextQuery, columns: Sequence[str]) -> bool:
    """Whether a story with these column texts satisfies the query: every group has a term in some column (a
    phrase never runs from one column into the next) and no excluded term occurs anywhere."""
    return all(any(_has(t, columns) for t in group) for group in match.groups) and not any(
        _has(t, columns) for t in match.excluded
    )
