"""Exporting from the app: `e` in the library, `E` and the palette in the reader; formats, scopes, progress,
refusing to replace a file unasked, cancelling, and errors that leave nothing half-written."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import ProgressBar, Static

from annotations.anchor import locate
from annotations.exports import ExportFilter, exporter
from annotations.exports import brat as export_brat
from annotations.exports.scopes import ExportCancelled, export_to
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story, StoryBuilder, StoryMeta
from tests.store_support import add_story
from tests.store_support import put as save
from tests.tui.support import run_command, until
from tui.app import WiredeskApp
from tui.screens.export_dialog import ExportDialog
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.story_view import StoryView

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)


def build(headline: str, text: str, **meta: object) -> Story:
    builder = StoryBuilder()
    builder.add("headline", headline)
    builder.add("paragraph", text)
    return builder.build(StoryMeta(headline="", **meta))  # type: ignore[arg-type]


RIVER = build(
    "Mayor says river bridge will reopen",
    "“The bridge will reopen in May,” Mayor Ines Okafor said on Monday.",
    agency="Associated Press",
    created="2026-02-10",
)
FERRY = build("Ferries sail again", "Ferry services resumed on Tuesday after a strike.", created="2026-02-09")


def put(store: Store, story: Story, exact: str, kind: str) -> None:
    start, end = locate(story, exact)
    save(store, Annotation.new(story, kind, start, end, annotator="ana"))


@pytest.fixture
def store(data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    """Two stories, three annotations; HOME is a temp folder (the default destination is ~/…)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    with Store(data_dir) as s:
        add_story(s, RIVER)
        add_story(s, FERRY)
        put(s, RIVER, "The bridge will reopen in May", "quote")
        put(s, RIVER, "Mayor Ines Okafor", "actor")
        put(s, FERRY, "Ferry services resumed on Tuesday", "claim")
        yield s


def dialog(app: WiredeskApp) -> ExportDialog:
    assert isinstance(app.screen, ExportDialog)
    return app.screen


def summary(app: WiredeskApp) -> str:
    return str(dialog(app).query_one("#export-summary").content)


async def export(pilot: Pilot, app: WiredeskApp, path: Path | str, *keys: str) -> str:
    """Set the destination, press `keys` (a format or scope choice…), then Enter; wait for the end; the summary."""
    dialog(app).path_input.value = str(path)
    return await enter(pilot, app, *keys)


async def enter(pilot: Pilot, app: WiredeskApp, *keys: str) -> str:
    """Press `keys`, then Enter; wait until the export it starts has ended (or was refused); the summary.

    The summary is cleared first, so the wait ends on what this Enter made it say: a refusal at once, or, once
    the export has run, how it ended."""
    dialog(app).query_one("#export-summary", Static).update("")
    await pilot.press(*keys, "enter")
    await until(pilot, lambda: summary(app) and not dialog(app)._exporting, "the export to end")
    return summary(app)


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


async def test_e_in_the_library_exports_everything_as_csv_with_progress(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        box = dialog(app)
        assert box.query_one("#export-scope").value == "everything"  # no filter: everything is chosen
        assert box.query_one("#export-format").value == "csv"
        assert box.path_input.value == f"~/wiredesk-export-{date.today():%Y%m%d}.csv"
        assert await export(pilot, app, out) == f"Exported 3 annotations to {out}"
        assert not app.screen.query_one("#eta").display
        bar = box.query_one(ProgressBar)
        assert (bar.total, bar.progress) == (3, 3)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    got = rows(out)
    assert [(r["headline"], r["kind"], r["text"]) for r in got] == [
        ("Ferries sail again", "claim", "Ferry services resumed on Tuesday"),
        ("Mayor says river bridge will reopen", "quote", "The bridge will reopen in May"),
        ("Mayor says river bridge will reopen", "actor", "Mayor Ines Okafor"),
    ]
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []  # no temp file left


async def test_the_highlighted_story_as_json(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "story.json"
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g", "e")  # the first row: the newest story, the river bridge
        await pilot.pause()
        box = dialog(app)
        assert list(box.scopes) == ["this story", "everything"]
        await pilot.press("j")  # the format field has focus: j is json
        assert box.path_input.value.endswith(".json")  # the ending follows the format
        await pilot.press("tab", "t")  # the scope: this story
        assert "Mayor says river bridge" in str(box.query_one("#export-scope-detail").content)
        assert await export(pilot, app, out) == f"Exported 2 annotations to {out}"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["id"] for s in data["stories"]] == [RIVER.id]
    assert sorted(a["exact"] for a in data["annotations"]) == ["Mayor Ines Okafor", "The bridge will reopen in May"]


async def test_the_filtered_list_as_shown(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "ferries.csv"
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"ferries", "enter", "e")
        await pilot.pause()
        box = dialog(app)
        assert list(box.scopes) == ["this story", "filtered list", "everything"]
        assert box.query_one("#export-scope").value == "filtered list"
        assert "the 1 story the library's filter shows" in str(box.query_one("#export-scope-detail").content)
        assert await export(pilot, app, out) == f"Exported 1 annotation to {out}"
    assert [r["text"] for r in rows(out)] == ["Ferry services resumed on Tuesday"]


async def test_shift_e_in_the_reader_exports_this_story_and_e_stays_word_end(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "ferry.csv"
    app = WiredeskApp(store, open_story=FERRY.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(StoryView)
        await pilot.press("e")
        assert isinstance(app.screen, ReaderScreen) and view.cursor > 0  # e: the end of the first word
        await pilot.press("E")
        await pilot.pause()
        box = dialog(app)
        assert list(box.scopes) == ["this story", "everything"] and box.query_one("#export-scope").value == "this story"
        assert await export(pilot, app, out) == f"Exported 1 annotation to {out}"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    assert [(r["story_id"], r["kind"]) for r in rows(out)] == [(FERRY.id, "claim")]


async def test_the_palette_opens_the_export_dialog(store: Store) -> None:
    app = WiredeskApp(store, open_story=RIVER.id)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await run_command(pilot, "export", "Export…")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")


async def test_an_existing_file_is_replaced_only_on_a_second_enter(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "old.csv"
    out.write_text("keep me", encoding="utf-8")
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert await export(pilot, app, out) == f"{out} exists. Enter again replaces that file; or change the name."
        assert out.read_text(encoding="utf-8") == "keep me"
        path_box = dialog(app).path_input
        path_box.focus()
        await pilot.pause()
        path_box.cursor_position = len(path_box.value)
        said = await enter(pilot, app, "backspace", "v")  # editing the name asks again
        assert dialog(app).path_input.value == str(out)
        assert "exists" in said
        assert out.read_text(encoding="utf-8") == "keep me"
        assert await enter(pilot, app) == f"Exported 3 annotations to {out}"
    assert len(rows(out)) == 3


async def test_escape_closes_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    assert list((tmp_path / "home").iterdir()) == []


async def test_escape_stops_a_running_export_and_nothing_is_written(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "slow.csv"
    started, pressed = threading.Event(), threading.Event()

    def slow(store: Store, out: io.TextIOBase, selection, **options: object) -> int:
        for chosen in selection:  # the selection stops at the next story once Escape asked to
            out.write(chosen.entry.id + "\n")
            started.set()
            pressed.wait(60)  # still running when Escape comes, however slow the machine (60 s: against a hang)
        return 0

    monkeypatch.setattr(exporter("csv"), "write", slow)
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        dialog(app).path_input.value = str(out)
        try:
            await pilot.press("enter")
            await until(pilot, started.is_set, "the export to start")
            await pilot.press("escape")
            assert isinstance(app.screen, ExportDialog) and summary(app) == "Stopping…"
        finally:
            pressed.set()  # the export goes on (and, after Escape, stops at the next story)
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the dialog to close")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "home"]


async def test_excel_csv_and_a_read_only_library(store: Store, tmp_path: Path) -> None:
    store.close()
    out = tmp_path / "excel.csv"
    with Store(store.data_dir, read_only=True) as readonly:
        app = WiredeskApp(readonly)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("tab", "tab", "right")  # For: Excel
            assert await export(pilot, app, out) == f"Exported 3 annotations to {out}"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


async def test_errors_are_one_line_and_leave_nothing_behind(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    existing = tmp_path / "existing.csv"
    existing.write_text("before", encoding="utf-8")
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        said = await export(pilot, app, blocker / "out.csv")
        assert said == f"Cannot write {blocker / 'out.csv'}: {blocker} is a file, not a folder."
        assert await export(pilot, app, tmp_path) == f"{tmp_path} is a folder: give a file name."
        assert await export(pilot, app, "  ") == "Give the file to export to."

        def broken(store: Store, out: io.TextIOBase, selection: object, **options: object) -> int:
            out.write("half a file")
            raise errors.pop(0)

        errors = [OSError(28, "No space left on device"), ValueError("boom")]
        monkeypatch.setattr(exporter("csv"), "write", broken)
        assert await export(pilot, app, tmp_path / "new.csv") == (
            f"Cannot write {tmp_path / 'new.csv'}: No space left on device. Nothing was written."
        )
        await export(pilot, app, existing)  # asks first
        assert await enter(pilot, app) == "Export failed (ValueError): boom. Nothing was written."
    assert existing.read_text(encoding="utf-8") == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "data", "existing.csv", "home"]


def test_a_stopped_export_writes_nothing(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "stopped.csv"
    with pytest.raises(ExportCancelled):
        export_to(store, "csv", out, ExportFilter(), stopped=lambda: True)
    assert list(tmp_path.glob("*stopped*")) == []
    seen: list[int] = []
    assert export_to(store, "csv", out, ExportFilter(), progress=seen.append) == 3
    assert seen == [1, 3]  # story by story (by date: the ferry first)


async def test_brat_writes_a_folder_and_replaces_only_an_earlier_export(store: Store, tmp_path: Path) -> None:
    out, other = tmp_path / "brat-out", tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("b")  # the format field has focus: b is brat
        assert dialog(app).path_input.value == f"~/wiredesk-export-{date.today():%Y%m%d}-brat"
        assert await export(pilot, app, out) == f"Exported 3 annotations to {out}"
        assert await export(pilot, app, out) == f"{out} exists. Enter again replaces that folder; or change the name."
        assert await enter(pilot, app) == f"Exported 3 annotations to {out}"
        await export(pilot, app, other)
        assert await enter(pilot, app) == f"{other} holds other files than a brat export: give a new folder name."
    stems = [export_brat.file_stem(s.id, s.headline) for s in (RIVER, FERRY)]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["annotation.conf", "visual.conf", *(f"{s}.{e}" for s in stems for e in ("txt", "ann"))]
    )
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brat-out", "data", "home", "mine"]


async def test_the_dialog_offers_the_last_format_and_folder_again(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    app = WiredeskApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("right")  # csv -> the next format
        chosen = dialog(app).query_one("#export-format").value
        assert chosen != "csv"
        said = await export(pilot, app, out / f"mine{dialog(app).formats[chosen].EXTENSION}")
        assert said.startswith("Exported 3 annotations")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert dialog(app).query_one("#export-format").value == chosen
        assert Path(dialog(app).path_input.value).parent == out
