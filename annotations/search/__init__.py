"""Full-text search across the library: the query language, the index, and the one rule both front ends call.
Imports `stories`, the store (`annotations.store`) and the library filter; nothing of `tui/`.

    from annotations.search import SearchIndex, find, parse_query
    index = SearchIndex(store); index.ensure()
    found = find(store, index, parse_query('"fishing quotas" -Norway since:2026-01'), limit=20)

Words are matched whole after folding case and diacritics ("Émile" finds "emile"), or as a prefix with `word*`.
No stemming (FTS5's porter is left out on purpose): "household" does not find "households". Stemming would make
the index disagree with what the reader highlights and with the plain scan, stem names ("Andes" → "and"), and
is English-only while wire copy is not; `word*` asks for the variants explicitly.
"""

from annotations.search.find import Found, Hit, find
from annotations.search.index import SearchIndex
from annotations.search.query import Query, QueryError, parse_query
from annotations.search.spans import match_spans

__all__ = ["Found", "Hit", "Query", "QueryError", "SearchIndex", "find", "match_spans", "parse_query"]
