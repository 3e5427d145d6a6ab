"""Read/unread at 100k stories: what arrivals and the marks cost the library, against baselines of the same run.

    python bench/bench_unread.py [--library /work/big/lib-100k-200k] [--unread 10000] [--runs 5] [--record]

The library is opened read-only, in place (the marks of a read-only library are kept in memory: nothing is
written to it); `--unread` of its stories are marked unread first. In this process, the app headless under
Textual's Pilot (100×32), each figure from the call or key to the next frame drawn (polled every millisecond):

- `j` (the highlight moves down one row): the baseline for a key;
- `m` (the highlighted story marked unread / read, its row redrawn, the title counted again);
- `M` (every listed story marked read: the `--unread` ones), then the marks put back;
- `reload()` with no story unread: the baseline for arrivals (what the library did on any change before);
- `stories_arrived(3 ids)` with `--unread` stories unread: the list rebuilt, the highlighted story kept on its
  line, the unread counted, the alerts checked (none configured).

Before both of the last two, the store's sorted list is dropped, as an import of new stories drops it.
Headless, in a temp dir: opening a log of `--unread` marks, and one mark (an fsync'd append, read back) against
a line of the same length appended to the same log and fsync'd by hand. The body search index is left out (the
app would build it in the background at this size, loading the machine while the figures are taken).
`--record` writes the table into bench/RESULTS.md (above the issue 13 section).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import markdown, median, percentile
from sections import record_section

from bench.bench_filter import FRAMES, _count_frames, _until  # the frame counter and the 1 ms poll

SIZE = (100, 32)
TITLE = "Read/unread at 100k stories (issue 16, bench/bench_unread.py)"


async def _timed(act: Callable[[], object], done: Callable[[], object] = lambda: True) -> tuple[float, float]:
    """(wall, CPU) seconds from `act()` to `done()` and the next frame drawn."""
    frame = FRAMES[0]
    start, cpu = time.perf_counter(), time.process_time()
    act()
    await _until(done)
    await _until(lambda: FRAMES[0] > frame)
    return time.perf_counter() - start, time.process_time() - cpu


def app_figures(library: Path, unread: int, runs: int) -> tuple[int, dict[str, list[tuple[float, float]]]]:
    from textual import events

    from annotations.store import Store
    from tests.tui.support import counts_shown
    from tui.app import WiredeskApp
    from tui.screens.searching import Searching
    from tui.widgets.story_list import StoryList

    def no_index(self: Searching) -> None:
        self._index = None
        self._tokens.clear()

    Searching.search_reloaded = no_index  # type: ignore[method-assign]  # see the docstring
    store = Store(library, read_only=True)
    out: dict[str, list[tuple[float, float]]] = {k: [] for k in ("j", "m", "M", "reload", "arrived")}

    def key(app: WiredeskApp, name: str) -> Callable[[], object]:
        return lambda: app.post_message(events.Key(name, name).set_sender(app))

    def drop_sorted() -> None:
        store._sorted = None
        store._shown.clear()

    async def run() -> None:
        app = WiredeskApp(store, annotator="bench")
        async with app.run_test(size=SIZE) as pilot:
            await counts_shown(pilot)
            screen = app.screen
            stories = screen.query_one(StoryList)
            ids = [e.id for e in store.entries()]
            marked = ids[5 : 5 + unread]
            for _ in range(runs):
                drop_sorted()
                out["reload"].append(await _timed(screen.reload))
            store.unread.mark_unread(marked)
            screen.reload()
            await pilot.pause()
            stories.cursor = 10
            await pilot.pause()
            for _ in range(runs):
                drop_sorted()
                out["arrived"].append(await _timed(lambda: screen.stories_arrived(ids[:3])))
                at = stories.cursor
                out["j"].append(await _timed(key(app, "j"), lambda at=at: stories.cursor == at + 1))
                was = stories.highlighted.id in store.unread
                out["m"].append(
                    await _timed(key(app, "m"), lambda was=was: (stories.highlighted.id in store.unread) != was)
                )
                out["M"].append(await _timed(key(app, "M"), lambda: not store.unread.ids))
                store.unread.mark_unread(marked)
                screen.reload()
                await pilot.pause()

    asyncio.run(run())
    count = len(store)
    store.close()
    return count, out


def log_figures(unread: int, runs: int) -> dict[str, list[float]]:
    from annotations.store.unread import UNREAD_FILE, UnreadMarks

    out: dict[str, list[float]] = {"open": [], "mark": [], "append": []}
    with tempfile.TemporaryDirectory(prefix="wiredesk-bench-unread-") as tmp:
        folder = Path(tmp)
        ids = [f"{n:064x}" for n in range(unread)]
        UnreadMarks(folder).mark_unread(ids)
        for _ in range(runs):
            start = time.perf_counter()
            marks = UnreadMarks(folder)
            out["open"].append(time.perf_counter() - start)
        line = b'["-",["' + ids[-1].encode() + b'"]]\n'  # (a valid mark: the same file, the same bytes)
        for n in range(runs):
            start = time.perf_counter()
            marks.mark_read([ids[n]]) if n % 2 == 0 else marks.mark_unread([ids[n - 1]])
            out["mark"].append(time.perf_counter() - start)
            start = time.perf_counter()
            fd = os.open(folder / UNREAD_FILE, os.O_WRONLY | os.O_APPEND)
            os.write(fd, line)
            os.fsync(fd)
            os.close(fd)
            out["append"].append(time.perf_counter() - start)
        size = (folder / UNREAD_FILE).stat().st_size
    out["size"] = [float(size)]
    return out


def table(stories: int, unread: int, app: dict[str, list[tuple[float, float]]], log: dict[str, list[float]]) -> str:
    def row(name: str, values: list[float], base: float | None, cpu: list[float] | None = None) -> list[str]:
        med = median(values)
        return [
            name,
            str(len(values)),
            f"{med * 1000:.1f}",
            f"{percentile(values, 0.9) * 1000:.1f}",
            f"{median(cpu) * 1000:.1f}" if cpu else "",
            f"{med / base:.2f}×" if base else "baseline",
        ]

    def app_row(name: str, key: str, base_key: str | None) -> list[str]:
        base = median([t[0] for t in app[base_key]]) if base_key else None
        return row(name, [t[0] for t in app[key]], base, [t[1] for t in app[key]])

    rows = [
        app_row("`j`: the highlight one row down", "j", None),
        app_row("`m`: the highlighted story marked unread/read", "m", "j"),
        app_row(f"`M`: {unread:,} listed stories marked read", "M", "j"),
        app_row("`reload()`, nothing unread (the library's reload before)", "reload", None),
        app_row(f"`stories_arrived(3)`, {unread:,} unread", "arrived", "reload"),
        row("append + fsync of one line by hand", log["append"], None),
        row("one mark (`mark_read`: append + fsync, read back)", log["mark"], median(log["append"])),
        row(f"open a log of {unread:,} unread ids ({log['size'][0] / 1e6:.1f} MB)", log["open"], None),
    ]
    header = ["figure", "n", "median ms", "p90 ms", "CPU ms (median)", "× its baseline"]
    return f"{stories:,} stories, {unread:,} of them unread.\n\n" + markdown(rows, header)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", type=Path, default=Path("/work/big/lib-100k-200k"))
    parser.add_argument("--unread", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--record", action="store_true", help="write the table into bench/RESULTS.md")
    args = parser.parse_args()
    _count_frames()
    load = os.getloadavg()[0]
    log = log_figures(args.unread, args.runs)
    stories, app = app_figures(args.library, args.unread, args.runs)
    text = table(stories, args.unread, app, log) + f"\n\nLoad {load:.1f} at the start (the machine is shared)."
    print(text)
    if args.record:
        command = f"python bench/bench_unread.py --unread {args.unread} --runs {args.runs}"
        record_section(TITLE, command, text)
        print("recorded in bench/RESULTS.md")


if __name__ == "__main__":
    main()
