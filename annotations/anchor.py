"""Anchoring: turn a selection or a piece of exact text into a valid span of a story's text."""

from __future__ import annotations

from annotations.model import Annotation, AnnotationError
from stories.model import Story
from stories.text import SEARCH_FOLD, is_word_char, search_folded, snap_to_words

__all__ = ["locate", "occurrences", "snap", "tag"]


def snap(story: Story, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words and trim spaces; refuses a selection with no text."""
    s, e = snap_to_words(story.text, start, end)
    if s >= e:
        raise AnnotationError("the selection holds no text")
    return s, e


def _find_all(haystack: str, needle: str) -> list[int]:
    hits, i = [], haystack.find(needle)
    while i != -1:
        hits.append(i)
        i = haystack.find(needle, i + 1)
    return hits


def locate(story: Story, exact: str, occurrence: int = 1) -> tuple[int, int]:
    """The span of the `occurrence`-th (1-based) appearance of `exact` in the story's text.

    Straight and curly quotes, and hyphens and dashes, match each other; spaces are collapsed.
    """
    needle = " ".join(exact.split())
    if not needle:
        raise AnnotationError("no text given")
    if occurrence < 1:
        raise AnnotationError("--occurrence counts from 1")
    hits = _hits(story, needle)
    if not hits:
        loose = search_folded(story.text).find(search_folded(needle))
        hint = f' (did you mean "{story.text[loose : loose + len(needle)]}"?)' if loose != -1 else ""
        raise AnnotationError(f'text "{needle}" not found in story {story.short_id}{hint}')
    if occurrence > len(hits):
        raise AnnotationError(f'text "{needle}" occurs {len(hits)} time(s) in story {story.short_id}, not {occurrence}')
    start = hits[occurrence - 1]
    return start, start + len(needle)


def _hits(story: Story, needle: str) -> list[int]:
    """Where `needle` starts in the text: its appearances as whole words ("Russia" not inside "Russian") if it has
    any, else every appearance; exact characters first, else with quotes and dashes folded."""
    text = story.text
    hits = _find_all(text, needle) or _find_all(text.translate(SEARCH_FOLD), needle.translate(SEARCH_FOLD))
    whole = [i for i in hits if _whole(text, i, i + len(needle))]
    return whole or hits


def _whole(text: str, start: int, end: int) -> bool:
    """True if text[start:end] cuts no word at either end."""
    cuts_start = start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start])
    cuts_end = end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end])
    return not (cuts_start or cuts_end)


def occurrences(story: Story, exact: str) -> int:
    """How many times `locate` finds `exact` in the story."""
    needle = " ".join(exact.split())
    return len(_hits(story, needle)) if needle else 0


def tag(story: Story, kind: str, start: int, end: int, *, note: str = "", annotator: str = "") -> Annotation:
    """A new annotation of the selection [start, end), widened to whole words."""
    s, e = snap(story, start, end)
    return Annotation.new(story, kind, s, e, note=note, annotator=annotator)
