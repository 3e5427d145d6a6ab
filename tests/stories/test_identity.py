"""Wire identity: the same story in another encoding or quote style is the same story, or a version of it
(issue 10 §5). Identity must not depend on curly or straight quotes, dashes, odd spaces or the encoding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stories.formats import anpa, iptc7901, plaintext
from stories.text import identity_key
from tests.cli_support import run

DATED = (
    "Port “reopens” after strike\r\n\r\n"
    "PORTVALE, May 2 (Reuters) - The port reopened on Friday after a two-week strike, the operator said.\r\n\r\n"
    "“Ships can come in again,” harbour master Ivo Dane said.\r\n"
)
UNDATED = (
    "Café owners “stunned” by rent rise\r\n\r\n"
    "The owner of the Café Lumière said the new rent was “impossible” – and blamed the landlord’s agent.\r\n\r\n"
    "Señor Núñez, who runs the bar next door, said he would close in June.\r\n"
)


def _straighten_one(text: str) -> str:
    """The same copy with its first curly quote mark straight, as a cp1252 copy typed elsewhere may have it."""
    i = min(i for i in (text.find("“"), text.find("’")) if i >= 0)
    return text[:i] + ('"' if text[i] == "“" else "'") + text[i + 1 :]


@pytest.mark.parametrize("raw", [DATED, UNDATED], ids=["agency-and-date", "no-agency-no-date"])
def test_a_cp1252_copy_differing_by_one_curly_quote_is_a_version_of_the_utf16_one(
    data_dir: Path, tmp_path: Path, raw: str
) -> None:
    utf16 = tmp_path / "story-utf16.txt"
    utf16.write_bytes(raw.encode("utf-16"))
    cp1252 = tmp_path / "story-cp1252.txt"
    cp1252.write_bytes(_straighten_one(raw).encode("cp1252"))
    assert run(data_dir, "import", str(utf16)).exit_code == 0
    second = run(data_dir, "import", str(cp1252))
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith("version "), second.stdout  # linked, not a second unrelated story
    listed = json.loads(run(data_dir, "list", "--format", "json").stdout)
    assert len(listed) == 1 and listed[0]["versions"] == 2
    everything = json.loads(run(data_dir, "list", "--all-versions", "--format", "json").stdout)
    assert len({entry["wire_id"] for entry in everything}) == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"])
def test_the_same_copy_in_any_encoding_is_the_same_story(encoding: str) -> None:
    data = UNDATED.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    [story] = plaintext.parse(data, "x.txt")
    [reference] = plaintext.parse(UNDATED.encode("utf-8"), "x.txt")
    assert story.id == reference.id and story.meta.wire_id == reference.meta.wire_id is not None


def test_identity_key_folds_quotes_dashes_spaces_and_case_only() -> None:
    assert identity_key("Port “Reopens” — after\u00a0strike…") == identity_key('port "reopens" - after strike...')
    assert identity_key("Russia’s ‘deep concern’") == identity_key("Russia's 'deep concern'")
    assert identity_key("Port reopens") != identity_key("Port reopened")
    assert identity_key("Café") != identity_key("Cafe")  # an accent is a spelling, not an encoding artefact


def test_plain_text_without_agency_or_date_still_has_an_identity_from_its_headline_and_lede() -> None:
    [a] = plaintext.parse(UNDATED, "a.txt")
    [b] = plaintext.parse(_straighten_one(UNDATED), "b.txt")
    [other] = plaintext.parse(UNDATED.replace("impossible", "unfair"), "c.txt")
    assert a.id != b.id and a.meta.wire_id == b.meta.wire_id is not None
    assert other.meta.wire_id != a.meta.wire_id  # another lede: another story


def test_anpa_and_iptc_identities_ignore_quote_style() -> None:
    assert anpa._wire_id({"slug": "BC-Port “Strike”", "filed": "05-02"}) == anpa._wire_id(
        {"slug": 'BC-Port "Strike"', "filed": "05-02"}
    )
    assert iptc7901._wire_id("port", "Port “reopens”", "2026-05-02") == iptc7901._wire_id(
        "port", 'Port "reopens"', "2026-05-02"
    )
