"""`wiredesk diff`: what changed between two versions of a story, marked in text or as operations in JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_support import assert_user_error, run, stories
from tests.version_chain import HEADLINE, SHIPS, write_versions

pytestmark = pytest.mark.usefixtures("plain_terminal")


@pytest.fixture
def chain(data_dir: Path, tmp_path: Path) -> list[str]:
    """The port-strike story's three versions imported in order: their ids, oldest first."""
    result = run(data_dir, "import", *map(str, write_versions(tmp_path / "wire", 1, 3, 4)))
    assert result.exit_code == 0, result.output
    listed = sorted(stories_all(data_dir), key=lambda s: s["version"])
    return [s["id"] for s in listed]


def stories_all(data_dir: Path) -> list[dict]:
    result = run(data_dir, "list", "--all-versions", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_default_is_the_version_before_to_this_one(data_dir: Path, chain: list[str]) -> None:
    result = run(data_dir, "diff", chain[2][:8])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"version 2 ({chain[1][:8]}) → version 3 ({chain[2][:8]}) of 3 · 4 paragraphs changed")
    out = " ".join(result.stdout.split())  # the text wraps at 100 columns
    assert "{+PORTVALE, June 1 (Reuters) - Talks to end the strike collapsed" in out
    assert '"We will not go back [-until the offer is fair,"-]{+without a fair offer,"+} union leader' in out
    assert f"× paragraph 6 deleted [-{SHIPS}-]" in out
    assert "\x1b" not in result.stdout  # no colour into a pipe: the marks alone


def test_from_and_to_by_number_or_id(data_dir: Path, chain: list[str]) -> None:
    by_number = run(data_dir, "diff", chain[0][:8], "--from", "1", "--to", "3")
    by_id = run(data_dir, "diff", chain[1][:8], "--from", chain[0][:10], "--to", chain[2][:10].upper())
    assert by_number.exit_code == by_id.exit_code == 0, by_number.output + by_id.output
    assert by_number.stdout == by_id.stdout
    out = " ".join(by_number.stdout.split())
    assert "5 paragraphs changed (1 inserted, 1 deleted, 2 changed, 1 moved)" in out
    assert "» moved from paragraph 4, changed The port handles about [-440-]{+470+} million" in out


def test_the_oldest_version_compares_the_newest_with_the_one_before(data_dir: Path, chain: list[str]) -> None:
    assert run(data_dir, "diff", chain[0][:8]).stdout == run(data_dir, "diff", chain[2][:8]).stdout


def test_a_reversed_diff(data_dir: Path, chain: list[str]) -> None:
    result = run(data_dir, "diff", chain[0][:8], "--from", "3", "--to", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"version 3 ({chain[2][:8]}) → version 2 ({chain[1][:8]})")
    assert "+ paragraph inserted" in result.stdout and "× paragraph 2 deleted" in result.stdout


def test_json_has_the_operations_with_offsets(data_dir: Path, chain: list[str]) -> None:
    result = run(data_dir, "diff", chain[2][:8], "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"]["id"], data["to"]["id"], data["to"]["version"]) == (chain[1], chain[2], 3)
    assert data["summary"] == {
        "paragraphs_changed": 4,
        "same": 3,
        "inserted": 1,
        "deleted": 1,
        "changed": 2,
        "moved": 0,
    }
    new_text = json.loads(run(data_dir, "show", chain[2][:8], "--format", "json").stdout)["text"]
    old_text = json.loads(run(data_dir, "show", chain[1][:8], "--format", "json").stdout)["text"]
    ops = [w for p in data["paragraphs"] for w in p["words"]]
    assert ops, data
    for op in ops:
        if op["op"] == "insert":
            assert new_text[op["new"][0] : op["new"][1]] == op["text"]
        else:
            assert old_text[op["old"][0] : op["old"][1]] == op["text"]
    kinds = [p["kind"] for p in data["paragraphs"]]
    assert kinds == ["same", "inserted", "changed", "changed", "same", "same", "deleted"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--from", "7"], ["--from '7'", "no such version of this story (it has 3: 1 to 3"]),
        (["--to", "0"], ["--to '0'", "no such version"]),
        (["--from", "2", "--to", "2"], ["same version (2)"]),
        (["--to", "1"], ["version 1 is the oldest"]),
        (["--from", "zz\x1b[31m"], ["no such version"]),
    ],
)
def test_versions_out_of_range(data_dir: Path, chain: list[str], args: list[str], fragments: list[str]) -> None:
    line = assert_user_error(run(data_dir, "diff", chain[2][:8], *args), *fragments)
    assert "\x1b" not in line


def test_a_story_with_one_version(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(f"{HEADLINE}\n\nOnly one version of this.\n", encoding="utf-8")
    assert run(data_dir, "import", str(tmp_path / "one.txt")).exit_code == 0
    story_id = stories(data_dir)[0]["id"]
    assert_user_error(run(data_dir, "diff", story_id[:8]), "has only one version", "nothing to compare")


def test_an_unknown_story(data_dir: Path, chain: list[str]) -> None:
    assert_user_error(run(data_dir, "diff", "ffffffff"), "no story with id 'ffffffff'")
