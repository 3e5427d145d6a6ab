"""Issue 14 at library scale: first frame, Store open, memory and quitting, at 1k, 10k and 100k stories.

    python bench/bench_library.py [--quick] [--record] [--runs N] [--big DIR]

Libraries: 1k and 10k stories (2 annotations each) built with `make_library` in `bench/.data/` (kept between
runs), and the 100k ones (`lib-100k-200k`, `lib-100k-1m`) in `--big` (default: the same folder; built when
missing, 2-3 minutes each). Each is used
through a scratch copy (its JSON files copied, its text pack linked), opened and closed once by a writer first,
as the first start after an upgrade does: that writes the derived `stories.list`. Every figure is measured in
fresh processes (`app_start.py`, `bench_store.py`), against baselines measured in the same run:

- first frame (process spawn → the library list painted, headless) of the `wiredesk` command at each size,
  against a bare Textual app showing one screenful (Header, a DataTable of 40 rows, Footer): the goal is ≤ 2×;
  and the CPU time of each process until then (steadier than the wall clock on a shared machine). Both run
  with their bytecode cached, as an installed program does (pip compiles it; a source checkout writes it on
  its first run): `PYTHONDONTWRITEBYTECODE` is dropped for the children and the tree compiled first, else
  wiredesk's ~90 modules would be compiled from source on every start while Textual's come compiled;
  also the first start of the 100k library without `stories.list` (the index read whole, the list written at
  exit), and its median over the runs with it;
- `Store(dir)` + `entries()` at 100k, from `stories.list` and from the index (the list removed first);
- RSS once the annotations are loaded and the counts computed (`bench_store.py open`, headless) at 100k/200k
  and 100k/1M (goals ≤ 300 MB and ≤ 600 MB), and of the app with the counts on screen at 100k/200k;
- quitting while the annotations load (the app told to quit at its first frame, 100k/1M): request → process
  end, against how long the load itself takes (which quitting used to wait for).

`--record` adds a dated section to bench/RESULTS.md, above "## Suggestions (issue 13)".
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from common import BENCH_DIR, REPO_DIR, machine, markdown, median, run_child

os.environ["PYTHONPATH"] = str(REPO_DIR)  # children import this tree, not an installed copy

from make_library import make_library

RESULTS = BENCH_DIR / "RESULTS.md"
ABOVE = "## Suggestions (issue 13)"
SMALL = {1_000: 2_000, 10_000: 20_000}  # stories: annotations
BIG = {"100k/200k": "lib-100k-200k", "100k/1M": "lib-100k-1m"}
BIG_SIZES = {"100k/200k": (100_000, 200_000), "100k/1M": (100_000, 1_000_000)}  # stories, annotations
SEED = 14


def _big_library(folder: Path, label: str) -> Path:
    """The 100k library `label` in `folder`, built first (2-3 minutes each) when it is not there."""
    library = folder / BIG[label]
    if not (library / "stories.json").exists():
        stories, annotations = BIG_SIZES[label]
        print(f"building {library} ({stories:,} stories, {annotations:,} annotations)…", flush=True)
        shutil.rmtree(library, ignore_errors=True)
        make_library(library, stories, annotations, 1)
    return library


def _small_library(data: Path, stories: int, annotations: int) -> Path:
    library = data / f"lib14-{stories // 1000}k"
    if not (library / "stories.json").exists():
        shutil.rmtree(library, ignore_errors=True)
        make_library(library, stories, annotations, SEED)
    return library


def _scratch(library: Path, scratch: Path, name: str) -> Path:
    """A copy the app may write to (the text pack linked, not copied), opened and closed once by a writer, with its
    search index built."""
    from annotations.store import Store

    target = scratch / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in library.iterdir():
        if path.name == "texts.pack":
            (target / path.name).symlink_to(path.resolve())
        elif path.is_file() and path.name not in (".lock", "stories.list"):
            shutil.copy2(path, target / path.name)
    store = Store(target)
    try:  # the search index too: the app would otherwise build it at start (a first start's cost, not a start's)
        from annotations.search import SearchIndex

        index = SearchIndex.of(store)
        index.ensure()
        index.close()
    finally:
        store.close()
    return target


def _app_runs(mode: str, library: Path, runs: int) -> list[dict]:
    out = []
    for _ in range(runs):
        result, spawned = run_child("app_start.py", mode, library, timeout=900)
        ended = time.perf_counter() - spawned
        result = {k: (v - spawned if k.startswith("t_") else v) for k, v in result.items()}
        result["t_process_end"] = ended
        out.append(result)
    return out


def first_frames(libraries: dict[str, Path], runs: int, log=print) -> dict:
    """Interleaved rounds (one warm-up): the one-screen bare app, then `wiredesk` on each library."""
    samples: dict[str, list[dict]] = {"bare": [], **{name: [] for name in libraries}}
    any_library = next(iter(libraries.values()))
    for round_ in range(runs + 1):
        for name in samples:
            got = _app_runs("screen" if name == "bare" else "cli", libraries.get(name, any_library), 1)
            if round_:
                samples[name] += got
    out = {}
    for name, results in samples.items():
        out[name] = {
            "first_frame_s": median([r["t_first_frame"] for r in results]),
            "each": [round(r["t_first_frame"], 3) for r in results],
            "counts_shown_s": median([r["t_counts_shown"] for r in results]),
            "cpu_s": median([r["cpu_first_frame"] for r in results]),
            "rss_mb": median([r["VmRSS"] for r in results]),
            "hwm_mb": median([r["VmHWM"] for r in results]),
            "rows": results[0]["rows_at_first_frame"],
            "waited_for_annotations": any(r.get("annotations_loaded_at_first_frame") for r in results),
        }
        got = out[name]
        log(f"  first frame [{name}]: {got['first_frame_s']:.3f} s {got['each']}, CPU {got['cpu_s']:.3f} s")
    return out


def cold_start(library: Path, log=print) -> dict:
    """The first start without stories.list (the index read whole), then the next one (the list written)."""
    (library / "stories.list").unlink(missing_ok=True)
    cold = _app_runs("cli", library, 1)[0]
    warm = _app_runs("cli", library, 1)[0]
    out = {"cold_s": cold["t_first_frame"], "warm_s": warm["t_first_frame"]}
    log(f"  first start without stories.list: {out['cold_s']:.3f} s; the next: {out['warm_s']:.3f} s")
    return out


def store_open(library: Path, runs: int, log=print) -> dict:
    """`bench_store.py open` with stories.list and without it (removed before each run), alternating."""
    listed, unlisted = [], []
    for _ in range(runs):
        listed.append(run_child("bench_store.py", "open", library, timeout=900)[0])
        (library / "stories.list").unlink(missing_ok=True)
        unlisted.append(run_child("bench_store.py", "open", library, timeout=900)[0])
    out = {key: median([r[key] for r in listed]) for key in listed[0]}
    out["index_entries_s"] = median([r["entries_s"] for r in unlisted])
    log(
        f"  open: story list {out['entries_s']:.3f} s from stories.list, {out['index_entries_s']:.3f} s from the "
        f"index; annotations {out['load_s']:.2f} s; RSS {out['rss_counts_mb']:.0f} MB (peak {out['hwm_mb']:.0f})"
    )
    return out


def quitting(library: Path, log=print) -> dict:
    """Quit at the first frame while the annotations load; the load's own length from a full run."""
    quit_run = _app_runs("quit", library, 1)[0]
    full_run = _app_runs("cli", library, 1)[0]
    out = {
        "quit_s": quit_run["t_process_end"] - quit_run["t_exit_requested"],
        "load_s": full_run["t_counts_shown"] - full_run["t_first_frame"],
        "full_rss_mb": full_run["VmRSS"],
        "full_hwm_mb": full_run["VmHWM"],
    }
    log(f"  quit while loading: {out['quit_s']:.3f} s to exit; the load takes {out['load_s']:.2f} s")
    return out


def _x(value: float) -> str:
    return f"{value:.2f}×"


def _met(ok: bool) -> str:
    return "yes" if ok else "**NO**"


def table(res: dict) -> list[tuple[str, ...]]:
    frames, bare = res["frames"], res["frames"]["bare"]["first_frame_s"]
    bare_cpu = res["frames"]["bare"]["cpu_s"]
    rows: list[tuple[str, ...]] = []
    for name, f in frames.items():
        if name == "bare":
            continue
        ratio = f["first_frame_s"] / bare
        rows.append(
            (
                f"process start → first frame, {name} stories (`wiredesk`)",
                f"{f['first_frame_s']:.3f} s",
                f"bare Textual app, one screen {bare:.3f} s",
                _x(ratio),
                "≤ 2×",
                _met(ratio <= 2),
            )
        )
        rows.append(
            (
                f"CPU time of the process until its first frame, {name} stories",
                f"{f['cpu_s']:.3f} s",
                f"bare app {bare_cpu:.3f} s",
                _x(f["cpu_s"] / bare_cpu),
                "",
                "",
            )
        )
    if "cold" in res:
        c = res["cold"]
        rows.append(
            (
                "first start of 100k without stories.list (read from the index; the list written at exit)",
                f"{c['cold_s']:.3f} s",
                f"bare {bare:.3f} s",
                _x(c["cold_s"] / bare),
                "",
                "",
            )
        )
    for label, o in res["open"].items():
        rows.append(
            (
                f"`Store(dir)` + `entries()`, {label}: from stories.list (from the index)",
                f"{o['entries_s']:.3f} s ({o['index_entries_s']:.3f} s)",
                "",
                _x(o["index_entries_s"] / o["entries_s"]) + " faster",
                "",
                "",
            )
        )
        goal = 300 if label.endswith("200k") else 600
        rows.append(
            (
                f"RSS with annotations loaded and counted (headless store), {label} (peak)",
                f"{o['rss_counts_mb']:.0f} MB ({o['hwm_mb']:.0f} MB)",
                "",
                "",
                f"≤ {goal} MB",
                _met(o["rss_counts_mb"] <= goal),
            )
        )
    app = res["frames"].get("100k/200k")
    if app:
        rows.append(
            (
                "RSS of the app, counts on screen, 100k/200k (peak)",
                f"{app['rss_mb']:.0f} MB ({app['hwm_mb']:.0f} MB)",
                f"bare app {bare and res['frames']['bare']['rss_mb']:.0f} MB",
                "",
                "≤ 300 MB",
                _met(app["rss_mb"] <= 300),
            )
        )
    if "quit" in res:
        q = res["quit"]
        rows.append(
            (
                "quit while the annotations load (100k/1M): request → process end",
                f"{q['quit_s']:.3f} s",
                f"the load takes {q['load_s']:.2f} s",
                "",
                "does not wait",
                _met(q["quit_s"] < q["load_s"] / 4),
            )
        )
    return rows


def record(res: dict, info: dict) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = ("figure", "wiredesk", "baseline", "ratio", "goal", "met?")
    lines = [
        f"## Library scale: first frame, open, memory, quitting (issue 14), run {stamp}",
        "",
        f"`python bench/bench_library.py --record`, {res['runs']} runs each (medians); "
        + ", ".join(f"{k}: {v}" for k, v in info.items()),
        "",
        markdown(table(res), header),
        "",
        "First frames, each run (s): "
        + "; ".join(f"{name} {f['each']}" for name, f in res["frames"].items())
        + ". Load average at the end: "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
        + ".",
        "",
    ]
    text = RESULTS.read_text(encoding="utf-8")
    at = text.find(ABOVE)
    text = text + "\n" + "\n".join(lines) if at < 0 else text[:at] + "\n".join(lines) + "\n" + text[at:]
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one run each, no 1M library")
    parser.add_argument("--record", action="store_true", help="add a section to bench/RESULTS.md")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=BENCH_DIR / ".data")
    parser.add_argument("--big", type=Path, help="where the 100k libraries are (default: --data; built if missing)")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the children start with their bytecode cached (see above)
    for package in ("stories", "annotations", "tui"):
        compileall.compile_dir(REPO_DIR / package, quiet=1)
    scratch = args.data / "scratch14"
    libraries: dict[str, Path] = {}
    for stories, anns in SMALL.items():
        built = _small_library(args.data, stories, anns)
        libraries[f"{stories // 1000}k/{anns // 1000}k"] = _scratch(built, scratch, built.name)
    labels = [label for label in BIG if not (args.quick and label == "100k/1M")]
    big = {label: _big_library(args.big or args.data, label) for label in labels}
    for label, path in big.items():
        libraries[label] = _scratch(path, scratch, path.name)
    res: dict = {"runs": runs}
    frames = {k: v for k, v in libraries.items() if k != "100k/1M"}
    res["frames"] = first_frames(frames, runs)
    res["open"] = {label: store_open(libraries[label], runs) for label in big}
    if "100k/200k" in big:
        res["cold"] = cold_start(libraries["100k/200k"])
    if "100k/1M" in big:
        res["quit"] = quitting(libraries["100k/1M"])
    print(markdown(table(res), ("figure", "wiredesk", "baseline", "ratio", "goal", "met?")))
    if args.record:
        info = machine(args.data)
        record(res, {k: info[k] for k in ("cpu", "ram", "commit")})
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
