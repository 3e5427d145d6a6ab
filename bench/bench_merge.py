"""Merge benchmark: N new annotations merged into a story that already holds N, against orjson reading the file.

    python bench/bench_merge.py [--quick] [--sizes 2000,8000] [--record]

For each N, in a scratch folder: library "there" holds one story of 3N words, a registry of 50 entries and N
annotations of every kind (actor mentions, quotes with a speaker, claims with a claimant) on words of their own,
exported to JSON (`wiredesk export --format json`); library "here" holds the same story and registry and N
other annotations. Each run copies "here" afresh (a merge writes) and, in a fresh process, opens it with its
annotations loaded, then times `read_export` + `plan` (reading and checking every field, planning) and `apply`
(writing durably), and, as the baseline in the same process, `orjson.loads` of the same file's bytes.

Goals (issue 11 §3; before, 2,000 took 16 s and 8,000 185 s): 8,000 into 8,000 in at most 2 s, and a merge of
8,000 less than 8× one of 2,000 (linear is 4×, quadratic 16×; the durable writes and the caches make even
orjson grow more than 4×). `--record` appends the table to bench/RESULTS.md
under its own heading (replacing an earlier one); `run.py` runs it too.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import BENCH_DIR, machine, markdown, median, run_child, write_result

__all__ = ["SIZES", "details", "goal_rows", "measure"]

SCRIPT = "bench_merge.py"
SIZES = (2_000, 8_000)
GOAL_S = 2.0
GOAL_GROWTH = 8.0  # 4× N: linear is 4×, quadratic 16×; 8× is halfway between them on a log scale
ACTORS = 50
HEADING = "## Merge benchmark (bench/bench_merge.py)"
_WORDS = "port strike council minister said would harbour ferry union talks vote plan river bridge".split()


# --- libraries ----------------------------------------------------------------------------------------------


def build(folder: Path, n: int, seed: int = 1) -> tuple[Path, Path]:
    """Libraries "here" and "there" for N, and there's JSON export; returns (here, export)."""
    from dataclasses import replace

    from annotations.actors import Actor
    from annotations.exports import json as export_json
    from annotations.exports import select
    from annotations.model import Annotation
    from annotations.store import Store
    from stories.model import StoryBuilder, StoryMeta

    rng = random.Random(seed)
    builder = StoryBuilder()
    builder.add("headline", f"Port strike talks resume ({n:,} annotations a side)")
    words = [rng.choice(_WORDS) for _ in range(3 * n)]
    for start in range(0, len(words), 40):
        builder.add("paragraph", " ".join(words[start : start + 40]) + ".")
    story = builder.build(StoryMeta(headline="", agency="Reuters", created="2026-03-01T09:00:00Z"))
    spans = [(m.start(), m.end()) for m in re.finditer(r"[a-z]+", story.text)]
    rng.shuffle(spans)
    actors = [Actor.new(f"Actor {i}", "person") for i in range(ACTORS)]
    links = {"quote": "speaker", "actor": "actor", "claim": "claimant"}

    def annotations(chosen: list[tuple[int, int]]) -> list[Annotation]:
        out = []
        for i, (start, end) in enumerate(sorted(chosen)):
            kind = ("quote", "actor", "claim")[i % 3]
            ann = Annotation.new(story, kind, start, end, annotator="bench")
            out.append(replace(ann, **{links[kind]: actors[i % ACTORS].id}))
        return out

    here, there, export = folder / "here", folder / "there", folder / "there.json"
    for library, chosen in ((there, spans[:n]), (here, spans[n : 2 * n])):
        with Store(library) as store:
            store.add_stories([story])
            store.apply([(None, a) for a in actors] + [(None, a) for a in annotations(chosen)])
    with Store(there, read_only=True) as store, open(export, "w", encoding="utf-8", newline="") as fh:
        export_json.write(store, fh, select(store))
    return here, export


# --- child ----------------------------------------------------------------------------------------------------


def child_merge(here: Path, export: Path, out: Path) -> None:
    """Open `here`, merge `export` into it (timed in its two parts), then time orjson reading the same file."""
    import orjson

    from annotations import merge
    from annotations.store import Store

    raw = export.read_bytes()  # the file in the page cache for both
    store = Store(here)
    store.load_annotations()
    t0 = time.perf_counter()
    plan = merge.plan(store, merge.read_export(export), export.name)
    t1 = time.perf_counter()
    merge.apply(store, plan)
    t2 = time.perf_counter()
    store.close()
    t3 = time.perf_counter()
    orjson.loads(raw)
    t4 = time.perf_counter()
    report = plan.report
    write_result(
        out,
        {
            "plan_s": t1 - t0,
            "apply_s": t2 - t1,
            "merge_s": t2 - t0,
            "orjson_s": t4 - t3,
            "added": report["added"],
            "file_mb": len(raw) / 1e6,
        },
    )


# --- measuring ------------------------------------------------------------------------------------------------


def measure(scratch: Path, sizes: tuple[int, ...] = SIZES, runs: int = 3, log=print) -> dict:
    """Median figures per size, each from `runs` fresh processes on fresh copies of "here"."""
    results: dict = {"runs": runs, "sizes": {}}
    for n in sizes:
        folder = scratch / f"merge-{n}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        here, export = build(folder, n)
        built = time.perf_counter() - started
        samples = []
        for run in range(runs):
            copy = folder / f"here-{run}"
            shutil.copytree(here, copy)
            samples.append(run_child(SCRIPT, "child", copy, export)[0])
            shutil.rmtree(copy)
        row = {key: median([s[key] for s in samples]) for key in samples[0]}
        assert row["added"] == n, row
        row["build_s"] = built
        results["sizes"][n] = row
        log(f"  merge {n:,} into {n:,}: {row['merge_s']:.2f} s (orjson.loads {row['orjson_s']:.3f} s)")
        shutil.rmtree(folder, ignore_errors=True)
    return results


def goal_rows(results: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Rows for run.py's table: figure | wiredesk | baseline | ratio | goal | met?"""
    sizes = sorted(results["sizes"])
    rows = []
    for n in sizes:
        r = results["sizes"][n]
        last = n == sizes[-1]
        rows.append(
            (
                f"merge {n:,} new annotations into a story holding {n:,}: read, check, plan, write",
                f"{r['merge_s']:.2f} s",
                f"orjson.loads of the same file {r['orjson_s']:.3f} s",
                f"{r['merge_s'] / r['orjson_s']:.0f}× the orjson time",
                f"≤ {GOAL_S:.0f} s" if last else "",
                ("yes" if r["merge_s"] <= GOAL_S else "**NO**") if last else "",
            )
        )
    if len(sizes) > 1:
        small, big = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
        growth = big["merge_s"] / small["merge_s"]
        base = big["orjson_s"] / small["orjson_s"]
        rows.append(
            (
                f"merge growth: {sizes[-1]:,} / {sizes[0]:,}",
                f"{growth:.1f}×",
                f"orjson.loads: {base:.1f}×",
                f"linear {sizes[-1] / sizes[0]:.0f}×",
                f"≤ {GOAL_GROWTH:.0f}×",
                "yes" if growth <= GOAL_GROWTH else "**NO**",
            )
        )
    return rows


def details(results: dict) -> str:
    head = ("N", "read + check + plan s", "apply (durable) s", "merge s", "orjson.loads s", "file MB")
    rows = [
        (
            f"{n:,}",
            f"{r['plan_s']:.3f}",
            f"{r['apply_s']:.3f}",
            f"{r['merge_s']:.3f}",
            f"{r['orjson_s']:.4f}",
            f"{r['file_mb']:.1f}",
        )
        for n, r in sorted(results["sizes"].items())
    ]
    return (
        f"Merge ({results['runs']} fresh processes per figure, medians; N annotations merged into one story that "
        "holds N others; orjson baseline = `orjson.loads` of the same file's bytes in the same process):\n\n"
        + markdown(rows, head)
    )


def record(text: str, results_file: Path = BENCH_DIR / "RESULTS.md") -> None:
    """Put `text` at the end of RESULTS.md under HEADING, in place of an earlier one."""
    old = results_file.read_text(encoding="utf-8") if results_file.exists() else "# Benchmark results\n"
    if HEADING in old:
        before, _, after = old.partition(HEADING)
        rest = after.split("\n## ", 1)
        old = before.rstrip() + ("\n\n## " + rest[1] if len(rest) > 1 else "")
    results_file.write_text(f"{old.rstrip()}\n\n{HEADING}\n\n{text.strip()}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["child"]:
        child_merge(Path(argv[1]), Path(argv[2]), Path(argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one process per figure")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated N")
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",") if s)
    started, load, when = time.perf_counter(), os.getloadavg()[0], datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="wiredesk-bench-merge-", dir=BENCH_DIR) as scratch:
        results = measure(Path(scratch), sizes, runs=1 if args.quick else 3)
        info = machine(Path(scratch))
    table = markdown(goal_rows(results), ("figure", "wiredesk", "baseline (same run)", "ratio", "goal", "met?"))
    info["load (1-min average) before / after"] = f"{load:.2f} / {os.getloadavg()[0]:.2f}"
    info["benchmark took"] = f"{time.perf_counter() - started:.0f} s"
    lines = "\n".join(f"- {k}: {v}" for k, v in info.items())
    text = f"Run {when:%Y-%m-%d %H:%M} UTC\n\n{lines}\n\n{table}\n\n{details(results)}\n"
    print()
    print(text)
    if args.record and not args.quick:
        record(text)
        print("recorded in bench/RESULTS.md")


if __name__ == "__main__":
    main()
