"""`annotate` (duplicates refused or skipped, types of new entries), `edit` and `delete` by annotation id, and
"did you mean" for `quotes --speaker`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotations.history import History
from annotations.store import Store
from tests.cli_support import assert_user_error, run, show_json
from tests.conftest import ROOT
from tests.store_support import snapshot, tag_text
from tui.cli import main

pytestmark = pytest.mark.usefixtures("plain_terminal")

QUOTE = ("--kind", "quote", "--text", "We need another month")


def ok(data_dir: Path, *args: str) -> list[str]:
    result = run(data_dir, *args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def usage_error(data_dir: Path, *args: str) -> str:
    result = run(data_dir, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()[-1]


def annotations(data_dir: Path, story: str) -> list[dict]:
    return show_json(data_dir, story)["annotations"]


def actors(data_dir: Path) -> dict[str, dict]:
    return {a["name"]: a for a in json.loads("".join(ok(data_dir, "actors", "--format", "json")))}


def journal_steps(data_dir: Path) -> int:
    """How many saved steps the annotations journal holds (one line each)."""
    path = data_dir / "annotations.journal"
    return sum('"ops"' in line for line in path.read_text("utf-8").splitlines()) if path.exists() else 0


# --- annotate: a duplicate -------------------------------------------------------------------------------------


def test_annotate_twice_refuses_the_duplicate_naming_the_first(data_dir: Path, harbour: str) -> None:
    first = ok(data_dir, "annotate", harbour, *QUOTE, "--speaker", "Tomas Brek")[0]
    ann_id = first.split()[2]
    before = snapshot(data_dir)
    line = assert_user_error(run(data_dir, "annotate", harbour, *QUOTE, "--speaker", "Tomas Brek"))
    assert f"“We need another month” is already tagged as a quote ({ann_id})" in line and "--skip-existing" in line
    assert snapshot(data_dir) == before


def test_skip_existing_adds_nothing_and_succeeds(data_dir: Path, harbour: str) -> None:
    ok(data_dir, "annotate", harbour, *QUOTE)
    before = snapshot(data_dir)
    out = ok(data_dir, "annotate", harbour, *QUOTE, "--speaker", "Nobody New", "--skip-existing")
    assert out[0].startswith("skipped: “We need another month” is already tagged as a quote (")
    assert snapshot(data_dir) == before  # neither a second quote nor the new speaker
    assert len(annotations(data_dir, harbour)) == 1


def test_another_kind_on_the_same_span_is_no_duplicate(data_dir: Path, harbour: str) -> None:
    ok(data_dir, "annotate", harbour, *QUOTE)
    ok(data_dir, "annotate", harbour, "--kind", "claim", "--text", "We need another month")
    assert sorted(a["kind"] for a in annotations(data_dir, harbour)) == ["claim", "quote"]


# --- annotate: the type of a new entry -------------------------------------------------------------------------


def test_speaker_and_claimant_types_for_new_entries(data_dir: Path, harbour: str) -> None:
    out = ok(data_dir, "annotate", harbour, *QUOTE, "--speaker", "Harbour board", "--speaker-type", "organisation")
    assert out[1] == "speaker: Harbour board (new actor, organisation)"
    claim = ("--kind", "claim", "--text", "the silt has cut their catch by a third")
    out = ok(data_dir, "annotate", harbour, *claim, "--claimant", "Portvale council", "--claimant-type", "government")
    assert out[1] == "claimant: Portvale council (new actor, government)"
    assert {n: a["type"] for n, a in actors(data_dir).items()} == {
        "Harbour board": "organisation",
        "Portvale council": "government",
    }


def test_a_type_against_an_existing_entry_is_refused(data_dir: Path, harbour: str) -> None:
    ok(data_dir, "annotate", harbour, "--kind", "actor", "--text", "Tomas Brek")
    before = snapshot(data_dir)
    line = assert_user_error(
        run(data_dir, "annotate", harbour, *QUOTE, "--speaker", "Tomas Brek", "--speaker-type", "organisation")
    )
    assert "Tomas Brek is in the registry as a person, not an organisation" in line
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--speaker-type", "group"), "--speaker-type is the type of a new entry: give its name with --speaker"),
        (("--claimant-type", "group"), "--claimant-type is for a claim, not a quote"),
    ],
)
def test_type_options_misused_are_usage_errors(
    data_dir: Path, harbour: str, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(data_dir)
    assert message in usage_error(data_dir, "annotate", harbour, *QUOTE, *args)
    assert snapshot(data_dir) == before


# --- edit ------------------------------------------------------------------------------------------------------


@pytest.fixture
def tagged(data_dir: Path, harbour: str) -> dict[str, str]:
    """A quote by Tomas Brek, a claim, a mention of the harbour board: kind -> annotation id."""
    ok(data_dir, "annotate", harbour, *QUOTE, "--speaker", "Tomas Brek")
    ok(data_dir, "annotate", harbour, "--kind", "claim", "--text", "the silt has cut their catch by a third")
    ok(data_dir, "annotate", harbour, "--kind", "actor", "--text", "harbour board", "--actor-type", "organisation")
    return {a["kind"]: a["id"] for a in annotations(data_dir, harbour)}


def test_edit_each_field_by_an_id_prefix_one_step_each(data_dir: Path, harbour: str, tagged: dict[str, str]) -> None:
    steps = journal_steps(data_dir)
    quote, claim, actor = tagged["quote"], tagged["claim"], tagged["actor"]
    out = ok(data_dir, "edit", quote[:6], "--note", "on the record", "--form", "direct", "--cue", "said")
    assert len(out) == 1 and out[0].startswith(f"saved quote {quote[:8]} [")
    assert out[0].endswith(f"“We need another month” in story {harbour[:8]}")
    out = ok(data_dir, "edit", claim[:6], "--claimant", "Fishermen", "--claimant-type", "group", "--status", "disputed")
    assert out[1] == "claimant: Fishermen (new actor, group)"
    out = ok(data_dir, "edit", actor[:6], "--actor-type", "government")  # the linked entry's type
    assert out[1] == "actor: harbour board (type government)"
    assert journal_steps(data_dir) == steps + 3  # each edit one step: what the app's undo reverts
    anns = {a["kind"]: a for a in annotations(data_dir, harbour)}
    assert (anns["quote"]["note"], anns["quote"]["form"], anns["quote"]["cue"]) == ("on the record", "direct", "said")
    assert anns["claim"]["status"] == "disputed"
    registry = actors(data_dir)
    assert anns["claim"]["claimant"] == registry["Fishermen"]["id"] and registry["Fishermen"]["type"] == "group"
    assert registry["harbour board"]["type"] == "government"


def test_edit_relinks_and_unlinks(data_dir: Path, harbour: str, tagged: dict[str, str]) -> None:
    quote = tagged["quote"]
    assert ok(data_dir, "edit", quote, "--speaker", "harbour BOARD")[1] == "speaker: harbour board (organisation)"
    assert ok(data_dir, "edit", quote, "--speaker", "")[1] == "speaker: none"
    assert next(a for a in annotations(data_dir, harbour) if a["kind"] == "quote")["speaker"] is None
    assert "Tomas Brek" in actors(data_dir)  # unlinking keeps the entry


def test_edit_refuses_a_near_name_and_says_unchanged(data_dir: Path, harbour: str, tagged: dict[str, str]) -> None:
    before = snapshot(data_dir)
    line = assert_user_error(run(data_dir, "edit", tagged["quote"], "--speaker", "Tomas Brk"))
    assert 'did you mean "Tomas Brek"?' in line and "--new-actor" in line
    assert ok(data_dir, "edit", tagged["quote"], "--form", "direct")  # a change…
    before = snapshot(data_dir)
    assert ok(data_dir, "edit", tagged["quote"], "--form", "direct") == [f"quote {tagged['quote'][:8]} unchanged"]
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "nothing to change"),
        (("--status", "false"), "--status is for a claim, not a quote"),
        (("--actor", "Tomas Brek"), "--actor is for an actor, not a quote"),
        (("--form", "shouted"), "'shouted' is not one of"),
    ],
)
def test_edit_usage_errors(data_dir: Path, tagged: dict[str, str], args: tuple[str, ...], message: str) -> None:
    before = snapshot(data_dir)
    assert message in usage_error(data_dir, "edit", tagged["quote"], *args)
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("abc", 'no annotation with id "abc"'),
        ("ffffffff", 'no annotation with id "ffffffff"'),
        ("", "no annotation id given"),
    ],
)
def test_edit_and_delete_an_unknown_id(data_dir: Path, tagged: dict[str, str], ref: str, message: str) -> None:
    before = snapshot(data_dir)
    assert_user_error(run(data_dir, "edit", ref, "--note", "x"), message)
    assert_user_error(run(data_dir, "delete", tagged["quote"], ref), message)  # nothing deleted: one is wrong
    assert snapshot(data_dir) == before


def test_an_ambiguous_prefix_is_refused(data_dir: Path, harbour: str) -> None:
    with Store(data_dir) as store:
        story = store.story(harbour)
        history = History(store)
        for n, text in enumerate(("We need another month", "The silt will still be there")):
            history.add(replace(tag_text(story, text), id=f"abcd{n}000-0000-4000-8000-000000000000"))
    before = snapshot(data_dir)
    assert_user_error(run(data_dir, "delete", "abcd"), 'annotation id "abcd" is ambiguous: 2 start with it')
    assert snapshot(data_dir) == before
    assert_user_error(run(data_dir, "edit", "a", "--note", "x"), 'annotation id "a" is ambiguous: 2 start with it')
    assert ok(data_dir, "edit", "abcd0", "--note", "kept")[0].startswith("saved quote abcd0000")
    assert ok(data_dir, "delete", "abcd1")[0].startswith("deleted quote abcd1000")
    assert ok(data_dir, "delete", "a")[0].startswith("deleted quote abcd0000")  # any unique prefix, as for stories


# --- delete ----------------------------------------------------------------------------------------------------


def test_delete_several_in_one_step_leaving_the_registry(data_dir: Path, harbour: str, tagged: dict[str, str]) -> None:
    steps = journal_steps(data_dir)
    out = ok(data_dir, "delete", tagged["quote"][:5], tagged["claim"], tagged["quote"])  # a repeat counts once
    assert [line.split()[:3] for line in out] == [
        ["deleted", "quote", tagged["quote"][:8]],
        ["deleted", "claim", tagged["claim"][:8]],
    ]
    assert journal_steps(data_dir) == steps + 1
    assert [a["kind"] for a in annotations(data_dir, harbour)] == ["actor"]
    assert "Tomas Brek" in actors(data_dir)
    assert_user_error(run(data_dir, "delete", tagged["quote"]), "no annotation with id")
    assert "Missing argument" in usage_error(data_dir, "delete")


# --- quotes: did you mean --------------------------------------------------------------------------------------


def test_quotes_of_a_misspelt_speaker_asks_did_you_mean(data_dir: Path, harbour: str) -> None:
    ok(data_dir, "annotate", harbour, *QUOTE, "--speaker", "Donald Trump")
    assert_user_error(
        run(data_dir, "quotes", "--speaker", "Trmp"), 'no actor called "Trmp"', 'did you mean "Donald Trump"?'
    )
    assert len(json.loads("".join(ok(data_dir, "quotes", "--speaker", "Trump", "--format", "json")))) == 1


# --- the README ------------------------------------------------------------------------------------------------


def test_every_command_has_a_use_line_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    use = readme.split("## Use", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in main.commands if f"wiredesk {name} " not in use and f"wiredesk {name}\n" not in use]
    assert missing == []
