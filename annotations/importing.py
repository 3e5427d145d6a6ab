"""Importing files into the library: the one loop shared by the CLI and the app."""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from annotations import config
from annotations.model import AnnotationError
from annotations.search import SearchIndex
from annotations.store import Store, StoreError
from annotations.store.seen_files import SeenFiles, file_key
from stories.loader import MAX_BYTES, Skipped, is_url, iter_files, load_path, parse_bytes, read_path
from stories.model import Story, StoryError, StoryMeta
from stories.sandbox import DEFAULT_BUDGET, Sandbox
from stories.text import clean_line

if TYPE_CHECKING:  # carrying (and the re-anchoring it needs) is imported when a new version arrives
    from annotations.carrying import CarryResult
    from annotations.history import History

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
    reason: str = ""  # why it failed (or, for a new version, why its annotations were not carried)
    carried: CarryResult | None = None  # a new version: what carrying the earlier version's annotations did

    @property
    def story_id(self) -> str:
        """The story's id ("" for a file that gave none); never reads its text."""
        return self.story.id if self.story is not None else ""

    @property
    def headline(self) -> str:
        """The story's headline ("" for a file that gave none); never reads its text."""
        return self.story.headline if self.story is not None else ""


class _Present(ImportOutcome):
    """A story of a file whose bytes this library imported before: "present", found without parsing. Its `Story`
    is read from the library only when asked for (None if its text there is damaged: `wiredesk doctor` says so);
    `story_id` and `headline` come from the story index."""

    _stored: tuple[Store, str, StoryMeta]
    _story: Story | None

    def __init__(self, path: Path | str, store: Store, story_id: str, meta: StoryMeta) -> None:
        self.__dict__.update(path=path, status="present", reason="", _story=None, _stored=(store, story_id, meta))

    @property
    def story(self) -> Story | None:  # the field of ImportOutcome, read lazily here
        if self._story is None:
            store, story_id, _ = self._stored
            with contextlib.suppress(StoreError):
                object.__setattr__(self, "_story", store.story(story_id))
        return self._story

    @property
    def story_id(self) -> str:
        return self._stored[1]

    @property
    def headline(self) -> str:
        return self._stored[2].headline


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
    history: History | None = None,
) -> Iterator[ImportOutcome]:
    """Import every file under `paths`: one outcome per story found (or per failed file), each yielded once
    its story is durable. A file that fails stores nothing; the others go on. A file whose format can take
    hours to parse is refused after `budget` seconds (None: the config file's `import_time_budget`).

    A file whose bytes this library imported before (same parse version, same `fmt`) is not parsed again when
    every story they gave is still in the library: its outcomes are "present", with the stories as stored.

    A new version of a story gets the annotations of the version before it (`carrying.carry_forward`), as one
    step undoable through `history` when given."""
    paths = list(paths)
    try:
        seconds = time_budget() if budget is None else budget
    except config.ConfigError as exc:  # the app shows it as the import's outcome; the CLI checks it first
        yield ImportOutcome(os.fspath(paths[0]) if paths else "", "failed", reason=str(exc))
        return
    seen = SeenFiles(store.data_dir)
    pending: list[_Read] = []
    started = time.monotonic()
    with Sandbox() as sandbox:
        # never the library's own files
        for path in iter_files(paths, skip=[store.data_dir], follow_links=follow_links):
            try:
                pending.append(_read(store, seen, path, fmt, max_bytes, seconds, sandbox))
            except StoryError as exc:
                yield from _store_batch(store, seen, pending, history)
                pending, started = [], time.monotonic()
                yield ImportOutcome(path, "failed", reason=clean_line(str(exc)))
                continue
            if len(pending) >= BATCH or time.monotonic() - started > _BATCH_SECONDS:
                yield from _store_batch(store, seen, pending, history)
                pending, started = [], time.monotonic()
    yield from _store_batch(store, seen, pending, history)


class _Read(NamedTuple):
    """One file read: its stories to store (`key`: its seen-files key, None for a URL), or its outcomes when the
    library has every story it gave (`known`)."""

    path: Path | str
    stories: list[Story]
    key: str | None = None
    known: tuple[ImportOutcome, ...] = ()


def _read(
    store: Store, seen: SeenFiles, path: Path | str, fmt: str | None, max_bytes: int, seconds: float, sandbox: Sandbox
) -> _Read:
    """Read one file once: known outcomes if its bytes were imported here before, else its parsed stories."""
    if is_url(path):
        return _Read(path, load_path(path, fmt, max_bytes, time_budget=seconds, sandbox=sandbox))
    data = read_path(path, max_bytes)
    key = file_key(data, fmt)
    if known := _known(store, seen, path, key):
        return _Read(path, [], key, known)
    return _Read(path, parse_bytes(data, Path(path).name, fmt, time_budget=seconds, sandbox=sandbox), key)


def _known(store: Store, seen: SeenFiles, path: Path | str, key: str) -> tuple[ImportOutcome, ...]:
    """The "present" outcomes of a file seen before, if every story it gave is in the library (else none)."""
    ids = seen.get(key)
    if not ids:
        return ()
    try:
        return tuple(_Present(path, store, story_id, store.story_meta(story_id)) for story_id in ids)
    except StoreError:  # a story gone: parse the file as if never seen
        return ()


def _store_batch(
    store: Store, seen: SeenFiles, pending: list[_Read], history: History | None = None
) -> Iterator[ImportOutcome]:
    """Store the batch's parsed stories, remember the files that were stored whole, and yield every file's
    outcomes in the order the files were read."""
    parsed = [read for read in pending if not read.known]
    stored = iter(list(_store(store, [(read.path, read.stories) for read in parsed], history)))
    outcomes = {id(read): [next(stored) for _ in read.stories] for read in parsed}
    for read in parsed:
        if read.key is not None and all(o.status != "failed" for o in outcomes[id(read)]):
            seen.add(read.key, [story.id for story in read.stories])  # a new version's number changes, not its id
    seen.save()
    for read in pending:
        yield from read.known or outcomes[id(read)]


def _store(
    store: Store, pending: list[tuple[Path | str, list[Story]]], history: History | None = None
) -> Iterator[ImportOutcome]:
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
    stored = [s for s, status in zip(stories, done, strict=True) if status != "present"]
    SearchIndex.of(store).add(stored)
    _mark_unread(store, [s.id for s in stored])
    statuses = iter(done)
    for path, found in pending:
        for story in found:
            status = next(statuses)
            carried, why = _carry(store, story, history) if status == "version" else (None, "")
            yield ImportOutcome(path, status, story, why, carried)


def _mark_unread(store: Store, story_ids: list[str]) -> None:
    """Every story version an import stores starts unread (a mark that cannot be saved loses no story)."""
    with contextlib.suppress(StoreError):
        store.unread.mark_unread(story_ids)


def _carry(store: Store, story: Story, history: History | None) -> tuple[CarryResult | None, str]:
    """Carry the earlier version's annotations onto this new version: (what it did, or why it could not). A carry
    that fails leaves the story stored and every annotation where it was (`wiredesk carry` tries again)."""
    from annotations.carrying import carry_forward

    try:
        return carry_forward(store, story.id, history), ""
    except (AnnotationError, StoreError) as exc:
        return None, f"annotations not carried: {clean_line(str(exc))}"
