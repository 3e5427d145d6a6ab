"""Claim threads travel through `wiredesk sync` (`registry/threads.jsonl`): links, unlinks and deletions reach the
other library, two links into one thread made offline are joined, two statuses for one claim are a conflict."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.cli import test_cli_sync
from tests.cli.test_cli_sync import library_files, repo_dir_of
from tests.sync_support import Annotator

CLAIMS = (
    "Tight monetary policy will be maintained",
    "We will do whatever it takes",
    "raised its key interest rate to 50%",
)

team = test_cli_sync.team  # the fixture: Ada with the Anadolu story, Ben


@pytest.fixture
def shared(team) -> tuple[Annotator, Annotator, list[str]]:
    """Ada and Ben, both with Ada's three claims (ids), no thread yet."""
    ada, ben, story = team
    ids = []
    for text in CLAIMS:
        out = ada.ok("annotate", story, "--kind", "claim", "--text", text)
        ids.append(out[0].split()[2])
    ada.sync()
    ben.sync()
    return ada, ben, ids


def threads(who: Annotator) -> list[dict]:
    """The library's threads as `wiredesk claims --format json` lists them: (title, {claim id prefix: status})."""
    data = json.loads("\n".join(who.ok("claims", "--format", "json")))
    return [
        {"id": t["id"], "title": t["title"], "claims": {m["annotation_id"][:8]: m["status"] for m in t["members"]}}
        for t in data
    ]


def thread_both_have(ada: Annotator, ben: Annotator, claim: str) -> dict:
    """A thread "Rates" Ada starts with `claim`, synced to Ben."""
    ada.ok("claims", "link", claim, "--new", "--title", "Rates")
    [made] = threads(ada)
    ada.sync()
    ben.sync()
    return made


def test_a_thread_its_unlinks_and_its_deletion_travel(shared) -> None:
    ada, ben, (one, two, three) = shared
    ada.ok("claims", "link", one, "--new", "--title", "Rates stay high")
    [made] = threads(ada)
    ada.ok("claims", "link", two, "--thread", made["id"][:8], "--status", "repeated")
    assert any(line.startswith("into the library:") for line in ada.sync())
    got = ben.sync()
    assert got[1] == "into the library: 1 claim thread"
    assert threads(ben) == [{**made, "claims": {one: "asserted", two: "repeated"}}]
    assert made["id"][:8] in "\n".join(ben.ok("claims"))  # as `wiredesk claims` lists it
    ben.ok("claims", "unlink", two)
    ben.sync()
    ada.sync()
    assert threads(ada) == [{**made, "claims": {one: "asserted"}}]
    ben.ok("claims", "unlink", one)  # its last claim: the thread goes
    ben.sync()
    assert ada.sync()[1] == "into the library: 1 deletion"
    assert threads(ada) == []
    with ada.store() as store:
        assert [t.id for t in store.thread_tombstones()] == [made["id"]]
    assert three  # not in any thread


def test_links_into_one_thread_made_offline_on_both_sides_are_joined(shared) -> None:
    ada, ben, (one, two, three) = shared
    made = thread_both_have(ada, ben, one)
    ada.ok("claims", "link", two, "--thread", made["id"][:8], "--status", "repeated")  # both offline
    ben.ok("claims", "link", three, "--thread", made["id"][:8], "--status", "confirmed")
    for _ in range(2):
        ada.sync()
        assert "conflict" not in " ".join(ben.sync())
    expected = [{**made, "claims": {one: "asserted", two: "repeated", three: "confirmed"}}]
    assert threads(ada) == threads(ben) == expected
    for who in (ada, ben):
        assert "open conflicts: 0" in who.ok("sync", "--status")


def test_a_retitle_and_a_link_made_offline_both_survive(shared) -> None:
    ada, ben, (one, two, _three) = shared
    made = thread_both_have(ada, ben, one)
    ada.ok("claims", "title", made["id"][:8], "Rates stay high")
    ben.ok("claims", "link", two, "--thread", made["id"][:8])  # later than the retitle
    ada.sync()
    ben.sync()
    ada.sync()
    assert (
        threads(ada)
        == threads(ben)
        == [{**made, "title": "Rates stay high", "claims": {one: "asserted", two: "asserted"}}]
    )


def test_two_statuses_for_one_claim_are_a_conflict_settled_by_resolve(shared) -> None:
    ada, ben, (one, two, _three) = shared
    ada.ok("claims", "link", one, "--new", "--title", "Rates")
    [made] = threads(ada)
    ada.ok("claims", "link", two, "--thread", made["id"][:8])
    ada.sync()
    ben.sync()
    ada.ok("claims", "link", one, "--thread", made["id"][:8], "--status", "denied")
    ben.ok("claims", "link", one, "--thread", made["id"][:8], "--status", "confirmed")
    ada.sync()
    assert "1 sync conflict(s) open (1 new)" in ben.sync()[-1]
    ada.sync()
    status = ada.ok("sync", "--status")
    assert "open conflicts: 1" in status
    line = status[-1]
    assert "registry/threads.jsonl" in line and "Rates" in line
    assert "denied" in line and "confirmed" in line  # both values, until resolved
    assert threads(ada)[0]["claims"][one] == threads(ben)[0]["claims"][one] == "confirmed"  # ours kept: Ben's
    assert "took theirs" in ada.ok("sync", "--resolve", line.split()[0], "--take", "theirs")[0]
    assert threads(ada)[0]["claims"] == {one: "denied", two: "asserted"}
    ada.sync()
    ben.sync()
    assert threads(ben) == threads(ada)
    assert "open conflicts: 0" in ben.ok("sync", "--status")


def test_syncing_again_with_threads_changes_nothing(shared) -> None:
    ada, ben, (one, two, _three) = shared
    ada.ok("claims", "link", one, "--new")
    ada.ok("claims", "link", two, "--thread", threads(ada)[0]["id"][:8])
    ada.sync()
    ben.sync()
    for who in (ada, ben):
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo_dir_of(who), capture_output=True, text=True)
        before = library_files(who)
        assert who.sync()[1] == "into the library: nothing new"
        again = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo_dir_of(who), capture_output=True, text=True)
        assert again.stdout == head.stdout and library_files(who) == before


def test_a_member_that_is_no_claim_here_is_left_out_with_a_note(shared) -> None:
    ada, ben, (one, two, _three) = shared
    made = thread_both_have(ada, ben, one)
    ada.ok("delete", two)  # Ada deletes her claim
    ben.ok("claims", "link", two, "--thread", made["id"][:8])  # Ben links it meanwhile
    ada.sync()
    got = ben.sync()
    assert any(f"{two} is not a claim here; left out" in line for line in got)
    ada.sync()
    assert threads(ada) == threads(ben) == [{**made, "claims": {one: "asserted"}}]


def test_a_claim_linked_into_two_threads_offline_ends_in_one_on_both_sides(shared) -> None:
    ada, ben, (one, two, three) = shared
    ada.ok("claims", "link", one, "--new", "--title", "First")
    ada.ok("claims", "link", two, "--new", "--title", "Second")
    first, second = sorted(threads(ada), key=lambda t: t["title"])
    ada.sync()
    ben.sync()
    ada.ok("claims", "link", three, "--thread", first["id"][:8])  # both offline
    ben.ok("claims", "link", three, "--thread", second["id"][:8])
    ada.sync()
    notes = [line for line in ben.sync() if line.startswith(f"claim {three} was linked into claim thread")]
    for _ in range(2):
        ada.sync()
        ben.sync()
    assert threads(ada) == threads(ben)
    [held] = [t for t in threads(ada) if three in t["claims"]]  # in one thread, the same in both libraries
    assert notes == [
        f"claim {three} was linked into claim thread {held['id'][:8]} later: left out of thread "
        f"{(first if held['id'] == second['id'] else second)['id'][:8]}"
    ]  # the later link (a tie: either)
