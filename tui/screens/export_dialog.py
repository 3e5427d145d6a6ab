"""ExportDialog: export annotations from inside the app (a format, a scope, a destination), with progress.

Scopes, counting and the export itself are `annotations.exports.scopes` (imported here by the screens that
offer scopes, too)."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from annotations.exports import Exporter, ExportFilter
from annotations.exports.scopes import (
    ExportCancelled,
    Scope,
    count_annotations,
    everything_scope,
    export_to,
    formats,
    list_scope,
    story_scope,
)
from annotations.layers import ALL, CURATED
from annotations.store import StoreError
from stories.text import clean_line
from tui.desk import desk
from tui.widgets.choice_field import ChoiceField
from tui.widgets.path_input import PathInput

__all__ = [
    "ExportCancelled",
    "ExportDialog",
    "Scope",
    "count_annotations",
    "default_path",
    "everything_scope",
    "export_to",
    "formats",
    "list_scope",
    "story_scope",
]

#: The CSV option's two values: plain UTF-8, or with a byte-order mark so that Excel reads it as UTF-8.
CSV_FOR = ("any program", "Excel")
HELP = "Tab moves (in the path: completes it first) · ←/→ chooses · Enter exports · Escape closes"


def _ending(name: str, module: Exporter) -> str:
    if not module.SINGLE_FILE:
        return f"-{name}"
    return module.EXTENSION


def default_path(name: str, module: Exporter, today: date) -> str:
    """Where an export goes unless the user says otherwise: ~/wiredesk-export-YYYYMMDD plus the format's ending."""
    return f"~/wiredesk-export-{today:%Y%m%d}{_ending(name, module)}"


class ExportDialog(ModalScreen[Path | None]):
    """Choose a format and a scope, edit the destination, Enter exports (a destination that exists is replaced
    only on a second Enter). Escape closes, or stops a running export. Dismisses with the last path written."""

    BINDINGS = [
        Binding("enter", "export", "Export", show=False, id="export.run", tooltip="Export (again: replace the file)"),
        Binding("escape", "close", "Close", id="export.close", tooltip="Close; during an export, stop it"),
    ]

    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
        & > Vertical {
            width: 90; max-width: 100%; height: auto; max-height: 100%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & #export-title { text-style: bold; padding-bottom: 1; }
        & .export-row { height: 1; }
        & .export-row > Label { width: 9; color: $text-muted; }
        & .export-row > PathInput { width: 1fr; height: 1; border: none; padding: 0 1; }
        & .export-detail { color: $text-muted; padding-left: 10; margin-bottom: 1; }
        & #export-help { color: $text-muted; padding-top: 1; }
        & ProgressBar { display: none; margin-top: 1; }
        & ProgressBar.-running { display: block; }
        & ProgressBar.-done #eta { display: none; }
        & #export-summary { padding-top: 1; }
    }
    """

    def __init__(self, scopes: list[Scope], *, scope: str | None = None, today: date | None = None) -> None:
        """`scopes`: what may be exported (the first is chosen unless `scope` names another)."""
        super().__init__()
        self.scopes = {s.name: s for s in scopes}
        self.formats = formats()
        self._scope = scope if scope in self.scopes else scopes[0].name
        self._format = "csv" if "csv" in self.formats else next(iter(self.formats))
        self._today = today or date.today()
        self._exporting = False
        self._stop = False
        self._done = 0
        self._replace: Path | None = None  # the existing destination a second Enter replaces
        self._written: Path | None = None
        self._timer: Timer | None = None
        self._layers: list[str] = []  # the library's annotator layers, then `ALL`: the Layer row's choices
        self._layer = ALL

    def compose(self) -> ComposeResult:
        memory = desk(self).export_memory
        if memory.get("format") in self.formats:
            self._format = memory["format"]
        module = self.formats[self._format]
        destination = default_path(self._format, module, self._today)
        if memory.get("folder"):
            destination = str(Path(memory["folder"]) / Path(destination).name)
        layers = desk(self).layers
        present = layers.in_library(desk(self).store)
        self._layers, self._layer = [*present, ALL], layers.choose(None, present)
        with Vertical():
            yield Label("Export annotations", id="export-title")
            yield self._row("Format", ChoiceField(list(self.formats), self._format, id="export-format"))
            yield Static(module.LABEL, id="export-format-label", classes="export-detail", markup=False)
            yield self._row("Scope", ChoiceField(list(self.scopes), self._scope, id="export-scope"))
            yield Static(
                self.scopes[self._scope].detail, id="export-scope-detail", classes="export-detail", markup=False
            )
            layer = ChoiceField(self._layers, self._layer, id="export-layer")
            yield self._row("Layer", layer, id="export-layer-row")
            yield Static(self._layer_detail(), id="export-layer-detail", classes="export-detail", markup=False)
            yield self._row("For", ChoiceField(CSV_FOR, CSV_FOR[0], id="export-excel"), id="export-excel-row")
            yield self._row("Save to", PathInput(destination, id="export-path"))
            yield Static(HELP, id="export-help", markup=False)
            yield ProgressBar(id="export-progress", show_eta=True)
            yield Static(id="export-summary", markup=False)

    def _row(self, label: str, field: ChoiceField | PathInput, id: str | None = None) -> Horizontal:
        return Horizontal(Label(label), field, id=id, classes="export-row")

    def on_mount(self) -> None:
        several = len(self._layers) > 2  # one layer (yours) and "all": nothing to choose, the row is not shown
        self.query_one("#export-layer-row").display = several
        self.query_one("#export-layer-detail").display = several
        self._show_format()
        self.query_one("#export-format").focus()

    @property
    def path_input(self) -> PathInput:
        return self.query_one("#export-path", PathInput)

    # --- choices -------------------------------------------------------------------------------------------

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        event.stop()
        if event.field.id == "export-format":
            old, self._format = self._format, str(event.value)
            box = self.path_input
            old_end = _ending(old, self.formats[old])
            if box.value.endswith(old_end):  # the ending follows the format; a name of the user's own stays
                box.value = box.value[: -len(old_end)] + _ending(self._format, self.formats[self._format])
            self._show_format()
        elif event.field.id == "export-layer":
            self._layer = str(event.value)
            self.query_one("#export-layer-detail", Static).update(self._layer_detail())
        elif event.field.id == "export-scope":
            self._scope = str(event.value)
            self.query_one("#export-scope-detail", Static).update(self.scopes[self._scope].detail)
        self._replace = None

    def _layer_detail(self) -> str:
        """What the Layer choice exports (curated is the default once the library has it)."""
        if self._layer == ALL:
            return "every annotator's layer, and the curated one"
        if self._layer == CURATED:
            return "what the curators settled (the default once the library has it)"
        return f"{clean_line(self._layer)}'s annotations" + (" (yours)" if self._layer == desk(self).layers.me else "")

    def _show_format(self) -> None:
        self.query_one("#export-format-label", Static).update(self.formats[self._format].LABEL)
        self.query_one("#export-excel-row").display = self._format == "csv"

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._replace = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def _say(self, message: str, style: str = "") -> None:
        self.query_one("#export-summary", Static).update(Text(message, style=style))

    # --- exporting -----------------------------------------------------------------------------------------

    def _destination(self) -> Path | None:
        """The path typed, checked; None (with the reason shown) if it cannot be exported to as it is."""
        typed = self.path_input.value.strip()
        if not typed:
            self._say("Give the file to export to.", "red")
            return None
        path = Path(os.path.abspath(os.path.expanduser(typed)))
        folder_format = not self.formats[self._format].SINGLE_FILE
        if folder_format and path.exists() and not path.is_dir():
            self._say(f"{path} is a file; {self._format} writes a folder: give a folder name.", "red")
            return None
        if not folder_format and path.is_dir():
            self._say(f"{path} is a folder: give a file name.", "red")
            return None
        if path.parent.exists() and not path.parent.is_dir():
            self._say(f"Cannot write {path}: {path.parent} is a file, not a folder.", "red")
            return None
        if not path.parent.is_dir():
            self._say(f"Cannot write {path}: the folder {path.parent} does not exist.", "red")
            return None
        if folder_format and path.is_dir() and not self.formats[self._format].replaceable(path):
            self._say(f"{path} holds other files than a {self._format} export: give a new folder name.", "red")
            return None
        if path.exists() and self._replace != path:
            self._replace = path
            what = "folder" if path.is_dir() else "file"
            self._say(f"{path} exists. Enter again replaces that {what}; or change the name.", "yellow")
            self.query_one(ProgressBar).remove_class("-running")  # not the last export's finished bar
            return None
        return path

    def action_export(self) -> None:
        if self._exporting:
            return
        path = self._destination()
        if path is None:
            return
        options = {"excel": True} if self._format == "csv" and self._excel else {}
        self._exporting, self._stop, self._done, self._replace = True, False, 0, None
        self.query_one(ProgressBar).add_class("-running").remove_class("-done")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._say("Counting annotations…")
        self._timer = self.set_interval(0.1, self._show_progress)
        flt = dataclasses.replace(self.scopes[self._scope].filter, layer=self._layer, layers=desk(self).layers)
        self._export(self._format, path, flt, options)

    @property
    def _excel(self) -> bool:
        return self.query_one("#export-excel", ChoiceField).value == "Excel"

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _export(self, name: str, path: Path, flt: ExportFilter, options: dict) -> None:
        worker = get_current_worker()
        store = desk(self).store

        def stopped() -> bool:  # Escape, or the app quitting
            return self._stop or worker.is_cancelled

        try:
            store.load_annotations()
            total = count_annotations(store, flt)
            self.app.call_from_thread(self._started, total, path)
            count = export_to(store, name, path, flt, options, progress=self._progressed, stopped=stopped)
            outcome: tuple[Path | None, str] = (path, f"{count:,}")
        except ExportCancelled:
            outcome = (None, "")
        except OSError as exc:  # reading the library
            outcome = (None, f"Cannot export: {exc.strerror or exc}")
        except StoreError as exc:  # ExportError too: "cannot write PATH: …"
            message = str(exc)
            outcome = (None, message[:1].upper() + message[1:])
        except Exception as exc:  # an exporter's bug: one line, and nothing was written
            outcome = (None, f"Export failed ({type(exc).__name__}): {exc}")
        if not worker.is_cancelled:  # messages may quote an exporter's exception: one line, terminal-safe
            self.app.call_from_thread(self._finished, outcome[0], clean_line(outcome[1]))

    def _progressed(self, done: int) -> None:
        self._done = done  # read by the timer on the UI thread

    def _started(self, total: int, path: Path) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=0)
        self._say(f"Exporting {total:,} annotation{'' if total == 1 else 's'} to {path}…")

    def _show_progress(self) -> None:
        if self._exporting:
            self.query_one(ProgressBar).update(progress=self._done)

    def _finished(self, path: Path | None, outcome: str) -> None:
        """`path` and the count when it worked; else None and the error ("" when stopped by the user)."""
        self._exporting = False
        if self._timer is not None:
            self._timer.stop()
        bar = self.query_one(ProgressBar)
        if path is not None:
            self._written = path
            desk(self).export_memory.update(format=self._format, folder=str(path.parent))
            bar.update(progress=bar.total or 0)
            bar.add_class("-done")  # no "--:--:--" left where the time to go was
            noun = "annotation" if outcome == "1" else "annotations"
            layer = f" ({'every layer' if self._layer == ALL else f'layer {clean_line(self._layer)}'})"
            self._say(f"Exported {outcome} {noun} to {path}{layer if len(self._layers) > 2 else ''}", "green")
        elif not outcome:
            self.app.notify("Export stopped; nothing was written.", severity="warning")
            self.dismiss(self._written)
        else:
            bar.remove_class("-running")
            self._say(f"{outcome.rstrip('.')}. Nothing was written.", "red")

    def action_close(self) -> None:
        if self._exporting:
            self._stop = True
            self._say("Stopping…")
            return
        self.dismiss(self._written)
