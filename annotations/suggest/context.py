"""What every finder reads: the story's text cut once into paragraphs and sentences, and the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotations.registry import Registry
from stories.model import Story
from stories.text import sentence_starts

__all__ = ["Context"]


@dataclass
class Context:
    """One story being read by the suggester (built once per `suggest` call, shared by the finders)."""

    story: Story
    registry: Registry
    text: str = field(init=False)
    paragraphs: tuple[tuple[int, int], ...] = field(init=False)
    sentence_starts: list[int] = field(init=False)
    #: What one finder worked out that another reuses (computed once per story, by key).
    memo: dict[str, Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.text = self.story.text
        self.paragraphs = self.story.paragraphs()
        self.sentence_starts = sentence_starts(self.text, self.paragraphs)
