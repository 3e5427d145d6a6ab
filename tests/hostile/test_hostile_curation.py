"""Hostile input to curation: annotator names and notes from another library (a sync or a merge brings them) with
escape sequences and line breaks, item references and the config's `curation` value holding them; what `wiredesk
curate` prints stays clean, one line per row, and a bad value stops in one clean line."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotations.curation import state, version_line
from annotations.layers import Layers
from annotations.store import Store
from tests.annotations.curation_support import two_layers
from tests.cli_support import assert_user_error, run

pytestmark = pytest.mark.usefixtures("plain_terminal")

ESC = "\x1b"
EVIL = f"eve{ESC}[2J{ESC}]0;owned\x07\u202e\r\nmallory"


def _with_hostile_annotator(data_dir: Path) -> str:
    """The two-layer library with bob's layer renamed to a hostile name and a hostile note on a version."""
    lib = two_layers(data_dir)
    store = lib.store
    bob = [a for a in store.annotations(lib.story.id) if a.annotator == "bob"]
    # written as another library's records arrive: as they are (the store does not clean annotator names)
    renamed = [replace(a, annotator=EVIL, note=f"see{ESC}[31m red\nline") for a in bob]
    store.apply([*zip(bob, renamed, strict=True)])
    store.close()
    return lib.story.id


def test_hostile_annotator_names_and_notes_print_clean(data_dir: Path) -> None:
    story = _with_hostile_annotator(data_dir)
    result = run(data_dir, "curate", story)
    assert result.exit_code == 0, result.output
    assert ESC not in result.output and "\x07" not in result.output and "\r" not in result.output
    assert "\u202e" not in result.output
    rows = result.stdout.splitlines()
    assert len(rows) == 1 + 3 * 3  # a heading, then three items, each with two annotators' lines
    listed = json.loads(run(data_dir, "curate", story, "--format", "json").stdout)
    assert EVIL in listed["annotators"]  # the JSON keeps the name as it is, escaped by JSON itself
    store = Store(data_dir)
    store.load_annotations()
    for item in state(store, story, Layers("carol")).open:
        for version in item.versions:
            line = version_line(store, version.annotation)
            assert line.isprintable() and ESC not in line
    store.close()


def test_hostile_references_and_policy_stop_in_one_clean_line(data_dir: Path, tmp_path: Path) -> None:
    story = _with_hostile_annotator(data_dir)
    line = assert_user_error(run(data_dir, "curate", story, "--reject", f"ab{ESC}[2Jcd"), "no open curation item")
    assert ESC not in line
    listed = json.loads(run(data_dir, "curate", story, "--format", "json").stdout)
    item = listed["open"][0]["item"]
    line = assert_user_error(run(data_dir, "curate", story, "--accept", item, "--from", EVIL[:-3]), "has no quote")
    assert ESC not in line and "\r" not in line
    result = run(data_dir, "curate", story, "--accept", item, "--from", EVIL)
    assert result.exit_code == 0, result.output
    assert ESC not in result.output
    config = tmp_path / "config" / "wiredesk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('curation = "all\\u001b[2J\\u0007"\n', "utf-8")
    line = assert_user_error(run(data_dir, "curate", story), 'curation must be "all" or "majority"')
    assert ESC not in line and "\x07" not in line
    config.write_text("curation = [1, 2]\n", "utf-8")
    assert_user_error(run(data_dir, "curate", story), "curation must be")
