"""Bidi controls and invisible characters in imported files (issue 11 §2): dropped from the story's text and
metadata, and from everything `wiredesk import`, `list` and `show` print; joiners that a script needs stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli_support import run, show_json, stories
from tui.cli import main

pytestmark = pytest.mark.usefixtures("plain_terminal")

#: Bidi embeddings, overrides and isolates, and invisible characters that hide or spoof text.
FORBIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\u2061\u2062\u2063\u2064"
FORBIDDEN += "\u206a\u206f\ufeff\u061c\u180e\u034f\u3164\ufff9\ufffa\ufffb\U000e0001\U000e0041\U000e007f"
SPOOFED = (
    "Minister\u202e sees\u200b no\u2066 risk\u2069\n\n"
    "By Ana\u2060 Lu\u3164\n\n"
    "PORT\u034fVALE, May 2 (Reuters) - The minister said on Friday the dam was\ufeff safe\U000e0041.\n\n"
    "Persian: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645; Hindi: \u0915\u094d\u200d\u0937; "
    "emoji: \U0001f469\u200d\U0001f52c; and a stray\u200d joiner.\n"
)


def _terminal(data_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], color=True)
    assert result.exit_code == 0, result.output
    return result.output


def test_bidi_and_invisible_characters_never_reach_the_library_or_the_screen(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "dam\u202egpj\u200b.txt"
    path.write_text(SPOOFED, "utf-8")
    shown = _terminal(data_dir, "import", str(path))
    [entry] = stories(data_dir)
    story = show_json(data_dir, entry["id"])
    assert story["headline"] == "Minister sees no risk"
    assert story["authors"] == ["Ana Lu"] and story["dateline"] == "PORTVALE"
    assert "The minister said on Friday the dam was safe." in story["text"]
    everything = json.dumps(story, ensure_ascii=False)
    for output in (shown, _terminal(data_dir, "list"), _terminal(data_dir, "show", entry["id"]), everything):
        assert not set(output) & set(FORBIDDEN), output
    assert "a stray joiner" in story["text"]  # a joiner between Latin letters and a space: dropped
    for kept in ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0915\u094d\u200d\u0937", "\U0001f469\u200d"):
        assert kept in story["text"]  # Persian ZWNJ, Devanagari ZWJ, an emoji sequence: kept
    assert "dam" in shown and "gpj.txt" in shown


def test_a_file_that_differs_only_by_invisible_characters_is_the_same_story(data_dir: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("Dam is safe, minister says\n\nThe minister said the dam was safe.\n", "utf-8")
    hidden = tmp_path / "hidden.txt"
    hidden.write_text("Dam is\u200b safe,\u2066 minister says\n\nThe minister\u202e said the dam was safe.\n", "utf-8")
    assert run(data_dir, "import", str(plain)).exit_code == 0
    again = run(data_dir, "import", str(hidden))
    assert again.exit_code == 0 and "already in library" in again.stdout, again.stdout
