"""`wiredesk watch` and `wiredesk sources` (issue 16 §2): a folder and a feed served on 127.0.0.1, polled once."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations.sources import load_state
from annotations.sources.arrivals import pending
from tests.cli_support import FERRY, HARBOUR, LIBRARY, assert_user_error, run, stories
from tests.feed_server import FeedServer, feed_server

pytestmark = pytest.mark.usefixtures("plain_terminal")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as served:
        yield served


def configure(data_dir: Path, text: str) -> None:
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "wiredesk"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def drop(folder: Path, **files: str) -> None:
    """Files dropped an hour ago: complete at the first look."""
    folder.mkdir(exist_ok=True)
    past = time.time() - 3600
    for name, text in files.items():
        (folder / name).write_text(text)
        os.utime(folder / name, (past, past))


def test_once_imports_a_folder_and_a_feed(data_dir: Path, tmp_path: Path, server: FeedServer) -> None:
    spool = tmp_path / "spool"
    drop(spool, **{"harbour.txt": HARBOUR, "ferry.txt": FERRY})
    configure(
        data_dir,
        f'[[sources]]\nname = "spool"\nfolder = "{spool}"\n\n'
        f'[[sources]]\nname = "feed"\nurl = "{server.url("/feed")}"\n',
    )
    result = run(data_dir, "watch", "--once")
    assert result.exit_code == 0, result.output
    assert "spool: 2 files taken" in result.output and "feed: changed (200" in result.output
    assert "spool: 2 stories new in the library" in result.output
    assert len(stories(data_dir)) == 3 and pending(data_dir) == []
    # again: the folder's files are taken once, the feed is asked conditionally and answers 304
    again = run(data_dir, "watch", "--once")
    assert again.exit_code == 0 and "spool: 0 files taken" in again.output and "not modified (304)" in again.output
    assert server.log[0][1:] == (200, "") and server.log[-1][1] == 304 and server.log[-1][2]  # If-None-Match sent
    # the feed gains an item: it arrives at the next poll, the old one is not stored twice
    server.items.append(("Dredger arrives in port", "The dredger Mira arrived on Saturday to clear the channel."))
    third = run(data_dir, "watch", "--once", "--source", "feed")
    assert third.exit_code == 0 and "feed: 1 story new in the library" in third.output
    assert len(stories(data_dir)) == 4
    listed = run(data_dir, "sources")
    assert listed.exit_code == 0
    assert "spool" in listed.output and "folder" in listed.output and "feed" in listed.output


def test_a_dead_source_fails_once_in_one_line_and_the_others_are_imported(data_dir: Path, tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    drop(spool, **{"library.txt": LIBRARY})
    configure(
        data_dir,
        f'[[sources]]\nname = "dead"\nurl = "http://127.0.0.1:9/feed"\n\n'
        f'[[sources]]\nname = "spool"\nfolder = "{spool}"\n',
    )
    result = run(data_dir, "watch", "--once")
    line = assert_user_error(result, "source dead failed", "cannot fetch it")
    assert "Traceback" not in line and len(stories(data_dir)) == 1
    state = load_state(data_dir)["dead"]
    assert state.failures == 1 and state.backoff_until > time.time() and "cannot fetch" in state.last_error
    listed = run(data_dir, "sources")
    assert "cannot fetch it" in listed.output and "next try in" in listed.output


def test_no_sources_or_an_unknown_name_is_one_line(data_dir: Path) -> None:
    assert_user_error(run(data_dir, "watch", "--once"), "no sources in")
    assert "no sources in" in run(data_dir, "sources").output
    configure(data_dir, '[[sources]]\nname = "a"\nfolder = "/nonexistent-spool"\n')
    assert_user_error(run(data_dir, "watch", "--once", "--source", "b"), "no source named 'b'")


def test_a_missing_folder_fails_its_source(data_dir: Path) -> None:
    configure(data_dir, '[[sources]]\nname = "a"\nfolder = "/nonexistent-spool"\n')
    assert_user_error(run(data_dir, "watch", "--once"), "source a failed", "does not exist")


def test_one_poller_at_a_time(data_dir: Path, tmp_path: Path) -> None:
    from annotations.sources import SourcesLock

    configure(data_dir, f'[[sources]]\nname = "a"\nfolder = "{tmp_path}"\n')
    data_dir.mkdir()
    lock = SourcesLock(data_dir)
    lock.acquire()
    try:
        assert_user_error(run(data_dir, "watch", "--once"), "the sources are polled by", "one process polls at a time")
    finally:
        lock.release()


def test_the_app_waits_out_a_watch_batch_instead_of_opening_read_only(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`wiredesk watch` holds the library for one batch: the app starting meanwhile waits for it, then writes."""
    import tui.cli.base as base
    from annotations.store.lock import DataDirLock
    from tui.cli.base import CliContext

    data_dir.mkdir()
    monkeypatch.setattr("sys.argv", ["wiredesk", "watch"])  # the holder the lock file names
    lock = DataDirLock(data_dir)
    lock.acquire()
    waits: list[float] = []

    def batch_done(seconds: float) -> None:  # the app's first wait: the batch ends then
        waits.append(seconds)
        lock.release()

    monkeypatch.setattr(base.time, "sleep", batch_done)
    store, why = CliContext(str(data_dir)).app_store()
    assert why == "" and not store.read_only and len(waits) == 1
    store.close()
    other = DataDirLock(data_dir)
    monkeypatch.setattr("sys.argv", ["wiredesk", "annotate"])
    other.acquire()  # any other writer: read-only at once, as before
    monkeypatch.setattr(base.time, "sleep", lambda _s: pytest.fail("waited for a writer that is not watch"))
    store, why = CliContext(str(data_dir)).app_store()
    assert store.read_only and "wiredesk annotate" in why
    store.close()
    other.release()


def test_a_line_said_again_at_once_is_not_printed_again(capsys: pytest.CaptureFixture[str]) -> None:
    """A file being written wakes the folder's watcher at every write: its 'still being written' line is printed
    once, not once a write (seen in tmux: 17 lines in a second); after REPEAT_QUIET seconds, or changed, it is."""
    from annotations.sources import Report
    from tui.cli.watch import REPEAT_QUIET, Teller

    now = [100.0]
    tell = Teller(clock=lambda: now[0])
    waiting = Report("spool", "spool: 0 files taken, 3 still being written")
    for _ in range(5):
        tell(waiting)
    tell(Report("wire", "wire: 0 files taken, 3 still being written"))
    tell(Report("spool", "spool: 3 files taken"))
    tell(Report("spool", "spool: nothing new", idle=True))
    now[0] += REPEAT_QUIET
    tell(waiting)
    lines = [line.split(" ", 1)[1] for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        "spool: 0 files taken, 3 still being written",
        "wire: 0 files taken, 3 still being written",
        "spool: 3 files taken",
        "spool: 0 files taken, 3 still being written",
    ]
