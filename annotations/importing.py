"""Importing files into the library: the one loop shared by the CLI and the app."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotations.store import Store, StoreError
from stories.loader import MAX_BYTES, iter_files, load_path
from stories.model import Story, StoryError

__all__ = ["BATCH", "ImportOutcome", "import_paths", "list_files"]

#: Parsed stories are stored in batches (one fsync per batch), at most this many files at a time.
BATCH = 200
_BATCH_SECONDS = 0.5


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one story (or to one file that gave none)."""

    path: Path | str
    status: str  # "imported" | "present" | "version" | "failed"
    story: Story | None = None
    reason: str = ""


def list_files(paths: Iterable[str | os.PathLike[str]], skip: Iterable[Path] = ()) -> list[Path | str]:
    """Every file the import would read (folders expanded; the folders in `skip` left out), to count them."""
    return list(iter_files(paths, skip=skip))


def import_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    fmt: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[ImportOutcome]:
    """Import every file under `paths`: one outcome per story found (or per failed file), each yielded once
    its story is durable. A file that fails stores nothing; the others go on."""
    pending: list[tuple[Path | str, list[Story]]] = []
    started = time.monotonic()
    for path in iter_files(paths, skip=[store.data_dir]):  # never the library's own files
        try:
            pending.append((path, load_path(path, fmt, max_bytes)))
        except StoryError as exc:
            yield from _store(store, pending)
            pending, started = [], time.monotonic()
            yield ImportOutcome(path, "failed", reason=str(exc))
            continue
        if len(pending) >= BATCH or time.monotonic() - started > _BATCH_SECONDS:
            yield from _store(store, pending)
            pending, started = [], time.monotonic()
    yield from _store(store, pending)


def _store(store: Store, pending: list[tuple[Path | str, list[Story]]]) -> Iterator[ImportOutcome]:
    if not pending:
        return
    stories = [story for _, found in pending for story in found]
    try:
        statuses = iter(store.import_stories(stories))
    except StoreError as exc:
        for path, found in pending:
            for story in found:
                yield ImportOutcome(path, "failed", story, str(exc))
        return
    for path, found in pending:
        for story in found:
            yield ImportOutcome(path, next(statuses), story)
