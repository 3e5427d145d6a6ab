"""SyncConflictsScreen: the open sync conflicts (`annotations.sync`), each with both values and who holds which;
`o` keeps ours (the value the files hold), `t` takes theirs; the next `wiredesk sync` carries the choice."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option

from annotations.model import AnnotationError
from annotations.store import StoreError
from annotations.sync.engine import resolve
from annotations.sync.git import SyncError
from annotations.sync.report import conflict_file, describe
from stories.text import clean_line
from tui.desk import desk

__all__ = ["SyncConflictsScreen", "conflict_text"]


def conflict_text(conflict: dict[str, Any]) -> Text:
    """A conflict as three lines: the record, then each side's value with who holds it (terminal-safe)."""
    text = Text()
    text.append(f"{conflict_file(conflict)}  {clean_line(str(conflict.get('record', '')))[:8]}")
    text.append(f"  ({str(conflict.get('id', ''))[:8]})", style="dim")
    for side in ("ours", "theirs"):
        who = clean_line(str(conflict.get(f"{side}_by") or "?"))
        text.append(f"\n  {side:<6} {who}: ", style="bold")
        other = conflict.get("theirs" if side == "ours" else "ours")
        text.append(describe(conflict.get(side), limit=200, other=other))
    return text


class SyncConflictsScreen(Screen[None]):
    """Every open sync conflict; Escape goes back."""

    AUTO_FOCUS = "#sync-conflicts"

    BINDINGS = [
        Binding("escape", "close", "Back", id="sync_conflicts.close", tooltip="Back to where you were"),
        Binding(
            "o",
            "take('ours')",
            "Keep ours",
            id="sync_conflicts.take_ours",
            tooltip="Settle the highlighted conflict with the value kept in the files (ours)",
        ),
        Binding(
            "t",
            "take('theirs')",
            "Take theirs",
            id="sync_conflicts.take_theirs",
            tooltip="Settle the highlighted conflict with the other value (theirs); the next sync shares it",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(id="sync-conflicts")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "sync conflicts"
        self._show()

    def _show(self) -> None:
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        try:
            self.conflicts = desk(self).store.sync.conflicts
        except StoreError as exc:
            self.conflicts = []
            self.notify(clean_line(str(exc)), title="Cannot read the sync state", severity="error")
        if not self.conflicts:
            listing.add_option(Option(Text("No open sync conflicts."), disabled=True))
            return
        listing.add_options(Option(conflict_text(c), id=str(c["id"])) for c in self.conflicts)
        listing.highlighted = min(highlighted or 0, len(self.conflicts) - 1)

    def action_take(self, side: str) -> None:
        """Settle the highlighted conflict with one side's value."""
        app = desk(self)
        listing = self.query_one(OptionList)
        if not self.conflicts or listing.highlighted is None:
            return
        if app.read_only:
            self.notify(app.read_only, title="Read-only: conflicts cannot be settled", severity="warning")
            return
        conflict = self.conflicts[listing.highlighted]
        try:
            resolve(app.store, app.annotator, str(conflict["id"]), side, app.layers)
        except (SyncError, StoreError, AnnotationError) as exc:
            self.notify(clean_line(str(exc)), title="Not settled", severity="error", markup=False)
            return
        self.notify(f"took {side}; the next sync shares it", title="Sync conflict settled")
        self._show()

    def action_close(self) -> None:
        self.app.pop_screen()
