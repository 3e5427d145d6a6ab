"""Hostile layer names: `--layer` as typed and annotator names from stored files reach the terminal cleaned."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotations.layers import Layers, ReadOnlyLayer
from tests.cli_support import assert_user_error, run
from tests.store_support import put, tag_text
from tests.tui.support import until
from tests.tui.test_tui_annotate import QUOTE, SIZE, make_store, panel_text
from tui.app import WiredeskApp
from tui.screens.reader import ReaderScreen
from tui.widgets.status_line import StatusLine

ESC = "\x1b[2J\x1b]52;c;aGVsbG8=\x07\u202eevil"

pytestmark = pytest.mark.usefixtures("plain_terminal", "no_suggestions")


def _clean(text: str) -> bool:
    return not any(c in text for c in "\x1b\x07\u202e")


def test_a_hostile_layer_option_is_refused_cleaned(data_dir: Path) -> None:
    for command in (["export", "--format", "json"], ["quotes"], ["stats"]):
        line = assert_user_error(run(data_dir, *command, "--layer", ESC), "no layer")
        assert _clean(line)


async def test_a_hostile_annotator_name_is_shown_cleaned(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path / "data")
    theirs = replace(tag_text(store.story(sid), QUOTE), annotator=ESC)  # as a hand-edited or synced file may hold
    put(store, theirs)
    put(store, replace(tag_text(store.story(sid), QUOTE), id="a" * 8 + theirs.id[8:], annotator="ana"))
    with pytest.raises(ReadOnlyLayer) as refused:
        Layers("ana").check(theirs, "delete")
    assert _clean(str(refused.value))
    app = WiredeskApp(store, annotator="ana", layers=Layers("ana"), open_story=sid)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        for _ in range(3):  # yours, theirs, all
            await pilot.press("L")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            assert _clean(screen.query_one(StatusLine).text.plain)
            assert _clean(str(screen.query_one("#panel-title").render())) and _clean(panel_text(app))
