"""LibraryScreen: every story in the library, saved searches above them; `/` searches (words in the stories'
bodies, ranked with a snippet each; tokens such as `is:untagged`), Enter opens a story (at its first match).
Unread stories are bold with a dot; stories that arrive while it is open come in at the top (`stories_arrived`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input

from tui.commands import PaletteCommand
from tui.desk import desk
from tui.screens.searching import HIT_LIMIT
from tui.screens.unread_marks import UnreadMarking
from tui.widgets.index_progress import IndexProgress
from tui.widgets.row_list import RowList
from tui.widgets.saved_search_list import SavedSearchList
from tui.widgets.story_list import StoryList
from tui.widgets.welcome import Welcome

if TYPE_CHECKING:
    from annotations.exports.scopes import Scope

__all__ = ["FILTER_PLACEHOLDER", "LibraryScreen"]

#: The search box's hint: the query language (the help screen explains each token).
FILTER_PLACEHOLDER = (
    'words "a phrase" OR -not pre* · is:untagged is:unread · quoting: actor: claimant: claims: agency: since: until:'
)


class LibraryScreen(UnreadMarking):
    """The story list, with a search box that appears on `/`."""

    AUTO_FOCUS = "#stories"

    BINDINGS = [
        Binding("i", "import", "Import", id="library.import", tooltip="Import files, folders or a feed URL"),
        Binding(
            "/",
            "filter",
            "Search",
            id="library.filter",
            tooltip='Search the stories\' text (words, "phrases", OR, -word, word*) and filter by is:untagged, '
            "is:unread, quoting:NAME, actor:NAME, claimant:NAME, claims:STATUS, thread:ID, agency:NAME, since:DATE, "
            "until:DATE",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="library.export",
            tooltip="Export annotations (JSON, CSV…): the highlighted story, the filtered list or everything",
        ),
        Binding("escape", "clear_filter", "Clear search", id="library.clear_filter", tooltip="Show every story"),
        Binding(
            "m",
            "toggle_read",
            "Read/unread",
            id="library.toggle_read",
            tooltip="Mark the highlighted story read, or unread again (opening a story reads it; unread: bold, ●)",
        ),
        Binding(
            "a",
            "agreement",
            "Agreement",
            show=False,
            id="library.agreement",
            tooltip="How far the annotators agree (span F1, κ and α), and their disagreements: Enter opens one",
        ),
        Binding(
            "M",
            "mark_all_read",
            "All read",
            show=False,
            id="library.mark_all_read",
            tooltip="Mark every story listed read (those the search shows, when there is one)",
        ),
    ]

    DEFAULT_CSS = """
    LibraryScreen {
        & > #filter { dock: top; display: none; border: tall $accent; height: 3; }
        & > #filter.-open { display: block; }
        & > #filter.-error { border: tall $error; }
        & > StoryList { height: 1fr; }
        & > SavedSearchList { border-bottom: solid $panel-lighten-2; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=FILTER_PLACEHOLDER, id="filter")
        yield SavedSearchList(id="searches")
        yield StoryList(id="stories")
        yield Welcome(desk(self).store.data_dir, id="welcome")
        yield IndexProgress(id="index-progress")
        yield Footer()

    def on_mount(self) -> None:
        searches, problems = desk(self).saved_searches
        self.query_one(SavedSearchList).set_searches(searches)
        for line in problems:
            self.notify(line, title="Saved search left out", severity="warning", timeout=10)

    def on_screen_resume(self) -> None:
        """Shown (the first time too): show the library as it is now."""
        self.reload()

    def on_unmount(self) -> None:
        self.close_index()

    def reload(self) -> None:
        """Show the library as it is now (counts change as the reader tags)."""
        found = self.query(StoryList)
        if not found:  # being taken down as the app quits (the annotations may finish loading just then)
            return
        stories = found.first()
        store = desk(self).store
        entries = store.entries()
        loaded = store.annotations_loaded
        counts = store.counts if loaded else None  # asked per row drawn, not for 100k at once
        stories.sources = store.story_sources()  # the Source column, once stories came from live sources
        store.unread.refresh()  # (another process may have marked stories)
        stories.set_entries(entries, counts, store.to_review if loaded else None, store.unread.ids)
        self.count_unread()
        self.search_reloaded()
        box = self.box
        self.apply_search(box.value, typing=box.has_focus)
        empty = not entries
        stories.display = not empty
        self.query_one(SavedSearchList).display = not empty and bool(self.query_one(SavedSearchList).row_count)
        self.query_one(Welcome).display = empty
        self._update_title()
        if not empty and not box.has_class("-open") and not isinstance(self.focused, SavedSearchList):
            stories.focus()
        self.count_searches()

    def _update_title(self) -> None:
        stories = self.query_one(StoryList)
        total, shown = stories.total, stories.shown
        label = "demo library" if desk(self).demo else "library"
        if desk(self).read_only:
            label += " (read-only)"
        noun = "story" if total == 1 else "stories"
        if stories.hits is not None:
            best = f"best {shown:,}" if shown >= HIT_LIMIT else f"{shown:,}"
            count = f"{best} match{'es' if shown != 1 else ''} in {total:,} {noun}"
        else:
            count = f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        self.sub_title = f"{label} · {count}{self.unread_title()}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.query_one("#filter", Input).has_class("-open")
        if action in ("filter", "export", "toggle_read", "mark_all_read"):
            return len(desk(self).store) > 0
        return True

    def action_import(self) -> None:
        if desk(self).read_only:
            self.notify(desk(self).read_only, title="Read-only: cannot import", severity="error")
            return
        from tui.screens.import_dialog import ImportDialog  # here, not at start: the first frame does without

        self.app.push_screen(ImportDialog(), self._imported)

    def _imported(self, new: list[str] | None) -> None:
        self.note_arrivals(new or [])
        self.reload()
        if new:
            self.query_one(StoryList).highlight(new[-1])

    def palette_commands(self) -> list[PaletteCommand]:
        """Actions the command palette offers on this screen: (name, help, callback)."""
        agreement = (
            "Agreement",
            "How far the annotators agree, and where ({library.agreement})",
            self.action_agreement,
        )
        return [*self.unread_commands(), agreement]

    def action_agreement(self) -> None:
        from tui.screens.agreement import AgreementScreen  # here, not at start: the first frame does without

        self.app.push_screen(AgreementScreen())

    def export_scopes(self) -> list[Scope]:
        """What the library can export: the stories the filter shows (when it hides some), then everything."""
        from annotations.exports.scopes import everything_scope, list_scope

        stories, store = self.query_one(StoryList), desk(self).store
        filtered = [list_scope(store, stories.shown_entries)] if stories.shown < stories.total else []
        return [*filtered, everything_scope(store)]

    def action_export(self) -> None:
        """Export the highlighted story (every version), the filtered list or everything; read-only libraries
        too. The filtered list is chosen first when the filter hides stories, else everything."""
        from annotations.exports.scopes import story_scope
        from tui.screens.export_dialog import ExportDialog

        highlighted = self.query_one(StoryList).highlighted
        listed = self.export_scopes()
        scopes = ([story_scope(desk(self).store, highlighted.id, every_version=True)] if highlighted else []) + listed
        self.app.push_screen(ExportDialog(scopes, scope=listed[0].name))

    def action_filter(self) -> None:
        box = self.box
        box.add_class("-open")
        box.focus()
        self.query_one(StoryList).prepare_filter()  # the haystacks, before the first key rather than on it
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        box = self.box
        box.value = ""
        box.remove_class("-open")
        self.query_one(StoryList).focus()
        self.refresh_bindings()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.apply_search(event.value, typing=self.box.has_focus)

    def set_filter(self, text: str) -> None:
        """Show the search box with `text` in it, and the stories it selects."""
        box = self.box
        box.add_class("-open")
        box.value = text
        box.cursor_position = len(text)
        self.apply_search(text)
        if text.endswith(":"):  # a token waiting for its name
            box.focus()
        else:
            self.query_one(StoryList).focus()
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(StoryList).focus()
        self.apply_search(event.value)  # the last word is typed out: no longer a prefix

    def on_key(self, event: events.Key) -> None:
        if self.box.has_focus and event.key == "down":
            event.stop()
            self.query_one(StoryList).focus()

    def on_row_list_edge(self, event: RowList.Edge) -> None:
        """Up from the first story goes to the saved searches; down from the last saved search, to the stories."""
        saved, stories = self.query_one(SavedSearchList), self.query_one(StoryList)
        if event.row_list is stories and event.up and saved.display:
            saved.focus()
            saved.cursor = saved.row_count - 1
        elif event.row_list is saved and not event.up and stories.display:
            stories.focus()
            stories.cursor = 0

    def on_saved_search_list_chosen(self, event: SavedSearchList.Chosen) -> None:
        self.set_filter(event.search.query)

    def on_story_list_opened(self, event: StoryList.Opened) -> None:
        """Open the story; after a search with words, at their first match, the reader's find box holding them."""
        query = self.shown_query
        desk(self).open_story(event.story_id, find=query.source if query is not None and query.text else None)
