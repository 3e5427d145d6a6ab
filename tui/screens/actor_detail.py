"""ActorDetailScreen: one actor's quotes, claims and mentions across the library; Enter goes to one."""

from __future__ import annotations

from collections import Counter
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from annotations.actors import Actor
from stories.text import clean_line
from tui.commands import PaletteCommand
from tui.desk import desk
from tui.screens.actor_editing import ActorEditing
from tui.widgets.usage_list import ROLES, Usage, UsageList

__all__ = ["ActorDetailScreen"]


_ROLE_ORDER = {field: i for i, field in enumerate(ROLES)}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class ActorDetailScreen(ActorEditing):
    """Shows the entry an id stands for now (after a merge, the one it was merged into) and every annotation
    linking to it or to an entry merged into it, newest story first."""

    AUTO_FOCUS = "#usages"

    BINDINGS = [
        Binding("escape", "back", "Back", id="actor.back", tooltip="Back to the list of actors"),
    ]

    DEFAULT_CSS = """
    ActorDetailScreen {
        & > #actor-info { height: auto; padding: 0 1; background: $panel; }
        & > UsageList { height: 1fr; }
        & > #no-usages { padding: 1 2; color: $text-muted; }
    }
    """

    def __init__(self, actor_id: str) -> None:
        super().__init__()
        self.actor_id = actor_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="actor-info")
        yield UsageList(id="usages")
        yield Static("Nothing in the library links to this actor yet.", id="no-usages")
        yield Footer()

    @property
    def usage_list(self) -> UsageList:
        return self.query_one(UsageList)

    def current_actor(self) -> Actor | None:
        return desk(self).store.actor(self.actor_id)

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self, focus: str | None = None) -> None:
        """Show the entry and its links as they are now; back to the list if it was deleted."""
        store = desk(self).store
        actor = self.current_actor()
        if actor is None:
            if self.app.screen is self:
                self.app.pop_screen()
            return
        usages = [Usage(f, ann, store.story_meta(ann.story_id)) for f, ann in store.actor_usage(actor.id)]
        usages.sort(key=lambda u: (u.annotation.story_id, u.annotation.start))
        usages.sort(key=lambda u: u.meta.updated or u.meta.created or "", reverse=True)
        usages.sort(key=lambda u: _ROLE_ORDER[u.field])  # what they said first: quotes, claims, then mentions
        self.usage_list.set_usages(usages)
        self.usage_list.display = bool(usages)
        self.query_one("#no-usages").display = not usages
        self.query_one("#actor-info", Static).update(self._info(actor, usages))
        self.sub_title = f"actor · {actor.name}"
        self.refresh_bindings()

    def _info(self, actor: Actor, usages: list[Usage]) -> Text:
        out = Text(clean_line(actor.name), style="bold")
        out.append(f"  {actor.type}", style="dim")
        if actor.external_id:
            out.append(f"  {clean_line(actor.external_id)}", style="italic")
        if actor.aliases:
            out.append("\naka ", style="dim").append(clean_line(", ".join(actor.aliases)))
        roles = Counter(u.field for u in usages)
        stories = len({u.annotation.story_id for u in usages})
        counts = [_plural(roles[f], ROLES[f]) for f in ("speaker", "claimant", "actor")]
        out.append("\n" + " · ".join(counts) + " · in " + ("1 story" if stories == 1 else f"{stories} stories"))
        if actor.note:
            out.append(f"\n{clean_line(actor.note)}", style="italic")
        return out

    def on_usage_list_opened(self, event: UsageList.Opened) -> None:
        desk(self).open_story(event.annotation.story_id, at=event.annotation.start)

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[PaletteCommand]:
        """Actions the command palette offers here: (name, help, callback)."""
        actor = self.current_actor()
        commands = self.editing_commands()
        if actor is not None:
            name = f'"{actor.name}"' if " " in actor.name else actor.name
            for label, key in (("quoting", "quoting"), ("mentioning", "actor"), ("with claims by", "claimant")):
                commands.append(
                    (
                        f"Library: stories {label} {actor.name}",
                        f"Filter the library by {key}:{name}",
                        partial(desk(self).filter_library, f"{key}:{name}"),
                    )
                )
        return commands
