"""Hostile curation decisions in the team's repository (`decisions/<story>.jsonl`): an unknown decision, a span or
text that is not the item's, control characters, huge values, a deletion of another form. Each sync refuses in one
clean line and leaves the library exactly as it was (the annotation pushed beside it does not arrive either); a
decision of a story the library does not have is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.store.decisions import decision_id
from tests.hostile.test_hostile_sync import ada, line_of, push, push_beside_a_claim, refused
from tests.sync_support import ANADOLU

__all__ = ["ada"]  # the fixture: Ada, with one quote synced

WHATEVER = "We will do whatever it takes"


def decision(story: str, **changes: object) -> dict[str, object]:
    """A rejection of the quote WHATEVER as sync writes it, with `changes` (the id follows a changed span unless
    given)."""
    start = ANADOLU.index(WHATEVER)
    base: dict[str, object] = {
        "story_id": story,
        "kind": "quote",
        "start": start,
        "end": start + len(WHATEVER),
        "exact": WHATEVER,
        "decision": "rejected",
        "source": "",
        "curated": "",
        "created": "2026-01-01T00:00:00Z",
    }
    made = {**base, **changes}
    made.setdefault("id", decision_id(story, str(made["kind"]), made["start"], made["end"]))  # type: ignore[arg-type]
    return made


HUGE = "x" * 2_000_000

CASES = [
    ({"decision": "approved"}, "its decision is not one of agreed, accepted, edited, rejected"),
    ({"decision": "rejected\x1b]0;pwned\x07"}, "its decision is not one of"),
    ({"kind": "quote\x1b[2J"}, "its kind is not one"),
    ({"start": 0}, "does not match its story's text at 0-"),
    ({"end": 10**6}, "does not match its story's text at"),
    ({"start": 50, "end": 40}, "needs a span, not 50-40"),
    ({"start": "1", "end": 2}, "its span is not two whole numbers"),
    ({"start": True, "end": 2}, "its span is not two whole numbers"),
    ({"id": decision_id("0" * 64, "quote", 1, 2)}, "its id is not its item's"),
    ({"exact": "We will do anything\x1b[2J"}, "does not match its story's text"),
    ({"exact": HUGE}, "does not match its story's text"),
    ({"decision": "accepted", "source": "ben\x1b]0;pwned\x07", "curated": "0f" * 16}, "source is not annotators'"),
    ({"decision": "accepted", "source": HUGE, "curated": "0f" * 16}, "source is not annotators'"),
    ({"decision": "accepted", "source": "ben", "curated": "../../x"}, "curated annotation is not an id"),
    ({"decision": "accepted", "source": "ben", "curated": ""}, "names its curated annotation"),
    ({"curated": "0f" * 16}, "names its curated annotation unless it is a rejection"),
    ({"created": "yesterday\x07"}, "its date is not one"),
    ({"created": HUGE}, "its date is not one"),
    ({"note": "extra"}, "its fields differ"),
    ({"exact": None}, "a field is not text"),
    ({"story_id": "f" * 64}, "holds a record of another story"),
]


@pytest.mark.parametrize(("changes", "fragment"), CASES, ids=[f"{i}-{c[1][:20]}" for i, c in enumerate(CASES)])
def test_a_broken_decision_is_refused_and_nothing_arrives(
    ada, tmp_path: Path, changes: dict[str, object], fragment: str
) -> None:
    who, story = ada
    push_beside_a_claim(who, story, tmp_path, f"decisions/{story}.jsonl", decision(story, **changes))
    line = refused(who, f"the sync repository's decisions/{story[:12]}", fragment)
    assert "pwned" not in line and len(line) < 400


@pytest.mark.parametrize(
    "tomb",
    [
        {"deleted": "soon\x07"},
        {"deleted": "2026-01-01T00:00:00Z", "modified": 5},
        {"deleted": "2026-01-01T00:00:00Z", "extra": "x"},
        {"deleted": "2026-01-01T00:00:00Z", "id": "x\x1b[2J"},
    ],
    ids=["deleted", "modified", "extra", "id"],
)
def test_a_broken_deletion_of_a_decision_is_refused(ada, tmp_path: Path, tomb: dict[str, object]) -> None:
    who, story = ada
    record = {"id": decision_id(story, "quote", 1, 2), "story_id": story, **tomb}
    push(who.remote, tmp_path, {f"decisions/{story}.jsonl": line_of(record)})
    line = refused(who, "holds a curation decision that is not one sync wrote: a deletion of another form")
    assert "\x1b" not in line


def test_a_decision_of_a_story_not_in_the_library_is_skipped(ada, tmp_path: Path) -> None:
    who, _story = ada
    other = "e" * 64
    push(who.remote, tmp_path, {f"decisions/{other}.jsonl": line_of(decision(other))})
    assert "curation decision" not in who.sync()[1]
    with who.store() as store:
        assert store.decisions(other) == [] and store.decision_tombstones() == []


def test_a_good_decision_beside_them_arrives(ada, tmp_path: Path) -> None:
    """The cases above fail for their fault alone: the record they change arrives as it is."""
    who, story = ada
    push(who.remote, tmp_path, {f"decisions/{story}.jsonl": line_of(decision(story))})
    assert "1 curation decision" in who.sync()[1]
    with who.store() as store:
        assert [(d.exact, d.decision) for d in store.decisions(story)] == [(WHATEVER, "rejected")]
