"""Layers on the command line: another annotator's layer read-only for `edit`/`delete`; export and show by layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import anchor
from annotations.layers import CURATED
from annotations.model import Annotation
from annotations.store import Store
from tests.cli_support import assert_user_error, run, show_json
from tests.store_support import put


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "wiredesk" / "config.toml"  # XDG_CONFIG_HOME is tmp_path/config
    path.parent.mkdir(parents=True)
    return path


def as_(config: Path, name: str) -> None:
    config.write_text(f'annotator = "{name}"\n', "utf-8")


def tag(data_dir: Path, story: str, kind: str, text: str, *more: str) -> str:
    result = run(data_dir, "annotate", story, "--kind", kind, "--text", text, *more)
    assert result.exit_code == 0, result.output
    return result.stdout.split()[2]  # "saved quote 1a2b3c4d [..."


def test_edit_and_delete_refuse_another_layer(data_dir: Path, config: Path, harbour: str) -> None:
    as_(config, "ben")
    theirs = tag(data_dir, harbour, "claim", "the silt has cut their catch")
    as_(config, "ana")
    mine = tag(data_dir, harbour, "claim", "the silt has cut their catch")  # the same words: another layer
    assert_user_error(run(data_dir, "edit", theirs, "--note", "x"), "cannot edit", "ben's layer, read-only")
    assert_user_error(run(data_dir, "delete", mine, theirs), "cannot delete", "ben's layer")
    anns = show_json(data_dir, harbour)["annotations"]
    assert sorted((a["annotator"], a["note"]) for a in anns) == [("ana", ""), ("ben", "")]
    assert run(data_dir, "edit", mine, "--note", "mine").exit_code == 0
    assert run(data_dir, "delete", mine).exit_code == 0
    assert [a["annotator"] for a in show_json(data_dir, harbour)["annotations"]] == ["ben"]


@pytest.fixture
def team(data_dir: Path, config: Path, harbour: str) -> dict[str, str]:
    """ben's and ana's layers on the harbour story (ana is the analyst now); the same quote in both."""
    as_(config, "ben")
    ids = {"ben": tag(data_dir, harbour, "quote", "We need another month")}
    ids["ben-actor"] = tag(data_dir, harbour, "actor", "Tomas Brek")
    as_(config, "ana")
    ids["ana"] = tag(data_dir, harbour, "quote", "We need another month")
    return ids


def exported(data_dir: Path, tmp_path: Path, *options: str) -> tuple[set[str], str]:
    """The ids of the annotations an export with `options` holds, and its summary line."""
    out = tmp_path / "out.json"
    result = run(data_dir, "export", "--format", "json", "-o", str(out), "--force", *options)
    assert result.exit_code == 0, result.output
    return {a["id"][:8] for a in json.loads(out.read_text("utf-8"))["annotations"]}, result.stderr.strip()


def curate(data_dir: Path, story: str, text: str) -> str:
    with Store(data_dir) as store:
        item = store.story(story)
        ann = Annotation.new(item, "quote", *anchor.locate(item, text), annotator=CURATED)
        put(store, ann)
    return ann.id[:8]


def test_export_by_layer_and_annotator(data_dir: Path, tmp_path: Path, team: dict[str, str]) -> None:
    everything, line = exported(data_dir, tmp_path)
    assert everything == set(team.values()) and line.endswith("out.json: every layer")
    assert exported(data_dir, tmp_path, "--layer", "ben")[0] == {team["ben"], team["ben-actor"]}
    assert exported(data_dir, tmp_path, "--layer", "ana")[1].endswith(": layer ana")
    assert exported(data_dir, tmp_path, "--annotator", "ana")[0] == {team["ana"]}
    both = exported(data_dir, tmp_path, "--annotator", "ben", "--layer", "ana")[0]
    assert both == set()
    assert_user_error(run(data_dir, "export", "--format", "json", "--layer", "zoe"), 'no layer "zoe"', "ana, ben, all")


def test_export_takes_curated_by_default_once_there_is_one(
    data_dir: Path, tmp_path: Path, harbour: str, team: dict[str, str]
) -> None:
    settled = curate(data_dir, harbour, "The silt will still be there in April")
    ids, line = exported(data_dir, tmp_path)
    assert ids == {settled}
    assert line.endswith("out.json: the curated layer: the default once there is one; --layer all for every layer")
    assert exported(data_dir, tmp_path, "--layer", "all")[0] == {*team.values(), settled}
    assert exported(data_dir, tmp_path, "--annotator", "ben")[0] == {team["ben"], team["ben-actor"]}
    result = run(data_dir, "export", "--format", "jsonl")  # to stdout: the layer said on stderr
    assert result.exit_code == 0 and [json.loads(x)["id"][:8] for x in result.stdout.splitlines()] == [settled]
    assert "the curated layer" in result.stderr


def test_one_layer_exports_as_before(data_dir: Path, tmp_path: Path, harbour: str) -> None:
    ann = tag(data_dir, harbour, "quote", "We need another month")  # no annotator in the config: solo
    ids, line = exported(data_dir, tmp_path)
    assert ids == {ann} and line == f"exported 1 annotation(s) as json to {tmp_path / 'out.json'}"
    result = run(data_dir, "export", "--format", "jsonl")
    assert result.exit_code == 0 and result.stderr == ""


def test_show_and_quotes_by_layer(data_dir: Path, harbour: str, team: dict[str, str]) -> None:
    assert len(show_json(data_dir, harbour)["annotations"]) == 3  # every layer, as before
    result = run(data_dir, "show", harbour, "--format", "json", "--layer", "ben")
    assert {a["id"][:8] for a in json.loads(result.stdout)["annotations"]} == {team["ben"], team["ben-actor"]}
    result = run(data_dir, "quotes", "--format", "json", "--layer", "ana")
    assert [q["annotation_id"][:8] for q in json.loads(result.stdout)] == [team["ana"]]
    assert len(json.loads(run(data_dir, "quotes", "--format", "json").stdout)) == 2
    assert_user_error(run(data_dir, "quotes", "--layer", "curated"), 'no layer "curated"')


def test_stats_counts_one_layer_curated_by_default(data_dir: Path, harbour: str, team: dict[str, str]) -> None:
    def quotes(*options: str) -> tuple[int, str]:
        result = run(data_dir, "stats", "--by", "agency", "--kind", "quote", "--format", "json", *options)
        assert result.exit_code == 0, result.output
        return sum(row["quote"] for row in json.loads(result.stdout)), result.stderr.strip()

    assert quotes() == (2, "counting every layer")  # ben's and ana's copy of one quote
    assert quotes("--layer", "ben") == (1, "counting layer ben")
    curate(data_dir, harbour, "We need another month")
    assert quotes() == (1, "counting the curated layer: the default once there is one; --layer all for every layer")
    assert quotes("--layer", "all")[0] == 3
    assert_user_error(run(data_dir, "stats", "--layer", "zoe"), 'no layer "zoe"', "ana, ben, curated, all")


def test_stats_of_one_analyst_say_no_layer(data_dir: Path, harbour: str) -> None:
    tag(data_dir, harbour, "quote", "We need another month")  # no annotator in the config: solo
    result = run(data_dir, "stats", "--format", "json")
    assert result.exit_code == 0 and result.stderr == "" and len(json.loads(result.stdout)) == 1
