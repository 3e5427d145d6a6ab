"""A story two annotators tagged differently, for the curation tests: some spans equal, a speaker different, a
claim's status different, one quote only one of them found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotations.actors import Actor
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story
from tests.store_support import add_story, make_story

ERDOGAN, CAVUSOGLU = "Recep Tayyip Erdoğan", "Mevlüt Çavuşoğlu"
SAID = "“Türkiye will keep the corridor open,” Erdoğan said in Ankara."
TOLD = "“The talks must go on,” Çavuşoğlu told reporters."
LATER = "“We expect an answer this week,” an official said."
CLAIM = "Grain exports reached 30 million tonnes"


@dataclass(frozen=True)
class TwoLayers:
    store: Store
    story: Story
    erdogan: Actor
    cavusoglu: Actor


def tag(story: Story, who: str, exact: str, kind: str, **fields: object) -> Annotation:
    """An annotation of `exact` in the story by annotator `who`, with the kind's fields given."""
    start = story.text.index(exact)
    made = Annotation.new(story, kind, start, start + len(exact), annotator=who)
    return made.edited(**fields) if fields else made


def two_layers(path: Path, annotators: tuple[str, str] = ("alice", "bob")) -> TwoLayers:
    """A library in `path`: one Anadolu story, its registry, and the layers of two annotators.

    Both tag the actor Erdoğan and the first quote alike (agreed); the second quote with a different speaker; the
    claim with a different status; only the first annotator the third quote."""
    a, b = annotators
    store = Store(path)
    story = make_story(SAID, TOLD, f"{CLAIM} in the first year, the ministry said.", LATER, agency="Anadolu")
    add_story(store, story)
    erdogan, cavusoglu = Actor.new(ERDOGAN, "person", aliases=("Erdoğan",)), Actor.new(CAVUSOGLU, "person")
    store.apply([(None, erdogan), (None, cavusoglu)])
    quote1 = SAID[: SAID.index(" Erdoğan")]
    quote2 = TOLD[: TOLD.index(" Çavuşoğlu")]
    quote3 = LATER[: LATER.index(" an official")]
    anns = [
        tag(story, a, "Erdoğan", "actor", actor=erdogan.id),
        tag(story, b, "Erdoğan", "actor", actor=erdogan.id),
        tag(story, a, quote1, "quote", speaker=erdogan.id, form="direct", cue="said"),
        tag(story, b, quote1, "quote", speaker=erdogan.id, form="direct", cue=" said "),
        tag(story, a, quote2, "quote", speaker=cavusoglu.id, form="direct"),
        tag(story, b, quote2, "quote", speaker=erdogan.id, form="direct"),
        tag(story, a, CLAIM, "claim", status="unverified"),
        tag(story, b, CLAIM, "claim", status="disputed"),
        tag(story, a, quote3, "quote", form="direct"),
    ]
    store.apply([(None, ann) for ann in anns])
    return TwoLayers(store, story, erdogan, cavusoglu)
