"""VersionDiffScreen: what changed from one version of a story to the next (the rule is `stories.diff`)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from annotations.store import StoreError
from annotations.store.entry import StoryEntry
from stories.diff import diff_versions
from stories.text import clean_line
from tui.desk import desk
from tui.diff_text import diff_heading
from tui.widgets.diff_view import DiffView
from tui.widgets.status_line import StatusLine

__all__ = ["VersionDiffScreen"]


class VersionDiffScreen(Screen[None]):
    """The newer of two versions with the words inserted and deleted since the older one marked; `-` and `+`
    step to the pair before or after; Escape goes back to the reader."""

    AUTO_FOCUS = "DiffView"

    BINDINGS = [
        Binding("escape", "close", "Back", id="diff.close", tooltip="Back to the reader"),
        Binding(
            "minus",
            "step(-1)",
            "Older pair",
            id="diff.previous_pair",
            tooltip="What changed one version earlier (the version before each of the two)",
        ),
        Binding(
            "plus,equals_sign",
            "step(1)",
            "Newer pair",
            id="diff.next_pair",
            tooltip="What changed one version later (the version after each of the two)",
        ),
    ]

    DEFAULT_CSS = """
    VersionDiffScreen > #diff-heading { height: auto; background: $panel; color: $text; }
    """

    def __init__(self, versions: list[StoryEntry], new: int) -> None:
        """`versions`: the story's versions, oldest first; `new`: the index of the newer of the pair shown
        (the older is the one before it)."""
        super().__init__()
        self.versions = versions
        self.new = max(1, min(new, len(versions) - 1))

    def compose(self) -> ComposeResult:
        yield Header()
        yield StatusLine(id="diff-heading")
        yield DiffView()
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        old, new = self.versions[self.new - 1], self.versions[self.new]
        store = desk(self).store
        try:
            diff = diff_versions(store.story(old.id), store.story(new.id))
        except StoreError as exc:
            self.notify(clean_line(str(exc)), title="Cannot compare versions", severity="error")
            return
        self.sub_title = f"what changed · {clean_line(new.meta.headline)}"
        self.query_one("#diff-heading", StatusLine).show(Text(diff_heading(old, new, diff.summary)))
        self.query_one(DiffView).show(diff)

    def action_step(self, by: int) -> None:
        """Show the pair `by` versions later (or earlier); at either end, say so."""
        new = self.new + by
        if not 1 <= new < len(self.versions):
            self.notify("No older pair: this is the first change" if by < 0 else "No newer pair: this is the newest")
            return
        self.new = new
        self._show()

    def action_close(self) -> None:
        self.app.pop_screen()
