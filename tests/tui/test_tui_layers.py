"""Annotator layers in the reader: one layer at a time (yours first), all side by side, others' read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style

from annotations import anchor
from annotations.layers import ALL, CURATED, Layers
from annotations.model import Annotation
from annotations.store import Store
from tests.store_support import put
from tests.tui.support import Notices, until
from tests.tui.test_tui_annotate import CLAIM, NAME, QUOTE, SIZE, make_store, panel_text
from tests.tui.test_tui_export import export, rows
from tui.app import WiredeskApp
from tui.screens.annotation_form import AnnotationForm
from tui.screens.export_dialog import ExportDialog
from tui.screens.reader import ReaderScreen
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.choice_field import ChoiceField
from tui.widgets.status_line import StatusLine

pytestmark = pytest.mark.usefixtures("no_suggestions")


def tag(store: Store, sid: str, kind: str, text: str, annotator: str) -> Annotation:
    story = store.story(sid)
    ann = Annotation.new(story, kind, *anchor.locate(story, text), annotator=annotator)
    put(store, ann)
    return ann


@pytest.fixture
def team(tmp_path: Path) -> tuple[Store, str, dict[str, Annotation]]:
    store, sid = make_store(tmp_path / "data")
    anns = {
        "ana": tag(store, sid, "quote", QUOTE, "ana"),
        "ben": tag(store, sid, "quote", QUOTE, "ben"),  # the same span, another layer
        "ben-actor": tag(store, sid, "actor", NAME, "ben"),
        CURATED: tag(store, sid, "claim", CLAIM, CURATED),
    }
    return store, sid, anns


def app_for(store: Store, sid: str) -> WiredeskApp:
    return WiredeskApp(store, annotator="ana", layers=Layers("ana"), open_story=sid)


def status(app: WiredeskApp) -> str:
    return app.screen.query_one(StatusLine).text.plain


def title(app: WiredeskApp) -> str:
    return str(app.screen.query_one("#panel-title").render())


def shown(app: WiredeskApp) -> set[str]:
    assert isinstance(app.screen, ReaderScreen)
    return {a.id for a in app.screen.view.annotations}


async def test_the_layer_key_cycles_yours_others_curated_all(team: tuple[Store, str, dict[str, Annotation]]) -> None:
    store, sid, anns = team
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and shown(app), "the reader")
        assert shown(app) == {anns["ana"].id}
        assert status(app).startswith("layer: ana (yours)") and title(app).startswith("Your layer (ana): 1 quote")
        await pilot.press("L")
        await until(pilot, lambda: shown(app) == {anns["ben"].id, anns["ben-actor"].id}, "ben's layer")
        assert status(app).startswith("layer: ben (read-only)") and title(app).startswith("ben (read-only)")
        await pilot.press("L")
        await until(pilot, lambda: shown(app) == {anns[CURATED].id}, "the curated layer")
        assert title(app).startswith("Curated (read-only): 1 claim")
        await pilot.press("L")
        await until(pilot, lambda: len(shown(app)) == 4, "every layer")
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and screen.shown_layer == ALL
        assert status(app).startswith("all layers: ana, ben══, curated‾‾")
        mark = screen.view.overlays.layer_mark
        assert mark is not None
        assert mark(anns["ana"]) is None
        assert mark(anns["ben"]) == Style(underline2=True) and mark(anns[CURATED]) == Style(overline=True)
        rows = panel_text(app)
        assert "ana: “no real basis”" in rows and "ben══: “no real basis”" in rows and "curated‾‾:" in rows
        await pilot.press("L")
        await until(pilot, lambda: shown(app) == {anns["ana"].id}, "back to yours")
        assert screen.view.overlays.layer_mark is None and "ben══" not in panel_text(app)


async def test_another_layer_is_read_only_in_the_app(team: tuple[Store, str, dict[str, Annotation]]) -> None:
    store, sid, anns = team
    app = app_for(store, sid)
    notices = Notices(app)
    before = {a.id: a for a in store.annotations(sid)}
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and shown(app), "the reader")
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await pilot.press("L")
        await until(pilot, lambda: anns["ben-actor"].id in shown(app), "ben's layer")
        screen.view.move_to(anns["ben-actor"].start)
        await until(pilot, lambda: "ben's, read-only" in status(app), "the status to say so")
        for key, verb in (("x", "delete"), ("enter", "edit"), ("s", "edit")):
            await pilot.press(key)
            await until(pilot, lambda verb=verb: any(f"cannot {verb}" in m for m in notices.messages()), verb)
            assert not isinstance(app.screen, AnnotationForm)
            (refusal,) = notices
            assert (
                refusal.message
                == f"cannot {verb} “{NAME}”: it is in ben's layer, read-only here (you change only your own)."
            )
            notices.clear()
        # tagging while another's layer is shown: saved in yours, which is shown
        screen.view.select(anns["ben-actor"].start, anns["ben-actor"].end)
        await pilot.press("c")
        await until(pilot, lambda: screen.shown_layer == "ana", "your layer shown again")
        mine = [a for a in store.annotations(sid) if a.kind == "claim" and a.annotator == "ana"]
        assert len(mine) == 1 and mine[0].id in shown(app)
    after = {a.id: a for a in store.annotations(sid)}
    assert {i: a for i, a in after.items() if i in before} == before


async def test_one_layer_nothing_changes(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path / "data")
    tag(store, sid, "quote", QUOTE, "")  # from before annotators were recorded: yours
    app = app_for(store, sid)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and shown(app), "the reader")
        assert "layer" not in status(app) and title(app).startswith("Annotations: 1 quote")
        await pilot.press("L")
        await until(pilot, lambda: "only your layer" in " ".join(notices.messages()), "the key to say so")
        assert app.screen.query_one(AnnotationPanel).rows.row_count == 1


async def test_the_export_dialog_offers_the_layers_curated_first(
    team: tuple[Store, str, dict[str, Annotation]], tmp_path: Path
) -> None:
    store, sid, anns = team
    app = app_for(store, sid)
    out = tmp_path / "out.csv"
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and shown(app), "the reader")
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")
        box = app.screen
        assert isinstance(box, ExportDialog)
        field = box.query_one("#export-layer", ChoiceField)
        assert field.value == CURATED and box.query_one("#export-layer-row").display
        assert await export(pilot, app, out) == f"Exported 1 annotation to {out} (layer curated)"
        assert [r["annotation_id"] for r in rows(out)] == [anns[CURATED].id]
        field.focus()
        await pilot.press("right")  # curated -> all
        await until(pilot, lambda: field.value == ALL, "every layer chosen")
        assert await export(pilot, app, out, "enter") == f"Exported 4 annotations to {out} (every layer)"
        assert {r["annotation_id"] for r in rows(out)} == {a.id for a in anns.values()}


async def test_of_two_alike_yours_is_the_one_at_the_cursor(team: tuple[Store, str, dict[str, Annotation]]) -> None:
    store, sid, anns = team
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and shown(app), "the reader")
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        for _ in range(3):
            await pilot.press("L")
        await until(pilot, lambda: screen.shown_layer == ALL, "every layer")
        screen.view.move_to(anns["ben"].start)  # ben's quote and yours: the same words
        await pilot.press("x")
        await until(pilot, lambda: store.annotation(anns["ana"].id) is None, "yours deleted")
        assert store.annotation(anns["ben"].id) == anns["ben"]
