"""DiffView: what changed between two versions of a story, the newer text with the changes marked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from stories.diff import VersionDiff
from tui.diff_text import marked_text

__all__ = ["DiffView"]


class DiffView(VerticalScroll, can_focus=True):
    """The newer version's paragraphs in reading order: inserted words underlined and reversed between `{+ +}`,
    deleted ones struck through between `[- -]` (distinct without colour), a paragraph moved, inserted or
    deleted noted on a line above it. Scrolls with the arrow and page keys."""

    DEFAULT_CSS = """
    DiffView { height: 1fr; padding: 0 2; }
    DiffView > Static { width: 1fr; max-width: 100; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown = Text()  # what it shows now

    def compose(self) -> ComposeResult:
        yield Static(id="diff-text")

    def show(self, diff: VersionDiff) -> None:
        """Show `diff`, from its top."""
        self.shown = marked_text(diff)
        self.query_one("#diff-text", Static).update(self.shown)
        self.scroll_home(animate=False)
