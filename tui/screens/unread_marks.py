"""UnreadMarking: read and unread stories in the library, a base of LibraryScreen: the marks toggled and cleared,
arrivals counted ("3 new": stories stored while the app is open, by a watched source or the import dialog, and
still unread) and announced when they match `[alerts]`.

A story is unread from its import until it is opened (`annotations.store.unread`). The rules (which stories are unread,
which arrivals match an alert) are in `annotations/`; this module shows them.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotations import config
from annotations.registry import Registry
from annotations.store import Store, StoreError
from stories.text import clean_line
from tui.commands import PaletteCommand
from tui.desk import desk
from tui.screens.searching import Searching
from tui.widgets.story_list import StoryList

__all__ = ["UnreadMarking"]


class UnreadMarking(Searching):
    """The library's read/unread marks: `m` toggles the highlighted story's, `M` marks the listed ones read."""

    def __init__(self) -> None:
        super().__init__()
        self._arrived: set[str] = set()  # stories that arrived while the app was open
        self._unread_listed = 0  # unread stories among those listed (the newest version standing for each)
        self._alerts: config.AlertSettings | None = None  # `[alerts]`, read at the first arrival
        self._alert_problems_told = False

    def reload(self) -> None:
        raise NotImplementedError

    def count_unread(self) -> None:
        """Count the unread stories for the title (once a reload: the whole list is looked at; a mark then counts
        itself in)."""
        self._unread_listed = self.query_one(StoryList).unread_shown

    def unread_title(self) -> str:
        """ " · 3 new · 12 unread" for the title ("" when nothing is unread)."""
        unread = desk(self).store.unread
        new = sum(1 for story_id in self._arrived if story_id in unread)
        parts = ([f"{new:,} new"] if new else []) + ([f"{self._unread_listed:,} unread"] if self._unread_listed else [])
        return "".join(f" · {part}" for part in parts)

    # --- marking -----------------------------------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        """Mark the highlighted story read, or unread again."""
        entry = self.query_one(StoryList).highlighted
        if entry is None:
            return
        unread = desk(self).store.unread
        self._mark([entry.id], read=entry.id in unread)

    def action_mark_all_read(self) -> None:
        """Mark every story listed read (those the search shows, when there is one)."""
        unread = desk(self).store.unread
        ids = [e.id for e in self.query_one(StoryList).shown_entries if e.id in unread]
        if self._mark(ids, read=True) is not None:
            noun = "story" if len(ids) == 1 else "stories"
            self.notify(f"{len(ids):,} {noun} marked read" if ids else "Nothing listed is unread", title="Read")

    def _mark(self, story_ids: list[str], *, read: bool) -> list[str] | None:
        """Mark these stories read (or unread) and redraw their rows; None if the mark could not be saved."""
        unread = desk(self).store.unread
        try:
            changed = unread.mark_read(story_ids) if read else unread.mark_unread(story_ids)
        except StoreError as exc:
            self.notify(clean_line(str(exc)), title="Not marked", severity="error")
            return None
        stories = self.query_one(StoryList)
        stories.marks_changed(changed)
        listed = sum(1 for story_id in changed if _listed(desk(self).store, story_id))
        self._unread_listed += -listed if read else listed
        self.search_reloaded()  # `is:unread` answers anew at the next search; the list stays as it is for now
        self._update_title()
        return changed

    # --- arrivals ----------------------------------------------------------------------------------------------

    def stories_arrived(self, ids: list[str]) -> None:
        """Stories were stored while the app is open (a watched source, an import): list them at the top, marked
        unread and counted as new, the highlighted story kept on its line; announce those that match `[alerts]`."""
        self.note_arrivals(ids)
        stack = self.app.screen_stack
        if stack[-1] is self or (len(stack) > 1 and stack[-1].is_modal and stack[-2] is self):
            self.reload()  # shown (under a dialog, maybe); else it reloads when it is shown again
        self._alert(ids)

    def note_arrivals(self, ids: Iterable[str]) -> None:
        """These stories were stored while the app is open: those unread count as new."""
        unread = desk(self).store.unread
        unread.refresh()  # (another process may have stored and marked them)
        self._arrived.update(i for i in ids if i in unread)

    def _alert(self, ids: Iterable[str]) -> None:
        """A notification naming each arriving story that matches `[alerts]`, and the bell if asked."""
        settings = self._alert_settings()
        if not settings:
            return
        from annotations.alerts import Watch  # here: the suggester's name matcher, which the first frame does without

        store = desk(self).store
        registry = Registry.of(store) if store.annotations_loaded else Registry([])
        watch = Watch(settings, desk(self).saved_searches[0], registry)
        if watch.problems and not self._alert_problems_told:
            self._alert_problems_told = True
            for line in watch.problems:
                self.notify(line, title="Alert left out", severity="warning", timeout=10)
        found = watch.check(store, ids, self._search if self.body_search else None)
        for alert in found:
            self.notify(alert.line(), title="New copy", timeout=10, markup=False)
        if found and watch.bell:
            self.app.bell()

    def _alert_settings(self) -> config.AlertSettings:
        """`[alerts]` of the config file, read once; a file that cannot be used is said once, in one line."""
        if self._alerts is None:
            try:
                self._alerts = config.alerts(config.load_config())
            except config.ConfigError as exc:
                self._alerts = config.AlertSettings()
                self.notify(str(exc), title="Alerts off", severity="error", timeout=10)
        return self._alerts

    def unread_commands(self) -> list[PaletteCommand]:
        """The palette's read/unread actions."""
        return [
            ("Library: mark all read", "Every story listed ({library.mark_all_read})", self.action_mark_all_read),
            ("Library: mark read / unread", "The highlighted story ({library.toggle_read})", self.action_toggle_read),
        ]


def _listed(store: Store, story_id: str) -> bool:
    """Whether the library lists this story version (the newest version stands for its story)."""
    try:
        return store.versions(story_id)[-1].id == story_id
    except StoreError:
        return False
