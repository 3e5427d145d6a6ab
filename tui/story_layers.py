"""StoryLayers: what the reader draws over a story's text, each layer a `SpanIndex` (styled blocks, annotations,
pending suggestions, find matches), and a row's text cut where any style changes.

Annotations are added and removed one at a time (a save changes one or a few), so a save costs a list insertion
and a repaint of the rows it touches, whatever the story's annotation count.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable

from rich.segment import Segment
from rich.style import Style

from annotations.model import Annotation
from annotations.suggest import Suggestion
from stories.model import Story
from tui.text_layout import Row, SpanIndex

__all__ = ["StoryLayers"]

_KIND_ORDER = {"claim": 0, "quote": 1, "actor": 2}
_UNDIMMED = Style(dim=False)  # a suggestion inside or around a tag never hides the tag's own style


def _text_order(ann: Annotation) -> tuple[int, int]:
    return ann.start, -ann.end


class StoryLayers:
    """The spans drawn over one story's text. `annotations` and `suggestions` are kept in text order."""

    def __init__(self, story: Story) -> None:
        self.text = story.text
        styled = [(b.start, b.end, b.kind) for b in story.blocks if b.kind in ("headline", "standfirst", "dateline")]
        self._blocks = SpanIndex(styled)
        self.annotations: list[Annotation] = []
        self._by_id: dict[str, Annotation] = {}
        self._annotation_index: SpanIndex[Annotation] = SpanIndex([])
        self.suggestions: list[Suggestion] = []
        self._suggestion_index: SpanIndex[Suggestion] = SpanIndex([])
        self.matches: list[tuple[int, int]] = []
        self._match_index: SpanIndex[None] = SpanIndex([])
        #: With every annotator layer shown at once: the mark of an annotation's layer (None: none), drawn over
        #: its kind's style (a text attribute, not a colour: underlines and overlines tell the layers apart).
        self.layer_mark: Callable[[Annotation], Style | None] | None = None

    # --- the layers ---------------------------------------------------------------------------------------------

    def set_annotations(self, annotations: Iterable[Annotation]) -> None:
        self.annotations = sorted(annotations, key=_text_order)
        self._by_id = {a.id: a for a in self.annotations}
        self._annotation_index = SpanIndex([(a.start, a.end, a) for a in self.annotations])

    def add_annotation(self, ann: Annotation) -> None:
        """Draw one more annotation (one already drawn with its id is replaced)."""
        self.remove_annotation(ann.id)
        bisect.insort_right(self.annotations, ann, key=_text_order)
        self._by_id[ann.id] = ann
        self._annotation_index.add(ann.start, ann.end, ann)

    def remove_annotation(self, ann_id: str) -> Annotation | None:
        """Stop drawing the annotation with this id; the one drawn, or None if there was none."""
        ann = self._by_id.pop(ann_id, None)
        if ann is None:
            return None
        self._annotation_index.remove(ann.start, ann.end, ann)
        i = bisect.bisect_left(self.annotations, _text_order(ann), key=_text_order)
        while self.annotations[i] is not ann:
            i += 1
        del self.annotations[i]
        return ann

    def annotations_at(self, offset: int) -> list[Annotation]:
        """Annotations covering `offset`, innermost (shortest) first."""
        found = [a for _, _, a in self._annotation_index.overlapping(offset, offset + 1)]
        return sorted(found, key=lambda a: (a.end - a.start, a.start))

    def set_suggestions(self, suggestions: Iterable[Suggestion]) -> None:
        self.suggestions = sorted(suggestions, key=lambda s: (s.start, -s.end))
        self._suggestion_index = SpanIndex([(s.start, s.end, s) for s in self.suggestions])

    def suggestions_at(self, offset: int) -> list[Suggestion]:
        """Suggestions covering `offset`, innermost (shortest) first."""
        found = [s for _, _, s in self._suggestion_index.overlapping(offset, offset + 1)]
        return sorted(found, key=lambda s: (s.end - s.start, s.start))

    def set_matches(self, spans: list[tuple[int, int]]) -> None:
        self.matches = spans
        self._match_index = SpanIndex([(s, e, None) for s, e in spans])

    # --- drawing ------------------------------------------------------------------------------------------------

    def pending_mark(self, row: Row) -> str:
        """The margin marker of a row: ◌ if a suggestion starts on it, ┊ if one runs through it, else ""."""
        here = list(self._suggestion_index.overlapping(row.start, row.end))
        if not here:
            return ""
        return "◌" if any(row.start <= s < row.end for s, _, _ in here) else "┊"

    def segments(
        self,
        row: Row,
        base: Style,
        style: Callable[[str], Style],
        *,
        current: Suggestion | None,
        selection: tuple[int, int] | None,
        cursor: int,
    ) -> list[Segment]:
        """The row's text cut where any style changes, each piece with its combined style: `style(name)` gives a
        layer's style (a block kind, an annotation kind, "pending", "pending-current", "match", "selection",
        "cursor"); later layers are drawn over earlier ones."""
        start, end = row.start, row.end
        layers: list[tuple[int, int, Style]] = []

        def add(s: int, e: int, layer: Style) -> None:
            s, e = max(s, start), min(e, end)
            if s < e:
                layers.append((s, e, layer))

        for s, e, kind in self._blocks.overlapping(start, end):
            add(s, e, style(kind))
        for s, e, suggestion in self._suggestion_index.overlapping(start, end):
            if suggestion != current:
                add(s, e, style("pending"))
        if current is not None:
            add(current.start, current.end, style("pending-current"))
        here = [ann for _, _, ann in self._annotation_index.overlapping(start, end)]
        mark = self.layer_mark
        for ann in sorted(here, key=lambda a: _KIND_ORDER.get(a.kind, 9)):
            drawn = style(ann.kind) + _UNDIMMED
            if mark is not None and (extra := mark(ann)) is not None:
                drawn += extra
            add(ann.start, ann.end, drawn)
        for s, e, _ in self._match_index.overlapping(start, end):
            add(s, e, style("match"))
        if selection is not None:
            add(selection[0], selection[1], style("selection"))
        add(cursor, cursor + 1, style("cursor"))
        cuts = sorted({start, end, *(p for s, e, _ in layers for p in (s, e))})
        text = self.text
        out = []
        for a, b in itertools.pairwise(cuts):
            combined = base
            for s, e, layer in layers:
                if s <= a < e:
                    combined += layer
            out.append(Segment(text[a:b], combined))
        return out
