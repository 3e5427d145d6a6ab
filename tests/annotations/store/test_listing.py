"""stories.list, the story list's derived compact form: a library opens from it without reading its index, gives
the same entries as the index does, and is never used when it is stale or damaged. Also: a load of the
annotations stops when the store closes, and stories with the same counts share one Counter."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from annotations.store import LoadCancelled, Store
from annotations.store.listing import LIST_FILE
from stories.model import Story
from tests.store_support import add_story, make_story, put, tag_text


def _stories() -> list[Story]:
    dated = make_story("Old news, dated.", headline="Dated", created="2001-01-03", authors=("Ada Quist",))
    undated = make_story("No date anywhere.", headline="Undated")
    dateline = make_story("Oct 21 news.", headline="Dateline dated", extra={"dateline_date": "Oct 21"})
    versions = [make_story(f"Update {n}.", headline=f"Port strike v{n}", wire_id="port", version=n) for n in (3, 1)]
    return [dated, undated, dateline, *versions]


def _listed(store: Store) -> list[tuple[object, ...]]:
    return [(e.id, e.meta, e.added, e.date, e.version, e.versions) for e in store.entries(all_versions=True)]


def _library(data_dir: Path) -> list[Story]:
    stories = _stories()
    with Store(data_dir) as store:
        store.add_stories(stories)
        put(store, tag_text(stories[0], "Old news"))
    return stories


def test_a_library_opens_from_its_list_with_the_entries_its_index_gives(data_dir: Path) -> None:
    stories = _library(data_dir)
    assert (data_dir / LIST_FILE).is_file()  # written by the writer's close
    with Store(data_dir, read_only=True) as listed:
        assert listed._stories_db is None  # the index was not read
        from_list = _listed(listed)
        shown = [(e.id, e.version, e.versions) for e in listed.entries()]
        story = listed.story(stories[0].id)
        assert listed._stories_db is None
    (data_dir / LIST_FILE).unlink()
    with Store(data_dir, read_only=True) as indexed:
        assert indexed._stories_db is not None
        assert _listed(indexed) == from_list
        assert [(e.id, e.version, e.versions) for e in indexed.entries()] == shown
        assert story == stories[0] == indexed.story(stories[0].id)
    assert ("Port strike v3", 2, 2) in [(m.headline, v, n) for _, m, _, _, v, n in from_list]  # numbered oldest first


def test_a_store_opened_from_its_list_stores_new_stories_and_writes_the_list_again(data_dir: Path) -> None:
    _library(data_dir)
    late = make_story("Late news.", headline="Late", created="2030-01-01")
    with Store(data_dir) as store:
        assert store._stories_db is None
        assert store.add_stories([late]) == [True]
        assert store.entries()[0].id == late.id
    with Store(data_dir, read_only=True) as again:
        assert again._stories_db is None  # the list was written anew at close
        assert again.entries()[0].id == late.id and len(again) == 6


def test_a_stale_list_is_not_used(data_dir: Path) -> None:
    _library(data_dir)
    old = (data_dir / LIST_FILE).read_bytes()
    late = make_story("Late news.", headline="Late", created="2030-01-01")
    with Store(data_dir) as store:
        add_story(store, late)
    (data_dir / LIST_FILE).write_bytes(old)  # the list from before the import: it does not know the new story
    with Store(data_dir) as store:
        assert store._stories_db is not None  # read from the index
        assert store.entries()[0].id == late.id
    assert (data_dir / LIST_FILE).read_bytes() != old  # written anew


@pytest.mark.parametrize("damage", ["flip", "cut", "empty"])
def test_a_damaged_list_is_not_used_and_is_written_anew(data_dir: Path, damage: str) -> None:
    _library(data_dir)
    good = (data_dir / LIST_FILE).read_bytes()
    with Store(data_dir, read_only=True) as store:
        expected = _listed(store)
    bad = {"flip": good[:-40] + bytes([good[-40] ^ 1]) + good[-39:], "cut": good[:-7], "empty": b""}[damage]
    (data_dir / LIST_FILE).write_bytes(bad)
    with Store(data_dir) as store:
        assert store._stories_db is not None
        assert _listed(store) == expected
    assert (data_dir / LIST_FILE).read_bytes() == good


def test_closing_the_store_stops_a_load_of_the_annotations(data_dir: Path) -> None:
    stories = _library(data_dir)
    store = Store(data_dir)
    entered = threading.Event()
    stop_if_closing = store._stop_if_closing

    def held() -> None:  # the load waits here until the store is asked to close
        entered.set()
        store._cancel.wait()
        stop_if_closing()

    store._stop_if_closing = held  # type: ignore[method-assign]  # hold the load at its first check
    failures: list[BaseException] = []

    def load() -> None:
        try:
            store.load_annotations()
        except BaseException as exc:
            failures.append(exc)

    loader = threading.Thread(target=load)
    loader.start()
    entered.wait()
    store.close()  # returns: the load stopped at its check
    loader.join()
    assert [type(f) for f in failures] == [LoadCancelled]
    assert not store.annotations_loaded
    with Store(data_dir) as again:  # nothing was changed by the stopped load
        assert [a.exact for a in again.annotations(stories[0].id)] == ["Old news"]


def test_stories_with_the_same_counts_share_them(data_dir: Path) -> None:
    one, two, bare = make_story("Yes, said Ada."), make_story("Yes, said Bo."), make_story("Nothing.")
    with Store(data_dir) as store:
        store.add_stories([one, two, bare])
        put(store, tag_text(one, "Yes"))
        put(store, tag_text(two, "Yes"))
        assert store.counts(one.id) is store.counts(two.id)
        assert dict(store.counts(one.id)) == {"quote": 1, "actor": 0, "claim": 0}
        assert dict(store.counts(bare.id)) == {"quote": 0, "actor": 0, "claim": 0}
        put(store, tag_text(two, "Bo", kind="actor"))
        assert dict(store.counts(two.id)) == {"quote": 1, "actor": 1, "claim": 0}
        assert dict(store.counts(one.id)) == {"quote": 1, "actor": 0, "claim": 0}


def test_a_pass_over_every_entry_reads_metadata_without_keeping_it(data_dir: Path) -> None:
    _library(data_dir)
    with Store(data_dir, read_only=True) as listed:
        entries = listed.entries(all_versions=True)
        read = [e.read_meta() for e in entries]
        assert all(e.cached is None for e in entries)  # nothing kept: a 100k library would hold ~100 MB more
        assert read == [e.meta for e in entries]  # the same metadata, versions numbered as `meta` gives them
        assert all(e.cached is not None for e in entries)
