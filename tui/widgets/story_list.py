"""StoryList: the library's stories, one row each (id, date, agency, headline, tag counts), or a search's hits
ranked, each with its snippet on a second line. An unread story's row is bold, its headline after a dot (`●`).

When the stories change (new ones arrive), the highlighted story stays highlighted and keeps its line on screen:
rows that arrive above it scroll in above the view, unless the view is at the top of the list and the
highlighted row stays in view below them (then they are shown, at the top).

The words filter matches a haystack per story (id, headline, agency, section, authors) built once per
`set_entries`; a filter that extends the previous one (a word typed on) only looks at the stories it kept, their
haystacks and rows kept beside them (narrowed in C: `map` and `compress`, no Python loop per story). The cells of
the rows drawn are kept until the next `set_entries` (a key typed redraws the rows still listed).
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
from operator import contains

from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip

from annotations.model import KINDS
from annotations.search import Hit
from annotations.store import StoryEntry
from tui.story_text import list_date
from tui.widgets.row_list import Column, RowList, navigation_bindings

__all__ = ["StoryList"]

_ID, _DATE, _AGENCY, _COUNT = 8, 11, 14, 3
_SOURCE = 12
#: From how many stories the haystacks are built in the background after `set_entries`.
BACKGROUND_HAYSTACKS = 20_000
#: How many rows' cells are kept (a few screenfuls): see `cells`.
CELLS_KEPT = 400
#: Before an unread story's headline.
UNREAD_MARK = "●"


class StoryList(RowList):
    """A row per story; Enter (or a click on the highlighted row) opens it. `filter()` narrows the rows."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="library.open", tooltip="Read the highlighted story"),
        *navigation_bindings("library", "story"),
    ]

    DIM_COLUMNS = frozenset({0})
    FLEX_MIN = 40

    COMPONENT_CLASSES = RowList.COMPONENT_CLASSES | {"story-list--unread"}
    DEFAULT_CSS = """
    StoryList > .story-list--unread { text-style: bold; }
    """

    #: What day it is: dates of this year are shown without their year.
    clock: Callable[[], date] = staticmethod(date.today)

    @dataclass
    class Opened(Message):
        """The user chose a story to read."""

        story_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[StoryEntry] = []
        self._rows: list[StoryEntry] = []
        self._counts: Callable[[str], Counter[str]] | None = None
        self._to_review: Callable[[str], int] | None = None
        self._unread: Collection[str] = ()
        self._unread_style: Style | None = None  # the unread rows' style (bold), worked out once a style update
        self._words: list[str] = []
        self._allows: Callable[[str], bool] | None = None
        self._today = self.clock()
        self._haystacks: list[str] | None = None  # per entry, built on the first words filter after set_entries
        self._kept: list[int] | None = None  # indices into _entries that the words and `allows` let through
        self._kept_hay: list[str] | None = None  # their haystacks, when the words filter made `_kept`
        self._cells: dict[str, list[str]] = {}  # story id -> its cells, for the rows drawn lately
        self._hits: list[Hit] | None = None  # a search's hits, best first, shown instead of the filtered list
        self._by_id: dict[str, StoryEntry] | None = None
        #: story id -> the live source it came from; the Source column shows only when some story has one
        self.sources: Mapping[str, str] = {}

    # --- content -----------------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def shown(self) -> int:
        """How many stories the filter lets through."""
        return len(self._rows)

    @property
    def shown_entries(self) -> list[StoryEntry]:
        """The stories the filter lets through, as listed."""
        return list(self._rows)

    @property
    def total(self) -> int:
        """How many stories there are (the newest version standing for each story)."""
        return len(self._entries)

    @property
    def row_height(self) -> int:
        return 1 if self._hits is None else 2

    @property
    def hits(self) -> list[Hit] | None:
        """The search hits shown (best first), or None while the list shows stories by date."""
        return self._hits

    @property
    def highlighted(self) -> StoryEntry | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_entries(
        self,
        entries: list[StoryEntry],
        counts: Callable[[str], Counter[str]] | None,
        to_review: Callable[[str], int] | None = None,
        unread: Collection[str] = (),
    ) -> None:
        """Show these stories (newest first), keeping the highlighted story highlighted, on its line on screen
        (see the module's docstring).

        `counts` gives a story's annotation counts by kind, asked only for the rows drawn; None: the annotations are
        still being read, the count columns show "…". `to_review`: how many carried annotations of a story wait
        for review (shown before its headline), asked likewise. `unread`: the unread story ids (live: after a
        change to it, `marks_changed`).
        """
        top = round(self.scroll_offset.y)
        kept = self.highlighted, self.cursor * self.row_height - top, top
        self._entries, self._counts, self._to_review, self._unread = entries, counts, to_review, unread
        self._today = self.clock()
        self._haystacks = self._kept = self._kept_hay = self._by_id = None
        self._cells = {}
        self._rebuild()
        self._keep_line(*kept)
        self.call_after_refresh(self._haystacks_in_background)  # after the frame showing the list: never before it

    def _keep_line(self, was: StoryEntry | None, line: int, top: int) -> None:
        """Scroll so that the highlighted story, `was` on `line` of the view scrolled to `top` before the change, is
        on that line again; a view at the top of the list stays there while the story stays in view."""
        current = self.highlighted
        if was is None or current is None or current.id != was.id:
            return
        first, height = self.cursor * self.row_height, self.scrollable_content_region.height - 1
        if top == 0 and first + self.row_height <= height:
            self.scroll_to(y=0, animate=False, immediate=True)  # the rows that came above it are seen
        elif 0 <= line < height:
            self.scroll_to(y=max(first - line, 0), animate=False, immediate=True)

    def marks_changed(self, story_ids: Iterable[str]) -> None:
        """These stories were marked read or unread: redraw their rows."""
        for story_id in story_ids:
            self._cells.pop(story_id, None)
        self.refresh()

    @property
    def unread_shown(self) -> int:
        """How many of the stories in the list are unread (filtered out or not; a pass over the list)."""
        unread = self._unread
        return sum(1 for e in self._entries if e.id in unread) if unread else 0

    def prepare_filter(self) -> None:
        """Build the haystacks the words filter matches (once per `set_entries`), before the first key."""
        if self._haystacks is None:
            self._haystacks = [_haystack(e) for e in self._entries]

    def _haystacks_in_background(self) -> None:
        """On a long list, build the haystacks in a daemon thread (a quarter of a second at 100k), so that `/`
        finds them ready; `prepare_filter` builds them itself if it comes first."""
        entries = self._entries
        if len(entries) < BACKGROUND_HAYSTACKS or self._haystacks is not None:
            return

        def build() -> None:
            haystacks = [_haystack(e) for e in entries]
            if self._entries is entries and self._haystacks is None:  # the list is still these entries
                self._haystacks = haystacks

        threading.Thread(target=build, name="wiredesk-haystacks", daemon=True).start()

    def filter(self, words: str, allows: Callable[[str], bool] | None = None) -> None:
        """Keep the stories whose id, headline, agency, authors or section hold every one of `words`, and whose
        id `allows` accepts (when given), newest first (a search's hits go)."""
        new = words.lower().split()
        narrows = (
            self._kept is not None
            and self._hits is None
            and allows is self._allows
            and all(any(old in w for w in new) for old in self._words)
        )
        self._words, self._allows, self._hits = new, allows, None
        self._rebuild(self._kept if narrows else None)

    def show_hits(self, hits: list[Hit]) -> None:
        """Show a search's hits, best first, each with its snippet, the best highlighted (hits on stories not
        listed are left out)."""
        if self._by_id is None:
            self._by_id = {e.id: e for e in self._entries}
        by_id = self._by_id
        self._hits = [h for h in hits if h.story_id in by_id]
        self._kept = self._kept_hay = None
        self._rows = [by_id[h.story_id] for h in self._hits]
        self.rows_changed(0)

    def _rebuild(self, within: list[int] | None = None) -> None:
        """Filter the entries (only those in `within`, the last `_kept`, when the new filter can only narrow it)."""
        current = self.highlighted
        was = self._kept[self.cursor] if current is not None and self._kept is not None and self._rows else None
        entries = self._entries
        kept: list[int] | range = range(len(entries)) if within is None else within
        hay = self._kept_hay if within is not None else None  # the haystacks of `within`, if kept
        rows: list[StoryEntry] | None = self._rows if within is not None else entries
        if self._allows is not None and within is None:
            allows = self._allows
            kept = [i for i in kept if allows(entries[i].id)]
            rows = None
        if self._words:
            self.prepare_filter()
            assert self._haystacks is not None
            if hay is None:
                hay = self._haystacks if len(kept) == len(entries) else [self._haystacks[i] for i in kept]
            for word in self._words:
                mask = list(map(contains, hay, repeat(word)))  # `word in haystack`, for each
                kept, hay = list(compress(kept, mask)), list(compress(hay, mask))
                rows = list(compress(rows, mask)) if rows is not None else None
        self._kept = list(kept) if isinstance(kept, range) else kept
        self._kept_hay = hay
        if rows is None or len(rows) != len(self._kept):
            rows = [entries[i] for i in self._kept]
        self._rows = rows if len(rows) < len(entries) else entries
        kept = self._kept
        if was is not None:  # the highlighted story's place among those kept (they keep the entries' order)
            at = bisect.bisect_left(kept, was)
            self.rows_changed(at if at < len(kept) and kept[at] == was else 0)
        else:
            self.rows_changed(self._index_of(current))

    def _index_of(self, entry: StoryEntry | None) -> int:
        """Where `entry` is listed now (0 if it is not)."""
        if entry is None:
            return 0
        return next((i for i, e in enumerate(self._rows) if e.id == entry.id), 0)

    def highlight(self, story_id: str) -> None:
        """Move the cursor to a story, if it is shown (the newest version stands for its story)."""
        index = next((i for i, e in enumerate(self._rows) if e.id == story_id), None)
        if index is not None:
            self.cursor = index

    def row_text(self, story_id: str) -> str:
        """The plain text of a story's row as shown (for tests and screen readers)."""
        return self.line_text(next(i for i, e in enumerate(self._rows) if e.id == story_id))

    def region_of(self, story_id: str) -> Region | None:
        """Where a story's row is on screen (for tests); None if it is scrolled away or filtered out."""
        index = next((i for i, e in enumerate(self._rows) if e.id == story_id), None)
        return None if index is None else self.region_of_row(index)

    def open_row(self, index: int) -> None:
        self.post_message(self.Opened(self._rows[index].id))

    # --- columns -----------------------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        """Id, date, agency, headline, counts; on a narrow screen the agency goes first, then the id, then the
        date, so that the headline keeps FLEX_MIN cells (two stories differing late in the headline stay apart)."""
        counts = [Column(_COUNT, right=True)] * len(KINDS)
        source = [Column(_SOURCE, drop=1)] if self.sources else []
        return [Column(_ID, drop=2), Column(_DATE, drop=3), Column(_AGENCY, drop=1), *source, Column(), *counts]

    def header(self) -> list[str]:
        source = ["Source"] if self.sources else []
        return ["ID", "Date", "Agency", *source, "Headline", *(k[0].upper() for k in KINDS)]

    def detail(self, index: int) -> tuple[str, tuple[tuple[int, int], ...]]:
        hit = self._hits[index] if self._hits is not None and index < len(self._hits) else None
        return (hit.snippet, hit.marks) if hit is not None else ("", ())

    def cells(self, index: int) -> list[str]:
        """A row's cells, made once for a story until the next `set_entries` (the counts may change then)."""
        entry = self._rows[index]
        cells = self._cells.get(entry.id)
        if cells is None:
            if len(self._cells) >= CELLS_KEPT:
                self._cells.clear()
            cells = self._cells[entry.id] = self._make_cells(entry)
        return cells

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._unread_style = None

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = (y - 1 + round(self.scroll_offset.y)) // self.row_height
        if y and self._unread and index < len(self._rows) and self._rows[index].id in self._unread:
            if self._unread_style is None:
                self._unread_style = self.get_component_rich_style("story-list--unread", partial=True)
            return strip.apply_style(self._unread_style)
        return strip

    def _make_cells(self, entry: StoryEntry) -> list[str]:
        m = entry.meta
        if self._counts is None:
            counts = ["…"] * len(KINDS)
        else:
            c = self._counts(entry.id)
            counts = [str(c[k]) if c[k] else "·" for k in KINDS]
        headline = f"[v{entry.version}] {m.headline}" if entry.versions > 1 else m.headline  # an updated story
        if entry.versions > 1 and self._to_review is not None and (waiting := self._to_review(entry.id)):
            headline = f"[v{entry.version}: {waiting} to review] {m.headline}"
        source = [self.sources.get(entry.id, "")] if self.sources else []
        if entry.id in self._unread:
            headline = f"{UNREAD_MARK} {headline}"
        return [entry.short_id, list_date(m, entry.added, self._today), m.agency or "", *source, headline, *counts]


def _haystack(entry: StoryEntry) -> str:
    """What the words filter looks in: id, headline, agency, section and authors, in lower case."""
    m = entry.read_meta()  # not kept: only the rows drawn keep theirs
    return "\n".join([entry.id, m.headline, m.agency or "", m.section or "", *m.authors]).lower()
