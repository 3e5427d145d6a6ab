"""`wiredesk agree`: the tables, the JSON, and one clear line when it cannot measure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.agreement_support import ANADOLU, build_library
from tests.cli_support import assert_user_error, plain_terminal, run

__all__ = ["plain_terminal"]


@pytest.fixture
def two(tmp_path: Path) -> Path:
    build_library(tmp_path)
    return tmp_path


def test_table_per_kind_then_disagreements(two: Path, plain_terminal: None) -> None:
    result = run(two, "agree")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "quote · 5 spans" in out and "actor · 2 spans" in out
    quote_row = next(line for line in out.splitlines() if "ana · ben (κ)" in line)
    assert "0.40" in quote_row and "0.80" in quote_row and "1.00/0.67" in quote_row
    assert "disagreements · 3" in out
    assert "ana: Hakan Fidan · ben: Recep Tayyip Erdogan" in out
    assert "ben: —" in out
    assert "—" in next(line for line in out.splitlines() if "ana · ben (κ)" in line and "1/1" in line)  # actor κ


def test_json_is_one_object(two: Path) -> None:
    result = run(two, "agree", "--format", "json", "--kind", "quote")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["annotators"] == ["ana", "ben"]
    (quote,) = data["kinds"]
    assert quote["pairs"][0]["overlap"]["f1"] == pytest.approx(0.8)
    assert quote["pairs"][0]["kappa"] == {"speaker": 0.0, "form": 1.0}
    assert quote["alpha"]["speaker"] == 0.0
    assert [d["what"] for d in data["disagreements"]] == ["span", "speaker", "span found"]
    assert data["stories"][0]["story_id"] == ANADOLU.id == data["disagreements"][0]["story_id"]


def test_story_and_annotators_options(two: Path) -> None:
    result = run(two, "agree", "--format", "json", "--story", ANADOLU.id[:8], "--annotators", "ben, ana")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["annotators"] == ["ben", "ana"]
    assert data["kinds"][0]["pairs"][0]["overlap"]["precision"] == pytest.approx(2 / 3)  # ana against ben now


def test_unknown_annotator_names_the_known_ones(two: Path) -> None:
    line = assert_user_error(run(two, "agree", "--annotators", "ana,zoe"), "zoe")
    assert "ana, ben" in line


def test_fewer_than_two_annotators(two: Path, tmp_path: Path) -> None:
    assert_user_error(run(two, "agree", "--annotators", "ana"), "two annotators or more")
    empty = tmp_path / "empty"
    assert_user_error(run(empty, "agree"), "two annotators or more")


def test_unknown_story(two: Path) -> None:
    assert_user_error(run(two, "agree", "--story", "ffffffff"), "no story")
