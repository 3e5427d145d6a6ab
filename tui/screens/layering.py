"""Layering: the reader's annotator layers (a base of ReaderScreen, above Finding): one layer shown at a time,
yours by default, or all of them side by side, each marked in the text and named in the panel; `L` the next.

Whose layer an annotation is in is `annotations.layers`'s rule; this module only draws it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from annotations.layers import ALL, CURATED
from annotations.model import Annotation
from stories.text import clean_line
from tui.desk import desk
from tui.screens.finding import Finding

__all__ = ["LAYER_MARKS", "Layering"]

#: With every layer shown at once, how the layers other than yours are marked in the text (over their kind's
#: style; no colour: a terminal without it, or a reader who cannot tell them, sees them too), and their sign in
#: the panel and the status line. More layers than marks: they repeat.
LAYER_MARKS = (
    (Style(underline2=True), "══"),
    (Style(overline=True), "‾‾"),
    (Style(underline2=True, overline=True), "═‾"),
)


class Layering(Finding):
    """Show one annotator layer of the story, or every one side by side (`shown_layer`, `ALL`)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown_layer = ""  # the annotator layer shown (`ALL`: every one side by side); yours once mounted
        self._present: list[str] = []  # the layers the story's annotations are in, yours first

    def _layer_sign(self, layer: str) -> str:
        """The mark of a layer shown with the others ("" for yours)."""
        others = [n for n in self._present if n != desk(self).layers.me]
        return LAYER_MARKS[others.index(layer) % len(LAYER_MARKS)][1] if layer in others else ""

    def _layer_mark(self, ann: Annotation) -> Style | None:
        others = [n for n in self._present if n != desk(self).layers.me]
        layer = desk(self).layers.of(ann)
        return LAYER_MARKS[others.index(layer) % len(LAYER_MARKS)][0] if layer in others else None

    def _layer_label(self, ann: Annotation) -> Text:
        layer = desk(self).layers.of(ann)
        return Text(f"{clean_line(layer)}{self._layer_sign(layer)}:", style="bold")

    def layer_caption(self) -> str:
        """Which layer is shown, for the status line ("" while the story has only yours)."""
        me = desk(self).layers.me
        if self.shown_layer == ALL:
            return "all layers: " + ", ".join(f"{clean_line(n)}{self._layer_sign(n)}" for n in self._present)
        if len(self._present) < 2 and self.shown_layer == me:
            return ""
        return f"layer: {clean_line(self.shown_layer)}" + (" (yours)" if self.shown_layer == me else " (read-only)")

    def _show_layer(self) -> None:
        """Draw the layer chosen: the text marks each layer when all are shown, the panel's title says which."""
        me = desk(self).layers.me
        every = self.shown_layer == ALL
        self.view.set_layer_marks(self._layer_mark if every else None)
        if every:
            heading = "All layers"
        elif self.shown_layer == me:
            heading = f"Your layer ({clean_line(me)})" if len(self._present) > 1 else ""
        else:
            name = clean_line(self.shown_layer)
            heading = "Curated (read-only)" if self.shown_layer == CURATED else f"{name} (read-only)"
        self.panel.show_layers(heading, self._layer_label if every else None)

    def action_cycle_layer(self) -> None:
        """Show the story's next layer: yours, each other annotator's, curated, then all of them side by side."""
        cycle = [*self._present, ALL]
        if len(self._present) < 2 and self.shown_layer != ALL:
            self.notify("This story has only your layer of annotations.", severity="warning")
            return
        here = cycle.index(self.shown_layer) if self.shown_layer in cycle else -1
        self.shown_layer = cycle[(here + 1) % len(cycle)]
        self._reload_annotations()
