"""The suggester: finds quotes, actor mentions and claims in a story, for the analyst to accept or reject.
Headless; imports `stories` and the rest of `annotations` only. One module per kind; `suggest` is the entry point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.suggest.model import Suggestion, pattern_of

if TYPE_CHECKING:
    from annotations.registry import Registry
    from annotations.suggest.nlp import NlpBackend
    from stories.model import Story

__all__ = ["Suggestion", "pattern_of", "suggest"]


def suggest(story: Story, registry: Registry, *, nlp: NlpBackend | None = None) -> list[Suggestion]:
    """Every suggestion for `story`, in text order (kind order within a span), before any filtering against the
    story's annotations or the analyst's rejections. `nlp`: a spaCy back end (`nlp.load_backend`) adding its
    entities to the actor candidates."""
    # imported here: the app shows its first frame without loading the finders (their word lists and patterns)
    from annotations.suggest.actors import find_actors
    from annotations.suggest.claims import find_claims
    from annotations.suggest.context import Context
    from annotations.suggest.quotes import find_quotes

    ctx = Context(story, registry)
    try:
        mentions = find_actors(ctx, nlp)
        quotes = find_quotes(ctx, mentions)
        claims = find_claims(ctx, quotes, mentions)
    finally:
        # what the finders shared (the scan: its speakers hold `ctx`) is a reference cycle: cleared, the story's
        # tokens, phrases and speakers are freed at once, not left for the cycle collector to find (with the
        # thousands of objects a story makes, its passes cost the suggester a quarter of its time)
        ctx.memo.clear()
    order = {"quote": 0, "actor": 1, "claim": 2}
    return sorted([*quotes, *mentions, *claims], key=lambda s: (s.start, -s.end, order[s.kind]))
