"""What a story is: canonical text, its blocks as offset ranges, and metadata.

The canonical text is everything a user may annotate. Blocks cover it in order and never overlap; blocks are
separated by a blank line ("\\n\\n"), except an inline dateline, which runs into its paragraph after a space.
A story's id is derived from its canonical text, so the same text always gets the same id and a stored
version's text can never change under its annotations.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any, TypedDict

from stories.headlines import cut_at_word
from stories.text import clean_line

__all__ = [
    "BLOCK_KINDS",
    "HEADLINE_CHARS",
    "Block",
    "FoundMeta",
    "Story",
    "StoryBuilder",
    "StoryError",
    "StoryMeta",
    "short_id",
]

BLOCK_KINDS = ("headline", "standfirst", "highlight", "dateline", "paragraph")
SHORT_ID_LEN = 8
#: A headline is at most this long: of a longer one (a file of one long line) the rest becomes body text.
HEADLINE_CHARS = 300


class StoryError(ValueError):
    """A file or text that cannot become a story; the message is one line, fit for the user."""


def short_id(story_id: str) -> str:
    """The short form of a story id shown to users."""
    return story_id[:SHORT_ID_LEN]


@dataclass(frozen=True, slots=True)
class Block:
    """One structural part of the canonical text: `text[start:end]`."""

    kind: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


class FoundMeta(TypedDict, total=False):
    """What a format parser has found of a story's metadata so far (its helpers fill it in), before the StoryMeta."""

    section: str
    agency: str | None
    authors: list[str]
    byline: str  # a "By …" line taken from the body
    dateline: str  # the place
    dateline_date: str
    created: str | None
    updated: str | None
    version: int
    slug: str
    filing_date: str  # ANPA: the slug line's MM-DD
    filed: str  # ANPA: the filing date, ISO


@dataclass(frozen=True)
class StoryMeta:
    """Metadata of a story: everything but its text. Dates are ISO 8601 strings.

    `wire_id` is the story's identity on the wire (NewsML guid, ninjs uri, feed guid or link; for plain text
    agency + headline + first-created date): versions of one story share it. `version` is the version the
    format carried, if any. Format-specific details (credits, footers, priority, people…) go in `extra`.
    """

    headline: str
    section: str | None = None
    agency: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    created: str | None = None
    updated: str | None = None
    source: str | None = None
    format: str = "text"
    wire_id: str | None = None
    version: int | None = None
    language: str | None = None
    slug: str | None = None
    subjects: tuple[str, ...] = ()
    link: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else dict(value) if f.name == "extra" else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoryMeta:
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = data.get(f.name)
            if value is None:
                continue
            if f.name in _TUPLE_FIELDS:
                value = tuple(value)
            elif f.name == "extra":
                value = dict(value)
            values[f.name] = value
        values.setdefault("format", "text")
        return cls(**values)


_TUPLE_FIELDS = frozenset({"authors", "subjects"})


@dataclass(frozen=True)
class Story:
    """One version of a story. Build it with `StoryBuilder` or `Story.create`, which check the invariants."""

    id: str
    text: str
    blocks: tuple[Block, ...]
    meta: StoryMeta

    @classmethod
    def create(cls, text: str, blocks: tuple[Block, ...], meta: StoryMeta) -> Story:
        """A story with its id computed and its structure checked."""
        _check(text, blocks)
        return cls(id=hashlib.sha256(text.encode("utf-8")).hexdigest(), text=text, blocks=blocks, meta=meta)

    @property
    def short_id(self) -> str:
        return short_id(self.id)

    @property
    def headline(self) -> str:
        return self.meta.headline

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def block_at(self, offset: int) -> Block | None:
        """The block containing `offset`, if any."""
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block
        return None

    @cached_property
    def _paragraphs(self) -> tuple[tuple[int, int], ...]:
        out, start = [], 0
        while (sep := self.text.find("\n\n", start)) != -1:
            out.append((start, sep))
            start = sep + 2
        out.append((start, len(self.text)))
        return tuple(out)

    def paragraphs(self) -> tuple[tuple[int, int], ...]:
        """(start, end) of each piece of text between blank lines; an inline dateline shares its paragraph's."""
        return self._paragraphs

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON form: id, metadata fields, text, blocks."""
        return {
            "id": self.id,
            **self.meta.to_dict(),
            "text": self.text,
            "blocks": [b.to_dict() for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Story:
        """Load a stored story, checking that its id still matches its text."""
        blocks = tuple(Block(b["kind"], int(b["start"]), int(b["end"])) for b in data["blocks"])
        story = cls.create(data["text"], blocks, StoryMeta.from_dict(data))
        if story.id != data["id"]:
            raise StoryError(f"story {short_id(data['id'])}: its text no longer matches its id")
        return story


_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _check(text: str, blocks: tuple[Block, ...]) -> None:
    if not text.strip() or not blocks:
        raise StoryError("the story has no text")
    pos = 0
    for block in blocks:
        if block.kind not in BLOCK_KINDS:
            raise StoryError(f"unknown block kind {block.kind!r}")
        if not (pos <= block.start < block.end <= len(text)):
            raise StoryError("story blocks are out of order or out of range")
        pos = block.end
    if _CONTROLS.search(text):
        raise StoryError("story text holds control characters")


class StoryBuilder:
    """Collects blocks in reading order and builds the canonical text with its offsets.

    Every piece of text passes through `clean_line`, so what a parser adds is already terminal-safe, and no
    headline is longer than `HEADLINE_CHARS`: a longer one is cut at a word, its rest a paragraph after it.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._blocks: list[Block] = []
        self._length = 0
        self._inline_next = False

    def add(self, kind: str, raw: str, *, inline: bool = False) -> bool:
        """Append a block; `inline=True` lets the next block follow on the same line. False if it was empty."""
        text = clean_line(raw)
        if not text:
            return False
        if kind == "headline" and len(text) > HEADLINE_CHARS:
            head, rest = cut_at_word(text, HEADLINE_CHARS)
            self.add("headline", head)
            return self.add("paragraph", rest, inline=inline)
        if self._parts:
            sep = " " if self._inline_next else "\n\n"
            self._parts.append(sep)
            self._length += len(sep)
        self._parts.append(text)
        self._blocks.append(Block(kind, self._length, self._length + len(text)))
        self._length += len(text)
        self._inline_next = inline
        return True

    def __len__(self) -> int:
        return len(self._blocks)

    def build(self, meta: StoryMeta) -> Story:
        """The finished story. Its headline defaults to the first headline block."""
        text = "".join(self._parts)
        if not meta.headline:
            head = next((b for b in self._blocks if b.kind == "headline"), None)
            if head is None:
                raise StoryError("the story has no headline")
            meta = replace(meta, headline=text[head.start : head.end])
        return Story.create(text, tuple(self._blocks), _clean_meta(meta))


def _clean_meta(meta: StoryMeta) -> StoryMeta:
    """Every string of the metadata made terminal-safe and single-line; empty values dropped."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return clean_line(value) or None
        if isinstance(value, list | tuple):
            return [v for v in (clean(x) for x in value) if v not in (None, "", [], {})]
        if isinstance(value, Mapping):
            return {clean_line(str(k)): clean(v) for k, v in value.items()}
        return value

    values = {f.name: clean(getattr(meta, f.name)) for f in fields(meta)}
    for name in _TUPLE_FIELDS:
        values[name] = tuple(values[name] or ())
    values["headline"] = cut_at_word(values["headline"] or "", HEADLINE_CHARS)[0]
    values["format"] = values["format"] or "text"
    values["extra"] = values["extra"] or {}
    return StoryMeta(**values)
