"""Annotator layers: whose layer each annotation is in."""

from __future__ import annotations

from dataclasses import replace

from annotations.layers import CURATED, Layers
from annotations.model import Annotation
from tests.store_support import make_story

STORY = make_story("Alice said the port will reopen on Monday.")


def _ann(annotator: str) -> Annotation:
    return Annotation.new(STORY, "quote", 0, 5, annotator=annotator)


def test_yours_holds_unnamed_and_machine_made() -> None:
    layers = Layers("ana")
    assert [layers.of(_ann(name)) for name in ("ana", "", "wiredesk-suggest", "ben", CURATED)] == [
        "ana",
        "ana",
        "ana",
        "ben",
        CURATED,
    ]


def test_names_yours_first_curated_last() -> None:
    layers = Layers("ana")
    anns = [_ann(name) for name in (CURATED, "zoe", "ben", "", "Carl")]
    assert layers.names(anns) == ["ana", "ben", "Carl", "zoe", CURATED]
    assert layers.names(iter(anns)) == ["ana", "ben", "Carl", "zoe", CURATED]
    assert layers.names([]) == ["ana"]


def test_select_and_editable() -> None:
    layers = Layers("ana", machine=frozenset({"bot"}))
    anns = [_ann("bot"), _ann("ben"), replace(_ann("ana"), note="x")]
    assert [a.annotator for a in layers.select(anns, "ana")] == ["bot", "ana"]
    assert [layers.editable(a) for a in anns] == [True, False, True]
