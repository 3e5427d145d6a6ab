"""The library screen driven by Textual's Pilot: counts, paging, the import dialog and its path completion,
dates, narrow terminals, an empty library."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.store import Store
from stories.loader import parse_text
from stories.model import StoryMeta
from tests.tui.test_tui import SIZE, STORY, app_for, make_store
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.story_text import display_date


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
        for _ in range(50):
            await pilot.pause(0.05)
            if "imported" in str(app.screen.query_one("#import-summary").content):
                break
        summary = str(app.screen.query_one("#import-summary").content)
        assert "2 imported" in summary and "1 failed" in summary
        log = "\n".join(strip.text for strip in app.screen.query_one("#import-log").lines)
        assert "bad.txt: empty file" in log
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
    """Type `value` in a path box, wait for its suggestion, press Tab: what the box then holds."""
    box.value = value
    await pilot.pause(0.3)
    await pilot.press("tab")
    await pilot.pause()
    return box.value


async def test_path_completion_goes_as_far_as_the_matches_agree_then_lists_them(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ninjs-a.json", "ninjs-b.json", "newsml.xml"):
        (folder / name).write_text("x", encoding="utf-8")
    store = Store(tmp_path / "data")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        box = app.screen.query_one("#import-path")
        assert await complete(pilot, box, str(folder / "n")) == str(folder / "n")  # three names share only "n"
        assert any("3 names start like that" in n.title for n in app._notifications)  # so Tab lists them
        assert await complete(pilot, box, str(folder / "ni")) == str(folder / "ninjs-")  # as far as they agree
        assert await complete(pilot, box, str(folder / "ne")) == str(folder / "newsml.xml")


@pytest.mark.parametrize(("width", "header"), [(100, "Agency"), (70, "Date"), (60, "Headline")])
async def test_a_narrow_library_keeps_the_headline_and_counts(tmp_path: Path, width: int, header: str) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        stories = app.screen.query_one("#stories")
        heads = stories.header()
        assert heads[-3:] == ["Q", "A", "C"] and header in heads
        assert ("Agency" in heads) == (width >= 76) and ("Date" in heads) == (width >= 64)
        assert "Harbour council approves ferry" in stories.row_text(sid)


async def test_an_empty_library_offers_no_open_key(tmp_path: Path) -> None:
    app = app_for(Store(tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "library.open" not in {b.binding.id for b in app.screen.active_bindings.values() if b.enabled}
