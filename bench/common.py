"""Helpers shared by the benchmarks: child processes, statistics, memory, and what machine this is."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = [
    "BENCH_DIR",
    "REPO_DIR",
    "machine",
    "markdown",
    "median",
    "memory_mb",
    "percentile",
    "run_child",
    "write_result",
]

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th quantile (0..1) by linear interpolation."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def memory_mb() -> dict[str, float]:
    """VmRSS (resident now) and VmHWM (peak resident) of this process, in MB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def markdown(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_result(path: str | Path, result: dict) -> None:
    Path(path).write_text(json.dumps(result))


def run_child(script: str, *args: object, timeout: float = 600) -> tuple[dict, float]:
    """Run `python bench/SCRIPT ARGS... OUT_JSON` in a fresh interpreter; its result and when it was spawned.

    The spawn time is `time.perf_counter()` just before the process is created (CLOCK_MONOTONIC on Linux, the
    same clock the child reads), so child timestamps minus it include the interpreter's start-up.
    """
    fd, out = tempfile.mkstemp(prefix="wiredesk-bench-", suffix=".json")
    os.close(fd)
    cmd = [sys.executable, str(BENCH_DIR / script), *map(str, args), out]
    try:
        spawned = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO_DIR)
        if proc.returncode != 0:
            tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
            raise RuntimeError(f"{' '.join(cmd[1:])} failed ({proc.returncode}):\n{tail}")
        text = Path(out).read_text()
        if not text:
            raise RuntimeError(f"{' '.join(cmd[1:])} wrote no result")
        return json.loads(text), spawned
    finally:
        os.unlink(out)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _disk(path: Path) -> str:
    """Filesystem, device, size and whether it spins, for the folder the benchmark writes to."""
    path = path.resolve()
    best = ("", "", "")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            device, mount, fstype = line.split()[:3]
            if (path == Path(mount) or Path(mount) in path.parents) and len(mount) >= len(best[1]):
                best = (device, mount, fstype)
    except OSError:
        pass
    device, mount, fstype = best
    total = shutil.disk_usage(path).total / 1e9
    kind = ""
    name = Path(device).name.rstrip("0123456789") if device.startswith("/dev/") else ""
    rotational = Path(f"/sys/block/{name}/queue/rotational")
    if name and rotational.exists():
        flag = rotational.read_text().strip() == "1"
        kind = ", kernel reports it rotational" if flag else ", kernel reports it non-rotational"
    return f"{fstype or '?'} on {device or '?'} ({total:.0f} GB{kind}), mounted at {mount or '?'}"


def _versions() -> str:
    found = []
    for name in ("textual", "tinydb", "msgspec", "orjson", "rich"):
        with contextlib.suppress(PackageNotFoundError):
            found.append(f"{name} {version(name)}")
    return ", ".join(found)


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO_DIR, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=REPO_DIR
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def machine(data_dir: Path) -> dict[str, str]:
    """What the numbers were measured on."""
    return {
        "cpu": f"{_cpu_model()}, {os.cpu_count()} cores",
        "ram": f"{_ram_gb():.1f} GB",
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "disk": _disk(data_dir),
        "libraries": _versions(),
        "commit": _commit(),
    }
