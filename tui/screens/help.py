"""HelpScreen: every key binding of the app, as it is in effect now."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["HelpScreen", "binding_sections"]


def binding_sections() -> list[tuple[str, list[Binding]]]:
    """The app's bindings, grouped as the help screen shows them."""
    from tui.app import WiredeskApp
    from tui.screens.library import LibraryScreen
    from tui.screens.reader import ReaderScreen
    from tui.widgets.find_bar import FindBar
    from tui.widgets.story_list import StoryList
    from tui.widgets.story_view import StoryView

    def of(*classes: type) -> list[Binding]:
        """The classes' bindings, one per action: keys bound to the same action are joined ("left,h")."""
        merged: dict[tuple[str, str], Binding] = {}
        for binding in (b for c in classes for b in Binding.make_bindings(c.BINDINGS)):
            key = (binding.action, binding.description)
            if key in merged:
                merged[key] = merged[key].with_key(f"{merged[key].key},{binding.key}")
            else:
                merged[key] = binding
        return list(merged.values())

    view = of(StoryView)
    selecting = [b for b in view if (b.id or "").startswith("view.select") or "select" in b.action]
    return [
        ("Everywhere", of(WiredeskApp)),
        ("Library", of(StoryList, LibraryScreen)),
        ("Reader: moving", [b for b in view if b not in selecting]),
        ("Reader: selecting", selecting),
        ("Reader: tagging and finding", of(ReaderScreen, FindBar)),
    ]


class HelpScreen(ModalScreen[None]):
    """Lists every binding; Escape, `q` or `?` closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 84; max-width: 100%; height: 90%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._table())

    def _keys(self, binding: Binding) -> str:
        keys = [k.strip() for k in binding.key.split(",")]
        return ", ".join(self.app.get_key_display(Binding(k, binding.action)) for k in keys)

    def _table(self) -> Group:
        parts: list = [Text("wiredesk keys", style="bold underline")]
        for title, bindings in binding_sections():
            table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
            table.add_column("Keys", style="bold", no_wrap=True, width=18)
            table.add_column("Action")
            for binding in bindings:
                if binding.description:
                    table.add_row(self._keys(binding), binding.tooltip or binding.description)
            if title == "Reader: selecting":
                table.add_row("mouse drag", "Select with the mouse")
            parts.extend([Text(""), Text(f" {title} ", style="bold reverse"), table])
        parts.extend([Text(""), Text("Escape, q or ? closes this screen.", style="dim")])
        return Group(*parts)
