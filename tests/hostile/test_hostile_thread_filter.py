"""Hostile input to the `thread:` filter token: a thread title carrying escape sequences and bidi controls (from a
merge or a sync) and values typed with them. What comes back is clean lines; nothing is changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotations import claim_threads
from annotations.history import History
from annotations.library_index import LibraryIndex, parse_filter
from annotations.store import Store
from tests.threads_support import FIRST, REOPEN, fill

ESC = "\x1b"
DIRTY = f"{ESC}]0;pwned\x07Port{ESC}[2J \u202ereopening\x00"


def clean(line: str) -> bool:
    return line.isprintable() and ESC not in line and "\u202e" not in line


def test_a_hostile_title_and_hostile_values_give_clean_lines(data_dir: Path) -> None:
    with Store(data_dir) as store:
        fill(store)
        thread = claim_threads.link(History(store), REOPEN, title="Port reopening")
        stored = store.thread(thread.id)
        assert stored is not None
        store.apply([(stored, replace(stored, title=DIRTY))])  # as a merge could bring it, before any cleaning
        before = store.threads()
        for value in ("reopening", DIRTY, f"{ESC}[31m", "\u202e" * 50, "x" * 10_000):
            selection = LibraryIndex(store).select(parse_filter(f'thread:"{value}"'))
            assert all(clean(line) for line in (*selection.notes, *selection.errors)), value
            assert all(len(line) < 300 for line in (*selection.notes, *selection.errors))
        found = LibraryIndex(store).select(parse_filter("thread:reopening"))
        assert found.allows(FIRST.id) and not found.errors
        assert store.threads() == before
