"""Helpers for the store tests: small stories, tagging by text, saving one story or annotation at a time, file
snapshots, an open store."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.model import Annotation, AnnotationError
from annotations.store import Store, StoreError
from annotations.store.lock import LOCK_FILE
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


# Saving one thing at a time, through the Store's facade (the app and the CLI save edits as undoable steps).


def add_story(store: Store, story: Story) -> bool:
    """Store a story version. False if the library already had it (nothing is changed then)."""
    return store.add_stories([story])[0]


def put(store: Store, ann: Annotation) -> None:
    """Add or replace an annotation, durably. Refused if its span no longer matches the stored story text."""
    try:
        store.story_meta(ann.story_id)
    except StoreError:
        raise AnnotationError(f"no story {ann.story_id[:8]} in the library") from None
    store.apply([(store.annotation(ann.id), ann)])


def remove(store: Store, ann_id: str) -> Annotation:
    """Delete an annotation, durably; returns what was deleted."""
    ann = store.annotation(ann_id)
    if ann is None:
        raise AnnotationError(f"no annotation {ann_id[:8]}")
    store.apply([(ann, None)])
    return ann


STORY_A = make_story(
    "“We will not wait another year,” Mayor Ada Quist said on Monday.",
    "The plan costs 4 million crowns, the council said.",
    headline="Council backs river plan",
    agency="Reuters",
    created="2026-03-01",
)
STORY_B = make_story("Ferry services resumed on Tuesday after a two-day strike.", headline="Ferries sail again")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (by path relative to it) with its bytes; not `.lock`, which only names the writer,
    nor the `.head` files, rewritten in place by every save (they only say how far each journal reached)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_FILE and p.suffix != ".head"
    }


def all_bytes(folder: Path) -> list[bytes]:
    """The contents of every file under `folder` (`.lock` included)."""
    return [p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()]


def assert_nothing_lost(before: dict[str, bytes], folder: Path) -> None:
    """Every file of `before` (a `snapshot`) is still whole somewhere under `folder`: nothing was deleted."""
    after = all_bytes(folder)
    for name, content in before.items():
        assert any(content in data for data in after), f"{name} ({len(content)} bytes) is gone"


def disk_annotations(folder: Path) -> dict[str, dict]:
    """The annotations a fresh read-only Store finds on disk now (snapshot and journal), as dicts by id."""
    with Store(folder, read_only=True) as fresh:
        return memory_annotations(fresh)


def memory_annotations(store: Store) -> dict[str, dict]:
    return {a.id: a.to_dict() for a in store.iter_annotations()}


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        yield s
