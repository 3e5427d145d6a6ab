"""The actors view and the library's annotation filters, driven by Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.actors import Actor
from annotations.history import History
from annotations.library_index import LibraryIndex, parse_filter
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story
from tests.store_support import add_story, make_story
from tests.tui.support import counts_shown, run_command, until
from tui.app import WiredeskApp
from tui.screens.actor_detail import ActorDetailScreen
from tui.screens.actors import ActorsScreen
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.library import LibraryScreen
from tui.screens.merge_dialog import MergeDialog
from tui.screens.reader import ReaderScreen
from tui.screens.text_prompt import TextPrompt
from tui.widgets.actor_list import ActorList
from tui.widgets.story_list import StoryList
from tui.widgets.story_view import StoryView
from tui.widgets.usage_list import UsageList

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)

KREMLIN = make_story(
    "Senator Konstantin Kosachev rejected the report on Monday.",
    "“The report is biased and was written in advance,” Kosachev told reporters in Moscow.",
    "He claimed that the vote had been rigged by western observers.",
    headline="Moscow rejects observers' report",
    agency="TASS",
    created="2026-03-02",
)
VIENNA = make_story(
    "Foreign Minister Sergei Lavrov met the envoys in Vienna on Tuesday.",
    "“We are ready to talk,” Lavrov said, adding that sanctions had failed completely.",
    "Kosachev did not attend the meeting.",
    headline="Lavrov meets envoys in Vienna",
    agency="Reuters",
    created="2026-03-03",
)
HARBOUR = make_story("The harbour reopened after the storm.", headline="Harbour reopens", created="2026-03-01")


def span(story: Story, exact: str, kind: str, **links: str) -> Annotation:
    start = story.text.index(exact)
    ann = Annotation.new(story, kind, start, start + len(exact), annotator="tester")
    return ann.edited(**links) if links else ann


class Library:
    """A small library: two tagged stories, one untagged, three actors (one a twin of another)."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path)
        self.store.add_stories([KREMLIN, VIENNA, HARBOUR])
        self.kosachev = Actor.new("Konstantin Kosachev", "person", aliases=("K. Kosachev",))
        self.lavrov = Actor.new("Sergei Lavrov", "person")
        self.twin = Actor.new("Kosachev Konstantin", "person")
        k, v = KREMLIN, VIENNA
        self.quote = span(k, "The report is biased and was written in advance", "quote", speaker=self.kosachev.id)
        self.store.apply(
            [
                (None, self.kosachev),
                (None, self.lavrov),
                (None, self.twin),
                (None, span(k, "Konstantin Kosachev", "actor", actor=self.kosachev.id)),
                (None, self.quote),
                (None, span(k, "the vote had been rigged", "claim", claimant=self.kosachev.id, status="opinion")),
                (None, span(v, "We are ready to talk", "quote", speaker=self.lavrov.id)),
                (None, span(v, "sanctions had failed completely", "claim", claimant=self.lavrov.id, status="disputed")),
                (None, span(v, "Kosachev", "actor", actor=self.twin.id)),
            ]
        )

    def app(self) -> WiredeskApp:
        return WiredeskApp(self.store, annotator="tester")

    def registry(self) -> dict[str, dict]:
        return {a.id: a.to_dict() for a in self.store.actors(include_merged=True)}

    def annotations(self) -> dict[str, dict]:
        return {a.id: a.to_dict() for a in self.store.iter_annotations()}


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path)


async def open_actors(app: WiredeskApp, pilot, highlight: str | None = None) -> ActorList:
    await pilot.press("A")
    await pilot.pause()
    assert isinstance(app.screen, ActorsScreen)
    actors = app.screen.query_one(ActorList)
    if highlight is not None:
        actors.highlight(highlight)
    return actors


def cursor_of(app: WiredeskApp) -> int | None:
    """The reader's cursor, or None when the reader is not shown."""
    views = app.screen.query(StoryView) if isinstance(app.screen, ReaderScreen) else []
    return views[0].cursor if views else None


def shown(app: WiredeskApp) -> int | None:
    """How many stories the library shows, or None when the library is not shown."""
    lists = app.screen.query(StoryList) if isinstance(app.screen, LibraryScreen) else []
    return lists[0].shown if lists else None


def cells(actors: ActorList, actor_id: str) -> list[str]:
    """Name column aside: the row's type and counts (quotes, claims, mentions, stories)."""
    return actors.row_text(actor_id).split()[-5:]


# --- the actors view -----------------------------------------------------------------------------------------


async def test_actors_view_counts_and_enter_jumps_to_the_quote(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        actors = await open_actors(app, pilot, lib.kosachev.id)
        assert cells(actors, lib.kosachev.id) == ["person", "1", "1", "1", "1"]  # 1 quote, 1 claim, 1 mention
        assert cells(actors, lib.lavrov.id) == ["person", "1", "1", "·", "1"]
        assert cells(actors, lib.twin.id) == ["person", "·", "·", "1", "1"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActorDetailScreen)
        usages = app.screen.query_one(UsageList)
        rows = [usages.line_text(i) for i in range(usages.row_count)]
        assert len(rows) == 3 and all("Moscow rejects" in r for r in rows)
        assert [u.field for u in usages.rows] == ["speaker", "claimant", "actor"]  # what they said first
        assert " quote " in rows[0] and " claim " in rows[1] and "opinion" in rows[1] and " mention " in rows[2]
        await pilot.press("enter")
        await until(pilot, lambda: cursor_of(app) == lib.quote.start, "the reader, its cursor on the quote")
        assert isinstance(app.screen, ReaderScreen) and app.screen.story.id == KREMLIN.id
        await pilot.press("escape")  # back to the actor
        await pilot.pause()
        assert isinstance(app.screen, ActorDetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ActorsScreen)


async def test_jump_into_a_long_story_shows_the_span(tmp_path: Path) -> None:
    paragraphs = [f"Paragraph {i} has enough words in it to wrap around the end of a line." for i in range(80)]
    paragraphs[60] = "“We shall never agree,” Kosachev said."
    story = make_story(*paragraphs, headline="A long story")
    store = Store(tmp_path)
    add_story(store, story)
    kosachev = Actor.new("Konstantin Kosachev", "person")
    quote = span(story, "We shall never agree", "quote", speaker=kosachev.id)
    store.apply([(None, kosachev), (None, quote)])
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        await open_actors(app, pilot)
        await pilot.press("enter", "enter")

        def span_shown() -> bool:
            view = app.screen.query_one(StoryView)
            top, row = round(view.scroll_offset.y), view._ensure_layout().row_of(view.cursor)
            return top > 0 and top <= row < top + view.scrollable_content_region.height

        await until(pilot, lambda: cursor_of(app) == quote.start, "the reader, its cursor on the quote")
        await until(pilot, span_shown, "the quote scrolled into view")


async def test_A_from_the_reader_and_back(lib: Library) -> None:
    app = WiredeskApp(lib.store, annotator="tester", open_story=VIENNA.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await open_actors(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_rename_and_undo_restore_the_registry(lib: Library) -> None:
    before = lib.registry()
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        actors = await open_actors(app, pilot, lib.lavrov.id)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one("#prompt-input").value = "Sergey Lavrov"
        await pilot.press("enter")
        await pilot.pause()
        assert lib.store.actor(lib.lavrov.id).name == "Sergey Lavrov"
        assert lib.store.actor(lib.lavrov.id).aliases == ("Sergei Lavrov",)  # the old name stays findable
        assert "Sergey Lavrov" in actors.row_text(lib.lavrov.id)
        assert [a.exact for _, a in lib.store.actor_usage(lib.lavrov.id)] == [
            "We are ready to talk",
            "sanctions had failed completely",
        ]  # links follow: they are by id
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "K. Kosachev"  # another entry's alias: refused
        await pilot.press("enter")
        await pilot.pause()
        assert lib.store.actor(lib.lavrov.id).name == "Sergey Lavrov"
        await pilot.press("u")
        await pilot.pause()
        assert lib.registry() == before
        await pilot.press("ctrl+r")
        assert lib.store.actor(lib.lavrov.id).name == "Sergey Lavrov"


async def test_aliases_type_and_external_id_each_undo(lib: Library) -> None:
    before = lib.registry()
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_actors(app, pilot, lib.kosachev.id)
        await pilot.press("a")
        await pilot.pause()
        box = app.screen.query_one("#prompt-input")
        assert box.value == "K. Kosachev; "
        await pilot.press(*"Kostya", "enter")
        await pilot.pause()
        assert lib.store.actor(lib.kosachev.id).aliases == ("K. Kosachev", "Kostya")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")  # person -> organisation
        await pilot.pause()
        await pilot.press("e", *"Q2069367", "enter")
        await pilot.pause()
        actor = lib.store.actor(lib.kosachev.id)
        assert (actor.type, actor.external_id) == ("organisation", "Q2069367")
        await pilot.press("u", "u")
        await pilot.pause()
        assert lib.store.actor(lib.kosachev.id).aliases == ("K. Kosachev", "Kostya")
        await pilot.press("u")
        await pilot.pause()
        assert lib.registry() == before


async def test_merge_by_fuzzy_search_folds_counts_and_undoes(lib: Library) -> None:
    before, links = lib.registry(), lib.annotations()
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        actors = await open_actors(app, pilot, lib.twin.id)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MergeDialog)
        await pilot.press("ctrl+u", *"kosachev")  # the surname alone finds the twin
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActorsScreen)
        assert lib.store.actor(lib.twin.id).id == lib.kosachev.id  # the twin forwards to its target
        assert "Kosachev Konstantin" in lib.store.actor(lib.kosachev.id).aliases
        assert cells(actors, lib.kosachev.id) == ["person", "1", "1", "2", "2"]  # mentions fold into it
        assert actors.row_count == 2 and actors.highlighted.id == lib.kosachev.id
        assert lib.annotations() == links  # no annotation was rewritten
        await pilot.press("u")
        await pilot.pause()
        assert lib.registry() == before
        assert actors.row_count == 3 and cells(actors, lib.kosachev.id)[3] == "1"


async def test_delete_asks_first_then_unlinks_and_undo_restores(lib: Library) -> None:
    before, links = lib.registry(), lib.annotations()
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        actors = await open_actors(app, pilot, lib.kosachev.id)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        message = str(app.screen.query_one("#confirm-message").render())
        assert "1 mention, 1 quote (speaker), 1 claim (claimant) lose their link." in message
        await pilot.press("enter")  # the focused button is Cancel: Enter alone never deletes
        await pilot.pause()
        assert isinstance(app.screen, ActorsScreen) and lib.registry() == before
        await pilot.press("x", "n")
        await pilot.pause()
        assert lib.registry() == before
        await pilot.press("x", "y")
        await pilot.pause()
        assert lib.kosachev.id not in lib.registry() and actors.row_count == 2
        assert not any(a.links() for a in lib.store.annotations(KREMLIN.id))
        await pilot.press("u")
        await pilot.pause()
        assert lib.registry() == before and lib.annotations() == links


async def test_delete_from_the_actor_page_goes_back_to_the_list(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_actors(app, pilot, lib.lavrov.id)
        await pilot.press("enter", "x", "y")
        await pilot.pause()
        assert isinstance(app.screen, ActorsScreen)
        assert lib.store.actor(lib.lavrov.id) is None
        await pilot.press("u")
        await pilot.pause()
        assert lib.store.actor(lib.lavrov.id) is not None


async def test_find_an_actor_by_fuzzy_name(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        actors = await open_actors(app, pilot)
        await pilot.press("/", *"lavrof")
        await pilot.pause()
        assert actors.highlighted.id == lib.lavrov.id
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActorDetailScreen) and app.screen.actor_id == lib.lavrov.id


async def test_edits_in_read_only_mode_are_refused(lib: Library) -> None:
    before = lib.registry()
    app = WiredeskApp(lib.store, annotator="tester", read_only="another wiredesk is writing")
    async with app.run_test(size=SIZE) as pilot:
        await open_actors(app, pilot, lib.lavrov.id)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ActorsScreen) and lib.registry() == before


# --- library filters -----------------------------------------------------------------------------------------


def test_filter_tokens_are_parsed() -> None:
    flt = parse_filter('moscow quoting:"K.  Kosachev" is:untagged claims:disp note:x')
    assert flt.words == ("moscow", "note:x")
    assert flt.terms == (("quoting", "K. Kosachev"), ("is", "untagged"), ("claims", "disp"))
    assert parse_filter("quoting: lavrov").terms == ()  # a token waiting for its name restricts nothing


def test_index_resolves_names_and_selects_stories(lib: Library) -> None:
    index = LibraryIndex(lib.store)
    assert [a.name for a in index.resolve("k. kosachev")] == ["Konstantin Kosachev"]  # an alias
    assert [a.name for a in index.resolve("kosachev")] == ["Konstantin Kosachev"]  # a surname alone
    assert index.resolve("lavrof") == [] and index.lookup("lavrof").near == (lib.lavrov,)  # a near spelling
    assert index.select(parse_filter("quoting:lavrof")).errors == [
        'quoting:lavrof: no such actor; did you mean "Sergei Lavrov"?'
    ]
    selection = index.select(parse_filter("claims:bogus"))
    assert selection.errors and not selection.allows(VIENNA.id)


async def shown_for(app: WiredeskApp, pilot, text: str) -> set[str]:
    box = app.screen.query_one("#filter")
    box.value = text
    await pilot.pause()
    stories = app.screen.query_one(StoryList)
    return {stories._rows[i].id for i in range(stories.shown)}


async def test_library_filters_narrow_the_list(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("/")
        assert await shown_for(app, pilot, "is:untagged") == {HARBOUR.id}
        assert await shown_for(app, pilot, "is:tagged") == {KREMLIN.id, VIENNA.id}
        assert await shown_for(app, pilot, "quoting:kosachev") == {KREMLIN.id}  # surname: fuzzy
        assert await shown_for(app, pilot, 'quoting:"K. Kosachev"') == {KREMLIN.id}  # alias
        assert await shown_for(app, pilot, "actor:kosachev") == {KREMLIN.id}
        assert await shown_for(app, pilot, 'actor:"Kosachev Konstantin"') == {VIENNA.id}  # the twin
        assert await shown_for(app, pilot, "claims:disputed") == {VIENNA.id}
        assert await shown_for(app, pilot, "claims:opinion") == {KREMLIN.id}
        assert await shown_for(app, pilot, "claimant:lavrov vienna") == {VIENNA.id}
        assert await shown_for(app, pilot, "is:tagged moscow") == {KREMLIN.id}  # combined with words
        assert await shown_for(app, pilot, "is:untagged moscow") == set()
        assert await shown_for(app, pilot, "quoting:lavrov claims:opinion") == set()
        assert await shown_for(app, pilot, "claims:bogus") == set()
        box = app.screen.query_one("#filter")
        assert box.has_class("-error") and "claims:bogus?" in box.border_subtitle
        assert await shown_for(app, pilot, "quoting:kosachev") == {KREMLIN.id}
        assert not box.has_class("-error") and "Konstantin Kosachev" in box.border_subtitle
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(StoryList).shown == 3


async def test_library_filter_follows_a_merge(lib: Library) -> None:
    History(lib.store).merge_actors(lib.twin.id, lib.kosachev.id)
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        await pilot.press("/")
        assert await shown_for(app, pilot, "actor:kosachev") == {KREMLIN.id, VIENNA.id}


async def test_palette_offers_actors_and_filters(lib: Library) -> None:
    app = lib.app()
    async with app.run_test(size=SIZE) as pilot:
        await counts_shown(pilot)
        await run_command(pilot, "untagged stories", "Library: untagged stories")
        await until(pilot, lambda: shown(app) == 1, "the library to show the one untagged story")
