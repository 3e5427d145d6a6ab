"""Store benchmarks: durable save latency, open time, memory. Each measurement runs in a fresh process.

    python bench/bench_store.py save DATA_DIR COUNT OUT_JSON      # a durable save's latency (+ the fsync floor)
    python bench/bench_store.py tinydb DATA_DIR REPS OUT_JSON     # plain TinyDB insert latency
    python bench/bench_store.py open DATA_DIR OUT_JSON            # open time and memory
    python bench/bench_store.py orjson DATA_DIR OUT_JSON          # orjson.loads of annotations.json

These are the child processes; `run.py` (through the `measure_*` functions here) starts them and reads back
their JSON results. `save` and `tinydb` write into DATA_DIR: give them a copy of a library.
"""

from __future__ import annotations

import gc
import os
import random
import shutil
import sys
import time
import uuid
from pathlib import Path

from common import median, memory_mb, percentile, run_child, write_result

__all__ = ["measure_open", "measure_saves"]

SCRIPT = "bench_store.py"
WARMUP = 5


# --- children -----------------------------------------------------------------------------------------------


def child_save(data_dir: Path, count: int, out: Path) -> None:
    """Time `count` durable saves of new annotations (`store.apply`, as the app's history saves a tag), each
    followed by the floor: an append + fdatasync
    of the very bytes that put wrote to the journal, on a file in the same folder."""
    from annotations.model import KINDS, Annotation
    from annotations.store import Store

    rng = random.Random(7)
    store = Store(data_dir)
    started = time.perf_counter()
    store.load_annotations()
    loaded = time.perf_counter() - started
    size = sum(1 for _ in store.iter_annotations())
    entries = store.entries()
    stories = [store.story(e.id) for e in rng.sample(entries, min(50, len(entries)))]  # the reader holds its story
    os.sync()
    journal = data_dir / "annotations.journal"
    floor_fd = os.open(data_dir / "floor.bin", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    saves: list[float] = []
    floors: list[float] = []
    line_bytes: list[int] = []
    try:
        for i in range(WARMUP + count):
            story = rng.choice(stories)
            start = rng.randrange(0, len(story.text) - 80)
            ann = Annotation.new(story, rng.choice(KINDS), start, start + rng.randint(4, 80), annotator="bench")
            before = journal.stat().st_size
            t0 = time.perf_counter()
            store.apply([(None, ann)])
            t1 = time.perf_counter()
            with journal.open("rb") as fh:
                fh.seek(before)
                line = fh.read()
            t2 = time.perf_counter()
            view = memoryview(line)
            while view:
                view = view[os.write(floor_fd, view) :]
            os.fdatasync(floor_fd)
            t3 = time.perf_counter()
            if i >= WARMUP:
                saves.append(t1 - t0)
                floors.append(t3 - t2)
                line_bytes.append(len(line))
    finally:
        os.close(floor_fd)
    started = time.perf_counter()
    store.close(compact=True)  # what the app does at exit: fold the journal into a new snapshot
    compact = time.perf_counter() - started
    write_result(
        out,
        {
            "annotations": size,
            "load_s": loaded,
            "saves": saves,
            "floors": floors,
            "line_bytes": median(line_bytes),
            "compact_at_exit_s": compact,
            "snapshot_bytes": (data_dir / "annotations.json").stat().st_size,
        },
    )


def _annotation_docs(data_dir: Path) -> dict:
    import orjson

    return orjson.loads((data_dir / "annotations.json").read_bytes())["annotations"]


def child_tinydb(data_dir: Path, reps: int, out: Path) -> None:
    """Plain TinyDB (default JSONStorage) holding the library's annotations as documents: time `db.insert`."""
    import orjson
    from tinydb import TinyDB

    docs = _annotation_docs(data_dir)
    path = data_dir / "plain-tinydb.json"
    table = {str(i): {"id": ann_id, **doc} for i, (ann_id, doc) in enumerate(docs.items(), 1)}
    path.write_bytes(orjson.dumps({"_default": table}))
    sample = next(iter(docs.values()))
    size = len(table)
    del docs, table
    gc.collect()
    os.sync()
    db = TinyDB(path)
    rng = random.Random(7)
    times = []
    for i in range(1 + reps):  # one warm-up insert
        doc = {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), **sample, "note": f"bench {i}"}
        t0 = time.perf_counter()
        db.insert(doc)
        times.append(time.perf_counter() - t0)
    db.close()
    write_result(out, {"annotations": size, "inserts": times[1:], "file_bytes": path.stat().st_size})


def child_open(data_dir: Path, out: Path) -> None:
    """Open the store: time to the story list, then to the annotations loaded; memory after each step."""
    t_import = time.perf_counter()
    from annotations.store import Store

    t0 = time.perf_counter()
    store = Store(data_dir)
    entries = store.entries()
    t1 = time.perf_counter()
    mem_entries = memory_mb()
    store.load_annotations()
    t2 = time.perf_counter()
    mem_loaded = memory_mb()
    total = sum(sum(store.counts(e.id).values()) for e in entries)
    t3 = time.perf_counter()
    gc.collect()
    mem_counts = memory_mb()
    store.close()
    write_result(
        out,
        {
            "import_s": t0 - t_import,
            "stories": len(entries),
            "annotations": total,
            "entries_s": t1 - t0,
            "load_s": t2 - t1,
            "open_s": t2 - t0,
            "counts_s": t3 - t2,
            "rss_entries_mb": mem_entries["VmRSS"],
            "rss_loaded_mb": mem_loaded["VmRSS"],
            "rss_counts_mb": mem_counts["VmRSS"],
            "hwm_mb": mem_counts["VmHWM"],
        },
    )


def child_orjson(data_dir: Path, out: Path) -> None:
    """The baseline for open: read annotations.json and `orjson.loads` it into plain dicts."""
    import orjson

    t0 = time.perf_counter()
    data = orjson.loads((data_dir / "annotations.json").read_bytes())
    t1 = time.perf_counter()
    gc.collect()
    mem = memory_mb()
    write_result(
        out,
        {"loads_s": t1 - t0, "annotations": len(data["annotations"]), "rss_mb": mem["VmRSS"], "hwm_mb": mem["VmHWM"]},
    )


# --- parent side --------------------------------------------------------------------------------------------


def _scratch_copy(library: Path, scratch: Path) -> Path:
    target = scratch / library.name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(library, target, ignore=shutil.ignore_patterns(".lock"))
    os.sync()  # the copy's writeback must not land on the timed fsyncs
    return target


def measure_saves(libraries: dict[int, Path], scratch: Path, count: int = 200, log=print) -> dict[int, dict]:
    """Per library size: `count` wiredesk saves with their floor (in two children, the sizes in ascending then
    descending order, so drift in the disk's speed touches every size alike), and plain TinyDB inserts."""
    sizes = sorted(libraries)
    samples: dict[int, list[dict]] = {size: [] for size in sizes}
    for order in (sizes, sizes[::-1]):
        for size in order:
            work = _scratch_copy(libraries[size], scratch)
            try:
                samples[size].append(run_child(SCRIPT, "save", work, count // 2)[0])
            finally:
                shutil.rmtree(work, ignore_errors=True)
    results = {}
    for size in sizes:
        reps = 50 if size <= 1_000 else 20 if size <= 10_000 else 5
        work = _scratch_copy(libraries[size], scratch)
        try:
            plain, _ = run_child(SCRIPT, "tinydb", work, reps)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        ours = samples[size]
        saves = [t for r in ours for t in r["saves"]]
        floors = [t for r in ours for t in r["floors"]]
        result = {
            "annotations": ours[0]["annotations"],
            "save_median_ms": median(saves) * 1e3,
            "save_p90_ms": percentile(saves, 0.9) * 1e3,
            "save_max_ms": max(saves) * 1e3,
            "saves": len(saves),
            "floor_median_ms": median(floors) * 1e3,
            "floor_p90_ms": percentile(floors, 0.9) * 1e3,
            "above_floor_ms": median([a - b for a, b in zip(saves, floors, strict=True)]) * 1e3,
            "line_bytes": median([r["line_bytes"] for r in ours]),
            "tinydb_median_ms": median(plain["inserts"]) * 1e3,
            "tinydb_inserts": len(plain["inserts"]),
            "tinydb_file_mb": plain["file_bytes"] / 1e6,
            "compact_at_exit_s": median([r["compact_at_exit_s"] for r in ours]),
            "snapshot_mb": ours[0]["snapshot_bytes"] / 1e6,
        }
        results[size] = result
        log(
            f"  save @ {size:>7,}: {result['save_median_ms']:.3f} ms (p90 {result['save_p90_ms']:.3f}); "
            f"floor {result['floor_median_ms']:.3f} ms; plain TinyDB {result['tinydb_median_ms']:.1f} ms"
        )
    return results


def measure_open(library: Path, runs: int = 3, log=print) -> dict:
    """Open time and memory (wiredesk) against orjson.loads of the same bytes, alternating, medians of `runs`."""
    ours, base = [], []
    for _ in range(runs):
        ours.append(run_child(SCRIPT, "open", library)[0])
        base.append(run_child(SCRIPT, "orjson", library)[0])
    result = {key: median([r[key] for r in ours]) for key in ours[0]}
    result.update({f"orjson_{key}": median([r[key] for r in base]) for key in base[0]})
    result["runs"] = runs
    log(
        f"  open: story list {result['entries_s']:.3f} s, annotations {result['open_s']:.3f} s "
        f"(orjson.loads {result['orjson_loads_s']:.3f} s); RSS {result['rss_counts_mb']:.0f} MB"
    )
    return result


def main() -> None:
    mode, data_dir, *rest = sys.argv[1:]
    out = Path(rest[-1])
    if mode == "save":
        child_save(Path(data_dir), int(rest[0]), out)
    elif mode == "tinydb":
        child_tinydb(Path(data_dir), int(rest[0]), out)
    elif mode == "open":
        child_open(Path(data_dir), out)
    elif mode == "orjson":
        child_orjson(Path(data_dir), out)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
