"""Tagging: the reader's actions that make, edit, link and delete annotations (the base of ReaderScreen)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from textual.screen import Screen

from annotations import anchor
from annotations.actors import Actor
from annotations.history import DuplicateAnnotation, History
from annotations.layers import ReadOnlyLayer
from annotations.model import Annotation, AnnotationError, quoted, with_article
from annotations.store import StoreError
from annotations.store.tagstore import Edit
from stories.model import Story
from tui.desk import desk
from tui.screens.actor_picker import ActorPicker, Picked, story_actor_ids
from tui.screens.actor_tag import ActorTagDialog
from tui.screens.annotation_form import AnnotationForm, FormEdit

if TYPE_CHECKING:
    from tui.widgets.annotation_panel import AnnotationPanel
    from tui.widgets.story_view import StoryView

__all__ = ["Tagging", "Touched", "quoted"]


@dataclass(frozen=True)
class Touched:
    """What a step changed in one story, as the reader shows it: the annotations gone (ids), those added or
    replaced, and the registry entries changed (the rows linking to them show their names anew)."""

    removed: list[str] = field(default_factory=list)
    added: list[Annotation] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, edits: Sequence[Edit], story_id: str) -> Touched:
        """What `edits` (as `History` applies them: (before, after) pairs) change in the story `story_id`."""
        touched = cls()
        for before, after in edits:
            if isinstance(after, Annotation):
                if after.story_id == story_id:
                    touched.added.append(after)
            elif isinstance(before, Annotation):
                if before.story_id == story_id:
                    touched.removed.append(before.id)
            elif isinstance(after, Actor) or isinstance(before, Actor):
                touched.actors.update(a.id for a in (before, after) if isinstance(a, Actor))
        return touched


class Tagging(Screen):
    """Tag the selection (`q`, `a`, `c`), edit (Enter), link (`s`) and delete (`x`) the annotation under the
    cursor, or the one highlighted in the focused panel. Each save is one undoable step."""

    #: The story shown (set by the subclass).
    story: Story
    #: The app's undo history (set by the subclass).
    history: History

    # --- for subclasses --------------------------------------------------------------------------------

    @property
    def view(self) -> StoryView:
        """The story view, with the cursor and the selection."""
        raise NotImplementedError

    @property
    def panel(self) -> AnnotationPanel:
        """The panel listing the story's annotations."""
        raise NotImplementedError

    def _reload_annotations(self, current: str | None = None, changed: Sequence[Edit] | None = None) -> None:
        """Show the story's annotations as stored now; `current`: the one to highlight. `changed`: the edits
        of the step just done or undone (only what they touch is drawn again); None: compare all with the store."""
        raise NotImplementedError

    # --- actions ---------------------------------------------------------------------------------------

    def _target(self, kinds: tuple[str, ...] = ()) -> Annotation | None:
        """The annotation highlighted in the focused panel, else the innermost under the cursor (of `kinds`
        first, if given)."""
        if self.panel.has_focus_within:
            return self.panel.highlighted
        here = self.annotations_here()
        return next((a for a in here if a.kind in kinds), here[0] if here else None)

    def annotations_here(self) -> list[Annotation]:
        """The annotations under the cursor, innermost first; of two alike (all layers shown), yours first."""
        layers = desk(self).layers
        here = self.view.annotations_at(self.view.cursor)
        return sorted(here, key=lambda a: (a.end - a.start, a.start, not layers.editable(a)))

    def _writable(self) -> bool:
        if desk(self).read_only:
            self.notify(desk(self).read_only, title="Read-only: nothing was saved", severity="error", markup=False)
            return False
        return True

    def _in_own_layer(self, ann: Annotation, verb: str) -> bool:
        """True if `ann` is in the analyst's layer; else say (one line) that another's layer is read-only."""
        try:
            self.history.check_editable(ann, verb)
        except ReadOnlyLayer as exc:
            self.notify(f"{exc}.", title="Read-only layer: nothing was changed", severity="error", markup=False)
            return False
        return True

    def action_tag(self, kind: str) -> None:
        """Tag the selection (widened to whole words) and save it at once; an actor first gets its registry
        entry (ActorTagDialog), in the same undoable step."""
        if not self._writable():
            return
        view = self.view
        selection = view.selection
        if selection is None:
            self.notify(
                "Select text first: v then a motion (w, e, …), shift+arrows, / to find, or drag with the mouse.",
                title=f"Nothing to tag as {with_article(kind)}",
                severity="warning",
            )
            return
        try:
            ann = anchor.tag(self.story, kind, *selection, annotator=desk(self).annotator)
        except AnnotationError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        if kind != "actor":
            self._save(ann)  # History refuses a duplicate (saying so), as it would here
        elif (there := self.history.existing(ann)) is not None:  # before asking for an entry it would not get
            self.notify(f"{DuplicateAnnotation(there)}.", severity="warning", markup=False)
        else:
            dialog = ActorTagDialog(desk(self).store, ann.exact, prefer=self._story_actors())
            self.app.push_screen(dialog, lambda p: self._save(replace(ann, actor=p.actor.id), p) if p else None)

    def _save(self, ann: Annotation, picked: Picked | None = None, *, edit: bool = False) -> None:
        """Add (or replace, `edit`) an annotation, with the new registry entry `picked` names, as one step."""
        new: tuple[Actor, ...] = (picked.actor,) if picked is not None and picked.new else ()
        try:
            (self.history.edit if edit else self.history.add)(ann, self.story, new_actors=new)
        except DuplicateAnnotation as exc:
            self.notify(f"{exc}.", severity="warning", markup=False)
            return
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self.view.move_to(ann.start)
        self._reload_annotations(current=ann.id, changed=[(None, ann)])
        linked = f" — {picked.actor.name}" + (" (new entry)" if new else "") if picked else ""
        self.notify(quoted(ann.exact) + linked, title=f"Saved {ann.kind}", markup=False)
        self._warn_tidying()

    def _warn_tidying(self) -> None:
        for warning in desk(self).store.take_warnings():
            self.notify(warning, title="Saved, but tidying the files failed (will retry)", severity="warning")

    def _story_actors(self) -> set[str]:
        return story_actor_ids(desk(self).store, self.story.id)

    def action_edit(self) -> None:
        """Edit the annotation under the cursor (or highlighted in the panel) in a form."""
        ann = self._target()
        if ann is None:
            self.notify("No annotation under the cursor.", severity="warning")
            return
        self._edit(ann)

    def _edit(self, ann: Annotation) -> None:
        if not self._in_own_layer(ann, "edit"):
            return

        def save(edit: FormEdit | None) -> None:
            """Save what the form returns through History: one undoable step."""
            if edit is None:
                return
            try:
                self.history.edit(edit.ann, self.story, new_actors=edit.new_actors, entry=edit.entry)
            except (AnnotationError, StoreError) as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            changed: list[Edit] = [(None, edit.ann), *(((None, edit.entry),) if edit.entry is not None else ())]
            self._reload_annotations(current=edit.ann.id, changed=changed)
            self.notify(quoted(edit.ann.exact), title=f"Saved {edit.ann.kind}", markup=False)
            self._warn_tidying()

        form = AnnotationForm(
            ann,
            desk(self).store,
            prefer=self._story_actors(),
            read_only=desk(self).read_only,
            layers=desk(self).layers,
        )
        self.app.push_screen(form, save)

    def action_link(self) -> None:
        """Pick the speaker of the quote (claimant of the claim, entry of the actor) under the cursor; saved
        at once."""
        if not self._writable():
            return
        ann = self._target(kinds=("quote", "claim"))
        if ann is None:
            self.notify("No annotation under the cursor.", severity="warning")
            return
        if not self._in_own_layer(ann, "edit"):
            return
        field = {"quote": "speaker", "claim": "claimant"}.get(ann.kind, "actor")
        label = {"speaker": "Speaker", "claimant": "Claimant"}.get(field, "Registry entry")

        def picked(choice: Picked | None) -> None:
            if choice is not None and choice.actor.id != getattr(ann, field):
                self._save(ann.edited(**{field: choice.actor.id}), choice, edit=True)

        current = desk(self).store.actor(getattr(ann, field))
        picker = ActorPicker(
            desk(self).store,
            title=f"{label} of {quoted(ann.exact)}",
            prefer=self._story_actors(),
            current=current.id if current else None,
        )
        self.app.push_screen(picker, picked)

    def action_delete(self) -> None:
        """Delete the innermost annotation under the cursor (or the one highlighted in the focused panel)."""
        if not self._writable():
            return
        target = self._target()
        if target is None:
            self.notify("No annotation under the cursor.", severity="warning")
            return
        if not self._in_own_layer(target, "delete"):
            return
        try:
            gone = self.history.delete(target.id)
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not deleted", severity="error", markup=False)
            return
        self._reload_annotations(changed=[(gone, None)])
        self.notify(f"{quoted(gone.exact)}  (u to undo)", title=f"Deleted {gone.kind}", markup=False)
