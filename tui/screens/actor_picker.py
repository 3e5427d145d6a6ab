"""ActorPicker: choose a registry entry (a speaker, a claimant, the actor a mention is of) or name a new one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from annotations.actors import Actor, Match, preselect
from annotations.model import AnnotationError
from annotations.registry import Registry
from annotations.store import Store
from stories.text import clean_line

__all__ = ["TYPE_KEYS", "ActorPicker", "Picked", "actor_text", "story_actor_ids", "type_bindings", "type_keys_hint"]

#: One key per actor type, for naming a new entry.
TYPE_KEYS = {
    "p": "person",
    "o": "organisation",
    "g": "government",
    "c": "country",
    "l": "place",
    "r": "group",
    "x": "other",
}
#: The type a new entry gets with Enter.
DEFAULT_TYPE = "person"
#: How many entries from outside this story are listed at most.
OTHERS_SHOWN = 30


@dataclass(frozen=True)
class Picked:
    """The chosen entry; `new`: not in the registry yet (the caller adds it in the same undoable step)."""

    actor: Actor
    new: bool = False


def type_bindings(prefix: str) -> list[Binding]:
    """A binding per actor type (`p` person, `o` organisation…) to the action `new_actor('<type>')`."""
    return [
        Binding(
            key,
            f"new_actor('{kind}')",
            f"New {kind}",
            show=False,
            id=f"{prefix}.new_{kind}",
            tooltip=f"New actor entry of type {kind}",
        )
        for key, kind in TYPE_KEYS.items()
    ]


def type_keys_hint() -> Text:
    """`p person · o organisation · …`, keys in bold."""
    out = Text()
    for i, (key, kind) in enumerate(TYPE_KEYS.items()):
        out.append(" · " if i else "")
        out.append(key, style="bold")
        out.append(f" {kind}")
    return out


def story_actor_ids(store: Store, story_id: str) -> set[str]:
    """The registry entries this story's annotations link to (merges followed)."""
    ids = set()
    for ann in store.annotations(story_id):
        for target in ann.links().values():
            actor = store.actor(target)
            if actor is not None:
                ids.add(actor.id)
    return ids


def actor_text(actor: Actor, *, how: str = "", here: bool = False, current: bool = False) -> Text:
    """`Name  type  · in this story` for a list row."""
    out = Text(clean_line(actor.name), style="bold")
    out.append(f"  {actor.type}", style="dim")
    if actor.aliases and how not in ("", "exact", "all"):  # the match may be on an alias: show them
        out.append(f"  aka {clean_line(', '.join(actor.aliases[:3]))}", style="dim italic")
    if here:
        out.append("  · in this story", style="dim")
    if current:
        out.append("  · current", style="italic")
    return out


class ActorPicker(ModalScreen[Picked | None]):
    """Search of the registry as ranked by `rank_actors` (this story's actors first among equals), then "New
    actor: <typed text>" (whose type is then one key). Results follow the typing; ↑/↓ move, Enter picks,
    Escape cancels."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="picker.up", tooltip="Previous result"),
        Binding("down", "move(1)", "Down", show=False, id="picker.down", tooltip="Next result"),
        Binding("enter", "choose", "Pick", show=False, id="picker.choose", tooltip="Pick the highlighted result"),
        Binding("escape", "cancel", "Cancel", show=False, id="picker.cancel", tooltip="Cancel (or back to search)"),
        *type_bindings("picker"),
    ]

    DEFAULT_CSS = """
    ActorPicker {
        align: center middle;
        & > Vertical {
            width: 72; max-width: 100%; height: auto; max-height: 90%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & #picker-title { text-style: bold; padding-bottom: 1; }
        & Input { margin-bottom: 1; }
        & OptionList { height: auto; max-height: 16; border: none; padding: 0; background: $surface-darken-1; }
        & #picker-help { color: $text-muted; padding-top: 1; }
    }
    """

    def __init__(
        self,
        store: Store,
        *,
        title: str,
        prefer: Iterable[str] = (),
        query: str = "",
        current: str | None = None,
    ) -> None:
        """`prefer`: ids of the actors in this story (listed first); `current`: the entry linked now."""
        super().__init__()
        self.store = store
        self.title_text = title
        self.prefer = set(prefer)
        self.initial_query = query
        self.current = current
        self.naming = False  # choosing the type of a new entry
        self.registry = Registry.of(store)  # as it is while the picker is open

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="picker-title", markup=False)
            yield Input(
                self.initial_query,
                placeholder="name or alias; fuzzy",
                id="picker-query",
                compact=True,
                select_on_focus=False,
            )
            options = OptionList(id="picker-results", markup=False)
            options.can_focus = False
            yield options
            yield Static(id="picker-help", markup=False)

    @property
    def query_input(self) -> Input:
        return self.query_one(Input)

    @property
    def results(self) -> OptionList:
        return self.query_one(OptionList)

    def on_mount(self) -> None:
        self.query_input.focus()
        self._search()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a result picks it."""
        event.stop()
        if not self.naming:
            self.action_choose()

    @property
    def typed_name(self) -> str:
        return clean_line(self.query_input.value)

    def _search(self) -> None:
        """List the matches, best first (with nothing typed: this story's actors, then the registry), then a
        new entry. The best match is highlighted, or "New actor" when the typed text names none (see
        `preselect`: never a link to a shorter name than the one typed)."""
        name = self.typed_name
        matches = self.registry.rank(name, prefer=self.prefer)
        here = [m for m in matches if m.preferred]
        others = [m for m in matches if not m.preferred][:OTHERS_SHOWN]
        options: list[Option] = []
        if name:  # one list, best first: an exact name in the registry above a near one in this story
            listed = {m.actor.id for m in (*here, *others)}
            options.extend(self._option(m) for m in matches if m.actor.id in listed)
        else:
            for heading, group in (("In this story", here), ("Registry", others)):
                if group:
                    options.append(Option(Text(heading, style="dim"), disabled=True))
                    options.extend(self._option(m) for m in group)
        if name:
            prompt = Text.assemble(("+ New actor: ", "italic"), (name, "bold"))
            options.append(Option(prompt, id="new"))
        if not options:
            options.append(Option(Text("The registry is empty: type a name.", style="dim"), disabled=True))
        results = self.results
        results.set_options(options)
        chosen = preselect(name, matches)
        wanted = f"actor:{chosen.actor.id}" if chosen is not None else "new"
        enabled = [i for i, o in enumerate(results.options) if not o.disabled]
        results.highlighted = next(
            (i for i in enabled if results.options[i].id == wanted), enabled[0] if enabled else None
        )
        self._show_help()

    def _option(self, match: Match) -> Option:
        here = match.preferred and bool(self.typed_name)  # with nothing typed, the heading says so
        text = actor_text(match.actor, how=match.how, here=here, current=match.actor.id == self.current)
        return Option(text, id=f"actor:{match.actor.id}")

    def _show_help(self) -> None:
        if self.naming:
            hint = Text.assemble(("New actor ", ""), (self.typed_name, "bold"), (" — its type? ", ""))
            hint.append_text(type_keys_hint())
            hint.append_text(Text.assemble(" · ", ("Enter", "bold"), f" {DEFAULT_TYPE} · ", ("Esc", "bold"), " back"))
        else:
            hint = Text("Type to search · ↑/↓ move · Enter picks · Esc cancels")
        self.query_one("#picker-help", Static).update(hint)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_actor":
            return self.naming
        if action == "move":
            return not self.naming
        return True

    def action_move(self, step: int) -> None:
        results = self.results
        if step < 0:
            results.action_cursor_up()
        else:
            results.action_cursor_down()

    def action_choose(self) -> None:
        """Pick the highlighted entry; on "New actor", ask for its type (Enter again: the default type)."""
        if self.naming:
            self.action_new_actor(DEFAULT_TYPE)
            return
        option = self.results.highlighted_option
        if option is None or option.disabled:
            return
        if option.id == "new":
            self.naming = True
            self.query_input.disabled = True
            self._show_help()
            return
        actor = self.store.actor(str(option.id).removeprefix("actor:"))
        if actor is not None:
            self.dismiss(Picked(actor))

    def action_new_actor(self, kind: str) -> None:
        """Name a new entry from the typed text, of this type."""
        try:
            actor = Actor.new(self.typed_name, kind)
        except AnnotationError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.dismiss(Picked(actor, new=True))

    def action_cancel(self) -> None:
        """Escape: back to the search from the type question, else close without a choice."""
        if self.naming:
            self.naming = False
            self.query_input.disabled = False
            self.query_input.focus()
            self._show_help()
            return
        self.dismiss(None)
