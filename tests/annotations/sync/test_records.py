"""The repository's files and the 3-way merge of their records (sorted lines, tombstones, conflicts kept); what the
git runner shows (no tokens) and asks (nothing on the terminal)."""

from __future__ import annotations

import subprocess

import pytest

from annotations.sync.git import SyncError
from annotations.sync.records import CONFLICTS, REGISTRY, THREADS, dump, folder_name, load, merge3
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


C1, CX, CY = (f"{n:08x}-0000-4000-8000-000000000000" for n in (1, 2, 3))
TID = "0e0e0e0e-0000-4000-8000-000000000001"


def thread(members: dict[str, tuple[str, str]], modified: str, **fields: object) -> dict[str, object]:
    """A thread record: members {claim: (status, linked)}."""
    listed = [{"annotation": a, "status": s, "linked": at} for a, (s, at) in members.items()]
    made = {"id": TID, "title": "Rates", "members": listed, "created": "2026-01-01T00:00:00Z", "modified": modified}
    return {**made, **fields}


def merged_thread(base: dict | None, ours: dict, theirs: dict) -> tuple[dict, list[dict]]:
    done = merge3(THREADS, {TID: base} if base else {}, {TID: ours}, {TID: theirs})
    return done.records[TID], done.conflicts


def test_two_links_into_one_thread_are_joined_whichever_side_merges() -> None:
    base = thread({C1: ("asserted", "2026-01-01T00:00:00Z")}, "2026-01-01T00:00:00Z")
    ours = thread(
        {C1: ("asserted", "2026-01-01T00:00:00Z"), CX: ("denied", "2026-01-02T00:00:00Z")}, "2026-01-02T00:00:00Z"
    )
    theirs = thread(
        {C1: ("asserted", "2026-01-01T00:00:00Z"), CY: ("confirmed", "2026-01-03T00:00:00Z")}, "2026-01-03T00:00:00Z"
    )
    one, conflicts = merged_thread(base, ours, theirs)
    other, _ = merged_thread(base, theirs, ours)
    assert conflicts == [] and one == other
    assert {m["annotation"]: m["status"] for m in one["members"]} == {C1: "asserted", CX: "denied", CY: "confirmed"}


def test_an_unlink_outlives_an_older_link_and_a_retitle_survives_a_later_edit() -> None:
    at = "2026-01-01T00:00:00Z"
    base = thread({C1: ("asserted", at), CX: ("asserted", at)}, at)
    ours = thread({C1: ("asserted", at)}, "2026-01-02T00:00:00Z", unlinked={CX: "2026-01-02T00:00:00Z"}, title="New")
    theirs = thread({C1: ("denied", at), CX: ("asserted", at)}, "2026-01-03T00:00:00Z")
    got, conflicts = merged_thread(base, ours, theirs)
    assert conflicts == []
    assert [(m["annotation"], m["status"]) for m in got["members"]] == [(C1, "denied")]
    assert got["title"] == "New" and got["unlinked"] == {CX: "2026-01-02T00:00:00Z"}


def test_a_deletion_against_an_edit_the_later_wins_without_a_conflict() -> None:
    at = "2026-01-01T00:00:00Z"
    base = thread({C1: ("asserted", at)}, at)
    tomb = {"id": TID, "deleted": "2026-01-02T00:00:00Z", "modified": at, "claims": [C1]}
    later = thread({C1: ("denied", at)}, "2026-01-03T00:00:00Z")
    earlier = thread({C1: ("denied", at)}, "2026-01-01T12:00:00Z")
    assert merged_thread(base, tomb, later) == (later, [])
    assert merged_thread(base, earlier, tomb) == (tomb, [])


def test_two_statuses_for_one_claim_are_a_conflict_with_both_values() -> None:
    at = "2026-01-01T00:00:00Z"
    base = thread({C1: ("asserted", at)}, at)
    ours = thread({C1: ("denied", at)}, "2026-01-02T00:00:00Z")
    theirs = thread({C1: ("confirmed", at)}, "2026-01-03T00:00:00Z", title="Other")
    got, [conflict] = merged_thread(base, ours, theirs)
    assert (
        got["members"][0]["status"] == "denied" and got["title"] == "Other"
    )  # ours kept; the title theirs alone changed
    assert conflict["theirs"]["members"][0]["status"] == "confirmed" and conflict["theirs"]["title"] == "Other"
    _, [again] = merged_thread(base, theirs, ours)
    assert again["id"] == conflict["id"]  # the same conflict, whoever merges


def decision_rec(decision: str, created: str, source: str = "", curated: str = "") -> dict[str, object]:
    return rec(
        "d" * 32, story_id="s" * 64, kind="quote", start=1, end=9, exact="x" * 8, decision=decision, source=source,
        curated=curated, created=created,
    )  # fmt: skip


DECISIONS_FILE = f"decisions/{'s' * 64}.jsonl"


def test_two_curators_deciding_an_item_alike_join_to_the_earlier_whichever_side_merges() -> None:
    early, late = decision_rec("rejected", "2026-01-01T00:00:00Z"), decision_rec("rejected", "2026-01-02T00:00:00Z")
    for ours, theirs in ((early, late), (late, early)):
        merged = merge3(DECISIONS_FILE, {}, {"d" * 32: ours}, {"d" * 32: theirs})
        assert merged.records == {"d" * 32: early} and merged.conflicts == []
    copied = [decision_rec("accepted", f"2026-01-0{n}T00:00:00Z", "ben", str(n) * 32) for n in (1, 2)]
    merged = merge3(DECISIONS_FILE, {}, {"d" * 32: copied[1]}, {"d" * 32: copied[0]})
    assert merged.records == {"d" * 32: copied[0]} and merged.conflicts == []  # each its own copy: one kept


def test_two_different_decisions_of_an_item_are_a_conflict_ours_kept() -> None:
    rejected = decision_rec("rejected", "2026-01-01T00:00:00Z")
    for theirs in (
        decision_rec("accepted", "2026-01-02T00:00:00Z", "ada", "1" * 32),
        decision_rec("accepted", "2026-01-02T00:00:00Z", "ben", "1" * 32) | {"decision": "edited"},
        rec("d" * 32, story_id="s" * 64, deleted="2026-01-03T00:00:00Z", modified=""),  # undone there
    ):
        base = {"d" * 32: decision_rec("accepted", "2026-01-01T00:00:00Z", "ada", "0" * 32)}
        merged = merge3(DECISIONS_FILE, base, {"d" * 32: rejected}, {"d" * 32: theirs})
        assert merged.records == {"d" * 32: rejected}
        [conflict] = merged.conflicts
        assert (conflict["ours"], conflict["theirs"]) == (rejected, theirs)
    # the same values in the registry are a conflict too: joining is for decisions only
    early, late = decision_rec("rejected", "2026-01-01T00:00:00Z"), decision_rec("rejected", "2026-01-02T00:00:00Z")
    assert merge3(REGISTRY, {}, {"d" * 32: late}, {"d" * 32: early}).conflicts
