"""IndexProgress: a one-line bar while the library's search index is being built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

__all__ = ["IndexProgress"]


class IndexProgress(Horizontal):
    """`Building the search index…  ━━━━━━━━━━╺━━━━━━  57%`; shown while `show` says it works, hidden after.
    Until the build says how much there is to do, it says it is opening the index (an index in sync opens in a
    second at 100k stories, with nothing to build)."""

    DEFAULT_CSS = """
    IndexProgress {
        height: 1;
        display: none;
        background: $panel;
        &.-working { display: block; }
        & > Label { padding: 0 1; color: $text-muted; }
        & > ProgressBar { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("Opening the search index…", id="index-label")
        yield ProgressBar(show_eta=False, id="index-bar")

    def show(self, done: int, total: int) -> None:
        """Shown, at `done` of `total` (total 0: not known yet)."""
        self.add_class("-working")
        bar = self.query_one(ProgressBar)
        if total > 0:
            bar.update(total=total, progress=min(done, total))
        label = "Building the search index…" if total > 0 else "Opening the search index…"
        self.query_one("#index-label", Label).update(label)

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
