"""Build the suggester's gold set: the hand-annotated stories under gold/stories/ become gold/gold.json.

    python bench/suggest/build_gold.py [--stories DIR] [--out FILE] [--check]

Every `NNN-agency-slug.txt` is imported into a fresh temporary library the way `wiredesk import` does
(`annotations.importing.import_paths`); its `NNN-agency-slug.gold.json` is applied through wiredesk's own rules:
`annotations.anchor.locate` places each `text` + `occurrence`, registry entries are made once per canonical name
and type (`annotations.registry.new_entry`) and shared across stories, and each annotation is one `History.add`
step. The library is written with the JSON exporter (`annotations/exports/json.py`). Any entry that cannot be
placed, or names one actor with two types, stops the build with the file and entry named.

The build is deterministic: ids are derived from names and spans (uuid5) and every time stamp is `STAMP`, so the
same input gives a byte-identical gold.json. `--check` builds to a temporary file and fails if gold.json differs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from annotations import anchor
from annotations.actors import ACTOR_TYPES, Actor
from annotations.exports import select, write_export
from annotations.history import History
from annotations.importing import import_paths
from annotations.model import FORMS, STATUSES, Annotation, AnnotationError
from annotations.registry import Registry, new_entry
from annotations.store import Store
from stories.model import Story

__all__ = ["GOLD_DIR", "GOLD_FILE", "STAMP", "STORIES_DIR", "GoldError", "build"]

GOLD_DIR = Path(__file__).resolve().parent / "gold"
STORIES_DIR = GOLD_DIR / "stories"
GOLD_FILE = GOLD_DIR / "gold.json"
#: The time stamp of every record in the gold set (the build is reproducible).
STAMP = "2026-12-03T00:00:00Z"
ANNOTATOR = "gold"
_NS = uuid.UUID("6f1d3c52-6a43-4b8e-9d0e-2b7c1f0a9e11")
#: The link fields of each kind in a .gold.json entry: name field -> its type field.
_LINK = {"quote": ("speaker", "speaker_type"), "actor": ("actor", "actor_type"), "claim": ("claimant", "claimant_type")}


#: The throwaway library goes in memory where the machine has a tmpfs: each History step is fsync'd, and on a
#: disk a thousand fsyncs are most of the build's time.
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


class GoldError(Exception):
    """A gold file that cannot be applied; the message names the file and the entry."""


@dataclass
class _Registry:
    """The registry entries made so far, by canonical name (one per name, with its type)."""

    store: Store
    by_name: dict[str, Actor] = dataclasses.field(default_factory=dict)
    registry: Registry = dataclasses.field(default_factory=lambda: Registry([]))

    def refresh(self) -> None:
        """Read the registry as the store holds it now (once per story: building one reads every name)."""
        self.registry = Registry.of(self.store)

    def check(self) -> None:
        """Refuse a name or alias that answers for two entries: two canonical names for one actor."""
        registry = Registry.of(self.store)
        for actor in registry.actors:
            for name in actor.names:
                found = registry.lookup(name).found
                if len(found) > 1:
                    named = " and ".join(repr(a.name) for a in found)
                    raise GoldError(f"{named} both answer to {name!r}: one actor under two canonical names?")

    def entry(self, name: str, type_: str, where: str) -> tuple[Actor, bool]:
        """The entry called `name` (and whether it is new, not stored yet)."""
        if type_ not in ACTOR_TYPES:
            raise GoldError(f"{where}: unknown actor type {type_!r} (use {', '.join(ACTOR_TYPES)})")
        known = self.by_name.get(name)
        if known is not None:
            if known.type != type_:
                raise GoldError(f"{where}: {name!r} is {known.type} elsewhere in the gold set, not {type_}")
            return known, False
        try:
            actor = new_entry(self.registry, name, type_)
        except AnnotationError as exc:  # the name is another entry's alias: two canonical names for one actor
            raise GoldError(f"{where}: {exc}") from None
        actor = dataclasses.replace(actor, id=str(uuid.uuid5(_NS, f"actor:{name}")), created=STAMP, modified=STAMP)
        self.by_name[name] = actor
        return actor, True


@contextmanager
def _fixed_time() -> Iterator[None]:
    """Every record made or edited in the block is stamped `STAMP` (registry aliases learned by History.add too)."""
    stamp = lambda: STAMP  # noqa: E731
    with mock.patch("annotations.model.now_iso", stamp), mock.patch("annotations.actors.now_iso", stamp):
        yield


def _locate(story: Story, text: str, occurrence: int | None, where: str) -> tuple[int, int]:
    """The span of the `occurrence`-th `text` (anchor.locate; a quotation over several paragraphs is placed by its
    first paragraph and checked whole). The text must be exact and, without an occurrence, occur once."""
    first = text.split("\n", 1)[0]
    try:
        start, end = anchor.locate(story, first, occurrence or 1)
        count = anchor.occurrences(story, first)
    except AnnotationError as exc:
        raise GoldError(f"{where}: {exc}") from None
    if "\n" in text:
        end = start + len(text)
    if story.text[start:end] != text:
        raise GoldError(f"{where}: the text is {story.text[start:end]!r} in the story, not {text!r}")
    if count > 1 and occurrence is None:
        raise GoldError(f"{where}: the text occurs {count} times; give its occurrence")
    return start, end


def _annotation(story: Story, item: Any, reg: _Registry, where: str) -> tuple[Annotation, tuple[Actor, ...]]:
    """The annotation a .gold.json entry describes, and the new registry entries it links to."""
    if not isinstance(item, dict):
        raise GoldError(f"{where}: not an object")
    kind = item.get("kind")
    if kind not in _LINK:
        raise GoldError(f"{where}: unknown kind {kind!r}")
    text, occurrence = item.get("text"), item.get("occurrence")
    if not isinstance(text, str) or not text.strip():
        raise GoldError(f"{where}: no text")
    if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1):
        raise GoldError(f"{where}: occurrence must be a whole number from 1")
    start, end = _locate(story, text, occurrence, where)
    values: dict[str, Any] = {}
    new: list[Actor] = []
    name_field, type_field = _LINK[kind]
    name = item.get(name_field)
    if kind == "actor" and not name:
        raise GoldError(f"{where}: an actor mention needs its actor")
    if name is not None:
        if not isinstance(name, str) or not name.strip():
            raise GoldError(f"{where}: {name_field} must be a name or null")
        actor, is_new = reg.entry(" ".join(name.split()), item.get(type_field) or "person", where)
        values[name_field] = actor.id
        if is_new:
            new.append(actor)
    if kind == "quote":
        values["form"] = item.get("form")
        if values["form"] not in FORMS:
            raise GoldError(f"{where}: form must be one of {', '.join(FORMS)}")
    if kind == "claim":
        values["status"] = item.get("status", "unverified")
        if values["status"] not in STATUSES:
            raise GoldError(f"{where}: status must be one of {', '.join(STATUSES)}")
    ann = Annotation.new(story, kind, start, end, annotator=ANNOTATOR)
    ann = dataclasses.replace(ann, id=str(uuid.uuid5(_NS, f"{story.id}:{kind}:{start}:{end}")), **values)
    ann.check()
    return ann, tuple(new)


def build(stories_dir: Path = STORIES_DIR, out: Path = GOLD_FILE) -> dict[str, int]:
    """Import the stories, apply their gold files, export the library to `out`; counts of what was made."""
    files = sorted(stories_dir.glob("*.txt"))
    if not files:
        raise GoldError(f"no stories in {stories_dir}")
    counts = {"stories": 0, "quote": 0, "actor": 0, "claim": 0, "actors": 0}
    with tempfile.TemporaryDirectory(prefix="wiredesk-gold-", dir=_SCRATCH) as tmp, _fixed_time():
        store = Store(Path(tmp) / "library")
        try:
            stories: dict[Path, Story] = {}
            for outcome in import_paths(store, files, budget=30.0):
                if outcome.status != "imported" or outcome.story is None:
                    raise GoldError(f"{outcome.path}: not imported ({outcome.status} {outcome.reason})".rstrip())
                if Path(outcome.path) in stories:
                    raise GoldError(f"{outcome.path}: holds more than one story")
                stories[Path(outcome.path)] = outcome.story
            history, reg = History(store), _Registry(store)
            for path in files:
                gold = path.with_name(path.name.removesuffix(".txt") + ".gold.json")
                try:
                    items = json.loads(gold.read_text(encoding="utf-8"))["annotations"]
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    raise GoldError(f"{gold.name}: cannot be read: {exc}") from None
                story = stories[path]
                reg.refresh()
                for number, item in enumerate(items, 1):
                    where = f"{gold.name} entry {number} ({item.get('kind')} {item.get('text')!r})"
                    ann, new = _annotation(story, item, reg, where)
                    try:
                        history.add(ann, story, new_actors=new)
                    except AnnotationError as exc:
                        raise GoldError(f"{where}: {exc}") from None
                    counts[ann.kind] += 1
                counts["stories"] += 1
            reg.check()
            counts["actors"] = len(reg.by_name)
            write_export(store, "json", out, select(store, strict=True), force=True)
        finally:
            store.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=Path, default=STORIES_DIR, help="the folder of .txt + .gold.json files")
    parser.add_argument("--out", type=Path, default=GOLD_FILE, help="the JSON export to write")
    parser.add_argument("--check", action="store_true", help="fail if the built gold set differs from --out")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                fresh = Path(tmp) / "gold.json"
                counts = build(args.stories, fresh)
                if not args.out.exists() or fresh.read_bytes() != args.out.read_bytes():
                    print(f"build_gold: {args.out} is not what the stories build: run build_gold.py", file=sys.stderr)
                    return 1
        else:
            counts = build(args.stories, args.out)
    except GoldError as exc:
        print(f"build_gold: {exc}", file=sys.stderr)
        return 1
    print(
        f"{counts['stories']} stories: {counts['quote']} quotes, {counts['actor']} actor mentions, "
        f"{counts['claim']} claims, {counts['actors']} registry entries; {args.out} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
