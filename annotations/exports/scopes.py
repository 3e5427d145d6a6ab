"""What the app offers to export (a scope: one story, the stories a filter shows, everything), how many
annotations that is, and an export that reports its progress and can be stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotations.exports import EXPORTERS, Exporter, ExportFilter, Selected, exporter, select, write_export
from annotations.store import Store, StoryEntry
from stories.text import clean_line

__all__ = [
    "ExportCancelled",
    "Scope",
    "count_annotations",
    "everything_scope",
    "export_to",
    "formats",
    "list_scope",
    "story_scope",
]


class ExportCancelled(Exception):
    """The user stopped the export; nothing was written."""


@dataclass(frozen=True)
class Scope:
    """A choice of what to export: its short name, a line saying what it holds, and the filter."""

    name: str
    detail: str
    filter: ExportFilter


def story_scope(store: Store, story_id: str, *, every_version: bool) -> Scope:
    """One story: the version given, or (`every_version`) each version the library holds of it."""
    ids = [v.id for v in store.versions(story_id)] if every_version else [story_id]
    more = f" (its {len(ids)} versions)" if len(ids) > 1 else ""
    headline = clean_line(store.story_meta(story_id).headline)
    return Scope("this story", f"“{headline}”{more}", ExportFilter(story_ids=frozenset(ids)))


def everything_scope(store: Store) -> Scope:
    """Every story in the library, every version."""
    stories = len(store.entries())
    noun = "story" if stories == 1 else "stories"
    return Scope("everything", f"all {stories:,} {noun} in the library, every version", ExportFilter())


def list_scope(store: Store, entries: list[StoryEntry]) -> Scope:
    """The stories listed, each with every version (those the library's filter shows)."""
    ids = frozenset(v.id for e in entries for v in store.versions(e.id))
    noun = "story" if len(entries) == 1 else "stories"
    return Scope(
        "filtered list", f"the {len(entries):,} {noun} the library's filter shows", ExportFilter(story_ids=ids)
    )


def formats() -> dict[str, Exporter]:
    """The export formats whose modules are present, by name, in the order of EXPORTERS."""
    found = {}
    for name, module_path in EXPORTERS.items():
        try:
            found[name] = exporter(name)
        except ModuleNotFoundError as exc:
            if exc.name != module_path:  # a format that is there but cannot import: a bug to see
                raise
    return found


def count_annotations(store: Store, flt: ExportFilter) -> int:
    """How many annotations an export with this filter writes (from the per-story counts: fast)."""
    entries = [e for e in store.entries(all_versions=True) if flt.takes_story(e)]
    if flt.narrows_annotations:
        return sum(1 for e in entries for a in store.annotations(e.id) if flt.takes(a))
    return sum(sum(store.counts(e.id).values()) for e in entries)


def _watched(
    selection: Iterator[Selected], progress: Callable[[int], None], stopped: Callable[[], bool]
) -> Iterator[Selected]:
    """The selection, telling `progress` how many annotations were handed on, story by story; raises
    ExportCancelled as soon as `stopped()`."""
    done = 0
    for chosen in selection:
        if stopped():
            raise ExportCancelled
        yield chosen
        done += len(chosen.annotations)
        progress(done)
    if stopped():
        raise ExportCancelled


def export_to(
    store: Store,
    name: str,
    path: Path,
    flt: ExportFilter,
    options: dict[str, object] | None = None,
    *,
    progress: Callable[[int], None] = lambda done: None,
    stopped: Callable[[], bool] = lambda: False,
) -> int:
    """Export in format `name` to `path` (a file, or a folder for formats that write one) with `write_export`,
    replacing what is there only once the export is complete; returns the number of annotations. Raises
    ExportCancelled if `stopped()` turns true on the way (nothing is written then), StoreError (ExportError)
    if it cannot be done."""
    selection = _watched(select(store, flt), progress, stopped)
    return write_export(store, name, path, selection, force=True, **(options or {}))


if TYPE_CHECKING:  # mypy checks every format module against the protocol (here: they import the package, which
    # therefore cannot import them, even for types, without an import cycle); at run time `exporter` loads them
    from annotations.exports import brat, csv, json, jsonl, markdown, w3c

    _FORMATS: tuple[Exporter, ...] = (json, jsonl, csv, w3c, brat, markdown)
