"""The actor registry through the `wiredesk` command: annotate with speakers, actors and claimants; `actors`,
`actor NAME` (reading and managing an entry) and `quotes`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotations.actors import Actor
from annotations.history import History
from annotations.store import Store
from tests.cli_support import assert_user_error, import_one, run, show_json
from tests.store_support import snapshot

pytestmark = pytest.mark.usefixtures("plain_terminal")

CARACAS = """Caracas braces for talks

CARACAS, March 2 (Reuters) - President Nicolás Maduro said on Sunday his government was "ready for dialogue".

"We will not be intimidated," Maduro told supporters. Vice President Delcy Rodriguez said talks could start soon.
"""
BOGOTA = """Bogota offers to host Venezuela talks

BOGOTA, March 3 (AP) - Colombia offered on Monday to host talks between Nicolas Maduro and the opposition, \
foreign minister Luis Murillo said, calling the offer "a duty of neighbours".
"""
KOSACHEV = "Konstantin Kosachev"
CLAIM = "strikes on Venezuela have “no substantive basis” and are in violation of international law"


def ok(data_dir: Path, *args: str) -> str:
    result = run(data_dir, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def usage_error(data_dir: Path, *args: str) -> str:
    result = run(data_dir, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()[-1]


def actors_json(data_dir: Path, *flags: str) -> dict[str, dict]:
    return {a["name"]: a for a in json.loads(ok(data_dir, "actors", "--format", "json", *flags))}


def actor_json(data_dir: Path, name: str) -> dict:
    return json.loads(ok(data_dir, "actor", name, "--format", "json"))


@pytest.fixture
def caracas(data_dir: Path, tmp_path: Path) -> tuple[str, str]:
    """Two stories naming Maduro: (caracas id, bogota id)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "caracas.txt").write_text(CARACAS, "utf-8")
    (tmp_path / "in" / "bogota.txt").write_text(BOGOTA, "utf-8")
    return import_one(data_dir, tmp_path / "in" / "caracas.txt"), import_one(data_dir, tmp_path / "in" / "bogota.txt")


# --- the Anadolu story: who said what ---------------------------------------------------------------------------


def test_kosachev_mentioned_quoted_and_claiming(data_dir: Path, corpus: Path) -> None:
    story = import_one(data_dir, corpus / "aa-russia-venezuela-strikes.txt")
    out = ok(data_dir, "annotate", story, "--kind", "actor", "--text", KOSACHEV, "--actor-type", "person")
    assert out.splitlines()[1] == f"actor: {KOSACHEV} (new actor, person)"
    out = ok(data_dir, "annotate", story, "--kind", "quote", "--text", "no substantive basis", "--speaker", KOSACHEV)
    assert out.splitlines()[1] == f"speaker: {KOSACHEV} (person)"  # the entry the mention made

    before = snapshot(data_dir)
    result = run(data_dir, "annotate", story, "--kind", "claim", "--text", CLAIM, "--claimant", "Kosachev")
    assert_user_error(result, 'no actor called "Kosachev"', f'did you mean "{KOSACHEV}"?', "--new-actor")
    assert snapshot(data_dir) == before  # neither the claim nor a second Kosachev

    args = ("--kind", "claim", "--text", CLAIM, "--claimant", KOSACHEV.lower(), "--status", "disputed")
    out = ok(data_dir, "annotate", story, *args)
    assert out.splitlines()[1] == f"claimant: {KOSACHEV} (person)"

    (entry,) = actors_json(data_dir).values()
    assert entry["name"] == KOSACHEV and entry["type"] == "person"
    assert entry["counts"] == {"mentions": 1, "quotes": 1, "claims": 1}
    row = next(line for line in ok(data_dir, "actors").splitlines() if KOSACHEV in line)
    assert row.split()[-4:] == ["person", "1", "1", "1"]

    anns = {a["kind"]: a for a in show_json(data_dir, story)["annotations"]}
    assert anns["quote"]["speaker"] == anns["actor"]["actor"] == anns["claim"]["claimant"] == entry["id"]
    assert anns["claim"]["status"] == "disputed" and anns["claim"]["exact"] == CLAIM

    shown = actor_json(data_dir, KOSACHEV)
    assert [(a["kind"], a["text"], a["status"]) for a in shown["annotations"]] == [
        ("actor", KOSACHEV, None),
        ("claim", CLAIM, "disputed"),
        ("quote", "no substantive basis", None),
    ]
    table = ok(data_dir, "actor", KOSACHEV)
    assert table.splitlines()[0] == f"{KOSACHEV} · person · 1 mention, 1 quote, 1 claim"
    assert "disputed" in table and "no substantive basis" in table and story[:8] in table


# --- one entry for Maduro, whatever the story calls him ----------------------------------------------------------


def test_maduro_and_nicolas_maduro_in_two_stories_are_one_entry(data_dir: Path, caracas: tuple[str, str]) -> None:
    caracas_id, bogota_id = caracas
    out = ok(data_dir, "annotate", bogota_id, "--kind", "actor", "--text", "Nicolas Maduro")
    assert "new actor" in out

    before = snapshot(data_dir)
    result = run(data_dir, "annotate", caracas_id, "--kind", "actor", "--text", "Maduro", "--occurrence", "2")
    assert_user_error(result, 'did you mean "Nicolas Maduro"? Link it with --actor "Nicolas Maduro"')
    assert snapshot(data_dir) == before

    args = ("--kind", "actor", "--text", "Maduro", "--occurrence", "2", "--actor", "Nicolas Maduro")
    assert ok(data_dir, "annotate", caracas_id, *args).splitlines()[1] == "actor: Nicolas Maduro (person)"
    # the accented full name is the same name: it links by default
    out = ok(data_dir, "annotate", caracas_id, "--kind", "actor", "--text", "Nicolás Maduro")
    assert out.splitlines()[1] == "actor: Nicolas Maduro (person)"

    assert list(actors_json(data_dir)) == ["Nicolas Maduro"]
    shown = actor_json(data_dir, "nicolas maduro")
    assert (
        [(a["short_id"], a["text"]) for a in shown["annotations"]]
        == [
            (bogota_id[:8], "Nicolas Maduro"),  # the newest story first
            (caracas_id[:8], "Nicolás Maduro"),
            (caracas_id[:8], "Maduro"),
        ]
    )
    assert shown["actor"]["counts"] == {"mentions": 3, "quotes": 0, "claims": 0}
    assert {a["headline"] for a in shown["annotations"]} == {
        "Caracas braces for talks",
        "Bogota offers to host Venezuela talks",
    }
    lines = ok(data_dir, "actor", "Nicolas Maduro").splitlines()
    assert lines[0] == "Nicolas Maduro · person · aliases: Maduro · 3 mentions, 0 quotes, 0 claims"  # learnt
    assert sum(line.startswith(bogota_id[:8]) for line in lines) == 1
    assert sum(line.startswith(caracas_id[:8]) for line in lines) == 2


def test_a_new_speaker_is_a_new_person_and_the_next_mention_links_to_it(data_dir: Path, harbour: str) -> None:
    out = ok(
        data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month", "--speaker", "Tomas Brek"
    )
    assert out.splitlines()[1] == "speaker: Tomas Brek (new actor, person)"
    out = ok(data_dir, "annotate", harbour, "--kind", "actor", "--text", "Tomas Brek")
    assert out.splitlines()[1] == "actor: Tomas Brek (person)"
    assert actors_json(data_dir)["Tomas Brek"]["counts"] == {"mentions": 1, "quotes": 1, "claims": 0}


def test_an_actor_type_for_a_new_entry_and_against_an_existing_one(data_dir: Path, harbour: str) -> None:
    out = ok(
        data_dir, "annotate", harbour, "--kind", "actor", "--text", "harbour board", "--actor-type", "organisation"
    )
    assert out.splitlines()[1] == "actor: harbour board (new actor, organisation)"
    before = snapshot(data_dir)
    args = ("--kind", "actor", "--text", "Harbour board", "--actor-type", "government")  # the headline's
    assert_user_error(
        run(data_dir, "annotate", harbour, *args),
        "harbour board is in the registry as an organisation, not a government",
        'wiredesk actor "harbour board" --type government',
    )
    assert snapshot(data_dir) == before


def test_a_quote_with_form_and_cue(data_dir: Path, harbour: str) -> None:
    args = ("--kind", "quote", "--text", "We need another month", "--form", "direct", "--cue", "  board chair   said ")
    ok(data_dir, "annotate", harbour, *args)
    (ann,) = show_json(data_dir, harbour)["annotations"]
    assert (ann["form"], ann["cue"], ann["speaker"]) == ("direct", "board chair said", None)


@pytest.mark.parametrize(
    ("kind", "option", "value", "message"),
    [
        ("quote", "--status", "disputed", "--status is for a claim, not a quote"),
        ("quote", "--claimant", "Tomas Brek", "--claimant is for a claim, not a quote"),
        ("quote", "--actor", "Tomas Brek", "--actor is for an actor, not a quote"),
        ("quote", "--actor-type", "person", "--actor-type is for an actor, not a quote"),
        ("claim", "--speaker", "Tomas Brek", "--speaker is for a quote, not a claim"),
        ("claim", "--form", "direct", "--form is for a quote, not a claim"),
        ("claim", "--cue", "said", "--cue is for a quote, not a claim"),
        ("actor", "--status", "false", "--status is for a claim, not an actor"),
        ("quote", "--form", "shouted", "'shouted' is not one of"),
        ("claim", "--status", "maybe", "'maybe' is not one of"),
        ("actor", "--actor-type", "alien", "'alien' is not one of"),
    ],
)
def test_options_that_do_not_fit_the_kind_are_usage_errors(
    data_dir: Path, harbour: str, kind: str, option: str, value: str, message: str
) -> None:
    before = snapshot(data_dir)
    line = usage_error(data_dir, "annotate", harbour, "--kind", kind, "--text", "We need another month", option, value)
    assert message in line
    assert snapshot(data_dir) == before


def test_an_ambiguous_name_lists_the_candidates_and_an_id_picks_one(data_dir: Path, harbour: str) -> None:
    with Store(data_dir) as store:
        history = History(store)
        person = history.add_actor(Actor.new("Tomas Brek", "person"))
        club = history.add_actor(Actor.new("Tomas Brek", "organisation", note="the fishing club"))
    before = snapshot(data_dir)
    result = run(
        data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month", "--speaker", "tomas brek"
    )
    line = assert_user_error(result, '"tomas brek" is ambiguous', person.id[:8], club.id[:8], "give the id")
    assert "Tomas Brek (person, " in line and "Tomas Brek (organisation, " in line
    assert snapshot(data_dir) == before
    args = ("--kind", "quote", "--text", "We need another month", "--speaker", club.id[:8])
    assert ok(data_dir, "annotate", harbour, *args).splitlines()[1] == "speaker: Tomas Brek (organisation)"
    assert show_json(data_dir, harbour)["annotations"][0]["speaker"] == club.id


def test_a_close_name_can_still_be_a_new_entry(data_dir: Path, harbour: str) -> None:
    ok(data_dir, "annotate", harbour, "--kind", "actor", "--text", "Tomas Brek")
    args = ("--kind", "quote", "--text", "We need another month", "--speaker", "Brek", "--new-actor")
    assert ok(data_dir, "annotate", harbour, *args).splitlines()[1] == "speaker: Brek (new actor, person)"
    assert sorted(actors_json(data_dir)) == ["Brek", "Tomas Brek"]


@pytest.mark.parametrize("name", ["Tomas\x1b[31m Brek", "Tomas Brek\x07", " ", ""])
def test_a_bad_name_is_refused(data_dir: Path, harbour: str, name: str) -> None:
    ok(data_dir, "annotate", harbour, "--kind", "actor", "--text", "Tomas Brek")
    before = snapshot(data_dir)
    result = run(data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month", "--speaker", name)
    line = assert_user_error(result, "control characters" if name.strip() else "no actor name given")
    assert "\x1b" not in line and "\x07" not in line
    assert snapshot(data_dir) == before
    assert_user_error(run(data_dir, "actor", "Tomas Brek", "--alias", "Brek\x1b[2J"), "control characters")


def test_a_failed_annotate_adds_no_actor(data_dir: Path, harbour: str) -> None:
    before = snapshot(data_dir)
    result = run(
        data_dir, "annotate", harbour, "--kind", "quote", "--text", "not in the story", "--speaker", "Ana Lind"
    )
    assert_user_error(result, "not found")
    assert snapshot(data_dir) == before


def test_one_annotate_is_one_step_saved_at_once(data_dir: Path, harbour: str) -> None:
    ok(data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month", "--speaker", "Tomas Brek")
    with Store(data_dir, read_only=True) as store:
        (ann,) = store.annotations()
        assert store.actor(ann.speaker).name == "Tomas Brek"  # type: ignore[union-attr]
        lines = (data_dir / "annotations.journal").read_text("utf-8").splitlines()
    ops = [line for line in lines if '"ops"' in line]
    assert len(ops) == 1  # one step, one journal line: the new entry first, then the quote linking to it
    assert ops[0].index('["actors"') < ops[0].index('["annotations"')


# --- actors, actor, quotes -------------------------------------------------------------------------------------


def test_actors_of_an_empty_registry(data_dir: Path, harbour: str) -> None:
    assert "The actor registry is empty" in ok(data_dir, "actors")
    assert ok(data_dir, "actors", "--format", "json").strip() == "[]"


def test_unknown_actor(data_dir: Path, caracas: tuple[str, str]) -> None:
    ok(data_dir, "annotate", caracas[1], "--kind", "actor", "--text", "Nicolas Maduro")
    assert_user_error(run(data_dir, "actor", "Maduro"), 'no actor called "Maduro"', 'did you mean "Nicolas Maduro"?')
    assert_user_error(run(data_dir, "actor", "Harbour board"), "see `wiredesk actors`")
    assert_user_error(run(data_dir, "quotes", "--speaker", "Nobody"), 'no actor called "Nobody"')


def test_an_actor_with_nothing_tagged_yet(data_dir: Path, harbour: str) -> None:
    with Store(data_dir) as store:
        History(store).add_actor(Actor.new("Lena Holt", "person", aliases=("L. Holt",), external_id="Q1"))
    out = ok(data_dir, "actor", "L. Holt")
    assert out.splitlines() == [
        "Lena Holt · person · aliases: L. Holt · Q1 · 0 mentions, 0 quotes, 0 claims",
        "No mentions, quotes or claims of Lena Holt yet.",
    ]


@pytest.fixture
def quoted(data_dir: Path, caracas: tuple[str, str]) -> tuple[str, str]:
    """Quotes by Maduro (one by an entry since merged into his), by "=Rodriguez", and by nobody named."""
    caracas_id, bogota_id = caracas

    def quote(story: str, text: str, *more: str) -> None:
        ok(data_dir, "annotate", story, "--kind", "quote", "--text", text, *more)

    quote(caracas_id, "ready for dialogue", "--speaker", "Nicolás Maduro", "--form", "partial")
    quote(caracas_id, "We will not be intimidated", "--speaker", "Maduro", "--new-actor", "--cue", "told supporters")
    quote(caracas_id, "talks could start soon", "--speaker", "=Rodriguez")
    quote(bogota_id, "a duty of neighbours")
    ok(data_dir, "actor", "Maduro", "--merge-into", "Nicolás Maduro")
    return caracas_id, bogota_id


def test_quotes_as_json_with_speakers_through_merges(data_dir: Path, quoted: tuple[str, str]) -> None:
    caracas_id, bogota_id = quoted
    rows = json.loads(ok(data_dir, "quotes", "--format", "json"))
    assert [(r["speaker"], r["text"], r["form"], r["cue"], r["story_id"]) for r in rows] == [
        ("", "a duty of neighbours", None, "", bogota_id),
        ("Nicolás Maduro", "ready for dialogue", "partial", "", caracas_id),
        ("Nicolás Maduro", "We will not be intimidated", None, "told supporters", caracas_id),
        ("=Rodriguez", "talks could start soon", None, "", caracas_id),
    ]
    assert rows[1]["headline"] == "Caracas braces for talks" and rows[1]["published"] == ""  # the story has no date
    only = json.loads(ok(data_dir, "quotes", "--speaker", "maduro", "--format", "json"))  # the merged name is an alias
    assert [r["text"] for r in only] == ["ready for dialogue", "We will not be intimidated"]
    assert {r["speaker_id"] for r in only} == {actors_json(data_dir)["Nicolás Maduro"]["id"]}


def test_quotes_as_csv_and_table(data_dir: Path, quoted: tuple[str, str]) -> None:
    result = run(data_dir, "quotes", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert rows[0][:4] == ["speaker", "speaker_id", "form", "cue"]
    assert len(rows) == 5
    assert [rows[4][0], rows[4][7]] == ["'=Rodriguez", "talks could start soon"]  # formulas neutralised
    table = ok(data_dir, "quotes", "--speaker", "Nicolás Maduro")
    assert table.splitlines()[0].split() == ["Story", "Date", "Speaker", "Form", "Cue", "Text"]
    assert "We will not be intimidated" in table and "talks could start soon" not in table
    assert ok(data_dir, "quotes", "--speaker", "=Rodriguez", "--format", "table").count("talks could start soon") == 1


def test_actors_folds_merged_entries_and_lists_them_with_all(data_dir: Path, quoted: tuple[str, str]) -> None:
    listed = actors_json(data_dir)
    assert sorted(listed) == ["=Rodriguez", "Nicolás Maduro"]
    maduro = listed["Nicolás Maduro"]
    assert maduro["counts"] == {"mentions": 0, "quotes": 2, "claims": 0}
    assert maduro["aliases"] == ["Maduro"] and maduro["merged_into"] is None
    assert set(maduro) == {*Actor.__dataclass_fields__, "counts", "merged"}
    everything = actors_json(data_dir, "--all")
    assert everything["Maduro"]["merged_into"] == maduro["id"] == everything["Nicolás Maduro"]["id"]
    assert maduro["merged"] == [everything["Maduro"]["id"]]
    assert everything["Maduro"]["counts"] == {"mentions": 0, "quotes": 1, "claims": 0}
    assert "Maduro → Nicolás Maduro" in ok(data_dir, "actors", "--all")
    assert "→" not in ok(data_dir, "actors")


# --- managing an entry -----------------------------------------------------------------------------------------


def test_rename_alias_type_external_id_and_note(data_dir: Path, caracas: tuple[str, str]) -> None:
    ok(data_dir, "annotate", caracas[1], "--kind", "actor", "--text", "Nicolas Maduro")
    out = ok(
        data_dir,
        "actor",
        "Nicolas Maduro",
        "--rename",
        "Nicolás Maduro Moros",
        "--alias",
        "Maduro",
        "--alias",
        "maduro",
    )
    assert out.strip() == "saved actor Nicolás Maduro Moros · person · aliases: Maduro, Nicolas Maduro"  # old name kept
    out = ok(data_dir, "actor", "maduro", "--type", "government", "--external-id", " Q57413 ", "--note", "president")
    assert out.strip() == "saved actor Nicolás Maduro Moros · government · aliases: Maduro, Nicolas Maduro · Q57413"
    (entry,) = actors_json(data_dir).values()
    assert (entry["name"], entry["type"], entry["external_id"], entry["note"]) == (
        "Nicolás Maduro Moros",
        "government",
        "Q57413",
        "president",
    )
    assert ok(data_dir, "actor", "Maduro", "--remove-alias", "MADURO").strip().endswith("Nicolas Maduro · Q57413")
    assert "unchanged" in ok(data_dir, "actor", "Nicolás Maduro Moros", "--type", "government")
    assert_user_error(run(data_dir, "actor", "Nicolás Maduro Moros", "--remove-alias", "Nico"), "not an alias")
    # links follow: they are by id
    assert actor_json(data_dir, "Nicolás Maduro Moros")["actor"]["counts"]["mentions"] == 1


def test_a_name_another_entry_has_is_refused(data_dir: Path, caracas: tuple[str, str]) -> None:
    ok(data_dir, "annotate", caracas[1], "--kind", "actor", "--text", "Nicolas Maduro")
    ok(data_dir, "annotate", caracas[0], "--kind", "actor", "--text", "Delcy Rodriguez")
    before = snapshot(data_dir)
    for option in ("--rename", "--alias"):
        result = run(data_dir, "actor", "Delcy Rodriguez", option, "nicolas MADURO")
        assert_user_error(result, '"nicolas MADURO" already names Nicolas Maduro', "--merge-into")
    assert snapshot(data_dir) == before


def test_merge_into_and_delete(data_dir: Path, caracas: tuple[str, str]) -> None:
    caracas_id, bogota_id = caracas
    ok(data_dir, "annotate", bogota_id, "--kind", "actor", "--text", "Nicolas Maduro")
    ok(data_dir, "annotate", caracas_id, "--kind", "actor", "--text", "Maduro", "--occurrence", "2", "--new-actor")
    out = ok(data_dir, "actor", "Maduro", "--merge-into", "Nicolas Maduro")
    assert out.strip() == "merged Maduro into Nicolas Maduro: 1 link(s) now lead to Nicolas Maduro"
    shown = actor_json(data_dir, "Maduro")  # the merged name is now an alias
    assert shown["actor"]["name"] == "Nicolas Maduro" and len(shown["annotations"]) == 2
    assert_user_error(run(data_dir, "actor", "Maduro", "--merge-into", "Nicolas Maduro"), "already")

    out = ok(data_dir, "actor", "Nicolas Maduro", "--delete")
    assert out.startswith("deleted actor Nicolas Maduro (person, ") and out.strip().endswith("1 annotation(s) unlinked")
    assert sorted(actors_json(data_dir)) == ["Maduro"]  # merged into the deleted entry: on its own again
    assert [a["text"] for a in actor_json(data_dir, "Maduro")["annotations"]] == ["Maduro"]
    assert [a["actor"] for a in show_json(data_dir, bogota_id)["annotations"]] == [None]


@pytest.mark.parametrize(
    "args",
    [
        ["--merge-into", "X", "--rename", "Y"],
        ["--delete", "--alias", "Y"],
        ["--delete", "--merge-into", "X"],
        ["--type", "alien"],
    ],
)
def test_actor_usage_errors(data_dir: Path, caracas: tuple[str, str], args: list[str]) -> None:
    ok(data_dir, "annotate", caracas[1], "--kind", "actor", "--text", "Nicolas Maduro")
    before = snapshot(data_dir)
    usage_error(data_dir, "actor", "Nicolas Maduro", *args)
    assert snapshot(data_dir) == before
