"""Agreement with hostile annotator names (from another's layer, a merge or a sync): escapes, bidi controls and
markup shown cleanly by `wiredesk agree`, in tables, JSON and errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.agreement_support import build_library
from tests.cli_support import assert_user_error, plain_terminal, run

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
