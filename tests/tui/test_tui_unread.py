"""Read and unread stories in the library, driven by Textual's Pilot: the mark (bold, ●), opening reads, `m`
toggles, `M` and the palette mark the listed stories read, the title's counts, `is:unread`, stories arriving at
the top with the highlighted story kept on its line, and alerts (a notification, the bell)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from textual.pilot import Pilot

from annotations import config
from annotations.config import SavedSearch
from annotations.importing import import_paths
from annotations.store import Store
from tests.store_support import make_story
from tests.tui.support import Notices, counts_shown, run_command, until
from tests.tui.test_keymap import help_text
from tui.app import WiredeskApp
from tui.screens.help import UNREAD_HELP, HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.story_list import UNREAD_MARK, StoryList

SIZE = (100, 32)


def import_files(store: Store, folder: Path, *headlines: str) -> list[str]:
    """Import one text file per headline (as an import or a watched folder does): the stories start unread."""
    folder.mkdir(parents=True, exist_ok=True)
    for headline in headlines:
        name = headline.lower().replace(" ", "-")
        (folder / f"{name}.txt").write_text(f"{headline}\n\nDr. Ellen Voss spoke about {headline}.", "utf-8")
    return [o.story_id for o in import_paths(store, [folder]) if o.status != "present"]


def old_library(path: Path, n: int) -> Store:
    """A library of `n` undated stories stored in 2020, before read state existed: all read, listed after what is
    imported now (undated stories are listed by when they were added)."""
    store = Store(path)
    with mock.patch("annotations.store.library.now_iso", return_value="2020-01-01T00:00:00Z"):
        store.add_stories([make_story(f"Body {i}.", headline=f"Old story {i}") for i in range(n)])
    return store


def app_for(store: Store, searches: list[SavedSearch] | None = None) -> WiredeskApp:
    return WiredeskApp(store, annotator="tester", searches=(searches or [], []))


def stories_of(app: WiredeskApp) -> StoryList:
    return app.screen.query_one(StoryList)


async def shown(pilot: Pilot[None]) -> StoryList:
    """The library's list, once it shows its counts."""
    await counts_shown(pilot)
    return stories_of(pilot.app)


def is_bold(stories: StoryList, story_id: str) -> bool:
    region = stories.region_of(story_id)
    assert region is not None
    return all(seg.style is not None and seg.style.bold for seg in stories.render_line(region.y) if seg.text.strip())


async def test_unread_rows_are_bold_with_a_dot_and_opening_reads(tmp_path: Path) -> None:
    store = old_library(tmp_path / "data", 2)
    [fresh] = import_files(store, tmp_path / "in", "Ferry vote")
    old = next(e.id for e in store.entries() if e.id != fresh)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        stories = stories_of(app)
        assert UNREAD_MARK in stories.row_text(fresh) and is_bold(stories, fresh)
        assert UNREAD_MARK not in stories.row_text(old) and not is_bold(stories, old)
        assert app.screen.sub_title == "library · 3 stories · 1 unread"
        assert stories.highlighted.id == fresh
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        stories = stories_of(app)
        assert UNREAD_MARK not in stories.row_text(fresh) and not is_bold(stories, fresh)
        assert app.screen.sub_title == "library · 3 stories"
    assert fresh not in Store(tmp_path / "data", read_only=True).unread  # durable


async def test_m_toggles_and_mark_all_read_takes_the_listed_stories(tmp_path: Path) -> None:
    store = old_library(tmp_path / "data", 2)
    ferry, snow = import_files(store, tmp_path / "in", "Ferry vote", "Snow closes pass")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        stories = stories_of(app)
        old = stories.shown_entries[-1].id
        stories.highlight(old)
        await pilot.press("m")
        assert old in store.unread and UNREAD_MARK in stories.row_text(old)
        assert app.screen.sub_title.endswith("· 3 unread")
        await pilot.press("m")
        assert old not in store.unread and UNREAD_MARK not in stories.row_text(old)
        await pilot.press("/", *"snow", "enter")  # the list shows one story: only it is marked read
        await until(pilot, lambda: stories.shown == 1, "the search")
        await pilot.press("M")
        assert set(store.unread.ids) == {ferry}
        await pilot.press("escape")
        await run_command(pilot, "mark all", "Library: mark all read")
        await until(pilot, lambda: not store.unread.ids, "every story read")
        assert UNREAD_MARK not in stories.row_text(ferry) and app.screen.sub_title == "library · 4 stories"
        assert snow not in store.unread


async def test_is_unread_filters_and_the_palette_offers_it(tmp_path: Path) -> None:
    store = old_library(tmp_path / "data", 3)
    ferry, snow = import_files(store, tmp_path / "in", "Ferry vote", "Snow closes pass")
    store.unread.mark_read([snow])
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        await run_command(pilot, "unread stories", "Library: unread stories")
        stories = stories_of(app)
        await until(pilot, lambda: [e.id for e in stories.shown_entries] == [ferry], "is:unread")
        assert app.screen.box.value == "is:unread"
        await pilot.press("escape")
        await pilot.press("/", *"is:read", "enter")
        await until(pilot, lambda: stories.shown == 4 and ferry not in {e.id for e in stories.shown_entries}, "is:read")


async def test_arrivals_come_in_at_the_top_and_the_highlighted_story_keeps_its_line(tmp_path: Path) -> None:
    store = old_library(tmp_path / "data", 80)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        stories = await shown(pilot)
        stories.cursor = 40  # down the list: the view scrolls
        stories.cursor = 30  # up, into the view
        await pilot.pause()
        kept = stories.highlighted.id
        line = stories.region_of(kept).y
        assert stories.scroll_offset.y > 0
        arrived = import_files(store, tmp_path / "in", "Ferry vote", "Snow closes pass", "Mountain road shut")
        app.screen.stories_arrived(arrived)  # no key pressed
        await pilot.pause()
        assert stories.highlighted.id == kept and stories.region_of(kept).y == line  # no jump under the cursor
        assert {e.id for e in stories.shown_entries[:3]} == set(arrived)  # at the top, newest first
        assert app.screen.sub_title == "library · 83 stories · 3 new · 3 unread"
        await pilot.press("g", "m")  # up to them; one read
        assert stories.highlighted.id in arrived and UNREAD_MARK not in stories.row_text(stories.highlighted.id)
        assert app.screen.sub_title == "library · 83 stories · 2 new · 2 unread"


async def test_arrivals_at_the_top_of_the_list_are_seen(tmp_path: Path) -> None:
    store = old_library(tmp_path / "data", 5)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        stories = await shown(pilot)
        await pilot.press("j")
        kept = stories.highlighted.id
        arrived = import_files(store, tmp_path / "in", "Ferry vote", "Snow closes pass")
        app.screen.stories_arrived(arrived)
        await pilot.pause()
        assert stories.highlighted.id == kept and stories.cursor == 3  # the same story, two rows down
        assert all(stories.region_of(i) is not None for i in arrived)  # the new rows are in view
        assert stories.has_focus


def write_config(text: str) -> None:
    """The config file where wiredesk looks for it in these tests (`data_dir` points XDG_CONFIG_HOME at tmp_path)."""
    config.config_path().parent.mkdir(parents=True, exist_ok=True)
    config.config_path().write_text(text, encoding="utf-8")


async def test_alerts_notify_and_ring_for_matching_arrivals(data_dir: Path, tmp_path: Path) -> None:
    write_config('[alerts]\nsearches = ["snow", "gone"]\nactors = ["Karl Ek"]\nbell = true\n')
    store = old_library(tmp_path / "data", 2)
    app = app_for(store, [SavedSearch("snow", "snow")])
    rings: list[bool] = []
    app.bell = lambda: rings.append(True)  # type: ignore[method-assign]  # counted, not rung
    async with app.run_test(size=SIZE) as pilot:
        notices = Notices(app)
        await counts_shown(pilot)
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "ek.txt").write_text("Harbour vote\n\nKarl Ek said no.\x1b[2J", "utf-8")
        (folder / "snow.txt").write_text("Snow \x1b]0;pwned\x07closes pass\n\nCrews worked all night.", "utf-8")
        (folder / "quiet.txt").write_text("Quiet day\n\nNothing happened.", "utf-8")
        arrived = [o.story_id for o in import_paths(store, [folder])]
        app.screen.stories_arrived(arrived)
        await until(pilot, lambda: len([n for n in notices if n.title == "New copy"]) == 2, "two alerts")
        lines = sorted(n.message for n in notices if n.title == "New copy")
        assert lines[0] == "Harbour vote (actor Karl Ek)"
        assert "closes pass (search snow)" in lines[1] and "\x1b" not in lines[1] and "\x07" not in lines[1]
        assert rings == [True]
        assert any("no saved search 'gone'" in n.message for n in notices)


async def test_without_alerts_arrivals_are_quiet(data_dir: Path, tmp_path: Path) -> None:
    write_config("[alerts]\nbell = true\n")
    store = old_library(tmp_path / "data", 2)
    app = app_for(store)
    rings: list[bool] = []
    app.bell = lambda: rings.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        notices = Notices(app)
        await counts_shown(pilot)
        app.screen.stories_arrived(import_files(store, tmp_path / "in", "Snow closes pass"))
        await pilot.pause()
        assert not rings and not notices and "1 new" in app.screen.sub_title


def test_snapshot_of_a_library_with_unread_stories(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dates are fixed (the stories' and today's); two stories unread, one of them highlighted."""
    store = Store(tmp_path / "data")
    dated = [
        make_story("Crews cleared the road.", headline="Snow closes mountain pass", agency="AP", created="2026-05-04"),
        make_story("Voss spoke.", headline="Ferry timetable approved", agency="Reuters", created="2026-05-03"),
        make_story("Nothing happened.", headline="Quiet day at the harbour", agency="NTB", created="2026-05-02"),
    ]
    store.add_stories(dated)
    store.unread.mark_unread([dated[0].id, dated[2].id])
    monkeypatch.setattr(StoryList, "clock", staticmethod(lambda: date(2026, 6, 1)))
    assert snap_compare(app_for(store), terminal_size=(100, 24), run_before=counts_shown)


async def test_the_help_screen_lists_the_keys_and_what_the_title_counts(tmp_path: Path) -> None:
    app = app_for(old_library(tmp_path / "data", 1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        text = " ".join(help_text(app).split())
        assert "library.toggle_read" in text and "library.mark_all_read" in text
        assert " ".join(UNREAD_HELP.split()) in text


async def test_stories_imported_with_the_dialog_count_as_new(tmp_path: Path) -> None:
    store = old_library(tmp_path / "data", 2)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        stories = await shown(pilot)
        new = import_files(store, tmp_path / "in", "Ferry vote")
        app.screen._imported(new)  # what the import dialog hands back
        await pilot.pause()
        assert stories.highlighted.id == new[0] and app.screen.sub_title.endswith("· 1 new · 1 unread")
