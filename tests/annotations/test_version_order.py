"""Versions are ordered by the wire's own signals (UPDATE n, NewsML-G2 / ninjs version numbers), then by their
date, then by arrival; the library numbers them 1..n in that order, so "version 4 of 2" can never show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.store.entry import entry_of, version_order
from stories.model import StoryMeta
from tests.cli_support import run
from tests.version_chain import write_versions

pytestmark = pytest.mark.usefixtures("plain_terminal")

NAR = "http://iptc.org/std/nar/2006-10-01/"


def _import(data_dir: Path, *paths: Path) -> None:
    for path in paths:  # one at a time: the order they arrive in
        result = run(data_dir, "import", str(path))
        assert result.exit_code == 0, result.output


def _versions(data_dir: Path) -> dict[str, tuple[int, int]]:
    """File name -> (version, versions) as `list --all-versions` shows them."""
    result = run(data_dir, "list", "--all-versions", "--format", "json")
    return {Path(s["source"]).name: (s["version"], s["versions"]) for s in json.loads(result.stdout)}


@pytest.mark.parametrize("order", [(3, 4), (4, 3)])
def test_update_3_after_update_2_is_version_2_of_2(data_dir: Path, tmp_path: Path, order: tuple[int, int]) -> None:
    """A Reuters "UPDATE 3-" and its "UPDATE 2-" (wire versions 4 and 3), arriving in either order."""
    paths = dict(zip(order, write_versions(tmp_path / "wire", *order), strict=True))
    _import(data_dir, *paths.values())
    assert _versions(data_dir) == {"port-strike-3.txt": (1, 2), "port-strike-4.txt": (2, 2)}
    [newest] = json.loads(run(data_dir, "list", "--format", "json").stdout)
    assert Path(newest["source"]).name == "port-strike-4.txt"
    shown = run(data_dir, "show", newest["id"]).stdout
    assert "version 2 of 2" in shown and "version 4" not in shown
    table = run(data_dir, "list", "--all-versions").stdout
    assert "[v2]" in table and "[v1]" in table and "[v4]" not in table and "[v3]" not in table


def test_a_version_before_the_ones_held_takes_its_place(data_dir: Path, tmp_path: Path) -> None:
    """The original arrives last: it becomes version 1, and UPDATE 3 stays the newest."""
    files = write_versions(tmp_path / "wire", 4, 3, 1)
    _import(data_dir, *files)
    assert _versions(data_dir) == {
        "port-strike-1.txt": (1, 3),
        "port-strike-3.txt": (2, 3),
        "port-strike-4.txt": (3, 3),
    }


def _newsml(path: Path, version: int | None, when: str, text: str) -> Path:
    number = f' version="{version}"' if version is not None else ""
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="{NAR}" guid="urn:newsml:test.example:20260601:dam"{number} standard="NewsML-G2">
  <itemMeta><itemClass qcode="ninat:text"/><provider literal="Test Wire"/>
    <versionCreated>{when}</versionCreated></itemMeta>
  <contentMeta><headline>Dam holds after storm</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body><p>{text}</p></body></html>
  </inlineXML></contentSet>
</newsItem>
""",
        "utf-8",
    )
    return path


def test_newsml_version_numbers_beat_arrival(data_dir: Path, tmp_path: Path) -> None:
    later = _newsml(tmp_path / "v5.xml", 5, "2026-06-01T09:00:00Z", "The dam held overnight, engineers said.")
    earlier = _newsml(tmp_path / "v2.xml", 2, "2026-06-01T10:00:00Z", "The dam held, engineers said.")
    _import(data_dir, later, earlier)
    assert _versions(data_dir) == {"v2.xml": (1, 2), "v5.xml": (2, 2)}  # the number, not the date or arrival


def test_without_numbers_the_date_orders_them(data_dir: Path, tmp_path: Path) -> None:
    later = _newsml(tmp_path / "late.xml", None, "2026-06-01T14:05:00Z", "The dam held overnight, engineers said.")
    earlier = _newsml(tmp_path / "early.xml", None, "2026-06-01T09:30:00Z", "The dam held, engineers said.")
    _import(data_dir, later, earlier)
    assert _versions(data_dir) == {"early.xml": (1, 2), "late.xml": (2, 2)}


def test_version_order_number_then_date_then_arrival() -> None:
    def entry(version: int | None, updated: str | None, added: str) -> tuple[int, str, str]:
        meta = StoryMeta(headline="h", version=version, updated=updated, wire_id="w")
        return version_order(entry_of("x", meta, added, (0, 0)))

    assert entry(2, "2026-01-01", "2026-03-01") < entry(3, "2025-01-01", "2025-01-01")
    assert entry(None, "2026-01-01T09:00", "2026-03-01") < entry(1, "2026-01-01T10:00", "2025-01-01")
    assert entry(None, None, "2026-03-01") < entry(None, "2026-01-01", "2025-01-01")  # undated first
    assert entry(None, None, "2025-03-01") < entry(None, None, "2026-01-01")


def test_an_update_held_alone_is_version_1_of_1(data_dir: Path, tmp_path: Path) -> None:
    """A Reuters "UPDATE 2-" (wire version 3) with no other version held: never "version 3 of 1"."""
    (update_2,) = write_versions(tmp_path / "wire", 3)
    _import(data_dir, update_2)
    assert _versions(data_dir) == {"port-strike-3.txt": (1, 1)}
    [listed] = json.loads(run(data_dir, "list", "--format", "json").stdout)
    assert (listed["version"], listed["versions"]) == (1, 1)
    (row,) = json.loads(run(data_dir, "versions", listed["id"], "--format", "json").stdout)
    assert row["label"] == "version 1 of 1"
    assert "version 3" not in run(data_dir, "show", listed["id"]).stdout
    markdown = run(data_dir, "export", "--format", "markdown").stdout
    assert "version 3" not in markdown
