"""Run every wiredesk benchmark with one command; print the table and record it in bench/RESULTS.md.

    python bench/run.py [--quick] [--fresh] [--no-record] [--data DIR]

Builds made-up libraries of 1k, 10k, 100k and 200k annotations (~20 per ~4 KB story) in `bench/.data/`
(kept between runs, rebuilt when the generator or the store's formats change, or with --fresh), then measures,
each in fresh processes and against baselines measured in the same run:

- a durable save (`store.put`) at each size, against plain TinyDB (JSONStorage) inserting one document and
  against the floor: appending the same journal bytes to a file and fdatasync'ing it;
- opening the 200k library, against `orjson.loads` of the same annotations.json bytes; and memory;
- app start to the first frame on the 10k-story/200k-annotation library, against a bare Textual app;
- importing 5,000 generated stories of each wire format (`bench_import.py`), against only reading the same files;
- exporting the 200k library to csv and jsonl (`bench_export.py`), against orjson.dumps of the same records, and
  the export's peak memory at 200k against a 20k-annotation library (1,000 stories);
- merging 2,000 and 8,000 new annotations into a story holding as many (`bench_merge.py`), against orjson.loads
  of the same file.

`--quick` uses fewer repetitions and 300 stories per format (a smoke test; its numbers are not recorded).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import app_start
import bench_export
import bench_import
import bench_merge
import bench_store
from common import BENCH_DIR, REPO_DIR, machine, markdown
from make_library import make_library

SIZES = {1_000: 50, 10_000: 500, 100_000: 5_000, 200_000: 10_000}  # annotations: stories
EXPORT_SIZES = {20_000: 1_000, 200_000: 10_000}  # the export's memory is compared between these
SEED = 1
RESULTS = BENCH_DIR / "RESULTS.md"
MARKER = "<!-- runs below are written by bench/run.py, newest first -->"
KEEP_RUNS = 8
FORMAT_SOURCES = [
    BENCH_DIR / "make_library.py",
    *(REPO_DIR / "annotations" / "store" / f for f in ("records.py", "storage.py", "bodies.py", "journal.py")),
    REPO_DIR / "annotations" / "model.py",
    REPO_DIR / "stories" / "model.py",
]


# --- libraries ---------------------------------------------------------------------------------------------


def _stamp(size: int, stories: int) -> dict:
    digest = hashlib.sha256()
    for path in FORMAT_SOURCES:
        digest.update(path.read_bytes())
    return {"annotations": size, "stories": stories, "seed": SEED, "sources": digest.hexdigest()}


def _files(library: Path) -> dict[str, list[int]]:
    names = ("stories.json", "annotations.json", "texts.pack")
    return {n: [(library / n).stat().st_size, (library / n).stat().st_mtime_ns] for n in names}


def _intact(library: Path, stamp_file: Path, stamp: dict) -> bool:
    """True if the library was built with these sources and nothing was saved in it since."""
    try:
        recorded = json.loads(stamp_file.read_text())
        if recorded["stamp"] != stamp or recorded["files"] != _files(library):
            return False
    except (OSError, ValueError, KeyError):
        return False
    journals = [library / "stories.journal", library / "annotations.journal"]
    return all(not j.exists() or j.stat().st_size < 200 for j in journals) and not (library / "backups").exists()


def libraries(data: Path, fresh: bool, log=print, sizes: dict[int, int] = SIZES) -> dict[int, Path]:
    """The benchmark libraries by annotation count (`sizes`: annotations -> stories), built if missing, stale or
    changed."""
    data.mkdir(parents=True, exist_ok=True)
    found = {}
    for size, stories in sizes.items():
        library = data / f"lib-{size // 1000}k"
        stamp_file = data / f"lib-{size // 1000}k.stamp.json"
        stamp = _stamp(size, stories)
        if fresh or not _intact(library, stamp_file, stamp):
            shutil.rmtree(library, ignore_errors=True)
            done = make_library(library, stories, size, SEED)
            stamp_file.write_text(json.dumps({"stamp": stamp, "files": _files(library)}))
            log(
                f"  built {library.name}: {done['stories']:,} stories, {done['annotations']:,} annotations "
                f"in {done['seconds']:.1f} s"
            )
        found[size] = library
    return found


# --- the table ---------------------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:.3f} ms" if value < 10 else f"{value:,.0f} ms"


def _s(value: float) -> str:
    return f"{value:.2f} s"


def _x(value: float) -> str:
    return f"{value:.2f}×" if value < 10 else f"{value:,.0f}×"


def _met(ok: bool) -> str:
    return "yes" if ok else "**NO**"


def table(results: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Rows: figure | wiredesk | baseline | ratio | goal | met?"""
    saves, opened, apps = results["saves"], results["open"], results["app"]
    rows = []
    sizes = sorted(saves)
    for size in sizes:
        s = saves[size]
        last = size == sizes[-1]
        rows.append(
            (
                f"save one annotation (durable), {size:,} annotations: median (p90)",
                f"{_ms(s['save_median_ms'])} ({_ms(s['save_p90_ms'])})",
                f"plain TinyDB {_ms(s['tinydb_median_ms'])}; floor {_ms(s['floor_median_ms'])}",
                f"TinyDB is {_x(s['tinydb_median_ms'] / s['save_median_ms'])} slower; "
                f"{_x(s['save_median_ms'] / s['floor_median_ms'])} the floor",
                "median ≤ 2 ms" if last else "",
                _met(s["save_median_ms"] <= 2) if last else "",
            )
        )
    growth = saves[sizes[-1]]["save_median_ms"] / saves[sizes[0]]["save_median_ms"]
    rows.append(
        (
            f"save growth: save({sizes[-1] // 1000}k) / save({sizes[0] // 1000}k)",
            _x(growth),
            "plain TinyDB: " + _x(saves[sizes[-1]]["tinydb_median_ms"] / saves[sizes[0]]["tinydb_median_ms"]),
            "",
            "≤ 1.5",
            _met(growth <= 1.5),
        )
    )
    n = f"{opened['annotations']:,}"
    rows.append(
        (
            f"open the store, {n} annotations: `Store(dir)` → annotations loaded",
            _s(opened["open_s"]),
            f"read + orjson.loads {_s(opened['orjson_loads_s'])}",
            _x(opened["open_s"] / opened["orjson_loads_s"]),
            "≤ 1 s",
            _met(opened["open_s"] <= 1),
        )
    )
    rows.append(
        (
            f"open the store, {n} annotations: `Store(dir)` → story list (what the first frame needs)",
            _s(opened["entries_s"]),
            "",
            "",
            "",
            "",
        )
    )
    bare = apps["bare"]["first_frame_s"]
    for mode, label in (("cli", "the `wiredesk` command"), ("app", "`WiredeskApp` on a `Store`")):
        a = apps[mode]
        rows.append(
            (
                f"first frame waits for the annotations to load? ({label})",
                "yes" if a["annotations_loaded_at_first_frame"] else "no",
                "",
                "",
                "no",
                _met(not a["annotations_loaded_at_first_frame"]),
            )
        )
    stories = apps["cli"]["rows"]
    for mode, label in (("cli", "the `wiredesk` command"), ("app", "`WiredeskApp` on a `Store`")):
        a = apps[mode]
        rows.append(
            (
                f"process start → first frame, {stories:,} stories + {n} annotations ({label})",
                _s(a["first_frame_s"]),
                f"bare Textual app {_s(bare)}",
                _x(a["first_frame_s"] / bare),
                "≤ 2× bare",
                _met(a["first_frame_s"] <= 2 * bare),
            )
        )
    rows.append(
        (
            f"process start → annotation counts on screen ({apps['app']['rows']:,} stories, `WiredeskApp`)",
            _s(apps["app"]["counts_shown_s"]),
            "",
            "",
            "",
            "",
        )
    )
    rows.append(
        (
            f"memory (RSS) with {n} annotations loaded and counted",
            f"{opened['rss_counts_mb']:.0f} MB (peak {opened['hwm_mb']:.0f} MB)",
            f"plain dicts via orjson {opened['orjson_rss_mb']:.0f} MB",
            _x(opened["rss_counts_mb"] / opened["orjson_rss_mb"]),
            "≤ 400 MB",
            _met(opened["rss_counts_mb"] <= 400),
        )
    )
    rows.append(
        (
            "memory (RSS) of the app with the counts on screen",
            f"{apps['app']['rss_mb']:.0f} MB (peak {apps['app']['hwm_mb']:.0f} MB)",
            f"bare Textual app {apps['bare']['rss_mb']:.0f} MB",
            "",
            "",
            "",
        )
    )
    big = saves[sizes[-1]]
    rows.append(
        (
            f"compaction at exit (`close(compact=True)`), {sizes[-1]:,} annotations",
            _s(big["compact_at_exit_s"]),
            "",
            "",
            "",
            "",
        )
    )
    rows += bench_import.goal_rows(results["import"])
    rows += bench_export.goal_rows(results["export"])
    rows += bench_merge.goal_rows(results["merge"])
    return rows


def details(results: dict) -> str:
    """Per-size and per-app numbers behind the table."""
    saves, apps, opened = results["saves"], results["app"], results["open"]
    save_rows = [
        (
            f"{size:,}",
            f"{s['save_median_ms']:.3f} / {s['save_p90_ms']:.3f} / {s['save_max_ms']:.3f} ({s['saves']})",
            f"{s['floor_median_ms']:.3f} / {s['floor_p90_ms']:.3f}",
            f"{s['above_floor_ms']:.3f}",
            f"{s['tinydb_median_ms']:.1f} ({s['tinydb_inserts']})",
            f"{s['line_bytes']:.0f}",
            f"{s['snapshot_mb']:.1f} / {s['tinydb_file_mb']:.1f}",
            f"{s['compact_at_exit_s']:.3f}",
        )
        for size, s in sorted(saves.items())
    ]
    save_head = (
        "annotations",
        "wiredesk save ms: median / p90 / max (n)",
        "floor ms: median / p90",
        "save − floor ms: median",
        "plain TinyDB insert ms: median (n)",
        "journal line bytes",
        "snapshot / TinyDB file MB",
        "compaction at exit s",
    )
    app_rows = [
        (
            mode,
            f"{a['first_frame_s']:.3f}",
            ", ".join(f"{v:.3f}" for v in a["first_frame_all_s"]),
            f"{a['interpreter_s']:.3f}",
            f"{a['counts_shown_s']:.3f}",
            f"{a['rss_mb']:.0f} / {a['hwm_mb']:.0f}",
        )
        for mode, a in ((m, apps[m]) for m in ("bare", "cli", "app"))
    ]
    app_head = ("app", "first frame s (median)", "each run", "interpreter up s", "counts shown s", "RSS / peak MB")
    open_line = (
        f"Open ({opened['runs']} runs, medians): import {opened['import_s']:.3f} s; `Store(dir)` + `entries()` "
        f"{opened['entries_s']:.3f} s; `load_annotations()` {opened['load_s']:.3f} s; counts of every story "
        f"{opened['counts_s']:.3f} s. RSS after the story list {opened['rss_entries_mb']:.0f} MB, after loading "
        f"{opened['rss_loaded_mb']:.0f} MB, after counting {opened['rss_counts_mb']:.0f} MB, peak "
        f"{opened['hwm_mb']:.0f} MB. Baseline read + `orjson.loads`: {opened['orjson_loads_s']:.3f} s, RSS "
        f"{opened['orjson_rss_mb']:.0f} MB (peak {opened['orjson_hwm_mb']:.0f} MB)."
    )
    return "\n\n".join(
        [
            "Saves (each a `store.put` of a new annotation, the story passed as the reader does; the floor is an "
            "`os.write` + `os.fdatasync` of the same journal line, right after each save, same folder; plain "
            "TinyDB is `TinyDB(path)` with the default JSONStorage holding the same annotations as documents):",
            markdown(save_rows, save_head),
            "App start (headless, process spawn → first frame of the library list; `cli` is the `wiredesk "
            "--data-dir DIR` command, `app` is `WiredeskApp(Store(DIR))`, `bare` is Header + DataTable of the same "
            "headlines + Footer):",
            markdown(app_rows, app_head),
            open_line,
            bench_import.details(results["import"]),
            bench_export.details(results["export"]),
            bench_merge.details(results["merge"]),
        ]
    )


def record(text: str) -> None:
    """Put this run first in RESULTS.md, under the hand-written part, keeping a few earlier runs."""
    head, runs = _default_head(), []
    if RESULTS.exists():
        old = RESULTS.read_text(encoding="utf-8")
        if MARKER in old:
            head, rest = old.split(MARKER, 1)
            runs = [r for r in rest.split("\n## Run ") if r.strip()]
    runs = [text.removeprefix("## Run "), *[r.strip() for r in runs][: KEEP_RUNS - 1]]
    body = "\n\n".join("## Run " + r.strip() for r in runs)
    RESULTS.write_text(f"{head.rstrip()}\n\n{MARKER}\n\n{body}\n", encoding="utf-8")


def _default_head() -> str:
    return (
        "# Benchmark results\n\nReproduce with one command from the repository root: `python bench/run.py` "
        "(see its docstring). Every ratio compares numbers measured in the same run.\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH_DIR / ".data", help="where the libraries are built")
    parser.add_argument("--fresh", action="store_true", help="rebuild the libraries")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions; nothing recorded")
    parser.add_argument("--no-record", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    when = datetime.now(UTC)
    load_before = os.getloadavg()[0]
    print("building libraries…", flush=True)
    libs = libraries(args.data, args.fresh)
    scratch = args.data / "scratch"
    scratch.mkdir(exist_ok=True)
    biggest = libs[max(libs)]
    print("measuring saves…", flush=True)
    results = {"saves": bench_store.measure_saves(libs, scratch, count=50 if args.quick else 200)}
    print("measuring open and memory…", flush=True)
    results["open"] = bench_store.measure_open(biggest, runs=1 if args.quick else 3)
    print("measuring app start…", flush=True)
    results["app"] = app_start.measure(biggest, runs=1 if args.quick else 5)
    print("measuring import (generated wire files of every format)…", flush=True)
    results["import"] = bench_import.measure(args.data, quick=args.quick)
    print("measuring export (csv, jsonl)…", flush=True)
    missing = {size: stories for size, stories in EXPORT_SIZES.items() if size not in libs}
    export_libs = {size: libs[size] for size in EXPORT_SIZES if size in libs}
    export_libs.update(libraries(args.data, args.fresh, sizes=missing))
    results["export"] = bench_export.measure(export_libs, scratch / "export", runs=1 if args.quick else 3)
    print("measuring merge (N new annotations into a story holding N)…", flush=True)
    results["merge"] = bench_merge.measure(scratch / "merge", runs=1 if args.quick else 3)
    shutil.rmtree(scratch, ignore_errors=True)
    info = machine(args.data)
    header = ("figure", "wiredesk", "baseline (same run)", "ratio", "goal", "met?")
    summary = markdown(table(results), header)
    imports = (
        "Import of generated stories per format (stories/s; read only = the same files' bytes read from disk, "
        "warm page cache):\n\n" + markdown(bench_import.table(results["import"]), bench_import.HEADER)
    )
    elapsed = time.perf_counter() - started
    info["load (1-min average) before / after"] = f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"
    machine_lines = "\n".join(f"- {k}: {v}" for k, v in info.items())
    text = (
        f"## Run {when:%Y-%m-%d %H:%M} UTC\n\n{machine_lines}\n- benchmark took: {elapsed:.0f} s"
        f"{' (--quick)' if args.quick else ''}\n\n{summary}\n\n{imports}\n\n{details(results)}\n"
    )
    print()
    print(text)
    (args.data / "last-results.json").write_text(json.dumps(results, indent=1, default=str))
    if not (args.quick or args.no_record):
        record(text)
        print(f"recorded in {RESULTS.relative_to(REPO_DIR)}")


if __name__ == "__main__":
    sys.exit(main())
