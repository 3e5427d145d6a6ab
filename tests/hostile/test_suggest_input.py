"""Hostile input to `wiredesk suggest`: story ids with escape sequences, absurd scores, a config naming the
annotator with control characters or a megabyte of text, and a suggester gone wrong (names with escapes and
Rich markup, offsets outside the text, scores that are not numbers). wiredesk answers in one clean line, or
prints what is safe."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

import annotations.suggest as suggest_pkg
from annotations.registry import Registry
from annotations.store import Store
from annotations.suggest.model import Suggestion
from stories.model import Story
from tests.cli.test_cli_suggest import fake_suggest
from tests.cli_support import HARBOUR, assert_user_error, import_one, run

pytestmark = pytest.mark.usefixtures("plain_terminal")

ESC = "\x1b"


@pytest.fixture
def harbour(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(suggest_pkg, "suggest", fake_suggest)
    (tmp_path / "harbour.txt").write_text(HARBOUR, "utf-8")
    return import_one(data_dir, tmp_path / "harbour.txt")


def _clean(text: str) -> bool:
    return ESC not in text and "\x9b" not in text and "\u202e" not in text


@pytest.mark.parametrize(
    "ref",
    [f"{ESC}[31mdeadbeef", f"{ESC}]0;pwned{chr(7)}", "\u202eabc", "x" * 100_000, "a\nb", "\x9b31m"],
    ids=["csi", "osc-title", "bidi", "huge", "newline", "c1-csi"],
)
def test_a_hostile_story_id_is_one_clean_line(data_dir: Path, harbour: str, ref: str) -> None:
    line = assert_user_error(run(data_dir, "suggest", ref), "no story")
    assert _clean(line)


@pytest.mark.parametrize("score", ["1e999", "-1e999", "inf", "-inf", "nan", "NaN", "1.0000001", "-0.1", "0x10", ""])
def test_an_absurd_min_score_is_a_usage_error(data_dir: Path, harbour: str, score: str) -> None:
    result = run(data_dir, "suggest", harbour, "--accept", "--min-score", score)
    assert result.exit_code == 2 and "Traceback" not in result.output
    with Store(data_dir, read_only=True) as store:
        assert store.annotations() == []


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("123", "suggest_annotator"),
        ('""', "suggest_annotator"),
        ('"' + "x" * 1_000 + '"', "suggest_annotator"),
        ('["a", "b"]', "suggest_annotator"),
    ],
)
def test_a_bad_annotator_in_the_config_is_one_line_and_stores_nothing(
    data_dir: Path, harbour: str, tmp_path: Path, value: str, fragment: str
) -> None:
    path = tmp_path / "config" / "wiredesk" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"suggest_annotator = {value}\n", "utf-8")
    assert _clean(assert_user_error(run(data_dir, "suggest", harbour, "--accept"), fragment))
    with Store(data_dir, read_only=True) as store:
        assert store.annotations() == []


def test_an_annotator_with_escapes_is_cleaned(data_dir: Path, harbour: str, tmp_path: Path) -> None:
    path = tmp_path / "config" / "wiredesk" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('suggest_annotator = "bot\\u001b[2J\\u202e"\n', "utf-8")
    assert run(data_dir, "suggest", harbour, "--accept", "--kind", "claim").exit_code == 0
    with Store(data_dir, read_only=True) as store:
        assert {_clean(a.annotator) for a in store.annotations()} == {True}


def _poisoned(story: Story, registry: Registry, nlp: object = None) -> list[Suggestion]:
    """The stand-in's suggestions with names full of escapes and markup, and scores that are not numbers."""
    bad = f"[bold red]Evil{ESC}[31m\u202eName[/]"
    out = []
    for s in fake_suggest(story, registry):
        if s.kind == "quote":
            out.append(replace(s, speaker=bad, speaker_id="not-an-id", cue=f"said{ESC}[0m", score=math.nan))
        elif s.kind == "actor":
            out.append(replace(s, actor=bad, actor_id=None, actor_type="overlord", score=math.inf))
        else:
            out.append(replace(s, claimant=bad, score=-3.0))
    return out


def test_names_from_a_suggester_gone_wrong_are_printed_and_stored_clean(
    data_dir: Path, harbour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suggest_pkg, "suggest", _poisoned)
    table = run(data_dir, "suggest", harbour)
    assert table.exit_code == 0 and _clean(table.stdout) and "[bold red]Evil" in table.stdout  # markup as text
    rows = [json.loads(line) for line in run(data_dir, "suggest", harbour, "--format", "jsonl").stdout.splitlines()]
    assert rows and all(0 <= r["score"] <= 1 for r in rows)  # valid JSON: no NaN, no Infinity
    assert all(_clean(str(r.get(k) or "")) for r in rows for k in ("speaker", "actor", "claimant", "cue"))
    stored = run(data_dir, "suggest", harbour, "--accept")
    assert stored.exit_code == 0, stored.output
    with Store(data_dir, read_only=True) as store:
        names = [a.name for a in store.actors()]
        assert names and all(_clean(n) for n in names)
        assert {a.type for a in store.actors()} <= {"person", "other"}  # an unknown type guessed: the default
        assert all(_clean(a.cue) for a in store.annotations())


@pytest.mark.parametrize(
    "change",
    [{"start": -5}, {"end": 10**9}, {"exact": "not the text"}, {"start": 40, "end": 20}],
    ids=["negative", "past-the-end", "wrong-text", "reversed"],
)
def test_a_suggestion_that_does_not_fit_the_text_stores_nothing(
    data_dir: Path, harbour: str, monkeypatch: pytest.MonkeyPatch, change: dict[str, object]
) -> None:
    def broken(story: Story, registry: Registry, nlp: object = None) -> list[Suggestion]:
        found = fake_suggest(story, registry)
        return [*found[:-1], replace(found[-1], **change)]  # type: ignore[arg-type]

    monkeypatch.setattr(suggest_pkg, "suggest", broken)
    assert _clean(assert_user_error(run(data_dir, "suggest", harbour, "--accept"), "does not match the story text"))
    with Store(data_dir, read_only=True) as store:
        assert store.annotations() == [] and store.actors() == []
