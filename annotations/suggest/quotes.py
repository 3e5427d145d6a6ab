"""Quotes: direct, partial, multi-paragraph and indirect speech, each with its speaker and cue."""

from __future__ import annotations

from annotations.suggest.context import Context
from annotations.suggest.model import Suggestion

__all__ = ["find_quotes"]


def find_quotes(ctx: Context, mentions: list[Suggestion]) -> list[Suggestion]:
    """The quotes of the story; `mentions` are the actor suggestions, to resolve speakers against."""
    return []
