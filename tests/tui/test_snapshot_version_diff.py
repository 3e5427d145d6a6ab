"""Snapshot test: how the diff view looks at a fixed terminal size (update with `--snapshot-update`, then look at
the SVG in tests/tui/__snapshots__/ before committing it)."""

from __future__ import annotations

from pathlib import Path

from tests.tui.support import until
from tests.tui.test_tui_versions import app_on, chain_store
from tui.screens.version_diff import VersionDiffScreen


def test_diff_view(snap_compare, tmp_path: Path) -> None:
    store, ids = chain_store(tmp_path, 1, 3, 4)
    app = app_on(store, ids[2])

    async def run_before(pilot) -> None:
        await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ReaderScreen", "the reader")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, VersionDiffScreen), "the diff view")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)
