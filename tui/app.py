"""WiredeskApp: the library and the reader, on one store.

The first frame is the library: this module imports what it needs, and the other screens (the reader, the actors,
help) and the suggester where they are first used (`tui.keymap` finds them there, for the bindings).
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from annotations.config import SavedSearch
from annotations.history import History
from annotations.layers import Layers
from annotations.registry import Registry
from annotations.store import LoadCancelled, Store, StoreError
from tui.commands import WiredeskCommands
from tui.keymap import Keymap, registry_of
from tui.live_sources import LiveSources
from tui.screens.library import LibraryScreen

if TYPE_CHECKING:
    from annotations.suggest import Suggestion
    from stories.model import Story
    from stories.sources import SourceEntry
    from tui.desk import Desk

__all__ = ["WiredeskApp"]


class AnnotationsLoaded(Message):
    """The annotations were read (posted by the loading thread)."""


class AnnotationsFailed(Message):
    """The annotations could not be read: `error`, one line."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class WiredeskApp(App[None]):
    """Read wire stories and tag who said what."""

    CSS_PATH = "wiredesk.tcss"
    TITLE = "wiredesk"
    #: Errors and warnings stay 5 s; a "Saved" notice goes after 2.5 s, so it does not sit on the text long.
    NOTICE_TIMEOUT = 2.5
    #: Seconds between two looks for arrivals from the live sources (one scandir when there are none).
    ARRIVALS_TICK = 1.0
    COMMANDS = App.COMMANDS | {WiredeskCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Show every key"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1", tooltip="Show every key"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit", tooltip="Quit wiredesk"),
        Binding(
            "A",
            "actors",
            "Actors",
            show=False,
            id="app.actors",
            tooltip="Actors: the registry, with counts of quotes, claims and mentions",
        ),
        Binding(
            "ctrl+t",
            "threads",
            "Threads",
            show=False,
            id="app.threads",
            tooltip="Claim threads: claims followed across stories, each thread's timeline of statuses",
        ),
        Binding(
            "K",
            "sync_conflicts",
            "Sync conflicts",
            show=False,
            id="app.sync_conflicts",
            tooltip="Sync conflicts: records two people changed differently, both values; keep one",
        ),
        Binding(
            "O",
            "dashboard",
            "Sourcing",
            show=False,
            id="app.dashboard",
            tooltip="Sourcing dashboard: who is quoted, by type and agency, per week, over the library's filter",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            id="app.command_palette",
            tooltip="Command palette: open a story by headline, run an action",
        ),
    ]

    def __init__(
        self,
        store: Store,
        *,
        annotator: str = "",
        layers: Layers | None = None,
        open_story: str | None = None,
        demo: bool = False,
        read_only: str = "",
        keymap: dict[str, str] | None = None,
        quote_punctuation: Literal["drop", "keep"] = "drop",
        suggester: Callable[[Story, Registry], list[Suggestion]] | None = None,
        searches: tuple[list[SavedSearch], list[str]] | None = None,
        sources: Sequence[SourceEntry] = (),
        poll_sources: bool = True,
    ) -> None:
        """`read_only`: why the library cannot be written (another process holds it), or "" if it can.
        `keymap`: binding id -> key(s), from the user's config (ConfigError if it names an unknown id or key, or
        gives two bindings live at once the same key). `quote_punctuation`: see `stories.quotations.quotation_span`.
        `suggester`: what the reader suggests for a story with a registry (default `annotations.suggest.suggest`).
        `searches`: the config's saved searches and a line for each one left out (`annotations.config.searches`).
        `sources`: the config's live sources, polled while the app is open if `poll_sources` (and no `wiredesk
        watch` polls them); what arrives is taken in either way (`tui.live_sources`)."""
        super().__init__()
        self.keymap = Keymap(registry_of(type(self)), dict(keymap or {}))
        self._key_shown: dict[str, str] = {}  # binding id -> its key as shown: see `key_for`
        self.set_keymap(dict(self.keymap.user))
        self.quote_punctuation: Literal["drop", "keep"] = quote_punctuation
        self.suggester: Callable[[Story, Registry], list[Suggestion]] = suggester or _suggest
        self.saved_searches: tuple[list[SavedSearch], list[str]] = searches or ([], [])
        self.store = store
        self.annotator = annotator
        #: Whose layer each annotation is in (`annotations.layers.layers_of` the config); default: one analyst.
        self.layers = layers or Layers(annotator, solo=True)
        #: The export dialog's last format and folder, offered again next time (this session).
        self.export_memory: dict[str, str] = {}
        self.demo = demo
        self.read_only = read_only or ("the library is open read-only" if store.read_only else "")
        if self.read_only:  # in the title bar of every screen, for the whole session
            self.title = f"{self.TITLE} · READ-ONLY"
        self._open_at_start = open_story
        self._history: History | None = None
        self._loader: threading.Thread | None = None
        self._annotations_ready = asyncio.Event()
        self._sources, self._poll_sources = list(sources), poll_sources
        self.live: LiveSources | None = None

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen())
        if not self.read_only and not self.demo:
            self.live = LiveSources(self, self.store, self._sources, self._stories_arrived, self.history)
            self.set_interval(self.ARRIVALS_TICK, self.live.tick, name="arrivals")
            if self._poll_sources:
                self.live.start_polling()
        if self.read_only:
            self.notify(self.read_only, title="Read-only: tags cannot be saved", severity="warning", timeout=12)
        self._tell_sync_conflicts()
        if self._open_at_start:  # `wiredesk open`: the reader is the first frame, so read the annotations now
            try:
                self.store.load_annotations()
            except StoreError as exc:
                self._fail(str(exc))
                return
            self.open_story(self._open_at_start)
        else:
            self.call_after_refresh(self._load_in_background)

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.stop()

    def _stories_arrived(self, ids: list[str]) -> None:
        """New stories from the live sources are in the library: the library shows them."""
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.stories_arrived(ids)

    def _load_in_background(self) -> None:
        """Read the annotations after the first frame, on a thread of their own, then show the counts. A daemon
        thread, not a worker: quitting never waits for it (`Store.close` stops it at once)."""
        if not self.store.annotations_loaded and self._loader is None:
            self._loader = threading.Thread(target=self._load_annotations, name="wiredesk-load", daemon=True)
            self._loader.start()

    def _load_annotations(self) -> None:
        """The loading thread: tells the app by message (thread-safe; dropped once the app has quit)."""
        try:
            self.store.load_annotations()
        except LoadCancelled:  # the app quit meanwhile
            return
        except StoreError as exc:
            self.post_message(AnnotationsFailed(str(exc)))
            return
        self.post_message(AnnotationsLoaded())

    def on_annotations_loaded(self, _message: AnnotationsLoaded) -> None:
        self._loaded()

    def on_annotations_failed(self, message: AnnotationsFailed) -> None:
        self._fail(message.error)

    def _loaded(self) -> None:
        self._annotations_ready.set()
        if self.screen_stack and isinstance(self.screen, LibraryScreen):  # (no screen: the app is closing)
            self.screen.reload()

    def _fail(self, message: str) -> None:
        self.exit(return_code=1, message=f"wiredesk: {message}")

    def history(self, story_id: str | None = None) -> History:
        """The undo history of this session: one for every story and the actor registry alike, beginning with the
        steps `wiredesk annotate`, `edit` and `delete` left (`annotations.handover`)."""
        if self._history is None:
            self._history = History(self.store, layers=self.layers)
            self._history.adopt()
        return self._history

    def open_story(self, story_id: str, at: int | None = None, find: str | None = None) -> None:
        """Show the reader on a story (once the annotations are read, which may still be under way); `at`: the
        offset in its text to put the cursor on (an annotation's start, say), centred on screen; `find`: a library
        search to open at the first match of, its find box holding the query."""
        if self.store.annotations_loaded:
            self._show_story(story_id, at, find)
        else:
            self.run_worker(self._when_loaded(self._show_story, story_id, at, find), group="open", exclusive=True)

    async def _when_loaded(self, show: Callable[..., None], *args: object) -> None:
        if not self.store.annotations_loaded:  # `_loaded` sets the event (a failed load quits the app)
            self._load_in_background()
            await self._annotations_ready.wait()
        show(*args)

    def _show_story(self, story_id: str, at: int | None = None, find: str | None = None) -> None:
        from tui.screens.reader import ReaderScreen
        from tui.widgets.story_view import StoryView

        try:
            story = self.store.story(story_id)
        except StoreError as exc:
            self.notify(str(exc), title="Cannot open story", severity="error")
            return
        try:  # opening a story reads it (every version of it)
            self.store.unread.mark_read(e.id for e in self.store.versions(story_id))
        except StoreError as exc:  # the story opens all the same
            self.notify(str(exc), title="Not marked read", severity="warning")
        while isinstance(self.screen, ReaderScreen) or _is_help(self.screen):
            self.pop_screen()
        reader = ReaderScreen(story, self.history(story_id))
        if find:
            reader.search_on_open(find)
        mounted = self.push_screen(reader)
        if at is not None:

            async def place_cursor() -> None:
                await mounted
                reader.call_after_refresh(lambda: reader.query_one(StoryView).move_to(at, center=True))

            self.run_worker(place_cursor(), group="place", exclusive=True)

    def _tell_sync_conflicts(self) -> None:
        """A notice when `wiredesk sync` left conflicts open (both values are kept until someone settles them)."""
        try:
            count = len(self.store.sync.conflicts)
        except StoreError as exc:
            self.notify(str(exc), title="Cannot read the sync state", severity="error", timeout=12, markup=False)
            return
        if count:
            key = self.key_for("app.sync_conflicts")
            self.notify(f"{count} sync conflict{'s' if count != 1 else ''}: {key} shows them", timeout=12)

    def action_sync_conflicts(self) -> None:
        """Show the open sync conflicts over what is shown (Escape comes back)."""
        from tui.screens.sync_conflicts import SyncConflictsScreen

        if not isinstance(self.screen, SyncConflictsScreen):
            self.push_screen(SyncConflictsScreen())

    def action_actors(self) -> None:
        """Show the actor registry over what is shown (Escape comes back); if it is open already, go back to it."""
        if self.store.annotations_loaded:
            self._show_actors()
        else:
            self.run_worker(self._when_loaded(self._show_actors), group="open", exclusive=True)

    def _show_actors(self) -> None:
        from tui.screens.actors import ActorsScreen

        self._show_once(ActorsScreen, ActorsScreen)

    def _show_once(self, kind: type[Screen], make: Callable[[], Screen]) -> None:
        """Back to the screen of `kind` if it is open, else `make()` one over what is shown (help closed first)."""
        if any(isinstance(s, kind) for s in self.screen_stack):
            while not isinstance(self.screen, kind):
                self.pop_screen()
            return
        while _is_help(self.screen):
            self.pop_screen()
        self.push_screen(make())

    def action_dashboard(self) -> None:
        """Show the sourcing dashboard over the library's filter (Escape comes back); if it is open, go back to it."""
        from tui.screens.dashboard import DashboardScreen

        library = next((s for s in self.screen_stack if isinstance(s, LibraryScreen)), None)
        self._show_once(DashboardScreen, lambda: DashboardScreen(library.box.value if library is not None else ""))

    def action_threads(self, focus: str | None = None) -> None:
        """Show the claim threads over what is shown (Escape comes back); if open already, go back to it."""
        if self.store.annotations_loaded:
            self._show_threads(focus)
        else:
            self.run_worker(self._when_loaded(self._show_threads, focus), group="open", exclusive=True)

    def _show_threads(self, focus: str | None = None) -> None:
        from tui.screens.threads import ThreadsScreen

        if any(isinstance(s, ThreadsScreen) for s in self.screen_stack):
            while not isinstance(screen := self.screen, ThreadsScreen):
                self.pop_screen()
            screen.reload(focus)
            return
        while _is_help(self.screen):
            self.pop_screen()
        self.push_screen(ThreadsScreen(focus))

    def filter_library(self, query: str) -> None:
        """Back to the library, its filter set to `query` (words and tokens, as typed after `/`)."""
        if not any(isinstance(s, LibraryScreen) for s in self.screen_stack):
            return
        while not isinstance(self.screen, LibraryScreen):
            self.pop_screen()
        self.screen.set_filter(query)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("actors", "dashboard"):  # not over a dialog that waits for an answer
            return not isinstance(self.screen, ModalScreen) or _is_help(self.screen)
        return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """As `App.notify`; information goes sooner than warnings and errors (see NOTICE_TIMEOUT), on one line
        ("Saved quote: “…”"), so that its toast sits on the footer and hides no line of text (see wiredesk.tcss)."""
        if severity == "information":
            timeout = self.NOTICE_TIMEOUT if timeout is None else timeout
            if title:
                message = f"{escape(title) if markup else title}: {message}"
                title = ""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands less "Keys" (wiredesk's help lists every key), "Maximize" and
        "Screenshot"; "Theme" and "Quit" stay."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Maximize", "Minimize", "Screenshot"):
                yield command

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def key_for(self, binding_id: str) -> str:
        """The key in effect for a binding, as the footer shows it ("q", "^r"), for hints; "" if it has none.
        Worked out once a binding (the keymap is fixed for the session): the reader's status line asks on every
        move and save."""
        shown = self._key_shown.get(binding_id)
        if shown is None:
            keys = self.keymap.keys(binding_id)
            shown = self._key_shown[binding_id] = self.get_key_display(Binding(keys[0], "")) if keys else ""
        return shown


def _is_help(screen: Screen[object]) -> bool:
    """Whether `screen` is the help screen (not imported for the question: no help screen before its module is)."""
    help_module = sys.modules.get("tui.screens.help")
    return help_module is not None and isinstance(screen, help_module.HelpScreen)


def _suggest(story: Story, registry: Registry) -> list[Suggestion]:
    """What the reader suggests: the suggester's finds (with the config's spaCy pipeline, if it names one that
    loads); the reader leaves out those rejected or already tagged. Imported on the first suggestion."""
    from annotations.suggest import suggest
    from annotations.suggest.nlp import configured

    return suggest(story, registry, nlp=configured()[0])


if TYPE_CHECKING:

    def _is_a_desk(app: WiredeskApp) -> Desk:
        """Screens see the app as a `Desk`: mypy checks here that it is one."""
        return app
