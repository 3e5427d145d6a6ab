"""Remapped keys: `[keys]` in the config file reaches every screen and widget, the help screen shows it, and a
bad table stops `wiredesk` with one line."""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
import tomllib
from pathlib import Path

import pytest
from rich.console import Console
from textual.dom import DOMNode

import tui.app
import tui.screens
import tui.widgets
from annotations.actors import Actor
from annotations.config import ConfigError, keymap, quote_punctuation
from annotations.history import History
from annotations.store import Store
from stories.loader import parse_text
from tests.cli_support import assert_user_error, run
from tests.conftest import ROOT
from tests.store_support import add_story
from tui.app import WiredeskApp
from tui.commands import WiredeskCommands
from tui.keymap import BindingRegistry, Keymap, registry_of
from tui.screens.actor_detail import ActorDetailScreen
from tui.screens.actor_editing import ActorEditing
from tui.screens.actors import ActorsScreen
from tui.screens.help import HelpScreen, help_sections
from tui.screens.import_dialog import ImportDialog
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.story_view import StoryView

REGISTRY = registry_of(WiredeskApp)

SIZE = (100, 32)
STORY = """\
Council keeps the morning boat

NORDVIK, May 2 (Reuters) - The council kept the boat. “We listened,” Voss said. Ek was not pleased.
"""


def reader(tmp_path: Path, keymap: dict[str, str]) -> tuple[WiredeskApp, Store, str]:
    store = Store(tmp_path)
    story = parse_text(STORY, "boat.txt")[0]
    add_story(store, story)
    return WiredeskApp(store, annotator="tester", open_story=story.id, keymap=keymap), store, story.id


def add_actor(store: Store, name: str) -> Actor:
    return History(store).add_actor(Actor.new(name, "person"))


def help_text(app: WiredeskApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen._table())
    return console.export_text()


async def test_remapped_keys_work_in_the_reader_screen_and_its_text(tmp_path: Path) -> None:
    keymap = {"reader.tag_quote": "Q", "view.word": "W", "view.select_sentence": "S", "view.select_quote": "'"}
    app, store, sid = reader(tmp_path, keymap)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ReaderScreen)
        view = app.screen.query_one(StoryView)
        text = view.story.text
        await pilot.press("w")  # w no longer moves
        assert view.cursor == 0
        await pilot.press("W")
        assert view.cursor == text.index("keeps")
        view.move_to(text.index("listened"))
        await pilot.press("full_stop")  # the old sentence key does nothing now
        assert view.selection is None
        await pilot.press("apostrophe")
        assert view.selection == (text.index("We"), text.index("listened,") + len("listened"))
        await pilot.press("q")  # q no longer tags
        await pilot.pause()
        assert store.annotations(sid) == []
        await pilot.press("Q")
        await pilot.pause()
        assert [(a.kind, a.exact) for a in store.annotations(sid)] == [("quote", "We listened")]
        view.move_to(text.index("Ek was"))
        await pilot.press("S")
        assert view.selection == (text.index("Ek was"), len(text.rstrip()))


async def test_the_help_screen_shows_the_keys_in_effect_and_the_ids(tmp_path: Path) -> None:
    app, _, _ = reader(tmp_path, {"reader.tag_quote": "Q", "app.help_f1": "f2", "help.close": "escape"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        text = help_text(app)
        quote_row = next(line for line in text.splitlines() if "Tag the selection as a quote" in line)
        assert quote_row.split()[0] == "Q" and "reader.tag_quote" in quote_row
        f1_row = next(line for line in text.splitlines() if "app.help_f1" in line)
        assert f1_row.split()[0].lower() == "f2"
        assert '"' in next(line for line in text.splitlines() if "view.select_quote" in line)  # a default key
        assert "esc closes this screen" in text
        await pilot.press("q")  # no longer closes help
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_key_for_names_the_key_in_effect_for_hints(tmp_path: Path) -> None:
    app, _, _ = reader(tmp_path, {"reader.tag_quote": "Q", "view.select_quote": "'", "reader.redo": "ctrl+y,U"})
    async with app.run_test(size=SIZE):
        assert app.key_for("reader.tag_quote") == "Q"
        assert app.key_for("reader.tag_actor") == "a"
        assert app.key_for("view.select_quote") == "'"
        assert app.key_for("view.select_sentence") == "."
        assert app.key_for("app.help") == "?"
        assert app.key_for("reader.redo") == "^y"


async def test_the_palette_names_the_keys_in_effect(tmp_path: Path) -> None:
    app, _, _ = reader(tmp_path, {"reader.tag_quote": "Q", "reader.undo": "U", "app.actors": "ctrl+a"})
    async with app.run_test(size=SIZE):
        provider = WiredeskCommands(app.screen)
        helps = {name: help_text for name, help_text, _ in provider._commands()}
        assert helps["Tag selection as quote"].endswith("(Q)")
        assert helps["Tag selection as claim"].endswith("(c)")
        assert helps["Undo"].endswith("(U)")
        assert helps["Actors"].endswith("(^a)")
        assert not any("{" in text for text in helps.values())


def test_every_binding_can_be_remapped_by_a_unique_id() -> None:
    seen: dict[str, str] = {}
    for title, bindings in help_sections(Keymap(REGISTRY)):
        for binding in bindings:
            assert binding.id, f"{title}: {binding.key} ({binding.description}) has no id"
            assert seen.setdefault(binding.id, title) == title, f"{binding.id} is in {seen[binding.id]} and {title}"
    assert {"reader.tag_quote", "view.word", "view.select_quote", "view.select_words", "help.close"} <= REGISTRY.ids
    assert set(seen) == REGISTRY.ids  # the help lists every id, once


@pytest.mark.parametrize(
    ("keymap", "fragment"),
    [
        ({"reader.tag_qoute": "Q"}, "unknown key binding id(s) reader.tag_qoute"),
        ({"reader.tag_quote": "QQ"}, "'QQ' is not a key name"),
        ({"reader.tag_quote": "Enter"}, "'Enter' is not a key name"),
        ({"reader.tag_quote": "Q,"}, "'' is an empty key name"),
        ({"reader.tag_quote": "cmd+q"}, "'cmd' is not one of the modifiers"),
        ({"reader.tag_quote": "a"}, "a would be both"),
        ({"app.help": "h"}, "h would be both app.help and view.left"),
        ({"reader.tag_quote": "?"}, "? would be both app.help and reader.tag_quote"),
        ({"panel.leave": "x"}, "x would be both reader.delete and panel.leave"),  # the panel's list, in the reader
        ({"path.complete": "escape"}, ".close and path.complete"),  # a dialog (import or export) and its field
        ({"choice.next": "enter"}, "would be both export.run and choice.next"),
    ],
)
def test_a_bad_keymap_is_refused_with_one_line(keymap: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        REGISTRY.check(keymap)
    message = str(caught.value)
    assert fragment in message and "config.toml" in message and "\n" not in message


@pytest.mark.parametrize(
    "keymap",
    [
        {},
        {"reader.tag_quote": "Q"},
        {"view.word": "b", "view.back": "w"},  # a swap is no clash
        {"panel.leave": "h"},  # the panel's list and the text are never focused at once
        {"view.left": "left,H", "reader.find": "ctrl+f,f3", "view.select_words": "*"},
        {"reader.tag_quote": "shift+tab", "app.quit": "ctrl+shift+q", "reader.toggle_panel": "full_stop"},
    ],
)
def test_good_keymaps_pass(keymap: dict[str, str]) -> None:
    if keymap.get("reader.toggle_panel") == "full_stop":  # the sentence key moves out of its way
        keymap = {**keymap, "view.select_sentence": "S"}
    REGISTRY.check(keymap)


def test_the_readme_example_config_is_valid() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = tomllib.loads(re.search(r"```toml\n(.*?)```", readme, flags=re.S).group(1))
    assert example["keys"]
    REGISTRY.check(keymap(example))


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ('[keys]\n"reader.nope" = "Q"\n', "unknown key binding id(s) reader.nope"),
        ('[keys]\n"reader.tag_quote" = "QQ"\n', "'QQ' is not a key name"),
        ('[keys]\n"reader.tag_quote" = 5\n', "[keys] must map binding ids to key names"),
        ('keys = "Q"\n', "[keys] must map binding ids to key names"),
        ('[keys\n"reader.tag_quote" = "Q"\n', "is unreadable"),
    ],
)
def test_wiredesk_stops_at_start_on_a_bad_keys_table(data_dir: Path, tmp_path: Path, toml: str, fragment: str) -> None:
    config = tmp_path / "config" / "wiredesk" / "config.toml"  # XDG_CONFIG_HOME is tmp_path/config
    config.parent.mkdir(parents=True)
    config.write_text(toml, "utf-8")
    line = assert_user_error(run(data_dir), fragment)
    assert str(config) in line


def _binding_classes_in(package: object) -> set[type]:
    """Every class of the package's modules that declares bindings of its own."""
    found: set[type] = set()
    for info in pkgutil.iter_modules(package.__path__):  # type: ignore[attr-defined]  # a package has a __path__
        module = importlib.import_module(f"{package.__name__}.{info.name}")  # type: ignore[attr-defined]
        found |= {c for c in vars(module).values() if isinstance(c, type) and c.__module__ == module.__name__}
    return {c for c in found if issubclass(c, DOMNode) and vars(c).get("BINDINGS")}


def test_the_registry_reaches_every_screen_and_widget_with_bindings() -> None:
    """The screens are found from the app's code, the widgets from the screens': none is missed."""
    declared = _binding_classes_in(tui.screens) | _binding_classes_in(tui.widgets) | {WiredeskApp}
    assert declared <= set(REGISTRY.owners)
    assert {ReaderScreen, HelpScreen, ActorsScreen, ActorDetailScreen, ImportDialog} <= set(REGISTRY.screens)


def live_chain(app: WiredeskApp) -> tuple[type, ...]:
    """The classes of this package, app first, whose bindings the focused widget's keys go through now."""
    focused = app.focused
    nodes = [app, *reversed(focused.ancestors_with_self if focused is not None else [app.screen])]
    return tuple(dict.fromkeys(c for node in nodes for c in reversed(type(node).__mro__) if c in REGISTRY.owners))


async def test_the_chains_of_bindings_live_together_are_those_the_running_app_has(tmp_path: Path) -> None:
    app, store, _ = reader(tmp_path, {})
    add_actor(store, "Ellen Voss")
    seen: set[tuple[type, ...]] = set()
    async with app.run_test(size=SIZE) as pilot:
        seen.add(live_chain(app))  # the text
        await pilot.press("tab")  # the annotation panel's list
        seen.add(live_chain(app))
        await pilot.press("escape", "slash")  # the find box
        seen.add(live_chain(app))
        await pilot.press("escape", "escape", "escape")  # the library
        seen.add(live_chain(app))
        await pilot.press("i")
        seen.add(live_chain(app))
        await pilot.press("escape", "A")
        seen.add(live_chain(app))
        await pilot.press("enter")
        seen.add(live_chain(app))
        await pilot.press("question_mark")
        seen.add(live_chain(app))
    screens = {chain[1] if len(chain) > 1 else None for chain in seen}
    assert {ReaderScreen, LibraryScreen, ImportDialog, ActorEditing, HelpScreen} <= screens
    for chain in seen:
        assert any(chain == derived[: len(chain)] for derived in REGISTRY.chains), chain


@pytest.mark.parametrize("value", ['"strip"', "1", '"Drop"'])
def test_wiredesk_stops_at_start_on_a_bad_quote_punctuation(data_dir: Path, tmp_path: Path, value: str) -> None:
    config = tmp_path / "config" / "wiredesk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"quote_punctuation = {value}\n", "utf-8")
    line = assert_user_error(run(data_dir), 'quote_punctuation must be "drop" or "keep"')
    assert str(config) in line


@pytest.mark.parametrize(("toml", "rule"), [("", "drop"), ('quote_punctuation = "keep"\n', "keep")])
def test_the_quote_punctuation_rule_reaches_the_app(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, rule: str
) -> None:
    config = tmp_path / "config" / "wiredesk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(toml, "utf-8")
    started: list[str] = []
    monkeypatch.setattr(WiredeskApp, "run", lambda app, *a, **k: started.append(app.quote_punctuation))
    assert run(data_dir).exit_code == 0
    assert started == [rule]
    assert quote_punctuation({}) == "drop"


def test_a_screen_swapped_for_a_subclass_keeps_its_bindings(monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/app_start.py swaps the library screen for a subclass that marks its first frame."""

    class MarkedLibrary(LibraryScreen):
        pass

    monkeypatch.setattr(tui.app, "LibraryScreen", MarkedLibrary)
    registry = BindingRegistry(WiredeskApp)
    assert MarkedLibrary in registry.screens
    assert {"library.open", "library.filter"} <= registry.ids
