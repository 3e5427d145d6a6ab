"""Agreement with hostile annotator names (from another's layer, a merge or a sync): escapes, bidi controls and
markup shown cleanly by `wiredesk agree`, in tables, JSON and errors."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from annotations.store import Store
from tests.agreement_support import build_library
from tests.cli_support import assert_user_error, plain_terminal, run
from tests.tui.support import until
from tui.app import WiredeskApp
from tui.screens.agreement import AgreementScreen
from tui.widgets.disagreement_list import DisagreementList

__all__ = ["plain_terminal"]

EVIL = "\x1b]0;pwned\x07\x1b[31mev\u202eil\u2066[bold]x[/bold]"
#: What must never reach a terminal: C0 and C1 controls (ESC among them), bidi overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    build_library(tmp_path, ana=EVIL, ben="ben\x9b2J")
    return tmp_path


def test_table_shows_names_cleanly(hostile: Path, plain_terminal: None) -> None:
    result = run(hostile, "agree")
    assert result.exit_code == 0, result.output
    assert not UNSAFE.search(result.output)
    assert "[bold]x[/bold]" in result.output  # markup shown as typed, not read
    assert "agreement between evil[bold]x[/bold], ben:" in result.output  # the CSI sequence dropped whole
    assert "evil[bold]x[/bold] · ben (κ)" in result.output


def test_json_escapes_every_unsafe_character(hostile: Path) -> None:
    result = run(hostile, "agree", "--format", "json")
    assert result.exit_code == 0, result.output
    assert not UNSAFE.search(result.stdout)
    assert EVIL in json.loads(result.stdout)["annotators"]  # the data kept as it is, escaped in JSON


def test_errors_name_them_cleanly(hostile: Path) -> None:
    line = assert_user_error(run(hostile, "agree", "--annotators", "\x1b[2Jzoe\u202e,ben\x9b2J"), "zoe")
    assert not UNSAFE.search(line)
    assert "(annotators: evil[bold]x[/bold], ben)" in line


async def test_the_agreement_screen_shows_names_cleanly(hostile: Path) -> None:
    with Store(hostile) as store:
        app = WiredeskApp(store, annotator="ana", suggester=lambda story, registry: [])
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, lambda: store.annotations_loaded, "the annotations read")
            await pilot.press("a")
            screen = app.screen
            await until(pilot, lambda: isinstance(screen, AgreementScreen) and screen.result is not None, "measured")
            console = Console(width=100, file=io.StringIO(), record=True)
            console.print(screen.query_one("#tables", Static).content)
            table = screen.query_one(DisagreementList)
            cells = [cell for row in range(table.row_count) for cell in table.cells(row)]
            shown = console.export_text() + "\n".join(cells)
            assert "evil[bold]x[/bold] · ben (κ)" in shown
            assert any(cell.startswith("evil[bold]x[/bold]: ") for cell in cells)
            assert not UNSAFE.search(shown)
