"""A save updates the annotation panel and the reader's text incrementally: after any sequence of tags, deletes,
undos and redos they show what a fresh build from the store shows, and a save renders only what it changed."""

from __future__ import annotations

import io
import random
from pathlib import Path

from rich.console import Console

from annotations.model import Annotation
from annotations.store import Store
from tests.tui.support import until
from tests.tui.test_tui_annotate import make_store
from tui.app import WiredeskApp
from tui.screens.reader import ReaderScreen
from tui.story_layers import StoryLayers
from tui.text_layout import SpanIndex
from tui.widgets.annotation_list import AnnotationList
from tui.widgets.annotation_panel import AnnotationPanel

SIZE = (100, 32)

LONG_STORY = (
    "Harbour council weighs ferry timetable\n\nNORDVIK, May 2 (Reuters) - "
    + "\n\n".join(
        f"Paragraph {i}: the council said the ferry timetable would change, and the minister said talks went on."
        for i in range(40)
    )
    + "\n"
)


def no_suggestions(story: object, registry: object) -> list[object]:
    return []


def rows_text(panel: AnnotationPanel) -> list[str]:
    """Each row of the panel as the user reads it."""
    console = Console(width=30, record=True, file=io.StringIO())
    texts = []
    for row_id in panel.rows.row_ids:
        console.print(panel.rows.prompt(row_id))
        texts.append(" ".join(console.export_text().split()))
    return texts


def drawn_lines(rows: AnnotationList) -> list[str]:
    """The list's lines as drawn (every line, not only those on screen), with their styles."""
    width = rows.scrollable_content_region.width
    lines = []
    for i, row_id in enumerate(rows.row_ids):
        state = "highlighted" if i == rows.highlighted else ""
        for strip in rows._render_row(rows._by_id[row_id], state, width):
            lines.append(" ".join(f"{seg.text}|{seg.style}" for seg in strip))
    return lines


async def assert_like_fresh(pilot, screen: ReaderScreen, store: Store, sid: str) -> None:
    """The reader's panel and text show what a panel and a text built afresh from the store show."""
    stored = store.annotations(sid)
    panel = screen.panel
    fresh = AnnotationPanel(id="fresh")
    await screen.query_one("#body").mount(fresh)
    await until(pilot, lambda: fresh.rows.scrollable_content_region.width > 0, "the fresh panel laid out")
    fresh.set_annotations(stored, store.actor)
    fresh.show_current(panel.rows.highlighted_id, force=True)
    assert panel.rows.row_ids == [a.id for a in stored] == fresh.rows.row_ids  # the store's order
    assert rows_text(panel) == rows_text(fresh)
    assert drawn_lines(panel.rows) == drawn_lines(fresh.rows)
    assert str(panel.query_one("#panel-title").render()) == str(fresh.query_one("#panel-title").render())
    assert panel.rows._lines() == fresh.rows._lines()  # every row's height and place
    if (i := panel.rows.highlighted) is not None:  # the highlighted row is on screen, whole
        tops, top = panel.rows._lines(), round(panel.rows.scroll_offset.y)
        assert top <= tops[i] and tops[i + 1] <= top + panel.rows.scrollable_content_region.height
    await fresh.remove()
    view = screen.view
    assert [a.id for a in view.annotations] == [a.id for a in sorted(stored, key=lambda a: (a.start, -a.end))]
    rebuilt = StoryLayers(screen.story)
    rebuilt.set_annotations(stored)
    for offset in range(0, len(screen.story.text), 7):
        assert view.annotations_at(offset) == rebuilt.annotations_at(offset)


async def test_random_saves_deletes_and_undos_leave_the_panel_as_a_fresh_one(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path, LONG_STORY)
    app = WiredeskApp(store, annotator="tester", open_story=sid, suggester=no_suggestions)
    rng = random.Random(14)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        text = screen.story.text
        words = [i for i in range(1, len(text)) if text[i - 1] == " " and text[i].isalpha()]
        for step in range(40):
            action = rng.choice(["tag", "tag", "tag", "delete", "undo", "redo"])
            if action == "tag" or not store.annotations(sid):
                j = rng.randrange(len(words) - 5)
                screen.view.select(words[j], words[j + rng.randint(1, 4)] - 1)
                await pilot.press(rng.choice("qc"))
            elif action == "delete":
                screen.view.move_to(rng.choice(store.annotations(sid)).start)
                await pilot.press("x")
            else:
                await pilot.press("u" if action == "undo" else "ctrl+r")
            await pilot.pause()
            if step % 4 == 3:
                await assert_like_fresh(pilot, screen, store, sid)
        await assert_like_fresh(pilot, screen, store, sid)
        assert len(store.annotations(sid)) > 5  # the sequence did tag


async def test_a_save_renders_only_the_row_it_adds(tmp_path: Path, monkeypatch) -> None:
    """With 200 annotations listed, tagging one more builds one row and draws no more lines than the screen's."""
    store, sid = make_store(tmp_path, LONG_STORY)
    story = store.story(sid)
    words = [i for i in range(1, len(story.text)) if story.text[i - 1] == " " and story.text[i].isalpha()]
    made = [Annotation.new(story, "claim", words[i], words[i + 1] - 1) for i in range(0, 400, 2)]
    store.apply([(None, ann) for ann in made])
    app = WiredeskApp(store, annotator="tester", open_story=sid, suggester=no_suggestions)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        rows = screen.panel.rows
        await until(pilot, lambda: rows.row_count == 200 and rows._width in rows._heights, "the rows measured")
        prompts, rendered = [], []
        build, render = AnnotationPanel._prompt, AnnotationList._render_row
        monkeypatch.setattr(AnnotationPanel, "_prompt", lambda self, *a: prompts.append(a) or build(self, *a))

        def counted(self, row, state, width):
            if (row.id, state, width) not in self._strips:
                rendered.append(row.id)
            return render(self, row, state, width)

        monkeypatch.setattr(AnnotationList, "_render_row", counted)
        screen.view.select(words[401], words[403] - 1)
        await pilot.press("q")
        await until(pilot, lambda: screen.panel.rows.row_count == 201, "the new row")
        await pilot.pause()
        assert len(prompts) == 1
        assert len(set(rendered)) <= 2  # the new row (measured, then drawn highlighted); the others were drawn
        await pilot.press("u")
        await until(pilot, lambda: screen.panel.rows.row_count == 200, "the row gone")
        assert len(prompts) == 1  # removing builds nothing


def test_span_index_added_to_and_removed_from_finds_what_a_rebuilt_one_finds() -> None:
    rng = random.Random(3)
    spans: list[tuple[int, int, int]] = []
    index: SpanIndex[int] = SpanIndex([])
    for n in range(400):
        if spans and rng.random() < 0.4:
            gone = spans.pop(rng.randrange(len(spans)))
            assert index.remove(*gone)
        else:
            start = rng.randrange(1000)
            span = (start, start + rng.randint(1, 200), n)
            spans.append(span)
            index.add(*span)
        rebuilt = SpanIndex(spans)
        for _ in range(5):
            a = rng.randrange(1100)
            b = a + rng.randint(1, 50)
            assert sorted(index.overlapping(a, b)) == sorted(rebuilt.overlapping(a, b))
    assert not index.remove(5000, 5001, -1)
