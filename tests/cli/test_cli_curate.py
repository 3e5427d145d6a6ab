"""`wiredesk curate`: the agreed annotations are in `curated` as soon as it runs; the open items listed with who
said what; accepting and rejecting them empties the list; the export of `curated` holds exactly what was chosen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.layers import CURATED
from annotations.store import Store
from tests.annotations.curation_support import CLAIM, SAID, TOLD, two_layers
from tests.cli_support import assert_user_error, run

pytestmark = pytest.mark.usefixtures("plain_terminal")


def ok(data_dir: Path, *args: str) -> str:
    result = run(data_dir, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def story(data_dir: Path) -> str:
    lib = two_layers(data_dir)
    lib.store.close()
    return lib.story.id


def _curated_export(data_dir: Path) -> list[tuple[str, str, str | None, str | None]]:
    exported = json.loads(ok(data_dir, "export", "--format", "json", "--annotator", CURATED))
    names = {a["id"]: a["name"] for a in exported["actors"]}
    return sorted(
        (a["kind"], a["exact"], names.get(a.get("speaker") or ""), a.get("status")) for a in exported["annotations"]
    )


def test_curation_from_the_command_line_ends_with_exactly_the_chosen_annotations(data_dir: Path, story: str) -> None:
    listed = json.loads(ok(data_dir, "curate", story[:10], "--format", "json"))
    assert listed["annotators"] == ["alice", "bob"] and listed["policy"] == "all" and not listed["curated"]
    assert listed["settled"] == 2  # the agreed actor and quote: in curated as soon as curation starts
    quote1, quote2 = SAID[: SAID.index(" Erdoğan")], TOLD[: TOLD.index(" Çavuşoğlu")]
    assert _curated_export(data_dir) == [
        ("actor", "Erdoğan", None, None),
        ("quote", quote1, "Recep Tayyip Erdoğan", None),
    ]
    speaker, claim, only = listed["open"]
    assert speaker["versions"]["alice"]["speaker_name"] == "Mevlüt Çavuşoğlu"
    assert speaker["versions"]["bob"]["speaker_name"] == "Recep Tayyip Erdoğan"
    assert (claim["versions"]["alice"]["status"], claim["versions"]["bob"]["status"]) == ("unverified", "disputed")
    assert only["missing"] == ["bob"] and list(only["versions"]) == ["alice"]

    table = ok(data_dir, "curate", story)
    assert "3 open item(s), 2 settled (policy all)" in table
    assert "bob    speaker Recep Tayyip Erdoğan, direct" in table and "bob    (nothing here)" in table

    result = run(data_dir, "curate", story, "--accept", speaker["item"][:8], "--from", "bob")
    assert result.exit_code == 0, result.output
    assert "accepted bob's quote" in result.stderr and result.stdout == "2 open item(s) left\n"
    ok(data_dir, "curate", story, "--accept", claim["item"][:8], "--from", "alice", "--reject", only["item"][:8])
    assert ok(data_dir, "curate", story).startswith(f"story {story[:8]} is curated: nothing left to decide")
    assert json.loads(ok(data_dir, "curate", story, "--format", "json"))["curated"] is True
    assert _curated_export(data_dir) == sorted(
        [
            ("actor", "Erdoğan", None, None),
            ("claim", CLAIM, None, "unverified"),
            ("quote", quote1, "Recep Tayyip Erdoğan", None),
            ("quote", quote2, "Recep Tayyip Erdoğan", None),  # bob's version
        ]
    )
    # the annotators' layers are as they were
    alice = json.loads(ok(data_dir, "export", "--format", "json", "--annotator", "alice"))["annotations"]
    assert len(alice) == 5


def test_the_policy_option_and_the_config(data_dir: Path, story: str) -> None:
    config = data_dir.parent / "config" / "wiredesk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('curation = "sometimes"\n', "utf-8")
    assert_user_error(run(data_dir, "curate", story), 'curation must be "all" or "majority"')
    config.write_text('curation = "majority"\n', "utf-8")
    assert json.loads(ok(data_dir, "curate", story, "--format", "json"))["policy"] == "majority"
    result = run(data_dir, "curate", story, "--policy", "most")
    assert result.exit_code == 2


def test_mistakes_are_one_line(data_dir: Path, story: str) -> None:
    assert_user_error(run(data_dir, "curate", story, "--accept", "zz", "--from", "bob"), "no open curation item")
    listed = json.loads(ok(data_dir, "curate", story, "--format", "json"))
    only = listed["open"][2]["item"]
    assert_user_error(run(data_dir, "curate", story, "--accept", only, "--from", "bob"), "'bob' has no quote there")
    assert_user_error(run(data_dir, "curate", "ffffffff"), "no story")
    for args in (("--accept", only), ("--from", "bob")):
        result = run(data_dir, "curate", story, *args)
        assert result.exit_code == 2 and "--from" in result.output
    ok(data_dir, "curate", story, "--reject", only)
    assert_user_error(run(data_dir, "curate", story, "--reject", only), "no open curation item")


def test_one_annotators_story_has_nothing_to_curate(data_dir: Path) -> None:
    """Found in tmux: `C` on a one-analyst story listed every tag of theirs as an open item to settle."""
    lib = two_layers(data_dir)
    theirs = [(a, None) for a in lib.store.annotations(lib.story.id) if a.annotator == "bob"]
    lib.store.apply(theirs)
    lib.store.close()
    assert_user_error(run(data_dir, "curate", lib.story.id), "nothing to curate: this story has only alice's layer")
    assert not [a for a in Store(data_dir).annotations(lib.story.id) if a.annotator == CURATED]


def test_what_you_tagged_before_naming_yourself_is_your_layer_in_curation_and_agreement(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, curate and agree built the layers from the annotator's name alone: alice's work from before she set
    `annotator = "alice"` (recorded under her OS user name) was a second annotator, to be curated and measured
    against her own later work."""
    monkeypatch.setattr("annotations.config.getpass.getuser", lambda: "alice-laptop")
    lib = two_layers(data_dir, ("alice-laptop", "bob"))
    later = [a for a in lib.store.annotations(lib.story.id) if a.annotator == "alice-laptop" and a.kind == "claim"]
    lib.store.apply([(a, a.edited(annotator="alice")) for a in later])  # one tag edited since she named herself
    lib.store.close()
    config = data_dir.parent / "config" / "wiredesk" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('annotator = "alice"\n', encoding="utf-8")
    assert json.loads(ok(data_dir, "curate", lib.story.id, "--format", "json"))["annotators"] == ["alice", "bob"]
    assert json.loads(ok(data_dir, "agree", "--format", "json"))["annotators"] == ["alice", "bob"]
