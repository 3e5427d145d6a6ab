"""The library's search box at 100k stories: key to result, typed character by character, against a bare app.

    python bench/bench_filter.py [--library /work/big/lib-100k-200k] [--work DIR] [--runs 3] [--record]

The library is copied (the shared one is read-only) into a temp dir, or `--work DIR` (kept, so that a second run
skips the copy and the index build), and its search index is brought in sync first (timed, for context). Then,
in this process, each app headless under Textual's Pilot, the same path for every figure: a key is posted as the
terminal driver posts it and the clock stops when the result is in the widgets and the next frame is drawn
(polled every millisecond; Pilot's `press` sleeps 20 ms at a time, too coarse here):

- `bare`: the baseline, a bare Textual app with an Input and a Label the Input's text is copied to on each key;
- `filter`: the library's words filter, typing a headline word while the body index is set aside (the path
  taken until the index is built): the haystacks narrowed key by key;
- `body`: the library's `/` with the index ready, typing a body word: each key is a prefix search (from the
  second letter), run in the worker; the clock stops when that key's hits are listed;
- `body, Enter`: the whole word typed, Enter: the exact word's ranked hits (snippets of the rows shown).

Also timed: `/` itself (the haystacks are built in the background after each reload: ready, or built then)
and, for `body`, the key handled (the UI thread free for the next key) beside key-to-hits; and the CPU time of
the process per key (all threads). The goal (issue 14 §2): ≤ 30 ms key to result.
`--record` puts the table in bench/RESULTS.md above the issue 13 section (in place of an earlier one).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, machine, markdown, median, percentile

SIZE = (100, 32)
HEADING = "## Library search box (bench/bench_filter.py)"
ABOVE = "## Suggestions (issue 13)"


#: Frames drawn so far (every app of this process): see `_count_frames`.
FRAMES = [0]


def _count_frames() -> None:
    """Count each screen update Textual draws, so that a figure can wait for the frame showing its result."""
    from textual.screen import Screen

    draw = Screen._compositor_refresh

    def counted(self) -> None:
        draw(self)
        FRAMES[0] += 1

    Screen._compositor_refresh = counted  # type: ignore[method-assign]  # this benchmark's process only


async def _until(condition: Callable[[], object]) -> None:
    """Poll every millisecond until `condition()` (Pilot's own waits sleep 20 ms at a time: too coarse here)."""
    deadline = time.perf_counter() + 60
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("the result never came")
        await asyncio.sleep(0.001)


async def _type(app, word: str, done: Callable[[str], bool], handled: Callable[[str], bool]) -> list[tuple[float, ...]]:
    """For each character of `word`, sent as the terminal driver sends a key: (key to result, key handled, CPU
    seconds of this process meanwhile); `done(typed)`: the result is in; `handled(typed)`: the UI thread is
    through with the key (it would take the next)."""
    from textual import events

    times = []
    for i in range(1, len(word) + 1):
        typed = word[:i]
        start, cpu = time.perf_counter(), time.process_time()
        app.post_message(events.Key(word[i - 1], word[i - 1]).set_sender(app))
        await _until(lambda typed=typed: handled(typed))
        through = time.perf_counter()
        await _until(lambda typed=typed: done(typed))
        frame = FRAMES[0]
        await _until(lambda frame=frame: FRAMES[0] > frame)  # and drawn
        times.append((time.perf_counter() - start, through - start, time.process_time() - cpu))
    return times


def bare(word: str, runs: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="box")
            yield Label("", id="out")

        def on_input_changed(self, event: Input.Changed) -> None:
            self.query_one("#out", Label).update(event.value)
            self.shown = event.value

    times: list[tuple[float, ...]] = []

    async def run() -> None:
        app = Bare()
        app.shown = ""
        async with app.run_test(size=SIZE) as pilot:
            box = app.query_one(Input)
            for _ in range(runs):
                box.value = ""
                await _until(lambda: app.shown == "")
                await pilot.pause()
                times.extend(await _type(app, word, lambda t: app.shown == t, lambda t: app.shown == t))

    asyncio.run(run())
    return times


def library(store, word: str, body_word: str, runs: int) -> dict[str, list[tuple[float, ...]]]:
    from textual import events

    from tests.tui.support import counts_shown
    from tui.app import WiredeskApp
    from tui.screens.searching import Searching, typing_query
    from tui.widgets.story_list import StoryList

    out: dict[str, list[tuple[float, ...]]] = {k: [] for k in ("slash", "filter", "body", "enter")}

    def shown(screen) -> str:
        return screen.shown_query.source if screen.shown_query is not None else ""

    async def run(body: bool) -> None:
        app = WiredeskApp(store, annotator="bench")
        async with app.run_test(size=SIZE) as pilot:
            await counts_shown(pilot)
            screen = app.screen
            stories, box = screen.query_one(StoryList), screen.box
            await _until(lambda: screen.body_search or not body)
            # the background work of a start done (the index opened, the haystacks built): keys alone are timed
            await _until(lambda: (screen._build is None or screen._build.done) and stories._haystacks is not None)
            for _ in range(runs):
                await pilot.press("escape")
                await pilot.pause()
                start, cpu = time.perf_counter(), time.process_time()
                app.post_message(events.Key("slash", "/").set_sender(app))
                await _until(lambda: box.has_focus and stories._haystacks is not None)
                out["slash"].append((time.perf_counter() - start, 0.0, time.process_time() - cpu))
                await pilot.pause()
                generation = [screen._generation]

                def handled(typed: str, generation: list[int] = generation) -> bool:
                    """The box has the key, and the screen has taken the query."""
                    if box.value == typed and screen._generation > generation[0]:
                        generation[0] = screen._generation
                        return True
                    return False

                if not body:
                    keys = await _type(app, word, lambda t: shown(screen) == typing_query(t), handled)
                    out["filter"].extend(keys)
                    continue

                def listed(typed: str) -> bool:
                    wanted = typing_query(typed)
                    return shown(screen) == wanted and (not wanted or stories.hits is not None)

                keys = await _type(app, body_word, listed, handled)
                out["body"].extend(keys[1:])  # the first letter is not searched (MIN_PREFIX)
                start, cpu = time.perf_counter(), time.process_time()
                app.post_message(events.Key("enter", "\r").set_sender(app))
                await _until(lambda: shown(screen) == body_word and stories.hits is not None)
                frame = FRAMES[0]
                await _until(lambda frame=frame: FRAMES[0] > frame)  # the rows drawn: their snippets made
                out["enter"].append((time.perf_counter() - start, 0.0, time.process_time() - cpu))

    saved = Searching.body_search
    Searching.body_search = property(lambda self: False)  # type: ignore[method-assign,assignment]  # the filter alone
    try:
        asyncio.run(run(body=False))
    finally:
        Searching.body_search = saved  # type: ignore[method-assign]
    asyncio.run(run(body=True))
    return out


def measure(source: Path, work: Path | None, word: str, body_word: str, runs: int) -> dict:
    from annotations.search import SearchIndex
    from annotations.store import Store

    temp = None
    if work is None:
        temp = Path(tempfile.mkdtemp(prefix="wiredesk-bench-filter-"))
        work = temp / "lib"
    try:
        if not work.exists():
            shutil.copytree(source, work)
        store = Store(work)
        store.load_annotations()
        start = time.perf_counter()
        index = SearchIndex(store)
        index.ensure()
        index.close()
        ensure = time.perf_counter() - start
        about = machine(work)
        load = os.getloadavg()[0]
        result = {"stories": len(store), "ensure": ensure, "bare": bare(word, runs)}
        result["machine"] = f"Machine: {about['cpu']}, load {load:.1f} at the start; commit {about['commit']}."
        result.update(library(store, word, body_word, runs))
        store.close()
        return result
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def table(result: dict, word: str, body_word: str) -> str:
    base = median([t[0] for t in result["bare"]])

    def row(name: str, key: str, part: int = 0) -> list[str]:
        values = [t[part] for t in result[key]]
        cpu = median([t[2] for t in result[key]])
        med = median(values)
        return [
            name,
            str(len(values)),
            f"{med * 1000:.1f}",
            f"{percentile(values, 0.9) * 1000:.1f}",
            f"{max(values) * 1000:.1f}",
            f"{cpu * 1000:.1f}",
            f"{med / base:.1f}×",
        ]

    rows = [
        row(f"bare Input + Label, typing {word!r}", "bare"),
        row(f"filter (words, haystacks), typing {word!r}", "filter"),
        row(f"body search, typing {body_word!r}: key to hits", "body"),
        row(f"body search, typing {body_word!r}: key handled (UI free)", "body", 1),
        row(f"body search {body_word!r}, Enter (exact word, rows drawn)", "enter"),
        row("`/` (opens the box; the haystacks ready)", "slash"),
    ]
    return markdown(rows, ["figure", "n", "median ms", "p90 ms", "max ms", "CPU ms (median)", "× bare median"])


def record(text: str, results_file: Path = BENCH_DIR / "RESULTS.md") -> None:
    """Put `text` above the issue 13 section of RESULTS.md, in place of an earlier run's."""
    old = results_file.read_text(encoding="utf-8")
    if HEADING in old:
        start = old.index(HEADING)
        end = old.find("\n## ", start + 1)
        old = old[:start] + (old[end + 1 :] if end >= 0 else "")
    at = old.find(ABOVE)
    new = old[:at] + text + "\n\n" + old[at:] if at >= 0 else old.rstrip() + "\n\n" + text + "\n"
    results_file.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", type=Path, default=Path("/work/big/lib-100k-200k"))
    parser.add_argument("--work", type=Path, default=None, help="copy the library here and keep it")
    parser.add_argument("--word", default="fisheries", help="a headline word to type")
    parser.add_argument("--body", default="households", help="a body word to type")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="put the table in bench/RESULTS.md")
    args = parser.parse_args()
    _count_frames()
    result = measure(args.library, args.work, args.word, args.body, args.runs)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"{HEADING}, {when}\n\n"
        f"{result['stories']:,} story versions ({args.library.name}); the index brought in sync first in "
        f"{result['ensure']:.1f} s. Key to result through Textual's Pilot (100×32, headless), {args.runs} runs of "
        f"each word; goal ≤ 30 ms key to result. {result['machine']}\n\n" + table(result, args.word, args.body)
    )
    print(text)
    if args.record:
        record(text)
        print("recorded in bench/RESULTS.md")


if __name__ == "__main__":
    main()
