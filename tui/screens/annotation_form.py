"""AnnotationForm: edit every field of one annotation from the keyboard; the reader saves the edit it returns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from annotations.actors import ACTOR_TYPES, Actor
from annotations.history import DuplicateAnnotation, existing_annotation
from annotations.layers import Layers
from annotations.model import FIELDS_OF_KIND, FORMS, KINDS, LINKS, STATUSES, Annotation, AnnotationError
from annotations.store import Store
from stories.text import clean_line
from tui.screens.actor_picker import ActorPicker, Picked
from tui.story_text import KIND_LABELS, human_date
from tui.widgets.choice_field import ChoiceField
from tui.widgets.link_field import LinkField

__all__ = ["AnnotationForm", "FormEdit"]

#: Row labels of the fields, by field name.
LABELS = {
    "kind": "Kind",
    "note": "Note",
    "speaker": "Speaker",
    "form": "Form",
    "cue": "Cue",
    "actor": "Entry",
    "type": "Type",
    "claimant": "Claimant",
    "status": "Status",
}
#: The kind each kind-specific row belongs to (kind and note belong to every kind; type is the entry's).
ROW_KIND = {
    "speaker": "quote",
    "form": "quote",
    "cue": "quote",
    "actor": "actor",
    "type": "actor",
    "claimant": "claim",
    "status": "claim",
}
HELP = (
    "Tab/shift+Tab move · ←/→ or a letter changes a choice · typing a name opens the actor picker · "
    "Enter (or ctrl+s) saves · Esc cancels"
)


@dataclass(frozen=True)
class FormEdit:
    """What the form asks to save: the edited annotation, the new registry entries it links to, and the
    entry it links to with a new type (None: its type stays)."""

    ann: Annotation
    new_actors: tuple[Actor, ...] = ()
    entry: Actor | None = None

    def changes(self, before: Annotation) -> bool:
        """True if saving this changes something."""
        return replace(self.ann, modified=before.modified) != before or self.entry is not None


class AnnotationForm(ModalScreen[FormEdit | None]):
    """The annotation's text and dates (read-only), then its kind, note and the fields of its kind. Enter in
    any field closes with the edit to save (the note is one line), Escape cancels. Dismisses with a FormEdit
    (the screen that opened the form saves it), or None."""

    BINDINGS = [
        Binding("enter", "save", "Save", show=False, id="form.save", tooltip="Save the annotation and close"),
        Binding("ctrl+s", "save", "Save", show=False, id="form.save_ctrl_s", tooltip="Save the annotation and close"),
        Binding("escape", "cancel", "Cancel", show=False, id="form.cancel", tooltip="Close without saving"),
    ]

    DEFAULT_CSS = """
    AnnotationForm {
        align: center middle;
        & > Vertical {
            width: 88; max-width: 100%; height: auto; max-height: 100%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & #form-title { text-style: bold; }
        & #form-text { max-height: 4; color: $text; }
        & #form-meta { color: $text-muted; margin-bottom: 1; }
        & .form-row { height: 1; }
        & .form-row > Label { width: 10; color: $text-muted; }
        & .form-row > Input { width: 1fr; padding: 0 1; }
        & .form-row > LinkField { padding-left: 1; }
        & #form-error { color: $error; height: auto; margin-top: 1; display: none; }
        & #form-help { color: $text-muted; margin-top: 1; }
        & #form-buttons { height: 1; align-horizontal: right; margin-top: 1; }
        & #form-buttons > Button { margin-left: 2; }
    }
    """

    def __init__(
        self,
        ann: Annotation,
        store: Store,
        *,
        prefer: Iterable[str] = (),
        read_only: str = "",
        new_actors: Iterable[Actor] = (),
        adding: bool = False,
        layers: Layers | None = None,
    ) -> None:
        """`prefer`: ids of the actors in this story (the picker lists them first); `read_only`: why nothing
        can be saved, or "". `adding`: `ann` is not stored yet (a suggestion to accept): saving it unchanged
        saves it; `new_actors`: the registry entries it links to that saving it makes; `layers`: a duplicate is
        one in the annotation's own layer (None: in any)."""
        super().__init__()
        self.ann = ann
        self.store = store
        self.prefer = set(prefer)
        self.read_only = read_only
        self.adding = adding
        self.annotator_layers = layers
        self.picked: dict[str, Picked | None] = {}  # link fields the user changed, by field name
        new = {a.id: a for a in new_actors}
        for name in LINKS:
            if (linked := getattr(ann, name)) in new:
                self.picked[name] = Picked(new[linked], new=True)
        entry = picked.actor if (picked := self.picked.get("actor")) else self.store.actor(ann.actor)
        self.actor_type = entry.type if entry else None

    # --- parts ---------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ann = self.ann
        with Vertical():
            yield Label(f"{self._verb} {ann.kind}", id="form-title", markup=False)
            yield Static(Text(f"“{ann.exact}”", style="italic"), id="form-text")
            meta = [f"created {human_date(ann.created)}"]
            if ann.modified != ann.created:
                meta.append(f"modified {human_date(ann.modified)}")
            meta.append(f"by {ann.annotator}" if ann.annotator else "annotator not recorded")
            meta.append(f"characters {ann.start}–{ann.end}")
            yield Static(" · ".join(meta), id="form-meta", markup=False)
            yield self._row("kind", ChoiceField(KINDS, ann.kind, id="form-kind"))
            yield self._row("note", Input(ann.note, placeholder="one line", id="form-note", compact=True))
            yield self._row("speaker", self._link("speaker"))
            yield self._row("form", ChoiceField((None, *FORMS), ann.form, id="form-form"))
            yield self._row("cue", Input(ann.cue, placeholder="e.g. told reporters", id="form-cue", compact=True))
            yield self._row("actor", self._link("actor"))
            entry_type = ChoiceField((None, *ACTOR_TYPES), self.actor_type, id="form-type")
            entry_type.disabled = self.actor_type is None  # no entry linked: no type to set
            yield self._row("type", entry_type)
            yield self._row("claimant", self._link("claimant"))
            yield self._row("status", ChoiceField((None, *STATUSES), ann.status, id="form-status"))
            yield Static(id="form-error", markup=False)
            prefix = "Read-only library: nothing can be saved (Esc closes). " if self.read_only else ""
            yield Static(prefix + HELP, id="form-help", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Save", id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)

    @property
    def _verb(self) -> str:
        return "Accept" if self.adding else "Edit"

    def _link(self, name: str) -> LinkField:
        if (picked := self.picked.get(name)) is not None:
            field = LinkField(picked.actor, id=f"form-{name}")
            field.new = picked.new
            return field
        return LinkField(self.store.actor(getattr(self.ann, name)), id=f"form-{name}")

    def _row(self, name: str, field: Widget) -> Horizontal:
        return Horizontal(Label(LABELS[name]), field, id=f"row-{name}", classes="form-row")

    def on_mount(self) -> None:
        self._show_kind(self.ann.kind)
        self.query_one("#form-kind").focus()

    def _show_kind(self, kind: str) -> None:
        verb = self._verb
        title = f"{verb} {self.ann.kind}" if kind == self.ann.kind else f"{verb} {self.ann.kind} → {kind}"
        self.query_one("#form-title", Label).update(title)
        for name, owner in ROW_KIND.items():
            self.query_one(f"#row-{name}").display = owner == kind

    # --- fields --------------------------------------------------------------------------------------------

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        event.stop()
        if event.field.id == "form-kind":
            self._show_kind(str(event.value))
        elif event.field.id == "form-type" and event.value is not None:
            picked = self.picked.get("actor")
            if picked is not None and picked.new:  # a new entry: its type is chosen here
                self._set_link("actor", Picked(replace(picked.actor, type=str(event.value)), new=True))

    def on_link_field_open(self, event: LinkField.Open) -> None:
        event.stop()
        name = str(event.field.id).removeprefix("form-")
        excerpt = self.ann.exact if len(self.ann.exact) <= 40 else self.ann.exact[:39] + "…"
        picker = ActorPicker(
            self.store,
            title=f"{LABELS[name]} of “{excerpt}”",
            prefer=self.prefer,
            query=event.seed,
            current=event.field.actor.id if event.field.actor else None,
        )
        self.app.push_screen(picker, lambda choice: self._set_link(name, choice) if choice else None)

    def on_link_field_cleared(self, event: LinkField.Cleared) -> None:
        event.stop()
        name = str(event.field.id).removeprefix("form-")
        self._set_link(name, None)

    def _set_link(self, name: str, choice: Picked | None) -> None:
        self.picked[name] = choice
        self.query_one(f"#form-{name}", LinkField).set(
            choice.actor if choice else None, new=bool(choice and choice.new)
        )
        if name == "actor":
            entry_type = self.query_one("#form-type", ChoiceField)
            entry_type.disabled = choice is None
            entry_type.value = choice.actor.type if choice else None

    # --- saving --------------------------------------------------------------------------------------------

    def _link_id(self, name: str) -> str | None:
        if name in self.picked:
            choice = self.picked[name]
            return choice.actor.id if choice else None
        return getattr(self.ann, name)  # unchanged: kept as stored (even if it names a merged entry)

    def _edits(self) -> FormEdit:
        """The edited annotation, the new registry entries it links to, and its entry with a new type."""
        kind = str(self.query_one("#form-kind", ChoiceField).value)
        changes: dict[str, object] = {"kind": kind, "note": clean_line(self.query_one("#form-note", Input).value)}
        for name in FIELDS_OF_KIND[kind]:
            if name in LINKS:
                changes[name] = self._link_id(name)
            elif name == "cue":
                changes[name] = clean_line(self.query_one("#form-cue", Input).value)
            else:
                changes[name] = self.query_one(f"#form-{name}", ChoiceField).value
        after = self.ann.edited(**changes)
        new = tuple(c.actor for n in FIELDS_OF_KIND[kind] if (c := self.picked.get(n)) is not None and c.new)
        retyped: Actor | None = None
        if kind == "actor" and (entry := self.store.actor(after.actor)) is not None and not self.adding:
            wanted = self.query_one("#form-type", ChoiceField).value
            if wanted is not None and wanted != entry.type and after.actor not in {a.id for a in new}:
                retyped = entry.edited(type=wanted)
        return FormEdit(after, new, retyped)

    def action_save(self) -> None:
        """Close with the edit to save (the reader saves it through History as one undoable step); an edit the
        annotation rules refuse (a value outside its vocabulary, a second tag of one kind and span) is shown
        here and the form stays open."""
        if self.read_only:
            self.notify(self.read_only, title="Read-only: nothing was saved", severity="error", markup=False)
            return
        error = self.query_one("#form-error", Static)
        try:
            edit = self._edits()
            if (there := existing_annotation(self.store, edit.ann, self.annotator_layers)) is not None:
                raise DuplicateAnnotation(there)
        except AnnotationError as exc:
            error.update(Text(f"Not saved: {exc}"))
            error.display = True
            return
        if not self.adding and not edit.changes(self.ann):
            self.notify("Nothing was changed.", title=f"{KIND_LABELS.get(edit.ann.kind, edit.ann.kind)} unchanged")
            self.dismiss(None)
            return
        self.dismiss(edit)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)
