"""CurationScreen: curating one story version. Opening it copies what the annotators agree on into the `curated`
layer; the open items are listed, each with what every annotator said; a digit accepts that annotator's version,
`e` edits one in the annotation form before accepting it, `x` rejects the item; each is one undoable step (`u`).

What is agreed, open or settled, and what each key stores, is `annotations.curation`'s; this module only asks it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from annotations.curation import Item, StoryCuration, accept, curated_copy, reject, start, state, version_line
from annotations.history import History
from annotations.layers import Layers
from annotations.model import AnnotationError, quoted
from annotations.store import StoreError
from annotations.store.decisions import Decision
from stories.model import Story
from stories.text import clean_line
from tui.desk import desk
from tui.history_keys import said, step_history
from tui.screens.actor_picker import story_actor_ids
from tui.screens.annotation_form import AnnotationForm, FormEdit
from tui.screens.choice_dialog import ChoiceDialog

__all__ = ["CurationScreen"]

#: Annotators the digit keys reach (1 to 9); more are accepted through `e`.
DIGITS = 9


class CurationScreen(Screen[None]):
    """The open curation items of one story version, with each annotator's version; keys settle them."""

    AUTO_FOCUS = "#items"

    BINDINGS = [
        *(
            Binding(
                str(n),
                f"accept({n})",
                f"Accept {n}",
                show=False,
                id=f"curation.accept_{n}",
                tooltip=f"Accept the version of annotator {n} (as numbered above the list) into curated",
            )
            for n in range(1, DIGITS + 1)
        ),
        Binding("e", "edit", "Edit", id="curation.edit", tooltip="Edit a version in the annotation form, then accept"),
        Binding("x", "reject", "Reject", id="curation.reject", tooltip="Reject the item: nothing goes into curated"),
        Binding("u", "undo", "Undo", id="curation.undo", tooltip="Undo the last step (a decision, a tag…)"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="curation.redo", tooltip="Redo what was undone"),
        Binding(
            "enter",
            "show",
            "Show",
            show=False,
            id="curation.show",
            tooltip="Open the story in the reader at the item",
        ),
        Binding("escape", "back", "Back", id="curation.back", tooltip="Back to the reader"),
    ]

    DEFAULT_CSS = """
    CurationScreen {
        & > #curation-head { padding: 0 1; height: auto; color: $text-muted; }
        & > #items { height: 1fr; }
        & > #curation-done { padding: 1 2; display: none; }
    }
    """

    def __init__(self, story: Story, history: History, policy: str = "all") -> None:
        super().__init__()
        self.story = story
        self.history = history
        self.policy = policy
        self.found: StoryCuration | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="curation-head", markup=False)
        yield OptionList(id="items")
        yield Static(id="curation-done", markup=False)
        yield Footer()

    @property
    def annotator_layers(self) -> Layers:
        return desk(self).layers.team

    @property
    def items(self) -> OptionList:
        return self.query_one("#items", OptionList)

    def on_mount(self) -> None:
        self.sub_title = f"Curate · {self.story.short_id} · {self.story.headline}"
        try:
            copied = start(self.history, self.story.id, self.annotator_layers, self.policy)
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Agreed annotations not copied", severity="error", markup=False)
            copied = []
        if copied:
            undo = desk(self).key_for("curation.undo")
            what = "1 agreed annotation" if len(copied) == 1 else f"{len(copied)} agreed annotations"
            self.notify(f"{what} copied into curated ({undo} undoes it)", title="Curation started", markup=False)
        self.reload()

    # --- the list --------------------------------------------------------------------------------------------

    def reload(self, item_id: str | None = None) -> None:
        """Read where curation stands and show it; `item_id`: the item to highlight (else the row highlighted)."""
        store = desk(self).store
        at = self.items.highlighted
        found = self.found = state(store, self.story.id, self.annotator_layers, self.policy)
        at = next((n for n, item in enumerate(found.open) if item.id == item_id), at)
        numbered = "  ".join(f"{n} {clean_line(name)}" for n, name in enumerate(found.annotators, 1))
        self.query_one("#curation-head", Static).update(
            f"annotators: {numbered or 'none'} (a number accepts that version)  ·  policy {found.policy}  ·  "
            f"{len(found.open)} open, {found.decided} settled"
        )
        width = max((len(clean_line(name)) for name in found.annotators), default=0)
        self.items.clear_options()
        self.items.add_options([Option(self._prompt(item, width), id=item.id) for item in found.open])
        done = self.query_one("#curation-done", Static)
        if found.open:
            self.items.highlighted = min(at or 0, len(found.open) - 1)
        else:
            done.update("Story curated: nothing left to decide." if found.curated else "Nothing to curate: no "
                        "annotator's layer has an annotation in this story.")  # fmt: skip
        done.display = not found.open
        self.items.display = bool(found.open)

    def _prompt(self, item: Item, width: int) -> Text:
        assert self.found is not None
        store = desk(self).store
        text = Text()
        text.append(f"{item.kind} ", style="bold")
        text.append(f"{item.start}-{item.end} ", style="dim")
        text.append(quoted(item.exact, 70))
        names = self.found.annotators
        said = {v.annotator: v for v in item.versions}
        for n, name in enumerate(names, 1):
            text.append(f"\n  {n} {clean_line(name):<{width}}  ")
            version = said.get(name)
            if version is None:
                text.append("(nothing here)", style="dim italic")
            else:
                text.append(version_line(store, version.annotation))
        return text

    def current(self) -> Item | None:
        """The highlighted item (None, said in a notification, when none is)."""
        found, at = self.found, self.items.highlighted
        if found is None or at is None or not 0 <= at < len(found.open):
            self.notify("Nothing left to decide in this story.", severity="warning")
            return None
        return found.open[at]

    # --- decisions -------------------------------------------------------------------------------------------

    def _writable(self) -> bool:
        if desk(self).read_only:
            self.notify(desk(self).read_only, title="Read-only: nothing was saved", severity="error", markup=False)
            return False
        return True

    def _decided(self, what: str, item: Item) -> None:
        self.reload()
        undo = desk(self).key_for("curation.undo")
        self.notify(f"{item.describe()}  ({undo} to undo)", title=what, markup=False)

    def action_accept(self, number: int) -> None:
        """Accept the version of the annotator numbered `number` into curated."""
        if not self._writable() or (item := self.current()) is None or self.found is None:
            return
        names = self.found.annotators
        if not 1 <= number <= len(names):
            self.notify(f"No annotator {number}: this story has {len(names)}.", severity="warning")
            return
        try:
            accept(self.history, item, names[number - 1])
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not accepted", severity="warning", markup=False)
            return
        self._decided(f"Accepted {clean_line(names[number - 1])}'s {item.kind}", item)

    def action_reject(self) -> None:
        if not self._writable() or (item := self.current()) is None:
            return
        try:
            reject(self.history, item)
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not rejected", severity="error", markup=False)
            return
        self._decided(f"Rejected {item.kind}", item)

    def action_edit(self) -> None:
        """Edit a version (asked which, when several annotators have one) in the annotation form; saving it
        accepts it as edited."""
        if not self._writable() or (item := self.current()) is None:
            return
        if len(item.versions) == 1:
            self._edit(item, item.versions[0].annotator)
            return
        names = [v.annotator for v in item.versions]
        shown = [clean_line(n) for n in names]
        dialog = ChoiceDialog(f"Edit whose {item.kind}?", shown, mark=False)
        self.app.push_screen(dialog, lambda chosen: self._edit(item, names[shown.index(chosen)]) if chosen else None)

    def _edit(self, item: Item, annotator: str) -> None:
        store = desk(self).store
        prefill = curated_copy(item.version(annotator).annotation)

        def save(edit: FormEdit | None) -> None:
            if edit is None:
                return
            try:
                accept(self.history, item, annotator, edited=edit.ann, new_actors=edit.new_actors)
            except (AnnotationError, StoreError) as exc:
                self.notify(str(exc), title="Not accepted", severity="error", markup=False)
                return
            self._decided(f"Accepted {clean_line(annotator)}'s {item.kind}, edited", item)

        prefer = story_actor_ids(store, self.story.id)
        self.app.push_screen(AnnotationForm(prefill, store, prefer=prefer, adding=True), save)

    # --- undo, the reader ------------------------------------------------------------------------------------

    def _step(self, undo: bool) -> None:
        if (change := step_history(self, self.history, undo=undo)) is None:
            return
        decided = next((i for edit in change.edits for i in edit if isinstance(i, Decision)), None)
        self.reload(decided.id if decided is not None else None)  # an undone decision: its item highlighted
        said(self, change, undo=undo)

    def action_undo(self) -> None:
        self._step(undo=True)

    def action_redo(self) -> None:
        self._step(undo=False)

    def action_show(self) -> None:
        """Back to the reader, on the item."""
        if (item := self.current()) is None:
            return
        app = desk(self)
        self.app.pop_screen()
        app.open_story(self.story.id, at=item.start)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_show()

    def action_back(self) -> None:
        self.app.pop_screen()
