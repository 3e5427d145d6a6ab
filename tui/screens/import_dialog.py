"""ImportDialog: import files, folders or a feed URL from inside the app, with progress."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

from annotations.importing import ImportOutcome, import_paths, list_files
from stories.text import clean_line
from tui.desk import desk
from tui.widgets.path_input import PathInput
from tui.widgets.wrapped_log import WrappedLog

__all__ = ["ImportDialog"]


class ImportDialog(ModalScreen[list[str]]):
    """Asks for a path, imports it, shows each file's outcome; dismisses with the ids of new stories."""

    BINDINGS = [Binding("escape", "close", "Close", id="import.close")]

    DEFAULT_CSS = """
    ImportDialog {
        align: center middle;
        & > Vertical {
            width: 90; max-width: 100%; height: auto; max-height: 90%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & #import-title { text-style: bold; padding-bottom: 1; }
        & #import-help { color: $text-muted; }
        & ProgressBar { display: none; margin-top: 1; }
        & ProgressBar.-running { display: block; }
        & ProgressBar.-done #eta { display: none; }
        & WrappedLog { height: 12; display: none; background: $surface-darken-1; }
        & WrappedLog.-shown { display: block; }
        & #import-summary { padding-top: 1; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._new_ids: list[str] = []
        self._importing = False
        self._stop_requested = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import stories", id="import-title")
            yield PathInput(placeholder="file, folder, or http(s) URL of a feed", id="import-path")
            yield Static(
                "Tab completes the path · Enter imports · Escape closes. Formats are recognised by content.",
                id="import-help",
            )
            yield ProgressBar(id="import-progress", show_eta=True)
            yield WrappedLog(id="import-log")  # long reasons wrap, at the width shown
            yield Static(id="import-summary", markup=False)

    def on_input_submitted(self, event: PathInput.Submitted) -> None:
        event.stop()
        if self._importing:
            return
        path = event.value.strip()
        if not path:
            return
        is_url = path.startswith(("http://", "https://"))
        expanded = path if is_url else str(Path(path).expanduser())
        if not is_url and not Path(expanded).exists():
            self.query_one("#import-summary", Static).update(Text(f"{path}: no such file or folder", style="red"))
            return
        self._importing, self._stop_requested = True, False
        self.query_one(ProgressBar).add_class("-running").remove_class("-done")
        self.query_one(WrappedLog).add_class("-shown")
        self.query_one("#import-summary", Static).update("")
        self._import(expanded)

    @work(thread=True, exclusive=True)
    def _import(self, path: str) -> None:
        counts = dict.fromkeys(("imported", "present", "version", "failed"), 0)
        links: list[tuple[Path, str]] = []  # links out of the folder named: not followed, and said so
        files = list_files([path], skip=[desk(self).store.data_dir], skipped=lambda p, why: links.append((p, why)))
        for link, why in links:
            self.app.call_from_thread(
                self.query_one(WrappedLog).write, Text(f"skipped   {clean_line(link.name)}: {why}")
            )
        self.app.call_from_thread(self.query_one(ProgressBar).update, total=max(len(files), 1), progress=0)
        last = None
        # a new version's carried annotations: one step of the app's history, undone with `u` like any other
        for outcome in import_paths(desk(self).store, files, history=desk(self).history()):
            counts[outcome.status] += 1
            if outcome.status in ("imported", "version") and outcome.story_id:
                self._new_ids.append(outcome.story_id)
            advance = outcome.path != last
            last = outcome.path
            self.app.call_from_thread(self._show, outcome, advance)
            if self._stop_requested:
                break
        self.app.call_from_thread(self._done, counts)

    def _show(self, outcome: ImportOutcome, advance: bool) -> None:
        where = str(outcome.path)
        name = clean_line(where if where.startswith(("http://", "https://")) else Path(where).name)
        if outcome.status == "failed":
            line = f"failed    {name}: {clean_line(outcome.reason)}"  # a reason may quote a server or a file
        else:
            word = {"imported": "imported", "present": "already in library", "version": "new version"}
            line = f"{word[outcome.status]:<9} {name}: {outcome.headline}"
            if outcome.carried is not None:
                line += f" ({outcome.carried.describe()})"
        self.query_one(WrappedLog).write(Text(line))
        if advance:
            self.query_one(ProgressBar).advance(1)

    def _done(self, counts: dict[str, int]) -> None:
        self._importing = False
        self.query_one(ProgressBar).add_class("-done")  # no "--:--:--" left where the time to go was
        summary = (
            f"{counts['imported']} imported, {counts['present']} already in library, "
            f"{counts['version']} new version(s), {counts['failed']} failed"
            + (" — stopped" if self._stop_requested else "")
            + ". Enter another path, or Escape to see the library."
        )
        self.query_one("#import-summary", Static).update(Text(summary, style="red" if counts["failed"] else "green"))
        self.query_one(PathInput).value = ""

    def action_close(self) -> None:
        if self._importing:
            self._stop_requested = True
            return
        self.dismiss(self._new_ids)
