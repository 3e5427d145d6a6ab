"""Kill a saving wiredesk with SIGKILL hundreds of times; count what any kill broke (all must be 0).

    python bench/crash_loop.py --trials 300 [--seed 1] [--jobs 2] [--chain 10]

Each trial starts `tests/crash_child.py` on a data dir, lets it save (annotations, or story imports in one trial of
five), kills it at a random moment — during start-up, after some saves — or before a step of a compaction, where it
stops itself; then reopens the store read-only and writable and checks it against every acknowledged save. A data
dir is reused for `--chain` trials, so recovery from one crash is itself crashed into. Prints one summary line:
trials, unreadable stores, lost acknowledged saves, resurrected removes, other problems, and the time taken; exits 1
if any count is not 0. A line before it says where the kills landed and what they left on disk.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.crash_harness import Kill, Model, TrialResult, plan, run_trial


def chain(base: Path, index: int, trials: int, seed: int) -> list[TrialResult]:
    """`trials` kills on one data dir; every fifth chain imports stories instead of annotating."""
    rng = random.Random(seed * 1000 + index)
    mode = "stories" if index % 5 == 4 else "annotations"
    data_dir = base / f"lib{index}"
    model = Model()
    results = []
    for trial in range(trials):
        if mode == "stories" and trial % 5 == 4:
            kill, pause = Kill("B", 1, 0.0), True  # exactly between the bodies and their index records
        else:
            kill, pause = plan(rng, trial, mode), False
        result, model = run_trial(
            data_dir, model, mode, rng.randrange(1 << 30), kill, pause_after_bodies=pause, compact_after=trial % 3 == 2
        )
        results.append(result)
        if result.problems:
            print(f"lib{index} trial {trial} ({kill.describe()}): {'; '.join(result.problems)}", file=sys.stderr)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="data dirs crashed in parallel")
    parser.add_argument("--chain", type=int, default=10, help="trials per data dir")
    parser.add_argument("--keep", action="store_true", help="keep the data dirs (their path is printed)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="wiredesk-crash-"))
    started = time.perf_counter()
    sizes = [args.chain] * (args.trials // args.chain) + (
        [args.trials % args.chain] if args.trials % args.chain else []
    )
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(chain, base, i, n, args.seed) for i, n in enumerate(sizes)]
        results = [r for f in futures for r in f.result()]
    elapsed = time.perf_counter() - started
    unreadable = sum(r.unreadable for r in results)
    lost = sum(r.lost for r in results)
    resurrected = sum(r.resurrected for r in results)
    other = sum(bool(r.problems) and not (r.unreadable or r.lost or r.resurrected) for r in results)
    states = Counter(part for r in results for part in r.disk.split(", "))
    acknowledged = sum(r.acknowledged for r in results)
    litter = sum(1 for _ in base.rglob("*.tmp"))
    print(
        f"crash loop: {len(results)} trials (SIGKILL), {acknowledged} acknowledged saves, "
        f"{sum(r.compactions for r in results)} compactions; kills: "
        f"{sum(r.mid_compaction for r in results)} after a compaction began, "
        f"{sum(bool(r.in_flight) for r in results)} with a save in flight; "
        f"left on disk: {', '.join(f'{n} {s}' for s, n in states.most_common())}; "
        f"temp files still in the data dirs at the end: {litter}"
    )
    print(
        f"trials {len(results)}  unreadable {unreadable}  lost {lost}  resurrected {resurrected}  "
        f"other problems {other}  time {elapsed:.1f} s"
    )
    if args.keep:
        print(f"data dirs kept in {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if unreadable or lost or resurrected or other else 0


if __name__ == "__main__":
    sys.exit(main())
