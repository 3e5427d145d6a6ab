"""Hostile input to the library's search: queries typed in the box (escape sequences, FTS5 syntax, unbalanced
quotes, a whole page of text), saved searches in the config file, and something other than a file where the
search index goes. The app goes on; what reaches the screen is one clean line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotations import config
from annotations.search.index import INDEX_FILE
from annotations.store import Store
from tests.store_support import make_story
from tests.tui.support import counts_shown, until
from tui.app import WiredeskApp
from tui.screens.library import LibraryScreen
from tui.widgets.saved_search_list import SavedSearchList
from tui.widgets.story_list import StoryList

SIZE = (100, 32)
ESC = "\x1b"
STORY = make_story(
    "The ferry to Nordvik left at dawn; islanders said the fares were too high.",
    headline="Ferry fares rise again",
    created="2026-03-01",
)
QUERIES = [
    f"{ESC}[2J{ESC}]0;pwned\x07 ferry",
    'NEAR(ferry dawn, 2) ^ferry headline:ferry "',
    '"""" OR OR - * -- ** "unclosed phrase',
    "ferry\x00\x01\x7f\u202e\u200b",
    "quoting:" + ESC + "[31m" + ' actor:"" claims:<script> since:0000-99-99 until:',
    "x" * 20_000,
    "🦀 " * 500 + "ferry*",
    "thread:" + ESC + "[31m\u202e thread:" + "f" * 5_000 + ' thread:"" thread:-',
]


def store_with_story(path: Path) -> Store:
    store = Store(path)
    store.add_stories([STORY])
    return store


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
async def test_a_hostile_query_in_the_box_gives_one_clean_line(tmp_path: Path, query: str) -> None:
    app = WiredeskApp(store_with_story(tmp_path), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press("/")
        screen.box.value = query
        await until(pilot, lambda: screen.shown_query is not None or not query.strip(), "the query taken")
        await pilot.pause()
        subtitle = screen.box.border_subtitle
        assert subtitle.isprintable() and ESC not in subtitle
        stories = screen.query_one(StoryList)
        for i in range(stories.shown):
            line = stories.render_line(i + 1).text
            assert line.isprintable() and ESC not in line
        await pilot.press("enter")
        assert isinstance(app.screen, LibraryScreen)  # still running


def test_hostile_saved_searches_in_the_config_give_clean_lines() -> None:
    settings = {
        "searches": {
            f"{ESC}]0;title\x07evil": f"ferry {ESC}[2J",
            "nested": {"table": ["of", "things"]},
            "list": ["ferry"],
            "huge": "ferry " * 10_000,
            "": "ferry",
            **{f"s{i}": "ferry" for i in range(config.MAX_SEARCHES + 5)},
        }
    }
    found, errors = config.searches(settings)
    assert len(found) == config.MAX_SEARCHES
    assert found[0] == config.SavedSearch("evil", "ferry")  # cleaned
    assert all(s.name.isprintable() and s.query.isprintable() for s in found)
    assert all(line.isprintable() and len(line) <= config.MAX_MESSAGE for line in errors)
    assert len(errors) == 5  # nested, list, huge, "", and "only the first 50"


@pytest.mark.parametrize("kind", ["folder", "fifo"])
async def test_something_else_where_the_index_goes_leaves_the_library_working(tmp_path: Path, kind: str) -> None:
    store = store_with_story(tmp_path)
    path = tmp_path / INDEX_FILE
    if kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    searches = ([config.SavedSearch("ferry", "ferry")], [])
    app = WiredeskApp(store, annotator="tester", searches=searches)
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press("/", *"fares")
        await until(pilot, lambda: "body search unavailable" in screen.box.border_subtitle, "the reason")
        assert "not a regular file" in screen.box.border_subtitle
        assert screen.query_one(StoryList).shown == 1  # the headline holds it
        assert screen.query_one(SavedSearchList).count_text("ferry") == "…"  # no index: not counted
    assert path.exists() and not path.is_file()  # never replaced
