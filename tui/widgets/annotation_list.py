"""AnnotationList: the rows of the annotation panel, drawn with the Line API; a click jumps to one, Enter edits it.

It looks and moves like Textual's OptionList (same component classes, same keys), but its rows are kept in order
by a sort key and are inserted, replaced and removed one at a time: a save renders the one row it changed, and
only the rows on screen are drawn. OptionList measures and renders every option again when one is added.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from rich.console import RenderableType
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import visualize

__all__ = ["AnnotationList"]

#: How many widths the rows are kept measured at (the list's width, and without its scrollbar).
_WIDTHS_KEPT = 3


@dataclass(frozen=True)
class _Row:
    key: Any  # the sort key: rows are kept in its order
    id: str
    prompt: RenderableType


class AnnotationList(ScrollView, can_focus=True):
    """Rows `(sort key, id, prompt)` kept in key order. Up/down/home/end/page keys move the highlight (posting
    `Highlighted`), a click posts `Highlighted` and `Selected`, Enter posts `Edit`, Escape posts `Leave`."""

    BINDINGS = [
        Binding("down", "cursor_down", "Next", show=False, id="panel.down", tooltip="Highlight the next annotation"),
        Binding("up", "cursor_up", "Previous", show=False, id="panel.up", tooltip="Highlight the previous annotation"),
        Binding("home", "first", "First", show=False, id="panel.first", tooltip="Highlight the first annotation"),
        Binding("end", "last", "Last", show=False, id="panel.last", tooltip="Highlight the last annotation"),
        Binding("pagedown", "page_down", "Page down", show=False, id="panel.page_down", tooltip="Down a page"),
        Binding("pageup", "page_up", "Page up", show=False, id="panel.page_up", tooltip="Up a page"),
        Binding("enter", "edit", "Edit", show=False, id="panel.edit", tooltip="Edit the highlighted annotation"),
        Binding("escape", "leave", "Back to text", show=False, id="panel.leave", tooltip="Back to the story text"),
    ]

    COMPONENT_CLASSES = {"option-list--option", "option-list--option-highlighted", "option-list--option-hover"}

    # OptionList's look, rule for rule
    DEFAULT_CSS = """
    AnnotationList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .option-list--option-highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .option-list--option-hover {
            background: $block-hover-background;
        }
    }
    """

    @dataclass
    class Highlighted(Message):
        """The keyboard or the mouse moved the highlight to a row."""

        row_id: str

    @dataclass
    class Selected(Message):
        """A row was clicked."""

        row_id: str

    @dataclass
    class Edit(Message):
        """Enter on a row."""

        ann_id: str

    class Leave(Message):
        """Escape: the user is done with the list."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: list[_Row] = []
        self._keys: list[Any] = []  # the rows' sort keys, for bisecting
        self._by_id: dict[str, _Row] = {}
        self._heights: dict[int, list[int | None]] = {}  # width -> each row's height there (None: to measure)
        self._tops: list[int] | None = None  # the first line of each row at the drawn width (None: to compute)
        self._strips: dict[tuple[str, str, int], list[Strip]] = {}  # (id, state, width) -> the row's lines
        self.highlighted_id: str | None = None
        self._hover_id: str | None = None

    # --- the rows -----------------------------------------------------------------------------------------------

    @property
    def row_ids(self) -> list[str]:
        """The rows' ids, in order."""
        return [row.id for row in self._rows]

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def prompt(self, row_id: str) -> RenderableType:
        """What the row shows."""
        return self._by_id[row_id].prompt

    def index(self, row_id: str | None) -> int | None:
        """The position of the row with this id, or None."""
        row = self._by_id.get(row_id) if row_id is not None else None
        if row is None:
            return None
        i = bisect.bisect_left(self._keys, row.key)
        while self._rows[i] is not row:
            i += 1
        return i

    @property
    def highlighted(self) -> int | None:
        """The position of the highlighted row, or None."""
        return self.index(self.highlighted_id)

    def clear_rows(self) -> None:
        """Remove every row."""
        self._rows, self._keys, self._by_id = [], [], {}
        self._heights = {width: [] for width in self._heights}
        self._strips.clear()
        self.highlighted_id = self._hover_id = None
        self._changed()

    def put_row(self, key: Hashable, row_id: str, prompt: RenderableType) -> None:
        """Insert a row in key order, or replace the one with this id (moving it if its key changed)."""
        old = self._by_id.get(row_id)
        if old is not None:
            self._forget_strips(row_id)
            if old.key == key:
                i = self.index(row_id)
                assert i is not None
                self._rows[i] = self._by_id[row_id] = _Row(key, row_id, prompt)
                for width, heights in self._heights.items():
                    heights[i] = self._measure(self._rows[i], width) if width == self._width else None
                self._changed()
                return
            self._drop(row_id)
        row = _Row(key, row_id, prompt)
        i = bisect.bisect_right(self._keys, key)
        self._rows.insert(i, row)
        self._keys.insert(i, key)
        self._by_id[row_id] = row
        for width, heights in self._heights.items():
            heights.insert(i, self._measure(row, width) if width == self._width else None)
        self._changed()

    def remove_row(self, row_id: str) -> None:
        """Remove the row with this id (if there is one)."""
        if row_id in self._by_id:
            self._forget_strips(row_id)
            self._drop(row_id)
            self._changed()
            if self.highlighted_id == row_id:
                self.highlighted_id = None
            if self._hover_id == row_id:
                self._hover_id = None

    def _drop(self, row_id: str) -> int:
        i = self.index(row_id)
        assert i is not None
        del self._rows[i], self._keys[i], self._by_id[row_id]
        for heights in self._heights.values():
            del heights[i]
        return i

    def _forget_strips(self, row_id: str) -> None:
        for state in ("", "highlighted", "hover"):
            for width in self._heights:
                self._strips.pop((row_id, state, width), None)

    def _changed(self) -> None:
        """Rows were added, replaced or removed: their positions are computed again, the list drawn again."""
        self._tops = None
        if self._width > 0 and (height := self._lines()[-1]) != self.virtual_size.height:
            self.virtual_size = Size(self._width, height)
            self.refresh(layout=self.styles.auto_dimensions)
        self.refresh()

    # --- measuring and drawing ----------------------------------------------------------------------------------

    @property
    def _width(self) -> int:
        return self.scrollable_content_region.width

    def _measure(self, row: _Row, width: int) -> int:
        """The row's height at `width` (its lines are kept for drawing)."""
        return len(self._render_row(row, "", width))

    def _heights_at(self, width: int) -> list[int]:
        """Each row's height at `width`, measured once per width (a row put while another width was drawn is
        measured at this one when it is asked for)."""
        heights = self._heights.get(width)
        if heights is None:
            while len(self._heights) >= _WIDTHS_KEPT:
                gone = next(iter(self._heights))
                del self._heights[gone]
                self._strips = {key: strips for key, strips in self._strips.items() if key[2] != gone}
            heights = self._heights[width] = [None] * len(self._rows)
        if None in heights:
            for i, height in enumerate(heights):
                if height is None:
                    heights[i] = self._measure(self._rows[i], width)
        return heights  # type: ignore[return-value]  # no None is left

    def _lines(self) -> list[int]:
        """The first line of each row at the drawn width, with the total height last."""
        if self._tops is None or len(self._tops) != len(self._rows) + 1:
            self._tops = [0, *itertools.accumulate(self._heights_at(self._width))]
        return self._tops

    def _style(self, state: str) -> Any:
        if state:
            return self.get_visual_style("option-list--option", f"option-list--option-{state}")
        return self.get_visual_style("option-list--option")

    def _render_row(self, row: _Row, state: str, width: int) -> list[Strip]:
        key = (row.id, state, width)
        if (strips := self._strips.get(key)) is None:
            style = self._style(state)
            visual = visualize(self, row.prompt, markup=False)
            rendered = visual.to_strips(self, visual, width, None, style)
            meta = {"row": row.id}
            strips = [strip.extend_cell_length(width, style.rich_style).apply_meta(meta) for strip in rendered]
            self._strips[key] = strips
        return strips

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(self._heights_at(width))

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def on_resize(self, event: events.Resize) -> None:
        self._changed()

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar came or went: the rows are narrower or wider (no Resize says so)."""
        self._changed()

    def notify_style_update(self) -> None:
        self._strips.clear()  # the theme or a class changed: rows are drawn again (their heights stay)
        self.refresh()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        tops = self._lines()
        if self.virtual_size.height != tops[-1]:
            self.virtual_size = Size(self._width, tops[-1])
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_offset.y) + y
        tops, width = self._lines(), self._width
        if not 0 <= line < tops[-1]:
            return Strip.blank(width, self._style("").rich_style)
        i = bisect.bisect_right(tops, line) - 1
        row = self._rows[i]
        state = "highlighted" if row.id == self.highlighted_id else "hover" if row.id == self._hover_id else ""
        strips = self._render_row(row, state, width)
        offset = line - tops[i]
        return strips[offset] if offset < len(strips) else Strip([Segment(" " * width)])

    # --- the highlight ------------------------------------------------------------------------------------------

    def highlight(self, row_id: str | None, *, post: bool = False) -> None:
        """Highlight the row with this id (None: none) and scroll it into view; `post`: say so (`Highlighted`)."""
        if row_id is not None and row_id not in self._by_id:
            row_id = None
        changed = row_id != self.highlighted_id
        self.highlighted_id = row_id
        if changed:
            self.refresh()
        if row_id is not None:
            self.scroll_to_highlight()
            if post:
                self.post_message(self.Highlighted(row_id))

    def scroll_to_highlight(self) -> None:
        """Scroll so the highlighted row is shown whole (if it fits)."""
        i = self.highlighted
        if i is None or not self.is_mounted or self._width <= 0:
            return
        tops = self._lines()
        region = Region(0, tops[i], self._width, tops[i + 1] - tops[i])
        self.scroll_to_region(region, force=True, animate=False, immediate=True)

    def _move_to(self, i: int | None) -> None:
        if i is not None and self._rows:
            self.highlight(self._rows[i].id, post=True)

    def action_cursor_down(self) -> None:
        i = self.highlighted
        self._move_to(0 if i is None else (i + 1) % max(len(self._rows), 1))

    def action_cursor_up(self) -> None:
        i = self.highlighted
        self._move_to(len(self._rows) - 1 if i is None else (i - 1) % max(len(self._rows), 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._rows) - 1)

    def _move_page(self, direction: int) -> None:
        tops = self._lines()
        line = tops[self.highlighted or 0] + direction * self.scrollable_content_region.height
        line = max(0, min(line, tops[-1] - 1))
        self._move_to(bisect.bisect_right(tops, line) - 1)

    def action_page_down(self) -> None:
        self.action_last() if self.highlighted is None else self._move_page(1)

    def action_page_up(self) -> None:
        self.action_first() if self.highlighted is None else self._move_page(-1)

    def action_edit(self) -> None:
        if self.highlighted_id is not None:
            self.post_message(self.Edit(self.highlighted_id))

    def action_leave(self) -> None:
        self.post_message(self.Leave())

    # --- the mouse ----------------------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        row_id = event.style.meta.get("row")
        if row_id is not None and row_id in self._by_id:
            self.highlight(row_id, post=row_id != self.highlighted_id)
            self.post_message(self.Selected(row_id))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row_id = event.style.meta.get("row")
        if row_id != self._hover_id:
            self._hover_id = row_id
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover_id is not None:
            self._hover_id = None
            self.refresh()
