"""HelpScreen: every key binding of the app, as it is in effect now (the config file's [keys] applied)."""

from __future__ import annotations

import re

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotations.config import config_path
from tui.desk import desk
from tui.keymap import Keymap
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.find_bar import FindBar
from tui.widgets.story_list import StoryList
from tui.widgets.story_view import StoryView

__all__ = ["UNREAD_HELP", "HelpScreen", "help_sections"]

#: What the library's title counts.
UNREAD_HELP = (
    '"3 new": stories stored while the app is open (a watched source, the import dialog), still unread; '
    '"12 unread": every unread story listed (bold, ●; opening a story reads it)'
)


def help_sections(keymap: Keymap) -> list[tuple[str, list[Binding]]]:
    """Every binding with the keys in effect, grouped as the help screen shows them: the app's, the library's, the
    reader's in three parts, then one section per other screen or widget that has bindings."""
    view = keymap.bindings(StoryView)
    selecting = [b for b in view if (b.id or "").startswith("view.select") or "select" in b.action]
    app = keymap.registry.app
    sections = [
        ("Everywhere", keymap.bindings(app)),
        ("Library", keymap.bindings(StoryList, LibraryScreen)),
        ("Reader: moving", [b for b in view if b not in selecting]),
        ("Reader: selecting", selecting),
        ("Reader: tagging and finding", keymap.bindings(ReaderScreen, FindBar)),
    ]
    listed = {app, LibraryScreen, ReaderScreen, FindBar, StoryList, StoryView}
    chains = keymap.registry.chains
    near = {c for chain in chains if {LibraryScreen, ReaderScreen} & set(chain) for c in chain}
    rest = sorted((c for c in keymap.registry.owners if c not in listed), key=lambda c: c not in near)
    for cls in rest:  # the library's and the reader's other widgets first, then each screen with its widgets
        title = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__.removesuffix("Screen")).capitalize()
        sections.append((title, keymap.bindings(cls)))
    return sections


class HelpScreen(ModalScreen[None]):
    """Lists every binding, with the keys in effect and the id to remap it by; Escape, `q` or `?` closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close", tooltip="Close this screen")]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 100; max-width: 100%; height: 90%;
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
        sections = help_sections(desk(self).keymap)
        id_width = max(len(b.id or "") for _, bindings in sections for b in bindings)
        parts: list[RenderableType] = [Text("wiredesk keys", style="bold underline")]
        close = ""
        for title, bindings in sections:
            table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
            table.add_column("Keys", style="bold", no_wrap=True, width=16)
            table.add_column("Action", ratio=1)
            table.add_column("Id", style="dim", no_wrap=True, width=id_width)
            for binding in bindings:
                if binding.description:
                    table.add_row(self._keys(binding), binding.tooltip or binding.description, binding.id or "")
                if binding.id == "help.close":
                    close = self._keys(binding)
            if title == "Reader: selecting":
                table.add_row("mouse drag", "Select with the mouse")
            if title == "Library":
                table.add_row("(title)", UNREAD_HELP)
            parts.extend([Text(""), Text(f" {title} ", style="bold reverse"), table])
        footer = f"{close} closes this screen. To remap a key, give its id (dim) a key in the [keys] table of "
        footer += f"{config_path()} (see the README)."
        return Group(*parts, Text(""), Text(footer, style="dim"))
