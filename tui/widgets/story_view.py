"""StoryView: a story, formatted, with a keyboard cursor, selection and annotations drawn in place.

A Line API widget: only the rows on screen are rendered. Offsets are code points of the story's canonical
text; the layout maps them to rows. Motions follow vim where vim has a key for them (`w`, `b`, `e`, `(`,
`)`, `{`, `}`, `v`); `"`, `.` and `%` select a quotation, a sentence or whole words (rules in `stories.text`).
Suggestions not yet judged are drawn dim and underlined, with a marker in the margin (◌ where one starts, ┊ on
its other rows), under any annotation's own style; the current one is drawn bold.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.model import Annotation
from annotations.suggest import Suggestion
from stories.model import Story
from stories.quotations import quotation_span, quote_pairs
from stories.text import (
    SEARCH_FOLD,
    is_word_char,
    next_offset,
    next_word_start,
    prev_offset,
    prev_word_start,
    search_folded,
    sentence_span,
    sentence_starts,
    widen_to_words,
    word_end,
)
from tui.desk import desk
from tui.text_layout import Row, SpanIndex, StoryLayout

__all__ = ["StoryView"]

_KIND_ORDER = {"claim": 0, "quote": 1, "actor": 2}


def _motion(keys: str, motion: str, description: str, shift_keys: str = "") -> list[Binding]:
    """Bindings for a motion, and for `shift_keys` that extend the selection with the same motion."""
    bindings = [Binding(keys, f"move('{motion}')", description, show=False, id=f"view.{motion}")]
    if shift_keys:
        extend = f"move('{motion}', True)"
        tip = f"Extend the selection: {description.lower()}"
        bindings.append(Binding(shift_keys, extend, description, show=False, tooltip=tip, id=f"view.select.{motion}"))
    return bindings


def _selector(key: str, kind: str, description: str, what: str) -> Binding:
    """A binding that selects `what` around the cursor, or widens the selection (see `action_select_span`)."""
    tip = f"Select {what}"
    return Binding(key, f"select_span('{kind}')", description, show=False, id=f"view.select_{kind}", tooltip=tip)


class StoryView(ScrollView, can_focus=True):
    """The reader's text: cursor, selection, find matches and annotations."""

    BINDINGS = [
        *_motion("left,h", "left", "Character left", "shift+left"),
        *_motion("right,l", "right", "Character right", "shift+right"),
        *_motion("up,k", "up", "Line up", "shift+up"),
        *_motion("down,j", "down", "Line down", "shift+down"),
        *_motion("w", "word", "Next word start"),
        *_motion("b", "back", "Previous word start"),
        *_motion("e", "word_end", "Word end"),
        *_motion(")", "sentence", "Next sentence"),
        *_motion("(", "sentence_back", "Previous sentence"),
        *_motion("}", "paragraph", "Next paragraph"),
        *_motion("{", "paragraph_back", "Previous paragraph"),
        *_motion("home", "home", "Line start", "shift+home"),
        *_motion("end", "end", "Line end", "shift+end"),
        *_motion("pageup", "page_up", "Page up"),
        *_motion("pagedown", "page_down", "Page down"),
        *_motion("g", "top", "Top of story"),
        *_motion("G", "bottom", "End of story"),
        Binding(
            "v",
            "toggle_select",
            "Select",
            id="view.toggle_select",
            tooltip="Start a selection at the cursor, or drop it",
        ),
        _selector(
            "quotation_mark", "quote", "Quotation", "the words inside the quotation (again: with its marks, then wider)"
        ),
        _selector("full_stop", "sentence", "Sentence", "the sentence (again: add the next sentence)"),
        _selector("percent_sign", "words", "Whole words", "whole words: widen the selection so it cuts no word"),
    ]

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
        self._folded = search_folded(story.text)
        self._exact: str | None = None  # the text quote- and dash-folded, case kept: for a query with capitals
        self._sentences = sentence_starts(story.text, [(b.start, b.end) for b in story.blocks])
        self._paragraphs = [start for start, _ in story.paragraphs()]
        styled = [(b.start, b.end, b.kind) for b in story.blocks if b.kind in ("headline", "standfirst", "dateline")]
        self._styled_blocks = SpanIndex(styled)
        self._annotation_index: SpanIndex[Annotation] = SpanIndex([])
        self._match_index: SpanIndex[None] = SpanIndex([])
        self._suggestion_index: SpanIndex[Suggestion] = SpanIndex([])
        self.suggestions: list[Suggestion] = []
        self.current_suggestion: Suggestion | None = None
        self._quotes: list[tuple[int, int]] | None = None
        self._quote_step: tuple[int, int] | None = None  # what the quote key selected last (pressing again widens)
        self._layout: StoryLayout | None = None
        self.annotations: list[Annotation] = []
        self.matches: list[tuple[int, int]] = []
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

    def set_annotations(self, annotations: Iterable[Annotation]) -> None:
        """Replace the annotations drawn in the text."""
        self.annotations = sorted(annotations, key=lambda a: (a.start, -a.end))
        self._annotation_index = SpanIndex([(a.start, a.end, a) for a in self.annotations])
        self.refresh()

    def annotations_at(self, offset: int) -> list[Annotation]:
        """Annotations covering `offset`, innermost (shortest) first."""
        found = [a for _, _, a in self._annotation_index.overlapping(offset, offset + 1)]
        return sorted(found, key=lambda a: (a.end - a.start, a.start))

    def set_suggestions(self, suggestions: Iterable[Suggestion], current: Suggestion | None = None) -> None:
        """Replace the pending suggestions drawn in the text; `current`: the one drawn highlighted."""
        self.suggestions = sorted(suggestions, key=lambda s: (s.start, -s.end))
        self._suggestion_index = SpanIndex([(s.start, s.end, s) for s in self.suggestions])
        self.current_suggestion = current
        self.refresh()

    def suggestions_at(self, offset: int) -> list[Suggestion]:
        """Suggestions covering `offset`, innermost (shortest) first."""
        found = [s for _, _, s in self._suggestion_index.overlapping(offset, offset + 1)]
        return sorted(found, key=lambda s: (s.end - s.start, s.start))

    def set_matches(self, spans: list[tuple[int, int]]) -> None:
        """Find matches to highlight."""
        self.matches = spans
        self._match_index = SpanIndex([(s, e, None) for s, e in spans])
        self.refresh()

    def paragraph_index(self, offset: int) -> int:
        """The index of the paragraph holding `offset` (a separator counts with the paragraph before it)."""
        return max(bisect.bisect_right(self._paragraphs, offset) - 1, 0)

    def find(self, query: str, *, whole_words: bool = False) -> list[tuple[int, int]]:
        """Every match of `query`, straight quotes matching curly ones. Smart case, as in vim: a query all in lower
        case matches any case, one with a capital matches its exact case (`US` is not the "us" of "Russia").
        `whole_words`: only where the query's first and last words are whole words of the text."""
        query = " ".join(query.split())
        if any(c.isupper() for c in query):
            if self._exact is None:
                self._exact = self.story.text.translate(SEARCH_FOLD)
            haystack, needle = self._exact, query.translate(SEARCH_FOLD)
        else:
            haystack, needle = self._folded, search_folded(query)
        if not needle:
            return []
        text, spans, i = self.story.text, [], haystack.find(needle)
        while i != -1:
            end = i + len(needle)
            if not whole_words or _whole_words_at(text, i, end):
                spans.append((i, end))
            i = haystack.find(needle, i + 1)
        return spans

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
        """The nearest offset at or beyond `pos` (in `direction`) that is not a paragraph separator."""
        text = self.story.text
        pos = max(0, min(pos, len(text) - 1))
        while 0 <= pos < len(text) and text[pos] == "\n":
            pos += direction
        if not 0 <= pos < len(text):
            return self._on_text(pos - direction, -direction)
        return pos

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
        targets = {
            "left": lambda: self._on_text(pos - 1, -1),
            "right": lambda: self._on_text(pos + 1, 1),
            "word": lambda: self._on_text(next_word_start(text, pos), 1),
            "back": lambda: self._on_text(prev_word_start(text, pos), -1),
            "word_end": lambda: self._on_text(word_end(text, pos), 1),
            "sentence": lambda: next_offset(self._sentences, pos),
            "sentence_back": lambda: prev_offset(self._sentences, pos),
            "paragraph": lambda: next_offset(self._paragraphs, pos),
            "paragraph_back": lambda: prev_offset(self._paragraphs, pos),
            "home": lambda: line.start,
            "end": lambda: _row_last(text, line),
            "top": lambda: 0,
            "bottom": lambda: self._on_text(len(text) - 1, -1),
        }
        target = targets[motion]()
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

    def render_line(self, y: int) -> Strip:
        layout = self._ensure_layout()
        index = y + round(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(layout.rows):
            return Strip.blank(width, base)
        row = layout.rows[index]
        segments = [Segment(" " * layout.left, base)]
        if row.is_text and layout.left and (mark := self._pending_mark(row)):
            segments = [Segment(" " * (layout.left - 1), base), Segment(mark, base + self._style("pending-mark"))]
        if row.kind == "meta":
            segments.append(Segment(row.label, base + self._style("meta")))
        elif row.kind == "title":  # a headline only the metadata holds
            segments.append(Segment(row.label, base + self._style("headline")))
        elif row.is_text:
            if row.prefix:
                segments.append(Segment(row.prefix, base + self._style("bullet")))
            segments.extend(self._text_segments(row, base))
        return Strip(segments).adjust_cell_length(width, base)

    def _pending_mark(self, row: Row) -> str:
        """The margin marker of a row: ◌ if a suggestion starts on it, ┊ if one runs through it, else ""."""
        here = list(self._suggestion_index.overlapping(row.start, row.end))
        if not here:
            return ""
        return "◌" if any(row.start <= s < row.end for s, _, _ in here) else "┊"

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"story-view--{name}", partial=True)

    def _text_segments(self, row: Row, base: Style) -> list[Segment]:
        """The row's text cut where any style changes, each piece with its combined style."""
        start, end = row.start, row.end
        layers: list[tuple[int, int, Style]] = []

        def add(s: int, e: int, style: Style) -> None:
            s, e = max(s, start), min(e, end)
            if s < e:
                layers.append((s, e, style))

        for s, e, kind in self._styled_blocks.overlapping(start, end):
            add(s, e, self._style(kind))
        current = self.current_suggestion
        for s, e, suggestion in self._suggestion_index.overlapping(start, end):
            if suggestion != current:
                add(s, e, self._style("pending"))
        if current is not None:
            add(current.start, current.end, self._style("pending-current"))
        here = [ann for _, _, ann in self._annotation_index.overlapping(start, end)]
        undimmed = Style(dim=False)  # a suggestion inside or around a tag never hides the tag's own style
        for ann in sorted(here, key=lambda a: _KIND_ORDER.get(a.kind, 9)):
            add(ann.start, ann.end, self._style(ann.kind) + undimmed)
        for s, e, _ in self._match_index.overlapping(start, end):
            add(s, e, self._style("match"))
        if (sel := self.selection) is not None:
            add(sel[0], sel[1], self._style("selection"))
        add(self.cursor, self.cursor + 1, self._style("cursor"))
        cuts = sorted({start, end, *(p for s, e, _ in layers for p in (s, e))})
        text = self.story.text
        out = []
        for a, b in itertools.pairwise(cuts):
            style = base
            for s, e, layer in layers:
                if s <= a < e:
                    style += layer
            out.append(Segment(text[a:b], style))
        return out


def _whole_words_at(text: str, start: int, end: int) -> bool:
    """True if text[start:end] cuts no word: where it begins and ends with a letter or digit, none is next to it."""
    before = start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1])
    after = end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end])
    return not before and not after


def _row_last(text: str, row: Row) -> int:
    """The last non-space character of a row."""
    last = row.end - 1
    while last > row.start and text[last] == " ":
        last -= 1
    return last
