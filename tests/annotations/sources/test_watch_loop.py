"""The watch loop (issue 16 §2): files dropped or renamed into a watched folder arrive while it runs; Ctrl-C stops
it cleanly between files. Waits are on events the loop reports, never on a clock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from annotations.sources import Report, Runner, SourcesLock
from annotations.store import Store
from stories.sources import SourceEntry
from tests.cli_support import FERRY, HARBOUR
from tests.crash_child import ROOT


def test_the_loop_takes_what_arrives_and_stops_when_asked(tmp_path: Path) -> None:
    spool, data_dir = tmp_path / "spool", tmp_path / "data"
    spool.mkdir()
    data_dir.mkdir()
    runner = Runner(data_dir, [SourceEntry("spool", folder=spool, interval=0.2)], settle=60.0)
    assert runner.claim() == ""
    stop, arrived, lines = threading.Event(), threading.Event(), []

    def tell(report: Report) -> None:
        lines.append(report.line)
        if "new in the library" in report.line:
            arrived.set()

    runner.watch_folders()  # watched before anything is dropped (the loop would start it too, a moment later)
    assert all(watcher.live for watcher in runner.watchers.values())
    loop = threading.Thread(target=runner.run, args=(tell, stop), kwargs={"tick": 0.2}, daemon=True)
    loop.start()
    try:
        staged = spool / ".harbour.txt.tmp"
        staged.write_text(HARBOUR)  # written under a hidden name, renamed into place: taken at once (settle: 60 s)
        os.rename(staged, spool / "harbour.txt")
        assert arrived.wait(30), lines
        arrived.clear()
        (spool / "ferry.txt").write_text(FERRY)
        past = time.time() - 3600
        os.utime(spool / "ferry.txt", (past, past))
        runner.wake.set()
        assert arrived.wait(30), lines
    finally:
        stop.set()
        runner.wake.set()
        loop.join(30)
    assert not loop.is_alive()
    runner.close()
    store = Store(data_dir, read_only=True)
    assert len(store) == 2 and set(store.story_sources().values()) == {"spool"}
    store.close()


def start_watch(tmp_path: Path) -> subprocess.Popen[str]:
    spool, config_home = tmp_path / "spool", tmp_path / "config"
    spool.mkdir()
    (config_home / "wiredesk").mkdir(parents=True)
    (config_home / "wiredesk" / "config.toml").write_text(f'[[sources]]\nname = "spool"\nfolder = "{spool}"\n')
    code = "import sys; from tui.cli import main; sys.argv[0] = 'wiredesk'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--data-dir", str(tmp_path / "data"), "watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "XDG_CONFIG_HOME": str(config_home)},
        cwd=ROOT,
    )


def test_ctrl_c_stops_watch_cleanly(tmp_path: Path) -> None:
    child = start_watch(tmp_path)
    assert child.stdout is not None
    assert "watching 1 source" in child.stdout.readline()
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert out.rstrip().endswith("stopped") and "Traceback" not in err


def test_watch_stands_by_while_another_process_polls(tmp_path: Path) -> None:
    """An open app polls: `watch` says so once and waits (Ctrl-C still stops it)."""
    (tmp_path / "data").mkdir()
    lock = SourcesLock(tmp_path / "data")
    lock.acquire()
    try:
        child = start_watch(tmp_path)
        assert child.stdout is not None
        assert "watching 1 source" in child.stdout.readline()
        assert "standing by: the sources are polled by" in child.stdout.readline()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        lock.release()
    assert child.returncode == 0 and out.rstrip().endswith("stopped"), err
