"""Finding: the reader's find box (`/`, then `n` and `N`), a base of ReaderScreen above Reviewing, Suggesting and
Tagging.

Matches are found by `StoryView.find` (smart case, whole words on Tab); Enter selects one, so that a tag key tags it.
A story opened from a library search opens at its first match, the box holding the query in the search language
(`match_spans`: words, phrases, prefixes, folded as the index folds) until the find is cancelled.
"""

from __future__ import annotations

from textual import events
from textual.actions import SkipAction

from annotations.search import match_spans, parse_query
from tui.screens.reviewing import Reviewing
from tui.widgets.find_bar import FindBar

__all__ = ["Finding"]


class Finding(Reviewing):
    """Find as you type; keys typed after Enter, before the box has closed, go to the text in order."""

    def __init__(self) -> None:
        super().__init__()
        self._query = ""
        self._matches: list[tuple[int, int]] = []
        self._find_origin = 0
        self._typed_ahead: list[FindBar.Typed] = []  # keys typed after Enter in the find box, before it closed
        self._search_at_open: str | None = None  # a library search to open at the first match of

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    # --- a library search ----------------------------------------------------------------------------------

    def search_on_open(self, query: str) -> None:
        """Once shown, select the first match of a library search (its words, phrases and prefixes), the find box
        holding `query`, so that `n` and `N` walk its matches. Call before the screen is pushed."""
        self._search_at_open = query

    def on_mount(self) -> None:
        if self._search_at_open is not None:  # after the reader has laid its text out
            self.call_after_refresh(self._start_search, self._search_at_open)

    def _start_search(self, query: str) -> None:
        self._query = query
        self.find_bar.set_search(True)
        self.find_bar.fill(query)
        self._matches = self._spans(query)
        self.view.set_matches(self._matches)
        if self._matches:
            self._select_match(self._matches[0][0])
        else:
            self.find_bar.set_status("no match in the text")
            self.notify("The search found this story by its byline, dateline, agency or notes, not its text.")

    def _spans(self, query: str) -> list[tuple[int, int]]:
        """Where `query` matches the text: as the library searches while the box holds a search, else as find."""
        if self.find_bar.search:
            return match_spans(parse_query(query), self.view.story.text)
        return self.view.find(query, whole_words=self.find_bar.whole_words)

    # --- find ----------------------------------------------------------------------------------------------

    def action_find(self) -> None:
        bar = self.find_bar
        if bar.is_open and self.focused is bar.input and not bar.closing:
            raise SkipAction  # the find key typed in the box (its binding is a priority one): part of the query
        self._find_origin = self.view.cursor
        self.find_bar.open(self._query)

    def on_find_bar_changed(self, event: FindBar.Changed) -> None:
        if not self.find_bar.is_open:
            return  # filled while closed (a search the story opened with)
        self._query = event.query
        self._matches = self._spans(event.query)
        self.view.set_matches(self._matches)
        if not self._matches:
            self.find_bar.set_status("no match" if event.query.strip() else "")
            self.view.move_to(self._find_origin)
            return
        index = next((i for i, (s, _) in enumerate(self._matches) if s >= self._find_origin), 0)
        self.view.move_to(self._matches[index][0], center=True)
        self.find_bar.set_status(f"{index + 1} of {len(self._matches)}")

    def _close_find(self) -> None:
        """Close the find bar and give the text the focus at once (keys typed meanwhile follow, in order)."""
        self.find_bar.close()
        self.set_focus(self.view)
        typed, self._typed_ahead = self._typed_ahead, []
        for key in typed:
            self.on_find_bar_typed(key)

    def on_find_bar_typed(self, event: FindBar.Typed) -> None:
        """A key typed after Enter or Escape in the find box: the reader's, as if typed once the box closed."""
        if self.find_bar.is_open:
            self._typed_ahead.append(event)
        else:
            key = events.Key(event.key, event.character).set_sender(self.app)  # as the terminal's keys come
            self.app.post_message(key)

    def on_find_bar_submitted(self, event: FindBar.Submitted) -> None:
        self._close_find()
        if not self._matches:
            if event.query.strip():
                self.notify(f"“{event.query}” is not in this story.", severity="warning")
            return
        start = next((s for s, _ in self._matches if s >= self._find_origin), self._matches[0][0])
        self._select_match(start)

    def on_find_bar_cancelled(self, event: FindBar.Cancelled) -> None:
        self._close_find()
        if self.find_bar.search:  # back to plain find
            self.find_bar.set_search(False)
            self._query = ""
        self._matches = []
        self.view.set_matches([])
        self.view.move_to(self._find_origin)

    def _select_match(self, start: int) -> None:
        span = next(m for m in self._matches if m[0] == start)
        self.view.select(*span)
        index = self._matches.index(span)
        self.find_bar.set_status(f"{index + 1} of {len(self._matches)}")

    def _find_step(self, forward: bool) -> None:
        if not self._query.strip():
            self.notify("No search yet: press / to find.", severity="warning")
            return
        self._matches = self._spans(self._query)
        self.view.set_matches(self._matches)
        if not self._matches:
            self.notify(f"“{self._query}” is not in this story.", severity="warning")
            return
        selection = self.view.selection
        here = selection[0] if selection else self.view.cursor
        starts = [s for s, _ in self._matches]
        later = [s for s in starts if s > here] if forward else [s for s in starts if s < here]
        if later:
            target = later[0] if forward else later[-1]
        else:
            target = starts[0] if forward else starts[-1]
            self.notify("Search wrapped around.")
        self._select_match(target)
        self.app.notify(f"Match {starts.index(target) + 1} of {len(starts)}", timeout=1.5)

    def action_find_next(self) -> None:
        self._find_step(forward=True)

    def action_find_previous(self) -> None:
        self._find_step(forward=False)
