"""`wiredesk suggest`: pending suggestions listed (table, json, jsonl), stored with --accept (twice adds nothing),
rejected and tagged ones left out, bad ids, kinds and scores refused in one line.

The finders are other modules' business: here a stand-in suggester finds fixed phrases, so these tests are about
the command, not the rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import annotations.suggest as suggest_pkg
from annotations.history import History
from annotations.registry import Registry
from annotations.store import Store
from annotations.suggest.model import Suggestion
from annotations.suggest.review import reject
from stories.model import Story
from tests.cli_support import FERRY, HARBOUR, assert_user_error, import_one, run

pytestmark = pytest.mark.usefixtures("plain_terminal")

#: (kind, pattern, fields) the stand-in suggester looks for; a group named "who" is the speaker's or claimant's mention.
RULES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "quote",
        r"We need another month(?=,\" board chair (?P<who>Tomas Brek))",
        {"speaker": "Tomas Brek", "form": "direct"},
    ),
    ("quote", r"The silt will still be there in April", {"speaker": "", "form": "direct"}),
    ("actor", r"[Hh]arbour board", {"actor": "Harbour Board", "actor_type": "organisation"}),
    ("actor", r"Tomas Brek", {"actor": "Tomas Brek", "actor_type": "person"}),
    ("claim", r"the silt has cut their catch by a third since spring", {"claimant": "Fishermen"}),
    ("claim", r"(?<=The )(?P<who>union) said the deal", {"claimant": "union"}),
]


def fake_suggest(story: Story, registry: Registry, nlp: object = None) -> list[Suggestion]:
    found = []
    for kind, pattern, fields in RULES:
        for m in re.finditer(pattern, story.text):
            extra: dict[str, Any] = dict(fields)
            if "who" in m.groupdict() and m.group("who"):
                role = "speaker" if kind == "quote" else "claimant"
                extra[f"{role}_start"], extra[f"{role}_end"] = m.span("who")
            if kind == "quote" and extra["speaker"]:
                extra["speaker_type"], extra["cue"] = "person", "said"
            if kind == "actor" and (hit := registry.lookup(fields["actor"]).actor) is not None:
                extra["actor_id"] = hit.id
            found.append(
                Suggestion(kind, m.start(), m.end(), m.group(0), 0.9 if kind != "claim" else 0.5, "t", **extra)
            )
    return sorted(found, key=lambda s: (s.start, -s.end))


@pytest.fixture
def library(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    """A library of two stories (harbour, ferry) and the stand-in suggester; (data dir, their ids)."""
    monkeypatch.setattr(suggest_pkg, "suggest", fake_suggest)
    (tmp_path / "harbour.txt").write_text(HARBOUR, "utf-8")
    (tmp_path / "ferry.txt").write_text(FERRY, "utf-8")
    return data_dir, import_one(data_dir, tmp_path / "harbour.txt"), import_one(data_dir, tmp_path / "ferry.txt")


def ok(data_dir: Path, *args: str) -> str:
    result = run(data_dir, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def jsonl(data_dir: Path, *args: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ok(data_dir, "suggest", *args, "--format", "jsonl").splitlines()]


def usage_error(data_dir: Path, *args: str) -> str:
    result = run(data_dir, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()[-1]


# --- listing -----------------------------------------------------------------------------------------------


def test_jsonl_gives_one_suggestion_a_line_with_the_fields_of_its_kind(library: tuple[Path, str, str]) -> None:
    data_dir, harbour, _ = library
    rows = jsonl(data_dir, harbour[:6])
    assert [r["kind"] for r in rows] == ["actor", "actor", "quote", "actor", "quote", "claim"]
    text = Store(data_dir, read_only=True).story(harbour).text
    for r in rows:
        assert r["story"] == harbour and r["source"] == "harbour.txt"
        assert text[r["start"] : r["end"]] == r["exact"] and 0 <= r["score"] <= 1
    quote = rows[2]
    assert quote["exact"] == "We need another month" and quote["form"] == "direct" and quote["cue"] == "said"
    assert quote["speaker"] == "Tomas Brek"
    assert text[quote["speaker_start"] : quote["speaker_end"]] == "Tomas Brek"
    assert rows[4]["speaker"] is None and rows[4]["speaker_start"] is None  # no confident speaker: it says so
    assert (rows[0]["actor"], rows[0]["actor_type"]) == ("Harbour Board", "organisation")
    assert rows[5]["claimant"] == "Fishermen" and "speaker" not in rows[5] and "speaker" not in rows[0]
    assert "actor" not in rows[2] | rows[5] and "claimant" not in rows[0] | rows[2]


def test_json_is_one_array_of_the_same_records(library: tuple[Path, str, str]) -> None:
    data_dir, harbour, ferry = library
    assert json.loads(ok(data_dir, "suggest", harbour, ferry, "--format", "json")) == jsonl(data_dir, harbour, ferry)


def test_kind_and_min_score_narrow_the_list(library: tuple[Path, str, str]) -> None:
    data_dir, harbour, ferry = library
    assert {r["kind"] for r in jsonl(data_dir, "--all", "--kind", "claim")} == {"claim"}
    assert {r["kind"] for r in jsonl(data_dir, "--all", "--kind", "claim", "--kind", "quote")} == {"claim", "quote"}
    assert {r["kind"] for r in jsonl(data_dir, harbour, ferry, "--min-score", "0.8")} == {"actor", "quote"}
    assert jsonl(data_dir, "--all", "--min-score", "1") == []


def test_all_covers_every_story_with_one_registry(
    library: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, harbour, ferry = library
    made: list[int] = []
    original = Registry.of.__func__  # type: ignore[attr-defined]  # a classmethod, wrapped to count calls

    def counted(cls: type[Registry], store: Store) -> Registry:
        made.append(1)
        return original(cls, store)  # type: ignore[no-any-return]

    monkeypatch.setattr(Registry, "of", classmethod(counted))
    assert {r["story"] for r in jsonl(data_dir, "--all")} == {harbour, ferry}
    assert len(made) == 1


def test_the_table_fits_80_columns_and_keeps_rows_whole_in_a_pipe(library: tuple[Path, str, str]) -> None:
    from rich.cells import cell_len

    from tui.cli.suggest import table_lines

    data_dir, harbour, _ = library
    out = ok(data_dir, "suggest", harbour)
    lines = out.splitlines()
    assert lines[0].split() == ["Story", "Kind", "Score", "Who", "Text"]
    assert len(lines) == 1 + 6 and all(line.startswith(harbour[:8]) for line in lines[1:])  # one line each
    assert "Tomas Brek" in out and "Harbour Board (organisation)" in out
    assert "We need another month" in out and max(len(line) for line in lines) <= 160
    records = jsonl(data_dir, harbour)
    wide = [*records, {**records[0], "exact": "東京で記者団に語った" * 10, "actor": "東京" * 100}]
    at_80 = list(table_lines(wide, 80))
    assert len(at_80) == 1 + 7 and max(cell_len(line) for line in at_80) <= 80
    assert at_80[-1].endswith("…") and "東…" in at_80[-1]
    quote_line = next(line for line in at_80 if "We need" in line)
    column = cell_len(quote_line[: quote_line.index("We need")])
    for line, r in zip(at_80[1:], wide, strict=True):  # the Text column lines up, wide characters or not
        assert any(cell_len(line[:i]) == column and line[i:].startswith(r["exact"][:3]) for i in range(len(line)))


def test_nothing_pending_says_so(library: tuple[Path, str, str]) -> None:
    data_dir, _, ferry = library
    assert ok(data_dir, "suggest", ferry, "--kind", "quote") == "No suggestions pending.\n"


def test_tagged_and_rejected_suggestions_are_not_listed(library: tuple[Path, str, str]) -> None:
    data_dir, harbour, ferry = library
    ok(data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another")  # overlaps the suggestion
    with Store(data_dir) as store:
        story = store.story(ferry)
        [union] = [s for s in fake_suggest(story, Registry.of(store)) if s.kind == "claim"]
        reject(History(store), story, [union])
    assert "We need another month" not in {r["exact"] for r in jsonl(data_dir, harbour)}
    assert jsonl(data_dir, ferry, "--kind", "claim") == []


# --- accepting ---------------------------------------------------------------------------------------------


def test_accept_stores_them_and_twice_adds_nothing(library: tuple[Path, str, str]) -> None:
    data_dir = library[0]
    first = run(data_dir, "suggest", "--all", "--accept")
    assert first.exit_code == 0, first.output
    summary = first.stdout.splitlines()[-1]
    assert summary == "stored 7 annotations (2 quotes, 3 actors, 2 claims) in 2 stories; 4 new registry entries"
    with Store(data_dir, read_only=True) as store:
        anns = store.annotations()
        assert len(anns) == 7 and {a.annotator for a in anns} == {"wiredesk-suggest"}
        brek = next(a for a in store.actors() if a.name == "Tomas Brek")
        assert {a.speaker for a in anns if a.exact == "We need another month"} == {brek.id}
        assert {a.actor for a in anns if a.exact == "Tomas Brek"} == {brek.id}  # one entry for the name
    again = run(data_dir, "suggest", "--all", "--accept")
    assert again.exit_code == 0 and again.stdout == "stored 0 annotations\n"
    assert jsonl(data_dir, "--all") == []
    with Store(data_dir, read_only=True) as store:
        assert len(store.annotations()) == 7


def test_accept_skips_what_is_tagged_and_prints_what_it_stored(library: tuple[Path, str, str]) -> None:
    data_dir, harbour, _ = library
    ok(
        data_dir,
        "annotate",
        harbour,
        "--kind",
        "claim",
        "--text",
        "the silt has cut their catch by a third since spring",
    )
    result = run(data_dir, "suggest", harbour, "--accept", "--kind", "claim", "--format", "jsonl")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.strip() == "stored 0 annotations"
    result = run(data_dir, "suggest", harbour, "--accept", "--min-score", "0.9", "--format", "jsonl")
    stored = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["kind"] for r in stored] == ["actor", "actor", "quote", "actor", "quote"]
    assert result.stderr.startswith("stored 5 annotations (2 quotes, 3 actors) in 1 story; 2 new registry entries")


def test_the_annotator_comes_from_the_config(library: tuple[Path, str, str], tmp_path: Path) -> None:
    data_dir, _, ferry = library
    path = tmp_path / "config" / "wiredesk" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('suggest_annotator = "desk-bot"\n', "utf-8")
    ok(data_dir, "suggest", ferry, "--accept")
    with Store(data_dir, read_only=True) as store:
        assert {a.annotator for a in store.annotations(ferry)} == {"desk-bot"}


# --- refusals ----------------------------------------------------------------------------------------------


def test_story_ids_and_all_are_refused_together_or_missing(library: tuple[Path, str, str]) -> None:
    data_dir, harbour, _ = library
    assert "--all" in usage_error(data_dir, "suggest")
    assert "--all" in usage_error(data_dir, "suggest", harbour, "--all")


@pytest.mark.parametrize(
    "args",
    [["--kind", "rumour"], ["--format", "xml"], ["--min-score", "2"], ["--min-score", "nan"], ["--min-score", "x"]],
)
def test_bad_options_are_usage_errors(library: tuple[Path, str, str], args: list[str]) -> None:
    data_dir, harbour, _ = library
    usage_error(data_dir, "suggest", harbour, *args)


def test_an_unknown_or_ambiguous_id_is_one_line(library: tuple[Path, str, str]) -> None:
    data_dir, harbour, _ = library
    assert_user_error(run(data_dir, "suggest", harbour, "ffffffffff"), "no story with id")
    assert_user_error(run(data_dir, "suggest", ""), "no story id given")


def test_a_library_another_process_writes_is_one_line(library: tuple[Path, str, str]) -> None:
    data_dir, harbour, _ = library
    with Store(data_dir):  # holds the write lock
        assert jsonl(data_dir, harbour)  # listing reads: it works
        assert_user_error(run(data_dir, "suggest", harbour, "--accept"))


def test_a_pipeline_the_config_names_but_that_is_not_installed_is_one_note(
    library: tuple[Path, str, str], tmp_path: Path
) -> None:
    data_dir, _, ferry = library
    path = tmp_path / "config" / "wiredesk" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('nlp_model = "no_such_pipeline_here"\n', "utf-8")
    result = run(data_dir, "suggest", ferry, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()  # the rules still suggest
    (note,) = result.stderr.strip().splitlines()
    assert note.startswith("note: ") and "no_such_pipeline_here" in note and "rules and the registry" in note


def test_the_pipeline_the_config_names_reaches_the_suggester(
    library: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotations.suggest.nlp as nlp_module

    backend = object()
    seen: list[object] = []
    monkeypatch.setattr(nlp_module, "load_backend", lambda name: (backend, "") if name == "my_pipe" else (None, ""))

    def recording(story: Story, registry: Registry, nlp: object = None) -> list[Suggestion]:
        seen.append(nlp)
        return fake_suggest(story, registry)

    monkeypatch.setattr(suggest_pkg, "suggest", recording)
    data_dir, _, ferry = library
    path = tmp_path / "config" / "wiredesk" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('nlp_model = "my_pipe"\n', "utf-8")
    ok(data_dir, "suggest", ferry)
    assert seen == [backend]


def test_jobs_spread_the_work_and_list_the_same_in_the_same_order(
    library: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotations.suggest.batch as batch

    data_dir, _, _ = library
    monkeypatch.setattr(batch, "MIN_PARALLEL", 1)  # two stories are enough to start workers here
    started: list[int] = []
    parallel = batch._parallel
    monkeypatch.setattr(
        batch,
        "_parallel",
        lambda source, read, registry, finish, jobs: (
            started.append(jobs) or parallel(source, read, registry, finish, jobs)
        ),
    )
    one = ok(data_dir, "suggest", "--all", "--format", "jsonl", "--jobs", "1")
    assert not started
    assert ok(data_dir, "suggest", "--all", "--format", "jsonl", "--jobs", "2") == one
    assert started == [2] and len(one.splitlines()) > 4
    assert "--jobs" in usage_error(data_dir, "suggest", "--all", "--jobs", "0")
