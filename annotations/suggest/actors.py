"""Actor mentions: every registry name or alias in the text, and new candidates with a guessed type."""

from __future__ import annotations

from annotations.suggest.context import Context
from annotations.suggest.model import Suggestion

__all__ = ["find_actors"]


def find_actors(ctx: Context) -> list[Suggestion]:
    """The actor mentions of the story."""
    return []
