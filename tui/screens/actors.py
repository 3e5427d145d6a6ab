"""ActorsScreen: the actor registry with how often the library quotes, mentions and cites each entry."""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Static

from annotations.actors import ACTOR_TYPES, Actor, rank_actors
from annotations.library_index import LibraryIndex
from tui.commands import PaletteCommand
from tui.desk import desk
from tui.screens.actor_detail import ActorDetailScreen
from tui.screens.actor_editing import ActorEditing
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.text_prompt import TextPrompt
from tui.widgets.actor_list import ActorList

__all__ = ["ActorsScreen"]


class ActorsScreen(ActorEditing):
    """Every registry entry (merged ones folded into their target); Enter shows one, `/` finds one."""

    AUTO_FOCUS = "#actors"

    BINDINGS = [
        Binding("/", "find", "Find", id="actors.find", tooltip="Find an actor by name or alias (fuzzy)"),
        Binding(
            "s",
            "sort",
            "Sort",
            show=False,  # the title names the order and the key; the footer must fit 100 columns
            id="actors.sort",
            tooltip="Sort by name, or by how often each is linked",
        ),
        Binding("n", "new", "New", show=False, id="actors.new", tooltip="Add an actor to the registry"),
        Binding("escape", "back", "Back", id="actors.back", tooltip="Close find, else back to where you were"),
    ]

    DEFAULT_CSS = """
    ActorsScreen {
        & > #find { dock: top; display: none; border: tall $accent; height: 3; }
        & > #find.-open { display: block; }
        & > ActorList { height: 1fr; }
        & > #no-actors { padding: 1 2; color: $text-muted; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.index: LibraryIndex | None = None
        self.by_links = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="find: name or alias, fuzzy", id="find")
        yield ActorList(id="actors")
        yield Static(
            "No actors yet. Link a quote's speaker, a claim's claimant or a mention to an actor in the reader,"
            " or press n to add one here.",
            id="no-actors",
        )
        yield Footer()

    @property
    def actor_list(self) -> ActorList:
        return self.query_one(ActorList)

    def on_screen_resume(self) -> None:
        """Shown (the first time too): counts change as the reader tags."""
        self.reload()

    def reload(self, focus: str | None = None) -> None:
        """Read the registry and the links again; `focus`: the entry to highlight."""
        self.index = LibraryIndex(desk(self).store)
        self._show_rows()
        if focus is not None:
            self.actor_list.highlight(focus)
        self.refresh_bindings()

    def _show_rows(self) -> None:
        index = self.index
        assert index is not None
        query = self.query_one("#find", Input).value.strip()
        actors: list[Actor] = index.actors
        if query:
            actors = [m.actor for m in rank_actors(query, actors, limit=len(actors))]
        elif self.by_links:
            actors = sorted(actors, key=lambda a: -sum(index.counts.get(a.id, {}).values()))
        stories = {a.id: index.stories_of(a.id) for a in actors}
        self.actor_list.set_actors(actors, index.counts, stories)
        empty = not index.actors
        self.actor_list.display = not empty
        self.query_one("#no-actors").display = empty
        noun = "actor" if len(index.actors) == 1 else "actors"
        count = f"{len(index.actors)} {noun}"
        if len(actors) != len(index.actors):
            count = f"{len(actors)} of {count}"
        order = "best match first" if query else "most linked first" if self.by_links else "by name"
        sort_key = desk(self).key_for("actors.sort")
        self.sub_title = f"actors · {count} · {order}" + ("" if query else f" ({sort_key} sorts)")

    def current_actor(self) -> Actor | None:
        return self.actor_list.highlighted

    def link_counts(self) -> dict[str, Counter[str]]:
        return self.index.counts if self.index is not None else super().link_counts()

    # --- keys ------------------------------------------------------------------------------------------

    def on_actor_list_opened(self, event: ActorList.Opened) -> None:
        self.app.push_screen(ActorDetailScreen(event.actor_id))

    def action_find(self) -> None:
        box = self.query_one("#find", Input)
        box.add_class("-open")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.index is not None:
            self._show_rows()
            self.actor_list.cursor = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.actor_list.focus()

    def on_key(self, event) -> None:
        if event.key == "down" and self.query_one("#find", Input).has_focus:
            event.stop()
            self.actor_list.focus()

    def action_back(self) -> None:
        box = self.query_one("#find", Input)
        if box.has_class("-open"):
            box.value = ""
            box.remove_class("-open")
            self.actor_list.focus()
        else:
            self.app.pop_screen()

    def action_sort(self) -> None:
        self.by_links = not self.by_links
        self._show_rows()

    def action_new(self) -> None:
        if desk(self).read_only:
            self.notify(desk(self).read_only, title="Read-only: nothing was saved", severity="error")
            return

        def named(name: str | None) -> None:
            if not name:
                return
            if clash := self._clash([name], None):
                self.notify(clash, title="Not added", severity="error")
                return

            def typed(kind: str | None) -> None:
                if kind:
                    actor = Actor.new(name, kind)
                    self._save(lambda: self.history.add_actor(actor), "Added", actor.name, focus=actor.id)

            self.app.push_screen(ChoiceDialog(f"Type of {name}", ACTOR_TYPES, "person", mark=False), typed)

        self.app.push_screen(TextPrompt("New actor", help="Its name; then its type."), named)

    def palette_commands(self) -> list[PaletteCommand]:
        """Actions the command palette offers here: (name, help, callback)."""
        return [
            ("Find actor", "Find an actor by name or alias ({actors.find})", self.action_find),
            ("Sort actors", "By name, or most linked first ({actors.sort})", self.action_sort),
            ("New actor", "Add an actor to the registry ({actors.new})", self.action_new),
            *self.editing_commands(),
        ]
