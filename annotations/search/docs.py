"""What the index holds of a story: one row of columns, the same strings for the index and the plain scan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from annotations.store.records import AnnotationRecord
from stories.model import Story, StoryMeta

__all__ = ["COLUMNS", "WEIGHTS", "columns", "meta_columns", "notes_of", "story_columns"]

#: The index's columns, in order, and their BM25 weights (a word in the headline counts most).
COLUMNS = ("headline", "standfirst", "body", "authors", "dateline", "notes")
WEIGHTS = (4.0, 2.0, 1.0, 2.0, 1.0, 1.0)
_COLUMN_OF_BLOCK = {"headline": 0, "standfirst": 1, "dateline": 4}


def story_columns(story: Story, notes: str = "") -> tuple[str, str, str, str, str, str]:
    """The story's text by column: headline, standfirst, body (paragraphs and highlights), authors, dateline
    (the block and the place), notes."""
    return columns(story.text, [(b.kind, b.start, b.end) for b in story.blocks], story.meta, notes)


def columns(
    text: str, blocks: Iterable[Sequence[Any]], meta: StoryMeta, notes: str = ""
) -> tuple[str, str, str, str, str, str]:
    """`story_columns` of a text, its blocks as (kind, start, end) and its metadata."""
    parts: list[list[str]] = [[], [], [], [], [], []]
    for kind, start, end in blocks:
        parts[_COLUMN_OF_BLOCK.get(kind, 2)].append(text[start:end])
    if not parts[0]:
        parts[0].append(meta.headline)
    if meta.dateline and meta.dateline not in parts[4]:
        parts[4].append(meta.dateline)
    return (
        "\n".join(parts[0]),
        "\n".join(parts[1]),
        "\n".join(parts[2]),
        "\n".join(meta.authors),
        "\n".join(parts[4]),
        notes,
    )


def meta_columns(meta: StoryMeta) -> tuple[str, str, str, str, str, str]:
    """What can be searched without the index or the text: headline, authors and dateline place."""
    return (meta.headline, "", "", "\n".join(meta.authors), meta.dateline or "", "")


def notes_of(records: Mapping[str, AnnotationRecord]) -> str:
    """The notes of one story's annotations, one a line, in a stable order."""
    return "\n".join(sorted(rec.note for rec in records.values() if getattr(rec, "note", "")))
