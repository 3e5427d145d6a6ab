"""Annotating like an analyst, driven by keys: actor tagging, the picker, the edit form, links, undo/redo."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from annotations import anchor
from annotations.actors import Actor
from annotations.history import History
from annotations.registry import Registry
from annotations.store import Store
from stories.loader import load_path, parse_text
from tests.cli_support import run
from tests.store_support import add_story
from tests.tui.support import Notices, until
from tui.app import WiredeskApp
from tui.screens.actor_picker import ActorPicker
from tui.screens.actor_tag import ActorTagDialog
from tui.screens.annotation_form import AnnotationForm
from tui.screens.reader import ReaderScreen
from tui.widgets.annotation_panel import AnnotationPanel

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)

STORY = """\
Harbour council rejects ferry cuts

NORDVIK, May 2 (Reuters) - The harbour council of Nordvik rejected the ferry cuts on Tuesday.

Deputy Mayor Ingrid Solberg said the cuts have "no real basis" and break the harbour charter.

Opposition member Karl Ek said the plan was "rushed and unfair". Ellen Voss, the council chair, agreed.
"""
NAME = "Ingrid Solberg"
QUOTE = "no real basis"
CLAIM = 'the cuts have "no real basis" and break the harbour charter'


def make_store(path: Path, text: str = STORY) -> tuple[Store, str]:
    store = Store(path)
    story = parse_text(text, "nordvik.txt")[0]
    add_story(store, story)
    return store, story.id


def app_for(store: Store, story_id: str, read_only: str = "") -> WiredeskApp:
    return WiredeskApp(store, annotator="tester", open_story=story_id, read_only=read_only)


def state(store: Store) -> tuple[dict[str, Any], dict[str, Any]]:
    """Everything annotations.json holds: annotations and registry entries, by id."""
    anns = {a.id: a.to_dict() for a in store.annotations()}
    actors = {a.id: a.to_dict() for a in store.actors(include_merged=True)}
    return anns, actors


def tagged(store: Store, sid: str, kind: str) -> Any:
    (ann,) = [a for a in store.annotations(sid) if a.kind == kind]
    return ann


def panel_text(app: WiredeskApp) -> str:
    """The panel's rows as the user reads them."""
    console = Console(width=30, record=True, file=io.StringIO())
    rows = app.screen.query_one(AnnotationPanel).rows
    for row_id in rows.row_ids:
        console.print(rows.prompt(row_id))
    return " ".join(console.export_text().split())


def add_actor(store: Store, sid: str, name: str, kind: str = "person", *, tag: bool = False) -> Actor:
    """A registry entry; with `tag`, also an actor annotation of the name in the story, linked to it."""
    actor = Actor.new(name, kind)
    history = History(store)
    if tag:
        story = store.story(sid)
        start = story.text.index(name)
        ann = anchor.tag(story, "actor", start, start + len(name))
        history.add(ann.edited(actor=actor.id), new_actors=(actor,))
    else:
        history.add_actor(actor)
    return actor


def add_tag(store: Store, sid: str, kind: str, text: str, **links: str) -> None:
    story = store.story(sid)
    start = story.text.index(text)
    ann = anchor.tag(story, kind, start, start + len(text), annotator="analyst")
    History(store).add(ann.edited(**links) if links else ann)


async def find(pilot: Any, text: str) -> None:
    """Select `text` with the find box, as a user would."""
    await pilot.press("/", *text, "enter")


async def run_acceptance(pilot: Any, name: str, quote: str, claim: str, surname: str) -> None:
    """Tag the name as a person, the quote with its speaker, the claim with its claimant and status. Each is
    found by its first words (a tag widens to whole words); the claim runs to the end of its paragraph."""
    await find(pilot, name)
    await pilot.press("a", "n", "p")  # a new entry, a person
    await find(pilot, quote)
    await pilot.press("q", "s", *surname.lower()[:4], "enter")  # the picker: the speaker
    await find(pilot, claim)
    await pilot.press("}", "left", "left")  # extend to the paragraph's end, before its full stop
    await pilot.press("c", "enter")  # the edit form, on the claim
    await pilot.pause()
    assert isinstance(pilot.app.screen, AnnotationForm)
    await pilot.press("tab", "tab", *surname.lower()[:3])  # kind, note, claimant: typing opens the picker
    await pilot.pause()
    assert isinstance(pilot.app.screen, ActorPicker)
    await pilot.press("enter", "tab", "d", "enter")  # pick; status: disputed; save
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReaderScreen)


def check_acceptance(store: Store, sid: str, name: str) -> Actor:
    (actor,) = store.actors()
    assert (actor.name, actor.type) == (name, "person")
    assert tagged(store, sid, "actor").actor == actor.id
    quote = tagged(store, sid, "quote")
    assert quote.speaker == actor.id
    claim = tagged(store, sid, "claim")
    assert (claim.claimant, claim.status) == (actor.id, "disputed")
    return actor


async def test_acceptance_scenario(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await run_acceptance(pilot, "Ingrid S", "no real b", "the cuts h", "Solberg")
        check_acceptance(store, sid, NAME)
        assert tagged(store, sid, "claim").exact == CLAIM
        text = panel_text(app)
        assert f"“{QUOTE}” — {NAME}" in text
        assert f"harbour charter — disputed · {NAME}" in text
    reopened = Store(tmp_path, read_only=True)  # saved at once, durably
    check_acceptance(reopened, sid, NAME)


async def test_acceptance_scenario_on_the_anadolu_story(tmp_path: Path, corpus: Path) -> None:
    store = Store(tmp_path)
    story = load_path(corpus / "aa-russia-venezuela-strikes.txt")[0]
    add_story(store, story)
    app = app_for(store, story.id)
    claim = "strikes on Venezuela have “no substantive basis” and are in violation of international law"
    async with app.run_test(size=SIZE) as pilot:
        await run_acceptance(pilot, "Konstantin K", "no substantive b", "strikes on Venezuela h", "Kosachev")
        actor = check_acceptance(store, story.id, "Konstantin Kosachev")
        assert tagged(store, story.id, "quote").exact == "no substantive basis"
        assert tagged(store, story.id, "claim").exact == claim
        assert "“no substantive basis” — Konstantin Kosachev" in panel_text(app)
        await pilot.press("u", "u", "u", "u", "u")  # every step undone: nothing left, not even the entry
        assert state(store) == ({}, {})
        await pilot.press("ctrl+r", "ctrl+r", "ctrl+r", "ctrl+r", "ctrl+r")
        assert check_acceptance(store, story.id, "Konstantin Kosachev") == actor


async def test_form_tab_order_reaches_every_field_of_each_kind(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    add_tag(store, sid, "quote", QUOTE)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, QUOTE)
        await pilot.press("escape", "enter")
        await until(pilot, lambda: isinstance(app.screen, AnnotationForm), "the form")
        form = app.screen
        assert isinstance(form, AnnotationForm)
        order = []
        for _ in range(7):
            order.append(app.focused.id)
            await pilot.press("tab")
        assert order == ["form-kind", "form-note", "form-speaker", "form-form", "form-cue", "form-save", "form-cancel"]
        assert app.focused.id == "form-kind"  # round again
        await pilot.press("right")  # kind: quote -> actor, whose fields are shown instead
        # the rows change as the kind's Changed message is handled: a loaded run tabbed before that
        await until(pilot, lambda: form.query_one("#row-actor").display, "the actor's fields")
        order = []
        for _ in range(4):
            order.append(app.focused.id)
            await pilot.press("tab")
        assert order == ["form-kind", "form-note", "form-actor", "form-save"]  # no entry yet: no type to set
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "c")  # kind: claim
        await until(pilot, lambda: form.query_one("#row-claimant").display, "the claim's fields")
        order = []
        for _ in range(5):
            order.append(app.focused.id)
            await pilot.press("tab")
        assert order == ["form-kind", "form-note", "form-claimant", "form-status", "form-save"]
        assert QUOTE in str(form.query_one("#form-text").render())
        assert "by analyst" in str(form.query_one("#form-meta").render())
        await pilot.press("escape")


async def test_form_escape_cancels_and_enter_saves_one_undoable_step(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    add_tag(store, sid, "quote", QUOTE)
    before = state(store)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, QUOTE)
        await pilot.press("escape", "enter", "tab", *"draft", "tab", "tab", "d", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert state(store) == before and not app.history().can_undo
        await pilot.press("enter", "tab", *"radio", "tab", "tab", "i", "tab", *"NRK", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        quote = tagged(store, sid, "quote")
        assert (quote.note, quote.form, quote.cue) == ("radio", "indirect", "NRK")
        after = state(store)
        await pilot.press("u")
        assert state(store) == before
        await pilot.press("ctrl+r")
        assert state(store) == after
        await pilot.press("enter", "tab", "tab", "tab", "ctrl+s")  # ctrl+s saves from any field; no change
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and state(store) == after


async def test_form_changes_kind_and_undo_restores_the_quote(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    voss = add_actor(store, sid, "Ellen Voss")
    add_tag(store, sid, "quote", QUOTE, speaker=voss.id, form="direct")
    before = state(store)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, QUOTE)
        await pilot.press("escape", "enter")
        await until(pilot, lambda: isinstance(app.screen, AnnotationForm), "the form")
        await pilot.press("c")  # a claim: its fields shown once the kind's Changed message is handled
        await until(pilot, lambda: app.screen.query_one("#row-status").display, "the claim's fields")
        await pilot.press("tab", "tab", "tab", "s", "enter")  # supported
        await until(pilot, lambda: "supported" in panel_text(app), "the claim saved and shown")
        claim = tagged(store, sid, "claim")
        assert (claim.status, claim.claimant, claim.speaker, claim.form) == ("supported", None, None, None)
        assert "Claim" in panel_text(app)
        await pilot.press("u")
        await until(pilot, lambda: f"— {voss.name} · direct" in panel_text(app), "the panel to follow the undo")
        assert state(store) == before


async def test_picker_lists_story_actors_first_matches_fuzzily_and_names_new_ones(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    ek = add_actor(store, sid, "Karl Ek", tag=True)
    marx = add_actor(store, sid, "Karl Marx")
    voss = add_actor(store, sid, "Ellen Voss")
    add_tag(store, sid, "quote", "rushed and unfair")
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "rushed")
        await pilot.press("escape", "s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ActorPicker)

        def listed() -> list[str]:
            return [str(o.id) for o in picker.results.options if not o.disabled]

        assert listed() == [f"actor:{ek.id}", f"actor:{voss.id}", f"actor:{marx.id}"]  # this story first
        await pilot.press(*"karl")
        assert listed()[:2] == [f"actor:{ek.id}", f"actor:{marx.id}"] and listed()[-1] == "new"
        await pilot.press("ctrl+u", *"elen vos")  # fuzzy: a typo
        assert listed()[0] == f"actor:{voss.id}"
        await pilot.press("ctrl+u", *"Ferry Union")
        assert listed() == ["new"]
        before = state(store)
        await pilot.press("enter", "o")  # New actor: then its type, one key
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        union = Registry.of(store).lookup("Ferry Union").actor
        assert union is not None and union.type == "organisation"
        assert tagged(store, sid, "quote").speaker == union.id
        await pilot.press("u")  # the link and the new entry go in one step
        assert state(store) == before
        await pilot.press("s", *"zzz", "escape")  # Escape cancels: nothing saved
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and state(store) == before


async def test_actor_tag_enter_links_the_best_match_preferring_this_story(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    add_actor(store, sid, "Anna Voss")
    ellen = add_actor(store, sid, "Ellen Voss")
    add_tag(store, sid, "claim", "Ellen Voss, the council chair", claimant=ellen.id)
    before_actors = state(store)[1]
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "Voss, the")
        await pilot.press("escape", "v", "e")  # select the surname alone
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActorTagDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert tagged(store, sid, "actor").actor == ellen.id
        assert state(store)[1].keys() == before_actors.keys()  # no new entry
        assert store.actor(ellen.id).aliases == ("Voss",)  # the entry learns how this story names her
        await pilot.press("u")
        await pilot.pause()
        assert state(store)[1] == before_actors  # one step: the tag and the alias


async def test_actor_tag_new_entry_type_keys_and_undo(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "council of N")  # widened to "council of Nordvik"
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActorTagDialog)
        assert dialog.choices.highlighted_option.id == "new"  # empty registry: the new entry is preselected
        assert "g government" in str(dialog.query_one("#actor-tag-help").render())
        await pilot.press("g")
        await pilot.pause()
        (council,) = store.actors()
        assert (council.name, council.type) == ("council of Nordvik", "government")
        after = state(store)
        await pilot.press("u")
        assert state(store) == ({}, {})  # one step: the annotation and its new entry
        await pilot.press("ctrl+r")
        assert state(store) == after
        await pilot.press("x")  # deleting the mention keeps the registry entry
        assert store.annotations(sid) == [] and store.actors() == [council]
        await find(pilot, "Karl Ek")
        await pilot.press("a", "escape")  # Escape tags nothing
        await pilot.pause()
        assert store.annotations(sid) == []


async def test_actor_form_relinks_and_retypes_in_one_step(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    ek = add_actor(store, sid, "Karl Ek", tag=True)
    before = state(store)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "Karl Ek")
        await pilot.press("escape", "enter", "tab", "tab", "tab", "g", "enter")  # entry's type: government
        await pilot.pause()
        assert store.actor(ek.id).type == "government"
        assert "Karl Ek — government" in panel_text(app)
        await pilot.press("u")
        assert state(store) == before
        await pilot.press("enter", "tab", "tab", "backspace", *"ferry", "enter", "o", "enter")  # new entry
        await pilot.pause()
        ferry = Registry.of(store).lookup("ferry").actor
        assert ferry is not None and ferry.type == "organisation"
        assert tagged(store, sid, "actor").actor == ferry.id
        await pilot.press("u")
        assert state(store) == before


async def test_panel_enter_edits_the_highlighted_annotation(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    add_tag(store, sid, "claim", CLAIM)
    add_tag(store, sid, "quote", QUOTE)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # focus the panel
        panel = app.screen.query_one(AnnotationPanel)
        assert panel.has_focus_within
        await pilot.press("home", "down")  # the second row: the quote inside the claim
        assert panel.highlighted.kind == "quote"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationForm) and app.screen.ann.kind == "quote"
        await pilot.press("escape", "escape")  # close the form, then leave the panel
        await pilot.pause()
        assert app.screen.query_one("#story").has_focus


async def test_read_only_saves_nothing(tmp_path: Path) -> None:
    store, sid = make_store(tmp_path)
    voss = add_actor(store, sid, "Ellen Voss")
    add_tag(store, sid, "quote", QUOTE)
    before = state(store)
    refusal = "another wiredesk is writing"
    app = app_for(store, sid, read_only=refusal)
    notices = Notices(app)  # kept after their toasts expire: on a loaded machine this test outlasts them
    async with app.run_test(size=SIZE) as pilot:

        async def refused(*keys: str) -> None:
            """Press `keys` and wait until the refusal is said once more (each step waits on its own refusal)."""
            said = notices.messages().count(refusal)
            await pilot.press(*keys)
            await until(pilot, lambda: notices.messages().count(refusal) > said, f"{keys} refused as read-only")

        await until(pilot, lambda: refusal in notices.messages(), "the refusal said at start")
        await find(pilot, "Karl Ek")
        await refused("a")
        await find(pilot, QUOTE)
        await refused("escape", "s")
        assert isinstance(app.screen, ReaderScreen)  # no picker: the link could not be saved
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AnnotationForm), "the form")  # it opens to read
        await refused("tab", *"note", "enter")  # and refuses to save
        assert isinstance(app.screen, AnnotationForm)
        await refused("escape", "x")
    assert state(store) == before and voss in store.actors()


async def test_the_app_undoes_what_wiredesk_annotate_edit_and_delete_did(data_dir: Path) -> None:
    """Issue 10 §3: each command's change is undoable in the app's history, newest first."""
    store, sid = make_store(data_dir)
    store.close()
    assert run(data_dir, "annotate", sid, "--kind", "quote", "--text", QUOTE, "--speaker", "Ellen Voss").exit_code == 0
    with Store(data_dir) as s:
        (ann,) = s.annotations(sid)
        original = s.annotation(ann.id)
    assert run(data_dir, "edit", ann.id[:6], "--note", "checked").exit_code == 0
    assert run(data_dir, "delete", ann.id[:6]).exit_code == 0
    store = Store(data_dir)
    app = app_for(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await pilot.press("u")  # the delete
        await until(pilot, lambda: store.annotation(ann.id) is not None, "the deleted quote back")
        assert store.annotation(ann.id).note == "checked"  # type: ignore[union-attr]
        await pilot.press("u")  # the edit
        await until(pilot, lambda: store.annotation(ann.id).note == "", "the note undone")  # type: ignore[union-attr]
        assert store.annotation(ann.id) == original
        await pilot.press("u")  # the annotate
        await until(pilot, lambda: store.annotation(ann.id) is None, "the quote undone")
    assert [a.name for a in store.actors()] == []  # its new registry entry went with it
