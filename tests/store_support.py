"""Helpers for the store tests: small stories, tagging by text, file snapshots, an open store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.model import Annotation
from annotations.store import ANNOTATIONS_FILE, Store
from stories.model import Story, StoryBuilder, StoryMeta


def make_story(*paragraphs: str, headline: str = "Council backs river plan", **meta: object) -> Story:
    builder = StoryBuilder()
    builder.add("headline", headline)
    for text in paragraphs or ("The council voted 7-2 on Monday to back the plan.",):
        builder.add("paragraph", text)
    return builder.build(StoryMeta(headline="", **meta))  # type: ignore[arg-type]


def tag_text(story: Story, exact: str, kind: str = "quote", note: str = "") -> Annotation:
    start = story.text.index(exact)
    return Annotation.new(story, kind, start, start + len(exact), note=note, annotator="tester")


STORY_A = make_story(
    "“We will not wait another year,” Mayor Ada Quist said on Monday.",
    "The plan costs 4 million crowns, the council said.",
    headline="Council backs river plan",
    agency="Reuters",
    created="2026-03-01",
)
STORY_B = make_story("Ferry services resumed on Tuesday after a two-day strike.", headline="Ferries sail again")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in `folder`, by name, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def disk_annotations(folder: Path) -> dict[str, dict]:
    path = folder / ANNOTATIONS_FILE
    if not path.exists():
        return {}
    return json.loads(path.read_bytes()).get("annotations", {})


def memory_annotations(store: Store) -> dict[str, dict]:
    return {a.id: a.to_dict() for a in store.iter_annotations()}


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        yield s
