"""Suggestions in the reader, driven by keys: shown pending, next/previous, accept, reject, edit before accepting,
accept every one of a kind, toggle, undo; read-only. The app is given fixed suggestions (its suggester is
injectable), filtered by `review.pending` as the real ones are."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console

from annotations.anchor import locate
from annotations.registry import Registry
from annotations.store import Store
from annotations.suggest import Suggestion
from stories.model import Story
from tests.tui.support import Notices, until
from tests.tui.test_tui_annotate import STORY, add_tag, make_store
from tui.app import WiredeskApp
from tui.screens.annotation_form import AnnotationForm
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.reader import ReaderScreen
from tui.widgets.status_line import StatusLine
from tui.widgets.suggestion_list import SuggestionList

SIZE = (100, 32)


def fixed(story: Story) -> list[Suggestion]:
    """What a suggester could find in STORY: two partial quotes with new speakers, three person mentions."""

    def at(text: str) -> tuple[int, int]:
        return locate(story, text)

    def quote(text: str, speaker: str) -> Suggestion:
        s, e = at(text)
        ss, se = at(speaker)
        return Suggestion(
            "quote", s, e, text, 0.9, "test", speaker, None, "person", ss, se, "partial", "said", None, None
        )

    def actor(name: str) -> Suggestion:
        s, e = at(name)
        return Suggestion("actor", s, e, name, 0.8, "test", actor=name, actor_type="person")

    return sorted(
        [
            quote("no real basis", "Ingrid Solberg"),
            quote("rushed and unfair", "Karl Ek"),
            actor("Ingrid Solberg"),
            actor("Karl Ek"),
            actor("Ellen Voss"),
        ],
        key=lambda s: (s.start, -s.end),
    )


def fixed_suggester(story: Story, registry: Registry) -> list[Suggestion]:
    return fixed(story)


def app_for(store: Store, sid: str, read_only: str = "", suggester: Any = fixed_suggester) -> WiredeskApp:
    return WiredeskApp(store, annotator="tester", open_story=sid, read_only=read_only, suggester=suggester)


def reader(app: WiredeskApp) -> ReaderScreen:
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


async def shown(pilot: Any, count: int) -> ReaderScreen:
    """Wait until the reader shows `count` suggestions (computed in a worker)."""
    await until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen), "the reader")
    screen = reader(pilot.app)
    await until(pilot, lambda: len(screen.view.suggestions) == count, f"{count} suggestions shown")
    return screen


def status(screen: ReaderScreen) -> str:
    return screen.query_one(StatusLine).text.plain


def suggestion_rows(screen: ReaderScreen) -> str:
    console = Console(width=40, record=True, file=io.StringIO())
    section = screen.query_one(SuggestionList)
    for option in section.rows.options:
        console.print(option.prompt)
    return " ".join(console.export_text().split())


def current(screen: ReaderScreen) -> str:
    suggestion = screen.current_suggestion()
    return f"{suggestion.kind}:{suggestion.exact}" if suggestion else ""


async def test_suggestions_are_shown_in_the_text_the_panel_and_the_status_line(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    async with app_for(store, sid).run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        assert "5 suggestions" in status(screen)
        rows = suggestion_rows(screen)
        assert "“no real basis” — Ingrid Solberg (new) · partial · 0.90" in rows
        assert "Actor Ellen Voss — new · person · 0.80" in rows
        assert "Suggestions: 2 quotes, 3 actors" in str(screen.query_one("#suggest-title").render())
        assert screen.view.render_line(0).text  # draws


async def test_next_and_previous_move_the_cursor_and_show_the_details(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    async with app_for(store, sid).run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("greater_than_sign")
        assert current(screen) == "actor:Ingrid Solberg"
        assert screen.view.cursor == STORY.index("Ingrid Solberg")
        await pilot.press("greater_than_sign")
        assert current(screen) == "quote:no real basis"
        assert screen.view.current_suggestion == screen.current_suggestion()  # drawn highlighted
        line = status(screen)
        assert "suggested quote Ingrid Solberg (new) · partial · 0.90" in line
        assert "2/5" in line and "y accept, r reject, f edit" in line
        await pilot.press("less_than_sign")
        assert current(screen) == "actor:Ingrid Solberg"
        await pilot.press("less_than_sign")  # wraps to the last
        assert current(screen) == "actor:Ellen Voss"


async def test_accept_stores_the_quote_with_its_new_speaker_and_undo_reverts_it(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("greater_than_sign", "greater_than_sign", "y")
        (ann,) = store.annotations(sid)
        assert (ann.kind, ann.exact, ann.form, ann.annotator) == ("quote", "no real basis", "partial", "tester")
        speaker = store.actor(ann.speaker)
        assert speaker is not None and (speaker.name, speaker.type) == ("Ingrid Solberg", "person")
        saved = [n.message for n in notices if n.title == "Saved quote"]
        assert saved == ["“no real basis” — Ingrid Solberg (new person: t changes it)"]
        await until(pilot, lambda: len(screen.view.suggestions) == 4, "the accepted one gone")
        assert [a.exact for a in screen.view.annotations] == ["no real basis"]
        assert Store(tmp_path, read_only=True).annotations(sid) == [ann]  # saved at once
        await pilot.press("t")  # the guessed type, changed with one key and a choice
        await until(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog), "the type choice")
        await pilot.press("down", "enter")  # person -> organisation
        await until(pilot, lambda: pilot.app.screen is screen, "back in the reader")
        assert store.actor(ann.speaker).type == "organisation"
        await pilot.press("u")  # the type change
        assert store.actor(ann.speaker).type == "person"
        await pilot.press("u")
        assert store.annotations(sid) == [] and store.actor(ann.speaker) is None
        await until(pilot, lambda: len(screen.view.suggestions) == 5, "the suggestion back after undo")
        assert screen.view.annotations == []


async def test_reject_hides_a_suggestion_for_good(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press(*["greater_than_sign"] * 3)
        assert current(screen) == "actor:Karl Ek"
        await pilot.press("r")
        await until(pilot, lambda: len(screen.view.suggestions) == 4, "the rejected one gone")
        assert "actor:Karl Ek" not in {f"{s.kind}:{s.exact}" for s in screen.view.suggestions}
        assert store.annotations(sid) == []
        assert [n.message for n in notices if n.title == "Rejected actor suggestion"] == ["“Karl Ek”  (u to undo)"]
    store.close()
    again = app_for(Store(tmp_path), sid)  # a new app on the same library: still gone
    async with again.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 4)
        assert "Karl Ek" not in {s.exact for s in screen.view.suggestions if s.kind == "actor"}
        await pilot.press("u")  # a new session has no undo of the last one's reject
        assert len(screen.view.suggestions) == 4


async def test_undo_brings_a_rejected_suggestion_back(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    async with app_for(store, sid).run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("greater_than_sign", "r")
        await until(pilot, lambda: len(screen.view.suggestions) == 4, "the rejected one gone")
        await pilot.press("u")
        await until(pilot, lambda: len(screen.view.suggestions) == 5, "the rejected one back")
        assert current(screen) == "actor:Ingrid Solberg"  # the cursor is back on it


async def test_accept_all_of_a_kind_asks_first_and_one_undo_reverts_all(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("greater_than_sign", "Y")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert "Accept 3 actor suggestions?" in str(app.screen.query_one("#confirm-title").render())
        await pilot.press("n")  # no: nothing stored
        await until(pilot, lambda: app.screen is screen, "back in the reader")
        assert store.annotations(sid) == []
        await pilot.press("Y")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question again")
        await pilot.press("y")
        await until(pilot, lambda: len(store.annotations(sid)) == 3, "three actors stored")
        assert {a.exact for a in store.annotations(sid)} == {"Ingrid Solberg", "Karl Ek", "Ellen Voss"}
        assert all(store.actor(a.actor) is not None for a in store.annotations(sid))
        await until(pilot, lambda: len(screen.view.suggestions) == 2, "only the quotes left")
        await pilot.press("u")
        assert store.annotations(sid) == [] and store.actors() == []
        await until(pilot, lambda: len(screen.view.suggestions) == 5, "all back after one undo")


async def test_edit_before_accepting_opens_the_form_prefilled(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("greater_than_sign", "greater_than_sign", "f")
        await until(pilot, lambda: isinstance(app.screen, AnnotationForm), "the form")
        form = app.screen
        assert isinstance(form, AnnotationForm)
        assert "Accept quote" in str(form.query_one("#form-title").render())
        speaker = form.query_one("#form-speaker")
        assert "Ingrid Solberg" in str(speaker.render()) and "new entry" in str(speaker.render())
        await pilot.press("tab", *"checked", "enter")  # the note, then save
        await until(pilot, lambda: app.screen is screen, "back in the reader")
        (ann,) = store.annotations(sid)
        assert (ann.kind, ann.exact, ann.note, ann.form) == ("quote", "no real basis", "checked", "partial")
        assert store.actor(ann.speaker) is not None and store.actor(ann.speaker).name == "Ingrid Solberg"
        await until(pilot, lambda: len(screen.view.suggestions) == 4, "the accepted one gone")
        await pilot.press("u")
        assert store.annotations(sid) == [] and store.actors() == []


async def test_edit_before_accepting_cancelled_stores_nothing(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("greater_than_sign", "f")
        await until(pilot, lambda: isinstance(app.screen, AnnotationForm), "the form")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back in the reader")
        assert store.annotations(sid) == [] and store.actors() == []
        await until(pilot, lambda: len(screen.view.suggestions) == 5, "still all there")


async def test_toggle_hides_and_shows_the_suggestions(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("T")
        assert screen.view.suggestions == [] and "suggestion" not in status(screen)
        assert not screen.query_one(SuggestionList).has_class("-shown")
        await pilot.press("greater_than_sign")
        assert "No suggestions (hidden: T shows them)." in notices.messages()
        await pilot.press("T")
        await until(pilot, lambda: len(screen.view.suggestions) == 5, "shown again")
        assert screen.query_one(SuggestionList).has_class("-shown")


async def test_a_tagged_span_is_not_suggested_again_and_tagging_refreshes(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    add_tag(store, sid, "quote", "no real basis")
    async with app_for(store, sid).run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 4)
        assert "no real basis" not in {s.exact for s in screen.view.suggestions}
        await pilot.press("/", *"Ellen Voss", "enter", "a", "n", "p")  # tag it by hand: a new person
        await until(pilot, lambda: len(screen.view.suggestions) == 3, "the hand-tagged one gone")


async def test_read_only_shows_suggestions_but_accept_and_reject_say_so(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid, read_only="another wiredesk holds the library")
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("greater_than_sign", "y", "r", "f", "Y")
        assert [n.title for n in notices if n.severity == "error"] == ["Read-only: nothing was saved"] * 4
        assert all("\n" not in n.message for n in notices)
        assert store.annotations(sid) == [] and len(screen.view.suggestions) == 5
        assert isinstance(app.screen, ReaderScreen)


async def test_keys_off_a_suggestion_say_where_to_go(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, 5)
        await pilot.press("y")  # the cursor is on the headline: no suggestion there
        assert "No suggestion at the cursor (> goes to the next one)." in notices.messages()
        assert store.annotations(sid) == []


async def test_a_stale_result_is_dropped_and_a_failing_suggester_only_warns(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)

    def broken(story: Story, registry: Registry) -> list[Suggestion]:
        raise ValueError("bug")

    app = app_for(store, sid, suggester=broken)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        screen = reader(app)
        await until(pilot, lambda: screen.suggestions == [], "the suggester's failure handled")
        assert any("suggester failed" in n.message for n in notices)
        story = screen.story
        screen._suggestions_ready(screen._suggest_round - 1, sid, fixed(story))  # asked before a change
        assert screen.suggestions == [] and screen.view.suggestions == []
        await pilot.press("j", "w")  # still reading
        assert screen.view.cursor > 0


async def test_suggester_text_reaching_the_screen_is_cleaned(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)

    def hostile(story: Story, registry: Registry) -> list[Suggestion]:
        s, e = locate(story, "no real basis")
        bad = "Ingrid\x1b[2J Solberg\u202e\x07"
        return [Suggestion("quote", s, e, "no real basis", 0.9, speaker=bad, form="partial")]

    async with app_for(store, sid, suggester=hostile).run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 1)
        await pilot.press("greater_than_sign")
        for text in (status(screen), suggestion_rows(screen)):
            assert "Solberg" in text and "\x1b" not in text and "\u202e" not in text and "\x07" not in text


def test_snapshot_reader_with_pending_suggestions(snap_compare: Any, tmp_path: Path) -> None:
    """Pending suggestions: dim and underlined with a margin marker, the current one bold, the panel's section and
    the status line's details. One annotation shows its own style beside them."""
    store, sid = make_store(tmp_path)
    add_tag(store, sid, "actor", "Ellen Voss")
    app = app_for(store, sid)

    async def run_before(pilot: Any) -> None:
        await shown(pilot, 4)
        await pilot.press("greater_than_sign", "greater_than_sign")
        await until(pilot, lambda: current(reader(pilot.app)) == "quote:no real basis", "the quote current")
        pilot.app.clear_notifications()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_a_click_in_the_panel_goes_to_the_suggestion(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    async with app_for(store, sid).run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        rows = screen.query_one(SuggestionList).rows
        await until(pilot, lambda: rows.region.height > 0, "the section laid out")  # the results come in a thread
        await pilot.click(rows, offset=(8, 0))  # the first row
        await until(pilot, lambda: screen.current_suggestion() is not None, "a suggestion current")
        assert current(screen) == "actor:Ingrid Solberg"
        assert screen.view.cursor == STORY.index("Ingrid Solberg")
        assert screen.view.has_focus


async def test_the_worker_thread_never_reads_the_store(tmp_path: Path, monkeypatch: Any) -> None:
    """The library is read on the app's thread, where it is written; the thread only suggests (a save while it
    ran could otherwise change a dict under its feet)."""
    import threading

    store, sid = make_store(tmp_path)
    threads: set[str] = set()
    for name in ("annotations", "actors", "rejected_keys", "rejected_patterns", "story", "actor", "entry"):
        method = getattr(store, name)

        def spy(*args: Any, _method: Any = method, **kwargs: Any) -> Any:
            threads.add(threading.current_thread().name)
            return _method(*args, **kwargs)

        monkeypatch.setattr(store, name, spy)
    async with app_for(store, sid).run_test(size=SIZE) as pilot:
        screen = await shown(pilot, 5)
        await pilot.press("greater_than_sign", "y")  # accepting changes the annotations: suggested again
        await until(pilot, lambda: len(screen.view.suggestions) == 4, "4 suggestions left")
    assert threads == {threading.main_thread().name}
