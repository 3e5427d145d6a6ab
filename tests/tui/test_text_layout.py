"""The reader's layout: every character of the story on exactly one row, rows within the measure, offsets and
rows mapping both ways, the same rows a plain greedy word wrap gives; and the span index that finds what to draw
on a row."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, get_character_cell_size

from stories.model import Story, StoryBuilder, StoryMeta
from tui.story_text import paragraph_kinds, render_story
from tui.text_layout import Row, SpanIndex, StoryLayout

_WORDS = st.sampled_from(["a", "the", "council", "Nordvik", "—", "“quoted”", "東京都", "x" * 30, "harbour's", "9"])
_PARAGRAPH = st.lists(_WORDS, min_size=1, max_size=40).map(" ".join)
_KINDS = st.sampled_from(["paragraph", "paragraph", "highlight", "standfirst"])


@st.composite
def stories(draw: st.DrawFn) -> Story:
    builder = StoryBuilder()
    builder.add("headline", draw(_PARAGRAPH))
    for kind, text in draw(st.lists(st.tuples(_KINDS, _PARAGRAPH), max_size=12)):
        inline = kind == "paragraph" and draw(st.booleans()) and draw(st.booleans())  # a dateline, say
        if inline:
            builder.add("dateline", "NORDVIK, May 2 (Reuters) -", inline=True)
        builder.add(kind, text)
    return builder.build(StoryMeta(headline="", agency="Reuters", created="2026-05-02"))


def reference_wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """The oracle: a greedy word wrap written one character at a time (the layout's first version). A word and
    the spaces after it go on the line while the word fits (spaces may overhang); a word wider than a line is
    cut at the last character that fits."""
    spans: list[tuple[int, int]] = []
    line_start, line_width, i = start, 0, start
    while i < end:
        j = i
        while j < end and text[j] != " ":
            j += 1
        k = j
        while k < end and text[k] == " ":
            k += 1
        word_width = cell_len(text[i:j])
        if line_width and line_width + word_width > width:
            spans.append((line_start, i))
            line_start, line_width = i, 0
        while word_width > width:
            cut, w = i, 0
            while cut < j and w + get_character_cell_size(text[cut]) <= width:
                w += get_character_cell_size(text[cut])
                cut += 1
            cut = max(cut, i + 1)
            spans.append((line_start, cut))
            line_start, i = cut, cut
            word_width = cell_len(text[i:j])
        line_width += word_width + (k - j)
        i = k
    if line_start < end or not spans:
        spans.append((line_start, end))
    return spans


def text_rows(layout: StoryLayout) -> list[Row]:
    return [row for row in layout.rows if row.is_text]


@settings(max_examples=150, deadline=None)
@given(stories(), st.integers(10, 120))
def test_every_character_of_every_paragraph_is_on_exactly_one_row(story: Story, width: int) -> None:
    layout = StoryLayout(story, width)
    rows = text_rows(layout)
    paragraphs = story.paragraphs()
    assert rows[0].start == 0
    covered = [(rows[0].start, rows[0].end)]
    for row in rows[1:]:
        if row.start == covered[-1][1]:
            covered[-1] = (covered[-1][0], row.end)  # the same paragraph goes on
        else:
            covered.append((row.start, row.end))
    assert covered == list(paragraphs)


@settings(max_examples=150, deadline=None)
@given(stories(), st.integers(10, 120))
def test_rows_are_the_greedy_word_wrap_within_the_measure(story: Story, width: int) -> None:
    layout = StoryLayout(story, width)
    kinds = paragraph_kinds(story)
    rows = text_rows(layout)
    for (start, end), kind in zip(story.paragraphs(), kinds, strict=True):
        mine = [r for r in rows if start <= r.start < end]
        prefix = "• " if kind == "highlight" else ""
        assert [r.prefix for r in mine] == [prefix] + [" " * len(prefix)] * (len(mine) - 1)
        room = layout.measure - cell_len(prefix)
        assert [(r.start, r.end) for r in mine] == reference_wrap(story.text, start, end, room)
        assert all(cell_len(story.text[r.start : r.end].rstrip(" ")) <= room for r in mine)


@settings(max_examples=100, deadline=None)
@given(stories(), st.integers(10, 120), st.data())
def test_offsets_and_rows_map_both_ways(story: Story, width: int, data: st.DataObject) -> None:
    layout = StoryLayout(story, width)
    text = story.text
    offset = data.draw(st.integers(0, len(text) - 1))
    if text[offset] == "\n":
        return
    y = layout.row_of(offset)
    row = layout.rows[y]
    assert row.start <= offset < row.end
    assert layout.offset_at(y, layout.x_of(offset)) == offset


def test_paragraph_kinds_are_those_of_the_last_block_starting_in_each_paragraph() -> None:
    builder = StoryBuilder()
    builder.add("headline", "Council keeps the boat")
    builder.add("highlight", "Boat stays")
    builder.add("dateline", "NORDVIK, May 2 (Reuters) -", inline=True)
    builder.add("paragraph", "The council kept the boat.")
    builder.add("paragraph", "Ek was not pleased.")
    story = builder.build(StoryMeta(headline=""))
    assert paragraph_kinds(story) == ["headline", "highlight", "paragraph", "paragraph"]
    brute = [
        ([b.kind for b in story.blocks if start <= b.start < end] or ["paragraph"])[-1]
        for start, end in story.paragraphs()
    ]
    assert paragraph_kinds(story) == brute


def test_a_long_story_is_laid_out_row_by_row_in_order() -> None:
    builder = StoryBuilder()
    builder.add("headline", "Many paragraphs")
    for i in range(3000):
        builder.add("highlight" if i % 7 == 0 else "paragraph", f"Paragraph {i} of the story.")
    story = builder.build(StoryMeta(headline=""))
    layout = StoryLayout(story, 100)
    rows = text_rows(layout)
    assert len(rows) == 3001
    assert [r.prefix for r in rows[1:8]] == ["• ", "", "", "", "", "", ""]
    assert story.text[rows[-1].start : rows[-1].end] == "Paragraph 2999 of the story."
    last = story.text.index("Paragraph 2999")
    assert layout.rows[layout.row_of(last)] == rows[-1]


_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=30).map(
    lambda pairs: [(s, s + n, i) for i, (s, n) in enumerate(pairs)]
)


@settings(max_examples=300, deadline=None)
@given(_SPANS, st.integers(0, 80), st.integers(1, 15))
def test_the_span_index_finds_exactly_the_spans_a_range_overlaps(spans, start: int, length: int) -> None:
    index = SpanIndex(spans)
    found = list(index.overlapping(start, start + length))
    brute = sorted((s for s in spans if s[0] < start + length and s[1] > start), key=lambda s: s[0])
    assert sorted(found, key=lambda s: (s[0], s[2])) == sorted(brute, key=lambda s: (s[0], s[2]))
    assert [s[0] for s in found] == sorted(s[0] for s in found)
    assert len(index) == len(spans)


def test_a_headline_only_the_metadata_holds_is_shown_above_the_lede() -> None:
    """Copy that opens with its dateline has a headline derived from the lede, kept in the metadata only: the
    reader shows it as a title row, then the details, then the lede (the text itself is unchanged)."""
    builder = StoryBuilder()
    builder.add("dateline", "MOSCOW, November 12. /TASS/.", inline=True)
    builder.add("paragraph", "Grain exports through Azovsk rose by a fifth, the ministry said.")
    builder.add("paragraph", "Loading resumed on Monday.")
    story = builder.build(StoryMeta(headline="Grain exports through Azovsk rose by a fifth", agency="TASS"))
    rows = StoryLayout(story, 60).rows
    kinds = [r.kind for r in rows]
    assert kinds[:5] == ["blank", "title", "blank", "meta", "blank"]
    assert rows[1].label == "Grain exports through Azovsk rose by a fifth"
    assert rows[5].is_text and story.text[rows[5].start :].startswith("MOSCOW")
    shown = render_story(story, []).plain
    assert shown.startswith("Grain exports through Azovsk rose by a fifth\n\nTASS")
    assert shown.count("Grain exports through Azovsk rose by a fifth") == 2  # the title, and the lede itself


def test_a_story_whose_text_holds_its_headline_gets_no_title_row() -> None:
    builder = StoryBuilder()
    builder.add("headline", "Ferry resumes")
    builder.add("paragraph", "The ferry ran again.")
    story = builder.build(StoryMeta(headline="Ferry resumes", agency="Reuters"))
    assert [r.kind for r in StoryLayout(story, 60).rows][:5] == ["blank", "headline", "blank", "meta", "blank"]
