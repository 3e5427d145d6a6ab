"""Annotation records held lean in memory: a quote, prefix or suffix equal to the story's own text is not kept.

An annotation's `exact`, `prefix` and `suffix` are, nearly always, its story's text at and around its span, and a
story's text never changes under its id (the id is the text's hash). A library of a million annotations spends
~260 MB holding them a second time. `LeanRecords` puts `FROM_TEXT` in their place as records are read
(`shrink`), and gives every reader the stored values back (`full`): TagStore's annotations, and the snapshot
written at compaction, which therefore stays the same file. A value that differs from the text (an older
context width, a hand-written record, a story missing from the library) is kept as it is.

`FROM_TEXT` is no string: a path that forgot `full` fails loudly (msgspec refuses to encode it) rather than
writing or showing a wrong value.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import msgspec

from annotations.model import CONTEXT
from annotations.store.files import StoreError

__all__ = ["FROM_TEXT", "LeanRecords"]

_FIELDS = ("exact", "prefix", "suffix")
_CACHED = 64  # story texts kept between calls: records mostly come a story at a time


class _FromText:
    """The value of a field that equals the story text where the record says (see the module docstring)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FROM_TEXT"


FROM_TEXT: Any = _FromText()


class LeanRecords:
    """Shrinks annotation records as they are read and gives them back whole; `text_of(story_id)` is the story's
    text, or None when the library does not have it."""

    def __init__(self, text_of: Callable[[str], str | None]) -> None:
        self._text_of = text_of
        self._texts: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()  # the app reads annotations from more than one thread

    def _text(self, story_id: str) -> str | None:
        with self._lock:
            texts = self._texts
            if story_id in texts:
                texts.move_to_end(story_id)
                return texts[story_id]
            try:
                text = self._text_of(story_id)
            except StoreError:  # a damaged or missing text: records of it stay as stored
                text = None
            texts[story_id] = text
            if len(texts) > _CACHED:
                texts.popitem(last=False)
            return text

    @staticmethod
    def _derived(text: str, start: int, end: int) -> tuple[str, str, str]:
        return text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]

    def shrink(self, rec: Any) -> None:
        """Put FROM_TEXT (in place) in each of the record's exact/prefix/suffix that equals the story text."""
        text = self._text(rec.story_id)
        start, end = rec.start, rec.end
        if text is None or type(start) is not int or type(end) is not int:
            return
        if not 0 <= start <= end <= len(text):
            return
        # text[a:b] == value, without making the slice: value starts at a and is as long as the slice
        exact, prefix, suffix = rec.exact, rec.prefix, rec.suffix
        if type(exact) is str and len(exact) == end - start and text.startswith(exact, start):
            rec.exact = FROM_TEXT
        before = max(0, start - CONTEXT)
        if type(prefix) is str and len(prefix) == start - before and text.startswith(prefix, before):
            rec.prefix = FROM_TEXT
        if type(suffix) is str and len(suffix) == min(CONTEXT, len(text) - end) and text.startswith(suffix, end):
            rec.suffix = FROM_TEXT

    def full(self, rec: Any) -> Any:
        """The record with every field as stored: `rec` itself when nothing was left out, else a whole copy."""
        if rec.exact is not FROM_TEXT and rec.prefix is not FROM_TEXT and rec.suffix is not FROM_TEXT:
            return rec
        text = self._text(rec.story_id)
        if text is None:  # cannot happen for a record shrunk by this object: its text was read then
            raise StoreError(f"the text of story {rec.story_id[:8]} is no longer readable")
        derived = self._derived(text, rec.start, rec.end)
        changes = {n: d for n, d in zip(_FIELDS, derived, strict=True) if getattr(rec, n) is FROM_TEXT}
        return msgspec.structs.replace(rec, **changes)
