"""kill -9 of `wiredesk watch` in the middle of a batch (issue 16 §4): the next run imports the rest and
duplicates nothing; no arrival is lost or moved aside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from annotations.sources.arrivals import ARRIVALS, FAILED, pending
from annotations.store import Store
from tests.crash_child import ROOT

FILES = 150


def story(n: int) -> str:
    return (
        f"Council {n} backs river plan number {n}\n\nThe council of district {n} voted on Tuesday to back plan {n} "
        f'for the river, its chair said.\n\n"We have waited {n} years," the chair said.\n'
    )


def watch_once(data_dir: Path, config_home: Path) -> subprocess.Popen[str]:
    code = "import sys; from tui.cli import main; sys.argv[0] = 'wiredesk'; main()"
    env = {**os.environ, "XDG_CONFIG_HOME": str(config_home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, "--data-dir", str(data_dir), "watch", "--once"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_kill_9_mid_batch_then_restart_imports_the_rest_once(tmp_path: Path) -> None:
    spool, data_dir, config_home = tmp_path / "spool", tmp_path / "data", tmp_path / "config"
    spool.mkdir()
    past = time.time() - 3600
    for n in range(FILES):
        (spool / f"{n:04d}.txt").write_text(story(n))
        os.utime(spool / f"{n:04d}.txt", (past, past))
    (config_home / "wiredesk").mkdir(parents=True)
    (config_home / "wiredesk" / "config.toml").write_text(f'[[sources]]\nname = "spool"\nfolder = "{spool}"\n')
    child = watch_once(data_dir, config_home)
    assert child.stdout is not None
    line = child.stdout.readline()  # the poll is done: every file is an arrival, and the import starts now
    assert f"{FILES} files taken" in line, line + child.stderr.read() if child.stderr else ""
    pack = data_dir / "texts.pack"
    while not pack.exists() and child.poll() is None:  # the import has begun storing: kill it there
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert child.stderr is not None
    child.stderr.close()
    left = len(pending(data_dir))
    rerun = watch_once(data_dir, config_home)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, out + err
    assert "0 files taken" in out  # the spool's files were taken before the kill: not taken twice
    store = Store(data_dir, read_only=True)
    try:
        headlines = [store.story_meta(i).headline for i in store.story_ids]
        assert len(headlines) == FILES == len(set(headlines))
        assert len(store.story_sources()) == FILES
    finally:
        store.close()
    assert pending(data_dir) == [] and not (data_dir / ARRIVALS / FAILED).exists()
    print(f"arrivals left by the kill: {left} of {FILES}")
