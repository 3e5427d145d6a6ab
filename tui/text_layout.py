"""Lay a story out in screen rows for a given width, keeping every row's span of the canonical text.

Every character of a paragraph belongs to exactly one row, so offsets map to (row, column) and back.
The blank-line separators between paragraphs belong to no row; the cursor never rests on them.
Laying out takes time linear in the length of the story; finding a row, an offset or the spans drawn on a row
takes a binary search.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.cells import cell_len, get_character_cell_size

from stories.model import Story
from tui.story_text import detail_line, header_paragraphs, meta_line, paragraph_kinds, title_line

__all__ = ["MAX_MEASURE", "Row", "SpanIndex", "StoryLayout"]

#: The widest text column, in cells: longer lines are hard to read.
MAX_MEASURE = 84
_PREFIX = {"highlight": "• "}


@dataclass(frozen=True, slots=True)
class Row:
    """One screen row: text[start:end] after `prefix`, or a decoration (`start == -1`) showing `label`."""

    start: int
    end: int
    kind: str
    prefix: str = ""
    label: str = ""

    @property
    def is_text(self) -> bool:
        return self.start >= 0


_BLANK = Row(-1, -1, "blank")
_WORD = re.compile(r"([^ ]*)( *)")  # a word and the spaces after it


def _wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of text[start:end] into spans no wider than `width` cells (spaces may overhang)."""
    chunk = text[start:end]
    single = chunk.isascii()  # then every character is one cell: len() measures, and fast
    if (len(chunk) if single else cell_len(chunk)) <= width:
        return [(start, end)]
    measure = len if single else cell_len
    spans: list[tuple[int, int]] = []
    line_start = start
    line_width = 0
    for match in _WORD.finditer(text, start, end):
        i, j, k = match.start(), match.end(1), match.end()  # the word is text[i:j], then its spaces text[j:k]
        if i == k:
            continue
        word_width = measure(text[i:j])
        if line_width and line_width + word_width > width:
            spans.append((line_start, i))
            line_start, line_width = i, 0
        while word_width > width:  # a word wider than the line: cut it
            cut, w = i, 0
            while cut < j and w + get_character_cell_size(text[cut]) <= width:
                w += get_character_cell_size(text[cut])
                cut += 1
            cut = max(cut, i + 1)
            spans.append((line_start, cut))
            line_start, i = cut, cut
            word_width = measure(text[i:j])
        line_width += word_width + (k - j)
    if line_start < end or not spans:
        spans.append((line_start, end))
    return spans


def _wrap_label(label: str, width: int) -> list[str]:
    return [label[s:e].rstrip() for s, e in _wrap(label, 0, len(label), width)]


class StoryLayout:
    """The rows of a story at one width, with offset <-> (row, x) mapping."""

    def __init__(self, story: Story, width: int, versions: int = 1) -> None:
        self.story = story
        self.versions = versions
        self.width = max(width, 10)
        self.measure = min(self.width - 4, MAX_MEASURE) if self.width > 24 else self.width - 1
        self.left = max((self.width - self.measure) // 2, 1 if self.width > 24 else 0)
        self.rows: list[Row] = []
        self._build()
        self._text_rows = [i for i, r in enumerate(self.rows) if r.is_text]
        self._row_starts = [self.rows[i].start for i in self._text_rows]

    def _build(self) -> None:
        story, rows = self.story, self.rows
        header = header_paragraphs(story)
        rows.append(_BLANK)
        if title := title_line(story):  # a headline the text does not hold (derived from the lede)
            rows.extend(Row(-1, -1, "title", label=part) for part in _wrap_label(title, self.measure))
            rows.append(_BLANK)
        paragraphs = list(zip(story.paragraphs(), paragraph_kinds(story), strict=True))
        for n, ((start, end), kind) in enumerate(paragraphs):
            if n == header:
                self._details()
            if rows[-1] is not _BLANK:
                rows.append(_BLANK)
            prefix = _PREFIX.get(kind, "")
            indent = " " * cell_len(prefix)
            spans = _wrap(story.text, start, end, self.measure - cell_len(prefix))
            rows.extend(Row(s, e, kind, prefix if i == 0 else indent) for i, (s, e) in enumerate(spans))
        if header >= len(paragraphs):
            self._details()
        rows.append(_BLANK)

    def _details(self) -> None:
        """The metadata lines, after the header paragraphs."""
        story, rows = self.story, self.rows
        in_text = any(b.kind == "dateline" for b in story.blocks)
        detail = detail_line(story.meta, self.versions, dateline_in_text=in_text)
        labels = [x for x in (meta_line(story.meta), detail) if x]
        if labels and rows[-1] is not _BLANK:
            rows.append(_BLANK)
        for label in labels:
            rows.extend(Row(-1, -1, "meta", label=part) for part in _wrap_label(label, self.measure))

    def __len__(self) -> int:
        return len(self.rows)

    def row_of(self, offset: int) -> int:
        """Index of the row holding `offset` (a separator maps to the row before it)."""
        i = bisect.bisect_right(self._row_starts, offset) - 1
        return self._text_rows[max(i, 0)]

    def x_of(self, offset: int) -> int:
        """Screen column of `offset`, counted from the widget's left edge."""
        row = self.rows[self.row_of(offset)]
        return self.left + cell_len(row.prefix) + cell_len(self.story.text[row.start : offset])

    def offset_at(self, y: int, x: int) -> int:
        """The offset shown nearest to row `y`, column `x` (for rows without text: the nearest text row)."""
        y = max(0, min(y, len(self.rows) - 1))
        row = self.rows[y]
        if not row.is_text:
            below = bisect.bisect_left(self._text_rows, y)
            y = self._text_rows[min(below, len(self._text_rows) - 1)]
            row = self.rows[y]
        col = x - self.left - cell_len(row.prefix)
        text = self.story.text
        pos, w = row.start, 0
        last = max(row.start, row.end - 1)
        while pos < last:
            w += get_character_cell_size(text[pos])
            if w > col:
                break
            pos += 1
        return pos

    def text_row_after(self, y: int, step: int) -> int | None:
        """The text row `step` text rows away from text row `y` (negative: upwards), or None past the ends."""
        assert self.rows[y].is_text, "text_row_after counts from a text row"
        i = bisect.bisect_left(self._text_rows, y) + step
        if 0 <= i < len(self._text_rows):
            return self._text_rows[i]
        return None

    def nearest_text_row(self, y: int, direction: int) -> int | None:
        """The first text row at or below `y` (direction 1), or the last at or above it (-1); None if none."""
        if direction > 0:
            i = bisect.bisect_left(self._text_rows, y)
            return self._text_rows[i] if i < len(self._text_rows) else None
        i = bisect.bisect_right(self._text_rows, y) - 1
        return self._text_rows[i] if i >= 0 else None

    @property
    def first_text_row(self) -> int:
        return self._text_rows[0]

    @property
    def last_text_row(self) -> int:
        return self._text_rows[-1]


_T = TypeVar("_T")
_END = operator.itemgetter(1)


class SpanIndex(Generic[_T]):
    """Spans (start, end, item) sorted by start, found by the range they overlap in logarithmic time plus the
    spans found: for drawing the annotations, matches and styled blocks of one row, whatever the story's length."""

    def __init__(self, spans: Sequence[tuple[int, int, _T]]) -> None:
        self._spans = sorted(spans, key=lambda span: span[0])
        self._starts = [start for start, _, _ in self._spans]
        self._reach = list(itertools.accumulate((end for _, end, _ in self._spans), max))  # the furthest end so far

    def __len__(self) -> int:
        return len(self._spans)

    def add(self, start: int, end: int, item: _T) -> None:
        """Add a span (after those of the same start): a list insertion and the furthest ends after it."""
        i = bisect.bisect_right(self._starts, start)
        self._spans.insert(i, (start, end, item))
        self._starts.insert(i, start)
        self._reach.insert(i, 0)
        self._reach_from(i)

    def remove(self, start: int, end: int, item: _T) -> bool:
        """Remove a span equal to (start, end, item); False if there is none."""
        i = bisect.bisect_left(self._starts, start)
        while i < len(self._spans) and self._starts[i] == start:
            if self._spans[i] == (start, end, item):
                del self._spans[i], self._starts[i], self._reach[i]
                self._reach_from(i)
                return True
            i += 1
        return False

    def _reach_from(self, i: int) -> None:
        """Recompute the furthest ends from index `i` on (C-speed: a few microseconds for thousands of spans)."""
        before = self._reach[i - 1] if i else 0
        self._reach[i:] = itertools.accumulate(map(_END, self._spans[i:]), max, initial=before)
        del self._reach[i]  # the initial value, already at i - 1

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int, _T]]:
        """The spans that share at least one offset with [start, end), by start."""
        first = bisect.bisect_right(self._reach, start)  # before it, every span ends at or before `start`
        for i in range(first, bisect.bisect_left(self._starts, end)):
            span = self._spans[i]
            if span[1] > start:
                yield span
