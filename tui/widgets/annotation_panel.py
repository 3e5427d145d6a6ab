"""AnnotationPanel: the story's annotations in text order, with their links; the one under the cursor is
highlighted. Below them, the suggestions not yet judged (`SuggestionList`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

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
        self._annotations: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Static(id="panel-title", markup=False)
        yield AnnotationList(markup=False)
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
    def highlighted(self) -> Annotation | None:
        """The highlighted annotation."""
        index = self.rows.highlighted
        return self._annotations[index] if index is not None and index < len(self._annotations) else None

    def on_mount(self) -> None:
        self._update_title()

    def set_annotations(
        self, annotations: list[Annotation], actor_of: Callable[[str | None], Actor | None] = lambda _id: None
    ) -> None:
        """Show these annotations (already in text order); `actor_of` names the registry entries they link to."""
        self._annotations = list(annotations)
        rows = self.rows
        rows.clear_options()
        link_style = self._style("link")
        for ann in self._annotations:
            prompt = Table.grid(padding=(0, 1))
            prompt.add_column(width=5, no_wrap=True)
            prompt.add_column(ratio=1)
            label = Text(KIND_LABELS.get(ann.kind, ann.kind), style=self._style(ann.kind))
            excerpt = _excerpt(ann.exact)
            line = Text(f"“{excerpt}”" if ann.kind == "quote" else excerpt)
            if links := link_summary(ann, actor_of):
                line.append(f" — {links}", style=link_style)
            prompt.add_row(label, line)
            if ann.note:
                prompt.add_row("", Text(f"✎ {_excerpt(clean_line(ann.note))}", style="dim"))
            rows.add_option(Option(prompt, id=ann.id))
        self._update_title()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"annotation-panel--{name}", partial=True, default=Style())

    def _update_title(self) -> None:
        counts = Counter(a.kind for a in self._annotations)
        if not self._annotations:
            title = "No annotations yet.\nSelect text, then q, a or c."
        else:
            parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in KINDS if counts[k]]
            title = "Annotations: " + ", ".join(parts)
        self.query_one("#panel-title", Static).update(title)

    def show_current(self, ann_id: str | None, *, force: bool = False) -> None:
        """Highlight the annotation with this id (None: no highlight). While the panel has the focus its own
        highlight stays, unless `force`."""
        rows = self.rows
        if rows.has_focus and not force:
            return
        index = next((i for i, a in enumerate(self._annotations) if a.id == ann_id), None)
        if rows.highlighted == index:
            return
        rows.highlighted = index
        if index is not None:
            rows.scroll_to_highlight()

    def _annotation(self, ann_id: str | None) -> Annotation | None:
        return next((a for a in self._annotations if a.id == ann_id), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (ann := self._annotation(event.option_id)) is not None:
            self.post_message(self.Selected(ann))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.rows.has_focus and (ann := self._annotation(event.option_id)) is not None:
            self.post_message(self.Highlighted(ann))

    def on_annotation_list_edit(self, event: AnnotationList.Edit) -> None:
        event.stop()
        if (ann := self._annotation(event.ann_id)) is not None:
            self.post_message(self.Edit(ann))

    def on_annotation_list_leave(self, event: AnnotationList.Leave) -> None:
        event.stop()
        self.post_message(self.Left())
