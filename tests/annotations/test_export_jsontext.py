"""The exports' indented JSON by orjson (`annotations.exports.dumps_indented`, `dumps_items`, `copy_into`) gives
the bytes the standard library gave: `json.dumps(obj, ensure_ascii=False, indent=2)`, UTF-8 encoded."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.exports import copy_into, dumps_indented, dumps_items, spool_bytes, w3c
from annotations.exports import json as export_json

# Everything an export holds: no floats (none is exported), str keys; any code point but a lone surrogate.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)))
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _stdlib(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")


def _stdlib_items(items: list[Any], depth: int) -> bytes:
    """What the exports wrote before: each item on a new line, every line of it `depth` spaces in."""
    pad = " " * depth
    lines = (
        "\n" + "\n".join(pad + line for line in json.dumps(i, ensure_ascii=False, indent=2).split("\n")) for i in items
    )
    return ",".join(lines).encode("utf-8")


@settings(max_examples=400)
@given(VALUES)
def test_the_same_bytes_as_the_standard_library(obj: Any) -> None:
    assert dumps_indented(obj) == _stdlib(obj)


@settings(max_examples=200)
@given(st.lists(VALUES, max_size=5), st.sampled_from([4, 6]))
def test_items_are_indented_as_before(items: list[Any], depth: int) -> None:
    assert dumps_items(items, depth) == _stdlib_items(items, depth)


def test_every_character_is_escaped_as_before() -> None:
    every = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF) + "\u2028\u2029\U0001f600\ufeff"
    obj = {every: [every, {"k": every}]}
    assert dumps_indented(obj) == _stdlib(obj)


def test_what_orjson_refuses_goes_through_the_standard_library() -> None:
    assert export_json.NAME == "json"  # loaded: the fallback must not take the json format module for the stdlib's
    assert dumps_indented({1: "a", "big": 2**70}) == _stdlib({1: "a", "big": 2**70})  # int key, a big int
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate fails as it did when the text was written
        dumps_indented({"a": "\ud800"})


def test_copy_into_keeps_characters_cut_between_chunks() -> None:
    text = "é€😀" * 300_000  # > 1 MB of UTF-8: the copy's chunks end inside characters
    with spool_bytes() as source:
        source.write(text.encode("utf-8"))
        out = io.StringIO()
        copy_into(source, out)
    assert out.getvalue() == text


@settings(max_examples=200)
@given(st.uuids(), st.booleans())
def test_w3c_annotation_iris_as_uuid_gives_them(value: uuid.UUID, upper: bool) -> None:
    text = str(value).upper() if upper else str(value)
    assert w3c.annotation_uri(text) == uuid.UUID(text).urn
    assert w3c.annotation_uri("not-a-uuid") == "urn:wiredesk:annotation:not-a-uuid"
