"""Helpers for the CLI tests: run a command on a data dir, check a user error, sample stories, fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tui.cli import main

HARBOUR = """Harbour board delays dredging vote

By Lena Holt

PORTVALE, March 3 (Reuters) - The harbour board on Tuesday delayed a vote on dredging the silted channel, \
saying it needed another month to study the costs.

"We need another month," board chair Tomas Brek said. "The silt will still be there in April."

Fishermen say the silt has cut their catch by a third since spring.
"""
FERRY = """Ferries sail after crew’s strike

Ferry services resumed on Tuesday after a two-day strike by deckhands, the operator said.

The union said the deal was “fair to everyone”.
"""
LIBRARY = """Library opens on Sundays

The Fernside library will open on Sundays from next month, the council said.
"""


def run(data_dir: Path | None, *args: str, env: dict[str, str | None] | None = None, charset: str = "utf-8") -> Result:
    prefix = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return CliRunner(charset=charset).invoke(main, [*prefix, *args], env=env)


def assert_user_error(result: Result, *fragments: str) -> str:
    """Exit 1 with one line on stderr, no traceback; returns that line."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not an unexpected exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


@pytest.fixture
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 100-column terminal that is not a tty, whatever the developer's environment says."""
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder of story files: two good ones, one in a subfolder, a hidden one, and two bad ones."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "harbour.txt").write_text(HARBOUR, "utf-8")
    (folder / "ferry.txt").write_text(FERRY, "utf-8")
    (folder / "sub" / "library.txt").write_text(LIBRARY, "utf-8")
    (folder / ".hidden.txt").write_text("Hidden story\n\nNever imported.\n", "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return folder


def import_one(data_dir: Path, path: Path) -> str:
    """Import one good file; returns the story's full id."""
    result = run(data_dir, "import", str(path))
    assert result.exit_code == 0, result.output
    return next(s["id"] for s in stories(data_dir) if s["source"] == path.name)


def stories(data_dir: Path) -> list[dict]:
    result = run(data_dir, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def show_json(data_dir: Path, ref: str) -> dict:
    result = run(data_dir, "show", ref, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def harbour(data_dir: Path, files: Path) -> str:
    """The id of the harbour story, imported into the data dir."""
    return import_one(data_dir, files / "harbour.txt")
