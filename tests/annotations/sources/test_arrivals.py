"""The handoff between the poller and the writer: arrivals are complete or absent, imported through the one import
path, removed only once saved, recorded with their source; a bad one is moved aside and told once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.sources import deliver, load_state, pending, take_arrivals, update_state
from annotations.sources.arrivals import ARRIVALS, FAILED
from annotations.sources.state import STATE_FILE, SourceState
from annotations.store import Store
from tests.cli_support import FERRY, HARBOUR, LIBRARY


@pytest.fixture
def store(data_dir: Path):
    opened = Store(data_dir)
    yield opened
    opened.close()


def test_arrivals_are_imported_recorded_and_removed(store: Store) -> None:
    deliver(store.data_dir, "wire", HARBOUR.encode(), "harbour.txt")
    deliver(store.data_dir, "wire", FERRY.encode(), "ferry.txt")
    deliver(store.data_dir, "other", LIBRARY.encode(), "library.txt")
    assert len(pending(store.data_dir)) == 3
    assert not list((store.data_dir / ARRIVALS / "wire").glob(".*"))  # no temp file left behind
    intake = take_arrivals(store)
    assert sorted(intake.new) == ["other", "wire"] and len(intake.ids) == 3 and intake.files == 3
    assert pending(store.data_dir) == [] and intake.lines == []
    assert sorted(store.story_sources().values()) == ["other", "wire", "wire"]
    assert {store.story_source(i) for i in intake.new["wire"]} == {"wire"}
    assert load_state(store.data_dir)["wire"].stories_today() == 2
    reopened = Store(store.data_dir, read_only=True)
    assert reopened.story_source(intake.new["other"][0]) == "other"
    reopened.close()


def test_the_same_file_twice_is_imported_once_and_keeps_its_first_source(store: Store) -> None:
    deliver(store.data_dir, "wire", HARBOUR.encode(), "harbour.txt")
    first = take_arrivals(store)
    deliver(store.data_dir, "again", HARBOUR.encode(), "harbour.txt")
    second = take_arrivals(store)
    assert len(first.ids) == 1 and second.ids == [] and second.files == 1
    assert len(store) == 1 and store.story_source(first.ids[0]) == "wire"


def test_a_file_that_cannot_be_imported_is_moved_aside_and_told_once(store: Store) -> None:
    deliver(store.data_dir, "wire", b"\x00\x01\x02 not a story", "junk.bin")
    deliver(store.data_dir, "wire", FERRY.encode(), "ferry.txt")
    intake = take_arrivals(store)
    assert len(intake.ids) == 1 and len(intake.lines) == 1
    assert "junk.bin cannot be imported" in intake.lines[0] and "failed" in intake.lines[0]
    assert [p.name.endswith("junk.bin") for p in (store.data_dir / ARRIVALS / FAILED).iterdir()] == [True]
    assert take_arrivals(store).lines == []  # told once: it is no longer an arrival


def test_stop_is_asked_between_files_and_the_rest_waits(store: Store) -> None:
    for n, text in enumerate((HARBOUR, FERRY, LIBRARY)):
        deliver(store.data_dir, "wire", text.encode(), f"{n}.txt")
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return True

    intake = take_arrivals(store, stop=stop)
    assert intake.stopped and asked
    assert len(store) + len(pending(store.data_dir)) >= 3  # nothing lost: each story is stored or still waiting
    assert take_arrivals(store).stopped is False
    assert len(store) == 3 and pending(store.data_dir) == []


def test_limit_takes_a_few_at_a_time(store: Store) -> None:
    for n, text in enumerate((HARBOUR, FERRY, LIBRARY)):
        deliver(store.data_dir, "wire", text.encode(), f"{n}.txt")
    assert take_arrivals(store, limit=2).files == 2
    assert len(pending(store.data_dir)) == 1


def test_a_damaged_state_file_costs_only_what_it_held(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / STATE_FILE).write_text("{not json")
    assert load_state(data_dir) == {}
    (data_dir / STATE_FILE).write_text(json.dumps({"a": {"failures": "many", "etag": '"x"', "taken": [1, 2]}}))
    assert load_state(data_dir)["a"] == SourceState(etag='"x"')

    def change(states: dict[str, SourceState]) -> None:
        states["a"].failures = 2

    update_state(data_dir, change)
    assert load_state(data_dir)["a"].failures == 2 and load_state(data_dir)["a"].etag == '"x"'


def test_source_token_selects_the_stories_of_a_source(store: Store) -> None:
    from annotations.search import parse_query
    from annotations.search.find import find

    deliver(store.data_dir, "wire", HARBOUR.encode(), "harbour.txt")
    deliver(store.data_dir, "feed", FERRY.encode(), "ferry.txt")
    intake = take_arrivals(store)
    found = find(store, None, parse_query("source:WI"))
    assert found.allows is not None and found.notes == ("source: wire",)
    assert [i for i in store.story_ids if found.allows(i)] == intake.new["wire"]
    missing = find(store, None, parse_query("source:nope"))
    assert missing.errors == ("source:nope: no story from such a source",)
    assert missing.allows is not None and not any(missing.allows(i) for i in store.story_ids)
