"""ActorTagDialog: tag a selection as an actor, linked to its registry entry with one or two keys."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from annotations.actors import Actor, preselect
from annotations.model import AnnotationError
from annotations.registry import Registry
from annotations.store import Store
from tui.screens.actor_picker import DEFAULT_TYPE, ActorPicker, Picked, actor_text, type_bindings, type_keys_hint

__all__ = ["ActorTagDialog"]

#: How many registry matches are offered.
MATCHES_SHOWN = 3


class ActorTagDialog(ModalScreen[Picked | None]):
    """Offers the best registry matches for the selected name (Enter links the highlighted one), a new entry
    (a type key creates it: p person, o organisation…) or the picker (`s`). Escape tags nothing."""

    BINDINGS = [
        Binding("n", "highlight_new", "New entry", show=False, id="actor_tag.new", tooltip="New registry entry"),
        Binding("s", "pick", "Pick another", show=False, id="actor_tag.pick", tooltip="Pick another actor"),
        Binding("escape", "cancel", "Cancel", show=False, id="actor_tag.cancel", tooltip="Tag nothing"),
        *type_bindings("actor_tag"),
    ]

    DEFAULT_CSS = """
    ActorTagDialog {
        align: center middle;
        & > Vertical {
            width: 84; max-width: 100%; height: auto; max-height: 90%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & #actor-tag-title { text-style: bold; padding-bottom: 1; }
        & OptionList { height: auto; max-height: 10; border: none; padding: 0; background: $surface-darken-1; }
        & OptionList:focus { border: none; }
        & #actor-tag-help { color: $text-muted; padding-top: 1; }
    }
    """

    def __init__(self, store: Store, name: str, *, prefer: Iterable[str] = ()) -> None:
        """`name`: the selected text; `prefer`: ids of the actors already in this story."""
        super().__init__()
        self.store = store
        self.name_text = " ".join(name.split())
        self.prefer = set(prefer)
        self.matches = Registry.of(store).rank(self.name_text, prefer=self.prefer, limit=MATCHES_SHOWN)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("Tag ", (f"“{self.name_text}”", "italic"), " as an actor"), id="actor-tag-title")
            options = [
                Option(
                    Text.assemble(("Link to ", "dim"), actor_text(m.actor, how=m.how, here=m.preferred)),
                    id=f"actor:{m.actor.id}",
                )
                for m in self.matches
            ]
            new = Text.assemble(
                ("New actor ", "italic"),
                (self.name_text, "bold"),
                ("  Enter: a person; another type: its key below", "dim"),
            )
            options.append(Option(new, id="new"))
            options.append(Option(Text("Another actor…  (s)", style="italic"), id="pick"))
            yield OptionList(*options, id="actor-tag-choices", markup=False)
            help_text = Text.assemble(("Enter", "bold"), " the highlighted choice · ", ("↑/↓", "bold"), " move · ")
            help_text.append_text(Text.assemble(("s", "bold"), " another actor · ", ("Esc", "bold"), " cancel\n"))
            help_text.append_text(Text.assemble("New entry (", ("n", "bold"), ") of type: "))
            help_text.append_text(type_keys_hint())
            yield Static(help_text, id="actor-tag-help")

    @property
    def choices(self) -> OptionList:
        return self.query_one(OptionList)

    def on_mount(self) -> None:
        """Highlight the entry the selected name means, else the new entry (see `preselect`: the selection is a
        whole name, so the start of a longer word does not count)."""
        chosen = preselect(self.name_text, self.matches, whole_name=True)
        self.choices.highlighted = self.matches.index(chosen) if chosen is not None else len(self.matches)
        self.choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id == "new":
            self.action_new_actor(DEFAULT_TYPE)
        elif event.option_id == "pick":
            self.action_pick()
        else:
            actor = self.store.actor(str(event.option_id).removeprefix("actor:"))
            if actor is not None:
                self.dismiss(Picked(actor))

    def action_highlight_new(self) -> None:
        self.choices.highlighted = len(self.matches)

    def action_new_actor(self, kind: str) -> None:
        """A new entry named as the selection, of this type."""
        try:
            self.dismiss(Picked(Actor.new(self.name_text, kind), new=True))
        except AnnotationError as exc:
            self.notify(str(exc), title="Not tagged", severity="error", markup=False)

    def action_pick(self) -> None:
        """Another actor, from the picker (its choice is this dialog's)."""

        def picked(choice: Picked | None) -> None:
            if choice is not None:
                self.dismiss(choice)

        picker = ActorPicker(
            self.store, title=f"Actor for “{self.name_text}”", prefer=self.prefer, query=self.name_text
        )
        self.app.push_screen(picker, picked)

    def action_cancel(self) -> None:
        self.dismiss(None)
