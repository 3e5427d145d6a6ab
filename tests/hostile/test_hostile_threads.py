"""Hostile claim threads in merge files (issue 18 §3): every wrong value (of a thread, its unlinked claims, a
thread tombstone) is refused in one line with the library untouched; an escape sequence in a title merges cleaned,
and `wiredesk claims` shows it cleaned."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from annotations.store import Store
from tests.cli_support import run
from tests.export_fixture import ANNOTATIONS
from tests.hostile.test_hostile_merge import BIDI, ESC, HUGE, NOT_IDS, UUID, _assert_clean, _refused, libraries

pytestmark = pytest.mark.usefixtures("plain_terminal")
__all__ = ["libraries"]  # the fixture, shared with the merge cases

CLAIM, OTHER, QUOTE = ANNOTATIONS[2].id, ANNOTATIONS[5].id, ANNOTATIONS[0].id
T = "2026-03-02T11:00:00Z"
MEMBER = {"annotation": CLAIM, "status": "asserted", "linked": T}
GOOD = {
    "id": UUID,
    "title": "The bridge will reopen in May",
    "members": [MEMBER, {"annotation": OTHER, "status": "denied", "linked": T}],
    "created": T,
    "modified": T,
}
BAD: dict[str, list[Any]] = {
    "id": [None, 7, HUGE, [], *NOT_IDS],
    "title": [None, 7, [], "", ESC[:1], "\x1b"],
    "members": [None, 7, "x", {}, [], [7], [None], [{}], [MEMBER, MEMBER]],
    "created": [None, 7, "yesterday", "2026-02-30", ESC],
    "modified": [None, [], "=1+1"],
    "unlinked": [7, "x", [], [CLAIM], {"x": T}, {ESC: T}, {CLAIM: None}, {CLAIM: 7}, {CLAIM: "now"}, {CLAIM: ESC}],
}
MEMBERS: dict[str, list[Any]] = {
    "annotation": [None, 7, *NOT_IDS, QUOTE, "1" * 32],  # a quote is no claim; an id that is nowhere
    "status": [None, 7, "", "maybe", "Denied", ESC, BIDI],
    "linked": [None, 7, "now", ESC],
}
CASES = (
    [(key, value) for key, values in BAD.items() for value in values]
    + [(f"member.{key}", value) for key, values in MEMBERS.items() for value in values]
    + [("(whole)", value) for value in ("thread", 7, [7], [GOOD, GOOD], {"a": GOOD})]
)


def _with_threads(data: dict, threads: Any) -> dict:
    broken = copy.deepcopy(data)
    broken["threads"] = threads
    return broken


def _thread(key: str, value: Any) -> Any:
    if key == "(whole)":
        return value
    if key.startswith("member."):
        return [{**GOOD, "members": [{**MEMBER, key.removeprefix("member."): value}]}]
    return [{**GOOD, key: value}]


@pytest.mark.parametrize(("key", "value"), CASES, ids=[f"{k}={v!r}"[:60] for k, v in CASES])
def test_a_wrong_thread_is_refused_in_one_line(libraries, tmp_path: Path, key: str, value: Any) -> None:
    b, data, files = libraries
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(_with_threads(data, _thread(key, value))), "utf-8")
    _refused(b, files, path)


GONE = "1f0e0d0c-0b0a-4908-8706-050403020100"
TOMB = {"id": GONE, "deleted": T, "modified": T, "claims": [CLAIM]}
BAD_TOMB: dict[str, list[Any]] = {
    "id": [None, 7, HUGE, [], *NOT_IDS],
    "deleted": [None, 7, "", "yesterday", "2026-02-30", ESC],
    "modified": [7, [], "=1+1", ESC],
    "claims": [7, "x", {}, [7], [None], [ESC], ["x"], [CLAIM, BIDI]],
}
TOMB_CASES = [(key, value) for key, values in BAD_TOMB.items() for value in values] + [
    ("(whole)", value) for value in (7, "x", {"a": TOMB}, [7], ["x"], [TOMB, TOMB])
]


@pytest.mark.parametrize(("key", "value"), TOMB_CASES, ids=[f"{k}={v!r}"[:60] for k, v in TOMB_CASES])
def test_a_wrong_thread_tombstone_is_refused_in_one_line(libraries, tmp_path: Path, key: str, value: Any) -> None:
    b, data, files = libraries
    broken = copy.deepcopy(data)
    broken["deleted_threads"] = value if key == "(whole)" else [{**TOMB, key: value}]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(broken), "utf-8")
    _refused(b, files, path)


def test_good_unlinked_claims_and_thread_tombstones_merge(libraries, tmp_path: Path) -> None:
    b, data, _files = libraries
    target = tmp_path / "copy"
    shutil.copytree(b, target)
    good = copy.deepcopy(data)
    good["threads"] = [{**GOOD, "members": [MEMBER], "unlinked": {OTHER: T}}]
    good["deleted_threads"] = [TOMB]
    path = tmp_path / "good.json"
    path.write_text(json.dumps(good), "utf-8")
    result = run(target, "merge", str(path))
    assert result.exit_code == 0, result.output
    assert "threads: 1 added" in result.output and "1 tombstones recorded" in result.output
    with Store(target, read_only=True) as store:
        (thread,) = store.threads()
        assert thread.ids == (CLAIM,) and thread.unlinked == ((OTHER, T),)
        assert [t.id for t in store.thread_tombstones()] == [GONE]


def test_an_escape_sequence_in_a_title_merges_cleaned(libraries, tmp_path: Path) -> None:
    b, data, _files = libraries
    target = tmp_path / "copy"
    shutil.copytree(b, target)
    path = tmp_path / "threads.json"
    path.write_text(json.dumps(_with_threads(data, [{**GOOD, "title": f"Bridge {ESC}{BIDI} reopens"}])), "utf-8")
    result = run(target, "merge", str(path))
    assert result.exit_code == 0, result.output
    assert "threads: 1 added" in result.output
    with Store(target, read_only=True) as store:
        (thread,) = store.threads()
        _assert_clean(thread.title)
        assert thread.ids == (CLAIM, OTHER)
    for args in (["claims"], ["claims", "--thread", UUID[:8]], ["claims", "--format", "csv"]):
        shown = run(target, *args)
        assert shown.exit_code == 0, shown.output
        _assert_clean(shown.output)
        assert "Bridge" in shown.output
