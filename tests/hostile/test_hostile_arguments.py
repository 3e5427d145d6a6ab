"""Arguments echoed back (issue 11 §2): escape sequences typed into `annotate --text`, `--speaker`,
`--claimant`, `--actor`, a story id or an `export -o` path never reach the terminal raw; each refusal is one
clean line and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.cli_support import assert_user_error, run
from tests.store_support import snapshot
from tui.cli import main

pytestmark = pytest.mark.usefixtures("plain_terminal")

OSC = "\x1b]52;c;ZWNobyBvd25lZA==\x07"  # writes the clipboard
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
EVIL = OSC + CLEAR + "\x9b31m"
TERMINAL = {chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]} - {"\n"}


def _as_terminal(data_dir: Path, *args: str) -> Result:
    """As on a terminal: `color=True`, so Click strips nothing from what is printed."""
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], color=True)


def _assert_clean(result: Result) -> None:
    out = result.stdout + result.stderr
    assert not set(out) & TERMINAL, ascii(out)
    assert "\u202e" not in out and "Traceback" not in out


@pytest.mark.parametrize(
    "args",
    [
        ("--kind", "quote", "--text", EVIL + "harbour"),
        ("--kind", "quote", "--text", "We need another month", "--speaker", EVIL + "Brek"),
        ("--kind", "claim", "--text", "We need another month", "--claimant", "Brek" + CLEAR),
        ("--kind", "actor", "--text", "Tomas Brek", "--actor", OSC + "Tomas"),
        ("--kind", "quote", "--text", "We need another month", "--occurrence", EVIL),
    ],
    ids=["text", "speaker", "claimant", "actor", "occurrence"],
)
def test_annotate_never_echoes_an_escape_sequence(data_dir: Path, harbour: str, args: tuple[str, ...]) -> None:
    before = snapshot(data_dir)
    result = _as_terminal(data_dir, "annotate", harbour, *args)
    assert result.exit_code in (1, 2), result.output
    _assert_clean(result)
    if result.exit_code == 1:
        assert_user_error(result)
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("command", ["show", "versions", "diff", "annotate"])
def test_a_story_id_with_escapes_is_one_clean_line(data_dir: Path, harbour: str, command: str) -> None:
    extra = ("--kind", "quote", "--text", "x") if command == "annotate" else ()
    result = _as_terminal(data_dir, command, EVIL + harbour[:8], *extra)
    _assert_clean(result)
    assert_user_error(result)


@pytest.mark.parametrize("fmt", ["json", "brat"])
def test_export_to_a_path_with_escapes_echoes_it_cleaned(data_dir: Path, harbour: str, tmp_path: Path, fmt: str):
    assert run(data_dir, "annotate", harbour, "--kind", "actor", "--text", "Tomas Brek").exit_code == 0
    missing = tmp_path / f"no-such{CLEAR}" / f"out{OSC}.{fmt}"
    refused = _as_terminal(data_dir, "export", "--format", fmt, "-o", str(missing))
    _assert_clean(refused)
    assert "no-such" in assert_user_error(refused)
    target = tmp_path / f"out{EVIL}.{fmt}"
    written = _as_terminal(data_dir, "export", "--format", fmt, "-o", str(target))
    assert written.exit_code == 0, written.output
    _assert_clean(written)
    assert "exported 1 annotation(s)" in written.output and target.exists()
    again = _as_terminal(data_dir, "export", "--format", fmt, "-o", str(target))
    _assert_clean(again)
    if fmt == "json":
        assert "exists" in assert_user_error(again)
        assert json.loads(target.read_text("utf-8"))["annotations"]


def test_a_note_with_escapes_is_stored_cleaned(data_dir: Path, harbour: str) -> None:
    result = _as_terminal(
        data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month", "--note", f"see{EVIL} this"
    )
    assert result.exit_code == 0, result.output
    _assert_clean(result)
    exported = json.loads(run(data_dir, "export", "--format", "json").stdout)
    assert [a["note"] for a in exported["annotations"]] == ["see this"]
