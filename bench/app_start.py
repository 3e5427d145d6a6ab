"""Child process for the app start-up benchmark: run one app headless until its first frame, report timings.

    python bench/app_start.py MODE DATA_DIR OUT_JSON

MODE is one of
  `cli`    — the `wiredesk --data-dir DATA_DIR` command itself (`tui.cli.wiredesk`), with the app class swapped for
             a subclass that exits once the counts are shown (and runs headless);
  `app`    — `Store(DATA_DIR)` + that `WiredeskApp` subclass directly (the app without the CLI's set-up);
  `quit`   — the `wiredesk` command asked to quit at its first frame, while the annotations load (the parent
             times the process's end);
  `bare`   — a bare Textual app: Header, a DataTable of the same headlines (read from `stories.json`), Footer;
  `screen` — a bare Textual app showing what a first frame shows, whatever the library's size: Header, a
             DataTable of one screenful (40) of the headlines, Footer.

"First frame" is when the library list is mounted, filled and painted: the screen's `call_after_refresh`
callback from `on_mount`. Times are `time.perf_counter()` (CLOCK_MONOTONIC, comparable across processes),
so the parent can add the interpreter start it measured before spawning this process.
"""

from __future__ import annotations

import time

T_TOP = time.perf_counter()  # first thing: before any other import

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

RESULT: dict[str, object] = {"t_top": T_TOP}


def _memory() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB (not `common.memory_mb`: this child imports only what it needs)."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def _finish(app, out: Path) -> None:
    RESULT["t_exit_requested"] = time.perf_counter()
    RESULT.update(_memory())
    out.write_text(json.dumps(RESULT))
    app.exit()


def wiredesk_classes(out: Path, quit_at_first_frame: bool = False):
    """A WiredeskApp whose library screen marks its first frame; the app exits once the counts are shown (or at
    its first frame, with `quit_at_first_frame`)."""
    import tui.app
    from tui.desk import desk
    from tui.screens.library import LibraryScreen

    class BenchLibraryScreen(LibraryScreen):
        def on_mount(self) -> None:  # Textual runs LibraryScreen.on_mount too (handlers run along the MRO)
            self.call_after_refresh(self._first_frame)

        def _first_frame(self) -> None:
            RESULT["t_first_frame"] = time.perf_counter()
            RESULT["cpu_first_frame"] = time.process_time()  # the process's CPU time (all threads) until then
            RESULT["rows_at_first_frame"] = self.query_one("#stories").shown
            loaded = desk(self).store.annotations_loaded
            RESULT["annotations_loaded_at_first_frame"] = loaded
            if quit_at_first_frame or loaded:
                RESULT["t_counts_shown"] = RESULT["t_first_frame"]
                _finish(self.app, out)

    class BenchApp(tui.app.WiredeskApp):
        CSS_PATH = str(Path(tui.app.__file__).with_name(tui.app.WiredeskApp.CSS_PATH))  # relative to tui/

        def run(self, *args, **kwargs):
            kwargs["headless"] = True
            return super().run(*args, **kwargs)

        def _loaded(self) -> None:
            super()._loaded()
            self.call_after_refresh(self._counts_shown)

        def _counts_shown(self) -> None:
            RESULT["t_counts_shown"] = time.perf_counter()
            if "t_first_frame" in RESULT:
                _finish(self, out)

    tui.app.LibraryScreen = BenchLibraryScreen  # what WiredeskApp.on_mount pushes
    tui.app.WiredeskApp = BenchApp  # what the CLI runs
    return BenchApp


def run_cli(data_dir: Path, out: Path) -> None:
    wiredesk_classes(out)
    from tui.cli import main

    main(["--data-dir", str(data_dir)], standalone_mode=False)


def run_quit(data_dir: Path, out: Path) -> None:
    wiredesk_classes(out, quit_at_first_frame=True)
    from tui.cli import main

    main(["--data-dir", str(data_dir)], standalone_mode=False)


def run_app(data_dir: Path, out: Path) -> None:
    app_class = wiredesk_classes(out)
    from annotations.store import Store

    store = Store(data_dir)
    try:
        app_class(store).run()
    finally:
        store.close()


def _run_bare_app(rows, out: Path) -> None:
    """A bare Textual app: Header, a DataTable of the headlines `rows()` gives (called in `on_mount`), Footer."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_column("Headline")
            table.add_rows([(headline,) for headline in rows()])
            self.call_after_refresh(self._first_frame)

        def _first_frame(self) -> None:
            RESULT["t_first_frame"] = RESULT["t_counts_shown"] = time.perf_counter()
            RESULT["cpu_first_frame"] = time.process_time()
            RESULT["rows_at_first_frame"] = self.query_one(DataTable).row_count
            _finish(self, out)

    BareApp().run(headless=True)


def run_bare(data_dir: Path, out: Path) -> None:
    import orjson

    _run_bare_app(
        lambda: [d["headline"] for d in orjson.loads((data_dir / "stories.json").read_bytes())["stories"].values()]
    )


def run_screen(data_dir: Path, out: Path) -> None:
    _run_bare_app(lambda: [f"Headline of story {n}" for n in range(40)], out)


def measure(library: Path, runs: int = 5, log=print) -> dict:
    """Start each app `runs` times (plus one warm-up round), interleaved; medians of start to first frame."""
    from common import median, run_child

    modes = ("bare", "cli", "app")
    samples: dict[str, list[dict]] = {m: [] for m in modes}
    for round_ in range(runs + 1):
        for mode in modes:
            result, spawned = run_child("app_start.py", mode, library, timeout=300)
            for key in [k for k in result if k.startswith("t_")]:
                result[key] -= spawned
            if round_:
                samples[mode].append(result)
    out: dict = {"runs": runs}
    for mode, results in samples.items():
        out[mode] = {
            "first_frame_s": median([r["t_first_frame"] for r in results]),
            "first_frame_all_s": [round(r["t_first_frame"], 3) for r in results],
            "interpreter_s": median([r["t_top"] for r in results]),
            "counts_shown_s": median([r["t_counts_shown"] for r in results]),
            "rows": results[0]["rows_at_first_frame"],
            "annotations_loaded_at_first_frame": any(r.get("annotations_loaded_at_first_frame") for r in results),
            "rss_mb": median([r["VmRSS"] for r in results]),
            "hwm_mb": median([r["VmHWM"] for r in results]),
        }
        log(
            f"  app start [{mode}]: first frame {out[mode]['first_frame_s']:.3f} s "
            f"(runs {out[mode]['first_frame_all_s']}), counts shown {out[mode]['counts_shown_s']:.3f} s"
        )
    return out


def main() -> None:
    mode, data_dir, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    runs = {"cli": run_cli, "app": run_app, "quit": run_quit, "bare": run_bare, "screen": run_screen}
    runs[mode](data_dir, out)
    RESULT["t_end"] = time.perf_counter()
    out.write_text(json.dumps(RESULT))


if __name__ == "__main__":
    main()
