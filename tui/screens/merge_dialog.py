"""MergeDialog: choose the registry entry to merge an actor into, by fuzzy search over names and aliases."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from annotations.actors import Actor, rank_actors

__all__ = ["MergeDialog"]

#: How many candidates are listed at most.
SHOWN = 30


class MergeDialog(ModalScreen[str | None]):
    """Lists the entries closest to what is typed (the source's own name at first, so likely twins come
    first); ↑/↓ move, Enter merges into the highlighted one, Escape cancels. Dismisses with the target's id."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="merge.up", tooltip="Previous candidate"),
        Binding("down", "move(1)", "Down", show=False, id="merge.down", tooltip="Next candidate"),
        Binding("escape", "cancel", "Cancel", id="merge.cancel", tooltip="Close without merging"),
    ]

    DEFAULT_CSS = """
    MergeDialog {
        align: center middle;
        & > Vertical {
            width: 76; max-width: 100%; height: auto; max-height: 90%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & #merge-title { text-style: bold; padding-bottom: 1; }
        & Input { margin-bottom: 1; }
        & OptionList { height: auto; max-height: 14; border: none; padding: 0; background: $surface-darken-1; }
        & #merge-help { color: $text-muted; padding-top: 1; }
    }
    """

    def __init__(self, source: Actor, actors: list[Actor], counts: dict[str, Counter[str]]) -> None:
        """`actors`: the registry (the source is left out); `counts`: links by field per entry, to show."""
        super().__init__()
        self.source = source
        self.actors = [a for a in actors if a.id != source.id]
        self.counts = counts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Merge {self.source.name} into…", id="merge-title", markup=False)
            yield Input(self.source.name, placeholder="name or alias; fuzzy", id="merge-query", compact=True)
            options = OptionList(id="merge-results", markup=False)
            options.can_focus = False
            yield options
            yield Static(
                f"{self.source.name} becomes an alias of the one chosen and its links follow (u undoes).",
                id="merge-help",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._search(self.source.name)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.query_one(OptionList)
        if results.highlighted is not None and not results.options[results.highlighted].disabled:
            self.dismiss(results.options[results.highlighted].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def _search(self, query: str) -> None:
        matches = rank_actors(query, self.actors, limit=SHOWN)
        if not matches and query.strip():  # nothing close: list everyone rather than nothing
            matches = rank_actors("", self.actors, limit=SHOWN)
        results = self.query_one(OptionList)
        results.set_options([Option(self._row(m.actor, m.how), id=m.actor.id) for m in matches])
        if not matches:
            results.add_option(Option(Text("No other actor in the registry.", style="dim"), disabled=True))
        results.highlighted = 0 if matches else None

    def _row(self, actor: Actor, how: str) -> Text:
        out = Text(actor.name, style="bold")
        out.append(f"  {actor.type}", style="dim")
        if actor.aliases:
            out.append(f"  aka {', '.join(actor.aliases[:3])}", style="dim italic")
        links = sum(self.counts.get(actor.id, Counter()).values())
        out.append(f"  · {links} link{'s' if links != 1 else ''}", style="dim")
        if how == "fuzzy":
            out.append("  similar name", style="dim italic")
        return out

    def action_move(self, step: int) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.highlighted = ((results.highlighted or 0) + step) % results.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)
