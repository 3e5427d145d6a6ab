"""Claims: what indirect speech and attributed assertions state, with their claimant."""

from __future__ import annotations

from annotations.suggest.context import Context
from annotations.suggest.model import Suggestion

__all__ = ["find_claims"]


def find_claims(ctx: Context, quotes: list[Suggestion], mentions: list[Suggestion]) -> list[Suggestion]:
    """The claims of the story, given its quote and actor suggestions."""
    return []
