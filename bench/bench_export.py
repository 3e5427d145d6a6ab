"""Export benchmark: annotations/s and peak memory of `select` + an exporter's `write`, against orjson.

    python bench/bench_export.py [--quick] [--data DIR] [--formats csv,jsonl,w3c] [--record]   # measure
    python bench/bench_export.py --profile csv                                  # cProfile of one export
    python bench/bench_export.py --breakdown        # wall clock: csv and jsonl, whole and part by part

Each measurement is a fresh process on a benchmark library (`run.py` builds and caches them: 10,000 stories
with 200,000 annotations, 1,000 with 20,000) opened read-only with its annotations loaded:

- **export**: `select(store)` + `exporter(FORMAT).write(store, file, selection)` into a file on the same disk
  (no fsync: the export's work, not the disk's), timed; the peak RSS (VmHWM, reset through
  /proc/self/clear_refs just before) minus the RSS before the export is the memory the export itself takes;
- **orjson baseline**: the same records as dicts (`export_jsonl.record` of each selected annotation: the fields
  the csv and jsonl rows hold), built first, then `orjson.dumps` of each, written as lines to a file, timed;
- **orjson baseline, w3c**: the W3C annotations as dicts (`export_w3c.annotation` of each), built first, then
  `orjson.dumps(OPT_INDENT_2)` of each written to a file, timed (what the w3c export's JSON costs at the least).

`--record` puts the tables in bench/RESULTS.md as a section of its own ("Export").

A format whose module is not there yet is skipped (and said so).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import ctypes
import gc
import importlib.util
import os
import pstats
import sys
import time
import tracemalloc
from pathlib import Path

from common import BENCH_DIR, markdown, median, memory_mb, run_child, write_result

__all__ = ["FORMATS", "details", "goal_rows", "measure"]

SCRIPT = "bench_export.py"
FORMATS = ("csv", "jsonl", "w3c")
GOAL_RATE = 100_000  # annotations/s
#: Memory is flat when the export's own peak at 200k is at most this much above its peak at 20k (MB).
FLAT_MB = 10


# --- children -----------------------------------------------------------------------------------------------


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False if this kernel cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _trim() -> None:
    """Hand freed heap pages back to the OS (glibc), so that the RSS before an export holds no free memory the
    export could reuse unseen."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _open(library: Path):
    from annotations.store import Store

    store = Store(library, read_only=True)
    store.load_annotations()
    return store


def child_export(library: Path, fmt: str, target: Path, out: Path, trace: bool = False) -> None:
    """Time one export of the whole library; its memory above the open library (`trace`: also the peak of
    Python's allocations during the export, by tracemalloc, which slows it down: not for timing)."""
    from annotations.exports import exporter, select

    module = exporter(fmt)
    t0 = time.perf_counter()
    store = _open(library)
    t1 = time.perf_counter()
    gc.collect()
    _trim()
    before = memory_mb()["VmRSS"]
    reset = _reset_peak()
    if trace:
        tracemalloc.start()
    t2 = time.perf_counter()
    with open(target, "w", encoding="utf-8", newline="") as fh:
        count = module.write(store, fh, select(store))
    t3 = time.perf_counter()
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
    mem = memory_mb()
    size = target.stat().st_size
    write_result(
        out,
        {
            "annotations": count,
            "open_s": t1 - t0,
            "export_s": t3 - t2,
            "rss_before_mb": before,
            "peak_mb": mem["VmHWM"],
            "export_peak_mb": mem["VmHWM"] - before,
            "peak_reset": reset,
            "file_mb": size / 1e6,
            "traced_peak_mb": traced,
        },
    )


def _records(store) -> list[dict]:
    """The records the csv and jsonl rows hold, as dicts (jsonl's `record`, or the same fields without it)."""
    from annotations.exports import Names, select

    names = Names(store)
    try:
        from annotations.exports.jsonl import record
    except ImportError:

        def record(ann, entry, names) -> dict:
            meta = entry.meta
            return {**ann.to_dict(), "headline": meta.headline, "agency": meta.agency or "", "version": entry.version}

    return [record(ann, chosen.entry, names) for chosen in select(store) for ann in chosen.annotations]


def _w3c_records(store) -> list[dict]:
    """The W3C Web Annotations of the export, as dicts."""
    from annotations.exports import Names, select
    from annotations.exports.w3c import annotation

    names = Names(store)
    return [annotation(ann, names) for chosen in select(store) for ann in chosen.annotations]


def child_orjson(library: Path, target: Path, out: Path, kind: str = "orjson") -> None:
    """The baseline: build the same records as dicts, then time orjson.dumps of each into a file, line by line
    (`kind` "orjson-w3c": the W3C annotations, each indented by OPT_INDENT_2)."""
    import orjson

    store = _open(library)
    t0 = time.perf_counter()
    records = _w3c_records(store) if kind == "orjson-w3c" else _records(store)
    option = orjson.OPT_INDENT_2 if kind == "orjson-w3c" else orjson.OPT_APPEND_NEWLINE
    t1 = time.perf_counter()
    gc.collect()
    t2 = time.perf_counter()
    with open(target, "wb") as fh:
        for rec in records:
            fh.write(orjson.dumps(rec, option=option))
    t3 = time.perf_counter()
    size = target.stat().st_size
    write_result(out, {"annotations": len(records), "build_s": t1 - t0, "dumps_s": t3 - t2, "file_mb": size / 1e6})


# --- parent side --------------------------------------------------------------------------------------------


def available(formats=FORMATS) -> tuple[list[str], list[str]]:
    """The formats whose exporter module is there, and those skipped."""
    from annotations.exports import EXPORTERS

    present = [f for f in formats if importlib.util.find_spec(EXPORTERS[f]) is not None]
    return present, [f for f in formats if f not in present]


def measure(libraries: dict[int, Path], scratch: Path, runs: int = 3, formats=FORMATS, log=print) -> dict:
    """Per library size: `runs` exports in each format present and `runs` orjson baselines, alternating; medians."""
    present, skipped = available(formats)
    scratch.mkdir(parents=True, exist_ok=True)
    target = scratch / "export.out"
    results: dict = {"formats": present, "skipped": skipped, "runs": runs, "sizes": {}}
    for size, library in sorted(libraries.items()):
        baselines = ["orjson", *(["orjson-w3c"] if "w3c" in present else [])]
        samples: dict[str, list[dict]] = {f: [] for f in [*present, *baselines]}
        for _ in range(runs):
            for fmt in present:
                samples[fmt].append(run_child(SCRIPT, "export", library, fmt, target)[0])
            for kind in baselines:
                samples[kind].append(run_child(SCRIPT, kind, library, target)[0])
        traced = {fmt: run_child(SCRIPT, "trace", library, fmt, target)[0]["traced_peak_mb"] for fmt in present}
        target.unlink(missing_ok=True)
        by_format = {}
        for fmt, got in samples.items():
            row = {key: median([r[key] for r in got]) for key in got[0] if key not in ("peak_reset", "traced_peak_mb")}
            if not fmt.startswith("orjson"):
                row["peak_reset"] = all(r["peak_reset"] for r in got)
                row["traced_peak_mb"] = traced[fmt]
                row["rate"] = row["annotations"] / row["export_s"]
            else:
                row["rate"] = row["annotations"] / row["dumps_s"]
            by_format[fmt] = row
        results["sizes"][size] = by_format
        for fmt in present:
            r = by_format[fmt]
            log(
                f"  export {fmt} @ {size:>7,}: {r['rate']:,.0f} annotations/s ({r['export_s']:.2f} s), "
                f"+{r['export_peak_mb']:.1f} MB over {r['rss_before_mb']:.0f} MB"
            )
        for kind in baselines:
            o = by_format[kind]
            log(f"  {kind}.dumps @ {size:>7,}: {o['rate']:,.0f} records/s ({o['dumps_s']:.2f} s)")
    return results


def goal_rows(results: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Rows for run.py's table: figure | wiredesk | baseline | ratio | goal | met?"""
    sizes = sorted(results["sizes"])
    big, small = results["sizes"][sizes[-1]], results["sizes"][sizes[0]]
    rows = []
    for fmt in results["formats"]:
        r = big[fmt]
        base, what = _baseline(big, fmt)
        rows.append(
            (
                f"export {r['annotations']:,} annotations to {fmt}: `select` + `write` to a file",
                f"{r['rate']:,.0f} annotations/s ({r['export_s']:.2f} s)",
                f"{what} {base['rate']:,.0f}/s ({base['dumps_s']:.2f} s)",
                f"{r['export_s'] / base['dumps_s']:.1f}× the orjson time",
                f"≥ {GOAL_RATE:,} annotations/s",
                "yes" if r["rate"] >= GOAL_RATE else "**NO**",
            )
        )
    for fmt in results["formats"]:
        b, s = big[fmt], small[fmt]
        growth = b["export_peak_mb"] - s["export_peak_mb"]
        rows.append(
            (
                f"export to {fmt}: peak memory above the open library, {sizes[-1] // 1000}k vs {sizes[0] // 1000}k "
                "annotations",
                f"+{b['export_peak_mb']:.1f} MB vs +{s['export_peak_mb']:.1f} MB",
                f"library open: {b['rss_before_mb']:.0f} MB vs {s['rss_before_mb']:.0f} MB",
                f"{growth:+.1f} MB for {sizes[-1] // sizes[0]}× the annotations",
                f"flat (within {FLAT_MB} MB)",
                "yes" if growth <= FLAT_MB else "**NO**",
            )
        )
    if results["skipped"]:
        skipped = ", ".join(results["skipped"])
        rows.append((f"export to {skipped}", "not measured: no exporter module yet", "", "", "", ""))
    return rows


def _baseline(by_format: dict, fmt: str) -> tuple[dict, str]:
    """The orjson baseline a format is compared with, and what it is."""
    if fmt == "w3c" and "orjson-w3c" in by_format:
        return by_format["orjson-w3c"], "orjson.dumps(OPT_INDENT_2) of the same W3C annotations as dicts"
    return by_format["orjson"], "orjson.dumps of the same records as dicts"


def details(results: dict) -> str:
    """Every figure behind the table, per size and format."""
    head = (
        "annotations",
        "format",
        "export s",
        "annotations/s",
        "open s",
        "RSS before MB",
        "export peak above it MB",
        "Python allocations peak MB (tracemalloc)",
        "file MB",
    )
    rows = []
    for size, by_format in sorted(results["sizes"].items()):
        for fmt in results["formats"]:
            r = by_format[fmt]
            rows.append(
                (
                    f"{size:,}",
                    fmt,
                    f"{r['export_s']:.3f}",
                    f"{r['rate']:,.0f}",
                    f"{r['open_s']:.3f}",
                    f"{r['rss_before_mb']:.0f}",
                    f"{r['export_peak_mb']:.1f}" + ("" if r["peak_reset"] else " (peak not reset)"),
                    f"{r['traced_peak_mb']:.2f}",
                    f"{r['file_mb']:.1f}",
                )
            )
        for kind in ("orjson", "orjson-w3c"):
            o = by_format.get(kind)
            if o is None:
                continue
            rows.append(
                (
                    f"{size:,}",
                    f"{kind} baseline",
                    f"{o['dumps_s']:.3f} (+ {o['build_s']:.3f} building the dicts)",
                    f"{o['rate']:,.0f}",
                    "",
                    "",
                    "",
                    "",
                    f"{o['file_mb']:.1f}",
                )
            )
    return (
        f"Export ({results['runs']} fresh processes per figure, medians; the library opened read-only and its "
        "annotations loaded first; export = `select(store)` + `exporter(FORMAT).write` into a file, no fsync; "
        "export peak = VmHWM, reset just before the export, minus VmRSS then (after `gc.collect()` and glibc's "
        "`malloc_trim(0)`); Python allocations peak = tracemalloc's peak during the same export, in one more "
        "process per figure; orjson baseline = the same records "
        "as dicts (`export_jsonl.record`), built first, then `orjson.dumps` of each written as a line; orjson-w3c "
        "baseline = the W3C annotations as dicts (`export_w3c.annotation`), built first, then "
        "`orjson.dumps(OPT_INDENT_2)` of each written to a file):\n\n" + markdown(rows, head)
    )


# --- profile ------------------------------------------------------------------------------------------------


def profile(library: Path, fmt: str, scratch: Path, top: int = 25) -> None:
    """Export the library in one format under cProfile, in this process; print where the time goes."""
    from annotations.exports import exporter, select

    store = _open(library)
    module = exporter(fmt)
    scratch.mkdir(parents=True, exist_ok=True)
    target = scratch / f"profile.{fmt}"
    profiler = cProfile.Profile()
    with open(target, "w", encoding="utf-8", newline="") as fh:
        profiler.enable()
        count = module.write(store, fh, select(store))
        profiler.disable()
    target.unlink()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"{count:,} annotations in {total:.2f} s under cProfile (cProfile slows Python down)")
    for order in ("tottime", "cumulative"):
        print(f"\n--- top {top} by {order} ---")
        stats.sort_stats(order).print_stats(top)


def breakdown(library: Path, repeat: int = 3) -> list[tuple[str, float]]:
    """Wall-clock seconds (best of `repeat`) of the csv and jsonl exports into /dev/null, whole and with one part
    taken out or replaced at a time (patched in this process only), to show where the time goes."""
    import dataclasses
    from collections import deque

    import msgspec

    from annotations import model
    from annotations.exports import csv as export_csv
    from annotations.exports import jsonl as export_jsonl
    from annotations.exports import select

    store = _open(library)
    sink = open(os.devnull, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)

    def best(run) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        return min(times)

    out = [
        ("csv: select + write", best(lambda: export_csv.write(store, sink, select(store)))),
        ("jsonl: select + write", best(lambda: export_jsonl.write(store, sink, select(store)))),
        ("select alone, streamed: each story's annotations read", best(lambda: deque(select(store), 0))),
    ]
    chosen = list(select(store))
    out.append(("csv: write of a ready selection", best(lambda: export_csv.write(store, sink, iter(chosen)))))
    neutralise, export_csv.neutralise = export_csv.neutralise, lambda cell: cell
    out.append(("csv: write, `neutralise` a no-op", best(lambda: export_csv.write(store, sink, iter(chosen)))))
    export_csv.neutralise = neutralise
    out.append(("jsonl: write of a ready selection", best(lambda: export_jsonl.write(store, sink, iter(chosen)))))
    names = [f.name for f in dataclasses.fields(model.Annotation)]
    to_dict, model.Annotation.to_dict = model.Annotation.to_dict, lambda self: {n: getattr(self, n) for n in names}
    out.append(
        (
            "jsonl: write, `Annotation.to_dict` shallow (not `dataclasses.asdict`)",
            best(lambda: export_jsonl.write(store, sink, iter(chosen))),
        )
    )
    encoder = msgspec.json.Encoder()
    stdlib_json = export_jsonl.json
    export_jsonl.json = type("Json", (), {"dumps": staticmethod(lambda obj, **kw: encoder.encode(obj).decode())})
    out.append(
        (
            "jsonl: write, shallow `to_dict` and `msgspec.json` for `json.dumps`",
            best(lambda: export_jsonl.write(store, sink, iter(chosen))),
        )
    )
    export_jsonl.json, model.Annotation.to_dict = stdlib_json, to_dict
    sink.close()
    return out


def main(argv: list[str] | None = None) -> None:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] in (["export"], ["trace"], ["orjson"], ["orjson-w3c"]):  # a child
        if argv[0] in ("export", "trace"):
            child_export(Path(argv[1]), argv[2], Path(argv[3]), Path(argv[4]), trace=argv[0] == "trace")
        else:
            child_orjson(Path(argv[1]), Path(argv[2]), Path(argv[3]), argv[0])
        return
    from run import EXPORT_SIZES, libraries

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH_DIR / ".data", help="where the libraries are kept")
    parser.add_argument("--quick", action="store_true", help="one process per figure")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, of: " + ", ".join(FORMATS))
    parser.add_argument("--profile", metavar="FORMAT", help="cProfile one export of the 200k library")
    parser.add_argument("--breakdown", action="store_true", help="where csv's and jsonl's time goes, wall clock")
    parser.add_argument("--record", action="store_true", help="put the tables in bench/RESULTS.md (not --quick)")
    args = parser.parse_args(argv)
    libs = libraries(args.data, fresh=False, sizes=EXPORT_SIZES)
    scratch = args.data / "scratch-export"
    if args.profile:
        profile(libs[max(libs)], args.profile, scratch)
        return
    if args.breakdown:
        parts = breakdown(libs[max(libs)])
        print(markdown([(what, f"{s:.2f}", f"{max(libs) / s:,.0f}") for what, s in parts], ("part", "s", "per s")))
        return
    formats = [f for f in args.formats.split(",") if f]
    if unknown := set(formats) - set(FORMATS):
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    started, load = time.perf_counter(), os.getloadavg()[0]
    results = measure(libs, scratch, runs=1 if args.quick else 3, formats=formats)
    text = "\n\n".join(
        [
            markdown(goal_rows(results), ("figure", "wiredesk", "baseline (same run)", "ratio", "goal", "met?")),
            details(results),
            f"{time.perf_counter() - started:.0f} s; load (1-min average) before / after {load:.2f} / "
            f"{os.getloadavg()[0]:.2f}",
        ]
    )
    print()
    print(text)
    if args.record and not args.quick:
        from sections import record_section

        record_section("Export (issue 14: w3c by orjson)", " ".join(["python bench/bench_export.py", *argv]), text)
        print("recorded in bench/RESULTS.md")


if __name__ == "__main__":
    main()
