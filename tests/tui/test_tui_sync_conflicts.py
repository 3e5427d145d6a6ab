"""Sync conflicts in the app: a notice at start, `K` lists them with both values and who holds which, `t` takes
theirs and `o` keeps ours (the library changes, the conflict goes), driven by Textual's Pilot. The conflict is a
real one: two libraries edit one registry entry and sync through a bare git repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from annotations.actors import Actor
from annotations.store import Store
from annotations.sync.engine import sync
from tests.sync_support import bare_repo
from tests.tui.support import Notices, until
from tui.app import WiredeskApp
from tui.screens.sync_conflicts import SyncConflictsScreen

pytestmark = pytest.mark.usefixtures("no_suggestions")

SIZE = (100, 32)


def conflicted(tmp_path: Path, twice: bool = False) -> tuple[Store, Actor]:
    """Ben's library after Ada and he both edited the entry "Fatih Karahan" (and, `twice`, another one too)."""
    remote = str(bare_repo(tmp_path / "team.git"))
    ada, ben = Store(tmp_path / "ada"), Store(tmp_path / "ben")
    actors = [Actor.new("Fatih Karahan", "person"), Actor.new("Central Bank", "organisation")]
    ada.apply([(None, a) for a in actors])
    sync(ada, "ada", remote=remote)
    sync(ben, "ben", remote=remote)
    for actor in actors[: 2 if twice else 1]:
        ada.apply([(actor, actor.edited(note="governor since 2023"))])
        ben.apply([(actor, actor.edited(aliases=("Governor Karahan",)))])
    sync(ada, "ada")
    sync(ben, "ben")
    ada.close()
    return ben, actors[0]


async def test_a_notice_at_start_and_taking_theirs(tmp_path: Path) -> None:
    store, actor = conflicted(tmp_path)
    app = WiredeskApp(store, annotator="ben")
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any("1 sync conflict: K shows them" in m for m in notices.messages()))
        await pilot.press("K")
        await until(pilot, lambda: isinstance(app.screen, SyncConflictsScreen), "the conflicts screen")
        listing = app.screen.query_one("#sync-conflicts", OptionList)
        shown = "\n".join(str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count))
        assert "ours   ben" in shown and "theirs ada" in shown
        assert "Governor Karahan" in shown and "“Fatih Karahan” person" in shown
        await pilot.press("t")
        await until(pilot, lambda: not store.sync.conflicts, "the conflict settled")
        entry = store.entry(actor.id)
        assert entry is not None and entry.note == "governor since 2023" and entry.aliases == ()
        await pilot.press("escape")
        assert not isinstance(app.screen, SyncConflictsScreen)
    store.close()


async def test_keeping_ours_leaves_the_value_and_drops_the_conflict(tmp_path: Path) -> None:
    store, _actor = conflicted(tmp_path, twice=True)
    app = WiredeskApp(store, annotator="ben")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("K")
        await until(pilot, lambda: isinstance(app.screen, SyncConflictsScreen), "the conflicts screen")
        await pilot.press("o")
        await until(pilot, lambda: len(store.sync.conflicts) == 1, "one conflict settled")
        assert all(a.aliases == ("Governor Karahan",) for a in store.actors())
    store.close()


async def test_a_damaged_sync_state_is_an_error_notice_not_a_crash(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    (tmp_path / "data" / "sync").mkdir()
    (tmp_path / "data" / "sync" / "state.json").write_bytes(b"\x1b[2J[junk")
    app = WiredeskApp(store, annotator="ben")
    notices = Notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(n.title == "Cannot read the sync state" for n in notices), "the error notice")
        await pilot.press("K")
        await until(pilot, lambda: isinstance(app.screen, SyncConflictsScreen), "the conflicts screen")
        listing = app.screen.query_one("#sync-conflicts", OptionList)
        assert str(listing.get_option_at_index(0).prompt) == "No open sync conflicts."
    store.close()
