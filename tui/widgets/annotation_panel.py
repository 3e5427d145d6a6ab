"""AnnotationPanel: the story's annotations in text order; the one under the cursor is highlighted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from annotations.model import KINDS, Annotation
from tui.story_text import KIND_LABELS

__all__ = ["AnnotationPanel"]

EXCERPT = 90


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


class AnnotationPanel(Vertical):
    """Lists annotations as `kind  excerpt`; clicking one jumps to it."""

    COMPONENT_CLASSES = {"annotation-panel--quote", "annotation-panel--actor", "annotation-panel--claim"}

    DEFAULT_CSS = """
    AnnotationPanel {
        & > .annotation-panel--quote { text-style: italic; color: $text-success; }
        & > .annotation-panel--actor { text-style: bold; color: $text-primary; }
        & > .annotation-panel--claim { text-style: underline; color: $text-warning; }
        width: 34;
        border-left: tall $panel-lighten-1;
        background: $surface-darken-1;
        & > #panel-title { padding: 0 1; color: $text-muted; text-style: bold; }
        & > OptionList { border: none; background: transparent; height: 1fr; padding: 0; }
        & > OptionList:focus { border: none; }
    }
    """

    @dataclass
    class Selected(Message):
        """An annotation was picked in the panel."""

        annotation: Annotation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._annotations: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Static(id="panel-title", markup=False)
        options = OptionList(markup=False)
        options.can_focus = False
        yield options

    def on_mount(self) -> None:
        self._update_title()

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Show these annotations (already in text order)."""
        self._annotations = list(annotations)
        options = self.query_one(OptionList)
        options.clear_options()
        for ann in self._annotations:
            prompt = Table.grid(padding=(0, 1))
            prompt.add_column(width=5, no_wrap=True)
            prompt.add_column(ratio=1)
            label = Text(KIND_LABELS.get(ann.kind, ann.kind), style=self._kind_style(ann.kind))
            prompt.add_row(label, Text(_excerpt(ann.exact)))
            if ann.note:
                prompt.add_row("", Text(f"✎ {_excerpt(ann.note)}", style="dim"))
            options.add_option(Option(prompt, id=ann.id))
        self._update_title()

    def _kind_style(self, kind: str) -> Style:
        return self.get_component_rich_style(f"annotation-panel--{kind}", partial=True, default=Style())

    def _update_title(self) -> None:
        counts = Counter(a.kind for a in self._annotations)
        if not self._annotations:
            title = "No annotations yet.\nSelect text, then q, a or c."
        else:
            parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in KINDS if counts[k]]
            title = "Annotations: " + ", ".join(parts)
        self.query_one("#panel-title", Static).update(title)

    def show_current(self, ann_id: str | None) -> None:
        """Highlight the annotation with this id (None: no highlight)."""
        options = self.query_one(OptionList)
        index = next((i for i, a in enumerate(self._annotations) if a.id == ann_id), None)
        if options.highlighted == index:
            return
        options.highlighted = index
        if index is not None:
            options.scroll_to_highlight()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ann = next((a for a in self._annotations if a.id == event.option_id), None)
        if ann is not None:
            self.post_message(self.Selected(ann))
