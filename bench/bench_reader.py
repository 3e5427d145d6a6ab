"""Opening a long story in the reader: process start to the reader's first frame, and a key press there; and
tagging (`--tag`): `q` on a 5,000-word story with 0, 50, 500 annotations, key press to the frame showing it.

    python bench/bench_reader.py [--paragraphs 1000,10000,100000] [--runs 3] [--record]
    python bench/bench_reader.py --tag [--annotations 0,50,500] [--runs 3] [--record]

For each size, a made-up story of that many short paragraphs is imported (`annotations.importing`, as
`wiredesk import` does) into a fresh library; then, each in a fresh headless process, interleaved, `runs` times:

- `reader`: `WiredeskApp(Store(dir), open_story=ID)` (what `wiredesk open ID` runs), from process start to the
  reader's first frame; then the CPU time of `j` (one line down) and of `G` (to the end of the story), each
  pressed through Textual's Pilot until the screen is idle (CPU time: Pilot's own waits are not counted);
- `bare`: the baseline, a bare Textual app with one Static: process start to its first frame, and `j` (unbound).

The goal (issue 11 §4): a 100,000-paragraph story opens in ≤ 2 s. `--record` appends the table to
bench/RESULTS.md under its own heading.

`--tag` (issue 14 §2; bench_tagging.py): the same story (5,000 words) in libraries holding 0, 50, 500
annotations of it. In each fresh process the reader opens it, then `PRESSES` times: a few words are selected, `q`
tags them (saved, the panel and the text updated), and the CPU time of the app's thread from the key press to the
frame that shows the new annotation is taken (the suggester, which starts after that frame in its own thread,
is switched off to keep the run short). The baseline, in the same run: a bare Textual app whose key changes a
Static, key press to frame. Goal: ≤ 16 ms, and flat: 500 annotations / 0 ≈ 1.
"""

from __future__ import annotations

import time

T_TOP = time.perf_counter()  # first thing: before any other import

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # this checkout's code, not the installed one

SIZE = (100, 32)
WORDS = "council harbour ferry vote minister said talks port strike grain exports timetable".split()


# --- the child: one app, one measurement ----------------------------------------------------------------------


async def _key_cpu(pilot, key: str) -> float:
    """CPU seconds this process spends on a key press, until the screen is idle again."""
    start = time.process_time()
    await pilot.press(key)
    await pilot.pause()
    return time.process_time() - start


def _child_reader(data_dir: Path, story_id: str) -> dict[str, float]:
    import asyncio

    import tui.app
    from annotations.store import Store
    from tui.screens.reader import ReaderScreen

    result: dict[str, float] = {}
    first_frame = asyncio.Event()

    class BenchReader(ReaderScreen):
        def on_mount(self) -> None:  # Textual runs ReaderScreen.on_mount too (handlers run along the MRO)
            self.call_after_refresh(self._first_frame)

        def _first_frame(self) -> None:
            result["first_frame"] = time.perf_counter()
            first_frame.set()

    tui.app.ReaderScreen = BenchReader  # type: ignore[misc]  # what WiredeskApp pushes: a class that marks the frame

    async def run() -> None:
        store = Store(data_dir)
        app = tui.app.WiredeskApp(store, annotator="bench", open_story=story_id)
        async with app.run_test(size=SIZE) as pilot:
            await first_frame.wait()
            for key in ("j", "G"):
                result[f"key_{key}"] = await _key_cpu(pilot, key)
        store.close()

    asyncio.run(run())
    return result


def _child_bare() -> dict[str, float]:
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Static

    result: dict[str, float] = {}

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("A bare Textual app with one Static.")

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: result.setdefault("first_frame", time.perf_counter()))

    async def run() -> None:
        app = Bare()
        async with app.run_test(size=SIZE) as pilot:
            while "first_frame" not in result:
                await pilot.pause()
            result["key_j"] = await _key_cpu(pilot, "j")

    asyncio.run(run())
    return result


def child(mode: str, data_dir: str, story_id: str, out: str) -> None:
    result = _child_reader(Path(data_dir), story_id) if mode == "reader" else _child_bare()
    result["top"] = T_TOP
    Path(out).write_text(json.dumps(result))


# --- the parent --------------------------------------------------------------------------------------------------


def make_story(paragraphs: int, seed: int = 1) -> str:
    """A plain-text wire story: a headline, a dateline, then `paragraphs` short paragraphs (a sentence each)."""
    rng = random.Random(seed)
    body = [f"{' '.join(rng.choices(WORDS, k=rng.randint(1, 3))).capitalize()} {i}." for i in range(paragraphs)]
    return "Harbour council story of many paragraphs\n\nNORDVIK, May 2 (Reuters) - " + "\n\n".join(body) + "\n"


def make_library(folder: Path, paragraphs: int) -> tuple[Path, str, int]:
    """A library holding the story; its data dir, the story id and the size of the file imported."""
    from annotations.importing import import_paths
    from annotations.store import Store

    source = folder / f"story-{paragraphs}.txt"
    source.write_text(make_story(paragraphs), "utf-8")
    data_dir = folder / f"library-{paragraphs}"
    with Store(data_dir) as store:
        (outcome,) = list(import_paths(store, [source]))
        assert outcome.story is not None, outcome.reason
        return data_dir, outcome.story.id, source.stat().st_size


def measure(sizes: list[int], runs: int, log=print) -> list[dict[str, float]]:
    from common import median, run_child

    rows = []
    with tempfile.TemporaryDirectory(prefix="wiredesk-bench-reader-") as tmp:
        for paragraphs in sizes:
            data_dir, story_id, size = make_library(Path(tmp), paragraphs)
            samples: dict[str, list[dict[str, float]]] = {"bare": [], "reader": []}
            for round_ in range(runs + 1):  # one warm-up round
                for mode in samples:
                    result, spawned = run_child("bench_reader.py", "--child", mode, data_dir, story_id, timeout=900)
                    result["first_frame"] -= spawned
                    if round_:
                        samples[mode].append(result)
            reader, bare = samples["reader"], samples["bare"]
            row = {
                "paragraphs": paragraphs,
                "kb": size / 1024,
                "reader_s": median([r["first_frame"] for r in reader]),
                "bare_s": median([r["first_frame"] for r in bare]),
                "key_j_ms": 1000 * median([r["key_j"] for r in reader]),
                "key_G_ms": 1000 * median([r["key_G"] for r in reader]),
                "bare_key_ms": 1000 * median([r["key_j"] for r in bare]),
            }
            rows.append(row)
            log(
                f"  {paragraphs:>7,} paragraphs ({row['kb']:,.0f} KB): reader first frame {row['reader_s']:.2f} s,"
                f" bare Textual {row['bare_s']:.2f} s; CPU per key: j {row['key_j_ms']:.0f} ms,"
                f" G {row['key_G_ms']:.0f} ms,"
                f" bare {row['bare_key_ms']:.0f} ms"
            )
    return rows


def table(rows: list[dict[str, float]]) -> str:
    from common import markdown

    out = []
    for row in rows:
        goal = row["paragraphs"] >= 100_000
        out.append(
            [
                f"{row['paragraphs']:,} ({row['kb']:,.0f} KB)",
                f"{row['reader_s']:.2f} s",
                f"{row['bare_s']:.2f} s",
                f"{row['reader_s'] / row['bare_s']:.2f}×",
                f"{row['key_j_ms']:.0f} / {row['key_G_ms']:.0f} ms (bare {row['bare_key_ms']:.0f} ms)",
                "≤ 2 s" if goal else "",
                ("yes" if row["reader_s"] <= 2 else "no") if goal else "",
            ]
        )
    header = ["story", "open: start → first frame", "bare Textual app", "ratio", "CPU per key: j / G", "goal", "met?"]
    return markdown(out, header)


def record(rows: list[dict[str, float]], runs: int) -> None:
    from common import BENCH_DIR, machine

    facts = machine(BENCH_DIR)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Reader: opening a long story (bench/bench_reader.py), {when}",
        "",
        *(f"- {key}: {value}" for key, value in facts.items() if key in ("cpu", "python", "libraries", "commit")),
        "",
        f"Fresh headless processes at {SIZE[0]}×{SIZE[1]}, medians of {runs} runs after a warm-up. The story: a "
        "headline, a dateline and N paragraphs of 1–3 words and a number. `j` / `G`: CPU time of one key press "
        "in the open reader (one line down / to the end), until the screen is idle; bare: `j` in the bare app.",
        "",
        table(rows),
    ]
    results = BENCH_DIR / "RESULTS.md"
    results.write_text(results.read_text("utf-8").rstrip() + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:6])
        return
    if sys.argv[1:2] == ["--tag-child"]:
        import bench_tagging

        bench_tagging.child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", default="1000,10000,100000", help="story sizes, comma-separated")
    parser.add_argument("--tag", action="store_true", help="measure `q` (tag, save, show) instead of opening")
    parser.add_argument("--annotations", default="0,50,500", help="with --tag: annotation counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args()
    if args.tag:
        import bench_tagging

        bench_tagging.main([int(n) for n in args.annotations.split(",")], args.runs, save=args.record)
        return
    rows = measure([int(n) for n in args.paragraphs.split(",")], args.runs)
    print(table(rows))
    if args.record:
        record(rows, args.runs)


if __name__ == "__main__":
    main()
