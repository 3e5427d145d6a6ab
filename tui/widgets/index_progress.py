"""IndexProgress: a one-line bar while the library's search index is being built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

__all__ = ["IndexProgress"]


class IndexProgress(Horizontal):
    """`Building the search index…  ━━━━━━━━━━╺━━━━━━  57%`; shown while `show` says it works, hidden after."""

    DEFAULT_CSS = """
    IndexProgress {
        dock: bottom;
        height: 1;
        display: none;
        background: $panel;
        &.-working { display: block; }
        & > Label { padding: 0 1; color: $text-muted; }
        & > ProgressBar { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("Building the search index…", id="index-label")
        yield ProgressBar(show_eta=False, id="index-bar")

    def show(self, done: int, total: int) -> None:
        """Shown, at `done` of `total` (total 0: not known yet)."""
        self.add_class("-working")
        bar = self.query_one(ProgressBar)
        if total > 0:
            bar.update(total=total, progress=min(done, total))

    def hide(self) -> None:
        self.remove_class("-working")

    @property
    def working(self) -> bool:
        return self.has_class("-working")

    @property
    def progress(self) -> tuple[int, int]:
        """(done, total) as shown now (total 0: not known)."""
        bar = self.query_one(ProgressBar)
        return int(bar.progress), int(bar.total or 0)
