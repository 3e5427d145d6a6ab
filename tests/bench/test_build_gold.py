"""Building the gold set (bench/suggest/build_gold.py): wiredesk's import, anchor and registry rules, loud errors,
a reproducible JSON export; and the committed gold.json is what the committed stories build."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.bench.support import bench_module

STORY = """Ministry denies report on grain stocks

By Ana Lima

ANKARA, Nov 14 (Reuters) - "We have enough grain for a year," Deputy Minister Elif Kaya told reporters.

Kaya said stocks stood at 4 million tonnes. "Enough," she said.
"""


@pytest.fixture(scope="module")
def build_gold() -> ModuleType:
    return bench_module("build_gold")


def _write(folder: Path, name: str, annotations: list[dict], text: str = STORY) -> None:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.gold.json").write_text(json.dumps({"annotations": annotations}), encoding="utf-8")


GOOD = [
    {"kind": "quote", "text": "We have enough grain for a year", "form": "direct", "speaker": "Elif Kaya"},
    {"kind": "actor", "text": "Deputy Minister Elif Kaya", "actor": "Elif Kaya", "actor_type": "person"},
    {"kind": "actor", "text": "Kaya", "occurrence": 2, "actor": "Elif Kaya", "actor_type": "person"},
    {"kind": "quote", "text": "stocks stood at 4 million tonnes", "form": "indirect", "speaker": "Elif Kaya"},
    {"kind": "claim", "text": "stocks stood at 4 million tonnes", "claimant": "Elif Kaya", "claimant_type": "person"},
    {"kind": "quote", "text": "Enough", "form": "direct", "speaker": "Elif Kaya"},
]


def test_a_gold_file_becomes_a_reproducible_wiredesk_export(build_gold: ModuleType, tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    _write(stories, "001-reuters-grain", GOOD)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    counts = build_gold.build(stories, first)
    assert counts == {"stories": 1, "quote": 3, "actor": 2, "claim": 1, "actors": 1}
    build_gold.build(stories, second)
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["wiredesk_export"] == 2
    [actor] = data["actors"]
    assert (actor["name"], actor["type"]) == ("Elif Kaya", "person")
    assert actor["aliases"] == ["Deputy Minister Elif Kaya", "Kaya"]  # learned by History.add from the mentions
    [story] = data["stories"]
    text = story["text"]
    for ann in data["annotations"]:
        assert text[ann["start"] : ann["end"]] == ann["exact"]
        assert ann["annotator"] == "gold"
    [kaya] = [a for a in data["annotations"] if a["exact"] == "Kaya"]
    assert kaya["start"] == text.index("Kaya said")  # occurrence 2: the first "Kaya" is inside "Elif Kaya"
    score = bench_module("score")
    gold = score.load_gold(first)
    [loaded] = gold.stories
    assert loaded.source == "001-reuters-grain.txt"
    assert sorted((i.kind, i.form, i.name) for i in loaded.items)[0] == ("actor", "", "Elif Kaya")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"kind": "quote", "text": "We have no grain", "form": "direct"}, "not found"),
        ({"kind": "actor", "text": "Kaya", "actor": "Elif Kaya", "actor_type": "person"}, "occurs 2 times"),
        ({"kind": "quote", "text": "Enough", "occurrence": 5, "form": "direct"}, "not 5"),
        ({"kind": "quote", "text": "Enough", "form": "said"}, "form must be"),
        ({"kind": "actor", "text": "Kaya", "occurrence": 2, "actor": "Elif Kaya", "actor_type": "robot"}, "type"),
        ({"kind": "note", "text": "Kaya", "occurrence": 2}, "unknown kind"),
    ],
)
def test_an_entry_that_cannot_be_applied_names_its_file_and_entry(
    build_gold: ModuleType, tmp_path: Path, entry: dict, message: str
) -> None:
    _write(tmp_path, "007-reuters-grain", [GOOD[0], entry])
    with pytest.raises(build_gold.GoldError, match=rf"007-reuters-grain\.gold\.json entry 2 .*{message}"):
        build_gold.build(tmp_path, tmp_path / "gold.json")
    assert not (tmp_path / "gold.json").exists()


def test_one_actor_with_two_types_across_stories_is_refused(build_gold: ModuleType, tmp_path: Path) -> None:
    _write(tmp_path, "001-a", [GOOD[1]])
    _write(tmp_path, "002-b", [{**GOOD[1], "actor_type": "organisation"}], STORY.replace("grain", "wheat"))
    with pytest.raises(build_gold.GoldError, match=r"002-b\.gold\.json entry 1 .*'Elif Kaya' is person elsewhere"):
        build_gold.build(tmp_path, tmp_path / "gold.json")


def test_the_committed_gold_set_is_what_its_stories_build(build_gold: ModuleType, tmp_path: Path) -> None:
    fresh = tmp_path / "gold.json"
    counts = build_gold.build(build_gold.STORIES_DIR, fresh)
    assert fresh.read_bytes() == build_gold.GOLD_FILE.read_bytes(), "run python bench/suggest/build_gold.py"
    assert counts["stories"] == len(list(build_gold.STORIES_DIR.glob("*.txt")))


@pytest.mark.parametrize("same_story", [True, False])
def test_one_actor_under_two_canonical_names_is_refused(
    build_gold: ModuleType, tmp_path: Path, same_story: bool
) -> None:
    surname = {"kind": "actor", "text": "Kaya", "occurrence": 2, "actor": "Kaya", "actor_type": "person"}
    if same_story:  # "Kaya" is an alias of Elif Kaya by the third entry (learned from the second)
        _write(tmp_path, "001-a", [GOOD[1], GOOD[2], {**surname, "text": "Kaya said", "occurrence": 1}])
    else:
        _write(tmp_path, "001-a", [GOOD[1], GOOD[2]])
        _write(tmp_path, "002-b", [surname], STORY.replace("grain", "wheat"))
    with pytest.raises(build_gold.GoldError) as caught:
        build_gold.build(tmp_path, tmp_path / "gold.json")
    assert "'Kaya'" in str(caught.value) and ("Elif Kaya" in str(caught.value))
