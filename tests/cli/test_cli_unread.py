"""`wiredesk list --unread`, `wiredesk read` and `wiredesk unread`: the read/unread marks from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_support import assert_user_error, run, stories

pytestmark = pytest.mark.usefixtures("plain_terminal")


def test_imports_are_unread_until_marked_read(data_dir: Path, files: Path) -> None:
    run(data_dir, "import", str(files))  # (exit 1: the folder holds two bad files; three stories are stored)
    listed = stories(data_dir)
    assert len(listed) == 3 and all(s["unread"] for s in listed)
    harbour = next(s for s in listed if s["source"] == "harbour.txt")
    result = run(data_dir, "read", harbour["short_id"])
    assert result.exit_code == 0 and result.stdout == "Marked 1 story read.\n"
    assert run(data_dir, "read", harbour["short_id"]).stdout == "Marked 1 story read (already read).\n"
    unread = run(data_dir, "list", "--unread", "--format", "json")
    assert {s["source"] for s in stories(data_dir) if s["unread"]} == {"ferry.txt", "library.txt"}
    assert len(unread.stdout) and harbour["id"] not in unread.stdout
    table = run(data_dir, "list").stdout
    harbour_line = next(line for line in table.splitlines() if "Harbour board" in line)
    ferry_line = next(line for line in table.splitlines() if "Ferries sail" in line)
    assert "●" not in harbour_line and "● Ferries sail" in ferry_line
    assert run(data_dir, "unread", harbour["id"]).stdout == "Marked 1 story unread.\n"
    others = [s["id"] for s in listed if s["source"] != "harbour.txt"]
    assert run(data_dir, "read", *others, harbour["id"]).stdout == "Marked 3 stories read.\n"
    assert run(data_dir, "list", "--unread").stdout == "Every story is read.\n"


def test_an_unknown_story_marks_nothing(data_dir: Path, files: Path) -> None:
    run(data_dir, "import", str(files))  # (exit 1: the folder holds two bad files; three stories are stored)
    first = stories(data_dir)[0]["id"]
    assert_user_error(run(data_dir, "read", first, "zzzz\x1b[2J"), "no story with id")
    assert stories(data_dir)[0]["unread"]  # every id is checked before anything is marked
    assert run(data_dir, "read").exit_code == 2  # no story given: a usage error
