"""What a query selects, the one rule both front ends call: ranked hits for the text part, a selection for the
tokens, and what names resolved to."""

from __future__ import annotations

import contextlib
import gc
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotations.search.docs import notes_of, story_columns
from annotations.search.index import SearchIndex
from annotations.search.query import ANNOTATION_KEYS, DATE_KEYS, Query, Term
from annotations.search.scan import scan_meta
from annotations.search.snippet import snippet
from annotations.search.words import fold
from annotations.store import Store, StoreError, StoryEntry
from stories.text import clean_line

if TYPE_CHECKING:
    from annotations.library_index import LibraryIndex

__all__ = ["ANNOTATION_KEYS", "Found", "Hit", "find"]


class Hit:
    """A story the text part matched: its id, BM25 score (higher is better), a snippet (one clean line, at most
    ~160 characters, around the best match) and the spans of the snippet that matched. The snippet is made on
    first use (from the story's text), so a long result list costs nothing until its rows are shown."""

    __slots__ = ("_made", "_source", "score", "story_id")

    def __init__(
        self,
        story_id: str,
        score: float,
        snippet: str | None = None,
        marks: tuple[tuple[int, int], ...] = (),
        *,
        source: Callable[[str], tuple[str, tuple[tuple[int, int], ...]]] | None = None,
    ) -> None:
        self.story_id = story_id
        self.score = score
        self._made = (snippet, marks) if snippet is not None else None
        self._source = source

    def _make(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        if self._made is None:
            self._made = self._source(self.story_id) if self._source is not None else ("", ())
        return self._made

    @property
    def snippet(self) -> str:
        return self._make()[0]

    @property
    def marks(self) -> tuple[tuple[int, int], ...]:
        return self._make()[1]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and (self.story_id, self.score) == (other.story_id, other.score)

    def __hash__(self) -> int:
        return hash((self.story_id, self.score))

    def __repr__(self) -> str:
        return f"Hit({self.story_id[:12]!r}, {self.score:.3f})"


@dataclass(frozen=True)
class Found:
    """What a query selected: `hits` ranked best first when it has words to find (None: no text part, or only
    words to leave out, which `allows` then applies), `allows` the selection of the tokens and of the words left
    out (None: every story), what names resolved to, and the errors (all clean lines). Hits are every story
    version that matches; ranking: `SearchIndex.search`."""

    hits: list[Hit] | None
    allows: Callable[[str], bool] | None
    notes: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


def find(
    store: Store,
    index: SearchIndex | None,
    query: Query,
    *,
    limit: int | None = None,
    library: LibraryIndex | None = None,
) -> Found:
    """What a query selects, the one rule both front ends call. `index` None or not ready: the text part is
    matched by a plain scan of headlines/metadata only and a note says the body index is being built. `library`:
    the LibraryIndex for the annotation tokens (built from the store when None and a token needs it)."""
    errors, notes = list(query.errors), list[str]()
    checks: list[Callable[[str], bool]] = []
    if any(key in ("agency", *DATE_KEYS) for key, _ in query.tokens):
        checks.append(_meta_check(store, query, errors, notes))
    if query.values("source"):
        checks.append(_source_check(store, query, errors, notes))
    wanted = tuple((key, value) for key, value in query.tokens if key in ANNOTATION_KEYS)
    if wanted:
        from annotations.library_index import LibraryIndex, StoryFilter  # it reads tokens with this package

        library = library if library is not None else LibraryIndex(store)
        selection = library.select(StoryFilter((), wanted))
        errors += selection.errors
        notes += selection.notes
        checks.append(selection.allows)
    hits: list[Hit] | None = None
    match = query.match
    if match:
        try:
            if index is None or not index.ready:
                raise StoreError(index.problem if index is not None and index.problem else "")
            if match.groups:
                ranked = index.search(match.fts(), None if checks else limit)
            else:  # only words to leave out: a selection, nothing to rank
                excluded, row = index.matching(match.fts_excluded()), index.row
                checks.append(lambda story_id: row(story_id) not in excluded)
        except StoreError as exc:
            notes.append(str(exc) or "searching headlines only: the body index is being built")
            ranked = [(sid, 0.0) for sid in scan_meta(store, match)]
            if not match.groups:
                kept = {sid for sid, _ in ranked}
                checks.append(kept.__contains__)
        if match.groups:
            source = _snippets(store, match.positive())
            if checks:
                ranked = [(sid, score) for sid, score in ranked if all(check(sid) for check in checks)]
            with _collector_paused():  # a gen-2 collection of a large store's objects would triple the time
                hits = [Hit(sid, score, source=source) for sid, score in ranked[:limit]]
    allows = None if not checks else (checks[0] if len(checks) == 1 else lambda sid: all(c(sid) for c in checks))
    return Found(hits, allows, tuple(notes), tuple(clean_line(e) for e in errors))


class _Pause:
    """Holds the garbage collector off while any thread makes many short-lived objects."""

    lock = threading.Lock()
    count = 0
    enabled = False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    with _Pause.lock:
        if _Pause.count == 0:
            _Pause.enabled = gc.isenabled()
            gc.disable()
        _Pause.count += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.count -= 1
            if _Pause.count == 0 and _Pause.enabled:
                gc.enable()


def _snippets(store: Store, terms: list[Term]) -> Callable[[str], tuple[str, tuple[tuple[int, int], ...]]]:
    def make(story_id: str) -> tuple[str, tuple[tuple[int, int], ...]]:
        try:
            story = store.story(story_id)
        except StoreError:
            return "", ()
        notes = notes_of(store.records_by_story().get(story_id, {})) if store.annotations_loaded else ""
        headline, standfirst, body, authors, dateline, notes = story_columns(story, notes)
        return snippet(terms, [body, standfirst, headline, dateline, authors, notes])

    return make


_ENTRIES: weakref.WeakKeyDictionary[Store, tuple[int, dict[str, StoryEntry]]] = weakref.WeakKeyDictionary()


def _entries(store: Store) -> dict[str, StoryEntry]:
    """Every story version's entry by id, made once per library size (stories are only ever added)."""
    cached = _ENTRIES.get(store)
    if cached is None or cached[0] != len(store):
        cached = _ENTRIES[store] = (len(store), {e.id: e for e in store.entries(all_versions=True)})
    return cached[1]


def _meta_check(store: Store, query: Query, errors: list[str], notes: list[str]) -> Callable[[str], bool]:
    """The stories whose agency and date satisfy the `agency:`, `since:` and `until:` tokens."""
    entries = _entries(store)
    agencies: set[str] | None = None
    for value in query.values("agency"):
        wanted = fold(value)
        found = {e.meta.agency for e in entries.values() if e.meta.agency and fold(e.meta.agency).startswith(wanted)}
        if not found:
            errors.append(f"agency:{value}: no story from such an agency")
        else:
            notes.append("agency: " + ", ".join(sorted(found)))
        agencies = found if agencies is None else agencies & found
    since = max(query.values("since"), default="")
    until = min(query.values("until"), default="")

    def allows(story_id: str) -> bool:
        entry = entries.get(story_id)
        if entry is None:
            return False
        day = entry.day
        return (
            (agencies is None or entry.meta.agency in agencies)
            and (not since or day >= since)
            and (not until or day[: len(until)] <= until)
        )

    return allows


def _source_check(store: Store, query: Query, errors: list[str], notes: list[str]) -> Callable[[str], bool]:
    """The stories that came from the live sources `source:` names (a name's start is enough)."""
    origin = store.story_sources()
    known = set(origin.values())
    allowed: set[str] | None = None
    for value in query.values("source"):
        wanted = fold(value)
        found = {name for name in known if fold(name).startswith(wanted)}
        if not found:
            errors.append(f"source:{value}: no story from such a source")
        else:
            notes.append("source: " + ", ".join(sorted(found)))
        allowed = found if allowed is None else allowed & found
    names = allowed or set()
    return lambda story_id: origin.get(story_id, "") in names
