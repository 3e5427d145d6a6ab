"""StoryView: a story, formatted, with a keyboard cursor, selection and annotations drawn in place.

A Line API widget: only the rows on screen are rendered. Offsets are code points of the story's canonical
text; the layout maps them to rows. Motions follow vim where vim has a key for them (`w`, `b`, `e`, `(`,
`)`, `{`, `}`, `v`); `"`, `.` and `%` select a quotation, a sentence or whole words (rules in `stories.text`).
Suggestions not yet judged are drawn dim and underlined, with a marker in the margin (◌ where one starts, ┊ on
its other rows), under any annotation's own style; the current one is drawn bold.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.model import Annotation
from annotations.suggest import Suggestion
from stories.model import Story
from stories.quotations import quotation_span, quote_pairs
from stories.text import (
    sentence_span,
    sentence_starts,
    widen_to_words,
)
from tui.desk import desk
from tui.story_find import TextFinder
from tui.story_keys import STORY_VIEW_BINDINGS, motion_target, on_text
from tui.story_layers import StoryLayers
from tui.text_layout import StoryLayout

__all__ = ["StoryView"]


class StoryView(ScrollView, can_focus=True):
    """The reader's text: cursor, selection, find matches and annotations."""

    BINDINGS = STORY_VIEW_BINDINGS

    COMPONENT_CLASSES = {
        "story-view--headline",
        "story-view--standfirst",
        "story-view--dateline",
        "story-view--meta",
        "story-view--bullet",
        "story-view--quote",
        "story-view--actor",
        "story-view--claim",
        "story-view--pending",
        "story-view--pending-current",
        "story-view--pending-mark",
        "story-view--match",
        "story-view--selection",
        "story-view--cursor",
    }

    DEFAULT_CSS = """
    StoryView {
        background: $surface;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        & > .story-view--headline { text-style: bold; color: $text; }
        & > .story-view--standfirst { text-style: italic; color: $text-muted; }
        & > .story-view--dateline { text-style: bold; color: $text-muted; }
        & > .story-view--meta { color: $text-muted; }
        & > .story-view--bullet { color: $accent; }
        & > .story-view--quote { text-style: italic; color: $text-success; }
        & > .story-view--actor { text-style: bold; color: $text-primary; }
        & > .story-view--claim { text-style: underline; color: $text-warning; }
        & > .story-view--pending { text-style: dim underline; }
        & > .story-view--pending-current { text-style: bold underline; background: $accent 30%; }
        & > .story-view--pending-mark { color: $text-accent; }
        & > .story-view--match { background: $secondary; }
        & > .story-view--selection { background: $primary; color: $text; }
        & > .story-view--cursor { text-style: reverse; }
    }
    """

    @dataclass
    class Changed(Message):
        """The cursor or the selection moved."""

        view: StoryView
        cursor: int
        selection: tuple[int, int] | None

        @property
        def control(self) -> StoryView:
            return self.view

    def __init__(self, story: Story, *, versions: int = 1, name: str | None = None, id: str | None = None) -> None:
        """`versions`: how many versions of this story the library holds (shown with the metadata)."""
        super().__init__(name=name, id=id)
        self.story = story
        self.versions = versions
        self._finder = TextFinder(story.text)
        self._sentences = sentence_starts(story.text, [(b.start, b.end) for b in story.blocks])
        self._paragraphs = [start for start, _ in story.paragraphs()]
        self.overlays = StoryLayers(story)
        self._styles: dict[str, Style] = {}
        self.current_suggestion: Suggestion | None = None
        self._quotes: list[tuple[int, int]] | None = None
        self._quote_step: tuple[int, int] | None = None  # what the quote key selected last (pressing again widens)
        self._layout: StoryLayout | None = None
        self.cursor = 0
        self.selection_anchor: int | None = None
        self.visual = False
        self.inclusive = True
        self._goal_x: int | None = None
        self._dragging = False

    # --- state -------------------------------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span [start, end), or None."""
        if self.selection_anchor is None:
            return None
        lo, hi = sorted((self.selection_anchor, self.cursor))
        if self.inclusive:
            hi += 1
        return (lo, hi) if hi > lo else None

    @property
    def annotations(self) -> list[Annotation]:
        """The annotations drawn, in text order."""
        return self.overlays.annotations

    @property
    def suggestions(self) -> list[Suggestion]:
        """The pending suggestions drawn, in text order."""
        return self.overlays.suggestions

    @property
    def matches(self) -> list[tuple[int, int]]:
        """The find matches highlighted."""
        return self.overlays.matches

    def set_annotations(self, annotations: Iterable[Annotation]) -> None:
        """Replace the annotations drawn in the text."""
        self.overlays.set_annotations(annotations)
        self.refresh()

    def update_annotations(self, removed: Iterable[str], added: Iterable[Annotation]) -> None:
        """Stop drawing the annotations with the ids `removed`, draw `added` (replacing any with their id): only
        the rows they cover are drawn again."""
        spans = [(a.start, a.end) for i in removed if (a := self.overlays.remove_annotation(i)) is not None]
        for ann in added:
            if (old := self.overlays.remove_annotation(ann.id)) is not None:
                spans.append((old.start, old.end))
            self.overlays.add_annotation(ann)
            spans.append((ann.start, ann.end))
        for start, end in spans:
            self._refresh_span(start, end)

    def _refresh_span(self, start: int, end: int) -> None:
        """Draw again the rows showing text[start:end] (nothing before the first layout: all is drawn then)."""
        if self._layout is None:
            return
        first, last = self._layout.row_of(start), self._layout.row_of(max(end - 1, start))
        self.refresh_lines(first, last - first + 1)

    def set_layer_marks(self, mark: Callable[[Annotation], Style | None] | None) -> None:
        """Mark each annotation's layer over its kind's style (`mark`: its layer's mark), or stop (None)."""
        self.overlays.layer_mark = mark
        self.refresh()

    def annotations_at(self, offset: int) -> list[Annotation]:
        """Annotations covering `offset`, innermost (shortest) first."""
        return self.overlays.annotations_at(offset)

    def set_suggestions(self, suggestions: Iterable[Suggestion], current: Suggestion | None = None) -> None:
        """Replace the pending suggestions drawn in the text; `current`: the one drawn highlighted."""
        self.overlays.set_suggestions(suggestions)
        self.current_suggestion = current
        self.refresh()

    def suggestions_at(self, offset: int) -> list[Suggestion]:
        """Suggestions covering `offset`, innermost (shortest) first."""
        return self.overlays.suggestions_at(offset)

    def set_matches(self, spans: list[tuple[int, int]]) -> None:
        """Find matches to highlight."""
        self.overlays.set_matches(spans)
        self.refresh()

    def paragraph_index(self, offset: int) -> int:
        """The index of the paragraph holding `offset` (a separator counts with the paragraph before it)."""
        return max(bisect.bisect_right(self._paragraphs, offset) - 1, 0)

    def find(self, query: str, *, whole_words: bool = False) -> list[tuple[int, int]]:
        """Every match of `query` (see `TextFinder.find`)."""
        return self._finder.find(query, whole_words=whole_words)

    def move_to(self, offset: int, *, keep_selection: bool = False, center: bool = False) -> None:
        """Put the cursor on `offset` (moved off any paragraph separator)."""
        if not keep_selection:
            self.selection_anchor = None
            self.visual = False
        self.cursor = self._on_text(offset, 1)
        self._goal_x = None
        self._cursor_changed(center=center)

    def select(self, start: int, end: int, *, backward: bool = False) -> None:
        """Select [start, end) in visual mode, cursor on its last character (its first if `backward`), so motions
        extend it."""
        self.selection_anchor, self.cursor = start, max(start, end - 1)
        if backward:
            self.selection_anchor, self.cursor = self.cursor, self.selection_anchor
        self.visual, self.inclusive = True, True
        self._goal_x = None
        self._cursor_changed(center=True)

    def action_select_span(self, kind: str) -> None:
        """Select the quotation (`quote`), sentence or whole `words` around the cursor, or widen the selection
        one step; the cursor stays at the end of the selection it was at."""
        text, sel = self.story.text, self.selection
        if kind == "quote":
            self._quotes = quote_pairs(text) if self._quotes is None else self._quotes
            start, end = sel if sel else (self.cursor, None)
            rule = desk(self).quote_punctuation
            span = quotation_span(text, start, end, pairs=self._quotes, punctuation=rule)
            words = quotation_span(text, sel[0], None, pairs=self._quotes, punctuation=rule) if sel else None
            if sel and sel == words and sel != self._quote_step:
                span = words  # a selection made otherwise (a find) that is the quotation's words: the first step
            self._quote_step = span
        elif kind == "sentence":
            span = sentence_span(text, self._sentences, *(sel or (self.cursor,)))
        else:
            span = widen_to_words(text, *(sel or (self.cursor, self.cursor + 1)))
        if span is None or span[0] >= span[1]:
            self.notify(f"No {kind.rstrip('s')} around the cursor.", severity="warning", timeout=2)
            return
        self.select(*span, backward=self.selection_anchor is not None and self.cursor < self.selection_anchor)

    def clear_selection(self) -> None:
        """Drop the selection; the cursor goes back to where the selection started."""
        if self.selection_anchor is not None:
            self.cursor = self.selection_anchor
        self.selection_anchor = None
        self.visual = False
        self._cursor_changed()

    # --- motions -------------------------------------------------------------------------------------------

    def _on_text(self, pos: int, direction: int) -> int:
        return on_text(self.story.text, pos, direction)

    def _target(self, motion: str) -> int:
        text, pos, layout = self.story.text, self.cursor, self._ensure_layout()
        if motion in ("up", "down", "page_up", "page_down"):
            row = layout.row_of(pos)
            if self._goal_x is None:
                self._goal_x = layout.x_of(pos)
            step = {"up": -1, "down": 1}.get(motion) or max(self.scrollable_content_region.height - 2, 1)
            if motion == "page_up":
                step = -step
            target = layout.text_row_after(row, step)
            if target is None:
                target = layout.first_text_row if step < 0 else layout.last_text_row
            return layout.offset_at(target, self._goal_x)
        self._goal_x = None
        line = layout.rows[layout.row_of(pos)]
        target = motion_target(motion, text, pos, line, self._sentences, self._paragraphs)
        return pos if target is None else target

    def action_move(self, motion: str, extend: bool = False) -> None:
        """Move the cursor; extend the selection with shift or in visual mode, else drop it."""
        if extend and self.selection_anchor is None:
            self.selection_anchor, self.inclusive = self.cursor, False
        elif not extend and not self.visual:
            self.selection_anchor = None
        goal = self._goal_x
        self.cursor = self._target(motion)
        if motion not in ("up", "down", "page_up", "page_down"):
            self._goal_x = None
        else:
            self._goal_x = goal if goal is not None else self._goal_x
        self._cursor_changed()

    def action_toggle_select(self) -> None:
        """Start a selection at the cursor (motions extend it), or drop the current one."""
        if self.selection_anchor is not None:
            self.selection_anchor, self.visual = None, False
        else:
            self.selection_anchor, self.visual, self.inclusive = self.cursor, True, True
        self._cursor_changed()

    def _cursor_changed(self, center: bool = False) -> None:
        self._scroll_to_cursor(center)
        self.refresh()
        self.post_message(self.Changed(self, self.cursor, self.selection))

    def _scroll_to_cursor(self, center: bool = False) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:  # not laid out yet: on_resize scrolls
            return
        layout = self._ensure_layout()
        row = layout.row_of(self.cursor)
        top = round(self.scroll_offset.y)
        margin = min(2, height // 4)
        if center and not top <= row < top + height:
            self.scroll_to(y=max(row - height // 3, 0), animate=False, immediate=True)
        elif row < top + margin:
            self.scroll_to(y=max(row - margin, 0), animate=False, immediate=True)
        elif row >= top + height - margin:
            self.scroll_to(y=row - height + margin + 1, animate=False, immediate=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling with the wheel or scrollbar keeps the cursor on screen (unless text is selected)."""
        super().watch_scroll_y(old_value, new_value)
        if self.selection_anchor is not None or self._dragging or self._layout is None:
            return
        layout, height = self._layout, self.scrollable_content_region.height
        top = round(new_value)
        row = layout.row_of(self.cursor)
        if height > 0 and not top <= row < top + height:
            target = layout.nearest_text_row(top, 1) if row < top else layout.nearest_text_row(top + height - 1, -1)
            if target is not None and top <= target < top + height:
                self.cursor = self._on_text(layout.offset_at(target, layout.x_of(self.cursor)), 1)
                self.post_message(self.Changed(self, self.cursor, self.selection))

    # --- mouse ---------------------------------------------------------------------------------------------

    def _offset_at_event(self, event: events.MouseEvent) -> int:
        layout = self._ensure_layout()
        return self._on_text(layout.offset_at(event.y + round(self.scroll_offset.y), event.x), 1)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self.focus()
        self.selection_anchor, self.visual, self.inclusive = None, False, True
        self.cursor = self._offset_at_event(event)
        self._dragging = True
        self.capture_mouse()
        self._cursor_changed()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = self._offset_at_event(event)
        if offset != self.cursor or self.selection_anchor is not None:
            if self.selection_anchor is None:
                self.selection_anchor = self.cursor
            self.cursor = offset
            self._cursor_changed()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    # --- layout and rendering ------------------------------------------------------------------------------

    def _ensure_layout(self) -> StoryLayout:
        """The layout at the width shown, laid out again when the width changes (not before the width is known:
        a long story is laid out once when the reader opens)."""
        width = self.scrollable_content_region.width
        if self._layout is not None and (width <= 0 or self._layout.width == width):
            return self._layout
        self._layout = StoryLayout(self.story, width or 80, self.versions)
        self.virtual_size = Size(self._layout.width, len(self._layout))
        return self._layout

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        self._styles.clear()  # the theme or the CSS changed
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles.pop("", None)  # the base style, looked up once a frame (it walks the widget's ancestors)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        layout = self._ensure_layout()
        index = y + round(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        base = self._style("")
        if index >= len(layout.rows):
            return Strip.blank(width, base)
        row = layout.rows[index]
        segments = [Segment(" " * layout.left, base)]
        if row.is_text and layout.left and (mark := self.overlays.pending_mark(row)):
            segments = [Segment(" " * (layout.left - 1), base), Segment(mark, base + self._style("pending-mark"))]
        if row.kind == "meta":
            segments.append(Segment(row.label, base + self._style("meta")))
        elif row.kind == "title":  # a headline only the metadata holds
            segments.append(Segment(row.label, base + self._style("headline")))
        elif row.is_text:
            if row.prefix:
                segments.append(Segment(row.prefix, base + self._style("bullet")))
            current, selection = self.current_suggestion, self.selection
            segments.extend(
                self.overlays.segments(row, base, self._style, current=current, selection=selection, cursor=self.cursor)
            )
        return Strip(segments).adjust_cell_length(width, base)

    def _style(self, name: str) -> Style:
        """A layer's style ("": the widget's own), looked up once (each lookup resolves CSS)."""
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if not name else self.get_component_rich_style(f"story-view--{name}", partial=True)
            self._styles[name] = style
        return style
