"""Curation decisions travel by `wiredesk sync` (`decisions/<story>.jsonl`): a rejection made on one library is
settled on every other, the story curated there too; undoing it travels as a deletion; two curators who decide an
item alike join, two who decide it differently make a conflict, kept and resolved like any."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.layers import CURATED
from annotations.store import Store
from annotations.sync.engine import repo_dir
from tests.cli import test_cli_sync
from tests.cli.test_cli_sync import quote
from tests.sync_support import Annotator

team = test_cli_sync.team  # the fixture: Ada with the Anadolu story, Ben

TIGHT = "Tight monetary policy will be maintained"
WHATEVER = "We will do whatever it takes"


@pytest.fixture
def curators(team, tmp_path: Path) -> tuple[Annotator, Annotator, str, dict[str, str]]:
    """Cora and Dan, two curators with their own libraries, after Ada and Ben tagged the Anadolu story: both tag
    TIGHT with different speakers, only Ada WHATEVER. The story's id; the open items' ids by the text they tag."""
    ada, ben, story = team
    quote(ada, story, TIGHT, "Fatih Karahan")
    quote(ada, story, WHATEVER, "Fatih Karahan")
    ada.sync()
    ben.sync()
    quote(ben, story, TIGHT, "Central Bank")
    ben.sync()
    cora, dan = Annotator("cora", tmp_path, ada.remote), Annotator("dan", tmp_path, ada.remote)
    cora.sync()
    dan.sync()
    listed = curation(cora, story)
    assert not listed["curated"]
    items = {item["exact"]: item["item"] for item in listed["open"]}
    assert set(items) == {TIGHT, WHATEVER}
    return cora, dan, story, items


def curation(who: Annotator, story: str) -> dict:
    return json.loads("\n".join(who.ok("curate", story, "--format", "json")))


def open_items(who: Annotator, story: str) -> set[str]:
    return {item["exact"] for item in curation(who, story)["open"]}


def decisions(who: Annotator, story: str) -> list[tuple[str, str, str, str]]:
    """The library's decisions of the story: (exact, decision, source, created)."""
    with Store(who.data, read_only=True) as store:
        return [(d.exact, d.decision, d.source, d.created) for d in store.decisions(story)]


def test_a_rejection_travels_and_the_story_is_curated_on_the_other_library(curators) -> None:
    cora, dan, story, items = curators
    cora.ok("curate", story, "--reject", items[WHATEVER][:8], "--accept", items[TIGHT][:8], "--from", "ben")
    assert curation(cora, story)["curated"]
    cora.sync()
    with Store(cora.data, read_only=True) as store:
        held = (repo_dir(store) / "decisions" / f"{story}.jsonl").read_text("utf-8").splitlines()
    assert sorted(json.loads(line)["decision"] for line in held) == ["accepted", "rejected"]
    assert "2 curation decisions" in dan.sync()[1]
    assert open_items(dan, story) == set()  # before: WHATEVER was open again on every other library
    assert curation(dan, story)["curated"]
    with Store(dan.data, read_only=True) as store:
        assert story in store.curated_stories()
        assert [(a.exact, a.annotator) for a in store.annotations(story) if a.annotator == CURATED] == [
            (TIGHT, CURATED)
        ]


def test_undoing_a_rejection_travels(curators) -> None:
    cora, dan, story, items = curators
    cora.ok("curate", story, "--reject", items[WHATEVER][:8])
    cora.sync()
    dan.sync()
    assert open_items(dan, story) == {TIGHT}
    with Store(cora.data) as store:  # the curation screen's undo (u): the step's edit inverted
        (rejected,) = store.decisions(story)
        store.apply([(rejected, None)])
        assert store.decision_tombstone(rejected.id) is not None
    cora.sync()
    assert "1 deletion" in dan.sync()[1]
    assert open_items(dan, story) == {TIGHT, WHATEVER}
    with Store(dan.data, read_only=True) as store:
        assert store.decisions(story) == [] and store.decision_tombstone(rejected.id) is not None
    # and rejected again, on Dan's library this time: the tombstone gives way on both
    dan.ok("curate", story, "--reject", items[WHATEVER][:8])
    dan.sync()
    cora.sync()
    assert open_items(cora, story) == {TIGHT}
    with Store(cora.data, read_only=True) as store:
        assert store.decision_tombstone(rejected.id) is None


def test_two_curators_rejecting_one_item_join_without_a_conflict(curators) -> None:
    cora, dan, story, items = curators
    cora.ok("curate", story, "--reject", items[WHATEVER][:8])
    dan.ok("curate", story, "--reject", items[WHATEVER][:8])
    cora.sync()
    assert not any("conflict" in line for line in dan.sync())
    cora.sync()
    assert decisions(cora, story) == decisions(dan, story)  # the earlier of the two, on both
    assert decisions(cora, story)[0][3] <= decisions(dan, story)[0][3]
    for who in (cora, dan):
        assert who.ok("sync", "--status")[-1] == "open conflicts: 0"


def test_two_different_decisions_of_one_item_are_a_conflict_to_resolve(curators) -> None:
    cora, dan, story, items = curators
    cora.ok("curate", story, "--reject", items[TIGHT][:8])
    dan.ok("curate", story, "--accept", items[TIGHT][:8], "--from", "ada")
    cora.sync()
    assert "1 sync conflict(s) open (1 new)" in dan.sync()[-1]
    cora.sync()
    for who in (cora, dan):  # one value everywhere (the one the last merge kept), the other listed beside it
        assert [d[:2] for d in decisions(who, story)] == [(TIGHT, "accepted")]
        conflict = who.ok("sync", "--status")[-1]
        assert f"decisions/{story[:8]}" in conflict
        assert "decision: rejected" in conflict and "decision: accepted" in conflict
    cora.ok("sync", "--resolve", conflict.split()[0], "--take", "theirs")
    assert [d[:2] for d in decisions(cora, story)] == [(TIGHT, "rejected")]
    cora.sync()
    dan.sync()
    for who in (cora, dan):
        assert [d[:2] for d in decisions(who, story)] == [(TIGHT, "rejected")]
        assert who.ok("sync", "--status")[-1] == "open conflicts: 0"
        assert curated(who, story) == []  # Dan's accepted copy went with his decision


def curated(who: Annotator, story: str) -> list[tuple[str, str]]:
    with Store(who.data, read_only=True) as store:
        return [(a.exact, a.id) for a in store.annotations(story) if a.annotator == CURATED]


def test_two_curators_accepting_one_version_keep_one_curated_copy(curators) -> None:
    cora, dan, story, items = curators
    cora.ok("curate", story, "--accept", items[TIGHT][:8], "--from", "ben")
    dan.ok("curate", story, "--accept", items[TIGHT][:8], "--from", "ben")
    copies = {who.name: curated(who, story) for who in (cora, dan)}
    cora.sync()
    told = dan.sync() + cora.sync()  # the earlier decision is kept (dates to the second: then the same choice)
    assert not any("conflict" in line for line in told)
    assert [line for line in told if line.startswith("curated: quote") and "is deleted" in line]
    for who in (dan, cora, dan):  # the copy deleted by a sync goes out with the next one
        who.sync()
    (kept,) = curated(cora, story)
    assert curated(dan, story) == [kept]  # before: both copies, a duplicate in the curated layer
    assert [kept] in copies.values()
    for who in (cora, dan):
        (decision,) = decisions(who, story)
        assert decision[:3] == (TIGHT, "accepted", "ben")
