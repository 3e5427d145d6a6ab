"""Versions holding escape sequences, bidi controls and invisible characters: `wiredesk diff` and the diff view's
marks never put them on the terminal, and refused version references come back as one clean line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stories.diff import diff_versions
from tests.cli_support import assert_user_error, run
from tests.hostile.test_hostile_text import FORBIDDEN
from tui.cli import main
from tui.diff_text import diff_paragraphs

pytestmark = pytest.mark.usefixtures("plain_terminal")

HOSTILE = "\x1b[31m\x1b]8;;https://evil.invalid\x07\u202e\u2066\u200b\ufeff\x9b2J\x07"


def _version(tag: str, words: str) -> str:
    return (
        f"{tag}Dam{HOSTILE} safe, minister says\n\n"
        f"PORTVALE, May 2 (Reuters) - The minister said the dam was safe{HOSTILE} {words}.\n\n"
        f"Engineers{HOSTILE} disagreed.\n"
    )


def test_diff_of_hostile_versions_prints_none_of_it(data_dir: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(_version("", f"on Friday{HOSTILE}"), "utf-8")
    second.write_text(_version("UPDATE 1-", f"on Saturday{HOSTILE} evening"), "utf-8")
    assert run(data_dir, "import", str(first), str(second)).exit_code == 0
    listed = json.loads(run(data_dir, "list", "--all-versions", "--format", "json").stdout)
    newest = max(listed, key=lambda s: s["version"])["id"]
    for fmt in ("text", "json"):
        result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "diff", newest, "--format", fmt], color=True)
        assert result.exit_code == 0, result.output
        assert not set(result.output) & set(FORBIDDEN + "\x1b\x07\x9b"), repr(result.output)
    text = run(data_dir, "diff", newest).stdout
    assert "[-Friday.-]{+Saturday evening.+}" in text


def test_the_marks_clean_what_they_are_given() -> None:
    """Even text that never passed an import (a damaged library) reaches the screen clean."""
    diff = diff_versions(f"One{HOSTILE} two three.\n\nGone{HOSTILE}.", f"One{HOSTILE} two four{HOSTILE}.")
    shown = "".join(note + text.plain for note, text in diff_paragraphs(diff))
    assert not set(shown) & set(FORBIDDEN + "\x1b\x07\x9b"), repr(shown)
    assert "[-" in shown and "{+" in shown


@pytest.mark.parametrize("ref", ["\x1b[2J1", "\u202e3", "1" * 5000, "-1", "٣"])
def test_hostile_version_references(data_dir: Path, tmp_path: Path, ref: str) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(_version("", "on Friday"), "utf-8")
    second.write_text(_version("UPDATE 1-", "on Saturday"), "utf-8")
    assert run(data_dir, "import", str(first), str(second)).exit_code == 0
    newest = json.loads(run(data_dir, "list", "--format", "json").stdout)[0]["id"]
    line = assert_user_error(run(data_dir, "diff", newest, "--from", ref), "no such version")
    assert not set(line) & set(FORBIDDEN + "\x1b\x07\x9b") and len(line) < 200
