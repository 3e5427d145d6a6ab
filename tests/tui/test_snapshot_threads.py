"""Snapshot of the claim threads view at 80×24: the thread list and the timeline of the highlighted thread, status
words readable without colour. Update after an intended change with `pytest tests/tui/test_snapshot_threads.py
--snapshot-update`, then look at the SVG before committing it."""

from __future__ import annotations

from pathlib import Path

from annotations.store import Store
from annotations.threads import Member, Thread
from tests.threads_support import CATCH, DENIED, REOPEN, fill
from tui.app import WiredeskApp

T = "2026-03-04T09:00:00Z"


def test_threads_view_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    store = fill(Store(tmp_path))
    port = Thread(
        "0" * 8 + "-0000-4000-8000-" + "0" * 12,
        "The port will reopen Monday",
        (Member(REOPEN.id, "asserted", T), Member(DENIED.id, "denied", T)),
        T,
        T,
    )
    catch = Thread(
        "1" * 8 + "-0000-4000-8000-" + "0" * 12, "Catch fell by a third", (Member(CATCH.id, "repeated", T),), T, T
    )
    store.apply([(None, port), (None, catch)])
    app = WiredeskApp(store, annotator="tester", suggester=lambda story, registry: [])

    async def run_before(pilot) -> None:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
