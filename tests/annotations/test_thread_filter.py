"""The `thread:` filter token: the stories of a claim thread's claims, by an id prefix or words of its title, in
the library filter, `find` (search, stats, the dashboard) and the threads view's key to the library."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import claim_threads
from annotations.history import History
from annotations.library_index import LibraryIndex, parse_filter
from annotations.search import find, parse_query
from annotations.store import Store
from annotations.threads import Thread
from tests.threads_support import CATCH, DENIED, FIRST, REOPEN, SECOND, THIRD, fill


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        yield fill(s)


def port_thread(store: Store) -> Thread:
    history = History(store)
    thread = claim_threads.link(history, REOPEN, title="Port reopening")
    claim_threads.link(history, DENIED, thread.id, status="denied")
    claim_threads.link(history, CATCH, title="Catch down a third at the port")
    return thread


def chosen(store: Store, text: str) -> tuple[set[str], list[str], list[str]]:
    selection = LibraryIndex(store).select(parse_filter(text))
    every = {FIRST.id, SECOND.id, THIRD.id}
    return {s for s in every if selection.allows(s)}, selection.notes, selection.errors


def test_a_thread_by_id_prefix_or_title_words_selects_its_claims_stories(store: Store) -> None:
    thread = port_thread(store)
    assert chosen(store, f"thread:{thread.id[:8]}") == ({FIRST.id, SECOND.id}, ["thread: “Port reopening”"], [])
    assert chosen(store, "thread:reopening")[0] == {FIRST.id, SECOND.id}
    assert chosen(store, 'thread:"PORT reopen"')[0] == {FIRST.id, SECOND.id}  # words in any case, a word's start
    assert chosen(store, "thread:catch")[0] == {THIRD.id}
    assert chosen(store, "thread:catch agency:nothing")[0] == {THIRD.id}  # agency: is not the library's token


def test_title_words_matching_several_threads_select_all_of_them(store: Store) -> None:
    port_thread(store)
    # "c" starts no word of the port thread's title
    assert chosen(store, "thread:c") == ({THIRD.id}, ["thread: “Catch down a third at the port”"], [])
    stories, notes, _ = chosen(store, "thread:port")  # a word of both titles
    assert stories == {FIRST.id, SECOND.id, THIRD.id} and len(notes) == 1 and "“Port reopening”" in notes[0]


def test_an_unknown_thread_is_an_error_that_selects_nothing(store: Store) -> None:
    port_thread(store)
    stories, _, errors = chosen(store, "thread:ferry")
    assert stories == set()
    assert errors == ["thread:“ferry”: no claim thread has that id or title (see `wiredesk claims`)"]


def test_an_unlinked_claims_story_leaves_the_selection(store: Store) -> None:
    thread = port_thread(store)
    claim_threads.unlink(History(store), DENIED.id)
    assert chosen(store, f"thread:{thread.id[:8]}")[0] == {FIRST.id}


def test_find_takes_the_token_with_words_and_metadata(store: Store) -> None:
    thread = port_thread(store)
    found = find(store, None, parse_query(f"thread:{thread.id[:6]} agency:Reuters"))
    assert found.hits is None and found.allows is not None and not found.errors
    assert [s for s in (FIRST.id, SECOND.id, THIRD.id) if found.allows(s)] == [FIRST.id]
    assert "thread: “Port reopening”" in found.notes
