"""The library's stories read for indexing in one pass over the text pack: seven times faster than asking the
store for each (one open, one decode and one structure check per story), each text still checked against its
id. What the pack does not give intact is left to `Store.story`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Set
from typing import Any, NamedTuple

from annotations.store import Store
from stories.model import StoryMeta

__all__ = ["Packed", "pack_stories"]


class Packed(NamedTuple):
    """A story as the pack holds it: its text checked against its id, its blocks as (kind, start, end)."""

    id: str
    text: str
    blocks: list[Any]
    meta: StoryMeta


def _story(store: Store, body: dict[str, Any], wanted: Set[str]) -> Packed | None:
    story_id, text, blocks = body.get("id"), body.get("text"), body.get("blocks")
    if not (isinstance(story_id, str) and story_id in wanted and isinstance(text, str) and isinstance(blocks, list)):
        return None
    try:
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != story_id:
            return None
    except UnicodeEncodeError:
        return None
    return Packed(story_id, text, blocks, store.story_meta(story_id))


def pack_stories(store: Store, wanted: Set[str]) -> Iterator[Packed | str]:
    """Every story of `wanted` once, in the order the pack holds them (the order they were imported), then the
    ids of those it did not hold intact, for `Store.story` to read (or fail on)."""
    left = set(wanted)
    for body in store.packed_bodies():
        story = _story(store, body, left) if body is not None else None
        if story is not None:
            left.discard(story.id)
            yield story
    yield from sorted(left)
