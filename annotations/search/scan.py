"""The plain scan: whether a text query matches a story's columns, term by term, without the index. The
reference the index is tested against; and, over headlines, authors and datelines only, what answers while the
index is being built (`scan_meta`, an in-memory table of those, made once per library size)."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Sequence

from annotations.search.docs import meta_columns
from annotations.search.query import Term, TextQuery
from annotations.search.spans import term_spans
from annotations.search.words import TOKENIZE
from annotations.store import Store

__all__ = ["matches", "scan_meta"]

_META: weakref.WeakKeyDictionary[Store, tuple[int, sqlite3.Connection, list[str]]] = weakref.WeakKeyDictionary()
_META_LOCK = threading.Lock()


def _has(term: Term, columns: Sequence[str]) -> bool:
    return any(term_spans([term], text) for text in columns if text)


def matches(match: TextQuery, columns: Sequence[str]) -> bool:
    """Whether a story with these column texts satisfies the query: every group has a term in some column (a
    phrase never runs from one column into the next) and no excluded term occurs anywhere."""
    return all(any(_has(t, columns) for t in group) for group in match.groups) and not any(
        _has(t, columns) for t in match.excluded
    )


def scan_meta(store: Store, match: TextQuery) -> list[str]:
    """The stories whose headline, authors or dateline place satisfy the text query, newest first."""
    with _META_LOCK:
        cached = _META.get(store)
        if cached is None or cached[0] != len(store):
            entries = store.entries(all_versions=True)
            db = sqlite3.connect(":memory:", check_same_thread=False)
            db.execute(f"CREATE VIRTUAL TABLE meta USING fts5(headline, authors, dateline, tokenize='{TOKENIZE}')")
            rows = ((n, *(meta_columns(e.meta)[i] for i in (0, 3, 4))) for n, e in enumerate(entries))
            db.executemany("INSERT INTO meta(rowid, headline, authors, dateline) VALUES (?, ?, ?, ?)", rows)
            cached = _META[store] = (len(store), db, [e.id for e in entries])
        _, db, ids = cached
        query = "SELECT rowid FROM meta WHERE meta MATCH ?"
        if match.groups:
            return [ids[n] for n in sorted(row for (row,) in db.execute(query, (match.fts(),)))]
        left_out = {row for (row,) in db.execute(query, (match.fts_excluded(),))}  # only words to leave out
        return [sid for n, sid in enumerate(ids) if n not in left_out]
