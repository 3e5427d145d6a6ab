"""The library's search, driven by Textual's Pilot: body hits ranked with snippets, opening a story at its match,
saved searches with their counts, the index rebuilt with a progress bar, and the words filter's narrowing."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Footer

from annotations import config
from annotations.config import SavedSearch
from annotations.search import SearchIndex
from annotations.search.index import INDEX_FILE
from annotations.store import Store
from stories.model import Story
from tests.store_support import make_story
from tests.tui.support import Notices, counts_shown, press_at_once, until
from tui.app import WiredeskApp
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.screens.searching import Searching, typing_query
from tui.widgets.find_bar import FindBar
from tui.widgets.index_progress import IndexProgress
from tui.widgets.saved_search_list import SavedSearchList
from tui.widgets.story_list import StoryList
from tui.widgets.story_view import StoryView

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)

QUOTAS = make_story(
    "Fishing quotas for the northern fleet were cut again on Monday.",
    "Skippers said the quotas would leave households along the coast short of income.",
    "The ministry said quotas would be reviewed in spring, and quotas for cod stay as they are.",
    headline="Quotas cut for northern fleet",
    agency="Reuters",
    created="2026-03-01",
)
HARBOUR = make_story(
    "The harbour reopened after the storm; the fishing boats went out at dawn.",
    "One skipper said the quotas were the least of their worries this week.",
    headline="Harbour reopens after storm",
    agency="NTB",
    created="2026-03-03",
)
PASS = make_story(
    "Snow crews cleared the mountain road on Tuesday.",
    headline="Mountain pass reopens",
    agency="AP",
    created="2026-03-02",
)
STORIES = (QUOTAS, HARBOUR, PASS)


def library(path: Path, *stories: Story) -> Store:
    store = Store(path)
    store.add_stories(list(stories or STORIES))
    return store


def stories_of(app: WiredeskApp) -> StoryList:
    assert isinstance(app.screen, LibraryScreen)
    return app.screen.query_one(StoryList)


def listed(app: WiredeskApp) -> list[str]:
    return [e.id for e in stories_of(app).shown_entries]


def test_the_word_being_typed_is_a_prefix() -> None:
    assert typing_query("fishing quo") == "fishing quo*"
    assert typing_query("quo*") == "quo*"
    assert typing_query("fishing ") == "fishing "  # the word is typed out
    assert typing_query('"fishing quo') == '"fishing quo'  # inside a phrase
    assert typing_query('"fishing quotas" cod') == '"fishing quotas" cod*'
    assert typing_query("-norw") == "-norw"  # an exclusion is not widened
    assert typing_query("since:2026") == "since:2026"  # a token's value
    assert typing_query("cod OR") == "cod OR"
    assert typing_query("fishing q") == "fishing" and typing_query("q") == ""  # one letter: not yet


async def test_a_body_search_lists_hits_ranked_with_a_snippet_under_each(tmp_path: Path) -> None:
    app = WiredeskApp(library(tmp_path), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        stories = stories_of(app)
        assert stories.row_height == 1 and stories.hits is None
        await pilot.press("/", *"quot")  # a prefix while typed: "quotas" is in two bodies, one headline
        await until(pilot, lambda: stories.hits is not None and len(stories.hits) == 2, "two hits")
        assert listed(app) == [QUOTAS.id, HARBOUR.id]  # four times and in the headline, before once
        assert stories.row_height == 2
        snippet, marks = stories.detail(1)
        assert "quotas" in snippet and [snippet[s:e] for s, e in marks] == ["quotas"]
        region = stories.region_of(HARBOUR.id)
        assert region is not None
        lines = [strip.text for strip in (stories.render_line(region.y), stories.render_line(region.y + 1))]
        assert "Harbour reopens" in lines[0] and "skipper said the quotas" in lines[1]
        assert "2 matches in 3 stories" in app.screen.sub_title
        await pilot.press("escape")
        await until(pilot, lambda: stories.hits is None and stories.shown == 3, "every story again")
        assert stories.row_height == 1


async def test_tokens_alone_list_by_date_and_errors_show_in_the_border(tmp_path: Path) -> None:
    app = WiredeskApp(library(tmp_path), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        box = app.screen.query_one("#filter")
        await pilot.press("/", *"agency:reu")
        await until(pilot, lambda: listed(app) == [QUOTAS.id], "the Reuters story")
        assert stories_of(app).hits is None and "Reuters" in box.border_subtitle
        box.value = "since:2026-03-02"
        await until(pilot, lambda: listed(app) == [HARBOUR.id, PASS.id], "the stories since March 2, newest first")
        box.value = "since:March"
        await until(pilot, lambda: box.has_class("-error"), "an error")
        assert "since:March?" in box.border_subtitle and box.border_subtitle.isprintable()


async def test_enter_opens_the_story_at_the_first_match_and_n_walks_the_matches(tmp_path: Path) -> None:
    app = WiredeskApp(library(tmp_path), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        stories = stories_of(app)
        await pilot.press("/", *"quotas", "enter")
        await until(pilot, lambda: stories.has_focus and listed(app)[:1] == [QUOTAS.id], "the hits, focused")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        assert isinstance(app.screen, ReaderScreen)
        view, bar = app.screen.query_one(StoryView), app.screen.query_one(FindBar)
        text = QUOTAS.text
        starts = [i for i in range(len(text)) if text.lower().startswith("quotas", i)]
        await until(pilot, lambda: view.selection is not None, "the first match selected")
        assert view.selection == (starts[0], starts[0] + 6)  # in the headline: the text's first match
        assert bar.input.value == "quotas" and bar.search and not bar.is_open
        await pilot.press("n")
        assert view.selection == (starts[1], starts[1] + 6)
        await pilot.press("N", "N")
        assert view.selection == (starts[-1], starts[-1] + 6)  # wrapped around
        await pilot.press("/")  # the box holds the search; editing it finds as the library does
        assert bar.is_open and bar.input.value == "quotas"
        await pilot.press("end", "backspace", "backspace", "*")  # (opened, the query is selected)
        await until(pilot, lambda: len(view.matches) == len(starts), "the prefix's matches")
        await pilot.press("escape")  # cancelled: plain find again
        assert not bar.search and not view.matches


async def test_a_story_found_by_a_prefix_opens_at_the_word_it_starts(tmp_path: Path) -> None:
    app = WiredeskApp(library(tmp_path), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        await pilot.press("/", *"househ", "down")  # down: to the list, the word still a prefix
        await until(pilot, lambda: listed(app) == [QUOTAS.id], "the one story with households")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        view = app.screen.query_one(StoryView)
        await until(pilot, lambda: view.selection is not None, "the match selected")
        assert view.selection is not None
        assert QUOTAS.text[view.selection[0] : view.selection[1]] == "households"


async def test_saved_searches_are_listed_with_counts_and_enter_runs_one(tmp_path: Path) -> None:
    searches = [SavedSearch("quotas", "quotas"), SavedSearch("since march 2", "since:2026-03-02")]
    app = WiredeskApp(library(tmp_path), annotator="tester", searches=(searches, ["[searches] 'x': bad"]))
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        saved = app.screen.query_one(SavedSearchList)
        assert saved.display and saved.row_count == 2
        await until(pilot, lambda: [saved.count_text(s.name) for s in searches] == ["2", "2"], "the counts")
        assert "★ quotas" in saved.line_text(0) and saved.line_text(0).rstrip().endswith("2")
        assert any("[searches] 'x': bad" in m for m in notices.messages())  # the entry left out, said once
        await pilot.press("up")  # from the first story up into the saved searches
        assert saved.has_focus and saved.cursor == 1
        await pilot.press("up", "enter")
        box = app.screen.query_one("#filter")
        await until(pilot, lambda: listed(app) == [QUOTAS.id, HARBOUR.id], "the saved search's hits")
        assert box.value == "quotas" and box.has_class("-open")


def test_config_saved_searches_keep_the_good_entries() -> None:
    settings = {
        "searches": {
            "ukraine": "Ukraine OR Kyiv since:2026-01-01",
            "bad date": "since:yesterday",
            "number": 7,
            "x" * 60: "long name",
            "\x1b[31mred": "cod",
        }
    }
    found, errors = config.searches(settings)
    assert found == [
        SavedSearch("ukraine", "Ukraine OR Kyiv since:2026-01-01"),
        SavedSearch("red", "cod"),  # the escape sequence cleaned out
    ]
    assert len(errors) == 3 and all(line.isprintable() and "[searches]" in line for line in errors)
    assert "since:yesterday?" in errors[0] and "must be text" in errors[1] and "1 to 40" in errors[2]
    assert config.searches({"searches": "ukraine"})[0] == []
    assert config.searches({}) == ([], [])


class Held:
    """SearchIndex.ensure, held after saying how much there is to do until `release` (a bound against a hang)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.go = threading.Event()
        ensure = SearchIndex.ensure

        def held(index: SearchIndex, progress=None) -> None:
            if progress is not None:
                progress(1, 3)
            self.go.wait(timeout=60)
            ensure(index, progress)

        monkeypatch.setattr(SearchIndex, "ensure", held)
        monkeypatch.setattr(Searching, "BACKGROUND_FROM", 0)

    def release(self) -> None:
        self.go.set()


@pytest.mark.parametrize("damage", ["deleted", "corrupt"])
async def test_a_missing_index_is_rebuilt_with_a_progress_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    store = library(tmp_path)
    index = SearchIndex(store)
    index.ensure()
    index.close()
    path = tmp_path / INDEX_FILE
    if damage == "deleted":
        path.unlink()
    else:
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    held = Held(monkeypatch)
    app = WiredeskApp(store, annotator="tester")
    try:
        async with app.run_test(size=SIZE) as pilot:
            bar = app.screen.query_one(IndexProgress)
            stories = stories_of(app)
            assert stories.shown == 3  # the library at once
            await until(pilot, lambda: bar.working and bar.progress == (1, 3), "the progress bar")
            await pilot.pause()
            footer = app.screen.query_one(Footer)
            assert bar.region.height == 1 and bar.region.bottom <= footer.region.y  # on screen, not under the footer
            box = app.screen.query_one("#filter")
            await pilot.press("/", *"quotas")  # meanwhile: headlines, and a note
            await until(pilot, lambda: listed(app) == [QUOTAS.id], "the headline match")
            assert "building the index…" in box.border_subtitle and stories.hits is None
            held.release()
            await until(pilot, lambda: not bar.working, "the bar to go")
            await until(pilot, lambda: listed(app) == [QUOTAS.id, HARBOUR.id], "the body search")
            assert "building" not in box.border_subtitle
    finally:
        held.release()
    assert path.is_file() and SearchIndex(store).path == path


async def test_quitting_does_not_wait_for_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    held = Held(monkeypatch)
    app = WiredeskApp(library(tmp_path), annotator="tester")
    try:
        async with app.run_test(size=SIZE) as pilot:
            bar = app.screen.query_one(IndexProgress)
            await until(pilot, lambda: bar.working, "the progress bar")
            await pilot.press("ctrl+q")
        assert not held.go.is_set()  # the app has ended; the build is still held
    finally:
        held.release()


async def test_the_words_filter_narrows_as_a_fresh_filter_would(tmp_path: Path) -> None:
    """Typing on narrows the last result; deleting, or a new `allows`, starts again: each step lists what a
    filter from scratch lists."""
    many = [
        make_story(f"Body {i}.", headline=f"{word} report number {i}", created=f"2026-01-{i % 28 + 1:02d}")
        for i, word in enumerate(["harbour", "harvest", "house", "households", "mountain", "hare"] * 5)
    ]
    app = WiredeskApp(library(tmp_path, *many), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        stories = stories_of(app)
        entries = list(stories.shown_entries)
        odd = {e.id for e in entries[::2]}

        def fresh(words: str, allows) -> list[str]:
            wanted = words.lower().split()
            hay = {e.id: f"{e.id}\n{e.meta.headline}\n{e.meta.agency or ''}".lower() for e in entries}
            return [e.id for e in entries if (allows is None or allows(e.id)) and all(w in hay[e.id] for w in wanted)]

        steps = ["h", "ha", "har", "harv", "har", "ha", "ha r", "ha re", "hou", "house", "households", "", "1"]
        allows = None
        for i, words in enumerate(steps + steps[::-1]):
            if i == len(steps):
                allows = odd.__contains__
            stories.filter(words, allows)
            assert [e.id for e in stories.shown_entries] == fresh(words, allows), words
        await pilot.pause()


def test_snapshot_of_search_results(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StoryList, "clock", staticmethod(lambda: date(2026, 6, 1)))
    searches = [SavedSearch("quotas", "quotas"), SavedSearch("reuters", "agency:reuters")]
    app = WiredeskApp(library(tmp_path), annotator="tester", searches=(searches, []))

    async def run_before(pilot) -> None:
        await counts_shown(pilot)
        saved = app.screen.query_one(SavedSearchList)
        await until(pilot, lambda: saved.count_text("reuters") == "1", "the saved searches' counts")
        await pilot.press("/", *"quotas", "enter")
        await until(pilot, lambda: listed(app) == [QUOTAS.id, HARBOUR.id], "the hits")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_on_a_large_library_the_search_runs_in_a_worker_and_the_last_query_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Searching, "BACKGROUND_FROM", 0)  # the path a large library takes
    app = WiredeskApp(library(tmp_path), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await until(pilot, lambda: screen.body_search, "the index")
        await pilot.press("/")
        press_at_once(app, *"skippers")  # typed faster than searched: "sk*", "ski*"… match both stories
        await until(pilot, lambda: app.screen.query_one("#filter").value == "skippers", "the keys")
        await until(pilot, lambda: screen.shown_query is not None and screen.shown_query.source == "skippers*", "it")
        assert listed(app) == [QUOTAS.id] and stories_of(app).row_height == 2
        app.screen.query_one("#filter").value = "skip"
        await until(pilot, lambda: set(listed(app)) == {HARBOUR.id, QUOTAS.id}, "the last query's hits")
        assert "2 matches" in screen.sub_title


async def test_searching_is_not_said_once_the_answer_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The "searching…" timer fires after a quick answer: the border must not claim a search still runs."""
    monkeypatch.setattr(Searching, "BACKGROUND_FROM", 0)
    app = WiredeskApp(library(tmp_path), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await until(pilot, lambda: screen.body_search, "the index")
        screen.set_filter("skippers")
        await until(pilot, lambda: listed(app) == [QUOTAS.id], "the hits")
        screen._say_searching(screen._generation)  # what the timer does 0.25 s after the key
        assert "searching" not in str(screen.box.border_subtitle)


async def test_the_palette_runs_a_saved_search(tmp_path: Path) -> None:
    from tests.tui.support import run_command

    searches = [SavedSearch("quotas", "quotas"), SavedSearch("reuters", "agency:reuters")]
    app = WiredeskApp(library(tmp_path), annotator="tester", searches=(searches, []))
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        await run_command(pilot, "search: quo", "Search: quotas")
        await until(pilot, lambda: app.screen.query_one("#filter").value == "quotas", "the saved search's query")
        await until(pilot, lambda: listed(app) == [QUOTAS.id, HARBOUR.id], "its hits")
