"""Live sources (issue 16): 1,000 files dropped at once into a spool folder, imported through the sources, timed
against a plain folder import of the same files in the same run.

    python bench/bench_sources.py [--files 1000] [--runs 3] [--record]

The files are wire stories written here (a fixed seed; ~2 KB of text each, every headline different). Baseline:
open a fresh library, `import_paths(store, [folder])`, close it (what `wiredesk import FOLDER` does). Measured: the same
files as a spool source, `Runner.poll` (one look: the files were dropped before it, so complete) then
`Runner.intake` (the write lock for the batch, `take_arrivals`), into another fresh library: the handoff through
`arrivals/` included. Goal: an import rate at least 80 % of the plain import's. Also timed: the app's tick when
nothing arrived (`pending`), which runs every second while the app is open. Medians of `--runs`.
`--record` puts the table in bench/RESULTS.md above the issue 13 section (in place of an earlier one).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_diff import WORDS  # the same made-up wire vocabulary
from common import markdown, median
from sections import record_section

from annotations.importing import import_paths
from annotations.sources import Runner, pending
from annotations.store import Store
from stories.sources import SourceEntry

TITLE = "Live sources: 1,000 files dropped at once (bench/bench_sources.py)"
PLACES = ["ANTWERP", "HAMBURG", "ROTTERDAM", "GDANSK", "PIRAEUS", "VALENCIA"]


def drop(folder: Path, files: int, seed: int = 1) -> None:
    """Write `files` plain wire stories into `folder`, dated an hour ago (complete at the first look)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    past = time.time() - 3600
    for n in range(files):
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 50))).capitalize() + "." for _ in range(6)
        ]
        text = (
            f"Port story {n} {rng.choice(WORDS)} {rng.choice(WORDS)}\n\n"
            f"{rng.choice(PLACES)}, March {1 + n % 28} (Reuters) - " + "\n\n".join(paragraphs) + "\n"
        )
        path = folder / f"{n:05d}.txt"
        path.write_text(text)
        os.utime(path, (past, past))


def plain(folder: Path, data: Path) -> tuple[float, float]:
    """As `wiredesk import FOLDER`: open the library, import, close it (the intake below does the same).
    (wall seconds, CPU seconds of this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    store = Store(data)
    done = sum(1 for o in import_paths(store, [folder]) if o.status == "imported")
    store.close()
    seconds = (time.perf_counter() - started, time.process_time() - cpu)
    assert done == len(list(folder.iterdir())), done
    return seconds


def through_sources(folder: Path, data: Path) -> tuple[float, float]:
    data.mkdir()
    runner = Runner(data, [SourceEntry("spool", folder=folder)])
    assert runner.claim() == ""
    started, cpu = time.perf_counter(), time.process_time()
    runner.poll(force=True)
    runner.intake()
    seconds = (time.perf_counter() - started, time.process_time() - cpu)
    runner.close()
    store = Store(data, read_only=True)
    assert len(store) == len(list(folder.iterdir())) and pending(data) == [], len(store)
    store.close()
    return seconds


def idle_tick(data: Path, rounds: int = 2000) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        pending(data, 1)
    return (time.perf_counter() - started) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    base, ours, ticks = [], [], []
    with tempfile.TemporaryDirectory(prefix="wiredesk-bench-sources-") as tmp:
        folder = Path(tmp) / "spool"
        drop(folder, args.files)
        warm = Path(tmp) / "warm"  # the parsers are imported on first use: not in either figure
        drop(warm, 5, seed=2)
        plain(warm, Path(tmp) / "warm-data")
        for run in range(args.runs):  # alternated, so that a slow minute of the machine hits both
            base.append(plain(folder, Path(tmp) / f"plain-{run}"))
            ours.append(through_sources(folder, Path(tmp) / f"sources-{run}"))
            ticks.append(idle_tick(Path(tmp) / f"sources-{run}"))
            shutil.rmtree(Path(tmp) / f"plain-{run}")
    b, o = median([w for w, _ in base]), median([w for w, _ in ours])
    bc, oc = median([c for _, c in base]), median([c for _, c in ours])
    rows = [
        ["plain folder import (baseline)", f"{b:.2f} s", f"{bc:.2f} s", f"{args.files / b:,.0f}", "1.00", "1.00"],
        [
            "through the sources (poll + arrivals + intake)",
            f"{o:.2f} s",
            f"{oc:.2f} s",
            f"{args.files / o:,.0f}",
            f"{b / o:.2f}",
            f"{bc / oc:.2f}",
        ],
    ]
    body = markdown(rows, ["", "wall", "CPU", "files/s (wall)", "rate vs baseline (wall)", "(CPU)"])
    body += (
        f"\n\nGoal: rate >= 0.80 of the baseline: wall {b / o:.2f}, CPU {bc / oc:.2f} (CPU: this process's time, "
        f"which a machine loaded by other work does not inflate). The app's tick with nothing arrived: "
        f"{median(ticks) * 1e6:.0f} µs. {args.files:,} files, median of {args.runs} runs, alternated (wall, "
        f"baseline: {', '.join(f'{w:.2f}' for w, _ in base)} s; sources: {', '.join(f'{w:.2f}' for w, _ in ours)} s)."
        f" Load average when it ended: {', '.join(f'{x:.1f}' for x in os.getloadavg())}."
    )
    print(body)
    if args.record:
        record_section(TITLE, f"python bench/bench_sources.py --files {args.files} --runs {args.runs} --record", body)


if __name__ == "__main__":
    main()
