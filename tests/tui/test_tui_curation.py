"""The curation screen (`C` in the reader): agreed annotations in `curated` as it opens, open items with each
annotator's version, a digit accepts, `e` edits then accepts, `x` rejects, `u` undoes, the list empties."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from annotations.layers import CURATED
from annotations.registry import Registry
from annotations.store import Store
from stories.model import Story
from tests.annotations.curation_support import CLAIM, two_layers
from tests.tui.support import Notices, until
from tui.app import WiredeskApp
from tui.screens.annotation_form import AnnotationForm
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.curation import CurationScreen
from tui.screens.reader import ReaderScreen

SIZE = (100, 32)


def _nothing(story: Story, registry: Registry) -> list:
    return []


def _curated(store: Store, story_id: str) -> list[tuple[str, str]]:
    return sorted((a.kind, a.exact) for a in store.annotations(story_id) if a.annotator == CURATED)


async def _curating(pilot: Pilot[None], app: WiredeskApp) -> CurationScreen:
    """From the reader, `C`: the curation screen, once it shows the open items."""
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
    await pilot.press("C")
    await until(pilot, lambda: isinstance(app.screen, CurationScreen), "the curation screen")
    screen = app.screen
    assert isinstance(screen, CurationScreen)
    await until(pilot, lambda: screen.found is not None, "the open items")
    return screen


def _carol(store: Store, story_id: str, read_only: str = "") -> WiredeskApp:
    """The app of carol, the curator, open on the story (no suggestions)."""
    return WiredeskApp(store, annotator="carol", open_story=story_id, suggester=_nothing, read_only=read_only)


def _open(screen: CurationScreen) -> list[str]:
    assert screen.found is not None
    return [f"{i.kind} {i.exact}" for i in screen.found.open]


async def test_curating_in_the_app_accept_reject_undo_until_nothing_is_left(data_dir: Path) -> None:
    lib = two_layers(data_dir)
    store, sid = lib.store, lib.story.id
    app = _carol(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _curating(pilot, app)
        assert len(_curated(store, sid)) == 2  # the agreed actor and quote, as soon as curation starts
        speaker, claim, only = _open(screen)
        head = str(screen.query_one("#curation-head").render())
        assert "1 alice  2 bob" in head and "3 open, 2 settled" in head
        shown = str(screen.items.get_option_at_index(0).prompt)
        assert "1 alice  speaker Mevlüt Çavuşoğlu, direct" in shown and "2 bob    speaker Recep" in shown
        assert "(nothing here)" in str(screen.items.get_option_at_index(2).prompt)

        await pilot.press("2")  # bob's speaker
        await until(pilot, lambda: _open(screen) == [claim, only], "the speaker accepted")
        accepted = next(a for a in store.annotations(sid) if a.annotator == CURATED and a.exact in speaker)
        assert accepted.speaker == lib.erdogan.id
        await pilot.press("u")
        await until(pilot, lambda: _open(screen) == [speaker, claim, only], "the accept undone")
        assert store.annotation(accepted.id) is None
        await pilot.press("ctrl+r")
        await until(pilot, lambda: _open(screen) == [claim, only], "the accept redone")

        await pilot.press("down", "2")  # bob has nothing there: refused, nothing saved
        await until(pilot, lambda: any("has no quote there" in n.message for n in app._notifications), "the refusal")
        assert _open(screen) == [claim, only]
        await pilot.press("x")
        await until(pilot, lambda: _open(screen) == [claim], "the lone quote rejected")
        await pilot.press("u")
        await until(pilot, lambda: _open(screen) == [claim, only], "the rejection undone")
        await pilot.press("x")
        await until(pilot, lambda: _open(screen) == [claim], "the lone quote rejected again")

        await pilot.press("e")  # two versions: whose? alice's, then the form pre-filled
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the choice of version")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AnnotationForm), "the form")
        form = app.screen
        assert isinstance(form, AnnotationForm) and form.ann.annotator == CURATED and form.ann.status == "unverified"
        await pilot.press("tab", *"checked", "enter")
        await until(pilot, lambda: app.screen is screen and _open(screen) == [], "the claim accepted, edited")
        made = next(a for a in store.annotations(sid) if a.annotator == CURATED and a.exact == CLAIM)
        assert (made.note, made.status) == ("checked", "unverified")
        assert {d.decision for d in store.decisions(sid)} == {"agreed", "accepted", "edited", "rejected"}
        done = str(screen.query_one("#curation-done").render())
        assert "Story curated: nothing left to decide." in done
        assert len(_curated(store, sid)) == 4
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "back in the reader")
        await pilot.press("C")  # curating again copies nothing twice
        await until(pilot, lambda: isinstance(app.screen, CurationScreen), "the curation screen again")
        assert len(_curated(store, sid)) == 4


async def test_enter_opens_the_story_at_the_item(data_dir: Path) -> None:
    lib = two_layers(data_dir)
    store, sid = lib.store, lib.story.id
    app = _carol(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _curating(pilot, app)
        assert screen.found is not None
        item = screen.found.open[1]
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await until(pilot, lambda: reader.view.cursor == item.start, "the cursor on the item")


async def test_a_read_only_library_is_not_curated(data_dir: Path, tmp_path: Path) -> None:
    lib = two_layers(data_dir)
    lib.store.close()
    store = Store(data_dir, read_only=True)
    app = _carol(store, lib.story.id, read_only="held")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await pilot.press("C")
        await until(pilot, lambda: any(n.message == "held" for n in app._notifications), "the refusal")
        assert not isinstance(app.screen, CurationScreen)


async def test_the_readers_undo_takes_back_a_curation_decision_in_its_story(data_dir: Path) -> None:
    lib = two_layers(data_dir)
    store, sid = lib.store, lib.story.id
    app = _carol(store, sid)
    async with app.run_test(size=SIZE) as pilot:
        notices = Notices(app)
        screen = await _curating(pilot, app)
        first = _open(screen)[0]
        await pilot.press("x")
        await until(pilot, lambda: first not in _open(screen), "the first item rejected")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "back in the reader")
        await pilot.press("u")
        await until(pilot, lambda: any(n.title == "Undone" for n in notices), "said undone")
        said = [n.message for n in notices if n.title == "Undone"]
        assert said == ["curate quote: reject"]  # in this story: not "(actor registry)"
        assert len(store.decisions(sid)) == 2  # the agreed two


async def test_a_story_with_one_layer_says_there_is_nothing_to_curate(data_dir: Path) -> None:
    lib = two_layers(data_dir)
    lib.store.apply([(a, None) for a in lib.store.annotations(lib.story.id) if a.annotator == "bob"])
    app = _carol(lib.store, lib.story.id)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await pilot.press("C")
        await until(pilot, lambda: "Nothing to curate" in [n.title for n in notices], "the refusal")
        assert isinstance(app.screen, ReaderScreen)
        assert "only alice's layer" in next(n.message for n in notices if n.title == "Nothing to curate")
    lib.store.close()


async def test_your_work_under_your_os_user_name_is_not_a_second_annotator(data_dir: Path) -> None:
    """Before, `C` built the layers from the annotator's name alone: what alice tagged before naming herself
    (recorded under her OS user name) was a second annotator to curate her own work against."""
    from annotations.layers import Layers

    lib = two_layers(data_dir, ("alice-laptop", "alice"))
    layers = Layers("alice", before=frozenset({"alice-laptop"}))
    app = WiredeskApp(lib.store, annotator="alice", layers=layers, open_story=lib.story.id, suggester=_nothing)
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await pilot.press("C")
        await until(pilot, lambda: "Nothing to curate" in [n.title for n in notices], "the refusal")
        assert "only alice's layer" in next(n.message for n in notices if n.title == "Nothing to curate")
    lib.store.close()
