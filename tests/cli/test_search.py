"""`wiredesk search`: the stories a query finds (table, json, jsonl), the same as a plain scan; the index built
on first use with a progress line, kept up by imports, rebuilt by `doctor --repair`; bad queries in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.search import parse_query
from annotations.search.index import INDEX_FILE
from annotations.store import Store
from tests.annotations.search.support import make_library, scanned
from tests.cli_support import HARBOUR, assert_user_error, run

pytestmark = pytest.mark.usefixtures("plain_terminal")


@pytest.fixture
def lib(data_dir: Path) -> Path:
    make_library(data_dir, 120)
    return data_dir


def search_json(lib: Path, *args: str) -> list[dict]:
    result = run(lib, "search", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_acceptance_the_search_gives_what_a_plain_scan_gives(lib: Path) -> None:
    query = '"fishing quotas" -Norway'
    first = run(lib, "search", query, "--format", "json")
    assert first.exit_code == 0, first.output
    assert "search index: indexing 120 stories" in first.stderr
    found = json.loads(first.stdout)
    with Store(lib) as store:
        expected = scanned(store, parse_query(query))
    assert expected and {r["id"] for r in found} == expected
    assert all(set(r) == {"id", "headline", "date", "score", "snippet"} for r in found)
    scores = [r["score"] for r in found]
    assert scores == sorted(scores, reverse=True)
    assert all("fishing" in r["snippet"].lower() or "quotas" in r["snippet"].lower() for r in found)
    again = run(lib, "search", query, "--format", "json")
    assert again.exit_code == 0 and again.stderr == "" and json.loads(again.stdout) == found


def test_words_given_apart_and_a_leading_minus(lib: Path) -> None:
    assert search_json(lib, "fishing", "quotas", "-Norway") == search_json(lib, '"fishing" quotas -norway')


def test_table_and_jsonl(lib: Path) -> None:
    table = run(lib, "search", "harbour", "--limit", "2")
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "Date", "Match", "Headline", "/", "snippet"]
    assert lines[1].split()[2] == "100%"  # the best hit; the others as a share of its BM25 score
    assert sum(1 for line in lines if line[:8].strip()) == 3  # the header and two stories
    assert "harbour" in table.stdout.lower()
    jsonl = run(lib, "search", "harbour", "--format", "jsonl")
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert records == search_json(lib, "harbour")
    assert len(records) > 2


def test_tokens_alone_list_stories_unranked(lib: Path) -> None:
    found = search_json(lib, "agency:AP")
    with Store(lib) as store:
        expected = {sid for sid in store.story_ids if store.story_meta(sid).agency == "AP"}
    assert {r["id"] for r in found} == expected
    assert all(r["score"] is None and r["snippet"] == "" for r in found)
    assert not (lib / INDEX_FILE).exists()  # nothing to search in bodies: no index needed


def test_nothing_found(lib: Path) -> None:
    result = run(lib, "search", "zebra")
    assert result.exit_code == 0 and "no story found" in result.stdout
    assert search_json(lib, "zebra") == []


def test_bad_queries_are_one_line_errors(lib: Path) -> None:
    assert_user_error(run(lib, "search", "since:yesterday"), "since:yesterday?")
    assert_user_error(run(lib, "search", "quoting:Nobody fishing"), "quoting:Nobody: no such actor")
    assert_user_error(run(lib, "search", "agency:Nowhere"), "agency:Nowhere")
    assert run(lib, "search").exit_code == 2
    assert run(lib, "search", "  ").exit_code == 2
    assert run(lib, "search", "x", "--limit", "0").exit_code == 2


def test_an_import_keeps_the_index_up(lib: Path, tmp_path: Path) -> None:
    search_json(lib, "fishing")  # builds the index
    wire = tmp_path / "harbour.txt"
    wire.write_text(HARBOUR, "utf-8")
    assert run(lib, "import", str(wire)).exit_code == 0
    result = run(lib, "search", "dredging", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""  # no catching up: the import indexed it
    assert [r["headline"] for r in json.loads(result.stdout)] == ["Harbour board delays dredging vote"]


def test_doctor_repair_rebuilds_the_index(lib: Path) -> None:
    assert "search index: none yet" in run(lib, "doctor", "--repair").stdout
    assert not (lib / INDEX_FILE).exists()
    search_json(lib, "fishing")
    (lib / INDEX_FILE).write_bytes(b"garbage")
    result = run(lib, "doctor", "--repair")
    assert result.exit_code == 0, result.output
    assert "search index: rebuilt (120 stories" in result.stdout
    again = run(lib, "search", "fishing", "--format", "json")
    assert again.exit_code == 0 and again.stderr == ""


def test_an_index_path_taken_by_a_folder_is_a_one_line_error(lib: Path) -> None:
    (lib / INDEX_FILE).mkdir()
    line = assert_user_error(run(lib, "search", "fishing"), "is a folder", "never replaced")
    assert INDEX_FILE in line
    assert (lib / INDEX_FILE).is_dir()
    assert run(lib, "search", "agency:AP").exit_code == 0  # tokens alone need no index
