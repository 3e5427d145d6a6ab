"""The stories a library filter selects, for the figures: the library's own rule (`annotations.search.find`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotations.search import SearchIndex, find, parse_query
from annotations.store import Store

if TYPE_CHECKING:
    from annotations.library_index import LibraryIndex

__all__ = ["Chosen", "select"]


@dataclass(frozen=True)
class Chosen:
    """What a filter selected: story version ids (None: every story), what names resolved to, and the errors
    (clean lines; a filter with errors selects nothing)."""

    stories: frozenset[str] | None
    notes: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


def select(store: Store, text: str, index: SearchIndex | None = None, library: LibraryIndex | None = None) -> Chosen:
    """The stories `text` (the library filter's language: words, "phrases", -word, quoting:, agency:, since:…)
    selects; words are found with `index` when it is ready, else in headlines and metadata (a note says so);
    `library` answers the annotation tokens (built when one is needed and it is None)."""
    query = parse_query(text)
    if query.errors:
        return Chosen(frozenset(), errors=tuple(query.errors))
    if not query:
        return Chosen(None)
    found = find(store, index, query, library=library)
    if found.errors:
        return Chosen(frozenset(), found.notes, found.errors)
    ids = {hit.story_id for hit in found.hits} if found.hits is not None else set(store.story_ids)
    if found.allows is not None:
        ids = {sid for sid in ids if found.allows(sid)}
    return Chosen(frozenset(ids), found.notes)
