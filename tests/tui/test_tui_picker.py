"""The pickers over a registry of 200 realistic entries, driven by Pilot: a full new name is never linked to a
shorter existing one, a short name never to a word it is inside of; the registry's `/` ranks alike. Also: a
duplicate tag is refused with the right article, and the edit form returns its edit for the reader to save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotations import anchor
from annotations.history import History
from annotations.store import Store
from stories.loader import parse_text
from tests.annotations.registry_names import registry
from tests.store_support import add_story
from tests.tui.support import Notices, until
from tui.app import WiredeskApp
from tui.screens.actor_picker import ActorPicker
from tui.screens.actor_tag import ActorTagDialog
from tui.screens.actors import ActorsScreen
from tui.screens.annotation_form import AnnotationForm, FormEdit
from tui.screens.reader import ReaderScreen
from tui.widgets.actor_list import ActorList
from tui.widgets.story_view import StoryView

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)

STORY = """\
Russia rejects US strikes on Venezuela

CARACAS, May 2 (Reuters) - The Russian Embassy in Caracas said on Tuesday that the strikes had "no basis".

Venezuela's government said the US strikes broke international law.

Spokeswoman Maria Zakharova said Kosachev would speak in the Federation Council.
"""


def make_store(path: Path) -> tuple[Store, str]:
    """The story, and the 200 entries in the registry."""
    store = Store(path)
    story = parse_text(STORY, "caracas.txt")[0]
    add_story(store, story)
    store.apply([(None, actor) for actor in registry()])
    return store, story.id


def add_quote(store: Store, sid: str, text: str) -> None:
    story = store.story(sid)
    start = story.text.index(text)
    History(store).add(anchor.tag(story, "quote", start, start + len(text), annotator="analyst"))


def state(store: Store) -> tuple[dict[str, Any], dict[str, Any]]:
    anns = {a.id: a.to_dict() for a in store.annotations()}
    actors = {a.id: a.to_dict() for a in store.actors(include_merged=True)}
    return anns, actors


async def find(pilot: Any, text: str) -> None:
    """Select `text` with the find box; wait until it is selected and the keys go to the story again (on a loaded
    machine the find can be behind the keys that follow it)."""
    await pilot.press("/", *text, "enter")
    view = pilot.app.screen.query_one(StoryView)
    start = view.story.text.index(text)
    await until(pilot, lambda: view.selection == (start, start + len(text)) and view.has_focus, f"{text!r} selected")


def highlighted(options: Any) -> str:
    """The id of the highlighted option: "new", or the name of the entry it links to."""
    option = options.highlighted_option
    assert option is not None
    if option.id == "new":
        return "new"
    return options.app.store.actor(str(option.id).removeprefix("actor:")).name


async def open_picker(pilot: Any, quote: str) -> ActorPicker:
    await find(pilot, quote)
    await pilot.press("escape", "s")  # the cursor stays on the quote; s: its speaker
    await pilot.pause()
    picker = pilot.app.screen
    assert isinstance(picker, ActorPicker)
    return picker


async def type_in(pilot: Any, picker: ActorPicker, text: str) -> None:
    picker.query_input.value = ""
    await pilot.press(*text)
    await pilot.pause()


def quoted_app(tmp_path: Path) -> tuple[Store, str, WiredeskApp]:
    """The store (a quote "no basis" in the story, not linked yet), the story's id, the app on it."""
    store, sid = make_store(tmp_path)
    add_quote(store, sid, "no basis")
    return store, sid, WiredeskApp(store, annotator="tester", open_story=sid)


async def test_a_new_longer_name_is_highlighted_as_new_and_enter_makes_it(tmp_path: Path) -> None:
    store, sid, app = quoted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(pilot, "no basis")
        await type_in(pilot, picker, "Russian Embassy in Caracas")
        assert highlighted(picker.results) == "new"  # "Russia" is in the registry, and shorter
        await pilot.press("enter", "o")  # New actor; its type: organisation
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        (quote,) = store.annotations(sid)
        speaker = store.actor(quote.speaker)
        assert speaker is not None and (speaker.name, speaker.type) == ("Russian Embassy in Caracas", "organisation")
        assert len(store.actors()) == 201


async def test_the_picker_highlights_what_the_typed_text_names(tmp_path: Path) -> None:
    store, sid, app = quoted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(pilot, "no basis")
        for typed, expected in (
            ("Russia", "Russia"),  # exact, above the longer names holding it
            ("US", "United States"),  # an alias; never Russia
            ("kosa", "Konstantin Kosachev"),  # the start of a word, while typing
            ("venezuela's", "Venezuela's government"),
            ("Trmp", "Donald Trump"),  # a slip
            ("Peskov said", "new"),
        ):
            await type_in(pilot, picker, typed)
            assert highlighted(picker.results) == expected, typed
        await type_in(pilot, picker, "US")
        listed = [str(o.prompt) for o in picker.results.options]
        assert not any("Russia" in line or "Belarus" in line for line in listed)
        await type_in(pilot, picker, "kosa")
        await pilot.press("enter")
        await pilot.pause()
        (quote,) = store.annotations(sid)
        assert store.actor(quote.speaker).name == "Konstantin Kosachev"  # type: ignore[union-attr]


async def test_a_selected_US_is_not_linked_to_russia(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    united_states = [a for a in store.actors() if any(n in ("US", "United States") for n in a.names)]
    store.apply([(a, None) for a in united_states])  # no entry is called US: the case of the issue
    app = WiredeskApp(store, annotator="tester", open_story=sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "US strikes broke")
        await pilot.press("escape", "v", "e", "a")  # select "US" alone, tag it as an actor
        await until(pilot, lambda: isinstance(app.screen, ActorTagDialog), "the actor dialog")
        dialog = app.screen
        assert isinstance(dialog, ActorTagDialog) and dialog.name_text == "US"
        offered = [m.actor.name for m in dialog.matches]
        assert "Russia" not in offered and "Belarus" not in offered  # "us" inside a word is no match
        assert offered[0].startswith("US ")  # "US Treasury", "US government"…: whole words
        await pilot.press("escape")
        store.apply([(None, a) for a in united_states])
        await find(pilot, "US strikes broke")
        await pilot.press("escape", "v", "e", "a")
        await pilot.pause()
        assert highlighted(app.screen.choices) == "United States"  # type: ignore[attr-defined]
        await pilot.press("escape")


async def test_a_selected_longer_name_highlights_a_new_entry(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", open_story=sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "Russian Embassy in Caracas")
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActorTagDialog)
        assert highlighted(dialog.choices) == "new"
        await pilot.press("enter")  # Enter: a new person… as highlighted; the point is it is not Russia
        await pilot.pause()
        (mention,) = store.annotations(sid)
        assert store.actor(mention.actor).name == "Russian Embassy in Caracas"  # type: ignore[union-attr]


async def test_the_registry_find_ranks_a_possessive_above_the_bare_name(tmp_path: Path) -> None:
    store, _sid = make_store(tmp_path)
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ActorsScreen)
        await pilot.press("/", *"venezuela's")
        await pilot.pause()
        rows = [a.name for a in app.screen.query_one(ActorList)._rows]
        assert rows[0] == "Venezuela's government" and rows.index("Venezuela's government") < rows.index("Venezuela")
        await pilot.press("escape")
        await pilot.press("/", *"US")
        await pilot.pause()
        rows = [a.name for a in app.screen.query_one(ActorList)._rows]
        assert rows[0] == "United States" and "Russia" not in rows


async def test_a_duplicate_tag_is_refused_with_the_right_article(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = WiredeskApp(store, annotator="tester", open_story=sid)
    notices = Notices(app)  # kept after their toasts expire
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "Maria Zakharova")
        await pilot.press("a", "enter")  # linked to her entry
        await pilot.pause()
        before = state(store)
        await find(pilot, "Maria Zakharova")
        await pilot.press("a")

        def refusal() -> bool:
            return any("“Maria Zakharova” is already tagged as an actor (" in m for m in notices.messages())

        await until(pilot, refusal, "the duplicate refused, with the right article")
        assert isinstance(app.screen, ReaderScreen)  # refused before asking for an entry
        assert state(store) == before


async def test_the_form_returns_its_edit_and_the_reader_saves_it(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    add_quote(store, sid, "no basis")
    (quote,) = store.annotations(sid)
    before = state(store)
    returned: list[FormEdit | None] = []
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(AnnotationForm(quote, store), returned.append)
        await pilot.pause()
        await pilot.press("tab", *"from the embassy", "enter")
        await pilot.pause()
        (edit,) = returned
        assert edit is not None and edit.ann.note == "from the embassy" and edit.new_actors == ()
        assert state(store) == before  # the form saved nothing by itself

    app = WiredeskApp(store, annotator="tester", open_story=sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "no basis")
        await pilot.press("escape", "enter", "tab", *"from the embassy", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert store.annotation(quote.id).note == "from the embassy"  # type: ignore[union-attr]
        await pilot.press("u")  # one undoable step, through the reader's History
        assert state(store) == before
