"""Symbolic links inside an imported folder (issue 11 §6): never followed out of the folders named unless
`--follow-links`; each one left is said in one clean line, and nothing it points to reaches the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.cli_support import run, stories
from tui.cli import main

pytestmark = pytest.mark.usefixtures("plain_terminal")

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- WIREDESK-LINK-SECRET-7f3a"
STORY = "Council backs river plan\n\nThe council voted 7-2 on Monday to back the river plan.\n"
NOT_FOLLOWED = "a link to outside the folders named: not followed (--follow-links follows it)"


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """(the folder to import, a private folder beside it)."""
    private = tmp_path / "home" / ".ssh"
    private.mkdir(parents=True)
    (private / "id_ed25519").write_text(f"Key\n\n{SECRET}\n")
    (private / "notes.txt").write_text("Ferry notes\n\nThe ferry runs hourly from Monday.\n")
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "council.txt").write_text(STORY)
    return folder, private


def _secret_nowhere(result: Result, data_dir: Path) -> None:
    assert SECRET not in result.output
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"WIREDESK-LINK-SECRET" not in path.read_bytes(), path


@pytest.mark.parametrize(("name", "target"), [("key.txt", "id_ed25519"), ("keys", "")], ids=["file", "folder"])
def test_a_link_to_outside_is_not_followed_and_is_reported(
    tree: tuple[Path, Path], data_dir: Path, name: str, target: str
) -> None:
    folder, private = tree
    (folder / name).symlink_to(private / target, target_is_directory=not target)
    result = run(data_dir, "import", str(folder))
    assert result.exit_code == 0, result.output
    assert f"skipped   {folder / name}: {NOT_FOLLOWED}" in result.stdout.splitlines()
    assert [s["source"] for s in stories(data_dir)] == ["council.txt"]
    _secret_nowhere(result, data_dir)


def test_follow_links_follows_them(tree: tuple[Path, Path], data_dir: Path) -> None:
    folder, private = tree
    (folder / "notes.txt").symlink_to(private / "notes.txt")
    (folder / "more").symlink_to(private, target_is_directory=True)
    result = run(data_dir, "import", "--follow-links", str(folder))
    assert result.exit_code == 0, result.output
    assert NOT_FOLLOWED not in result.stdout
    assert sorted(s["source"] for s in stories(data_dir)) == ["council.txt", "id_ed25519", "notes.txt"]


def test_links_inside_the_folders_named_are_followed(tree: tuple[Path, Path], data_dir: Path, tmp_path: Path) -> None:
    folder, _ = tree
    other = tmp_path / "other"
    other.mkdir()
    (other / "ferry.txt").write_text("Ferries sail again\n\nFerry services resumed on Tuesday.\n")
    (folder / "ferry-link.txt").symlink_to(other / "ferry.txt")  # into the second folder named
    (folder / "sub").mkdir()
    (folder / "sub" / "council-again.txt").symlink_to(folder / "council.txt")  # into the same folder
    result = run(data_dir, "import", str(folder), str(other))
    assert result.exit_code == 0, result.output
    assert "skipped   " not in "\n".join(line for line in result.stdout.splitlines() if "already" not in line)
    assert sorted(s["headline"] for s in stories(data_dir)) == ["Council backs river plan", "Ferries sail again"]


def test_a_link_named_on_the_command_line_is_followed(tree: tuple[Path, Path], data_dir: Path, tmp_path: Path) -> None:
    _, private = tree
    link = tmp_path / "notes-link.txt"
    link.symlink_to(private / "notes.txt")
    result = run(data_dir, "import", str(link))
    assert result.exit_code == 0, result.output
    assert [s["headline"] for s in stories(data_dir)] == ["Ferry notes"]


def test_a_link_loop_is_walked_once_with_follow_links(tree: tuple[Path, Path], data_dir: Path) -> None:
    folder, _ = tree
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "sub" / "up").symlink_to(folder / "sub", target_is_directory=True)
    result = run(data_dir, "import", "--follow-links", str(folder))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2  # one story, then the summary
    assert [s["source"] for s in stories(data_dir)] == ["council.txt"]


def test_the_name_of_a_skipped_link_is_cleaned(tree: tuple[Path, Path], data_dir: Path) -> None:
    folder, private = tree
    evil = "key\x1b]0;owned\x07\x1b[2J\u202egpj.txt"
    (folder / evil).symlink_to(private / "id_ed25519")
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "import", str(folder)], color=True)
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stdout.splitlines() if line.startswith("skipped")]
    assert line == f"skipped   {folder}/keygpj.txt: {NOT_FOLLOWED}"
    assert "\x1b" not in result.output and "\u202e" not in result.output and "owned" not in result.output


def test_a_link_to_the_library_itself_is_never_imported(tree: tuple[Path, Path], data_dir: Path) -> None:
    folder, _ = tree
    assert run(data_dir, "import", str(folder)).exit_code == 0
    (folder / "library.json").symlink_to(data_dir / "stories.journal")
    result = run(data_dir, "import", "--follow-links", str(folder))
    assert result.exit_code == 0, result.output
    assert "library.json" not in result.output
