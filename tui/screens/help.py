"""HelpScreen: every key binding of the app, as it is in effect now (the config file's [keys] applied)."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.keys import Keys, format_key, key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from annotations.config import ConfigError, config_path

__all__ = ["HelpScreen", "binding_sections", "check_keymap", "effective_key"]

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<"))


def _binding_classes() -> list[type[DOMNode]]:
    """Every screen and widget of the app that declares key bindings, module by module."""
    import tui.screens
    import tui.widgets

    found: list[type[DOMNode]] = []
    for package in (tui.screens, tui.widgets):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found += [
                c
                for c in vars(module).values()
                if isinstance(c, type) and issubclass(c, DOMNode) and c.__module__ == module.__name__
                if "BINDINGS" in vars(c) and c.BINDINGS
            ]
    return found


def _keys_of(keys: str) -> list[str]:
    """The key names in a comma-separated list, in Textual's long form ("?" -> "question_mark")."""
    return [b.key for k in keys.split(",") if k.strip() for b in Binding.make_bindings([Binding(k.strip(), "")])]


def _apply(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> list[Binding]:
    """The bindings with the keymap's keys in place of their own, as Textual applies it (by binding id)."""
    out, remapped = [], set()
    for binding in bindings:
        keys = keymap.get(binding.id or "")
        if not keys:
            out.append(binding)
        elif binding.id not in remapped:
            remapped.add(binding.id)
            out += [binding.with_key(k) for k in _keys_of(keys)]
    return out


def binding_sections(keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[Binding]]]:
    """The app's bindings, grouped as the help screen shows them, with `keymap` (binding id -> keys) applied.

    Every screen and widget with bindings has a section, so every binding id can be remapped."""
    from tui.app import WiredeskApp
    from tui.screens.library import LibraryScreen
    from tui.screens.reader import ReaderScreen
    from tui.widgets.find_bar import FindBar
    from tui.widgets.story_list import StoryList
    from tui.widgets.story_view import StoryView

    def of(*classes: type) -> list[Binding]:
        """The classes' bindings, one row per binding id: keys of one id are joined ("left,h")."""
        merged: dict[object, Binding] = {}
        for binding in _apply((b for c in classes for b in Binding.make_bindings(c.BINDINGS)), keymap or {}):
            key = binding.id or (binding.action, binding.description)
            if key in merged:
                merged[key] = merged[key].with_key(f"{merged[key].key},{binding.key}")
            else:
                merged[key] = binding
        return list(merged.values())

    view = of(StoryView)
    selecting = [b for b in view if (b.id or "").startswith("view.select") or "select" in b.action]
    sections = [
        ("Everywhere", of(WiredeskApp)),
        ("Library", of(StoryList, LibraryScreen)),
        ("Reader: moving", [b for b in view if b not in selecting]),
        ("Reader: selecting", selecting),
        ("Reader: tagging and finding", of(ReaderScreen, FindBar)),
    ]
    listed = {WiredeskApp, LibraryScreen, ReaderScreen, FindBar, StoryList, StoryView}
    for cls in _binding_classes():
        if cls not in listed:
            title = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__.removesuffix("Screen")).capitalize()
            sections.append((title, of(cls)))
    return sections


@functools.cache
def _default_keys() -> dict[str, str]:
    return {b.id: b.key for _, bindings in binding_sections() for b in bindings if b.id}


def effective_key(app: App, binding_id: str) -> str:
    """The key in effect for `binding_id` as the app shows it ("q", or "Q" if the config remapped it); for hints."""
    key = (app._keymap.get(binding_id) or _default_keys().get(binding_id, "")).split(",")[0]
    return app.get_key_display(Binding(key, "")) if key else ""


def _key_problem(key: str) -> str | None:
    """Why `key` is not a key Textual knows ("Q", ".", "ctrl+t", "f5", "enter", "full_stop" are), or None."""
    if len(key) == 1:
        return None
    *modifiers, base = key.split("+")
    if not base:
        return "an empty key name"
    if bad := [m for m in modifiers if m not in _MODIFIERS]:
        return f"not a key: {bad[0]!r} is not one of the modifiers {', '.join(sorted(_MODIFIERS))}"
    if len(base) > 1 and base not in _NAMED_KEYS and key_to_character(base) is None:
        return 'not a key name (write keys like "Q", ".", "ctrl+t", "f5", "enter", "pagedown")'
    return None


#: Sections whose bindings can be live at the same time (a screen and its focused widget), so that one key cannot
#: serve two of them. Every other section is live with "Everywhere" only.
_TOGETHER = (
    ("Everywhere", "Library"),
    ("Everywhere", "Reader: tagging and finding", "Reader: moving", "Reader: selecting"),
    ("Everywhere", "Reader: tagging and finding", "Annotation list"),
    ("Everywhere", "Actor editing", "Actors", "Actor list"),
    ("Everywhere", "Actor editing", "Actor detail", "Usage list"),
    ("Everywhere", "Annotation form", "Choice field"),
    ("Everywhere", "Annotation form", "Link field"),
)


def _clash(keymap: Mapping[str, str]) -> str | None:
    """A key the keymap gives to a binding while another binding live at the same time keeps it, or None."""
    sections = dict(binding_sections(keymap))
    grouped = {title for group in _TOGETHER for title in group}
    groups = [*_TOGETHER, *(("Everywhere", title) for title in sections if title not in grouped)]
    for group in groups:
        owner: dict[str, str] = {}
        for binding in (b for title in group for b in sections.get(title, [])):
            for key in binding.key.split(","):
                other = owner.setdefault(key, binding.id or "")
                if other != binding.id and (other in keymap or binding.id in keymap):
                    return f"{format_key(key)} would be both {other} and {binding.id}"
    return None


def check_keymap(keymap: Mapping[str, str]) -> None:
    """Raise ConfigError (one line naming the config file) for an unknown binding id, a key that does not exist or
    a key that two bindings would share."""
    from tui.app import binding_ids

    if not keymap:
        return
    unknown = sorted(set(keymap) - binding_ids())
    if unknown:
        raise ConfigError(
            f"{config_path()}: unknown key binding id(s) {', '.join(unknown)} (the help screen, ?, lists the ids)"
        )
    for binding_id, keys in keymap.items():
        for key in keys.split(","):
            if problem := _key_problem(key.strip()):
                raise ConfigError(f'{config_path()}: [keys] "{binding_id}" = "{keys}": {key.strip()!r} is {problem}')
    if clash := _clash(keymap):
        raise ConfigError(f"{config_path()}: [keys]: {clash}; give one of them another key")


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
        sections = binding_sections(self.app._keymap)  # Textual 8 has no public getter for the keymap
        id_width = max(len(b.id or "") for _, bindings in sections for b in bindings)
        parts: list = [Text("wiredesk keys", style="bold underline")]
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
            parts.extend([Text(""), Text(f" {title} ", style="bold reverse"), table])
        footer = f"{close} closes this screen. To remap a key, give its id (dim) a key in the [keys] table of "
        footer += f"{config_path()} (see the README)."
        return Group(*parts, Text(""), Text(footer, style="dim"))
