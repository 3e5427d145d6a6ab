"""ActorEditing: the registry edits shared by the actors list and one actor's page, each one undoable step.

Rename, aliases, type, external id, merge and delete go through the app's History (`app.history()`), so
`u` / ctrl+r undo and redo them here as in the reader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from textual.binding import Binding
from textual.screen import Screen

from annotations.actors import ACTOR_TYPES, Actor
from annotations.history import History
from annotations.library_index import LibraryIndex
from annotations.model import AnnotationError
from annotations.registry import NameClash, Registry, edit_entry
from annotations.store import StoreError
from tui.commands import PaletteCommand
from tui.desk import desk
from tui.history_keys import said, step_history
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.merge_dialog import MergeDialog
from tui.screens.text_prompt import TextPrompt

__all__ = ["ActorEditing", "deletion_effects"]

#: How a lost link is described, by field: (singular, plural).
_LOST = {"actor": ("mention", "mentions"), "speaker": ("quote (speaker)", "quotes (speaker)")}
_LOST["claimant"] = ("claim (claimant)", "claims (claimant)")


def deletion_effects(history: History, actor: Actor) -> str:
    """What deleting `actor` does, in words: "3 mentions, 2 quotes (speaker), 1 claim (claimant) lose their
    link", and which entries merged into it come back on their own."""
    store = history.store
    direct = Counter(f for f, ann in store.actor_usage(actor.id) if getattr(ann, f) == actor.id)
    parts = [f"{direct[f]} {_LOST[f][direct[f] != 1]}" for f in ("actor", "speaker", "claimant") if direct[f]]
    total = sum(direct.values())
    if not parts:
        lines = ["No annotation links to it."]
    else:
        lines = [", ".join(parts) + (" loses its link." if total == 1 else " lose their link.")]
    back = [a.name for a in store.actors(include_merged=True) if a.merged_into == actor.id]
    if back:
        lines.append(f"Merged into it, {', '.join(back)} become{'s' if len(back) == 1 else ''} separate again.")
    lines.append("u undoes the deletion.")
    return "\n".join(lines)


class ActorEditing(Screen):
    """A screen showing registry entries; subclasses say which entry the keys act on and how to redraw."""

    BINDINGS = [
        Binding("r", "rename", "Rename", id="actors.rename", tooltip="Rename the actor (links follow)"),
        Binding("a", "aliases", "Aliases", id="actors.aliases", tooltip="Add or edit the actor's aliases"),
        Binding("t", "retype", "Type", show=False, id="actors.type", tooltip="Change the actor's type"),
        Binding("e", "external_id", "Ext. id", show=False, id="actors.external_id", tooltip="Set the external id"),
        Binding("m", "merge", "Merge", id="actors.merge", tooltip="Merge the actor into another (fuzzy search)"),
        Binding("x,delete", "delete", "Delete", id="actors.delete", tooltip="Delete the actor (asks first)"),
        Binding("u", "undo", "Undo", id="actors.undo", tooltip="Undo the last change"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="actors.redo", tooltip="Redo what was undone"),
    ]

    # --- for subclasses --------------------------------------------------------------------------------

    def current_actor(self) -> Actor | None:
        """The registry entry the keys act on (the canonical one), if any."""
        raise NotImplementedError

    def reload(self, focus: str | None = None) -> None:
        """Show the registry as it is now; `focus`: the entry to highlight, if the screen lists several."""
        raise NotImplementedError

    def link_counts(self) -> dict[str, Counter[str]]:
        """Links by field per registry entry (merged entries folded in)."""
        return LibraryIndex(desk(self).store).counts

    # --- helpers ---------------------------------------------------------------------------------------

    @property
    def history(self) -> History:
        return desk(self).history()

    def _target(self) -> Actor | None:
        actor = self.current_actor()
        if actor is None:
            self.notify("No actor here.", severity="warning")
        elif desk(self).read_only:
            self.notify(desk(self).read_only, title="Read-only: nothing was saved", severity="error")
            return None
        return actor

    def _save(self, change: Callable[[], object], title: str, message: str, focus: str | None = None) -> bool:
        """Run one History step; report a refusal in one line. True if it was saved."""
        try:
            change()
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        self.reload(focus)
        self.notify(message + "  (u to undo)", title=title, markup=False)
        for warning in desk(self).store.take_warnings():
            self.notify(warning, title="Saved, but tidying the files failed (will retry)", severity="warning")
        return True

    def _clash(self, names: list[str], actor: Actor | None) -> str:
        """A refusal if one of `names` already names another entry (the registry's rule: merge the two)."""
        clash = Registry.of(desk(self).store).clash(actor, names)
        return "" if clash is None else self._merge_instead(clash)

    @staticmethod
    def _merge_instead(clash: NameClash) -> str:
        return f"{clash.other.name} already has that name: merge the two instead (m)."

    def _edit(self, actor: Actor, title: str, **changes: Any) -> None:
        """Save a change of an entry as the registry's rules allow it (`edit_entry`: a rename keeps the old
        name as an alias; no name another entry has)."""
        try:
            edited = edit_entry(Registry.of(desk(self).store), actor, **changes)
        except NameClash as clash:
            self.notify(self._merge_instead(clash), title="Not saved", severity="error", markup=False)
            return
        except AnnotationError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        if edited.to_dict() | {"modified": ""} == actor.to_dict() | {"modified": ""}:
            return  # nothing changed: no step to undo
        message = f"{actor.name} → {edited.name}" if edited.name != actor.name else edited.name
        self._save(lambda: self.history.edit_actor(edited), title, message, focus=actor.id)

    def _fresh(self, actor_id: str) -> Actor | None:
        return desk(self).store.entry(actor_id)

    # --- actions ---------------------------------------------------------------------------------------

    def action_rename(self) -> None:
        if (actor := self._target()) is None:
            return

        def done(name: str | None) -> None:
            if name and (fresh := self._fresh(actor.id)) is not None:
                self._edit(fresh, "Renamed", name=name)

        self.app.push_screen(TextPrompt(f"Rename {actor.name}", actor.name, help="Links follow the new name."), done)

    def action_aliases(self) -> None:
        if (actor := self._target()) is None:
            return
        value = "; ".join(actor.aliases) + ("; " if actor.aliases else "")

        def done(text: str | None) -> None:
            if text is not None and (fresh := self._fresh(actor.id)) is not None:
                self._edit(fresh, "Aliases saved", aliases=tuple(a for a in text.split(";") if a.strip()))

        prompt = TextPrompt(
            f"Aliases of {actor.name}",
            value,
            help="Separate aliases with ; — Enter keeps · Escape cancels",
            placeholder="e.g. K. Kosachev; Kosachev",
        )
        self.app.push_screen(prompt, done)

    def action_retype(self) -> None:
        if (actor := self._target()) is None:
            return

        def done(kind: str | None) -> None:
            if kind and (fresh := self._fresh(actor.id)) is not None:
                self._edit(fresh, "Type changed", type=kind)

        self.app.push_screen(ChoiceDialog(f"Type of {actor.name}", ACTOR_TYPES, actor.type), done)

    def action_external_id(self) -> None:
        if (actor := self._target()) is None:
            return

        def done(text: str | None) -> None:
            if text is not None and (fresh := self._fresh(actor.id)) is not None:
                self._edit(fresh, "External id saved", external_id=text)

        prompt = TextPrompt(
            f"External id of {actor.name}",
            actor.external_id,
            help="e.g. a Wikidata QID; empty clears it — Enter keeps · Escape cancels",
            placeholder="Q123456",
        )
        self.app.push_screen(prompt, done)

    def action_merge(self) -> None:
        if (source := self._target()) is None:
            return
        store = desk(self).store
        others = store.actors()
        if len(others) < 2:
            self.notify("There is no other actor to merge into.", severity="warning")
            return

        def done(target_id: str | None) -> None:
            target = store.actor(target_id) if target_id else None
            if target is not None:
                message = f"{source.name} into {target.name}: its links follow"
                self._save(lambda: self.history.merge_actors(source.id, target.id), "Merged", message, target.id)

        self.app.push_screen(MergeDialog(source, others, self.link_counts()), done)

    def action_delete(self) -> None:
        if (actor := self._target()) is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._save(lambda: self.history.delete_actor(actor.id), "Deleted", actor.name)

        message = deletion_effects(self.history, actor)
        self.app.push_screen(ConfirmDialog(f"Delete {actor.name} from the registry?", message), done)

    def _step(self, undo: bool) -> None:
        if (change := step_history(self, self.history, undo=undo)) is None:
            return
        actors = [a for before, after in change.edits if isinstance(a := after or before, Actor)]
        focus = desk(self).store.actor(actors[0].id) if actors else None
        self.reload(focus.id if focus is not None else None)
        said(self, change, undo=undo)

    def action_undo(self) -> None:
        self._step(undo=True)

    def action_redo(self) -> None:
        self._step(undo=False)

    def editing_commands(self) -> list[PaletteCommand]:
        """The registry edits, for the command palette: (name, help, callback)."""
        return [
            ("Rename actor", "Rename the actor; links follow ({actors.rename})", self.action_rename),
            ("Edit aliases", "Add or edit the actor's aliases ({actors.aliases})", self.action_aliases),
            ("Change actor type", "person, organisation, government… ({actors.type})", self.action_retype),
            ("Set external id", "e.g. a Wikidata QID ({actors.external_id})", self.action_external_id),
            ("Merge actor", "Merge the actor into another ({actors.merge})", self.action_merge),
            ("Delete actor", "Delete the actor; asks first ({actors.delete})", self.action_delete),
            ("Undo", "Undo the last change ({actors.undo})", self.action_undo),
            ("Redo", "Redo what was undone ({actors.redo})", self.action_redo),
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys that cannot do anything here leave the footer.
        if action in ("rename", "aliases", "retype", "external_id", "merge", "delete"):
            return self.current_actor() is not None
        return True
