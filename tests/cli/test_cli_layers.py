"""Layers on the command line: another annotator's layer read-only for `edit`/`delete`; export and show by layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_support import assert_user_error, run, show_json


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
