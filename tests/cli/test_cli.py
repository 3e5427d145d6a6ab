"""The `wiredesk` command through Click's CliRunner, on a throwaway data dir: help, import, list, show, annotate."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from annotations.store import ANNOTATIONS_FILE, STORIES_FILE, journal
from annotations.store.bodies import PACK_FILE
from tests.cli_support import assert_user_error, import_one, run, show_json, stories
from tests.store_support import snapshot
from tui.cli import main

pytestmark = pytest.mark.usefixtures("plain_terminal")

# --- version and help --------------------------------------------------------------------------------------


def test_version(data_dir: Path) -> None:
    result = run(data_dir, "--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"wiredesk, version {version('wiredesk')}"
    assert not data_dir.exists()


@pytest.mark.parametrize("command", [None, *sorted(main.commands)])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_on_every_command(data_dir: Path, command: str | None, flag: str) -> None:
    result = run(data_dir, *([command] if command else []), flag)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: ")
    if command:
        assert command in result.stdout.splitlines()[0]
        assert main.commands[command].get_short_help_str(200).rstrip(".") in " ".join(result.stdout.split())
    else:
        assert all(name in result.stdout for name in main.commands)
    assert not data_dir.exists()  # help never opens (or creates) the library


# --- import -----------------------------------------------------------------------------------------------


def test_import_a_file_then_again(data_dir: Path, files: Path) -> None:
    path = files / "harbour.txt"
    result = run(data_dir, "import", str(path))
    assert result.exit_code == 0, result.output
    (story,) = stories(data_dir)
    lines = result.stdout.splitlines()
    assert lines[0] == f"imported  {story['short_id']}  {path}: Harbour board delays dredging vote"
    assert lines[1].startswith("1 imported, 0 already in library, 0 new version(s), 0 failed")
    assert str(data_dir) in lines[1]
    assert result.stderr == ""

    again = run(data_dir, "import", str(path))
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0] == (
        f"skipped   {story['short_id']}  {path}: Harbour board delays dredging vote (already in library)"
    )
    assert again.stdout.splitlines()[1].startswith("0 imported, 1 already in library, 0 new version(s), 0 failed")
    assert len(stories(data_dir)) == 1


def test_a_reimport_names_an_unchanged_file_without_reading_its_story_back(
    data_dir: Path, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = files / "harbour.txt"
    assert run(data_dir, "import", str(path)).exit_code == 0

    def no_text(self: object, story_id: str) -> None:
        raise AssertionError("the story's text was read back")

    monkeypatch.setattr("annotations.store.library.Store.story", no_text)
    again = run(data_dir, "import", str(path))
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[0].endswith(": Harbour board delays dredging vote (already in library)")


def test_import_a_folder_lists_every_file_and_the_failures(data_dir: Path, files: Path) -> None:
    result = run(data_dir, "import", str(files))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    out = result.stdout.splitlines()
    assert [line.split()[0] for line in out[:-1]] == ["imported"] * 3
    for name in ("harbour.txt", "ferry.txt", "sub/library.txt"):
        assert sum(str(files / name) in line for line in out) == 1
    assert out[-1].startswith("3 imported, 0 already in library, 0 new version(s), 2 failed")
    failed = result.stderr.splitlines()
    assert failed == [
        f"failed    {files / 'empty.txt'}: empty file",
        f"failed    {files / 'image.bin'}: binary file, not text",
    ]
    assert ".hidden" not in result.output
    assert {s["headline"] for s in stories(data_dir)} == {
        "Harbour board delays dredging vote",
        "Ferries sail after crew’s strike",
        "Library opens on Sundays",
    }


def test_a_failed_file_stores_nothing(data_dir: Path, files: Path) -> None:
    result = run(data_dir, "import", str(files / "empty.txt"), str(files / "missing.txt"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"failed    {files / 'empty.txt'}: empty file"
    assert result.stderr.splitlines()[1].startswith(f"failed    {files / 'missing.txt'}: ")
    assert "No such file" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 imported, 0 already in library, 0 new version(s), 2 failed")
    assert stories(data_dir) == []
    assert not (data_dir / STORIES_FILE).exists() and not (data_dir / PACK_FILE).exists()
    assert journal.scan(data_dir / "stories.journal").changes == []


def test_import_needs_a_path(data_dir: Path) -> None:
    result = run(data_dir, "import")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_import_the_shared_corpus_names_every_file(data_dir: Path, corpus: Path) -> None:
    result = run(data_dir, "import", str(corpus))
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    notes = ("README", "LICENSE")  # notes that come with the folder are passed over, the stories all named
    for path in corpus.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert (str(path) in result.output) != path.name.startswith(notes), path
    for line in result.stderr.splitlines():
        assert line.startswith("failed    ") and ": " in line
    summary = result.stdout.splitlines()[-1]
    imported = int(summary.split()[0])
    assert imported == len(stories(data_dir)) >= 1
    assert result.exit_code == (1 if result.stderr else 0)


# --- list ---------------------------------------------------------------------------------------------------


def test_list_an_empty_library_says_how_to_import(data_dir: Path) -> None:
    result = run(data_dir, "list")
    assert result.exit_code == 0
    assert "empty" in result.stdout and "wiredesk import" in result.stdout
    assert json.loads(run(data_dir, "list", "--format", "json").stdout) == []


def test_list_table_and_json(data_dir: Path, files: Path) -> None:
    run(data_dir, "import", str(files / "harbour.txt"), str(files / "ferry.txt"))
    (harbour,) = [s for s in stories(data_dir) if s["source"] == "harbour.txt"]
    run(data_dir, "annotate", harbour["id"], "--kind", "quote", "--text", "We need another month")
    run(data_dir, "annotate", harbour["id"], "--kind", "actor", "--text", "Tomas Brek")

    table = run(data_dir, "list", "--format", "table")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["ID", "Date", "Agency"]
    row = next(line for line in lines if line.startswith(harbour["short_id"]))
    assert "Reuters" in row and "Harbour board delays dredging vote" in row
    assert row.split()[-3:] == ["1", "1", "0"]
    assert any("Ferries sail after crew’s strike" in line for line in lines)
    assert "\x1b" not in table.stdout

    data = stories(data_dir)
    assert len(data) == 2
    entry = next(s for s in data if s["id"] == harbour["id"])
    assert entry["short_id"] == harbour["id"][:8]
    assert entry["authors"] == ["Lena Holt"] and entry["agency"] == "Reuters"
    assert entry["counts"] == {"quote": 1, "actor": 1, "claim": 0}
    assert "text" not in entry


def test_list_refuses_an_unknown_format(data_dir: Path) -> None:
    result = run(data_dir, "list", "--format", "yaml")
    assert result.exit_code == 2 and "Invalid value" in result.stderr


# --- show ---------------------------------------------------------------------------------------------------


def test_show_json_of_the_anadolu_story(data_dir: Path, corpus: Path) -> None:
    path = corpus / "aa-russia-venezuela-strikes.txt"
    story_id = import_one(data_dir, path)
    data = show_json(data_dir, story_id[:8])
    assert data["id"] == story_id
    assert data["section"] == "Americas, Asia - Pacific"
    assert data["authors"] == ["Burc Eruygur"]
    assert data["dateline"] == "ISTANBUL"
    assert data["created"] == "2026-01-03" and data["updated"] == "2026-01-04"
    assert data["headline"].startswith("Russia says US military strikes on Venezuela")
    text, blocks = data["text"], data["blocks"]
    assert any(b["kind"] == "headline" for b in blocks)
    paragraphs = [text[b["start"] : b["end"]] for b in blocks if b["kind"] == "paragraph"]
    assert paragraphs[0].startswith("Russia on Saturday condemned US strikes")
    assert "Anadolu Agency website contains only" not in text
    assert data["annotations"] == []


def test_show_text_is_plain_when_not_a_terminal(data_dir: Path, harbour: str) -> None:
    run(data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month")
    result = run(data_dir, "show", harbour[:6])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Harbour board delays dredging vote")
    assert "Fishermen say the silt" in result.stdout
    assert "By Lena Holt" in result.stdout
    assert harbour[:8] in result.stdout
    assert "\x1b" not in result.stdout


def test_show_never_prints_escape_sequences_from_a_story(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "evil.txt"
    path.write_text("Bad \x1b[31mred\x1b[0m headline\x07\n\nBody \x1b]0;owned\x07text with \x9b2J controls.\n", "utf-8")
    story_id = import_one(data_dir, path)
    for fmt in ("text", "json"):
        result = run(data_dir, "show", story_id, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert not any(c in result.stdout for c in "\x1b\x07\x9b")
    assert show_json(data_dir, story_id)["headline"] == "Bad red headline"


def test_show_unknown_story(data_dir: Path, harbour: str) -> None:
    line = assert_user_error(run(data_dir, "show", "ffffffff"), "ffffffff")
    assert line.startswith("Error: ")
    assert_user_error(run(data_dir, "show", " "), "no story id")


# --- annotate -----------------------------------------------------------------------------------------------


def test_annotate_by_exact_text(data_dir: Path, harbour: str) -> None:
    result = run(data_dir, "annotate", harbour[:8], "--kind", "quote", "--text", '"We need another month,"')
    assert result.exit_code == 0, result.output
    data = show_json(data_dir, harbour)
    (ann,) = data["annotations"]
    assert ann["exact"] == '"We need another month,"'
    assert data["text"][ann["start"] : ann["end"]] == ann["exact"]
    assert ann["kind"] == "quote" and ann["note"] == "" and ann["story_id"] == harbour
    assert result.stdout.strip() == (
        f"saved quote {ann['id'][:8]} [{ann['start']}:{ann['end']}] {ann['exact']} in story {harbour[:8]}"
    )  # its own marks, no others beside them


def test_annotate_an_occurrence_with_a_note(data_dir: Path, harbour: str) -> None:
    text = show_json(data_dir, harbour)["text"]
    second = text.index("the silt has")  # "silt" as a word: "silted" does not count
    result = run(
        data_dir, "annotate", harbour, "--kind", "claim", "--text", "silt", "--occurrence", "2", "--note", "vague"
    )
    assert result.exit_code == 0, result.output
    (ann,) = show_json(data_dir, harbour)["annotations"]
    assert (ann["start"], ann["end"], ann["note"]) == (second + 4, second + 8, "vague")


def test_annotate_records_the_annotator_from_the_config(data_dir: Path, tmp_path: Path, harbour: str) -> None:
    config = tmp_path / "config" / "wiredesk" / "config.toml"  # XDG_CONFIG_HOME is tmp_path/config
    config.parent.mkdir(parents=True)
    config.write_text('annotator = "Ana Lind"\n', "utf-8")
    assert run(data_dir, "annotate", harbour, "--kind", "actor", "--text", "Tomas Brek").exit_code == 0
    assert show_json(data_dir, harbour)["annotations"][0]["annotator"] == "Ana Lind"

    config.write_text("annotator = \n", "utf-8")
    assert_user_error(run(data_dir, "annotate", harbour, "--kind", "actor", "--text", "Fishermen"), str(config))
    assert len(show_json(data_dir, harbour)["annotations"]) == 1


def test_annotate_text_not_found(data_dir: Path, harbour: str) -> None:
    before = snapshot(data_dir)
    result = run(data_dir, "annotate", harbour, "--kind", "quote", "--text", "we need ANOTHER month")
    line = assert_user_error(result, "not found", harbour[:8], 'did you mean "We need another month"')
    assert line.startswith("Error: ")
    assert result.stdout == ""
    assert show_json(data_dir, harbour)["annotations"] == []
    assert snapshot(data_dir) == before  # no file changed: not the index, the texts, nor the journals
    assert not (data_dir / ANNOTATIONS_FILE).exists()


def test_annotate_says_when_the_text_occurs_more_than_once(data_dir: Path, harbour: str) -> None:
    result = run(data_dir, "annotate", harbour, "--kind", "claim", "--text", "silt")
    assert result.exit_code == 0 and "occurs 2 times" in result.stderr and "--occurrence" in result.stderr
    chosen = run(data_dir, "annotate", harbour, "--kind", "quote", "--text", "silt", "--occurrence", "1")
    assert chosen.exit_code == 0 and chosen.stderr == ""


def test_annotate_occurrence_beyond_the_count(data_dir: Path, harbour: str) -> None:
    result = run(data_dir, "annotate", harbour, "--kind", "claim", "--text", "silt", "--occurrence", "5")
    assert_user_error(result, "occurs 2 time(s)")


def test_annotate_unknown_story(data_dir: Path, harbour: str) -> None:
    assert_user_error(run(data_dir, "annotate", "abc123", "--kind", "quote", "--text", "x"), "abc123")


@pytest.mark.parametrize(
    "args",
    [
        ["--kind", "rumour", "--text", "the silt"],
        ["--text", "the silt"],
        ["--kind", "quote"],
        ["--kind", "quote", "--text", "the silt", "--occurrence", "0"],
        ["--kind", "quote", "--text", "the silt", "--bogus"],
    ],
)
def test_annotate_usage_errors(data_dir: Path, harbour: str, args: list[str]) -> None:
    result = run(data_dir, "annotate", harbour, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Error:" in result.stderr
    assert show_json(data_dir, harbour)["annotations"] == []


def test_list_into_a_pipe_keeps_long_headlines_whole(data_dir: Path, tmp_path: Path) -> None:
    """Into a pipe or a file the table is PIPE_WIDTH wide: a 70-character headline is not cut to fit 80 columns."""
    headline = "Harbour board delays dredging vote until engineers report on the silt"
    path = tmp_path / "long.txt"
    path.write_text(f"{headline}\n\nNORDVIK, May 2 (AP) — The vote was put off.\n", "utf-8")
    assert run(data_dir, "import", str(path)).exit_code == 0
    listed = run(data_dir, "list").stdout
    assert headline in listed
    assert listed.split()[:3] == ["ID", "Date", "Agency"]  # a short agency ("AP") leaves its header whole
