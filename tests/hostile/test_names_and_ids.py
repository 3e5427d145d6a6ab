"""Hostile names and annotation ids on the command line and in the library's filter: refused (nothing stored
changes) or folded to one line, always one clean line out, never an escape sequence or bidi control echoed to
the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.library_index import LibraryIndex, parse_filter
from annotations.store import Store
from tests.cli_support import assert_user_error, run
from tests.store_support import snapshot

pytestmark = pytest.mark.usefixtures("plain_terminal")

HOSTILE = [
    "Tomas\x1b[31m Brek",  # a colour escape
    "\x1b]0;owned\x07",  # a title-setting OSC
    "Brek\x1b[2J",  # clear screen
    "\u202eBrek",  # right-to-left override
    "Brek\r\nFAKE: line",  # a second line
    "\x00",
]
UNSAFE = ("\x1b", "\x07", "\u202e", "\x00", "\r")


def assert_clean(text: str) -> None:
    assert not any(c in text for c in UNSAFE), repr(text)


@pytest.fixture
def tagged(data_dir: Path, harbour: str) -> str:
    """The harbour story with a quote by Tomas Brek; its annotation id."""
    result = run(
        data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month", "--speaker", "Tomas Brek"
    )
    assert result.exit_code == 0, result.output
    return result.stdout.split()[2]


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize(
    "command",
    [
        ("quotes", "--speaker", "{}"),
        ("export", "--format", "json", "--actor", "{}"),
        ("actor", "{}"),
        ("actor", "Tomas Brek", "--merge-into", "{}"),
        ("edit", "{id}", "--speaker", "{}"),
    ],
)
def test_a_hostile_name_is_one_clean_line_and_changes_nothing(
    data_dir: Path, tagged: str, name: str, command: tuple[str, ...]
) -> None:
    before = snapshot(data_dir)
    args = [a.replace("{id}", tagged).replace("{}", name) if "{" in a else a for a in command]
    result = run(data_dir, *args)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert_clean(result.output)
    if result.exit_code == 1:
        assert_user_error(result)
    if result.exit_code == 1 or command[0] != "edit":  # refused, or only read: nothing changed
        assert snapshot(data_dir) == before
    else:  # a line break in a name is folded to a space: a one-line name, made or looked up
        assert "\n" in name


@pytest.mark.parametrize("ref", ["\x1b[2J1234", "abcd\x1b]0;x\x07", "\u202e12345678", "../../etc/passwd", "1" * 5000])
def test_a_hostile_annotation_id_is_one_clean_line(data_dir: Path, tagged: str, ref: str) -> None:
    before = snapshot(data_dir)
    for args in (("edit", ref, "--note", "x"), ("delete", ref), ("delete", tagged, ref)):
        result = run(data_dir, *args)
        line = assert_user_error(result)
        assert_clean(line)
        assert len(line) < 6000
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_filter_name_is_reported_clean(data_dir: Path, tagged: str, name: str) -> None:
    with Store(data_dir, read_only=True) as store:
        index = LibraryIndex(store)
        selection = index.select(parse_filter(f'quoting:"{name}" actor:{name.split()[0] if name.split() else "x"}'))
    for text in (*selection.errors, *selection.notes):
        assert_clean(text)


#: Bidi controls and invisible characters typed into a name (issue 11 §2), and the name stored for each.
INVISIBLE_NAMES = {
    "Mal\u202elory": "Mallory",  # a right-to-left override
    "\u2066Ana\u2069 Lu\u200b\ufeff": "Ana Lu",  # an isolate, a zero-width space, a BOM
    "Ivo\U000e0041 Dane\u3164\u2061": "Ivo Dane",  # a tag character, a Hangul filler, an invisible operator
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\u061c": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
}
BIDI_AND_INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\u2061\u061c\ufeff\u3164"


@pytest.mark.parametrize(("typed", "stored"), INVISIBLE_NAMES.items(), ids=["rlo", "isolate", "tag", "persian"])
def test_bidi_controls_and_invisible_characters_are_dropped_from_registry_names(
    data_dir: Path, harbour: str, typed: str, stored: str
) -> None:
    """`annotate --speaker`, `actor --alias` and `actor --rename` store the name as an import would clean it (a
    Persian word keeps its zero-width non-joiner)."""
    said = run(data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month", "--speaker", typed)
    assert said.exit_code == 0, said.output
    assert run(data_dir, "actor", stored, "--alias", f"{typed} \u202bSr").exit_code == 0
    assert run(data_dir, "actor", stored, "--rename", f"{typed}\u200b Jr").exit_code == 0
    with Store(data_dir, read_only=True) as store:
        [actor] = store.actors()
    assert (actor.name, actor.aliases) == (f"{stored} Jr", (f"{stored} Sr", stored))
    assert not set("".join(actor.names)) & set(BIDI_AND_INVISIBLE)
