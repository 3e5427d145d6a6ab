"""A generated library for the search tests: stories made of a small vocabulary (case, accents, punctuation and
phrases that occur apart), with authors, datelines, agencies, dates and annotations with notes; and the plain
scan the index is compared with."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from annotations.model import Annotation
from annotations.search import SearchIndex
from annotations.search.docs import notes_of, story_columns
from annotations.search.query import Query
from annotations.search.scan import matches
from annotations.store import Store
from stories.model import Story, StoryBuilder, StoryMeta

COMMON = (
    "fishing quotas Fishing QUOTAS households household cafe Kyiv Ukraine minister said the of and fish fisheries "
    "fisherman U.S. e-mail 2026 42 harbour vote strike port talks budget"
).split()
RARE = "Norway norway NORWAY Norwegian café Café Émile emile Київ naïve Søren".split()
VOCAB = COMMON + RARE
SEPARATORS = (" ", " ", " ", ", ", ". ", " — ", "; ", ' "', '" ', " (", ") ", "'s ", "\n")
AGENCIES = ("Reuters", "AP", "AFP", "Anadolu")
PEOPLE = ("Émile Dubois", "Kari Nordmann", "Jonas Berg", "Olena Shevchenko")
PLACES = ("OSLO", "KYIV", "BERGEN", "TROMSØ")
NOTES = ("check the quota figure", "Norway disputes this", "café owner", "", "")


def _text(rng: random.Random, words: int) -> str:
    out = [rng.choice(COMMON)]
    for _ in range(words - 1):
        out.append(rng.choice(SEPARATORS).replace("\n", " "))
        out.append(rng.choice(RARE if rng.random() < 0.03 else COMMON))
    return "".join(out).strip(" ;,(\"'—") or "port"


def make_story(rng: random.Random, n: int) -> Story:
    builder = StoryBuilder()
    builder.add("headline", f"{_text(rng, 5)} {n}")
    if rng.random() < 0.4:
        builder.add("standfirst", _text(rng, 12))
    for _ in range(rng.randint(1, 4)):
        builder.add("paragraph", _text(rng, rng.randint(5, 40)))
    meta = StoryMeta(
        headline="",
        agency=rng.choice(AGENCIES),
        authors=tuple(rng.sample(PEOPLE, rng.randint(0, 2))),
        dateline=rng.choice(PLACES),
        created=f"2026-0{rng.randint(1, 6)}-1{rng.randint(0, 9)}",
    )
    return builder.build(meta)


def note(rng: random.Random, story: Story) -> Annotation | None:
    """An annotation of the story's first word with a note, or None (one story in three has none)."""
    text = rng.choice(NOTES)
    if rng.random() < 0.33 or not text:
        return None
    end = story.text.index(" ") if " " in story.text else len(story.text)
    return Annotation.new(story, "actor", 0, end, note=text, annotator="tester")


def make_library(data_dir: Path, count: int, seed: int = 7) -> list[Story]:
    """Write `count` generated stories (and notes on some) into a new library at `data_dir`."""
    rng = random.Random(seed)
    stories = [make_story(rng, n) for n in range(count)]
    with Store(data_dir) as store:
        store.add_stories(stories)
        anns = [a for a in (note(rng, s) for s in stories) if a is not None]
        store.apply([(None, a) for a in anns])
    return stories


def indexed_library(data_dir: Path, count: int) -> Iterator[tuple[Store, SearchIndex]]:
    """A generated library of `count` stories, open with its annotations and its index built (for a fixture)."""
    make_library(data_dir, count)
    store = Store(data_dir)
    store.load_annotations()
    index = SearchIndex(store)
    index.ensure()
    assert index.ready
    yield store, index
    index.close()
    store.close()


def scanned(store: Store, query: Query) -> set[str]:
    """The stories a plain scan finds for the query's text part (each story's columns, notes included)."""
    by_story = store.records_by_story()
    found = set()
    for story_id in store.story_ids:
        columns = story_columns(store.story(story_id), notes_of(by_story.get(story_id, {})))
        if matches(query.match, columns):
            found.add(story_id)
    return found
