"""The command palette (ctrl+p): open a story by headline, export, the actors view, saved searches, library
filters, and the current screen's actions."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from annotations.model import STATUSES
from tui.desk import desk

__all__ = ["LIBRARY_FILTERS", "Exporting", "OffersCommands", "PaletteCommand", "WiredeskCommands"]

#: A command the palette offers: (name, help, what it runs). "{reader.undo}" in the help stands for a key.
PaletteCommand = tuple[str, str, Callable[[], object]]


@runtime_checkable
class OffersCommands(Protocol):
    """A screen with actions of its own for the palette."""

    def palette_commands(self) -> list[PaletteCommand]: ...


@runtime_checkable
class Exporting(Protocol):
    """A screen that can open the export dialog ("Export…" in the palette)."""

    def action_export(self) -> None: ...


#: Library filters the palette offers: (name, help, what goes in the library's filter box).
LIBRARY_FILTERS = [
    ("Library: untagged stories", "Stories with no annotation yet (is:untagged)", "is:untagged"),
    ("Library: unread stories", "Stories not opened since they came in (is:unread)", "is:unread"),
    ("Library: stories to review", "Carried annotations waiting for review (is:review)", "is:review"),
    ("Library: tagged stories", "Stories with annotations (is:tagged)", "is:tagged"),
    ("Library: curated stories", "Nothing left to curate (is:curated)", "is:curated"),
    ("Library: stories quoting…", "Then type an actor's name or alias (quoting:NAME)", "quoting:"),
    ("Library: stories mentioning…", "Then type an actor's name or alias (actor:NAME)", "actor:"),
    ("Library: stories with claims by…", "Then type an actor's name or alias (claimant:NAME)", "claimant:"),
    ("Library: a claim thread's stories…", "Then type words of its title or its id (thread:ID)", "thread:"),
    *((f"Library: {s} claims", f"Stories with a claim marked {s} (claims:{s})", f"claims:{s}") for s in STATUSES),
]


#: "{reader.undo}" in a command's help stands for the key in effect for that binding id (keys are remappable).
_KEY_OF = re.compile(r"\{([a-z_]+\.[a-z_0-9]+)\}")


class WiredeskCommands(Provider):
    """The current screen's `palette_commands()`, then export (where the screen can), help, actors and library
    filters, then "Open: <headline>" for each story."""

    def _with_keys(self, help_text: str) -> str:
        app = desk(self)
        return _KEY_OF.sub(lambda match: app.key_for(match.group(1)), help_text)

    def _commands(self) -> list[PaletteCommand]:
        commands: list[PaletteCommand] = []
        screen = self.screen
        if isinstance(screen, OffersCommands):
            commands.extend(screen.palette_commands())
        app = desk(self)
        if isinstance(screen, Exporting):
            help_text = "Annotations as JSON, CSV…: this story, the filtered list or all"
            commands.append(("Export…", help_text, screen.action_export))
        commands.append(("Show keys (help)", "Every key binding ({app.help})", app.action_help))
        commands.append(
            ("Actors", "The actor registry: quotes, claims and mentions of each ({app.actors})", app.action_actors)
        )
        commands.append(
            ("Claim threads", "Claims followed across stories, with their statuses ({app.threads})", app.action_threads)
        )
        commands.append(
            (
                "Sourcing dashboard",
                "Who is quoted, by type, agency and week, over the library's filter ({app.dashboard})",
                app.action_dashboard,
            )
        )
        commands = [(name, self._with_keys(help_text), callback) for name, help_text, callback in commands]
        for saved in app.saved_searches[0]:  # the config's [searches]: names and queries cleaned when read
            commands.append(
                (f"Search: {saved.name}", f"Saved search: {saved.query}", partial(app.filter_library, saved.query))
            )
        for name, help_text, query in LIBRARY_FILTERS:
            commands.append((name, help_text, partial(app.filter_library, query)))
        for entry in app.store.entries():
            commands.append(
                (
                    f"Open: {entry.meta.headline}",
                    f"{entry.short_id} · {entry.meta.agency or ''}",
                    partial(app.open_story, entry.id),
                )
            )
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            if not name.startswith("Open: "):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
