"""Importing files into the library: the one loop shared by the CLI and the app."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotations import config
from annotations.search import SearchIndex
from annotations.store import Store, StoreError
from stories.loader import MAX_BYTES, Skipped, iter_files, load_path
from stories.model import Story, StoryError
from stories.sandbox import DEFAULT_BUDGET, Sandbox
from stories.text import clean_line

__all__ = ["BATCH", "DEFAULT_BUDGET", "ImportOutcome", "import_paths", "list_files", "time_budget"]

#: Parsed stories are stored in batches (one fsync per batch), at most this many files at a time.
BATCH = 200
_BATCH_SECONDS = 0.5
#: The config file's key for the seconds one file may take to parse.
BUDGET_KEY = "import_time_budget"


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one story (or to one file that gave none)."""

    path: Path | str
    status: str  # "imported" | "present" | "version" | "failed"
    story: Story | None = None
    reason: str = ""


def time_budget(settings: Mapping[str, Any] | None = None) -> float:
    """Seconds one file may take to parse: `import_time_budget` in the config file, else the default.
    Raises ConfigError (one line) for a value that is no number of seconds above 0."""
    settings = config.load_config() if settings is None else settings
    value = settings.get(BUDGET_KEY, DEFAULT_BUDGET)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise config.ConfigError(
            f"{clean_line(str(config.config_path()))}: {BUDGET_KEY} must be a number of seconds above 0 "
            f"(default {DEFAULT_BUDGET:g})"
        )
    return float(value)


def list_files(
    paths: Iterable[str | os.PathLike[str]],
    skip: Iterable[Path] = (),
    *,
    follow_links: bool = False,
    skipped: Skipped | None = None,
) -> list[Path | str]:
    """Every file the import would read (folders expanded; the folders in `skip` left out), to count them.
    Symbolic links out of the folders named are left out (and told to `skipped`) unless `follow_links`."""
    return list(iter_files(paths, skip=skip, follow_links=follow_links, skipped=skipped))


def import_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    fmt: str | None = None,
    max_bytes: int = MAX_BYTES,
    *,
    budget: float | None = None,
    follow_links: bool = False,
) -> Iterator[ImportOutcome]:
    """Import every file under `paths`: one outcome per story found (or per failed file), each yielded once
    its story is durable. A file that fails stores nothing; the others go on. A file whose format can take
    hours to parse is refused after `budget` seconds (None: the config file's `import_time_budget`)."""
    paths = list(paths)
    try:
        seconds = time_budget() if budget is None else budget
    except config.ConfigError as exc:  # the app shows it as the import's outcome; the CLI checks it first
        yield ImportOutcome(os.fspath(paths[0]) if paths else "", "failed", reason=str(exc))
        return
    pending: list[tuple[Path | str, list[Story]]] = []
    started = time.monotonic()
    with Sandbox() as sandbox:
        # never the library's own files
        for path in iter_files(paths, skip=[store.data_dir], follow_links=follow_links):
            try:
                pending.append((path, load_path(path, fmt, max_bytes, time_budget=seconds, sandbox=sandbox)))
            except StoryError as exc:
                yield from _store(store, pending)
                pending, started = [], time.monotonic()
                yield ImportOutcome(path, "failed", reason=clean_line(str(exc)))
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
        done = store.import_stories(stories)
    except StoreError as exc:
        for path, found in pending:
            for story in found:
                yield ImportOutcome(path, "failed", story, str(exc))
        return
    SearchIndex.of(store).add(s for s, status in zip(stories, done, strict=True) if status != "present")
    statuses = iter(done)
    for path, found in pending:
        for story in found:
            yield ImportOutcome(path, next(statuses), story)
