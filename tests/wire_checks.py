"""Checks for stories parsed from wire formats: structure, round trip, and no control characters anywhere."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from stories.model import Story, StoryError

#: Bytes that matter to wire framing and AP's conventions, drawn more often when mutating fixtures.
FRAMING = b"\x00\x01\x02\x03\x04\x16\x1f\x11\x13\r\n\t ^<=_#/-(),.\x93\x94\xe9\x81\x9b\x1b"


def controls(value: Any, *, newlines: bool = False) -> list[str]:
    """Control characters in a value (strings, lists, dicts, recursively); newlines allowed if `newlines`."""
    if isinstance(value, str):
        return [c for c in value if unicodedata.category(c) == "Cc" and not (newlines and c == "\n")]
    if isinstance(value, dict):
        return [c for k, v in value.items() for c in controls(k) + controls(v)]
    if isinstance(value, list | tuple):
        return [c for v in value for c in controls(v)]
    return []


def check_story(story: Story) -> None:
    """Blocks in order and separated as the model says, round trip, stable id, no control characters."""
    text = story.text
    assert story.blocks and story.blocks[0].start == 0 and story.blocks[-1].end == len(text)
    for block, nxt in zip(story.blocks, story.blocks[1:], strict=False):
        gap = text[block.end : nxt.start]
        assert gap == "\n\n" or (block.kind == "dateline" and gap == " "), (block, gap)
    for block in story.blocks:
        part = story.block_text(block)
        assert part and part == part.strip() and "\n" not in part
    assert not controls(text, newlines=True)
    meta = story.meta.to_dict()
    assert not controls(meta), meta
    assert story.meta.headline and "\n" not in story.meta.headline
    assert Story.from_dict(story.to_dict()) == story


def parse_or_refuse(parse: Callable[[Any, str], list[Story]], data: bytes | str) -> list[Story]:
    """Parse; a refusal must be a one-line StoryError, a success valid stories. Anything else fails the test."""
    try:
        stories = parse(data, "fuzz.txt")
    except StoryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return []
    assert stories
    for story in stories:
        check_story(story)
    return stories


@st.composite
def mutations(draw: st.DrawFn, samples: list[bytes]) -> bytes:
    """One of `samples` with a few bytes inserted, deleted or replaced, or cut short."""
    data = bytearray(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(data)))
        byte = draw(st.sampled_from(FRAMING) | st.integers(0, 255))
        op = draw(st.sampled_from(["insert", "delete", "replace", "cut"]))
        if op == "insert":
            data.insert(pos, byte)
        elif op == "cut":
            del data[pos:]
        elif pos < len(data):
            if op == "delete":
                del data[pos]
            else:
                data[pos] = byte
    return bytes(data)
