"""Tagging cost: `q` on a 5,000-word story with 0, 50, 500 annotations, from the key press to the frame showing it.

Run through bench_reader.py: `python bench/bench_reader.py --tag [--annotations 0,50,500] [--runs 3] [--record]`
(its docstring says what is measured). A frame is what Textual hands the terminal: `App._display` is wrapped to
note the time when the update has been turned into the terminal's bytes (headless, nothing is written).
"""

from __future__ import annotations

import functools
import json
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

SIZE = (100, 32)
WORDS = "council harbour ferry vote minister said talks port strike grain exports timetable".split()
STORY_WORDS = 5000
PRESSES = 6  # the first is a warm-up
MAX_PAUSES = 3000  # a bound against a hang, not a timing
KINDS = ("quote", "actor", "claim")


def make_story(seed: int = 1) -> str:
    """A plain-text wire story of `STORY_WORDS` words in paragraphs of 25–50."""
    rng = random.Random(seed)
    paragraphs, count = [], 0
    while count < STORY_WORDS:
        n = rng.randint(25, 50)
        paragraphs.append(" ".join(rng.choices(WORDS, k=n)).capitalize() + ".")
        count += n
    return "Harbour council story of many words\n\nNORDVIK, May 2 (Reuters) - " + "\n\n".join(paragraphs) + "\n"


def word_starts(text: str) -> list[int]:
    return [i for i in range(1, len(text)) if text[i - 1] == " " and text[i].isalpha()]


def make_library(folder: Path, annotations: int) -> Path:
    """A library holding the story and `annotations` annotations of it (1–6 words, every tenth with a note),
    in the second half of the story: the presses tag the first half."""
    from annotations import anchor
    from annotations.importing import import_paths
    from annotations.store import Store

    source = folder / "story.txt"
    source.write_text(make_story(), "utf-8")
    data_dir = folder / f"library-{annotations}"
    with Store(data_dir) as store:
        (outcome,) = list(import_paths(store, [source]))
        story = outcome.story
        assert story is not None, outcome.reason
        starts = word_starts(story.text)
        rng, edits, seen = random.Random(2), [], set()
        while len(edits) < annotations:
            j = rng.randrange(len(starts) // 2, len(starts) - 8)
            start, end = starts[j], starts[j + rng.randint(1, 6)] - 1
            kind = rng.choice(KINDS)
            if (kind, start, end) not in seen:
                seen.add((kind, start, end))
                note = "checked against the minutes" if len(edits) % 10 == 0 else ""
                edits.append((None, anchor.tag(story, kind, start, end, note=note, annotator="bench")))
        if edits:
            store.apply(edits)
    return data_dir


# --- the children ---------------------------------------------------------------------------------------------------


class Frames:
    """Wraps `app._display` to note the first frame drawn once a condition holds: the app thread's CPU time and
    the wall time then."""

    def __init__(self, app) -> None:
        self.shown: tuple[float, float] | None = None
        self._ready = None
        display = app._display

        def noted(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is not None and self._ready is not None and self._ready():
                renderable.render_segments(app.console)  # what a terminal would be sent
                self.shown, self._ready = (time.thread_time(), time.perf_counter()), None

        app._display = noted

    def wait_for(self, ready) -> tuple[float, float]:
        """Note the next frame drawn once `ready()` is true; the app thread's CPU time and the wall time now."""
        self.shown, self._ready = None, ready
        return time.thread_time(), time.perf_counter()


async def _settle(pilot) -> None:
    """Wait until no worker runs (the suggester) and the screen is idle."""
    await pilot.pause()
    for _ in range(MAX_PAUSES):
        if not any(w.is_running for w in pilot.app.workers):
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def _to_frame(pilot, frames: Frames, key: str, done) -> tuple[float, float]:
    """Press `key`; the app thread's CPU seconds and the wall seconds until the first frame drawn after `done()`."""
    cpu, wall = frames.wait_for(done)
    await pilot.press(key)
    for _ in range(MAX_PAUSES):
        if frames.shown is not None:
            return frames.shown[0] - cpu, frames.shown[1] - wall
        await pilot.pause()
    said = "; ".join(n.message for n in pilot.app._notifications)
    raise RuntimeError(f"no frame showed what {key!r} did (the app said: {said or 'nothing'})")


def _more_than(view, count: int) -> bool:
    return len(view.annotations) > count


def _child_reader(data_dir: Path) -> dict[str, list[float]]:
    import asyncio

    from annotations.store import Store
    from tui.app import WiredeskApp
    from tui.screens.reader import ReaderScreen

    result: dict[str, list[float]] = {"cpu": [], "wall": []}

    async def run() -> None:
        store = Store(data_dir)
        (entry,) = store.entries()
        # no suggester: it runs after the frame measured, in its own thread, and would only make the run longer
        app = WiredeskApp(store, annotator="bench", open_story=entry.id, suggester=lambda story, registry: [])
        frames = Frames(app)
        async with app.run_test(size=SIZE) as pilot:
            while not isinstance(app.screen, ReaderScreen):
                await pilot.pause()
            screen = app.screen
            starts = word_starts(screen.story.text)
            await _settle(pilot)
            for n in range(PRESSES):
                j = 40 + n * (len(starts) // 2 - 80) // PRESSES  # in the untagged first half, spread out
                screen.view.select(starts[j], starts[j + 2] - 1)
                await _settle(pilot)
                tagged = functools.partial(_more_than, screen.view, len(screen.view.annotations))
                cpu, wall = await _to_frame(pilot, frames, "q", tagged)
                if n:
                    result["cpu"].append(cpu)
                    result["wall"].append(wall)
            await _settle(pilot)
        store.close()

    asyncio.run(run())
    return result


def _child_bare() -> dict[str, list[float]]:
    import asyncio

    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Static

    result: dict[str, list[float]] = {"cpu": [], "wall": []}

    class Bare(App[None]):
        BINDINGS = [Binding("q", "count", "Count")]
        pressed = 0

        def compose(self) -> ComposeResult:
            yield Static("A bare Textual app with one Static.")

        def action_count(self) -> None:
            self.pressed += 1
            self.query_one(Static).update(f"Pressed {self.pressed} times.")

    async def run() -> None:
        app = Bare()
        frames = Frames(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for n in range(PRESSES):
                await pilot.pause()
                cpu, wall = await _to_frame(pilot, frames, "q", lambda n=n: app.pressed > n)
                if n:
                    result["cpu"].append(cpu)
                    result["wall"].append(wall)

    asyncio.run(run())
    return result


def child(mode: str, data_dir: str, out: str) -> None:
    if mode == "reader":
        with tempfile.TemporaryDirectory(prefix="wiredesk-bench-tag-run-") as tmp:
            copy = Path(tmp) / "library"
            shutil.copytree(data_dir, copy)  # every run tags the same story afresh
            result = _child_reader(copy)
    else:
        result = _child_bare()
    Path(out).write_text(json.dumps(result))


# --- the parent --------------------------------------------------------------------------------------------------


def measure(counts: list[int], runs: int, log=print) -> tuple[list[dict[str, float]], dict[str, float]]:
    """Per annotation count: medians (ms) of the app thread's CPU and of the wall time, key press to frame; and
    the same for the bare app."""
    from common import median, run_child

    with tempfile.TemporaryDirectory(prefix="wiredesk-bench-tag-") as tmp:
        libraries = {n: make_library(Path(tmp), n) for n in counts}
        samples: dict[object, dict[str, list[float]]] = {n: {"cpu": [], "wall": []} for n in [*counts, "bare"]}
        for round_ in range(runs + 1):  # one warm-up round; interleaved, so a busy moment hits every size alike
            for n in [*counts, "bare"]:
                mode, folder = ("bare", "-") if n == "bare" else ("reader", libraries[n])
                result, _ = run_child("bench_reader.py", "--tag-child", mode, folder, timeout=900)
                if round_:
                    for key in ("cpu", "wall"):
                        samples[n][key].extend(result[key])
    rows = [
        {"annotations": n, "cpu_ms": 1000 * median(samples[n]["cpu"]), "wall_ms": 1000 * median(samples[n]["wall"])}
        for n in counts
    ]
    bare = {"cpu_ms": 1000 * median(samples["bare"]["cpu"]), "wall_ms": 1000 * median(samples["bare"]["wall"])}
    for row in rows:
        log(
            f"  {row['annotations']:>5} annotations: q to frame {row['cpu_ms']:.1f} ms CPU ({row['wall_ms']:.1f} ms"
            f" wall); bare Textual {bare['cpu_ms']:.1f} ms CPU ({bare['wall_ms']:.1f} ms wall)"
        )
    return rows, bare


def table(rows: list[dict[str, float]], bare: dict[str, float]) -> str:
    from common import markdown

    zero = rows[0]["cpu_ms"]
    out = [
        [
            f"{row['annotations']:,}",
            f"{row['cpu_ms']:.1f} ms",
            f"{row['wall_ms']:.1f} ms",
            f"{row['cpu_ms'] / zero:.2f}×" if zero else "",
            f"{row['cpu_ms'] / bare['cpu_ms']:.1f}×",
            "yes" if row["cpu_ms"] <= 16 else "no",
        ]
        for row in rows
    ]
    out.append(["bare Textual app", f"{bare['cpu_ms']:.1f} ms", f"{bare['wall_ms']:.1f} ms", "", "1.0×", ""])
    header = [
        "annotations in the story",
        "`q` → frame, CPU (app thread)",
        "wall",
        f"× {rows[0]['annotations']} annotations",
        "× bare app",
        "≤ 16 ms?",
    ]
    return markdown(out, header)


def record(rows: list[dict[str, float]], bare: dict[str, float], runs: int) -> None:
    """Add the table to bench/RESULTS.md, above the suggestions' section (so branches merge cleanly)."""
    from common import BENCH_DIR, machine

    facts = machine(BENCH_DIR)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join(
        [
            f"## Tagging cost (issue 14), `q` to frame (bench/bench_reader.py --tag), {when}",
            "",
            *(f"- {key}: {value}" for key, value in facts.items() if key in ("cpu", "python", "libraries", "commit")),
            "",
            f"A {STORY_WORDS:,}-word story at {SIZE[0]}×{SIZE[1]}; fresh headless processes, {runs} runs after a "
            f"warm-up, {PRESSES - 1} presses each (after one warm-up press); medians. `q` tags two selected words "
            "(saved, fsync'd, the panel and the text updated); measured from the key press to the frame showing "
            "it: the CPU time of the app's thread (the suggester, which starts after that frame, is off) and the wall "
            "time (which includes Textual's wait for its next 60 Hz frame tick, up to 16.7 ms). Goal: ≤ 16 ms, "
            "flat in the annotation count.",
            "",
            table(rows, bare),
            "",
        ]
    )
    results = BENCH_DIR / "RESULTS.md"
    text = results.read_text("utf-8")
    anchor = text.find("## Suggestions (issue 13)")
    text = text[:anchor] + section + "\n" + text[anchor:] if anchor >= 0 else text.rstrip() + "\n\n" + section
    results.write_text(text, encoding="utf-8")


def main(counts: list[int], runs: int, *, save: bool = False) -> None:
    """Measure, print the table, and with `save` add it to bench/RESULTS.md."""
    rows, bare = measure(counts, runs)
    print(table(rows, bare))
    if save:
        record(rows, bare, runs)
