"""The repository's files and the 3-way merge of their records (sorted lines, tombstones, conflicts kept); what the
git runner shows (no tokens) and asks (nothing on the terminal)."""

from __future__ import annotations

import subprocess

import pytest

from annotations.sync.git import SyncError
from annotations.sync.records import CONFLICTS, REGISTRY, dump, folder_name, load, merge3
from annotations.sync.report import shown_url


def rec(key: str, **fields: object) -> dict[str, object]:
    return {"id": key, **fields}


def test_a_file_is_sorted_records_one_a_line_with_sorted_keys() -> None:
    data = dump([rec("b", z=1, a=2), rec("a", name="Ada")])
    assert data == b'{"id":"a","name":"Ada"}\n{"a":2,"id":"b","z":1}\n'
    assert load(data, "x.jsonl") == {"a": rec("a", name="Ada"), "b": rec("b", a=2, z=1)}
    assert dump([]) == b""


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"{not json\n", "line 1 is not a JSON record"),
        (b'{"id":"a"}\n[1,2]\n', "line 2 is not a record with an id"),
        (b'{"id":"a"}\n{"id":"a"}\n', "holds record a twice"),
        (b'{"name":"no id"}\n', "line 1 is not a record with an id"),
    ],
)
def test_a_broken_file_is_one_clean_line(data: bytes, fragment: str) -> None:
    with pytest.raises(SyncError, match=fragment):
        load(data, "layers/ada/x.jsonl")


def test_changes_on_one_side_are_taken_and_equal_changes_agree() -> None:
    base = {"a": rec("a", v=1), "b": rec("b", v=1), "c": rec("c", v=1)}
    ours = {"a": rec("a", v=2), "b": rec("b", v=1), "c": rec("c", v=3), "n": rec("n", v=1)}
    theirs = {"a": rec("a", v=1), "b": rec("b", v=5), "c": rec("c", v=3), "m": rec("m", v=1)}
    merged = merge3(REGISTRY, base, ours, theirs)
    assert merged.records == {
        "a": rec("a", v=2),
        "b": rec("b", v=5),
        "c": rec("c", v=3),
        "n": ours["n"],
        "m": theirs["m"],
    }
    assert merged.conflicts == []


def test_both_sides_changing_a_record_differently_keeps_ours_and_lists_both() -> None:
    base = {"a": rec("a", v=1)}
    merged = merge3(REGISTRY, base, {"a": rec("a", v=2)}, {"a": rec("a", v=3)}, found="2026-01-01T00:00:00Z")
    assert merged.records == {"a": rec("a", v=2)}
    [conflict] = merged.conflicts
    assert (conflict["record"], conflict["base"], conflict["ours"], conflict["theirs"]) == (
        "a",
        rec("a", v=1),
        rec("a", v=2),
        rec("a", v=3),
    )
    again = merge3(REGISTRY, base, {"a": rec("a", v=3)}, {"a": rec("a", v=2)}).conflicts[0]
    assert again["id"] == conflict["id"]  # the same two values: the same conflict, whoever merges


def test_a_deletion_against_an_edit_is_a_conflict_and_two_deletions_keep_the_earlier() -> None:
    base = {"a": rec("a", v=1), "b": rec("b", v=1)}
    ours = {"a": rec("a", deleted="2026-01-02T00:00:00Z"), "b": rec("b", deleted="2026-01-03T00:00:00Z")}
    theirs = {"a": rec("a", v=2), "b": rec("b", deleted="2026-01-01T00:00:00Z")}
    merged = merge3("layers/ada/s.jsonl", base, ours, theirs)
    assert merged.records == {"a": ours["a"], "b": theirs["b"]}
    assert [c["record"] for c in merged.conflicts] == ["a"]
    flipped = merge3("layers/ada/s.jsonl", base, theirs, ours)
    assert flipped.records["b"] == theirs["b"]


def test_the_conflicts_file_drops_what_one_side_resolved_and_makes_no_conflicts_of_its_own() -> None:
    base = {"a": rec("a", v=1), "b": rec("b", v=1)}
    merged = merge3(CONFLICTS, base, {"b": rec("b", v=1)}, {"a": rec("a", v=1), "b": rec("b", v=2)})
    assert merged.records == {"b": rec("b", v=2)} and merged.conflicts == []


@pytest.mark.parametrize("name", ["", "a/b", "..", ".hidden", "x\x1b[31m", "ab\u202ecd", " pad", "a" * 101, "c:d"])
def test_unsafe_annotator_names_cannot_name_a_folder(name: str) -> None:
    with pytest.raises(SyncError, match="cannot name a layer folder") as caught:
        folder_name(name)
    assert "\x1b" not in str(caught.value) and "\u202e" not in str(caught.value)


def test_ordinary_names_name_a_folder() -> None:
    assert folder_name("Ada Quist") == "Ada Quist" and folder_name("ayşe_k-2") == "ayşe_k-2"


def test_a_token_in_a_remote_url_is_never_shown() -> None:
    assert shown_url("https://ada:s3cr3t@git.example.org/team.git") == "https://git.example.org/team.git"
    assert shown_url("https://ghp_TOKEN@github.com/x/y.git") == "https://github.com/x/y.git"
    assert shown_url("git@github.com:x/y.git") == "git@github.com:x/y.git"  # ssh: a user name, no secret
    assert shown_url("/srv/team.git\x1b[2J") == "/srv/team.git"


def test_git_errors_show_no_token() -> None:
    from annotations.sync.git import _gist

    said = b"Cloning...\nfatal: unable to access 'https://ada:s3cr3t@git.example.org/team.git/': Could not resolve\n"
    assert _gist(said) == "fatal: unable to access 'https://git.example.org/team.git/': Could not resolve"


def test_ssh_asks_nothing_on_the_terminal_unless_the_user_chose_an_ssh_command(tmp_path, monkeypatch) -> None:
    from annotations.sync.git import Git

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.delenv("GIT_SSH_COMMAND", raising=False)
    monkeypatch.delenv("GIT_SSH", raising=False)
    assert Git(tmp_path)._batch_ssh() == {"GIT_SSH_COMMAND": "ssh -o BatchMode=yes"}
    subprocess.run(["git", "config", "core.sshCommand", "ssh -i ~/.ssh/team"], cwd=tmp_path, check=True)
    assert Git(tmp_path)._batch_ssh() == {}
    monkeypatch.setenv("GIT_SSH_COMMAND", "my-ssh")
    assert Git(tmp_path)._batch_ssh() == {}
