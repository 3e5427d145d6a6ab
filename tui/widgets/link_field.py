"""LinkField: a form field that links to an actor registry entry, chosen with the actor picker."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from annotations.actors import Actor
from stories.text import clean_line

__all__ = ["LinkField"]


class LinkField(Widget, can_focus=True):
    """Shows the linked actor (or how to pick one). Typing or space asks for the picker (typed text seeds its
    search); Delete or Backspace unlinks. Enter is left to the form (it saves)."""

    BINDINGS = [
        Binding("space", "open", "Pick", show=False, id="link.pick", tooltip="Pick an actor from the registry"),
        Binding("delete,backspace", "clear", "Unlink", show=False, id="link.clear", tooltip="Remove the link"),
    ]

    DEFAULT_CSS = """
    LinkField {
        height: 1; width: 1fr;
        &:focus { background: $accent 25%; }
        &:disabled { opacity: 50%; }
    }
    """

    @dataclass
    class Open(Message):
        """The user wants to pick an actor; `seed` is what they started typing."""

        field: LinkField
        seed: str = ""

        @property
        def control(self) -> LinkField:
            return self.field

    @dataclass
    class Cleared(Message):
        """The link was removed."""

        field: LinkField

        @property
        def control(self) -> LinkField:
            return self.field

    def __init__(self, actor: Actor | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.actor = actor
        self.new = False

    def set(self, actor: Actor | None, *, new: bool = False) -> None:
        """Show this actor (`new`: an entry that is made when the form is saved)."""
        self.actor, self.new = actor, new
        self.refresh()

    def render(self) -> Text:
        if self.actor is None:
            hint = "type a name or space to pick" if self.has_focus else "none"
            return Text(f"– {hint}", style="dim", no_wrap=True, overflow="ellipsis")
        out = Text(clean_line(self.actor.name), style="bold", no_wrap=True, overflow="ellipsis")
        out.append(f"  {self.actor.type}", style="dim")
        if self.new:
            out.append("  new entry", style="italic")
        if self.has_focus:
            out.append("  · type to change, del unlinks", style="dim")
        return out

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_open(self) -> None:
        self.post_message(self.Open(self))

    def action_clear(self) -> None:
        if self.actor is not None:
            self.set(None)
            self.post_message(self.Cleared(self))

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character != " ":
            event.stop()
            self.post_message(self.Open(self, event.character))
