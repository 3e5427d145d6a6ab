"""Suggesting: the reader's keys for suggestions (the base of ReaderScreen, above Tagging): go to the next or
previous one, accept, reject, edit before accepting, accept every one of a kind, show or hide them.

What to suggest and what accepting or rejecting stores is `annotations.suggest.review`'s; this module only asks
it. The suggestions are computed in a worker thread (`desk(self).suggester`), and shown only if they are still
those of the story and the annotations on screen.
"""

from __future__ import annotations

import contextlib

from textual.binding import Binding

from annotations.actors import ACTOR_TYPES
from annotations.model import AnnotationError, quoted, with_article
from annotations.registry import Registry
from annotations.store import StoreError
from annotations.suggest import Suggestion, review
from tui.commands import PaletteCommand
from tui.desk import desk
from tui.screens.annotation_form import AnnotationForm, FormEdit
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.tagging import Tagging
from tui.story_text import KIND_LABELS

__all__ = ["SUGGESTION_BINDINGS", "Suggesting"]


#: The reader's suggestion keys (ReaderScreen declares them, so they are listed with its own).
SUGGESTION_BINDINGS = [
    Binding(
        "greater_than_sign",
        "next_suggestion",
        "Next suggestion",
        show=False,
        id="reader.next_suggestion",
        tooltip="Jump to the next suggestion (its kind, speaker, form and score show in the status line)",
    ),
    Binding(
        "less_than_sign",
        "previous_suggestion",
        "Previous suggestion",
        show=False,
        id="reader.previous_suggestion",
        tooltip="Jump to the previous suggestion",
    ),
    Binding(
        "y",
        "accept_suggestion",
        "Accept",
        show=False,
        id="reader.accept_suggestion",
        tooltip="Accept the suggestion at the cursor: it becomes an annotation with its links, saved at once",
    ),
    Binding(
        "r",
        "reject_suggestion",
        "Reject",
        show=False,
        id="reader.reject_suggestion",
        tooltip="Reject the suggestion at the cursor: it is not suggested again (u undoes)",
    ),
    Binding(
        "f",
        "edit_suggestion",
        "Edit & accept",
        show=False,
        id="reader.edit_suggestion",
        tooltip="Open the suggestion at the cursor in the annotation form, to change it before accepting",
    ),
    Binding(
        "Y",
        "accept_all_suggestions",
        "Accept all",
        show=False,
        id="reader.accept_all_suggestions",
        tooltip="Accept every suggestion of the current one's kind in this story (asks first; one undo)",
    ),
    Binding(
        "t",
        "retype",
        "Type",
        show=False,
        id="reader.retype",
        tooltip="Change the type of the registry entry the tag at the cursor links to (as guessed on accepting)",
    ),
    Binding(
        "T",
        "toggle_suggestions",
        "Suggestions",
        show=False,
        id="reader.toggle_suggestions",
        tooltip="Show or hide the suggestions",
    ),
]


class Suggesting(Tagging):
    """Suggestions not yet judged, drawn pending in the text and listed in the panel. The current one is the one
    the last jump went to, else the innermost under the cursor; the keys (`SUGGESTION_BINDINGS`) act on it."""

    def __init__(self) -> None:
        super().__init__()
        #: The pending suggestions of the story (shown or not); None until the first are computed.
        self.suggestions: list[Suggestion] | None = None
        self.suggestions_shown = True
        self._jumped: Suggestion | None = None  # where the last jump went: current while the cursor is on it
        self._suggest_round = 0  # bumped when the annotations change: a result of an older round is stale

    # --- computing -----------------------------------------------------------------------------------------

    def _refresh_suggestions(self) -> None:
        """Compute the suggestions anew in a worker thread (the annotations changed), once the screen shows the
        change: the frame that shows a save never waits for the suggester, and the text stays live."""
        self._suggest_round += 1
        if not self.suggestions_shown:
            self.suggestions = None  # computed when shown again
            return
        round_ = self._suggest_round
        self.call_after_refresh(lambda: self._start_suggesting(round_))

    def _start_suggesting(self, round_: int) -> None:
        if round_ != self._suggest_round or not self.is_mounted:
            return  # the annotations changed again meanwhile: that round starts its own
        story = self.story
        suggester, store = desk(self).suggester, desk(self).store
        # what the library says is read here, on the app's thread (where it is written); the thread only suggests
        actors, marked = store.actors(include_merged=True), review.marks(store, story.id)
        patterns = frozenset(store.rejected_patterns())

        def compute() -> None:
            try:
                raw = suggester(story, Registry(actors))
                found: list[Suggestion] | None = review.still_pending(raw, marked, patterns)
            except Exception:  # a suggester's bug must not take the reader down: no suggestions
                found = None
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                self.app.call_from_thread(self._suggestions_ready, round_, story.id, found)

        self.run_worker(compute, thread=True, group="suggest", exclusive=True, exit_on_error=False)

    def _suggestions_ready(self, round_: int, story_id: str, found: list[Suggestion] | None) -> None:
        if round_ != self._suggest_round or story_id != self.story.id or not self.is_mounted:
            return  # stale: the annotations changed (or another story is shown) since this was asked for
        if found is None:
            self.notify("The suggester failed on this story: no suggestions.", severity="warning")
            found = []
        self.suggestions = found
        self._show_suggestions()

    @property
    def visible_suggestions(self) -> list[Suggestion]:
        """The suggestions drawn now: none while hidden or not computed yet."""
        return self.suggestions or [] if self.suggestions_shown else []

    def _show_suggestions(self) -> None:
        shown = self.visible_suggestions
        if self._jumped not in shown:
            self._jumped = None
        current = self.current_suggestion()
        self.view.set_suggestions(shown, current)
        self.panel.set_suggestions(shown, current)
        self._show_cursor_state()

    def current_suggestion(self) -> Suggestion | None:
        """The suggestion the keys act on: the last one jumped to while the cursor is on it, else the innermost
        under the cursor."""
        cursor = self.view.cursor
        jumped = self._jumped
        if jumped is not None and jumped.start <= cursor < jumped.end:
            return jumped
        here = self.view.suggestions_at(cursor)
        return here[0] if here else None

    def _mark_current(self) -> Suggestion | None:
        """Highlight the current suggestion in the text and the panel (the cursor moved); return it."""
        current = self.current_suggestion()
        if current != self.view.current_suggestion:
            self.view.current_suggestion = current
            self.view.refresh()
            self.panel.suggestion_list.show_current(current)
        return current

    def _show_cursor_state(self, current: str | None = None) -> None:
        raise NotImplementedError

    # --- moving --------------------------------------------------------------------------------------------

    def _jump_suggestion(self, forward: bool) -> None:
        shown = self.visible_suggestions
        if not shown:
            if not self.suggestions_shown:
                why = f"hidden: {self._key('reader.toggle_suggestions')} shows them"
            else:
                why = "still being found" if self.suggestions is None else "none for this story"
            self.notify(f"No suggestions ({why}).", severity="warning")
            return
        current = self.current_suggestion()
        if current in shown:
            i = shown.index(current) + (1 if forward else -1)
            target, wrapped = shown[i % len(shown)], not 0 <= i < len(shown)
        else:
            cursor = self.view.cursor
            later = [s for s in shown if s.start > cursor] if forward else [s for s in shown if s.start < cursor]
            wrapped = not later
            target = (later[0] if forward else later[-1]) if later else shown[0 if forward else -1]
        if wrapped:
            self.notify("Wrapped around to the " + ("first" if forward else "last") + " suggestion.")
        self._jumped = target
        self.view.move_to(target.start, center=True)
        self._show_cursor_state()

    def action_next_suggestion(self) -> None:
        self._jump_suggestion(forward=True)

    def action_previous_suggestion(self) -> None:
        self._jump_suggestion(forward=False)

    def _key(self, binding_id: str) -> str:
        raise NotImplementedError

    # --- judging -------------------------------------------------------------------------------------------

    def _judged(self) -> Suggestion | None:
        """The suggestion to accept or reject, if the library can be written; else None, having said why."""
        if not self._writable():
            return None
        current = self.current_suggestion()
        if current is None:
            hint = self._key("reader.next_suggestion")
            self.notify(f"No suggestion at the cursor ({hint} goes to the next one).", severity="warning")
        return current

    def _forget(self, gone: list[Suggestion]) -> None:
        """Drop judged suggestions from the screen at once (the worker recomputes the rest)."""
        self.suggestions = [s for s in self.suggestions or [] if s not in gone]
        self._jumped = None
        self.view.set_suggestions(self.visible_suggestions)

    def action_accept_suggestion(self) -> None:
        """Accept the current suggestion: an annotation with its links (new registry entries as guessed), one step."""
        if (suggestion := self._judged()) is not None:
            self._accept([suggestion])

    def _accept(self, suggestions: list[Suggestion]) -> None:
        try:
            made = review.accept(self.history, self.story, suggestions, annotator=desk(self).annotator)
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self._forget(suggestions)
        if not made:
            self._reload_annotations()
            self.notify("Already tagged: nothing to accept.", severity="warning")
            return
        self.view.move_to(made[0].start)
        self._reload_annotations(current=made[0].id, changed=[(None, a) for a in made])
        store = desk(self).store
        if len(made) == 1:
            ann, s = made[0], suggestions[0]
            name = {"quote": s.speaker, "actor": s.actor or s.exact, "claim": s.claimant}[ann.kind]
            fresh = {"quote": s.speaker_id, "actor": s.actor_id, "claim": s.claimant_id}[ann.kind] is None
            linked = ann.speaker or ann.actor or ann.claimant
            extra = ""
            if linked and name:
                entry = store.actor(linked)
                extra = f" — {entry.name if entry else name}"
                if fresh and entry is not None:  # its type was guessed: say how to change it
                    extra += f" (new {entry.type}: {self._key('reader.retype')} changes it)"
            self.notify(quoted(ann.exact) + extra, title=f"Saved {ann.kind}", markup=False)
        else:
            kind = KIND_LABELS.get(made[0].kind, made[0].kind).lower()
            undo = self._key("reader.undo")
            self.notify(f"{len(made)} {kind}s accepted ({undo} undoes them all).", title="Saved", markup=False)
        self._warn_tidying()

    def action_reject_suggestion(self) -> None:
        """Reject the current suggestion: remembered in the library, not suggested again (undo brings it back)."""
        if (suggestion := self._judged()) is None:
            return
        try:
            review.reject(self.history, self.story, [suggestion])
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self._forget([suggestion])
        self._reload_annotations(changed=[])  # no annotation changed: the suggestions are found anew
        undo = self._key("reader.undo")
        title = f"Rejected {suggestion.kind} suggestion"
        self.notify(f"{quoted(suggestion.exact)}  ({undo} to undo)", title=title, markup=False)

    def action_edit_suggestion(self) -> None:
        """Open the current suggestion in the annotation form, pre-filled; saving it accepts it (one step)."""
        if (suggestion := self._judged()) is None:
            return
        store = desk(self).store
        try:
            ann, new = review.to_annotation(store, self.story, suggestion, annotator=desk(self).annotator)
        except AnnotationError as exc:
            self.notify(str(exc), title="Cannot accept", severity="error", markup=False)
            return

        def save(edit: FormEdit | None) -> None:
            if edit is None:
                return
            try:
                self.history.add(edit.ann, self.story, new_actors=edit.new_actors)
            except (AnnotationError, StoreError) as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            self._forget([suggestion])
            self.view.move_to(edit.ann.start)
            self._reload_annotations(current=edit.ann.id, changed=[(None, edit.ann)])
            self.notify(quoted(edit.ann.exact), title=f"Saved {edit.ann.kind}", markup=False)
            self._warn_tidying()

        form = AnnotationForm(ann, store, prefer=self._story_actors(), new_actors=new, adding=True)
        self.app.push_screen(form, save)

    def action_accept_all_suggestions(self) -> None:
        """Accept every shown suggestion of the current one's kind, after asking; one undoable step."""
        if (suggestion := self._judged()) is None:
            return
        kind = suggestion.kind
        same = [s for s in self.visible_suggestions if s.kind == kind]
        plural = f"{kind} suggestion" + ("s" if len(same) != 1 else "")
        undo = self._key("reader.undo")
        message = (
            f"Each becomes {'a' if kind != 'actor' else 'an'} {kind} annotation with its links, and names not in "
            f"the registry become new entries. One undo ({undo}) takes them all back."
        )
        dialog = ConfirmDialog(f"Accept {len(same)} {plural}?", message, confirm="Accept")
        self.app.push_screen(dialog, lambda yes: self._accept(same) if yes else None)

    def action_retype(self) -> None:
        """Change the type of the entry the annotation at the cursor links to (a new entry's type is a guess)."""
        if not self._writable():
            return
        ann = self._target(kinds=("quote", "claim", "actor"))
        entry = desk(self).store.actor(ann.speaker or ann.actor or ann.claimant) if ann is not None else None
        if entry is None:
            self.notify("No tag linked to a registry entry at the cursor.", severity="warning")
            return

        def done(kind: str | None) -> None:
            fresh = desk(self).store.actor(entry.id)
            if not kind or fresh is None or kind == fresh.type:
                return
            retyped = fresh.edited(type=kind)
            try:
                self.history.edit_actor(retyped)
            except (AnnotationError, StoreError) as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            self._reload_annotations(current=ann.id if ann else None, changed=[(fresh, retyped)])
            self.notify(f"{fresh.name} is {with_article(kind)}", title="Type changed", markup=False)

        self.app.push_screen(ChoiceDialog(f"Type of {entry.name}", ACTOR_TYPES, entry.type), done)

    def action_toggle_suggestions(self) -> None:
        """Show or hide the suggestions (computed when first shown)."""
        self.suggestions_shown = not self.suggestions_shown
        if self.suggestions_shown and self.suggestions is None:
            self._refresh_suggestions()
        self._show_suggestions()
        key = self._key("reader.toggle_suggestions")
        self.notify(f"Suggestions {'shown' if self.suggestions_shown else f'hidden ({key} shows them)'}.")

    def suggestion_commands(self) -> list[PaletteCommand]:
        """The palette's suggestion commands: (name, help, callback)."""
        return [
            ("Next suggestion", "Jump to the next suggestion ({reader.next_suggestion})", self.action_next_suggestion),
            (
                "Previous suggestion",
                "Jump to the previous suggestion ({reader.previous_suggestion})",
                self.action_previous_suggestion,
            ),
            ("Accept suggestion", "The one at the cursor ({reader.accept_suggestion})", self.action_accept_suggestion),
            ("Reject suggestion", "The one at the cursor ({reader.reject_suggestion})", self.action_reject_suggestion),
            (
                "Edit suggestion, then accept",
                "Open it in the annotation form ({reader.edit_suggestion})",
                self.action_edit_suggestion,
            ),
            (
                "Accept all suggestions of this kind",
                "Every one of the current one's kind, after asking ({reader.accept_all_suggestions})",
                self.action_accept_all_suggestions,
            ),
            (
                "Change the type of the linked actor",
                "Of the speaker, actor or claimant at the cursor ({reader.retype})",
                self.action_retype,
            ),
            (
                "Toggle suggestions",
                "Show or hide the suggestions ({reader.toggle_suggestions})",
                self.action_toggle_suggestions,
            ),
        ]
