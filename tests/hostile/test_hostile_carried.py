"""Hostile `carried` fields in merge files (where an annotation came from, issue 15): every wrong value is refused
in one line with the library untouched; an escape sequence in the old text (`was`) merges cleaned."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from annotations.store import Store
from tests.cli_support import run
from tests.hostile.test_hostile_merge import BIDI, ESC, HUGE, NOT_IDS, SHA, UUID, _assert_clean, _refused, libraries

pytestmark = pytest.mark.usefixtures("plain_terminal")
__all__ = ["libraries"]  # the fixture, shared with the merge cases

GOOD = {"origin": UUID, "source": SHA, "method": "diff", "score": 0.9, "was": "old text", "pending": True}
BAD: dict[str, list[Any]] = {
    "origin": [None, 7, HUGE, [], {}, *NOT_IDS],
    "source": [None, 7, [], UUID, ESC, "ab" * 31],
    "method": [None, 7, "", "guess", ESC, BIDI],
    "score": [None, "0.9", True, -0.1, 1.5, HUGE, [], float("nan")],
    "was": [7, [], {}],
    "pending": ["yes", 1, [], {}],
}
CASES = [(key, value) for key, values in BAD.items() for value in values] + [
    ("(whole)", value) for value in ("diff", 7, [], [GOOD], ESC)
]


def _with_carried(data: dict, carried: Any) -> dict:
    broken = copy.deepcopy(data)
    broken["annotations"][0]["carried"] = carried
    return broken


@pytest.mark.parametrize(("key", "value"), CASES, ids=[f"{k}={v!r}"[:60] for k, v in CASES])
def test_a_wrong_carried_field_is_refused_in_one_line(libraries, tmp_path: Path, key: str, value: Any) -> None:
    b, data, files = libraries
    carried = value if key == "(whole)" else {**GOOD, key: value}
    path = tmp_path / "hostile.json"
    text = json.dumps(_with_carried(data, carried), allow_nan=True)
    path.write_text(text, "utf-8")
    _refused(b, files, path)


def test_an_escape_sequence_in_the_old_text_merges_cleaned(libraries, tmp_path: Path) -> None:
    b, data, _files = libraries
    target = tmp_path / "copy"
    import shutil

    shutil.copytree(b, target)
    merged = _with_carried(data, {**GOOD, "was": f"old {ESC}text{BIDI}"})
    path = tmp_path / "carried.json"
    path.write_text(json.dumps(merged), "utf-8")
    result = run(target, "merge", str(path))
    assert result.exit_code == 0, result.output
    _assert_clean(result.output)
    with Store(target, read_only=True) as store:
        ann = store.annotation(merged["annotations"][0]["id"])
        assert ann is not None and ann.carried is not None
        _assert_clean(ann.carried.was)
        assert "old" in ann.carried.was and "text" in ann.carried.was
    review = run(target, "review")
    assert review.exit_code == 0, review.output
    _assert_clean(review.output)
