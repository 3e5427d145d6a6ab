"""The gold checker (bench/suggest/check_gold.py): stories 101-122 pass it, and it catches what it says it checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from tests.bench.support import SUGGEST_BENCH, bench_module

STORIES = SUGGEST_BENCH / "gold" / "stories"
SAMPLE = "107-reuters-turkey-rates"


@pytest.fixture(scope="module")
def check_gold() -> ModuleType:
    return bench_module("check_gold")


def test_stories_101_to_122_pass(check_gold: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(STORIES.glob("1[0-2][0-9]-*.txt"))
    assert len(files) >= 22
    assert check_gold.main([str(f) for f in files]) == 0
    out = capsys.readouterr().out
    assert f"{len(files)} stories" in out and "0 problem(s)" in out


def test_bad_entries_are_reported(check_gold: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for suffix in (".txt", ".gold.json"):
        shutil.copy(STORIES / f"{SAMPLE}{suffix}", tmp_path / f"{SAMPLE}{suffix}")
    gold = tmp_path / f"{SAMPLE}.gold.json"
    data = json.loads(gold.read_text(encoding="utf-8"))
    data["annotations"] += [
        {"kind": "quote", "text": "clearly worried about", "occurrence": 1, "form": "direct", "speaker": None},
        {"kind": "quote", "text": "Markets read the statement as slightly hawkish", "occurrence": 1, "form": "said"},
        {"kind": "actor", "text": "Reuters", "occurrence": 9, "actor": "Reuters", "actor_type": "organisation"},
        {"kind": "actor", "text": "Pınar Uysal", "occurrence": 1, "actor": "Pınar Uysal", "actor_type": "company"},
        {"kind": "claim", "text": "Inflation slowed", "occurrence": 1, "claimant": None, "status": "maybe"},
        {"kind": "quote", "text": "The bank is clearly worried", "occurrence": 1, "form": "indirect"},
    ]
    gold.write_text(json.dumps(data), encoding="utf-8")
    assert check_gold.main([str(tmp_path / f"{SAMPLE}.txt")]) == 1
    out = capsys.readouterr().out
    assert "must stand right inside quotation marks" in out
    assert "form 'said'" in out
    assert "occurrence 9 of 3" in out
    assert "actor_type" in out
    assert "status 'maybe'" in out
    assert "quotes overlap" in out
    assert "the same span twice" in out
