"""AnnotationPanel: the story's annotations in text order, with their links; the one under the cursor is
highlighted. Below them, the suggestions not yet judged (`SuggestionList`).

A save changes one row or a few: `update_annotations` puts or removes only those (`AnnotationList` keeps its rows
in order and draws only those on screen); `set_annotations` compares with what is shown and does the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from annotations.actors import Actor, fold_name
from annotations.model import KINDS, Annotation
from annotations.suggest import Suggestion
from stories.text import clean_line
from tui.story_text import KIND_LABELS
from tui.widgets.annotation_list import AnnotationList
from tui.widgets.suggestion_list import SuggestionList

__all__ = ["AnnotationPanel", "link_summary"]

EXCERPT = 90


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def link_summary(ann: Annotation, actor_of: Callable[[str | None], Actor | None]) -> str:
    """What an annotation links to, e.g. "Konstantin Kosachev · direct" or "disputed · Kosachev"."""
    if ann.kind == "quote":
        speaker = actor_of(ann.speaker)
        parts = [speaker.name if speaker else "", ann.form or ""]
    elif ann.kind == "claim":
        claimant = actor_of(ann.claimant)
        parts = [ann.status or "", claimant.name if claimant else ""]
    else:
        entry = actor_of(ann.actor)
        same = entry is not None and fold_name(entry.name) == fold_name(ann.exact)
        parts = [] if entry is None else [entry.type] if same else [entry.name, entry.type]
    return clean_line(" · ".join(p for p in parts if p))


class AnnotationPanel(Vertical):
    """Lists annotations as `kind  excerpt — links`; a click jumps to one, Enter (when focused) edits it."""

    COMPONENT_CLASSES = {
        "annotation-panel--quote",
        "annotation-panel--actor",
        "annotation-panel--claim",
        "annotation-panel--link",
    }

    DEFAULT_CSS = """
    AnnotationPanel {
        & > .annotation-panel--quote { text-style: italic; color: $text-success; }
        & > .annotation-panel--actor { text-style: bold; color: $text-primary; }
        & > .annotation-panel--claim { text-style: underline; color: $text-warning; }
        & > .annotation-panel--link { color: $text-secondary; }
        width: 34;
        border-left: tall $panel-lighten-1;
        background: $surface-darken-1;
        & > #panel-title { padding: 0 1; color: $text-muted; text-style: bold; }
        & > AnnotationList { border: none; background: transparent; height: 1fr; padding: 0 0 0 1; }
        & > AnnotationList:focus { border: none; background: $boost; }
        &.-suggesting > AnnotationList { height: auto; max-height: 50%; }
    }
    """

    @dataclass
    class Selected(Message):
        """An annotation was clicked in the panel."""

        annotation: Annotation

    @dataclass
    class Highlighted(Message):
        """The keyboard moved the panel's highlight to an annotation (the panel has the focus)."""

        annotation: Annotation

    @dataclass
    class Edit(Message):
        """Enter on an annotation in the panel."""

        annotation: Annotation

    class Left(Message):
        """Escape in the panel: back to the text."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._annotations: dict[str, Annotation] = {}
        self._links: dict[str, str] = {}  # what each row says the annotation links to
        self._counts: Counter[str] = Counter()
        self._title = ""
        self._heading = ""  # what the title calls the list ("": "Annotations", the story's only layer)
        self._layer_label: Callable[[Annotation], Text] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="panel-title", markup=False)
        yield AnnotationList()
        yield SuggestionList(id="suggestions")

    @property
    def rows(self) -> AnnotationList:
        return self.query_one(AnnotationList)

    @property
    def suggestion_list(self) -> SuggestionList:
        """The section of suggestions not yet judged, under the annotations."""
        return self.query_one(SuggestionList)

    def set_suggestions(self, suggestions: list[Suggestion], current: Suggestion | None = None) -> None:
        """Show these suggestions under the annotations (none: the annotations have the whole height)."""
        self.set_class(bool(suggestions), "-suggesting")
        self.suggestion_list.set_suggestions(suggestions, current)

    @property
    def has_focus_within(self) -> bool:
        """True if the list has the keyboard focus."""
        return self.rows.has_focus

    @property
    def annotations(self) -> list[Annotation]:
        """The annotations listed, in the panel's order."""
        return [self._annotations[i] for i in self.rows.row_ids]

    @property
    def highlighted(self) -> Annotation | None:
        """The highlighted annotation."""
        row_id = self.rows.highlighted_id
        return self._annotations.get(row_id) if row_id is not None else None

    def on_mount(self) -> None:
        self._update_title()

    def set_annotations(
        self, annotations: Iterable[Annotation], actor_of: Callable[[str | None], Actor | None] = lambda _id: None
    ) -> None:
        """Show these annotations (all of the story's); `actor_of` names the registry entries they link to. Only
        the rows that differ from those shown are put or removed."""
        fresh = {a.id: a for a in annotations}
        for gone in [i for i in self._annotations if i not in fresh]:
            self._remove(gone)
        for ann in fresh.values():
            self._put(ann, actor_of)
        self._update_title()

    def update_annotations(
        self,
        removed: Iterable[str],
        added: Iterable[Annotation],
        actor_of: Callable[[str | None], Actor | None] = lambda _id: None,
        *,
        actors: Iterable[str] = (),
    ) -> None:
        """Remove the rows of the ids `removed`, put `added` (replacing the rows of their ids), and show anew the
        links of the rows that link to the registry entries `actors` (renamed, retyped, merged)."""
        for ann_id in removed:
            self._remove(ann_id)
        for ann in added:
            self._put(ann, actor_of)
        if relinked := set(actors):
            for ann in list(self._annotations.values()):
                if {ann.speaker, ann.claimant, ann.actor} & relinked:
                    self._put(ann, actor_of)
        self._update_title()

    def show_layers(self, heading: str, label: Callable[[Annotation], Text] | None = None) -> None:
        """Title the list `heading` (a layer's name, "All layers…"; "": as with one layer) and start each row with
        `label(ann)`, the annotator marked (None: no label). The rows are put again by `set_annotations`."""
        for ann_id in list(self._annotations):
            self._remove(ann_id)
        self._heading, self._layer_label = heading, label
        self._update_title()

    def _put(self, ann: Annotation, actor_of: Callable[[str | None], Actor | None]) -> None:
        links = link_summary(ann, actor_of)
        shown = self._annotations.get(ann.id)
        if shown == ann and self._links.get(ann.id) == links:
            return
        if shown is not None:
            self._counts[shown.kind] -= 1
        self._annotations[ann.id], self._links[ann.id] = ann, links
        self._counts[ann.kind] += 1
        order = (ann.start, -ann.end, ann.kind, ann.id)  # the store's order (`Store.annotations`)
        self.rows.put_row(order, ann.id, self._prompt(ann, links))

    def _remove(self, ann_id: str) -> None:
        if (shown := self._annotations.pop(ann_id, None)) is not None:
            del self._links[ann_id]
            self._counts[shown.kind] -= 1
            self.rows.remove_row(ann_id)

    def _prompt(self, ann: Annotation, links: str) -> Table:
        """A row: `Kind  excerpt — links`, and the note under it."""
        prompt = Table.grid(padding=(0, 1))
        prompt.add_column(width=5, no_wrap=True)
        prompt.add_column(ratio=1)
        label = Text(KIND_LABELS.get(ann.kind, ann.kind), style=self._style(ann.kind))
        excerpt = _excerpt(ann.exact)
        line = Text(f"“{excerpt}”" if ann.kind == "quote" else excerpt)
        if self._layer_label is not None:
            line = Text.assemble(self._layer_label(ann), " ", line)
        if links:
            line.append(f" — {links}", style=self._style("link"))
        prompt.add_row(label, line)
        if ann.note:
            prompt.add_row("", Text(f"✎ {_excerpt(clean_line(ann.note))}", style="dim"))
        return prompt

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"annotation-panel--{name}", partial=True, default=Style())

    def _update_title(self) -> None:
        counts = self._counts
        if not self._annotations:
            title = f"{self._heading}: none" if self._heading else "No annotations yet.\nSelect text, then q, a or c."
        else:
            parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in KINDS if counts[k]]
            title = f"{self._heading or 'Annotations'}: " + ", ".join(parts)
        if title != self._title:
            self._title = title
            self.query_one("#panel-title", Static).update(title)

    def show_current(self, ann_id: str | None, *, force: bool = False) -> None:
        """Highlight the annotation with this id (None: no highlight). While the panel has the focus its own
        highlight stays, unless `force`."""
        rows = self.rows
        if rows.has_focus and not force:
            return
        if rows.highlighted_id != ann_id or force:
            rows.highlight(ann_id, post=True)

    def on_annotation_list_selected(self, event: AnnotationList.Selected) -> None:
        event.stop()
        if (ann := self._annotations.get(event.row_id)) is not None:
            self.post_message(self.Selected(ann))

    def on_annotation_list_highlighted(self, event: AnnotationList.Highlighted) -> None:
        event.stop()
        if self.rows.has_focus and (ann := self._annotations.get(event.row_id)) is not None:
            self.post_message(self.Highlighted(ann))

    def on_annotation_list_edit(self, event: AnnotationList.Edit) -> None:
        event.stop()
        if (ann := self._annotations.get(event.ann_id)) is not None:
            self.post_message(self.Edit(ann))

    def on_annotation_list_leave(self, event: AnnotationList.Leave) -> None:
        event.stop()
        self.post_message(self.Left())
