"""Quotation marks: which mark opens and which closes (straight, curly, low-9, guillemets, single or double),
the pairs they make in a text, and the span the reader's quote key selects inside the innermost quotation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from stories.text import is_word_char

__all__ = ["quotation_span", "quote_pairs"]

#: Quotation marks and their kind, double or single: straight, English curly, German low-9, guillemets.
_QUOTE_KIND = dict.fromkeys('"“”„«»', '"') | dict.fromkeys("'‘’‚‹›", "'")
_OPENING_GLYPHS, _CLOSING_GLYPHS = "“„«‘‚‹", "”»’›"
_BEFORE_OPENING = "([{—–-/"
_OPEN, _CLOSE, _EITHER = 1, 2, 3


def _quote_role(text: str, i: int) -> int:
    """Whether the character at `i` opens or closes a quotation (or may do either); 0 if it does neither."""
    ch = text[i]
    kind = _QUOTE_KIND.get(ch)
    if kind is None:
        return 0
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if kind == "'" and is_word_char(before) and is_word_char(after):
        return 0  # an apostrophe: Russia’s, don't
    can_open = not after.isspace() and (before.isspace() or before in _BEFORE_OPENING or before in _QUOTE_KIND)
    can_close = not before.isspace() and (after.isspace() or not is_word_char(after))
    if ch == "’" and not can_close:
        return 0  # an elision: ’90s, rock ’n’ roll
    if can_open != can_close:
        return _OPEN if can_open else _CLOSE
    if ch in _OPENING_GLYPHS:
        return _OPEN
    return _CLOSE if ch in _CLOSING_GLYPHS else _EITHER


def quote_pairs(text: str) -> list[tuple[int, int]]:
    """Matched quotation marks as (offset of the opening mark, offset of the closing one), inner pairs first.

    Marks pair by kind (double or single), straight and curly alike; an apostrophe inside a word is not a mark.
    A quotation still open at the end of a paragraph goes on if the next paragraph starts with an opening mark of
    the same kind (how English runs a quote over several paragraphs); otherwise it is dropped unmatched."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []  # open marks: (offset, kind)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            while i < n and text[i] == "\n":
                i += 1
            if stack and i < n and _QUOTE_KIND.get(text[i]) == stack[0][1] and _quote_role(text, i) != _CLOSE:
                stack = stack[:1]  # the same quotation goes on: its repeated opening mark pairs with nothing
                i += 1
            else:
                stack = []
            continue
        role = _quote_role(text, i)
        if role:
            kind = _QUOTE_KIND[ch]
            match = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == kind), None)
            if role == _OPEN or (role == _EITHER and match is None):
                stack.append((i, kind))
            elif match is not None:
                pairs.append((stack[match][0], i))
                del stack[match:]  # marks opened inside it and never closed are dropped
        i += 1
    return pairs


def quotation_span(
    text: str,
    start: int,
    end: int | None = None,
    pairs: Sequence[tuple[int, int]] | None = None,
    punctuation: Literal["drop", "keep"] = "drop",
) -> tuple[int, int] | None:
    """The quotation to select, or None.

    With a cursor only (`end` None): the words inside the innermost quotation around `start` (its marks count as
    inside). Given a selection [start, end): the next larger step around it: a quotation's words, then the same
    with its marks, then the words of the quotation enclosing it, and so on. `pairs` are `quote_pairs(text)`.

    The words end before the punctuation the quotation closes with (, ; : . ! ? …) when `punctuation` is "drop"
    (“We listened,” and “We listened.” both give `We listened`; the full stop of "U.S." or of an initial stays),
    or with it when "keep"."""
    if punctuation not in ("drop", "keep"):
        raise ValueError(f'punctuation must be "drop" or "keep", not {punctuation!r}')
    pairs = quote_pairs(text) if pairs is None else pairs
    lo, hi = (start, start + 1) if end is None else (start, end)
    around = sorted((p for p in pairs if p[0] <= lo and hi <= p[1] + 1), key=lambda p: p[1] - p[0])
    for opening, closing in around:
        inner_start, inner_end = opening + 1, closing
        while inner_start < inner_end and text[inner_start].isspace():
            inner_start += 1
        while inner_end > inner_start and text[inner_end - 1].isspace():
            inner_end -= 1
        if punctuation == "drop":
            while inner_end > inner_start and _closing_punctuation(text, inner_end - 1):
                inner_end -= 1
            while inner_end > inner_start and text[inner_end - 1].isspace():
                inner_end -= 1
        for span in ((inner_start, inner_end), (opening, closing + 1)):
            if span[0] == span[1]:
                continue
            if end is None or (span[0] <= lo and hi <= span[1] and span != (lo, hi)):
                return span
    return None


def _closing_punctuation(text: str, i: int) -> bool:
    """True if text[i] is punctuation a quotation's words end with: not the full stop of "U.S." or of an initial."""
    if text[i] not in _QUOTE_END_PUNCT:
        return False
    if text[i] != "." or (i > 0 and text[i - 1] == "."):  # an ellipsis of full stops goes too
        return True
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:i]
    initial = len(word) == 1 and word.isalpha() and not (j > 0 and text[j - 1] in "’'")  # not didn’t's t
    return not ("." in word or initial)


_QUOTE_END_PUNCT = ",;:.!?…"
