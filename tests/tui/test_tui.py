"""The app driven by Textual's Pilot: open, find, select, tag, restart, undo/redo."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Label

from annotations.store import Store
from stories.loader import parse_text
from tests.store_support import add_story
from tests.tui.support import Notices, press_at_once, run_command, until
from tui.app import WiredeskApp
from tui.screens.actor_tag import ActorTagDialog
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.story_view import StoryView

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)

STORY = """\
Harbour council approves ferry timetable after long debate

By Ana Lind and Per Holm

NORDVIK, May 2 (Reuters) - The harbour council of Nordvik approved a new ferry timetable on Tuesday after a \
debate that lasted well past midnight. Dr. Ellen Voss, the council chair, said the vote was close.

"We listened to every islander who wrote to us," Voss told reporters. "The new times keep the morning boat."

Opposition member Karl Ek said the plan was "rushed and unfair" and claimed it would cost islanders more.

(Reporting by Ana Lind; Editing by Jo Berg)
"""


def make_store(path: Path, text: str = STORY) -> tuple[Store, str]:
    store = Store(path)
    story = parse_text(text, "nordvik.txt")[0]
    add_story(store, story)
    return store, story.id


def app_for(store: Store, story_id: str | None = None) -> WiredeskApp:
    return WiredeskApp(store, annotator="tester", open_story=story_id)


def view_of(app: WiredeskApp) -> StoryView:
    assert isinstance(app.screen, ReaderScreen)
    return app.screen.query_one(StoryView)


def selected(view: StoryView) -> str:
    sel = view.selection
    assert sel is not None
    return view.story.text[sel[0] : sel[1]]


async def test_library_lists_and_opens_a_story(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.story.id == sid
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_empty_library_shows_welcome(tmp_path: Path) -> None:
    app = app_for(Store(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        welcome = app.screen.query_one("#welcome")
        assert welcome.display
        assert "wiredesk import" in str(welcome.render())
        assert "wiredesk demo" in str(welcome.render())


async def test_library_filter(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path)
    add_story(store, parse_text("Mountain pass reopens\n\nSnow crews cleared the road.", "pass.txt")[0])
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#stories")
        assert table.shown == 2
        await pilot.press("/", *"ferry")
        await pilot.pause()
        assert table.shown == 1
        await pilot.press("escape")
        await pilot.pause()
        assert table.shown == 2


async def test_find_tag_and_restart_keeps_the_tag(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("/", *"keep the morning boat", "enter")
        await pilot.pause()
        view = view_of(app)
        assert selected(view) == "keep the morning boat"
        await pilot.press("q")
        await pilot.pause()
    store.close()
    reopened = Store(tmp_path)
    anns = reopened.annotations(sid)
    assert [(a.kind, a.exact) for a in anns] == [("quote", "keep the morning boat")]
    assert anns[0].annotator == "tester"
    app = app_for(reopened, sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [a.exact for a in view_of(app).annotations] == ["keep the morning boat"]


async def test_find_then_escape_then_visual_word_ends_selects_a_name(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("/", *"Karl Ek", "enter", "escape")
        await pilot.pause()
        view = view_of(app)
        assert view.selection is None
        assert view.story.text[view.cursor] == "K"
        await pilot.press("v", "e", "e")
        assert selected(view) == "Karl Ek"
        await pilot.press("a", "p")  # an actor: a new registry entry, a person
        await pilot.pause()
    assert [(a.kind, a.exact) for a in Store(tmp_path, read_only=True).annotations(sid)] == [("actor", "Karl Ek")]


async def test_motions(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        text = view.story.text
        assert view.cursor == 0
        await pilot.press("w")
        assert text[view.cursor :].startswith("council approves")
        await pilot.press("e")
        assert text[view.cursor] == "l" and text[view.cursor - 6 : view.cursor + 1] == "council"
        await pilot.press("b")
        assert text[view.cursor :].startswith("council")
        await pilot.press("}")
        assert text[view.cursor :].startswith("NORDVIK, May 2")
        await pilot.press(")")
        assert text[view.cursor :].startswith("The harbour council of Nordvik")
        await pilot.press(")")  # "Dr." does not end a sentence
        assert text[view.cursor :].startswith("Dr. Ellen Voss")
        await pilot.press("(")
        assert text[view.cursor :].startswith("The harbour council of Nordvik")
        await pilot.press("{")
        assert text[view.cursor :].startswith("NORDVIK")
        await pilot.press("right", "right")
        assert text[view.cursor :].startswith("RDVIK")
        await pilot.press("left")
        assert text[view.cursor :].startswith("ORDVIK")
        await pilot.press("home")
        assert text[view.cursor :].startswith("NORDVIK")
        await pilot.press("end")
        assert text[view.cursor] != " " and text[view.cursor + 1] == " "
        await pilot.press("G")
        assert view.cursor == len(text) - 1
        await pilot.press("g")
        assert view.cursor == 0
        # down from the headline skips the byline row and the blank rows to the next text
        await pilot.press("down")
        assert view.story.block_at(view.cursor).kind != "headline"


async def test_shift_arrows_and_visual_mode(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert selected(view) == "Har"  # shift selection ends before the cursor
        await pilot.press("right")
        assert view.selection is None
        await pilot.press("g", "v", "e")
        assert selected(view) == "Harbour"  # visual selection includes the cursor
        await pilot.press("w")
        assert selected(view) == "Harbour c"
        await pilot.press("v")
        assert view.selection is None


async def test_tag_snaps_to_words_and_escape_clears(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await pilot.press("/", *"arbour coun", "enter")
        assert selected(view) == "arbour coun"
        await pilot.press("c")
        await pilot.pause()
        ann = store.annotations(sid)[0]
        assert (ann.kind, ann.exact) == ("claim", "Harbour council")
        assert view.selection is None
        await pilot.press("escape")  # no selection: back to the library
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_tag_without_selection_warns_and_saves_nothing(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await until(pilot, lambda: any("Select text first" in n.message for n in notices), "the warning")
        assert store.annotations(sid) == []


async def test_delete_undo_redo(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await pilot.press("/", *"rushed and unfair", "enter", "q")
        await pilot.press("/", *"Karl Ek", "enter", "a", "enter")
        await pilot.pause()
        assert sorted(a.exact for a in store.annotations(sid)) == ["Karl Ek", "rushed and unfair"]
        await pilot.press("[", "[")  # jump to an annotation and delete it
        here = view.annotations_at(view.cursor)
        assert here
        await pilot.press("x")
        await pilot.pause()
        assert len(store.annotations(sid)) == 1
        await pilot.press("u")  # undo the delete
        assert len(store.annotations(sid)) == 2
        await pilot.press("u", "u")  # undo both adds
        assert store.annotations(sid) == []
        assert Store(tmp_path, read_only=True).annotations(sid) == []  # every undo is saved at once
        await pilot.press("ctrl+r")
        assert [a.exact for a in Store(tmp_path, read_only=True).annotations(sid)] == ["rushed and unfair"]
        await pilot.press("ctrl+r", "ctrl+r")
        assert len(store.annotations(sid)) == 1
        await pilot.pause()


async def test_overlapping_annotations(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await pilot.press("/", *"Opposition member Karl Ek said the plan", "enter", "c")
        await pilot.press("/", *"Karl Ek", "enter", "a", "enter")
        await pilot.pause()
        kinds = {a.kind for a in view.annotations_at(view.story.text.index("Karl"))}
        assert kinds == {"claim", "actor"}
        assert view.annotations_at(view.story.text.index("Karl"))[0].kind == "actor"  # innermost first


async def test_find_next_and_previous(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        text = view.story.text
        await pilot.press("/", *"council", "enter")
        first = view.selection
        await pilot.press("n")
        second = view.selection
        assert first is not None and second is not None and second[0] > first[0]
        assert text[second[0] : second[1]].lower() == "council"
        await pilot.press("N")
        assert view.selection == first


async def test_find_cancel_restores_cursor(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await pilot.press("w", "/", *"morning")
        await pilot.pause()
        assert view.story.text[view.cursor :].startswith("morning")
        await pilot.press("escape")
        await pilot.pause()
        assert view.story.text[view.cursor :].startswith("council")
        assert view.has_focus


async def test_mouse_drag_selects(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        layout = view._ensure_layout()
        y = layout.row_of(0) - round(view.scroll_offset.y)
        x0 = layout.x_of(0)
        await pilot.mouse_down(view, offset=(x0, y))
        await pilot.hover(view, offset=(x0 + 6, y))
        await pilot.mouse_up(view, offset=(x0 + 6, y))
        assert selected(view) == "Harbour"


async def test_help_screen_lists_every_binding(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen._table())
        text = console.export_text()
        for words in ("next word start", "word end", "next sentence", "select", "quote", "actor", "claim", "undo"):
            assert words in text.lower()
        assert "←, h" in text  # keys bound to one action share a row
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (140, 50)])
async def test_small_and_large_terminals(tmp_path: Path, size: tuple[int, int]) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=size) as pilot:
        await pilot.press("}", "}", "v", "e", "q")
        await pilot.pause()
        assert len(store.annotations(sid)) == 1
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        await pilot.press("down", "down", "end")
        await pilot.resize_terminal(*size)
        await pilot.pause()


async def test_story_text_cannot_reach_the_terminal(tmp_path: Path) -> None:
    hostile = "Headline \x1b]0;pwned\x07 here\n\nBody \x1b[31mred\x1b[0m text\x07 and \x9b2J more [bold]x[/bold]."
    store, sid = make_store(tmp_path, hostile)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app)
        for y in range(view.size.height):
            for seg in view.render_line(y):
                assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in seg.text)
        assert "[bold]x[/bold]" in view.story.text  # markup is shown as text, not interpreted


async def test_command_palette_offers_actions(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("/", *"Karl Ek", "enter")
        await run_command(pilot, "tag selection as actor", "Tag selection as actor")
        await until(pilot, lambda: isinstance(app.screen, ActorTagDialog), "the actor dialog")
        await pilot.press("enter")  # a new registry entry (the registry is empty)
        await until(pilot, lambda: store.annotations(sid), "the tag to be saved")
        assert [(a.kind, a.exact) for a in store.annotations(sid)] == [("actor", "Karl Ek")]


async def test_long_story_scrolls_with_the_cursor(tmp_path: Path) -> None:
    paragraphs = [f"Paragraph {i} has enough words in it to wrap around the end of a line." for i in range(80)]
    store, sid = make_store(tmp_path, "A long story\n\n" + "\n\n".join(paragraphs))
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        layout = view._ensure_layout()

        def cursor_visible() -> bool:
            top = round(view.scroll_offset.y)
            return top <= layout.row_of(view.cursor) < top + view.scrollable_content_region.height

        for _ in range(40):
            await pilot.press("}")
        assert view.story.text[view.cursor :].startswith("Paragraph 39")
        assert view.scroll_offset.y > 0 and cursor_visible()
        await pilot.press("G")
        assert cursor_visible()
        view.scroll_to(y=0, animate=False, immediate=True)  # as the mouse wheel would
        await pilot.pause()
        assert cursor_visible()
        await pilot.press("pagedown", "pagedown")
        assert cursor_visible() and view.scroll_offset.y > 0


async def test_palette_leaves_out_textuals_keys_panel_and_notices_go_sooner_than_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Keys" not in titles and "Screenshot" not in titles and "Quit" in titles
        shown: list[dict[str, object]] = []
        monkeypatch.setattr(App, "notify", lambda self, message, **kw: shown.append({"message": message, **kw}))
        app.notify("Saved")
        app.notify("Broken", title="Not saved", severity="error")
        app.notify("“Karl Ek”", title="Saved actor", markup=False)
        saved, broken, titled = shown
        assert saved["timeout"] == app.NOTICE_TIMEOUT < (broken["timeout"] or 5)  # errors: Textual's own 5 s
        assert broken["title"] == "Not saved"  # errors keep their title line
        assert (titled["message"], titled["title"]) == ("Saved actor: “Karl Ek”", "")  # a notice is one line


async def test_keys_typed_right_after_enter_in_find_reach_the_reader(tmp_path: Path) -> None:
    """`/`, a name, Enter and `a` typed within 0.1 s: `a` tags the match; it does not go into the find box."""
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("/", *"Karl Ek")
        press_at_once(app, "enter", "a")  # both queued before the app handles Enter
        await until(pilot, lambda: isinstance(app.screen, ActorTagDialog), "the actor dialog that `a` opens")
        assert reader.find_bar.input.value == "Karl Ek"
        assert selected(reader.view) == "Karl Ek"
        await pilot.press("escape", "escape")  # no actor; drop the selection
        await pilot.press("/", *"Karl")
        press_at_once(app, "escape", "n")  # cancel, then the next match of the last search
        await until(pilot, lambda: reader.view.selection is not None, "`n` to select the next match")
        assert selected(reader.view) == "Karl" and reader.find_bar.input.value == "Karl"


async def test_find_typed_all_at_once_selects_and_tags(tmp_path: Path) -> None:
    """`/`, a name, Enter and `a` all queued before the app handles `/` (issue 10 §5): the name goes into the box
    that `/` opens, not to the reader's keys, and `a` tags the match."""
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        press_at_once(app, "/", *"Karl Ek", "enter", "a")
        await until(pilot, lambda: isinstance(app.screen, ActorTagDialog), "the actor dialog that `a` opens")
        assert reader.find_bar.input.value == "Karl Ek"
        assert selected(reader.view) == "Karl Ek"
        await pilot.press("escape", "escape", "/", "/")  # in the box, the find key is a character of the query
        assert reader.find_bar.input.value.endswith("/") and app.focused is reader.find_bar.input


RUSSIA = """\
Russia and the US resume grain talks

MOSCOW, May 2 (Reuters) - Russia told us the USA talks were over. Officials in Russia said the US would return. \
Thus the usual round begins, one diplomat told US reporters.
"""


async def test_find_is_smart_case_and_can_match_whole_words_only(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path, RUSSIA)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        text = view.story.text
        found = lambda query, **kw: [text[s:e] for s, e in view.find(query, **kw)]  # noqa: E731
        inside_russia = {text.index("Russia", i) + 1 for i in (0, 40, 100)}
        assert found("US") == ["US"] * 4  # the headline's, "USA" and two more: never the "us" of "Russia"
        assert not inside_russia & {s for s, _ in view.find("US")}
        assert inside_russia <= {s for s, _ in view.find("us")}  # all lower case: any case
        assert len(found("us")) == 10
        assert found("US", whole_words=True) == ["US"] * 3  # not the start of "USA"
        assert found("us", whole_words=True) == ["US", "us", "US", "US"]  # not "Thus", "usual", "USA"
        assert found("the US", whole_words=True) == ["the US", "the US"]
        await pilot.press("/", *"US", "enter")
        assert view.selection is not None and view.selection[0] == text.index(" US ") + 1  # the headline's
        mode = app.screen.query_one("#find-mode", Label)
        await pilot.press("n")
        assert view.selection[0] == text.index("USA")
        await pilot.press("/")
        assert "exact case · parts of words (tab toggles)" in str(mode.render())
        await pilot.press("tab")  # whole words: the hint says so, the matches change at once
        assert "exact case · whole words (tab toggles)" in str(mode.render())
        await pilot.press("enter")  # from the cursor, on "USA": the next whole word
        assert view.selection[0] == text.index("the US would") + 4
        await pilot.press("n")  # `n` keeps to whole words
        assert view.selection[0] == text.index("told US") + 5
        await pilot.press("/", "backspace", "backspace", *"us")
        assert "any case · whole words" in str(mode.render())


async def test_read_only_is_in_the_title_bar_for_the_whole_session(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", read_only="another wiredesk (pid 7) is writing")
    async with app.run_test(size=SIZE) as pilot:

        def title_bar() -> str:  # "" while the screen's header is not mounted yet (a pushed screen composes later)
            titles = app.screen.query("HeaderTitle")
            return str(titles.first().render()) if titles else ""

        await until(pilot, lambda: "READ-ONLY" in title_bar(), "the title bar to say read-only")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and title_bar(), "the reader's title bar")
        assert "READ-ONLY" in title_bar()
        app.clear_notifications()  # the notice at start has gone: the title bar still says it
        await pilot.pause()
        assert "READ-ONLY" in title_bar()
    writable = app_for(make_store(tmp_path / "other")[0])
    async with writable.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "READ-ONLY" not in str(writable.screen.query_one("HeaderTitle").render())


async def test_a_saved_notice_hides_no_line_of_text(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        view = view_of(app)
        await pilot.press("G", "/", *"rushed and unfair", "enter", "q")  # the last lines of the story
        await until(pilot, lambda: len(app.screen.query("Toast")) > 0, "the Saved notice")
        (toast,) = app.screen.query("Toast")
        # mounted before it is laid out: on a loaded machine the test could look in between (region 0x0)
        await until(pilot, lambda: toast.region.height > 0, "the Saved notice laid out")
        assert "Saved quote" in str(toast.render())
        text_area = view.region
        assert not toast.region.overlaps(text_area), (toast.region, text_area)
        assert toast.region.height == 1
