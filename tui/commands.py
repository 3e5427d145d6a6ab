"""The command palette (ctrl+p): open a story by headline, and the current screen's actions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

__all__ = ["WiredeskCommands"]


class WiredeskCommands(Provider):
    """Commands from the current screen's `palette_commands()`, then "Open: <headline>" for each story."""

    def _commands(self) -> list[tuple[str, str, object]]:
        commands = []
        screen_commands = getattr(self.screen, "palette_commands", None)
        if screen_commands is not None:
            commands.extend(screen_commands())
        app = self.app
        commands.append(("Show keys (help)", "Every key binding (?)", app.action_help))
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
