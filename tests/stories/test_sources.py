"""Live sources, the fetching half: config entries, the folder scan's rules (complete files only, each thing left
out told once), Retry-After and backoff. Times are given, never waited for."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from stories.sources import FolderScan, SourceEntry, parse_sources, request_headers
from stories.sources.feed import MAX_BACKOFF, backoff_seconds, retry_after


def test_entries_read_from_config_tables() -> None:
    entries, problems = parse_sources(
        [
            {"name": "wire", "folder": "~/spool", "format": "anpa"},
            {"name": "feed", "url": "https://example.org/rss", "interval": 60, "headers": {"Authorization": "env:TOK"}},
        ],
        ("anpa", "rss"),
    )
    assert problems == []
    assert [e.kind for e in entries] == ["folder", "feed"]
    assert entries[0].folder == Path("~/spool").expanduser() and entries[0].fmt == "anpa"
    assert entries[1].interval == 60 and entries[1].headers == {"Authorization": "TOK"}


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"name": "x"}, "exactly one of url or folder"),
        ({"name": "x", "url": "file:///etc/passwd"}, "http(s) URL"),
        ({"name": "x", "url": "http://a/", "folder": "/tmp"}, "exactly one"),
        ({"name": "bad name!", "folder": "/tmp"}, "name must be"),
        ({"name": "x", "url": "http://a/", "interval": 1}, "interval must be 10"),
        ({"name": "x", "url": "http://a/", "headers": {"Authorization": "Bearer secret"}}, "env:VARIABLE"),
        ({"name": "x", "folder": "/tmp", "format": "nope"}, "format must be one of"),
        ({"name": "x", "folder": "/tmp", "colour": "red"}, "unknown key"),
        ("just text", "must be a table"),
    ],
)
def test_a_bad_entry_is_one_line_and_the_others_still_work(table: object, fragment: str) -> None:
    entries, problems = parse_sources([table, {"name": "good", "folder": "/tmp"}], ("anpa",))
    assert [e.name for e in entries] == ["good"]
    assert len(problems) == 1 and fragment in problems[0]
    assert "secret" not in problems[0]


def test_a_name_used_twice_is_refused() -> None:
    entries, problems = parse_sources([{"name": "a", "folder": "/x"}, {"name": "a", "folder": "/y"}])
    assert len(entries) == 1 and "used twice" in problems[0]


def test_header_values_come_from_the_environment_only() -> None:
    entry = SourceEntry("f", url="http://a/", headers={"Authorization": "FEED_TOKEN"})
    assert request_headers(entry, {"FEED_TOKEN": "Bearer s3cret"}) == ({"Authorization": "Bearer s3cret"}, "")
    headers, missing = request_headers(entry, {})
    assert headers == {} and "FEED_TOKEN" in missing
    assert "FEED_TOKEN" in request_headers(entry, {"FEED_TOKEN": "a\r\nX-Evil: 1"})[1]


def test_retry_after_reads_seconds_and_dates_within_bounds() -> None:
    assert retry_after("120") == 120
    assert retry_after("999999") == MAX_BACKOFF
    assert retry_after("Thu, 03 Dec 2026 10:01:00 GMT", now=1796292000.0) == pytest.approx(60, abs=1)
    assert retry_after("soon") == 60
    assert backoff_seconds(300, 0) == 300 and backoff_seconds(300, 1) == 300 and backoff_seconds(300, 3) == 1200
    assert backoff_seconds(300, 30) == MAX_BACKOFF


def _write(path: Path, data: bytes, mtime: float) -> None:
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


def test_a_file_is_ready_once_stable_over_two_checks(tmp_path: Path) -> None:
    """A slow writer over 3 s: growing at each check, it waits; unchanged over two checks, it is ready."""
    scan, t = FolderScan(tmp_path, settle=1.0, quiet=10.0), 1_800_000_000.0
    story = tmp_path / "slow.txt"
    for second, size in enumerate((10, 20, 30, 40)):  # written over 3 s, checked once a second
        _write(story, b"x" * size, t + second)
        result = scan.check(now=t + second + 0.1)
        assert result.ready == [] and result.waiting == 1
    assert scan.check(now=t + 3.5).ready == []  # unchanged, but changed less than `settle` ago
    ready = scan.check(now=t + 4.2).ready
    assert [c.path for c in ready] == [story] and ready[0].size == 40


def test_a_file_renamed_into_place_is_ready_at_once(tmp_path: Path) -> None:
    scan = FolderScan(tmp_path)
    (tmp_path / ".part-tmp").write_bytes(b"half")
    (tmp_path / "story.txt.part").write_bytes(b"half")
    done = tmp_path / "story.txt"
    done.write_bytes(b"whole")
    assert [c.path for c in scan.check({done}).ready] == [done]  # hidden and partial files wait


def test_a_file_quiet_for_long_is_ready_in_one_check(tmp_path: Path) -> None:
    _write(tmp_path / "old.txt", b"dropped an hour ago", time.time() - 3600)
    assert len(FolderScan(tmp_path).check().ready) == 1


def test_a_file_deleted_before_it_is_read_is_just_gone(tmp_path: Path) -> None:
    scan, t = FolderScan(tmp_path), 1_800_000_000.0
    _write(tmp_path / "a.txt", b"x", t)
    scan.check(now=t + 5)
    (tmp_path / "a.txt").unlink()
    result = scan.check(now=t + 6)
    assert result.ready == [] and result.skipped == []


def test_links_loops_and_fifos_are_told_once_and_never_opened(tmp_path: Path) -> None:
    spool, outside = tmp_path / "spool", tmp_path / "outside.txt"
    spool.mkdir()
    outside.write_text("secret")
    (spool / "out.txt").symlink_to(outside)
    (spool / "loop.txt").symlink_to(spool / "loop.txt")
    (spool / "sub").symlink_to(spool)  # a folder loop
    os.mkfifo(spool / "pipe.txt")
    inside = spool / "real.txt"
    _write(inside, b"story", time.time() - 3600)
    (spool / "alias.txt").symlink_to(inside)
    scan = FolderScan(spool)
    first = scan.check()
    assert sorted(c.path.name for c in first.ready) == ["alias.txt", "real.txt"]
    told = " | ".join(first.skipped)
    assert "out.txt: a link to outside" in told and "loop.txt: a broken link or a link loop" in told
    assert "pipe.txt: skipped, not a regular file" in told and "sub: a linked folder" in told
    assert len(first.skipped) == 4
    assert scan.check().skipped == []  # told once


def test_a_missing_folder_is_told_once(tmp_path: Path) -> None:
    scan = FolderScan(tmp_path / "gone")
    assert "does not exist" in scan.check().skipped[0]
    assert scan.check().skipped == []
