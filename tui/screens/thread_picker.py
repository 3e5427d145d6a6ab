"""ThreadPicker: which claim thread the claim at the reader's cursor goes into — a new one, or one of the likely
threads (`annotations.claim_threads.likely_threads`: same claimant or actors, similar text, recent first)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from annotations.claim_threads import Likely
from annotations.model import Annotation, quoted
from annotations.threads import Thread
from stories.text import clean_line
from tui.screens.choice_dialog import ChoiceDialog

__all__ = ["NEW_THREAD", "ThreadPicker"]

#: What the picker gives back for "a new thread".
NEW_THREAD = "new"
#: A likely thread scoring this much (half similar, or the same claimant) is highlighted; else "new thread" is.
LIKELY_ENOUGH = 0.5


class ThreadPicker(ChoiceDialog):
    """Dismisses with a thread's id, NEW_THREAD, or None on Escape (Enter and Escape as in `ChoiceDialog`)."""

    DEFAULT_CSS = """
    ThreadPicker {
        & > Vertical { width: 90; max-height: 90%; }
        & #picker-claim { color: $text-muted; padding-bottom: 1; }
        & OptionList { max-height: 20; }
    }
    """

    def __init__(self, claim: Annotation, likely: list[Likely], current: Thread | None = None) -> None:
        ids = [NEW_THREAD, *([current.id] if current is not None else []), *(found.thread.id for found in likely)]
        likeliest = likely[0].thread.id if likely and likely[0].score >= LIKELY_ENOUGH else NEW_THREAD
        super().__init__("Link the claim into a thread", ids, likeliest, mark=False)  # highlighted as it opens
        self._claim, self._likely, self._thread_now = claim, likely, current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Link the claim into a thread", id="choice-title", markup=False)
            now = f"  (now in “{clean_line(self._thread_now.title)[:40]}”)" if self._thread_now is not None else ""
            yield Label(quoted(self._claim.exact, 70) + now, id="picker-claim", markup=False)
            options = [Option(Text("+ New thread, titled by this claim"), id=NEW_THREAD)]
            if self._thread_now is not None:
                options.append(
                    Option(self._row(self._thread_now, "its thread now: change its status"), id=self._thread_now.id)
                )
            options += [Option(self._row(found.thread, found.why), id=found.thread.id) for found in self._likely]
            yield OptionList(*options, id="choice-options", markup=False)
            yield Label("likeliest first · ↑/↓ move · Enter picks · Esc cancels", id="choice-help", markup=False)

    @staticmethod
    def _row(thread: Thread, why: str) -> Text:
        claims = f"{len(thread.members)} claim" + ("s" if len(thread.members) != 1 else "")
        row = Text(clean_line(thread.title)[:60])
        row.append(f"  {claims} · {clean_line(why)}", style="dim")
        return row
