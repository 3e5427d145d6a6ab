"""SuggestionList: the side panel's section of suggestions not yet judged, under their own heading; the current
one is highlighted and a click goes to one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from annotations.actors import fold_name
from annotations.model import KINDS
from annotations.suggest import Suggestion
from stories.text import clean_line
from tui.story_text import KIND_LABELS

__all__ = ["SuggestionList", "suggestion_details"]

EXCERPT = 30


def _excerpt(text: str) -> str:
    text = clean_line(" ".join(text.split()))
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def suggestion_details(s: Suggestion, *, named: bool = True) -> str:
    """What the suggester found besides the span, e.g. "Dmitry Peskov (new) · direct · 0.93", "new · country ·
    0.60" (not `named`: an actor whose mention is its name); "no speaker found" for a quote without a
    confident speaker."""
    if s.kind == "quote":
        who = (s.speaker + (" (new)" if s.speaker_id is None else "")) if s.speaker else "no speaker found"
        parts = [who, s.form or ""]
    elif s.kind == "claim":
        parts = [(s.claimant + (" (new)" if s.claimant_id is None else "")) if s.claimant else "no claimant found"]
    else:
        name = s.actor or s.exact
        if not named and fold_name(name) == fold_name(s.exact) and s.actor_id is None:
            name = "new"  # beside the mention, which is the name: not said twice
        elif s.actor_id is None:
            name += " (new)"
        parts = [name, s.actor_type]
    parts.append(f"{s.score:.2f}")
    return clean_line(" · ".join(p for p in parts if p))


class SuggestionList(Vertical):
    """A heading ("◌ Suggestions: 8 quotes, 4 actors") over one row per suggestion: `Kind “excerpt” — details`.
    Not focusable (the reader's keys act on the suggestion at the cursor); a click posts `Selected`."""

    DEFAULT_CSS = """
    SuggestionList {
        height: 1fr;
        display: none;
        &.-shown { display: block; }
        & > #suggest-title { padding: 0 1; color: $text-muted; text-style: bold; border-top: hkey $panel-lighten-1; }
        & > OptionList { border: none; background: transparent; height: 1fr; padding: 0 0 0 1; color: $text-muted; }
    }
    """

    @dataclass
    class Selected(Message):
        """A suggestion was clicked."""

        suggestion: Suggestion

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.suggestions: list[Suggestion] = []

    def compose(self) -> ComposeResult:
        yield Static(id="suggest-title", markup=False)
        rows = OptionList(markup=False)
        rows.can_focus = False
        yield rows

    @property
    def rows(self) -> OptionList:
        return self.query_one(OptionList)

    def set_suggestions(self, suggestions: list[Suggestion], current: Suggestion | None = None) -> None:
        """Show these suggestions (in text order), `current` highlighted; none: the section hides."""
        self.suggestions = list(suggestions)
        self.set_class(bool(self.suggestions), "-shown")
        rows = self.rows
        rows.clear_options()
        for i, s in enumerate(self.suggestions):
            prompt = Table.grid(padding=(0, 1))
            prompt.add_column(width=5, no_wrap=True)
            prompt.add_column(ratio=1)
            line = Text(f"“{_excerpt(s.exact)}”" if s.kind == "quote" else _excerpt(s.exact))
            line.append(f" — {suggestion_details(s, named=False)}", style="dim")
            prompt.add_row(Text(KIND_LABELS.get(s.kind, s.kind), style="dim italic"), line)
            rows.add_option(Option(prompt, id=str(i)))
        counts = Counter(s.kind for s in self.suggestions)
        parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in KINDS if counts[k]]
        self.query_one("#suggest-title", Static).update("◌ Suggestions: " + ", ".join(parts))
        self.show_current(current)

    def show_current(self, current: Suggestion | None) -> None:
        """Highlight `current` (None: no highlight)."""
        rows = self.rows
        index = next((i for i, s in enumerate(self.suggestions) if s == current), None)
        if rows.highlighted != index:
            rows.highlighted = index
            if index is not None:
                rows.scroll_to_highlight()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None and int(event.option_id) < len(self.suggestions):
            self.post_message(self.Selected(self.suggestions[int(event.option_id)]))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
