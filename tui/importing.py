"""Importing files into the library: the one loop shared by the CLI and the app."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotations.store import Store, StoreError
from stories.loader import iter_files, load_path
from stories.model import Story, StoryError

__all__ = ["ImportOutcome", "import_paths"]


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one story (or to one file that gave none)."""

    path: Path
    status: str  # "imported" | "present" | "failed"
    story: Story | None = None
    reason: str = ""


def import_paths(
    store: Store, paths: Iterable[str | os.PathLike[str]], fmt: str | None = None
) -> Iterator[ImportOutcome]:
    """Import every file under `paths`, one outcome per story found (or per failed file)."""
    for path in iter_files(paths):
        try:
            found = load_path(path, fmt)
        except StoryError as exc:
            yield ImportOutcome(path, "failed", reason=str(exc))
            continue
        for story in found:
            try:
                added = store.add_story(story)
            except StoreError as exc:
                yield ImportOutcome(path, "failed", story, str(exc))
                continue
            yield ImportOutcome(path, "imported" if added else "present", story)
