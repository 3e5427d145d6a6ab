"""Smart selection in the reader: `"` a quotation, `.` a sentence, `%` whole words; then motions and tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.store import Store
from stories.loader import parse_text
from tests.store_support import add_story
from tests.tui.support import Notices
from tui.app import WiredeskApp
from tui.screens.reader import ReaderScreen
from tui.widgets.story_view import StoryView

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)

STORY = """\
Ferry council keeps the islanders’ morning boat

By Ana Lind

NORDVIK, May 2 (Reuters) - The ferry council of Nordvik on Tuesday backed a new timetable. Its chair, \
Dr. Ellen Voss, said: “We read every islander’s letter. One told us, ‘Don’t take our morning boat,’ and we \
didn’t.” Opposition member Karl Ek called the plan "rushed and unfair".

“The morning boat stays at 6.40,” Voss said. “The evening boat moves to 19.15, which suits the school.

“We will review it in a year. Nobody's ferry is being cut.”

Ek said he would 'wait and see' what the islanders’ union did.
"""


def reader(tmp_path: Path) -> tuple[WiredeskApp, Store, str]:
    store = Store(tmp_path)
    story = parse_text(STORY, "ferry.txt")[0]
    add_story(store, story)
    return WiredeskApp(store, annotator="tester", open_story=story.id), store, story.id


def view_of(app: WiredeskApp) -> StoryView:
    assert isinstance(app.screen, ReaderScreen)
    return app.screen.query_one(StoryView)


def selected(view: StoryView) -> str | None:
    sel = view.selection
    return None if sel is None else view.story.text[sel[0] : sel[1]]


def put_cursor(view: StoryView, words: str, into: int = 0) -> None:
    view.move_to(view.story.text.index(words) + into)


async def test_quote_key_selects_the_innermost_quotation_then_widens(tmp_path: Path) -> None:
    app, store, sid = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        put_cursor(view, "morning boat,’")
        await pilot.press("quotation_mark")
        assert selected(view) == "Don’t take our morning boat"  # the apostrophe in Don’t closes nothing
        assert view.visual
        await pilot.press("quotation_mark")
        assert selected(view) == "‘Don’t take our morning boat,’"
        await pilot.press("quotation_mark")
        outer = "We read every islander’s letter. One told us, ‘Don’t take our morning boat,’ and we didn’t"
        assert selected(view) == outer
        await pilot.press("q")
        await pilot.pause()
        [ann] = store.annotations(sid)
        assert (ann.kind, ann.exact) == ("quote", outer)  # q tags exactly the quoted words


async def test_quote_key_after_a_find_that_selected_the_quoted_words_selects_those_words(tmp_path: Path) -> None:
    app, _, _ = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await pilot.press("/", *"rushed and unfair", "enter")
        assert selected(view) == "rushed and unfair"
        await pilot.press("quotation_mark")  # a first press: the words, not yet the marks
        assert selected(view) == "rushed and unfair"
        await pilot.press("quotation_mark")
        assert selected(view) == '"rushed and unfair"'


async def test_quote_key_on_straight_quotes_and_an_apostrophe(tmp_path: Path) -> None:
    app, _, _ = reader(tmp_path)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        put_cursor(view, "unfair")
        await pilot.press("quotation_mark")
        assert selected(view) == "rushed and unfair"
        put_cursor(view, "islander’s", 8)  # on the apostrophe itself
        await pilot.press("quotation_mark")
        assert selected(view).startswith("We read every islander’s letter.")
        put_cursor(view, "and see")
        await pilot.press("quotation_mark")
        assert selected(view) == "wait and see"
        put_cursor(view, "islanders’ union")
        await pilot.press("quotation_mark")
        assert selected(view) is None  # a plural possessive is no quotation
        assert any("No quote" in n.message for n in notices)


async def test_a_quote_over_two_paragraphs_is_selected_to_its_real_closing_mark(tmp_path: Path) -> None:
    app, store, sid = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        put_cursor(view, "school")
        await pilot.press("quotation_mark")
        expected = (
            "The evening boat moves to 19.15, which suits the school.\n\n"
            "“We will review it in a year. Nobody's ferry is being cut"  # the repeated opening mark included
        )
        assert selected(view) == expected
        put_cursor(view, "Nobody's")  # from the second paragraph: the same quotation
        await pilot.press("quotation_mark")
        assert selected(view) == expected
        await pilot.press("q")
        await pilot.pause()
        assert [a.exact for a in store.annotations(sid)] == [expected]


async def test_motions_extend_a_smart_selection(tmp_path: Path) -> None:
    app, _, _ = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        put_cursor(view, "unfair")
        await pilot.press("quotation_mark", "e")
        assert selected(view) == 'rushed and unfair".'  # the next word end: the closing mark and full stop
        await pilot.press("escape")
        assert view.selection is None


async def test_sentence_key_selects_the_sentence_then_adds_the_next(tmp_path: Path) -> None:
    app, _, _ = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        put_cursor(view, "Voss,")
        await pilot.press("full_stop")
        assert selected(view) == "Its chair, Dr. Ellen Voss, said: “We read every islander’s letter."
        await pilot.press("full_stop")
        assert selected(view) == (
            "Its chair, Dr. Ellen Voss, said: “We read every islander’s letter. "
            "One told us, ‘Don’t take our morning boat,’ and we didn’t.”"  # its closing quote included
        )
        put_cursor(view, "Voss said")
        await pilot.press("full_stop")
        assert selected(view) == "“The morning boat stays at 6.40,” Voss said."
        put_cursor(view, "islanders’ morning")
        await pilot.press("full_stop")
        assert selected(view) == "Ferry council keeps the islanders’ morning boat"  # the headline: no full stop


async def test_percent_widens_a_selection_to_whole_words(tmp_path: Path) -> None:
    app, store, sid = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        put_cursor(view, "Opposition", 3)
        await pilot.press("v", "w", "l", "l")
        assert selected(view) == "osition mem"
        await pilot.press("percent_sign")
        assert selected(view) == "Opposition member"
        await pilot.press("w")  # still selecting: motions extend it
        assert selected(view) == "Opposition member K"
        put_cursor(view, "Tuesday", 2)
        await pilot.press("percent_sign")  # no selection: the word under the cursor
        assert selected(view) == "Tuesday"
        put_cursor(view, "unfair", 2)
        await pilot.press("v", "e", "l", "l", "percent_sign")
        assert selected(view) == 'unfair".'  # punctuation inside is kept, nothing is trimmed
        put_cursor(view, "Karl", 2)
        await pilot.press("v", "b", "b", "percent_sign")  # backwards: the cursor stays at the start
        assert selected(view) == "member Karl"
        assert view.cursor == view.story.text.index("member")
        await pilot.press("c")
        await pilot.pause()
        assert [a.exact for a in store.annotations(sid)] == ["member Karl"]


async def test_the_quote_key_treats_a_closing_comma_and_full_stop_alike_as_configured(tmp_path: Path) -> None:
    """`quote_punctuation` (config.toml): "drop" (the default) leaves both out of the words, "keep" keeps both."""
    for rule, words in (
        ("drop", ("The morning boat stays at 6.40", "We read every islander’s letter")),
        ("keep", None),
    ):
        store = Store(tmp_path / rule)
        story = parse_text(STORY, "ferry.txt")[0]
        add_story(store, story)
        app = WiredeskApp(store, annotator="tester", open_story=story.id, quote_punctuation=rule)
        async with app.run_test(size=SIZE) as pilot:
            view = view_of(app)
            got = []
            for at in ("stays at", "every islander"):
                put_cursor(view, at)
                await pilot.press("quotation_mark")
                got.append(selected(view))
        if words is None:
            assert got[0] == "The morning boat stays at 6.40," and got[1].startswith("We read")
            assert got[1].endswith("we didn’t.")
        else:
            assert got[0] == words[0] and got[1].startswith(words[1]) and got[1].endswith("we didn’t")
