"""Hostile queries: control characters, bidi overrides, FTS5 syntax meant to escape the quoting (`NEAR(`, `"`,
`*`, `^`, column filters), lone surrogates, huge input. Never an exception or an SQL error; errors and snippets
are clean lines; what is found is what the plain scan finds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.search import SearchIndex, find, match_spans, parse_query
from annotations.store import Store
from tests.annotations.search.support import indexed_library, make_library, scanned
from tests.cli_support import run

NASTY = [
    "NEAR(fishing quotas, 2)",
    "fishing NEAR/2 quotas",
    '"',
    '"""',
    'fish"ing',
    '"fishing',
    "*",
    "**fish",
    "fish**",
    "^fishing",
    "body:fishing",
    "headline:harbour",
    "{headline body}:vote",
    "- - -",
    "-",
    "fishing AND quotas",
    "fishing NOT quotas",
    "fishing + quotas",
    "(fishing OR quotas",
    "fishing) OR (quotas",
    "OR OR OR",
    "rowid:1",
    "fts MATCH 'x'",
    "'; DROP TABLE docs; --",
    "\x00fishing",
    "fish\x1b[31ming",
    "\u202efishing\u202c",
    "\u2066quotas\u2069 \u200bharbour",
    "fishing\ud800",
    "quoting:\x1b[2J actor:\u202eevil",
    "since:\x00 until:\u202e2026",
    "é" * 3000,
    "fishing " * 400,
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, SearchIndex]]:
    yield from indexed_library(tmp_path_factory.mktemp("hostile-search") / "lib", 60)


def check(store: Store, index: SearchIndex, text: str) -> None:
    query = parse_query(text)
    found = find(store, index, query, limit=None)
    for line in (*found.errors, *found.notes, query.text):
        assert line == "" or (line.isprintable() and "\x1b" not in line), repr(line)
    assert not any("fts5" in line.lower() or "syntax" in line.lower() for line in (*found.errors, *found.notes))
    assert index.ready  # no query damages or closes the index
    if found.hits is not None:
        assert {h.story_id for h in found.hits} == scanned(store, query)
        for hit in found.hits[:5]:
            assert hit.snippet.isprintable()
    match_spans(query, "fishing quotas \x00 \ud800 harbour")


@pytest.mark.parametrize("text", NASTY)
def test_nasty_queries(library: tuple[Store, SearchIndex], text: str) -> None:
    check(*library, text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('fishng quotas"*^():-+{}NEAROT\x00\x1b\u202e\ud800é ')), max_size=30))
def test_generated_hostile_queries(library: tuple[Store, SearchIndex], text: str) -> None:
    check(*library, text)


def test_the_cli_never_shows_a_traceback(tmp_path: Path) -> None:
    make_library(tmp_path / "lib", 10)
    for text in ["NEAR(a b", '"', "^x", "body:x", "\x1b[2Jfishing", "fish\u202e*"]:
        result = run(tmp_path / "lib", "search", text, "--format", "jsonl")
        assert result.exit_code in (0, 1, 2), result.output  # 2: punctuation alone, nothing to search
        assert "Traceback" not in result.output and "\x1b" not in result.output
