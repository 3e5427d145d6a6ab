"""The story view's keys: motions as in vim (`w`, `b`, `e`, `(`, `)`, `{`, `}`), shift+motion to extend the
selection, `v` to select, and `"`, `.`, `%` to select a quotation, a sentence or whole words; and where the
motions along the text go (the rules of words and sentences are `stories.text`'s)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.binding import Binding, BindingType

from stories.text import next_offset, next_word_start, prev_offset, prev_word_start, word_end
from tui.text_layout import Row

__all__ = ["STORY_VIEW_BINDINGS", "motion_target", "on_text"]


def _motion(keys: str, motion: str, description: str, shift_keys: str = "") -> list[Binding]:
    """Bindings for a motion, and for `shift_keys` that extend the selection with the same motion."""
    bindings = [Binding(keys, f"move('{motion}')", description, show=False, id=f"view.{motion}")]
    if shift_keys:
        extend = f"move('{motion}', True)"
        tip = f"Extend the selection: {description.lower()}"
        bindings.append(Binding(shift_keys, extend, description, show=False, tooltip=tip, id=f"view.select.{motion}"))
    return bindings


def _selector(key: str, kind: str, description: str, what: str) -> Binding:
    """A binding that selects `what` around the cursor, or widens the selection (see `action_select_span`)."""
    tip = f"Select {what}"
    return Binding(key, f"select_span('{kind}')", description, show=False, id=f"view.select_{kind}", tooltip=tip)


STORY_VIEW_BINDINGS: list[BindingType] = [
    *_motion("left,h", "left", "Character left", "shift+left"),
    *_motion("right,l", "right", "Character right", "shift+right"),
    *_motion("up,k", "up", "Line up", "shift+up"),
    *_motion("down,j", "down", "Line down", "shift+down"),
    *_motion("w", "word", "Next word start"),
    *_motion("b", "back", "Previous word start"),
    *_motion("e", "word_end", "Word end"),
    *_motion(")", "sentence", "Next sentence"),
    *_motion("(", "sentence_back", "Previous sentence"),
    *_motion("}", "paragraph", "Next paragraph"),
    *_motion("{", "paragraph_back", "Previous paragraph"),
    *_motion("home", "home", "Line start", "shift+home"),
    *_motion("end", "end", "Line end", "shift+end"),
    *_motion("pageup", "page_up", "Page up"),
    *_motion("pagedown", "page_down", "Page down"),
    *_motion("g", "top", "Top of story"),
    *_motion("G", "bottom", "End of story"),
    Binding(
        "v",
        "toggle_select",
        "Select",
        id="view.toggle_select",
        tooltip="Start a selection at the cursor, or drop it",
    ),
    _selector(
        "quotation_mark", "quote", "Quotation", "the words inside the quotation (again: with its marks, then wider)"
    ),
    _selector("full_stop", "sentence", "Sentence", "the sentence (again: add the next sentence)"),
    _selector("percent_sign", "words", "Whole words", "whole words: widen the selection so it cuts no word"),
]


def on_text(text: str, pos: int, direction: int) -> int:
    """The nearest offset at or beyond `pos` (in `direction`) that is not a paragraph separator."""
    pos = max(0, min(pos, len(text) - 1))
    while 0 <= pos < len(text) and text[pos] == "\n":
        pos += direction
    if not 0 <= pos < len(text):
        return on_text(text, pos - direction, -direction)
    return pos


def motion_target(
    motion: str, text: str, pos: int, line: Row, sentences: Sequence[int], paragraphs: Sequence[int]
) -> int | None:
    """Where a motion along the text (not up or down a row) goes from `pos` on the row `line`; None: nowhere."""
    targets: dict[str, Callable[[], int | None]] = {
        "left": lambda: on_text(text, pos - 1, -1),
        "right": lambda: on_text(text, pos + 1, 1),
        "word": lambda: on_text(text, next_word_start(text, pos), 1),
        "back": lambda: on_text(text, prev_word_start(text, pos), -1),
        "word_end": lambda: on_text(text, word_end(text, pos), 1),
        "sentence": lambda: next_offset(sentences, pos),
        "sentence_back": lambda: prev_offset(sentences, pos),
        "paragraph": lambda: next_offset(paragraphs, pos),
        "paragraph_back": lambda: prev_offset(paragraphs, pos),
        "home": lambda: line.start,
        "end": lambda: _row_last(text, line),
        "top": lambda: 0,
        "bottom": lambda: on_text(text, len(text) - 1, -1),
    }
    return targets[motion]()


def _row_last(text: str, row: Row) -> int:
    """The last non-space character of a row."""
    last = row.end - 1
    while last > row.start and text[last] == " ":
        last -= 1
    return last
