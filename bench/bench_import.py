"""Import benchmark: stories per second importing each wire format, against only reading the same files.

    python bench/bench_import.py [--quick] [--data DIR] [--formats text,ninjs] [--record]  # measure, print
    python bench/bench_import.py --profile FORMAT [--data DIR]                   # cProfile of one import
    python bench/bench_import.py child read|parse|sandbox|import|reimport FOLDER [LIBRARY] OUT  # a child

`make_wire_files.py` writes 5,000 made-up stories per format in `bench/.data/wire/` (HTML pages: fewer, see
`HTML_STORIES`: trafilatura takes ~5 ms a page), once; they are rewritten when the generator changes. For each
format, three fresh processes time, over the same file list:

- **read only** — walking the folder (`iter_files`) and `open` + `read` of every file's bytes (best of 3);
- **parse only** — `load_path` of every file (read, recognise the format, parse), nothing stored;
- **parse in the sandbox** — for the formats an import parses in a child process with a time budget (RSS/Atom,
  HTML: `stories.sandbox.SANDBOXED`), the same with `time_budget`: the cost of the child (its start and the
  libraries' loading included, as an import pays them once);
- **import** — `Store(fresh dir)`, `import_paths(store, [folder])` to the end (every batch stored and
  fsync'd) and `store.close()`, as `wiredesk import FOLDER` does; the time inside `Store.import_stories` is
  noted as the store's part. Every story must come out "imported", or the benchmark fails;
- **re-import** — then, in 3 more fresh processes (the median), `Store(that library)`, `import_paths(store,
  [folder])` of the same, unchanged files and `store.close()`: every story must come out "present" (issue 14: a
  file whose bytes were imported before is recognised before it is parsed; goal ≤ 10 % of the fresh import's
  time); once more the same, asking every outcome for its `story` (read from the library when asked).

The page cache cannot be dropped here (no root), so every file is read once before the format's processes run:
all three are timed with a warm cache, and the read-only rate is the floor of what any import could reach.
`run.py` calls `measure` and records the table in RESULTS.md; run alone, this prints it, and `--record` puts it
in RESULTS.md as a section of its own ("Import and re-import").
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

from common import BENCH_DIR, markdown, run_child, write_result
from make_wire_files import FORMAT_LABELS, FORMATS, check, make_wire_files

__all__ = ["GOAL", "HEADER", "HTML_STORIES", "STORIES", "details", "goal_rows", "measure", "table"]

SCRIPT = "bench_import.py"
STORIES = 5000
HTML_STORIES = 2000
QUICK_STORIES = 300
SEED = 1
#: stories/s the issue asks for, by format
GOAL = {"text": 500, "ninjs": 500}
#: a re-import of unchanged files may take at most this share of a fresh import's time (issue 14)
REIMPORT_GOAL = 0.10
#: re-imports are timed in this many fresh processes each (the median is taken)
REIMPORT_RUNS = 3
SOURCES = [BENCH_DIR / "make_wire_files.py", BENCH_DIR / "make_library.py"]


# --- children -----------------------------------------------------------------------------------------------


def child_read(folder: Path, out: Path) -> None:
    """Walk the folder and read every file's bytes, 3 times; the fastest."""
    from stories.loader import iter_files

    times, size, files = [], 0, 0
    for _ in range(3):
        started = time.perf_counter()
        size = files = 0
        for path in iter_files([folder]):
            with open(path, "rb") as fh:
                size += len(fh.read())
            files += 1
        times.append(time.perf_counter() - started)
    write_result(out, {"seconds": min(times), "all_s": times, "files": files, "bytes": size})


def child_parse(folder: Path, out: Path) -> None:
    """`load_path` of every file (read + recognise + parse), nothing stored."""
    from stories.loader import iter_files, load_path

    started = time.perf_counter()
    stories = 0
    first = 0.0
    for files, path in enumerate(iter_files([folder]), 1):
        stories += len(load_path(path))
        if files == 1:
            first = time.perf_counter() - started  # includes importing the format's libraries
    write_result(out, {"seconds": time.perf_counter() - started, "first_file_s": first, "stories": stories})


def child_sandbox(folder: Path, out: Path) -> None:
    """`load_path` of every file with a time budget: the `SANDBOXED` formats are parsed in the child process."""
    from stories.loader import iter_files, load_path
    from stories.sandbox import Sandbox

    started = time.perf_counter()
    stories = 0
    with Sandbox() as sandbox:
        for path in iter_files([folder]):
            stories += len(load_path(path, time_budget=60, sandbox=sandbox))
    write_result(out, {"seconds": time.perf_counter() - started, "stories": stories})


def child_import(folder: Path, library: Path, out: Path, fresh: bool = True, stories: bool = False) -> None:
    """`import_paths` of the folder into a new library (`fresh`; else into the library as it is), as `wiredesk
    import FOLDER` does; the time in the store noted. The library is left for a re-import. `stories`: every
    outcome's `story` is asked for too (as the CLI's lines do today: a known file's story is then read from the
    library)."""
    from annotations.importing import import_paths
    from annotations.store import Store

    if fresh:
        shutil.rmtree(library, ignore_errors=True)
    in_store = [0.0]
    original = Store.import_stories

    def timed(self: Store, stories: list) -> list[str]:
        started = time.perf_counter()
        try:
            return original(self, stories)
        finally:
            in_store[0] += time.perf_counter() - started

    Store.import_stories = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    store = Store(library)
    outcomes = import_paths(store, [folder])
    statuses = Counter(o.status for o in outcomes if not stories or (o.story is not None and o.story.headline))
    store.close()
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in library.iterdir() if f.is_file())
    write_result(
        out,
        {
            "seconds": seconds,
            "store_s": in_store[0],
            "stories": sum(n for status, n in statuses.items() if status != "failed"),
            "statuses": dict(statuses),
            "library_bytes": size,
        },
    )


# --- the parent ---------------------------------------------------------------------------------------------


def _stamp(stories: int, html_stories: int) -> dict:
    digest = hashlib.sha256()
    for path in SOURCES:
        digest.update(path.read_bytes())
    return {"stories": stories, "html_stories": html_stories, "seed": SEED, "sources": digest.hexdigest()}


def wire_files(data: Path, quick: bool, formats=FORMATS, log=print) -> tuple[Path, dict]:
    """The generated files (written if missing or out of date, then spot-checked with wiredesk's parser)."""
    stories, html_stories = (QUICK_STORIES, QUICK_STORIES) if quick else (STORIES, HTML_STORIES)
    root = data / ("wire-quick" if quick else "wire")
    stamp_file = root / "stamp.json"
    stamp = _stamp(stories, html_stories)
    try:
        recorded = json.loads(stamp_file.read_text())
        manifest = recorded["manifest"] if recorded["stamp"] == stamp else {}
    except (OSError, ValueError, KeyError):
        manifest = {}
    missing = [fmt for fmt in formats if fmt not in manifest]
    if missing:
        made = make_wire_files(root, stories, SEED, html_stories, missing)
        problems = check(root, made)
        if problems:
            raise SystemExit("generated files do not parse as written:\n" + "\n".join(problems))
        manifest |= made
        stamp_file.write_text(json.dumps({"stamp": stamp, "manifest": manifest}))
        for fmt in missing:
            info = manifest[fmt]
            log(f"  wrote {info['stories']:,} {FORMAT_LABELS[fmt]} stories in {info['files']:,} files")
    return root, manifest


def _warm(folder: Path) -> None:
    for path in sorted(folder.iterdir()):
        path.read_bytes()


def _median_run(runs: int, mode: str, folder: Path, library: Path) -> dict:
    """The result of the median time over `runs` fresh processes (a short figure: one process is easily disturbed)."""
    results = [run_child(SCRIPT, "child", mode, folder, library)[0] for _ in range(runs)]
    return sorted(results, key=lambda r: r["seconds"])[len(results) // 2]


def measure(data: Path, quick: bool = False, formats=FORMATS, log=print) -> dict:
    """Per format: read-only, parse-only and import times of the same files, each in a fresh process."""
    from stories.sandbox import SANDBOXED

    root, manifest = wire_files(data, quick, formats, log)
    library = data / "scratch-import"
    results: dict = {"warm_cache": True, "formats": {}}
    for fmt in formats:
        folder = root / fmt
        _warm(folder)
        read = run_child(SCRIPT, "child", "read", folder)[0]
        parse = run_child(SCRIPT, "child", "parse", folder)[0]
        sandboxed = run_child(SCRIPT, "child", "sandbox", folder)[0] if fmt in SANDBOXED else None
        done = run_child(SCRIPT, "child", "import", folder, library)[0]
        again = _median_run(REIMPORT_RUNS, "reimport", folder, library)
        again_read = _median_run(REIMPORT_RUNS, "reimport-stories", folder, library)
        shutil.rmtree(library, ignore_errors=True)
        expected = manifest[fmt]["stories"]
        if done["statuses"] != {"imported": expected} or parse["stories"] != expected:
            raise SystemExit(f"{fmt}: expected {expected} new stories, import gave {done['statuses']}")
        if again["statuses"] != {"present": expected} or again_read["statuses"] != again["statuses"]:
            raise SystemExit(f"{fmt}: expected {expected} stories present, re-import gave {again['statuses']}")
        result = {
            "files": read["files"],
            "stories": expected,
            "bytes": read["bytes"],
            "read_s": read["seconds"],
            "parse_s": parse["seconds"],
            "first_file_s": parse["first_file_s"],
            "import_s": done["seconds"],
            "reimport_s": again["seconds"],
            "reimport_stories_s": again_read["seconds"],
            "sandbox_s": sandboxed["seconds"] if sandboxed else None,
            "store_s": done["store_s"],
            "library_bytes": done["library_bytes"],
        }
        for key in ("read", "parse", "import", "reimport"):
            result[f"{key}_rate"] = expected / result[f"{key}_s"]
        results["formats"][fmt] = result
        log(
            f"  {FORMAT_LABELS[fmt]:10} {expected:5,} stories: read {result['read_rate']:9,.0f}/s, parse "
            f"{result['parse_rate']:6,.0f}/s, import {result['import_rate']:6,.0f}/s, re-import "
            f"{result['reimport_rate']:6,.0f}/s ({result['reimport_s'] / result['import_s']:.1%} of the import)"
        )
    shutil.rmtree(library, ignore_errors=True)
    return results


# --- tables -------------------------------------------------------------------------------------------------

HEADER = (
    "format",
    "files",
    "stories",
    "read-only stories/s",
    "import stories/s",
    "parse-only stories/s",
    "import time ÷ read time",
    "goal",
    "met?",
    "re-import of the same files stories/s",
    "re-import time ÷ import time",
)


def _label(fmt: str, stories: int, most: int) -> str:
    if stories < most:
        return f"{FORMAT_LABELS[fmt]} (only {stories:,} stories: {'trafilatura is slow' if fmt == 'html' else 'fewer'})"
    return FORMAT_LABELS[fmt]


def table(results: dict) -> list[tuple[str, ...]]:
    """Rows: format | files | stories | read-only | import | parse-only | ratio | goal | met?"""
    rows = []
    most = max(r["stories"] for r in results["formats"].values())
    for fmt, r in results["formats"].items():
        goal = GOAL.get(fmt)
        rows.append(
            (
                _label(fmt, r["stories"], most),
                f"{r['files']:,}",
                f"{r['stories']:,}",
                f"{r['read_rate']:,.0f}",
                f"{r['import_rate']:,.0f}",
                f"{r['parse_rate']:,.0f}",
                f"{r['import_s'] / r['read_s']:,.0f}×",
                f"≥ {goal} stories/s" if goal else "",
                ("yes" if r["import_rate"] >= goal else "**NO**") if goal else "",
                f"{r['reimport_rate']:,.0f}",
                f"{r['reimport_s'] / r['import_s']:.1%}",
            )
        )
    return rows


def goal_rows(results: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Rows for run.py's main table (figure | wiredesk | baseline | ratio | goal | met?): the formats with a goal."""
    rows = []
    for fmt, goal in GOAL.items():
        r = results["formats"].get(fmt)
        if r is None:
            continue
        rows.append(
            (
                f"import {r['stories']:,} {FORMAT_LABELS[fmt]} stories (`import_paths` into a new library)",
                f"{r['import_rate']:,.0f} stories/s",
                f"read only {r['read_rate']:,.0f} stories/s",
                f"{r['import_s'] / r['read_s']:,.0f}× the read time",
                f"≥ {goal} stories/s",
                "yes" if r["import_rate"] >= goal else "**NO**",
            )
        )
    for fmt in GOAL:
        r = results["formats"].get(fmt)
        if r is None:
            continue
        share = r["reimport_s"] / r["import_s"]
        rows.append(
            (
                f"re-import the same {r['files']:,} unchanged {FORMAT_LABELS[fmt]} files (`import_paths` into the "
                "library that has them)",
                f"{r['reimport_s']:.2f} s ({r['reimport_rate']:,.0f} stories/s)",
                f"fresh import {r['import_s']:.2f} s",
                f"{share:.1%} of the import's time",
                f"≤ {REIMPORT_GOAL:.0%}",
                "yes" if share <= REIMPORT_GOAL else "**NO**",
            )
        )
    return rows


def details(results: dict) -> str:
    """The seconds behind the rates, and where the import's time goes."""
    rows = []
    for fmt, r in results["formats"].items():
        parse_part = r["import_s"] - r["store_s"]
        rows.append(
            (
                FORMAT_LABELS[fmt],
                f"{r['bytes'] / 1e6:.1f}",
                f"{r['read_s']:.3f}",
                f"{r['parse_s']:.2f} ({r['first_file_s']:.2f})",
                f"{r['import_s']:.2f}",
                f"{parse_part:.2f} / {r['store_s']:.2f} ({r['store_s'] / r['import_s']:.0%})",
                f"{r['library_bytes'] / 1e6:.1f}",
                f"{r['sandbox_s']:.2f} ({r['sandbox_s'] / r['parse_s']:.2f}×)" if r.get("sandbox_s") else "",
                f"{r['reimport_s']:.3f}",
                f"{r['reimport_stories_s']:.3f} ({r['reimport_stories_s'] / r['import_s']:.1%} of the import)",
            )
        )
    head = (
        "format",
        "files MB",
        "read only s",
        "parse only s (first file s)",
        "import s",
        "import: reading + parsing / storing s (storing %)",
        "library MB",
        "parse in the sandbox s (× parse only)",
        "re-import s",
        "re-import, every outcome's `story` read s",
    )
    return (
        "Import (each format in three fresh processes over the same files, warm page cache: every file was read "
        "once before; read only = walk + open + read, best of 3; parse only = `load_path` of each file; import = "
        "`Store(new dir)` + `import_paths(store, [folder])` + `close()`, storing = time inside "
        "`Store.import_stories`; the first file's time includes importing the format's libraries; parse in the "
        "sandbox = `load_path` with a time budget, RSS/Atom and HTML parsed in the child process, its start "
        "included; re-import = `Store(that library)` + `import_paths` of the same files + `close()`, the median of "
        f"{REIMPORT_RUNS} more processes; and as many more asking every outcome for its `story`, which a known "
        "file's outcome reads from the library when asked, as the CLI's lines do today):\n\n" + markdown(rows, head)
    )


# --- profile ------------------------------------------------------------------------------------------------


def profile(data: Path, fmt: str, quick: bool, top: int = 30) -> None:
    """Import one format's files under cProfile, in this process; print where the time goes."""
    from annotations.importing import import_paths
    from annotations.store import Store

    root, _ = wire_files(data, quick, [fmt])
    _warm(root / fmt)
    library = data / "scratch-profile"
    shutil.rmtree(library, ignore_errors=True)
    profiler = cProfile.Profile()
    store = Store(library)
    profiler.enable()
    count = sum(1 for _ in import_paths(store, [root / fmt]))
    store.close()
    profiler.disable()
    shutil.rmtree(library, ignore_errors=True)
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"{count:,} stories in {total:.2f} s under cProfile ({count / total:,.0f}/s; cProfile slows Python down)")
    for order in ("cumulative", "tottime"):
        print(f"\n--- top {top} by {order} ---")
        stats.sort_stats(order).print_stats(top)


def main(argv: list[str] | None = None) -> None:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["child"]:
        mode, folder, *rest = argv[1:]
        out = Path(rest[-1])
        if mode == "read":
            child_read(Path(folder), out)
        elif mode == "parse":
            child_parse(Path(folder), out)
        elif mode == "sandbox":
            child_sandbox(Path(folder), out)
        elif mode in ("import", "reimport", "reimport-stories"):
            child_import(Path(folder), Path(rest[0]), out, fresh=mode == "import", stories=mode.endswith("stories"))
        else:
            raise SystemExit(f"unknown mode {mode!r}")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH_DIR / ".data", help="where the files are generated")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_STORIES} stories per format")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, of: " + ", ".join(FORMATS))
    parser.add_argument("--profile", metavar="FORMAT", choices=FORMATS, help="cProfile the import of one format")
    parser.add_argument("--record", action="store_true", help="put the tables in bench/RESULTS.md (not --quick)")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    if unknown := set(formats) - set(FORMATS):
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    args.data.mkdir(parents=True, exist_ok=True)
    if args.profile:
        profile(args.data, args.profile, args.quick)
        return
    started = time.perf_counter()
    load = os.getloadavg()[0]
    results = measure(args.data, args.quick, formats)
    took, after = time.perf_counter() - started, os.getloadavg()[0]
    text = "\n\n".join(
        [
            markdown(goal_rows(results), ("figure", "wiredesk", "baseline (same run)", "ratio", "goal", "met?")),
            markdown(table(results), HEADER),
            details(results),
            f"{took:.0f} s; load (1-min average) before / after {load:.2f} / {after:.2f}",
        ]
    )
    print()
    print(text)
    if args.record and not args.quick:
        from sections import record_section

        command = " ".join(["python bench/bench_import.py", *argv])
        record_section("Import and re-import (issue 14)", command, text)
        print("recorded in bench/RESULTS.md")


if __name__ == "__main__":
    main()
