"""A hostile `[alerts]` table: control characters, huge values, wrong types. Reading it gives one short clean
line (ConfigError), never a traceback; in the app, alerts go off for the session with that line, and arrivals
are still listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import config
from annotations.config import MAX_MESSAGE, AlertSettings
from annotations.importing import import_paths
from annotations.store import Store
from tests.tui.support import Notices, until
from tui.app import WiredeskApp
from tui.widgets.story_list import StoryList

ESC = "\x1b"

HOSTILE = [
    {"alerts": {"actors": ["x" * 100_000]}},
    {"alerts": {"actors": ["Voss"] * 100_000}},
    {"alerts": {"searches": [["nested"] * 1000]}},
    {"alerts": {"bell": f"{ESC}[31myes" * 10_000}},
    {"alerts": {f"{ESC}[2J" * 10_000: True}},
    {"alerts": {"actors": [f"{ESC}[2J"]}},  # nothing left once cleaned
    {"alerts": [1, 2, 3]},
]


@pytest.mark.parametrize("settings", HOSTILE)
def test_a_hostile_alerts_table_gives_one_clean_short_line(settings: dict) -> None:
    with pytest.raises(config.ConfigError) as caught:
        config.alerts(settings)
    line = str(caught.value)
    assert "\n" not in line and ESC not in line and "\x07" not in line and len(line) <= MAX_MESSAGE
    assert "[alerts]" in line


def test_control_characters_in_names_are_cleaned_away() -> None:
    settings = {"alerts": {"actors": [f"Voss{ESC}[2J{ESC}]0;pwned\x07"] * 3, "searches": ["a\x00b"]}}
    assert config.alerts(settings) == AlertSettings(("ab",), ("Voss",))


async def test_the_app_turns_alerts_off_in_one_line_and_still_lists_arrivals(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "config" / "wiredesk" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(f'[alerts]\nbell = "{"x" * 50_000}\\u001b[2J"\n', encoding="utf-8")
    store = Store(data_dir)
    app = WiredeskApp(store, annotator="tester")
    async with app.run_test(size=(100, 32)) as pilot:
        notices = Notices(app)
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "one.txt").write_text("Snow closes pass\n\nCrews worked.", "utf-8")
        arrived = [o.story_id for o in import_paths(store, [folder])]
        app.screen.stories_arrived(arrived)
        stories = app.screen.query_one(StoryList)
        await until(pilot, lambda: stories.shown == 1 and notices, "the arrival and the line")
        [notice] = notices
        assert notice.title == "Alerts off" and "bell must be true or false" in notice.message
        assert ESC not in notice.message and len(notice.message) <= MAX_MESSAGE
        app.screen.stories_arrived(arrived)  # said once
        await pilot.pause()
        assert len(notices) == 1
