"""Shared fixtures: the shared corpus (skipped when absent) and a throwaway data dir; hypothesis's settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The suite's own processes (xdist's workers, the CLI and crash trials run as children) compile the project once and
# reuse it, also where the environment says not to write bytecode (PYTHONDONTWRITEBYTECODE): every child compiled
# all of it anew (a crash-test file: 15.4 s of CPU with the variable set, 11.5 s without).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

pytest_plugins = ["tests.cli_support", "tests.store_support", "tests.tui.support"]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Every run tries the same examples (derandomize; no example database carried from run to run), and no test fails
# for being slow: on a loaded machine an example may take any time (no deadline, no too-slow health check).
settings.register_profile(
    "wiredesk", deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("wiredesk")


@pytest.fixture
def corpus() -> Path:
    """The shared sample corpus; the test is skipped when it is not checked out beside the project."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data dir; the user's real data dir and config are never touched."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("WIREDESK_DATA_DIR", raising=False)
    path = tmp_path / "data"
    return path


def _quick_idle() -> None:
    """Pilot waits, after every key and pause, until the process has been idle for a whole window (Textual's
    `textual._wait`: 20 ms windows, so at least 40 ms a key). The tests wait on conditions, not on idleness, so
    the window is cut to 10 ms, with the same idle share (5 % of it). (2 ms was faster still, but a worker
    descheduled for a whole window by a CPU hog looked idle too often.)"""
    import textual._wait

    textual._wait.SLEEP_GRANULARITY = 0.010
    textual._wait.SLEEP_IDLE = 0.010 / 20


_quick_idle()
