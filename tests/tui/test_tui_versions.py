"""The reader's versions: the diff view (`d`), stepping through version pairs in it (`-`, `+`), and opening the
version before or after in the reader (`-`, `+`)."""

from __future__ import annotations

from pathlib import Path

from annotations.store import Store
from stories.loader import parse_text
from stories.model import Story
from tests.store_support import add_story
from tests.tui.support import Notices, run_command, until
from tests.version_chain import version_text
from tui.app import WiredeskApp
from tui.keymap import Keymap, registry_of
from tui.screens.help import help_sections
from tui.screens.reader import ReaderScreen
from tui.screens.version_diff import VersionDiffScreen
from tui.widgets.diff_view import DiffView
from tui.widgets.status_line import StatusLine

SIZE = (100, 32)


def no_suggestions(story: Story, registry: object) -> list[object]:
    return []


def chain_store(path: Path, *versions: int) -> tuple[Store, list[str]]:
    """A library holding the port-strike story's `versions` (wire numbers 1, 3, 4); their ids, oldest first."""
    store = Store(path)
    ids = []
    for n in versions:
        story = parse_text(version_text(n), f"port-strike-{n}.txt")[0]
        add_story(store, story)
        ids.append(story.id)
    return store, ids


def app_on(store: Store, story_id: str) -> WiredeskApp:
    return WiredeskApp(store, annotator="tester", open_story=story_id, suggester=no_suggestions)


def shown(app: WiredeskApp) -> tuple[str, str]:
    """The diff screen's heading and text."""
    screen = app.screen
    assert isinstance(screen, VersionDiffScreen)
    return screen.query_one("#diff-heading", StatusLine).text.plain, screen.query_one(DiffView).shown.plain


async def test_the_diff_view_shows_what_changed_and_steps_through_the_pairs(tmp_path: Path) -> None:
    store, ids = chain_store(tmp_path, 1, 3, 4)
    app = app_on(store, ids[2])
    async with app.run_test(size=SIZE) as pilot:
        notices = Notices(app)
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, VersionDiffScreen), "the diff view")
        heading, text = shown(app)
        assert heading.startswith(f"version 2 ({ids[1][:8]}) → version 3 ({ids[2][:8]}) of 3 · 4 paragraphs changed")
        assert "+ paragraph inserted\n{+PORTVALE, June 1 (Reuters) - Talks to end the strike collapsed" in text
        assert '[-until the offer is fair,"-]{+without a fair offer,"+}' in text
        assert "× paragraph 6 deleted\n[-Shipping lines said" in text
        deleted = app.screen.query_one(DiffView).shown
        struck = [text[s.start : s.end] for s in deleted.spans if "strike" in str(s.style)]
        assert 'until the offer is fair,"' in struck  # struck through as well as marked
        await pilot.press("minus")
        await until(pilot, lambda: shown(app)[0].startswith("version 1"), "the older pair")
        heading, text = shown(app)
        assert heading.startswith(f"version 1 ({ids[0][:8]}) → version 2 ({ids[1][:8]})")
        assert "[-440-]{+470+}" in text and "» moved from paragraph" in text
        await pilot.press("minus")
        await until(pilot, lambda: any("No older pair" in n.message for n in notices), "the first pair's notice")
        await pilot.press("plus")
        await until(pilot, lambda: shown(app)[0].startswith("version 2"), "the newer pair")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "back to the reader")
        assert app.screen.story.id == ids[2]


async def test_the_reader_opens_the_version_before_and_after(tmp_path: Path) -> None:
    store, ids = chain_store(tmp_path, 1, 3, 4)
    app = app_on(store, ids[2])
    async with app.run_test(size=SIZE) as pilot:
        notices = Notices(app)

        def reading() -> str:
            return app.screen.story.id if isinstance(app.screen, ReaderScreen) else ""

        await until(pilot, lambda: reading() == ids[2], "the newest version")
        await pilot.press("minus")
        await until(pilot, lambda: reading() == ids[1], "the version before")
        await pilot.press("minus")
        await until(pilot, lambda: reading() == ids[0], "the oldest version")
        await pilot.press("minus")
        await until(pilot, lambda: any("oldest version" in n.message for n in notices), "the oldest's notice")
        await pilot.press("d")  # from the oldest: what changed in the next one
        await until(pilot, lambda: isinstance(app.screen, VersionDiffScreen), "the diff view")
        assert shown(app)[0].startswith("version 1")
        await pilot.press("escape")
        await until(pilot, lambda: reading() == ids[0], "back to the oldest")
        await pilot.press("equals_sign")
        await until(pilot, lambda: reading() == ids[1], "the version after")


async def test_a_story_with_one_version_has_nothing_to_compare(tmp_path: Path) -> None:
    store, ids = chain_store(tmp_path, 4)
    app = app_on(store, ids[0])
    async with app.run_test(size=SIZE) as pilot:
        notices = Notices(app)
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await pilot.press("d")
        await until(pilot, lambda: any("only one version" in n.message for n in notices), "the notice")
        await pilot.press("plus")
        await until(pilot, lambda: any("only version" in n.message for n in notices), "the second notice")
        assert isinstance(app.screen, ReaderScreen)


async def test_the_palette_opens_the_diff_view(tmp_path: Path) -> None:
    store, ids = chain_store(tmp_path, 3, 4)
    app = app_on(store, ids[1])
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await run_command(pilot, "what changed", "Show what changed")
        await until(pilot, lambda: isinstance(app.screen, VersionDiffScreen), "the diff view")
        assert shown(app)[0].startswith("version 1")


def test_the_keys_are_in_the_help() -> None:
    ids = {b.id for _, bindings in help_sections(Keymap(registry_of(WiredeskApp))) for b in bindings}
    assert {"reader.version_diff", "reader.previous_version", "reader.next_version"} <= ids
    assert {"diff.close", "diff.previous_pair", "diff.next_pair"} <= ids
