"""RowList: the base of the app's long lists: a header line over rows drawn with the Line API.

Only the rows on screen are rendered, so 100,000 rows cost no more than 30. Subclasses say what the columns are
(`columns`, `header`) and what a row shows (`cells`, and a dimmer second line, `detail`, while `row_height` is 2);
the cursor, scrolling, paging and clicks are here.
Subclasses bind keys to `move`, `page`, `jump` and `open` with their own binding ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from stories.text import clean_line

__all__ = ["Column", "RowList", "navigation_bindings"]

_GAP = 2
#: The fewest cells a row's second line is given under the headline; else it starts near the left edge.
DETAIL_MIN = 50


#: (keys, action, id suffix, description with "{}" for the row's noun, tooltip) of each key that moves the highlight.
_NAVIGATION = (
    ("down,j", "move(1)", "down", "Next {}", "Highlight the next {}"),
    ("up,k", "move(-1)", "up", "Previous {}", "Highlight the previous {}"),
    ("pagedown", "page(1)", "page_down", "Page down", "Down a page"),
    ("pageup", "page(-1)", "page_up", "Page up", "Up a page"),
    ("home,g", "jump(0)", "first", "First {}", "Highlight the first {}"),
    ("end,G", "jump(-1)", "last", "Last {}", "Highlight the last {}"),
)


def navigation_bindings(prefix: str, noun: str) -> list[Binding]:
    """The keys that move the highlight in a row list, with ids `PREFIX.down`, `PREFIX.up`… for the keymap;
    `noun` names a row in the help ("story")."""
    return [
        Binding(keys, action, text.format(noun), show=False, id=f"{prefix}.{suffix}", tooltip=tip.format(noun))
        for keys, action, suffix, text, tip in _NAVIGATION
    ]


class Column(NamedTuple):
    """A column: its width (0: a share of what the fixed columns leave), alignment, share, and when it goes on a
    narrow screen: `drop` 0 never, else 1 first, 2 next… while the first flexible column is under `FLEX_MIN`."""

    width: int = 0
    right: bool = False
    share: int = 1
    drop: int = 0


#: The columns shown at one width (their indices, themselves) and their widths.
_Layout = tuple[list[int], list[Column], list[int]]


class RowList(ScrollView, can_focus=True):
    """A header line and a row per item; Enter or a click on the highlighted row calls `open_row`."""

    COMPONENT_CLASSES = {
        "row-list--header",
        "row-list--cursor",
        "row-list--dim",
        "row-list--odd",
        "row-list--detail",
        "row-list--mark",
    }

    DEFAULT_CSS = """
    RowList {
        background: $surface;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        & > .row-list--header { text-style: bold; background: $panel; }
        & > .row-list--cursor { background: $block-cursor-blurred-background; }
        & > .row-list--dim { color: $text-muted; }
        & > .row-list--odd { background: $surface-lighten-1 20%; }
        & > .row-list--detail { color: $text-muted; }
        & > .row-list--mark { color: $text-accent; text-style: bold; }
        &:focus > .row-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    _had_rows = False  # whether the footer was last built with rows to open

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._styles: dict[tuple[object, ...], Style] = {}  # see `_style`
        self._layouts: dict[
            tuple[int, tuple[Column, ...]], tuple[list[int], list[Column], list[int]]
        ] = {}  # see `_layout`

    @dataclass
    class Edge(Message):
        """A move by one row went past the first row (`up`) or the last: the screen may pass the focus on."""

        row_list: RowList
        up: bool

    #: Columns drawn dim (e.g. ids), by their index in `columns()`.
    DIM_COLUMNS: frozenset[int] = frozenset()
    #: The width the first flexible column (a headline, a name) keeps: droppable columns go until it has it.
    FLEX_MIN = 0

    # --- for subclasses ----------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def header(self) -> list[str]:
        raise NotImplementedError

    def cells(self, index: int) -> list[str]:
        raise NotImplementedError

    def open_row(self, index: int) -> None:
        """Enter (or a click on the highlighted row) on row `index`."""

    @property
    def row_height(self) -> int:
        """Lines per row: 1, or 2 when each row has a `detail` line under it (the same for every row)."""
        return 1

    def detail(self, index: int) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A row's second line while `row_height` is 2, and the spans of it to highlight."""
        return "", ()

    # --- content -----------------------------------------------------------------------------------------

    def rows_changed(self, cursor: int = 0) -> None:
        """Call after the rows change: resize the scroll area and put the cursor on row `cursor`."""
        self._set_virtual_height(self.row_count * self.row_height + 1)
        self.cursor = cursor
        self.refresh()
        if (self.row_count > 0) != self._had_rows:  # "Open" shows only when there is a row to open
            self._had_rows = self.row_count > 0
            self.refresh_bindings()  # (the footer is built anew: not on every change)

    def _set_virtual_height(self, height: int) -> None:
        """Resize the scroll area (a layout pass: only when the height changes)."""
        size = Size(self.size.width, height)
        if size != self.virtual_size:
            self.virtual_size = size

    def line_text(self, index: int, width: int = 120) -> str:
        """The plain text of a row as shown at `width` (for tests and screen readers)."""
        return "".join(seg.text for seg in self._segments(self.cells(index), width, Style(), Style()))

    def shown_header(self) -> list[str]:
        """The column headings shown at the list's width now (narrow screens drop some columns)."""
        shown = self._shown(self.scrollable_content_region.width)
        return [heading for i, heading in enumerate(self.header()) if i in shown]

    def _shown(self, width: int) -> list[int]:
        """Indices of the columns shown at `width`: the droppable ones go, in order, while the first flexible
        column is narrower than FLEX_MIN."""
        columns = self.columns()
        shown = list(range(len(columns)))
        for i in sorted((i for i, c in enumerate(columns) if c.drop), key=lambda i: columns[i].drop):
            kept = [columns[j] for j in shown]
            first_flexible = next((w for w, c in zip(self._widths(width, kept), kept, strict=True) if not c.width), 0)
            if first_flexible >= self.FLEX_MIN:
                break
            shown.remove(i)
        return shown

    def region_of_row(self, index: int) -> Region | None:
        """Where a row's first line is on screen (for tests); None if it is scrolled away."""
        y = index * self.row_height + 1 - round(self.scroll_offset.y)
        return Region(0, y, self.size.width, 1) if 1 <= y < self.size.height else None

    # --- moving ------------------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        height, lines = self.scrollable_content_region.height - 1, self.row_height
        if height > 0:
            top, first = round(self.scroll_offset.y), new * lines
            if first < top:
                self.scroll_to(y=first, animate=False, immediate=True)
            elif first + lines > top + height:
                self.scroll_to(y=first + lines - height, animate=False, immediate=True)
        self.refresh()

    def action_move(self, step: int) -> None:
        if not 0 <= self.cursor + step < self.row_count:
            self.post_message(self.Edge(self, up=step < 0))
        self.cursor += step

    def action_page(self, direction: int) -> None:
        rows = (self.scrollable_content_region.height - 1) // self.row_height
        self.cursor += direction * max(rows - 1, 1)

    def action_jump(self, where: int) -> None:
        self.cursor = 0 if where == 0 else self.row_count - 1

    def action_open(self) -> None:
        if 0 <= self.cursor < self.row_count:
            self.open_row(self.cursor)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "Open" leaves the footer while there is nothing to open.
        return self.row_count > 0 if action == "open" else True

    def on_click(self, event: events.Click) -> None:
        row = (event.y - 1 + round(self.scroll_offset.y)) // self.row_height
        if event.y == 0 or not 0 <= row < self.row_count:
            return
        if row == self.cursor or event.chain > 1:
            self.cursor = row
            self.action_open()
        else:
            self.cursor = row

    # --- rendering ---------------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, self.row_count * self.row_height + 1)  # (a layout pass: resized)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, *names: str) -> Style:
        """The widget's style with these component classes' added, worked out once per style update and focus
        (every visible line asks for them)."""
        key = (self.has_focus, *names)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            for name in names:
                style += self.get_component_rich_style(name, partial=True)
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            header = self._style("row-list--header")
            return Strip(self._segments(self.header(), width, header, header)).adjust_cell_length(width, header)
        index, line = divmod(y - 1 + round(self.scroll_offset.y), self.row_height)
        if index >= self.row_count:
            return Strip.blank(width, self._style())
        parts = (("row-list--odd",) if index % 2 else ()) + (("row-list--cursor",) if index == self.cursor else ())
        style = self._style(*parts)
        if line:
            return self._detail_strip(index, width, style, parts)
        dim = self._style(*parts, "row-list--dim")
        return Strip(self._segments(self.cells(index), width, style, dim)).adjust_cell_length(width, style)

    def _detail_strip(self, index: int, width: int, style: Style, parts: tuple[str, ...]) -> Strip:
        """A row's second line, under the first flexible column (a headline) when that leaves it DETAIL_MIN cells,
        its marks highlighted; a line too long for the row is cut around its first mark."""
        raw, marks = self.detail(index)
        text = clean_line(raw)  # from outside: never a control character on screen
        marks = marks if text == raw else ()  # cleaning moved the characters: the marks no longer fit
        _, kept, widths = self._layout(width)
        indent = 1
        for w, column in zip(widths, kept, strict=True):
            if not column.width:
                break
            indent += w + _GAP
        indent = indent if width - indent >= DETAIL_MIN else 3
        room = max(width - indent - 1, 1)
        dim = self._style(*parts, "row-list--detail")
        mark = self._style(*parts, "row-list--detail", "row-list--mark")
        line = Text(text, style=dim, no_wrap=True, end="")
        for start, end in marks:
            line.stylize(mark, start, end)
        if line.cell_len > room and marks and marks[0][1] > room * 2 // 3:
            cut = min(marks[0][0] - room // 3, len(text) - room + 1)
            space = text.find(" ", cut, marks[0][0])
            cut = space + 1 if space >= 0 else cut  # at a word's start
            line = Text("…", style=dim, end="") + line[max(cut, 1) :]
        line.truncate(room, overflow="ellipsis")
        segments = [Segment(" " * indent, style), *line.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, style)

    def _layout(self, width: int) -> _Layout:
        """The columns shown at `width` (their indices, themselves) and their widths, worked out once a width and set
        of columns (a column may come or go: the story list's Source column)."""
        columns = tuple(self.columns())
        key = (width, columns)
        if key not in self._layouts:
            visible = self._shown(width)
            kept = [c for i, c in enumerate(columns) if i in visible]
            self._layouts = {key: (visible, kept, self._widths(width, kept))}
        return self._layouts[key]

    @staticmethod
    def _widths(width: int, columns: list[Column]) -> list[int]:
        fixed = sum(c.width for c in columns) + _GAP * len(columns)
        flexible_columns = [c for c in columns if not c.width]
        shares = sum(c.share for c in flexible_columns) or 1
        flexible = max(width - fixed - 1, 12 * len(flexible_columns))
        return [c.width or flexible * c.share // shares for c in columns]

    def _segments(self, cells: list[str], width: int, style: Style, dim: Style) -> list[Segment]:
        segments = [Segment(" ", style)]
        visible, kept, widths = self._layout(width)
        columns = zip(visible, [cells[i] for i in visible], widths, kept, strict=True)
        for i, cell, cell_width, column in columns:
            cell = clean_line(cell)  # names and notes typed anywhere: never a control character on screen
            if column.right:
                shown = cell.rjust(cell_width)[-cell_width:]
            elif cell.isascii() and cell_width > 0:  # one cell a character: as `Text.truncate` below, faster
                shown = cell.ljust(cell_width) if len(cell) <= cell_width else cell[: cell_width - 1] + "…"
            else:
                text = Text(cell, no_wrap=True)
                text.truncate(cell_width, overflow="ellipsis", pad=True)
                shown = text.plain
            segments.append(Segment(shown, dim if i in self.DIM_COLUMNS else style))
            segments.append(Segment(" " * _GAP, style))
        return segments
