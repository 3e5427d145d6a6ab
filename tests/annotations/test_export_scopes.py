"""Export scopes and counting, headless (the app's export dialog offers them): one story or each of its
versions, the stories a filter shows, everything; how many annotations each holds; a stoppable export."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.exports import ExportFilter
from annotations.exports.scopes import (
    ExportCancelled,
    count_annotations,
    everything_scope,
    export_to,
    formats,
    list_scope,
    story_scope,
)
from annotations.store import Store
from tests.store_support import make_story, tag_text

FIRST = make_story("The port reopened on Monday, the authority said.", headline="Port reopens", wire_id="port-1")
SECOND = make_story(
    "The port reopened on Monday after dredging, the authority said.", headline="Port reopens", wire_id="port-1"
)
OTHER = make_story("Ferries sail again\x1b[31m after the strike.", headline="Ferries \x1b[2Jsail")


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        s.add_stories([FIRST, SECOND, OTHER])
        s.apply([(None, tag_text(FIRST, "The port reopened")), (None, tag_text(SECOND, "the authority", "actor"))])
        s.apply([(None, tag_text(SECOND, "after dredging", "claim")), (None, tag_text(OTHER, "Ferries sail again"))])
        yield s


def test_a_story_scope_is_one_version_or_each(store: Store) -> None:
    one = story_scope(store, SECOND.id, every_version=False)
    assert (one.name, one.detail, one.filter.story_ids) == ("this story", "“Port reopens”", {SECOND.id})
    both = story_scope(store, SECOND.id, every_version=True)
    assert both.detail == "“Port reopens” (its 2 versions)" and both.filter.story_ids == {FIRST.id, SECOND.id}
    assert count_annotations(store, one.filter) == 2 and count_annotations(store, both.filter) == 3


def test_a_headline_is_shown_terminal_safe(store: Store) -> None:
    assert "\x1b" not in story_scope(store, OTHER.id, every_version=False).detail


def test_the_listed_stories_and_everything(store: Store) -> None:
    newest = [e for e in store.entries() if e.id == SECOND.id]
    listed = list_scope(store, newest)
    assert listed.detail == "the 1 story the library's filter shows"
    assert listed.filter.story_ids == {FIRST.id, SECOND.id}  # each with every version
    everything = everything_scope(store)
    assert everything.detail == "all 2 stories in the library, every version" and everything.filter == ExportFilter()
    assert count_annotations(store, everything.filter) == 4
    assert count_annotations(store, ExportFilter(kinds=frozenset({"quote"}))) == 2  # narrowed: counted one by one


def test_formats_and_a_stopped_export(store: Store, tmp_path: Path) -> None:
    assert list(formats()) == ["json", "jsonl", "csv", "w3c", "brat", "markdown"]
    out = tmp_path / "out.csv"
    with pytest.raises(ExportCancelled):
        export_to(store, "csv", out, ExportFilter(), stopped=lambda: True)
    assert not out.exists()
    seen: list[int] = []
    assert export_to(store, "csv", out, ExportFilter(), progress=seen.append) == 4 and seen[-1] == 4
