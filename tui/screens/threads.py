"""ThreadsScreen: the claim threads, each with its timeline of statuses in date order; Enter on a claim opens its
story in the reader at the claim (`annotations.claim_threads` has the rules)."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from annotations import claim_threads
from annotations.claim_threads import Moment
from annotations.model import AnnotationError, quoted
from annotations.store import StoreError
from annotations.threads import Thread
from stories.text import clean_line
from tui.commands import PaletteCommand
from tui.desk import desk
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.text_prompt import TextPrompt

__all__ = ["ThreadsScreen", "timeline_row"]

#: How a status shows in a timeline: always by its word (readable without colour), coloured where there is colour.
STATUS_STYLES = {"denied": "bold red", "disputed": "yellow", "confirmed": "bold green", "corrected": "cyan"}


def timeline_row(moment: Moment) -> Table:
    """One member of a thread, terminal-safe: date and status, then agency, claimant and claim, wrapped under
    themselves (the date column stays clear)."""
    when = Text(f"{moment.date[:10] or '—':10} ")
    when.append(f"{moment.member.status:9}", style=STATUS_STYLES.get(moment.member.status, "bold"))
    what = Text(f"{clean_line(moment.agency)[:16]}", style="dim")
    what.append(" · " if moment.agency else "", style="dim")
    if moment.claimant:
        what.append(f"{clean_line(moment.claimant)[:24]}: ")
    claim = moment.claim
    what.append(quoted(claim.exact, 70) if claim is not None else "(claim deleted)")
    row = Table.grid(padding=(0, 1))
    row.add_column(no_wrap=True)
    row.add_column(ratio=1)
    row.add_row(when, what)
    return row


class ThreadsScreen(Screen[None]):
    """Threads above, the highlighted thread's timeline below; Tab moves between them."""

    AUTO_FOCUS = "#threads"

    BINDINGS = [
        Binding("enter", "open", "Open", id="threads.open", tooltip="Open the claim in its story (or the thread)"),
        Binding("r", "retitle", "Title", id="threads.retitle", tooltip="Give the highlighted thread a new title"),
        Binding("x", "unlink", "Unlink", id="threads.unlink", tooltip="Take the highlighted claim out of its thread"),
        Binding("m", "merge", "Merge", id="threads.merge", tooltip="Merge the highlighted thread into another"),
        Binding(
            "f",
            "stories",
            "Stories",
            id="threads.stories",
            tooltip="The library filtered to the highlighted thread's stories (thread:ID)",
        ),
        Binding("u", "undo", "Undo", id="threads.undo", tooltip="Undo the last change"),
        Binding("escape", "back", "Back", id="threads.back", tooltip="Back to where you were"),
    ]

    DEFAULT_CSS = """
    ThreadsScreen {
        & > #threads { height: 1fr; min-height: 4; border: round $panel; }
        & > #timeline-title { padding: 0 1; text-style: bold; }
        & > #timeline { height: 2fr; border: round $panel; }
        & > OptionList:focus { border: round $accent; }
        & > #no-threads { padding: 1 2; color: $text-muted; }
    }
    """

    def __init__(self, focus: str | None = None) -> None:
        super().__init__()
        self._focus = focus
        self._threads: list[Thread] = []
        self._moments: list[Moment] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(id="threads", markup=False)
        yield Label("", id="timeline-title", markup=False)
        yield OptionList(id="timeline", markup=False)
        yield Label(
            "No claim threads yet. In the reader, put the cursor on a claim and press "
            f"{desk(self).key_for('reader.link_thread')} to link it into one.",
            id="no-threads",
            markup=False,
        )
        yield Footer()

    @property
    def thread_list(self) -> OptionList:
        return self.query_one("#threads", OptionList)

    @property
    def timeline(self) -> OptionList:
        return self.query_one("#timeline", OptionList)

    def on_screen_resume(self) -> None:
        """Shown (the first time too): the reader may have linked claims meanwhile."""
        self.reload(self._focus or self.current_thread_id())
        self._focus = None

    def current_thread_id(self) -> str | None:
        index = self.thread_list.highlighted
        return self._threads[index].id if index is not None and index < len(self._threads) else None

    def reload(self, focus: str | None = None) -> None:
        store = desk(self).store
        timelines = {t.id: claim_threads.timeline(store, t) for t in store.threads()}
        latest = {key: max((m.date for m in moments), default="") for key, moments in timelines.items()}
        self._threads = sorted(  # the newest story first, then the latest changed
            store.threads(), key=lambda t: (latest[t.id], t.modified, t.id), reverse=True
        )
        threads = self.thread_list
        threads.clear_options()
        for thread in self._threads:
            statuses = [m.member.status for m in timelines[thread.id]]
            row = Text(clean_line(thread.title)[:70])
            row.append(f"  {len(thread.members)} · {' → '.join(statuses)}", style="dim")
            threads.add_option(Option(row, id=thread.id))
        empty = not self._threads
        for part in ("#threads", "#timeline", "#timeline-title"):
            self.query_one(part).display = not empty
        self.query_one("#no-threads").display = empty
        self.sub_title = f"claim threads · {len(self._threads)}"
        if self._threads:
            ids = [t.id for t in self._threads]
            threads.highlighted = ids.index(focus) if focus in ids else 0
        self._show_timeline()

    def _show_timeline(self) -> None:
        timeline = self.timeline
        timeline.clear_options()
        thread_id = self.current_thread_id()
        thread = desk(self).store.thread(thread_id) if thread_id else None
        self._moments = claim_threads.timeline(desk(self).store, thread) if thread is not None else []
        self.query_one("#timeline-title", Label).update(
            f"{clean_line(thread.title)} · {thread.id[:8]} · by story date" if thread is not None else ""
        )
        for moment in self._moments:
            timeline.add_option(Option(timeline_row(moment), id=moment.member.annotation))
        if self._moments:
            timeline.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self.thread_list:
            self._show_timeline()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list is self.thread_list:
            self.timeline.focus()
        else:
            self._open_member(event.option_index)

    def action_open(self) -> None:
        if self.thread_list.has_focus:
            self.timeline.focus()
        elif (index := self.timeline.highlighted) is not None:
            self._open_member(index)

    def _open_member(self, index: int) -> None:
        claim = self._moments[index].claim if index < len(self._moments) else None
        if claim is None:
            self.notify("That claim was deleted.", severity="warning")
            return
        desk(self).open_story(claim.story_id, at=claim.start)

    def _change(self, do: Callable[[], object], done: str) -> None:
        if desk(self).read_only:
            self.notify(desk(self).read_only, title="Read-only: nothing was saved", severity="error", markup=False)
            return
        try:
            do()
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self.notify(done, markup=False)
        self.reload(self.current_thread_id())

    def action_retitle(self) -> None:
        thread_id = self.current_thread_id()
        thread = desk(self).store.thread(thread_id) if thread_id else None
        if thread is None:
            return

        def titled(title: str | None) -> None:
            if title and title != thread.title:
                history = desk(self).history()
                self._change(lambda: claim_threads.retitle(history, thread.id, title), "Thread retitled")

        self.app.push_screen(TextPrompt("Thread title", thread.title), titled)

    def action_merge(self) -> None:
        thread_id = self.current_thread_id()
        others = [t for t in self._threads if t.id != thread_id]
        if thread_id is None or not others:
            self.notify("Merging needs two threads.", severity="warning")
            return
        labels = {f"{t.id[:8]}  {clean_line(t.title)[:60]}": t.id for t in others}

        def chosen(label: str | None) -> None:
            if label is not None:
                history, target = desk(self).history(), labels[label]
                self._change(lambda: claim_threads.merge_threads(history, thread_id, target), "Threads merged")
                self.reload(target)

        self.app.push_screen(ChoiceDialog("Merge into which thread?", list(labels), mark=False), chosen)

    def action_unlink(self) -> None:
        index = self.timeline.highlighted
        if not self.timeline.has_focus or index is None or index >= len(self._moments):
            self.notify("Highlight a claim in the timeline (Tab) to unlink it.", severity="warning")
            return
        ann_id = self._moments[index].member.annotation
        history = desk(self).history()
        self._change(lambda: claim_threads.unlink(history, ann_id), "Claim unlinked from its thread")

    def action_stories(self) -> None:
        """The library, filtered to the stories of the highlighted thread's claims."""
        thread_id = self.current_thread_id()
        if thread_id is not None:
            desk(self).filter_library(f"thread:{thread_id[:8]}")

    def action_undo(self) -> None:
        history = desk(self).history()
        if not history.can_undo:
            self.notify("Nothing to undo.", severity="warning")
            return
        self._change(history.undo, "Undone")

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[PaletteCommand]:
        """Actions the command palette offers here: (name, help, callback)."""
        return [
            ("Retitle thread", "Give the highlighted thread a new title ({threads.retitle})", self.action_retitle),
            ("Merge threads", "Merge the highlighted thread into another ({threads.merge})", self.action_merge),
            ("Unlink claim", "Take the highlighted claim out of its thread ({threads.unlink})", self.action_unlink),
            ("Thread's stories", "The library filtered to its stories ({threads.stories})", self.action_stories),
        ]
