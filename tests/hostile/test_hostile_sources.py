"""Hostile live sources (issue 16 §4): a feed server that answers 429, 500, a slow, endless or 50 MB body, a
redirect loop or a file:// redirect; spool folders with link loops, FIFOs and names full of escape sequences; bad
config entries. Each ends in one clean line, nothing is stored twice, nothing is lost, nothing hangs."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations.sources import Runner, load_state
from annotations.sources.arrivals import pending
from stories.sources import SourceEntry
from tests.cli.test_cli_watch import configure, drop
from tests.cli_support import HARBOUR, run, stories
from tests.feed_server import FeedServer, feed_server

pytestmark = pytest.mark.usefixtures("plain_terminal")
TERMINAL = {chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]} - {"\n"}
SHORT = 0.5  # the deadline here: the suite stays fast


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as served:
        yield served


def poll(data_dir: Path, server: FeedServer, path: str) -> list:
    data_dir.mkdir(exist_ok=True)
    runner = Runner(data_dir, [SourceEntry("feed", url=server.url(path), interval=60)], deadline=SHORT)
    try:
        return runner.poll(force=True)
    finally:
        runner.close()


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/busy", "429"),
        ("/unavailable", "503"),
        ("/broken", "500"),
        ("/slow", "too slow"),
        ("/endless", "over the 10.0 MB limit"),
        ("/huge", "over the 10.0 MB limit (52.4 MB)"),
        ("/loop", "redirects in a loop"),
        ("/file", "only http and https"),
    ],
)
def test_each_hostile_answer_is_one_clean_line_and_stores_nothing(
    data_dir: Path, server: FeedServer, path: str, fragment: str
) -> None:
    started = time.monotonic()
    reports = poll(data_dir, server, path)
    assert time.monotonic() - started < SHORT * 6  # within the deadline, whatever the server does
    assert len(reports) == 1 and reports[0].failed, reports
    line = reports[0].line
    assert fragment in line and "\n" not in line and not TERMINAL & set(line), line
    assert pending(data_dir) == []
    state = load_state(data_dir)["feed"]
    assert state.failures == 1 and state.backoff_until > time.time() + 59


def test_retry_after_is_respected(data_dir: Path, server: FeedServer) -> None:
    server.retry_after = "900"
    reports = poll(data_dir, server, "/busy")
    assert "next try in 900 s" in reports[0].line
    assert load_state(data_dir)["feed"].backoff_until > time.time() + 890
    runner = Runner(data_dir, [SourceEntry("feed", url=server.url("/busy"), interval=60)])
    assert runner.poll() == [] and runner.due_in() > 890  # not asked again before then
    runner.close()


def test_backoff_grows_with_failures_and_a_success_resets_it(data_dir: Path, server: FeedServer) -> None:
    for failures in (1, 2, 3):
        poll(data_dir, server, "/broken")
        assert load_state(data_dir)["feed"].failures == failures
    assert load_state(data_dir)["feed"].backoff_until > time.time() + 200  # 60 s doubled twice
    assert not poll(data_dir, server, "/feed")[0].failed
    assert load_state(data_dir)["feed"].failures == 0


def test_a_changing_feed_is_stored_once(data_dir: Path, server: FeedServer, tmp_path: Path) -> None:
    configure(data_dir, f'[[sources]]\nname = "feed"\nurl = "{server.url("/feed")}"\n')
    for _ in range(3):
        assert run(data_dir, "watch", "--once").exit_code == 0
    server.items.append(("Dredger arrives in port", "The dredger Mira arrived on Saturday to clear the channel."))
    for _ in range(2):
        assert run(data_dir, "watch", "--once").exit_code == 0
    assert len(stories(data_dir)) == 2
    assert [status for _, status, _ in server.log] == [200, 304, 304, 200, 304]


def test_escape_sequences_in_spool_names_never_reach_the_terminal(data_dir: Path, tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    evil = "evil\x1b]52;c;ZWNobw==\x07\x1b[2J.txt"
    drop(spool, **{evil: "\x00\x01 binary junk"})
    os.mkfifo(spool / "pipe\x1b[31m.txt")
    (spool / "loop.txt").symlink_to(spool / "loop.txt")
    drop(spool, **{"harbour.txt": HARBOUR})
    configure(data_dir, f'[[sources]]\nname = "spool"\nfolder = "{spool}"\n')
    result = run(data_dir, "watch", "--once")
    assert result.exit_code == 0, result.output
    assert not TERMINAL & set(result.output), repr(result.output)
    assert "not a regular file" in result.output and "link loop" in result.output
    assert "cannot be imported" in result.output and len(stories(data_dir)) == 1
    again = run(data_dir, "watch", "--once")  # each told once per run, never imported twice, never in a loop
    assert "cannot be imported" not in again.output and len(stories(data_dir)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "sources = 3",
        '[[sources]]\nname = "\x1b[2Jx"\nfolder = "/tmp"',
        '[[sources]]\nname = "a"\nurl = "javascript:alert(1)"',
        '[[sources]]\nname = "a"\nurl = "http://x/"\nheaders = { Authorization = "Bearer s3cret" }',
        "[[sources]]\n" + 'name = "a"\nfolder = "' + "x" * 5000 + '"\nformat = 3',
    ],
)
def test_bad_config_entries_are_one_clean_line(data_dir: Path, text: str) -> None:
    configure(data_dir, text)
    result = run(data_dir, "watch", "--once")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert not TERMINAL & set(result.output) and "s3cret" not in result.output
    assert all(len(line) < 400 for line in result.output.splitlines())


def test_a_token_from_the_environment_is_sent_and_never_printed(
    data_dir: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(
        data_dir, f'[[sources]]\nname = "feed"\nurl = "{server.url("/broken")}"\nheaders = {{ X-Token = "env:TOK" }}\n'
    )
    result = run(data_dir, "watch", "--once")
    assert "TOK" in result.output and "not set" in result.output  # the variable named, not its value
    monkeypatch.setenv("TOK", "s3cret-value")
    result = run(data_dir, "watch", "--once")
    assert "500" in result.output and "s3cret" not in result.output
    assert "s3cret" not in (data_dir / "sources-state.json").read_text()
