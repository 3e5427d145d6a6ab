"""One lookup: `quotes --speaker NAME`, `export --actor NAME` and the library's `quoting:NAME` filter find the
same actors for the same names — exact, alias, accent-folded, id prefix, surname alone, a shared first name —
and none of them takes a near miss (each asks "did you mean" the same entry)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.actors import Actor
from annotations.history import History
from annotations.library_index import LibraryIndex, parse_filter
from annotations.store import Store
from tests.cli_support import run
from tests.store_support import make_story, tag_text

pytestmark = pytest.mark.usefixtures("plain_terminal")

FERRIES = make_story(
    "Deputy Mayor Ingrid Solberg said the cuts have “no real basis”.",
    "Opposition member Karl Ek said the plan was “rushed and unfair”.",
    headline="Nordvik council rejects ferry cuts",
)
CARACAS = make_story(
    "“We are ready for dialogue,” President Nicolás Maduro said on Sunday.",
    "“Quotas stay as they are,” the fisheries ministry said.",
    "“Read the manifesto again,” Karl Marx wrote.",
    headline="Caracas braces for talks",
)
QUOTES = {
    "solberg": (FERRIES, "no real basis"),
    "ek": (FERRIES, "rushed and unfair"),
    "maduro": (CARACAS, "We are ready for dialogue"),
    "ministry": (CARACAS, "Quotas stay as they are"),
    "marx": (CARACAS, "Read the manifesto again"),
}


@pytest.fixture
def library(data_dir: Path) -> dict[str, Actor]:
    """Five speakers, each quoted once."""
    actors = {
        "solberg": Actor.new("Ingrid Solberg", "person"),
        "ek": Actor.new("Karl Ek", "person"),
        "maduro": Actor.new("Nicolás Maduro", "person", aliases=("Nicolas Maduro Moros",)),
        "ministry": Actor.new("Ministry of Fisheries", "government", aliases=("MoF",)),
        "marx": Actor.new("Karl Marx", "person"),
    }
    with Store(data_dir) as store:
        store.add_stories([FERRIES, CARACAS])
        history = History(store)
        for key, actor in actors.items():
            story, text = QUOTES[key]
            history.add(tag_text(story, text).edited(speaker=actor.id), new_actors=(actor,))
    return actors


def quotes_found(data_dir: Path, name: str) -> tuple[set[str], str]:
    """(speaker ids of the quotes listed, the error line)."""
    result = run(data_dir, "quotes", "--speaker", name, "--format", "json")
    if result.exit_code:
        assert result.exit_code == 1 and "Traceback" not in result.output
        return set(), result.stderr.strip()
    return {row["speaker_id"] for row in json.loads(result.stdout)}, ""


def export_found(data_dir: Path, name: str, actors: dict[str, Actor]) -> tuple[set[str], str]:
    """(ids of the speakers of the annotations exported, the error line)."""
    result = run(data_dir, "export", "--format", "jsonl", "--actor", name)
    if result.exit_code:
        assert result.exit_code == 1 and "Traceback" not in result.output
        return set(), result.stderr.strip()
    by_name = {a.name: a.id for a in actors.values()}
    return {by_name[json.loads(line)["speaker_name"]] for line in result.stdout.splitlines()}, ""


def filter_found(data_dir: Path, name: str, actors: dict[str, Actor]) -> tuple[set[str], str]:
    """(ids of the speakers the library's filter resolves the name to, the filter's error)."""
    with Store(data_dir, read_only=True) as store:
        index = LibraryIndex(store)
        selection = index.select(parse_filter(f'quoting:"{name}"'))
        found = {a.id for a in index.resolve(name)}
        stories = {QUOTES[k][0].id for k, a in actors.items() if a.id in found}
        assert selection.only == stories  # the stories shown are those quoting what the name resolved to
        return found, "; ".join(selection.errors)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Karl Ek", {"ek"}),  # exact
        ("MoF", {"ministry"}),  # alias
        ("nicolas MADURO", {"maduro"}),  # accents and case folded
        ("Nicolas Maduro Moros", {"maduro"}),  # alias, accent-folded
        ("ID:ek", {"ek"}),  # an id prefix
        ("Solberg", {"solberg"}),  # a surname alone
        ("fisheries", {"ministry"}),  # a whole word of an organisation's name
    ],
)
def test_a_name_finds_the_same_actor_everywhere(
    data_dir: Path, library: dict[str, Actor], name: str, expected: set[str]
) -> None:
    if name.startswith("ID:"):
        name = library[name[3:]].id[:8]
    wanted = {library[k].id for k in expected}
    assert quotes_found(data_dir, name) == (wanted, "")
    assert export_found(data_dir, name, library) == (wanted, "")
    assert filter_found(data_dir, name, library) == (wanted, "")


def test_a_near_miss_is_taken_nowhere_and_offered_everywhere(data_dir: Path, library: dict[str, Actor]) -> None:
    for name, meant in (
        ("Solbreg", "Ingrid Solberg"),
        ("Ingrid Solbrg", "Ingrid Solberg"),
        ("Nicolas Madura", "Nicolás Maduro"),
    ):
        quoted, quote_error = quotes_found(data_dir, name)
        exported, export_error = export_found(data_dir, name, library)
        filtered, filter_error = filter_found(data_dir, name, library)
        assert quoted == exported == filtered == set(), name
        for error in (quote_error, export_error, filter_error):
            assert f'did you mean "{meant}"' in error, (name, error)


def test_a_shared_first_name_is_ambiguous_everywhere(data_dir: Path, library: dict[str, Actor]) -> None:
    both = {library["ek"].id, library["marx"].id}
    assert filter_found(data_dir, "Karl", library) == (both, "")  # the filter shows both (and names them)
    for found, error in (quotes_found(data_dir, "Karl"), export_found(data_dir, "Karl", library)):
        assert found == set() and '"Karl" is ambiguous' in error  # a command asks which one
        assert library["ek"].id[:8] in error and library["marx"].id[:8] in error
