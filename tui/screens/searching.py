"""Searching: the library's search box, a base of LibraryScreen: a query in, the stories it selects shown.

Every query goes through `annotations.search.find`, the rule the CLI's `wiredesk search` uses. A query with a text
part lists the hits ranked, each with a snippet; one without lists the stories by date, its tokens applied. While
the box has the focus, the word being typed is a prefix (`hou` finds "households"). A body search on a large
library runs in a thread worker (the latest query wins; typing never waits); until the index is built, the words
are matched in the list's own haystacks (headline, agency, section, authors), at once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from textual import work
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from annotations.config import SavedSearch
from annotations.library_index import LibraryIndex
from annotations.search import Found, Query, SearchIndex, find, parse_query
from annotations.search.find import ANNOTATION_KEYS
from stories.text import clean_line
from tui.desk import desk
from tui.index_build import IndexBuild
from tui.widgets.index_progress import IndexProgress
from tui.widgets.saved_search_list import SavedSearchList
from tui.widgets.story_list import StoryList

__all__ = ["HIT_LIMIT", "Searching", "typing_query"]

#: How many hits a search lists, best first.
HIT_LIMIT = 500
#: How many hits' snippets the worker makes before the hits are shown (a tall screen's worth of two-line rows).
FIRST_SCREEN = 40
#: The shortest word being typed that is searched for as a prefix.
MIN_PREFIX = 2
#: A word being typed at the end of the box: not a token, a phrase, an exclusion, a prefix already, nor OR.
_TYPED_WORD = re.compile(r'(?:^|\s)(?!OR$)(?![A-Za-z]+:)[^\s"*-][^\s"*]*$')


def typing_query(text: str) -> str:
    """The query while `text` is being typed: its last word, when the cursor ends one, becomes a prefix; a single
    letter is left out until the next (`h*` would rank most of a large library, for nothing)."""
    typed = _TYPED_WORD.search(text) if text.count('"') % 2 == 0 else None
    if typed is None:
        return text
    return text + "*" if len(typed.group().strip()) >= MIN_PREFIX else text[: typed.start()]


class Searching(Screen):
    """The search box (#filter), the saved searches, and the index they need."""

    #: Libraries smaller than this are searched and indexed on the UI thread (it takes milliseconds), larger ones
    #: in the background. Tests set it to 0 to take the background path on a small library.
    BACKGROUND_FROM = 2000

    def __init__(self) -> None:
        super().__init__()
        self._index: LibraryIndex | None = None  # what the annotations say, for tokens; built on demand
        self._search: SearchIndex | None = None  # the body index, made on the first reload
        self._build: IndexBuild | None = None
        self._build_timer: Timer | None = None
        self._body_error = ""  # why body search is unavailable (the build failed), or ""
        self._generation = 0  # of the query typed last: a worker's result for an older one is dropped
        self._shown_query: Query | None = None  # the query whose stories are listed (to open a story at its match)
        self._shown_generation = -1  # the generation of the query whose answer is shown
        self._tokens: dict[tuple[tuple[str, str], ...], Found] = {}  # tokens -> what they select, per reload
        self._find_lock = threading.Lock()  # one find against the index at a time

    @property
    def box(self) -> Input:
        return self.query_one("#filter", Input)

    @property
    def shown_query(self) -> Query | None:
        """The query whose stories the list shows (None: every story)."""
        return self._shown_query

    def _update_title(self) -> None:
        raise NotImplementedError

    # --- the index ---------------------------------------------------------------------------------------------

    def search_reloaded(self) -> None:
        """The store changed (or the screen is shown): forget what was worked out, bring the index in sync."""
        store = desk(self).store
        self._index = None
        self._tokens.clear()
        if self._search is None:
            self._search = SearchIndex(store)
        if self._build is not None and not self._build.done:
            return  # the running build catches up with what is new when it ends (see _poll_build)
        if self._search.ready or not store.annotations_loaded:
            return  # the index holds the notes: built once the app has read the annotations (it reloads then)
        if len(store) < self.BACKGROUND_FROM:
            self._body_error = _ensure_now(self._search)
            return
        self._body_error = ""
        self._build = IndexBuild(self._search).start()
        self.query_one(IndexProgress).show(0, 0)
        self._build_timer = self.set_interval(0.1, self._poll_build)

    @property
    def body_search(self) -> bool:
        """The body index is usable now."""
        if self._search is None or self._body_error or (self._build is not None and not self._build.done):
            return False  # (`ready` would wait for the build: it holds the index's lock)
        return self._search.ready

    def _poll_build(self) -> None:
        build, bar = self._build, self.query_one(IndexProgress)
        if build is None:
            return
        if not build.done:
            bar.show(*build.progress)
            return
        if self._build_timer is not None:
            self._build_timer.stop()
        bar.hide()
        self._body_error = clean_line(build.error)
        if build.error:
            self.notify(self._body_error, title="Search index not built", severity="error")
        self.apply_search(self.box.value, typing=self.box.has_focus)
        self.count_searches()

    def close_index(self) -> None:
        """Let go of the index (a build still running keeps it until it ends)."""
        if self._search is not None and (self._build is None or self._build.done):
            self._search.close()

    # --- a query -----------------------------------------------------------------------------------------------

    def apply_search(self, text: str, *, typing: bool = False) -> None:
        """Show what `text` selects; `typing`: its last word is still being typed (a prefix)."""
        query = parse_query(typing_query(text) if typing else text)
        self._generation += 1
        library, waiting = self._library_for(query)
        if waiting:
            self.query_one(StoryList).filter("", lambda _: False)
            self._shown_query = query
            self._say(query.errors, ("reading the annotations…",))
            return
        body = bool(query.text) and self.body_search
        small = len(desk(self).store) < self.BACKGROUND_FROM
        if small or (not body and query.tokens in self._tokens):  # at once
            self._show_found(query, self._answer(query, library, body), self._generation)
            return
        self._search_in_background(query, library, body, self._generation)
        generation = self._generation
        self.set_timer(0.25, lambda: self._say_searching(generation))

    def _answer(self, query: Query, library: LibraryIndex | None, body: bool) -> Found:
        """What `query` selects (on the UI thread or a worker's): ranked from the index when `body`, else the
        tokens' selection, the words left to the list's haystacks (see `_show_found`)."""
        if body:
            return self._find(query, library)
        found = self._tokens_of(query, library)
        if not query.text:
            return found
        note = f"body search unavailable: {self._body_error}" if self._body_error else "building the index…"
        return Found(None, found.allows, (*found.notes, note), found.errors)

    def _library_for(self, query: Query) -> tuple[LibraryIndex | None, bool]:
        """The annotations' index if a token needs it; (None, True) while the annotations are still being read."""
        if not any(key in ANNOTATION_KEYS for key, _ in query.tokens):
            return None, False
        store = desk(self).store
        if not store.annotations_loaded:
            return None, True
        if self._index is None:
            self._index = LibraryIndex(store)
        return self._index, False

    def _tokens_of(self, query: Query, library: LibraryIndex | None) -> Found:
        """What the tokens alone select (the same `allows` for the same tokens until the next reload, so that
        the list can narrow its last result)."""
        key = query.tokens
        if key not in self._tokens:
            tokens_only = parse_query(" ".join(f'{k}:"{v}"' for k, v in query.tokens))
            self._tokens[key] = find(desk(self).store, None, tokens_only, library=library)
        return self._tokens[key]

    def _find(self, query: Query, library: LibraryIndex | None, limit: int | None = HIT_LIMIT) -> Found:
        """`find` against the index (on the UI thread or a worker's)."""
        return find(desk(self).store, self._search, query, limit=limit, library=library)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_in_background(
        self, query: Query, library: LibraryIndex | None, body: bool, generation: int
    ) -> tuple[Query, Found, int] | None:
        if get_current_worker().is_cancelled or generation != self._generation:
            return None  # typed on meanwhile
        with self._find_lock:  # one at a time: those typed over while waiting give up
            if get_current_worker().is_cancelled or generation != self._generation:
                return None
            found = self._answer(query, library, body)
        for hit in (found.hits or [])[:FIRST_SCREEN]:  # their snippets made here, not while the rows are drawn
            _ = hit.marks
        return query, found, generation

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS and worker.group == "search" and worker.result is not None:
            self._show_found(*worker.result)
        elif event.state == WorkerState.SUCCESS and worker.group == "counts" and worker.result is not None:
            saved = self.query_one(SavedSearchList)
            for name, count in worker.result:
                saved.set_count(name, count)
        elif event.state == WorkerState.ERROR and worker.group == "search":
            self._say((clean_line(str(worker.error)) or "the search failed",), ())

    def _show_found(self, query: Query, found: Found, generation: int) -> None:
        if generation != self._generation:
            return  # an older query's answer
        stories = self.query_one(StoryList)
        if found.hits is not None:
            stories.show_hits(found.hits)
        else:  # by date: the tokens' selection, and the words in the haystacks when the index could not answer
            words = "" if self.body_search else " ".join(_plain_words(query.text))
            stories.filter(words, found.allows)
        self._shown_query = query if query else None
        self._shown_generation = generation
        self._say(_lines(query.errors, found.errors), found.notes)

    def _say_searching(self, generation: int) -> None:
        """Say "searching…" if this query is still the latest and its answer has not been shown yet."""
        answered = self._shown_generation == generation
        if generation == self._generation and not answered and not self.box.border_subtitle:
            self.box.border_subtitle = "searching…"

    def _say(self, errors: tuple[str, ...] | list[str], notes: tuple[str, ...] | list[str]) -> None:
        """Errors (the box turns red), else notes, in the box's border; and the count in the title."""
        box = self.box
        box.border_subtitle = " · ".join(clean_line(line) for line in (errors or notes))
        box.set_class(bool(errors), "-error")
        self._update_title()

    # --- saved searches ----------------------------------------------------------------------------------------

    def count_searches(self) -> None:
        """Count what each saved search finds, in a worker (searches on annotations once they are read, on
        bodies once the index is built; "…" until then)."""
        searches = self.query_one(SavedSearchList).searches
        if not searches:
            return
        plans: list[tuple[SavedSearch, Query, LibraryIndex | None]] = []
        for search in searches:
            query = parse_query(search.query)
            library, waiting = self._library_for(query)
            if not waiting and (not query.text or self.body_search):
                plans.append((search, query, library))
        entries = [e.id for e in desk(self).store.entries()]
        self._count_in_background(plans, entries)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _count_in_background(
        self, plans: list[tuple[SavedSearch, Query, LibraryIndex | None]], ids: list[str]
    ) -> list[tuple[str, int]]:
        counts = []
        for search, query, library in plans:
            if get_current_worker().is_cancelled:
                break
            with self._find_lock:
                found = self._find(query, library, limit=None) if query.text else self._tokens_of(query, library)
            counts.append((search.name, _count(found, ids)))
        return counts


def _lines(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """The lines of every group, each once."""
    return tuple(dict.fromkeys(line for group in groups for line in group))


def _count(found: Found, ids: list[str]) -> int:
    if found.hits is not None:
        return len(found.hits)
    allows: Callable[[str], bool] | None = found.allows
    return len(ids) if allows is None else sum(1 for i in ids if allows(i))


def _plain_words(text: str) -> list[str]:
    """The words of a query's text part that a story must hold, for the haystack match (no phrase order, no
    OR, no exclusions: an approximation while the index is built)."""
    kept = re.sub(r'-"[^"]*"?|(?:^|(?<=\s))-\S+', " ", text).replace('"', " ")
    return [w.rstrip("*") for w in kept.split() if w != "OR" and w.rstrip("*")]


def _ensure_now(index: SearchIndex) -> str:
    """Bring a small library's index in sync here and now; why it failed, or ""."""
    try:
        index.ensure()
    except Exception as exc:  # any failure: the library goes on without body search, says why
        return clean_line(str(exc))[:200] or type(exc).__name__
    return index.problem
