"""Identity, duplicates and versions, through the CLI: the same story twice changes nothing; a story that comes
again with the same wire identity but other text is a new version, listed once (the newest) with a [vN] marker,
while the old version stays readable with its annotations.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli_support import run, show_json, stories
from tests.conftest import FIXTURES
from tests.store_support import snapshot

pytestmark = pytest.mark.usefixtures("plain_terminal")

NAR = "http://iptc.org/std/nar/2006-10-01/"
FIRST = [
    "Harbour pilots ended a two-week overtime ban on Friday after agreeing a new rota with the port.",
    "“The ships can come in at night again,” pilots' spokesman Ivo Dane said.",
]
LATER = [
    FIRST[0],
    "“The ships can come in at night again,” pilots' spokesman Ivo Dane said on Saturday.",
    "The port said the first night arrivals since May were expected on Sunday.",
]
QUOTE, ACTOR = "The ships can come in at night again", "Ivo Dane"


# --- one story, two versions, in each format with a wire identity ------------------------------------------------


def _newsml(version: int, headline: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="{NAR}" guid="urn:newsml:test.example:20260601:pilots" version="{version}" standard="NewsML-G2">
  <itemMeta><itemClass qcode="ninat:text"/><provider literal="Test Wire"/>
    <versionCreated>2026-06-01T1{version}:00:00Z</versionCreated></itemMeta>
  <contentMeta><headline>{headline}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>
  </inlineXML></contentSet>
</newsItem>
""".encode()


def _ninjs(version: int, headline: str, paragraphs: list[str]) -> bytes:
    item = {
        "uri": "urn:test:ninjs:2026:pilots",
        "version": str(version),
        "versioncreated": f"2026-06-01T1{version}:00:00Z",
        "headline": headline,
        "body_text": "\n\n".join(paragraphs),
    }
    return json.dumps(item, ensure_ascii=False, indent=2).encode()


def _rss(version: int, headline: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test Wire</title><link>https://wire.example.invalid/</link>
  <item><title>{headline}</title><guid isPermaLink="false">pilots-2026-06-01</guid>
    <pubDate>Mon, 01 Jun 2026 1{version}:00:00 +0000</pubDate>
    <description><![CDATA[{body}]]></description></item>
</channel></rss>
""".encode()


def _text(version: int, headline: str, paragraphs: list[str]) -> bytes:
    """Reuters layout: identity is agency + headline + dateline date; "UPDATE 1-" is version information."""
    tag = "UPDATE 1-" if version > 1 else ""
    first, *rest = paragraphs
    return "\n\n".join([f"{tag}{headline}", f"PORTVALE, June 1 (Reuters) - {first}", *rest]).encode() + b"\n"


def _anpa(version: int, headline: str, paragraphs: list[str]) -> bytes:
    """ANPA-1312: identity is slug + filing date; a "1stLd-Writethru" is version 2."""
    lead = " 1stLd-Writethru" if version > 1 else ""
    first, *rest = paragraphs
    out = f"\x16\x16\x01a01{version}2\x1fAPR\r\nr a\x13\x11BC-Pilots-Ban{lead} 06-01 0120\r\n"
    out += (
        f"\x02\x02BC-Pilots-Ban,{lead.strip()}0120<\r\n^{headline}<\r\n^By IVY MARSH=\r\n^Associated Press Writer=\r\n"
    )
    out += f"\tPORTVALE, Maine (AP) _ {first}\r\n" + "".join(f"\t{p}\r\n" for p in rest)
    out += f"\x03AP-NE-06-01-26 1{version}05GMT<\r\n\x04"
    return out.encode("cp1252")


@dataclass(frozen=True)
class Versions:
    make: Callable[[int, str, list[str]], bytes]
    suffix: str
    headlines: tuple[str, str]  # of version 1 and version 2
    wire_id: str


VERSIONS = {
    "newsml": Versions(
        _newsml, "xml", ("Pilots end overtime ban", "Pilots end ban, night arrivals resume"), "newsml:urn:newsml:"
    ),
    "ninjs": Versions(_ninjs, "json", ("Pilots end overtime ban", "Night arrivals resume as pilots end ban"), "ninjs:"),
    "feed": Versions(_rss, "xml", ("Pilots end overtime ban", "Pilots end ban; ships due on Sunday"), "feed:"),
    "text": Versions(_text, "txt", ("Pilots end overtime ban", "Pilots end overtime ban"), "text:Reuters|"),
    "anpa": Versions(_anpa, "txt", ("Harbor pilots end overtime ban", "Night ships due as pilots end ban"), "anpa:"),
}


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _listed(data_dir: Path, *flags: str) -> list[dict]:
    result = run(data_dir, "list", "--format", "json", *flags)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _table(data_dir: Path, *flags: str) -> list[str]:
    result = run(data_dir, "list", *flags)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[1:]  # without the header


def _annotate(data_dir: Path, story_id: str, kind: str, text: str) -> None:
    result = run(data_dir, "annotate", story_id, "--kind", kind, "--text", text)
    assert result.exit_code == 0, result.output


# --- duplicates -------------------------------------------------------------------------------------------------


def test_the_same_file_twice_is_already_in_the_library(data_dir: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "in" / "pilots.txt", _text(1, "Pilots end overtime ban", FIRST))
    first = run(data_dir, "import", str(path))
    assert first.exit_code == 0, first.output
    (entry,) = stories(data_dir)
    _annotate(data_dir, entry["id"], "quote", QUOTE)
    before = snapshot(data_dir)

    again = run(data_dir, "import", str(path))
    assert again.exit_code == 0, again.output
    assert again.stderr == ""
    line, summary = again.stdout.splitlines()
    assert line == f"skipped   {entry['short_id']}  {path}: Pilots end overtime ban (already in library)"
    assert summary.startswith("0 imported, 1 already in library, 0 new version(s), 0 failed")
    assert snapshot(data_dir) == before
    assert stories(data_dir) == [{**entry, "counts": {"quote": 1, "actor": 0, "claim": 0}}]


def test_the_same_story_under_another_name_is_already_in_the_library(data_dir: Path, tmp_path: Path) -> None:
    """A story's identity is its text, not its file: a copy elsewhere is the same story."""
    data = _newsml(1, "Pilots end overtime ban", FIRST)
    one = _write(tmp_path / "in" / "pilots.xml", data)
    copy = _write(tmp_path / "elsewhere" / "copy-of-pilots.xml", data)
    assert run(data_dir, "import", str(one)).exit_code == 0
    before = snapshot(data_dir)
    again = run(data_dir, "import", str(copy))
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0].startswith("skipped   ")
    assert again.stdout.splitlines()[0].endswith("(already in library)")
    assert snapshot(data_dir) == before
    assert len(stories(data_dir)) == 1


def test_reimporting_a_folder_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    for name, spec in VERSIONS.items():
        _write(folder / f"{name}.{spec.suffix}", spec.make(1, spec.headlines[0], [*FIRST, f"Filed as {name}."]))
    _write(folder / "sub" / "library.txt", b"Library opens on Sundays\n\nThe library will open on Sundays.\n")
    _write(folder / "sub" / "ferry-two-versions.txt", (FIXTURES / "anpa" / "ferry-delay-two-versions.txt").read_bytes())
    count = len(VERSIONS) + 1 + 2

    first = run(data_dir, "import", str(folder))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1].startswith(f"{count - 1} imported, 0 already in library, 1 new version(s)")
    before = snapshot(data_dir)
    listed = _listed(data_dir, "--all-versions")
    assert len(listed) == count

    again = run(data_dir, "import", str(folder))
    assert again.exit_code == 0, again.output
    lines = again.stdout.splitlines()
    assert lines[-1].startswith(f"0 imported, {count} already in library, 0 new version(s), 0 failed")
    assert len(lines) == count + 1
    assert all(line.startswith("skipped   ") and line.endswith("(already in library)") for line in lines[:-1])
    assert snapshot(data_dir) == before
    assert _listed(data_dir, "--all-versions") == listed


# --- versions ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(VERSIONS))
def test_a_story_that_comes_again_is_a_new_version(data_dir: Path, tmp_path: Path, fmt: str) -> None:
    spec = VERSIONS[fmt]
    old_headline, new_headline = spec.headlines
    v1 = _write(tmp_path / "in" / f"pilots-1.{spec.suffix}", spec.make(1, old_headline, FIRST))
    v2 = _write(tmp_path / "in" / f"pilots-2.{spec.suffix}", spec.make(2, new_headline, LATER))

    assert run(data_dir, "import", str(v1)).exit_code == 0
    (old,) = _listed(data_dir)
    assert old["format"] == fmt and old["wire_id"].startswith(spec.wire_id)
    assert (old["version"], old["versions"]) == (1, 1)
    _annotate(data_dir, old["id"], "quote", QUOTE)
    _annotate(data_dir, old["id"], "actor", ACTOR)
    old_story = show_json(data_dir, old["id"])
    assert len(old_story["annotations"]) == 2
    assert not any(line.startswith(old["short_id"]) and "[v" in line for line in _table(data_dir))

    result = run(data_dir, "import", str(v2))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    (line, carried, summary) = result.stdout.splitlines()
    assert line.startswith("version   ") and line.endswith(
        f"{v2}: {new_headline} (a new version of a story in the library)"
    )
    assert carried == "          2 of 2 annotations carried (see `wiredesk review`)"  # the quote and the actor
    assert summary.startswith("0 imported, 0 already in library, 1 new version(s), 0 failed")

    # the list: only the newest, marked; with --all-versions both
    (new,) = _listed(data_dir)
    assert new["id"] != old["id"] and new["wire_id"] == old["wire_id"]
    assert (new["version"], new["versions"], new["headline"]) == (2, 2, new_headline)
    assert new["counts"] == {"quote": 1, "actor": 1, "claim": 0}  # carried from version 1
    assert line.split()[1] == new["short_id"]
    rows = _table(data_dir)
    assert len(rows) == 1 and rows[0].startswith(new["short_id"])
    assert f"[v2] {new_headline}" in rows[0]
    both = {entry["id"]: entry for entry in _listed(data_dir, "--all-versions")}
    assert set(both) == {old["id"], new["id"]}
    assert (both[old["id"]]["version"], both[old["id"]]["versions"]) == (1, 2)
    assert (both[new["id"]]["version"], both[new["id"]]["versions"]) == (2, 2)
    assert both[old["id"]]["counts"] == {"quote": 1, "actor": 1, "claim": 0}
    rows = _table(data_dir, "--all-versions")
    assert len(rows) == 2
    assert any(r.startswith(old["short_id"]) and f"[v1] {old_headline}" in r for r in rows), rows
    assert any(r.startswith(new["short_id"]) and f"[v2] {new_headline}" in r for r in rows), rows

    # the old version is still whole: its text, and its annotations on it
    assert show_json(data_dir, old["id"]) == old_story
    shown = run(data_dir, "show", old["short_id"])
    assert shown.exit_code == 0, shown.output
    assert old_headline in shown.stdout and "Ivo Dane said." in shown.stdout and "Sunday" not in shown.stdout
    new_story = show_json(data_dir, new["id"])
    assert "first night arrivals since May" in new_story["text"]
    carried = {a["exact"]: a for a in new_story["annotations"]}
    assert set(carried) == {QUOTE, ACTOR}
    assert {a["carried"]["origin"] for a in carried.values()} == {a["id"] for a in old_story["annotations"]}

    # annotating the new version leaves the old one's annotations alone
    _annotate(data_dir, new["id"], "claim", "the first night arrivals since May were expected on Sunday")
    assert show_json(data_dir, old["id"]) == old_story
    new_story = show_json(data_dir, new["id"])
    assert sorted(a["kind"] for a in new_story["annotations"]) == ["actor", "claim", "quote"]
    assert all(a["story_id"] == new["id"] for a in new_story["annotations"])
    assert _listed(data_dir)[0]["counts"] == {"quote": 1, "actor": 1, "claim": 1}

    # and the same version once more changes nothing
    before = snapshot(data_dir)
    again = run(data_dir, "import", str(v1), str(v2))
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1].startswith("0 imported, 2 already in library, 0 new version(s)")
    assert snapshot(data_dir) == before


def test_two_versions_in_one_file(data_dir: Path) -> None:
    """An ANPA transmission holding the original and its first lead: one imported, one a version of it."""
    path = FIXTURES / "anpa" / "ferry-delay-two-versions.txt"
    result = run(data_dir, "import", str(path))
    assert result.exit_code == 0, result.output
    first, second, summary = result.stdout.splitlines()
    assert first.startswith("imported  ") and first.endswith(": Fog delays island ferries")
    assert second.startswith("version   ") and "Fog clears, island ferries run again" in second
    assert summary.startswith("1 imported, 0 already in library, 1 new version(s), 0 failed")
    (newest,) = _listed(data_dir)
    assert (newest["headline"], newest["version"], newest["versions"]) == ("Fog clears, island ferries run again", 2, 2)
    assert len(_listed(data_dir, "--all-versions")) == 2


def test_stories_without_a_wire_identity_are_never_versions(data_dir: Path, tmp_path: Path) -> None:
    """Plain text with no agency or date is known by headline and lede: the same headline over another lede is
    another story."""
    one = _write(tmp_path / "one.txt", b"Library opens on Sundays\n\nThe library will open on Sundays.\n")
    two = _write(tmp_path / "two.txt", b"Library opens on Sundays\n\nThe library will open on Sundays from May.\n")
    result = run(data_dir, "import", str(one), str(two))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("2 imported, 0 already in library, 0 new version(s)")
    listed = _listed(data_dir)
    assert len(listed) == 2 and all(e["versions"] == 1 for e in listed)
    assert listed[0]["wire_id"] != listed[1]["wire_id"]
    assert not any("[v" in row for row in _table(data_dir))
