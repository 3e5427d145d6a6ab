"""The library screen driven by Textual's Pilot: counts, paging, the import dialog and its path completion,
dates, narrow terminals, an empty library."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text

from annotations.actors import Actor
from annotations.history import History
from annotations.store import Store
from stories.loader import parse_text
from stories.model import StoryMeta
from tests.store_support import add_story
from tests.tui.support import Notices, until
from tests.tui.test_tui import SIZE, STORY, app_for, make_store
from tui.screens.import_dialog import ImportDialog
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.story_text import display_date, list_date
from tui.widgets.actor_list import ActorList
from tui.widgets.path_input import PathInput
from tui.widgets.story_list import StoryList
from tui.widgets.wrapped_log import WrappedLog

pytestmark = pytest.mark.usefixtures("no_suggestions")


async def test_library_counts_follow_the_reader(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "/", *"Karl Ek", "enter", "a", "enter", "/", *"rushed and unfair", "enter", "q")
        await pilot.pause()
        await pilot.press("escape")  # back to the library
        await pilot.pause()
        table = app.screen.query_one("#stories")
        assert table.row_text(sid).split()[-3:] == ["1", "1", "·"]  # quotes, actors, claims


async def test_library_list_moves_pages_and_opens_with_a_click(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.add_stories(parse_text(f"Story number {i}\n\nBody of story {i}.", f"{i}.txt")[0] for i in range(300))
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        stories = app.screen.query_one("#stories")
        assert stories.shown == 300 and stories.cursor == 0
        await pilot.press("pagedown")
        first_page = stories.cursor
        assert first_page > 20
        await pilot.press("G")
        assert stories.cursor == 299
        assert stories.region_of(stories.highlighted.id) is not None  # scrolled into view
        await pilot.press("g", "j", "j", "k")
        assert stories.cursor == 1
        target = stories.highlighted.id
        region = stories.region_of(target)
        await pilot.click(stories, offset=(5, region.y))  # a click on the highlighted row opens it
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.story.id == target


async def test_import_dialog_imports_a_folder_with_progress(tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "one.txt").write_text(STORY, encoding="utf-8")
    (folder / "two.txt").write_text("Mountain pass reopens\n\nSnow crews cleared the road on Monday.", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"")
    store = Store(tmp_path / "data")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        box = app.screen.query_one("#import-path")
        assert await complete(pilot, box, str(tmp_path / "inc")) == str(folder) + "/"  # the folder's name
        await pilot.press("enter")
        summary_box = app.screen.query_one("#import-summary")
        await until(pilot, lambda: "imported" in str(summary_box.content), "the import summary")
        summary = str(summary_box.content)
        assert "2 imported" in summary and "1 failed" in summary
        log = app.screen.query_one("#import-log", WrappedLog)
        await until(pilot, lambda: "bad.txt: empty file" in "\n".join(log.rows), "the import log")  # after the summary
        assert not app.screen.query_one("#eta").display  # done: no "--:--:--" left where the time to go was
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.query_one("#stories").shown == 2
    assert len(store) == 2


@pytest.mark.parametrize(
    ("dateline_date", "shown"),
    [("Oct 21", "21 Oct"), ("June 9", "9 Jun"), ("Oct. 9, 2025", "9 Oct 2025"), ("4 Mar.", "4 Mar")],
)
def test_dateline_dates_are_written_like_full_dates(dateline_date: str, shown: str) -> None:
    assert display_date(StoryMeta(headline="h", extra={"dateline_date": dateline_date})) == shown


async def complete(pilot, box, value: str) -> str:
    """Type `value` in a path box, press Tab: what the box then holds (Tab completes from the disk at once, not
    from the suggestion that a worker shows dim after the text)."""
    box.value = value
    await pilot.press("tab")
    return box.value


async def test_path_completion_goes_as_far_as_the_matches_agree_then_lists_them(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ninjs-a.json", "ninjs-b.json", "newsml.xml"):
        (folder / name).write_text("x", encoding="utf-8")
    store = Store(tmp_path / "data")
    app = app_for(store)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        box = app.screen.query_one("#import-path")
        assert await complete(pilot, box, str(folder / "n")) == str(folder / "n")  # three names share only "n"
        assert any("3 names start like that" in n.title for n in notices)  # so Tab lists them
        assert await complete(pilot, box, str(folder / "ni")) == str(folder / "ninjs-")  # as far as they agree
        assert await complete(pilot, box, str(folder / "ne")) == str(folder / "newsml.xml")


GLACIERS = [
    "Glacier retreat on Svalbard doubles in a decade, survey finds",
    "Glacier retreat on Svalbard slows after a cold winter, survey finds",
]


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (120, ["ID", "Date", "Agency", "Headline", "Q", "A", "C"]),
        (100, ["ID", "Date", "Agency", "Headline", "Q", "A", "C"]),
        (80, ["Date", "Headline", "Q", "A", "C"]),  # the agency goes first, then the id: the headline keeps 40+
        (60, ["Headline", "Q", "A", "C"]),
    ],
)
async def test_a_narrow_library_gives_the_headline_the_width(tmp_path: Path, width: int, shown: list[str]) -> None:
    store = Store(tmp_path)
    for headline in GLACIERS:
        add_story(store, parse_text(f"{headline}\n\nLONGYEARBYEN, Oct 21 (Reuters) - Ice.", "g.txt")[0])
    app = app_for(store)
    async with app.run_test(size=(width, 24)) as pilot:
        stories = app.screen.query_one(StoryList)
        await until(pilot, lambda: stories.row_count == 2, "the two stories")
        assert stories.shown_header() == shown
        rows = [stories.line_text(i, stories.scrollable_content_region.width) for i in range(2)]
        assert rows[0] != rows[1]  # two glacier stories look different
        assert all("Glacier retreat on Svalbard" in row for row in rows)
        if width <= 80:
            assert "Glacier retreat on Svalbard slows" in rows[0] + rows[1]


async def test_a_narrow_actor_registry_gives_the_name_the_width(tmp_path: Path) -> None:
    store = Store(tmp_path)
    history = History(store)
    names = ["Ministry of Foreign Affairs of the Russian Federation", "Ministry of Foreign Affairs of Venezuela"]
    for name in names:
        history.add_actor(Actor.new(name, "government"))
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("A")
        actors = app.screen.query_one(ActorList)
        await until(pilot, lambda: actors.row_count == 2, "the registry")
        width = actors.scrollable_content_region.width
        rows = [actors.line_text(i, width) for i in range(2)]
        assert actors.shown_header()[:2] == ["Name", "Type"]  # the aliases went to give the name room
        assert all("Ministry of Foreign Affairs of" in row for row in rows)


def test_a_date_outside_this_year_shows_its_year() -> None:
    today = date(2026, 5, 20)
    dated = StoryMeta(headline="h", created="2026-05-15T08:00:00Z")
    assert list_date(dated, "2026-05-15", today) == "15 May"
    assert list_date(replace(dated, created="2025-10-21"), "2026-05-15", today) == "21 Oct 2025"
    dateline = StoryMeta(headline="h", extra={"dateline_date": "Oct 21"})  # no year: the year it was added, or before
    assert list_date(dateline, "2026-05-15T09:00:00Z", today) == "21 Oct 2025"  # Oct 21 2026 is after it was added
    assert list_date(replace(dateline, extra={"dateline_date": "March 4"}), "2026-05-15", today) == "4 Mar"
    assert list_date(replace(dateline, extra={"dateline_date": "Oct. 9, 2024"}), "2026-05-15", today) == "9 Oct 2024"
    assert list_date(replace(dateline, extra={"dateline_date": "Thursday"}), "2026-05-15", today) == "Thursday"
    assert list_date(StoryMeta(headline="h"), "2026-05-15", today) == ""


async def test_the_library_shows_the_year_of_last_years_stories(tmp_path: Path, monkeypatch) -> None:
    store = Store(tmp_path)
    this_year = parse_text("Ferry timetable approved\n\nNORDVIK (Reuters) - Yes.", "a.txt")[0]
    last_year = parse_text("Ferry timetable rejected\n\nNORDVIK (Reuters) - No.", "b.txt")[0]
    add_story(store, replace(this_year, meta=replace(this_year.meta, created="2026-05-15")))
    add_story(store, replace(last_year, meta=replace(last_year.meta, created="2025-10-21")))
    monkeypatch.setattr(StoryList, "clock", staticmethod(lambda: date(2026, 6, 1)))
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        stories = app.screen.query_one(StoryList)
        await until(pilot, lambda: stories.row_count == 2, "the two stories")
        assert "15 May " in stories.row_text(this_year.id) and "15 May 2026" not in stories.row_text(this_year.id)
        assert "21 Oct 2025" in stories.row_text(last_year.id)


async def test_an_empty_library_offers_no_open_key(tmp_path: Path) -> None:
    app = app_for(Store(tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "library.open" not in {b.binding.id for b in app.screen.active_bindings.values() if b.enabled}


async def test_the_import_log_wraps_at_its_width_and_again_when_it_changes(tmp_path: Path) -> None:
    """At 80 columns no character is lost at the wrap; after widening, the lines wrap at the new width."""
    folder = tmp_path / ("a-folder-with-a-long-name-" * 3)
    folder.mkdir()
    (folder / "broken.txt").write_bytes(b"")
    app = app_for(Store(tmp_path / "data"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportDialog), "the import dialog")
        app.screen.query_one("#import-path", PathInput).value = str(folder / "broken.txt")
        await pilot.press("enter")
        log = app.screen.query_one("#import-log", WrappedLog)
        await until(pilot, lambda: "failed" in "".join(log.rows), "the failure in the log")
        line = "failed    broken.txt: empty file"
        width = log.scrollable_content_region.width
        assert log.rows == [line]
        assert all(len(row.rstrip()) <= width for row in log.rows)
        long_line = "x" * 80
        log.write(Text(long_line))
        await pilot.pause()
        narrow = list(log.rows)
        assert narrow[1:] == [long_line[:width], long_line[width:]]  # no character cut off at the wrap
        await pilot.resize_terminal(160, 30)
        await until(pilot, lambda: log.scrollable_content_region.width > width, "the log to widen")
        wide = list(log.rows)
        assert wide == [line, long_line]
