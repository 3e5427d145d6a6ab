"""A library two annotators tagged differently, for the agreement tests: one Anadolu story, some spans equal, a
speaker different, a quote only one of them found."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotations.actors import Actor
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story
from tests.store_support import make_story

ANADOLU = make_story(
    '"We will not accept this," Foreign Minister Hakan Fidan told reporters in Ankara.',
    "Fidan said talks would resume next week in Istanbul.",
    '"The ceasefire must hold," President Recep Tayyip Erdogan said on Tuesday.',
    headline="Türkiye rejects proposal, Fidan says",
    agency="Anadolu",
)


def span(story: Story, exact: str, kind: str, annotator: str, **fields: str) -> Annotation:
    """An annotation of `exact` (its first occurrence) in `annotator`'s layer (the name as it is: a merged or synced
    file may hold anything), with `fields` set."""
    start = story.text.index(exact)
    return replace(Annotation.new(story, kind, start, start + len(exact)), annotator=annotator, **fields)  # as stored


def build_library(data_dir: Path, ana: str = "ana", ben: str = "ben") -> dict[str, str]:
    """The Anadolu story tagged by `ana` and `ben`; returns the registry ids by name ("fidan", "erdogan").

    quote: ana 3, ben 2; one span equal, one overlapping with another speaker, one found by ana only.
    actor: one mention each, the same span and entry."""
    fidan, erdogan = Actor.new("Hakan Fidan", "person"), Actor.new("Recep Tayyip Erdogan", "person")
    s = ANADOLU
    anns = [
        span(s, "We will not accept this", "quote", ana, speaker=fidan.id, form="direct"),
        span(s, "talks would resume next week", "quote", ana, speaker=fidan.id, form="indirect"),
        span(s, "The ceasefire must hold", "quote", ana, speaker=erdogan.id, form="direct"),
        span(s, "Hakan Fidan", "actor", ana, actor=fidan.id),
        span(s, "We will not accept this", "quote", ben, speaker=fidan.id, form="direct"),
        span(s, "talks would resume", "quote", ben, speaker=erdogan.id, form="indirect"),
        span(s, "Hakan Fidan", "actor", ben, actor=fidan.id),
    ]
    with Store(data_dir) as store:
        store.add_stories([s])
        store.apply([(None, fidan), (None, erdogan)])
        store.apply([(None, ann) for ann in anns])
    return {"fidan": fidan.id, "erdogan": erdogan.id}
