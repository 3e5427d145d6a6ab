"""ReaderScreen: one story, formatted, with keyboard selection, one-key tagging and suggestions to judge."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Header

from annotations import claim_threads
from annotations.config import ConfigError, load_config
from annotations.curation import check_curatable, curation_policy, state
from annotations.history import Change, History
from annotations.layers import ALL
from annotations.model import Annotation, AnnotationError
from annotations.store import StoreError
from annotations.store.decisions import Decision
from annotations.store.orphans import Orphan
from annotations.store.rejections import Rejection
from annotations.store.tagstore import Edit
from annotations.threads import THREAD_STATUSES, Thread
from stories.diff import diff_versions
from stories.model import Story
from stories.text import clean_line
from tui.commands import PaletteCommand
from tui.desk import desk
from tui.screens.choice_dialog import ChoiceDialog
from tui.screens.curation import CurationScreen
from tui.screens.export_dialog import ExportDialog, everything_scope, story_scope
from tui.screens.layering import Layering
from tui.screens.library import LibraryScreen
from tui.screens.reviewing import REVIEW_BINDINGS
from tui.screens.suggesting import SUGGESTION_BINDINGS
from tui.screens.tagging import Touched, quoted
from tui.screens.thread_picker import NEW_THREAD, ThreadPicker
from tui.screens.version_diff import VersionDiffScreen
from tui.story_text import KIND_LABELS
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.find_bar import FindBar
from tui.widgets.status_line import StatusLine
from tui.widgets.story_view import StoryView
from tui.widgets.suggestion_list import SuggestionList, suggestion_details
from tui.widgets.version_bar import VersionBar, VersionFacts

__all__ = ["ReaderScreen"]

#: Below this width the annotation panel hides itself (`p` shows it again).
PANEL_MIN_WIDTH = 90


class ReaderScreen(Layering):
    """Read a story and tag it, or judge what wiredesk suggests. Tags are saved the moment they are made."""

    AUTO_FOCUS = "StoryView"

    BINDINGS = [
        Binding("q", "tag('quote')", "Quote", id="reader.tag_quote", tooltip="Tag the selection as a quote"),
        Binding("a", "tag('actor')", "Actor", id="reader.tag_actor", tooltip="Tag the selection as an actor"),
        Binding("c", "tag('claim')", "Claim", id="reader.tag_claim", tooltip="Tag the selection as a claim"),
        Binding(
            "enter",
            "edit",
            "Edit",
            show=False,
            id="reader.edit",
            tooltip="Edit every field of the annotation at the cursor",
        ),
        Binding(
            "s",
            "link",
            "Speaker",
            show=False,
            id="reader.link",
            tooltip="Set the speaker of a quote or the claimant of a claim (an actor's registry entry) with the picker",
        ),
        Binding(
            "J",
            "link_thread",
            "Thread",
            show=False,
            id="reader.link_thread",
            tooltip="Link the claim at the cursor into a claim thread (likely threads first, or a new one)",
        ),
        Binding(
            "x",
            "delete",
            "Delete",
            show=False,  # the status line offers it on a tag; the footer must fit 80 columns
            id="reader.delete",
            tooltip="Delete the annotation under the cursor",
        ),
        Binding("u", "undo", "Undo", id="reader.undo", tooltip="Undo the last change (tag, edit, link, delete)"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="reader.redo", tooltip="Redo what was undone"),
        Binding(
            "/",
            "find",
            "Find",
            id="reader.find",
            tooltip="Find as you type; Enter selects the match",
            priority=True,  # handled as it is read: the keys typed right after it go into the box it opens
        ),
        Binding("n", "find_next", "Next match", show=False, id="reader.find_next", tooltip="Select the next match"),
        Binding(
            "N",
            "find_previous",
            "Previous match",
            show=False,
            id="reader.find_previous",
            tooltip="Select the previous match",
        ),
        Binding(
            "]",
            "next_annotation",
            "Next tag",
            show=False,
            id="reader.next_annotation",
            tooltip="Jump to the next annotation",
        ),
        Binding(
            "[",
            "previous_annotation",
            "Previous tag",
            show=False,
            id="reader.previous_annotation",
            tooltip="Jump to the previous annotation",
        ),
        Binding(
            "L",
            "cycle_layer",
            "Layer",
            show=False,
            id="reader.cycle_layer",
            tooltip="Show the next annotator layer of this story: yours, each other annotator's, curated, then all "
            "side by side (others' read-only)",
        ),
        Binding(
            "p",
            "toggle_panel",
            "Panel",
            show=False,
            id="reader.toggle_panel",
            tooltip="Show or hide the annotation panel",
        ),
        *SUGGESTION_BINDINGS,
        *REVIEW_BINDINGS,
        Binding(
            "E",
            "export",
            "Export",
            show=False,
            id="reader.export",
            tooltip="Export annotations (JSON, CSV…): this story, the library's filtered list or everything",
        ),
        Binding(
            "d",
            "version_diff",
            "Changes",
            show=False,
            id="reader.version_diff",
            tooltip="Show what changed in this version since the one before (inserted and deleted words marked)",
        ),
        Binding(
            "C",
            "curate",
            "Curate",
            show=False,
            id="reader.curate",
            tooltip="Curate this story: agreed annotations into the curated layer, then settle the rest one by one",
        ),
        Binding(
            "minus",
            "open_version(-1)",
            "Older version",
            show=False,
            id="reader.previous_version",
            tooltip="Open the version of this story before this one",
        ),
        Binding(
            "plus,equals_sign",
            "open_version(1)",
            "Newer version",
            show=False,
            id="reader.next_version",
            tooltip="Open the version of this story after this one",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="reader.back",
            tooltip="Close find, else clear the selection, else back to the library",
        ),
    ]

    DEFAULT_CSS = """
    ReaderScreen {
        & > #body { height: 1fr; }
        & StoryView { width: 1fr; height: 1fr; }
    }
    """

    def __init__(self, story: Story, history: History) -> None:
        super().__init__()
        self.story = story
        self.history = history
        self._panel_forced: bool | None = None
        self._changed: int | None = None  # paragraphs changed since the version before (the version bar)

    # --- parts ---------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        versions = len(desk(self).store.versions(self.story.id))
        if versions > 1:
            yield VersionBar(self._version_facts(), id="versions")
        with Horizontal(id="body"):
            yield StoryView(self.story, versions=versions, id="story")
            yield AnnotationPanel(id="panel")
        yield FindBar(id="find")
        yield StatusLine(id="status")
        yield Footer()

    def _version_facts(self) -> VersionFacts:
        """Which version this is, when it was updated, what changed since the one before, what waits for review."""
        store = desk(self).store
        versions = store.versions(self.story.id)
        number = next((e.version for e in versions if e.id == self.story.id), 1)
        meta = self.story.meta
        updated = (meta.updated or meta.created or "").replace("T", " ")[:16]
        if self._changed is None and number > 1:  # what changed since the version before: diffed once
            before = next(e for e in versions if e.version == number - 1)
            self._changed = diff_versions(store.story(before.id), self.story).summary.paragraphs_changed
        return VersionFacts(
            number=number,
            versions=len(versions),
            updated=updated,
            changed=self._changed,
            to_review=store.to_review(self.story.id),
            review_key=self._key("reader.next_review"),
            diff_key=self._key("reader.version_diff") if number > 1 else "",
        )

    def refresh_version_bar(self) -> None:
        for bar in self.query(VersionBar):
            bar.show(self._version_facts())

    @property
    def view(self) -> StoryView:
        return self.query_one(StoryView)

    @property
    def panel(self) -> AnnotationPanel:
        return self.query_one(AnnotationPanel)

    def on_mount(self) -> None:
        self.sub_title = f"{self.story.short_id} · {self.story.headline}"
        self.shown_layer = desk(self).layers.me
        self._reload_annotations()

    def on_resize(self, event: events.Resize) -> None:
        self._apply_panel_width()
        self.query_one(Footer).compact = self.size.width < 110

    def _apply_panel_width(self) -> None:
        wide = self.size.width >= PANEL_MIN_WIDTH
        self.panel.display = wide if self._panel_forced is None else self._panel_forced

    def _key(self, binding_id: str) -> str:
        """The key in effect for a binding (the user may have remapped it), for hints."""
        return desk(self).key_for(binding_id)

    def on_screen_resume(self) -> None:
        """Back from another screen (the actors view may have renamed or merged entries): show the links anew."""
        if self.is_mounted:
            self._reload_annotations()

    def _reload_annotations(self, current: str | None = None, changed: Sequence[Edit] | None = None) -> None:
        store, layers = desk(self).store, desk(self).layers
        touched = Touched.of(changed, self.story.id) if changed is not None else None
        hidden = next((a for a in touched.added if not layers.shows(a, self.shown_layer)), None) if touched else None
        if hidden is not None or (touched and any(layers.of(a) not in self._present for a in touched.added)):
            touched = None  # a change in a layer not shown (yours, while another's is): that layer is shown
            if hidden is not None:
                self.shown_layer = layers.of(hidden)
        if touched is None:
            anns = store.annotations(self.story.id)
            self._present = layers.names(anns)
            if self.shown_layer not in (*self._present, ALL):  # the layer shown has gone (undone, synced away)
                self.shown_layer = layers.me
            self._show_layer()
            shown = [a for a in anns if layers.shows(a, self.shown_layer)]
            self.view.set_annotations(shown)
            self.panel.set_annotations(shown, store.actor)
        else:  # what a step touched, only: a save costs the same whatever the story's annotation count
            self.view.update_annotations(touched.removed, touched.added)
            self.panel.update_annotations(touched.removed, touched.added, store.actor, actors=touched.actors)
        self._show_cursor_state(current)
        self._refresh_suggestions()  # in a worker: the text is shown first, the suggestions when ready

    def _show_cursor_state(self, current: str | None = None) -> None:
        view = self.view
        here = self.annotations_here()
        suggestion = self._mark_current()
        if suggestion is not None and here and suggestion != self._jumped:
            suggestion = None  # a tag at the cursor comes first, unless a jump went to the suggestion
        forced = current is not None
        if current is None and here:
            current = here[0].id
        self.panel.show_current(current, force=forced)
        status = Text()
        if caption := self.layer_caption():
            status.append(f"{caption}  ·  ", style="bold")
        selection = view.selection
        if selection is not None:
            label = "SELECT" if view.visual else "selection"
            status.append(f"{label} {selection[1] - selection[0]} chars", style="bold")
            key = self._key
            tags = f"{key('reader.tag_quote')} quote, {key('reader.tag_actor')} actor, {key('reader.tag_claim')} claim"
            status.append(f"  ·  {tags}, {key('reader.back')} clear")
        elif suggestion is not None:
            # the keys before the details: on a narrow terminal the line is cut at its end, and the panel has them
            key = self._key
            accept, reject = key("reader.accept_suggestion"), key("reader.reject_suggestion")
            status.append(f"◌ {accept} accept, {reject} reject, {key('reader.edit_suggestion')} edit  ·  ")
            status.append(f"suggested {suggestion.kind} ", style="bold")
            status.append(suggestion_details(suggestion))
            if suggestion in (shown := self.visible_suggestions):
                status.append(f"  ·  {shown.index(suggestion) + 1}/{len(shown)}", style="dim")
        elif here:
            ann = here[0]
            status.append(f"{KIND_LABELS.get(ann.kind, ann.kind)} ", style="bold")
            status.append(quoted(ann.exact, 28))
            link = {"quote": "speaker", "claim": "claimant"}.get(ann.kind, "entry")
            key = self._key
            if (layers := desk(self).layers).editable(ann):
                status.append(
                    f"  ·  {key('reader.edit')} edit, {key('reader.link')} {link}, {key('reader.delete')} delete"
                )
                if ann.kind == "claim":
                    status.append(f", {key('reader.link_thread')} thread")
            else:
                status.append(f"  ·  {clean_line(layers.of(ann))}'s, read-only")
            if ann.kind == "claim":
                thread = desk(self).store.thread_of(ann.id)
                member = thread.member(ann.id) if thread is not None else None
                if thread is not None and member is not None:
                    status.append(f"  ·  {member.status} in {quoted(thread.title, 24)}", style="dim")
        else:
            key = self._key
            select, find, help_ = key("view.toggle_select"), key("reader.find"), key("app.help")
            status.append(f"{select} select  ·  {find} find  ·  {help_} help")
        if (shown := self.visible_suggestions) and (suggestion is None or selection is not None):
            count = f"{len(shown)} suggestion" + ("s" if len(shown) != 1 else "")
            if selection is None and not here:
                count += f", {self._key('reader.next_suggestion')} next"
            status.append(f"  ·  {count}", style="dim")
        paragraph = view.paragraph_index(view.cursor)
        status.append(f"   ¶ {paragraph + 1}/{len(self.story.paragraphs())}", style="dim")
        self.query_one(StatusLine).show(status)  # the footer's keys never change here: it is not rebuilt

    def on_story_view_changed(self, event: StoryView.Changed) -> None:
        self._show_cursor_state()

    def on_annotation_panel_selected(self, event: AnnotationPanel.Selected) -> None:
        self.view.move_to(event.annotation.start, center=True)
        self.view.focus()

    def on_annotation_panel_highlighted(self, event: AnnotationPanel.Highlighted) -> None:
        self.view.move_to(event.annotation.start, center=True)

    def on_annotation_panel_edit(self, event: AnnotationPanel.Edit) -> None:
        self._edit(event.annotation)

    def on_annotation_panel_left(self, event: AnnotationPanel.Left) -> None:
        self.view.focus()

    def on_suggestion_list_selected(self, event: SuggestionList.Selected) -> None:
        self._jumped = event.suggestion
        self.view.move_to(event.suggestion.start, center=True)
        self.view.focus()
        self._show_cursor_state()

    # --- undo and moving between tags ----------------------------------------------------------------------

    def _step_history(self, undo: bool) -> None:
        if not self._writable():
            return
        try:
            change: Change | None = self.history.undo(self.story) if undo else self.history.redo(self.story)
        except (AnnotationError, StoreError) as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        if change is None:
            self.notify("Nothing to undo." if undo else "Nothing to redo.", severity="warning")
            return
        subject = change.subject
        # a rejected suggestion, a carried annotation not placed (an orphan), a curation decision: of a story too
        in_story = isinstance(subject, Annotation | Rejection | Orphan | Decision)
        here = isinstance(subject, Annotation | Rejection | Orphan | Decision) and subject.story_id == self.story.id
        edits = change.inverse() if undo else change.edits
        self._reload_annotations(current=subject.id if here else None, changed=edits)
        if isinstance(subject, Annotation | Rejection | Decision) and here:
            self.view.move_to(subject.start, center=True)
        elsewhere = ""  # undo is one history for the whole library: say where a change was, when not here
        self.refresh_version_bar()
        if isinstance(subject, Annotation | Rejection | Orphan | Decision) and not here:
            elsewhere = f" (in “{desk(self).store.story_meta(subject.story_id).headline}”)"
        elif isinstance(subject, Thread):
            elsewhere = " (claim threads)"
        elif not in_story:
            elsewhere = " (actor registry)"
        severity: SeverityLevel = "information" if here else "warning"  # a change out of sight: shown longer
        self.notify(change.describe() + elsewhere, title="Undone" if undo else "Redone", severity=severity)

    def action_undo(self) -> None:
        self._step_history(undo=True)

    def action_redo(self) -> None:
        self._step_history(undo=False)

    def _jump_annotation(self, forward: bool) -> None:
        starts = sorted({a.start for a in self.view.annotations})
        if not starts:
            self.notify("This story has no annotations yet.", severity="warning")
            return
        cursor = self.view.cursor
        later = [s for s in starts if s > cursor] if forward else [s for s in starts if s < cursor]
        if later:
            target = later[0] if forward else later[-1]
        else:
            target = starts[0] if forward else starts[-1]
            self.notify("Wrapped around to the " + ("first" if forward else "last") + " annotation.")
        self.view.move_to(target, center=True)

    def action_next_annotation(self) -> None:
        self._jump_annotation(forward=True)

    def action_previous_annotation(self) -> None:
        self._jump_annotation(forward=False)

    # --- leaving -------------------------------------------------------------------------------------------

    def action_toggle_panel(self) -> None:
        self._panel_forced = not self.panel.display
        self._apply_panel_width()

    def action_back(self) -> None:
        """Escape: close the find box, else clear the selection, else go back to the library."""
        view = self.view
        if self.find_bar.is_open:
            self.on_find_bar_cancelled(FindBar.Cancelled())
        elif view.selection_anchor is not None:
            view.clear_selection()
            if self._matches:
                self._matches = []
                view.set_matches([])
        else:
            self.app.pop_screen()

    def action_version_diff(self) -> None:
        """Show what changed in this version since the one before (for the first version: in the next one)."""
        versions = desk(self).store.versions(self.story.id)
        if len(versions) < 2:
            self.notify("This story has only one version: nothing to compare", severity="warning")
            return
        here = next(i for i, v in enumerate(versions) if v.id == self.story.id)
        self.app.push_screen(VersionDiffScreen(versions, max(here, 1)))

    def action_open_version(self, by: int) -> None:
        """Open the version `by` places later (earlier, if negative) in the reader."""
        versions = desk(self).store.versions(self.story.id)
        here = next(i for i, v in enumerate(versions) if v.id == self.story.id)
        if not 0 <= here + by < len(versions):
            which = "only version" if len(versions) == 1 else "oldest version" if by < 0 else "newest version"
            self.notify(f"This is the story's {which}", severity="warning")
            return
        desk(self).open_story(versions[here + by].id)

    def action_curate(self) -> None:
        """Open the curation of this story version (the policy from the config's `curation`)."""
        if not self._writable():
            return
        try:
            policy = curation_policy(load_config())
        except ConfigError as exc:
            self.notify(str(exc), title="Cannot curate", severity="error", markup=False)
            return
        try:
            check_curatable(state(desk(self).store, self.story.id, desk(self).layers.team, policy))
        except AnnotationError as exc:
            self.notify(str(exc), title="Nothing to curate", severity="warning", markup=False)
            return
        self.app.push_screen(CurationScreen(self.story, self.history, policy))

    def action_link_thread(self) -> None:
        """Link the claim at the cursor into a claim thread: the picker proposes the likely threads first (and a
        new one), then its status there; saved at once, one undoable step."""
        if not self._writable():
            return
        ann = self._target(kinds=("claim",))
        if ann is None or ann.kind != "claim":
            self.notify("Put the cursor on a claim to link it into a thread.", severity="warning")
            return
        store = desk(self).store
        current = store.thread_of(ann.id)

        def statused(thread_id: str | None, status: str | None) -> None:
            if status is None:
                return
            try:
                target = None if thread_id == NEW_THREAD else thread_id
                thread = claim_threads.link(self.history, ann, target, status=status)
            except (AnnotationError, StoreError) as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            claims = f"{len(thread.members)} claim" + ("" if len(thread.members) == 1 else "s")
            self.notify(
                f"{quoted(thread.title)}: {status} ({claims})",
                title="Linked",
                markup=False,
            )

        def picked(thread_id: str | None) -> None:
            if thread_id is None:
                return
            now = current.member(ann.id) if current is not None and thread_id == current.id else None
            default = now.status if now is not None else "asserted"
            self.app.push_screen(
                ChoiceDialog("Its status in the thread", THREAD_STATUSES, default, mark=now is not None),
                functools.partial(statused, thread_id),
            )

        self.app.push_screen(ThreadPicker(ann, claim_threads.likely_threads(store, ann), current), picked)

    def action_export(self) -> None:
        """Export this version of the story, or what the library would (its filtered list, everything)."""
        store = desk(self).store
        library = next((s for s in self.app.screen_stack if isinstance(s, LibraryScreen)), None)
        listed = library.export_scopes() if library is not None else [everything_scope(store)]
        self.app.push_screen(ExportDialog([story_scope(store, self.story.id, every_version=False), *listed]))

    def palette_commands(self) -> list[PaletteCommand]:
        """Actions the command palette offers on this screen: (name, help, callback)."""
        versions = [
            (
                f"Open version {v.version} of this story",
                f"added {v.added[:10]}" + (" (newest)" if i == len(group) - 1 else ""),
                functools.partial(desk(self).open_story, v.id),
            )
            for group in [desk(self).store.versions(self.story.id)]
            for i, v in enumerate(group)
            if v.id != self.story.id
        ]
        changes: list[PaletteCommand] = [
            ("Show what changed", "Words inserted and deleted ({reader.version_diff})", self.action_version_diff)
        ]
        return [
            *versions,
            *(changes if versions else []),
            (
                "Tag selection as quote",
                "Save the selected text as a quote ({reader.tag_quote})",
                lambda: self.action_tag("quote"),
            ),
            (
                "Tag selection as actor",
                "Save the selected text as an actor ({reader.tag_actor})",
                lambda: self.action_tag("actor"),
            ),
            (
                "Tag selection as claim",
                "Save the selected text as a claim ({reader.tag_claim})",
                lambda: self.action_tag("claim"),
            ),
            ("Edit annotation under cursor", "Every field of the innermost tag ({reader.edit})", self.action_edit),
            (
                "Set speaker or claimant",
                "Link the quote or claim at the cursor to an actor ({reader.link})",
                self.action_link,
            ),
            (
                "Link claim into a thread",
                "Follow the claim at the cursor across stories ({reader.link_thread})",
                self.action_link_thread,
            ),
            (
                "Delete annotation under cursor",
                "Delete the innermost tag at the cursor ({reader.delete})",
                self.action_delete,
            ),
            *self.suggestion_commands(),
            ("Curate this story", "Settle the differences into curated ({reader.curate})", self.action_curate),
            ("Undo", "Undo the last change ({reader.undo})", self.action_undo),
            ("Redo", "Redo what was undone ({reader.redo})", self.action_redo),
            ("Find in story", "Incremental find ({reader.find})", self.action_find),
            (
                "Show the next layer",
                "Yours, other annotators', curated, all side by side ({reader.cycle_layer})",
                self.action_cycle_layer,
            ),
            (
                "Toggle annotation panel",
                "Show or hide the list of annotations ({reader.toggle_panel})",
                self.action_toggle_panel,
            ),
            ("Back to library", "Leave this story (escape)", self.app.pop_screen),
        ]
