"""Two stories with a claim each, for the claim-thread tests: the port "will reopen Monday" (Reuters, 1 March),
then operators denied it (AP, 2 March); a registry with the port authority and the operators."""

from __future__ import annotations

from annotations.actors import Actor
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story
from tests.store_support import make_story

AUTHORITY = Actor.new("Fernside Port Authority", "organisation")
OPERATORS = Actor.new("Harbour Operators Union", "organisation")
FIRST = make_story(
    "The port will reopen Monday, the Fernside Port Authority said on Saturday.",
    headline="Port to reopen Monday",
    agency="Reuters",
    created="2026-03-01T10:00:00Z",
)
SECOND = make_story(
    "Operators denied the port would reopen Monday, saying the cranes were still idle.",
    headline="Operators deny port reopening",
    agency="Associated Press",
    created="2026-03-02T09:00:00Z",
)
THIRD = make_story(
    "Fishermen said the catch fell by a third this spring.",
    headline="Catch falls",
    agency="AFP",
    created="2026-03-03T09:00:00Z",
)


def claim(story: Story, exact: str, claimant: Actor | None = None) -> Annotation:
    start = story.text.index(exact)
    made = Annotation.new(story, "claim", start, start + len(exact), annotator="tester")
    return made.edited(claimant=claimant.id if claimant else None, status="unverified")


REOPEN = claim(FIRST, "The port will reopen Monday", AUTHORITY)
DENIED = claim(SECOND, "Operators denied the port would reopen Monday", OPERATORS)
CATCH = claim(THIRD, "the catch fell by a third this spring")


def fill(store: Store) -> Store:
    store.add_stories([FIRST, SECOND, THIRD])
    store.apply([(None, AUTHORITY), (None, OPERATORS), (None, REOPEN), (None, DENIED), (None, CATCH)])
    return store
