"""Reading a wiredesk JSON export (`annotations.exports.json`, format 2) for a merge, and checking all of it.

`read_export` parses a file and checks its format version; `parse` turns its lists into stories, registry
entries, annotations and tombstones by id, each checked on its own; `check` checks them against the library
(stories known, spans matching their story's text, links to entries that exist). Each raises MergeError with
one line naming the first problem; none writes anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from annotations.actors import Actor
from annotations.model import LINKS, Annotation, AnnotationError
from annotations.store import Store, StoreError
from annotations.store.records import StoryRecord
from stories.model import Story, StoryError, short_id
from stories.text import clean_line

__all__ = ["FORMAT_VERSION", "Incoming", "MergeError", "check", "has_story", "parse", "read_export"]

#: The export format version a merge reads (`annotations.exports.json.FORMAT_VERSION`).
FORMAT_VERSION = 2

_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # line breaks allowed
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


class MergeError(ValueError):
    """A file that cannot be merged; the message is one line, fit for the user."""


def read_export(path: Path) -> dict[str, Any]:
    """The export in `path`, parsed, its format version checked. Raises MergeError."""
    name = clean_line(path.name)  # a file's name is no safer to print than its contents
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MergeError(f"cannot read {clean_line(str(path))}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise MergeError(f"{name} is not UTF-8 text, so not a wiredesk JSON export") from None
    except json.JSONDecodeError as exc:
        raise MergeError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise MergeError(f"{name} is nested too deeply to be a wiredesk JSON export") from None
    if not isinstance(data, dict) or "wiredesk_export" not in data:
        raise MergeError(f"{name} is not a wiredesk JSON export (no wiredesk_export version)")
    version = data["wiredesk_export"]
    if version != FORMAT_VERSION:
        raise MergeError(
            f"{name} is a wiredesk export of format version {version!r}; this wiredesk merges version "
            f"{FORMAT_VERSION} (export it again with `wiredesk export --format json`)"
        )
    for key in ("actors", "stories", "annotations", "deleted"):
        if not isinstance(data.setdefault(key, []), list):
            raise MergeError(f"{name}: {key} is not a list")
    return data


@dataclass(frozen=True)
class Incoming:
    """The contents of an export, each by id, in file order."""

    stories: dict[str, Story]
    actors: dict[str, Actor]
    annotations: dict[str, Annotation]
    tombstones: dict[str, dict[str, str]]  # id, story_id, deleted, modified


def parse(data: Mapping[str, Any]) -> Incoming:
    """The items of an export (from `read_export`), each checked on its own."""
    return Incoming(
        _items(data, "stories", "story", _story),
        _items(data, "actors", "actor", _actor),
        _items(data, "annotations", "annotation", _annotation),
        _items(data, "deleted", "tombstone", _tombstone),
    )


def _items(data: Mapping[str, Any], key: str, what: str, parse: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """The parsed items of list `key` by id; MergeError names the first bad one."""
    out: dict[str, Any] = {}
    for i, raw in enumerate(data[key], 1):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            raise MergeError(f"{what} #{i} is not a record with an id")
        label = f"{what} {clean_line(raw['id'][:8])}"
        try:
            item = parse(raw)
        except (StoryError, AnnotationError) as exc:
            raise MergeError(f"{label}: {str(exc).removeprefix(label + ': ')}") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise MergeError(f"{label} is malformed ({type(exc).__name__}: {exc})") from None
        if raw["id"] in out:
            raise MergeError(f"{label} appears twice")
        out[raw["id"]] = item
    return out


def _story(raw: dict[str, Any]) -> Story:
    story = Story.from_dict(raw)
    try:
        msgspec.convert({"id": story.id, **story.meta.to_dict()}, StoryRecord)
    except msgspec.ValidationError as exc:
        raise StoryError(f"its metadata is malformed ({exc})") from None
    if _has_controls(story.meta.to_dict()):
        raise StoryError("its metadata holds control characters")
    return story


def _has_controls(value: Any) -> bool:
    """True if a string anywhere in `value` (nested lists and mappings, keys too) holds a control character."""
    if isinstance(value, str):
        return bool(_LINE_CONTROLS.search(value))
    if isinstance(value, Mapping):
        return any(_has_controls(k) or _has_controls(v) for k, v in value.items())
    return isinstance(value, list | tuple) and any(_has_controls(v) for v in value)


def _actor(raw: dict[str, Any]) -> Actor:
    strings = ("id", "name", "type", "note", "external_id", "created", "modified")
    aliases = raw.get("aliases", [])
    if (
        any(not isinstance(raw.get(k, ""), str) for k in strings)
        or not isinstance(raw.get("merged_into") or "", str)
        or not isinstance(aliases, list)
        or not all(isinstance(a, str) for a in aliases)
    ):
        raise AnnotationError("a field has the wrong type")
    actor = Actor.from_dict(raw)
    actor.check()
    if _CONTROLS.search(actor.note) or any(
        _LINE_CONTROLS.search(v or "") for v in (actor.id, actor.external_id, actor.merged_into)
    ):
        raise AnnotationError("its id, note, external id or merged_into holds control characters")
    return actor


def _annotation(raw: dict[str, Any]) -> Annotation:
    ann = Annotation.from_dict(raw)
    ann.check()
    if any(_CONTROLS.search(getattr(ann, k)) for k in ("exact", "prefix", "suffix", "note")) or any(
        _LINE_CONTROLS.search(getattr(ann, k) or "")
        for k in ("id", "story_id", "annotator", "cue", "created", "modified", *LINKS)
    ):
        raise AnnotationError("a field holds control characters")
    return ann


def _tombstone(raw: dict[str, Any]) -> dict[str, str]:
    tomb = {key: raw[key] for key in ("id", "story_id", "deleted")} | {"modified": raw.get("modified") or ""}
    if any(not isinstance(v, str) or _LINE_CONTROLS.search(v) for v in tomb.values()):
        raise AnnotationError("a field is not a one-line string")
    return tomb


def has_story(store: Store, story_id: str) -> bool:
    try:
        store.story_meta(story_id)
    except StoreError:
        return False
    return True


def check(store: Store, incoming: Incoming, source: str) -> None:
    """Refuse annotations and tombstones of stories in neither the file nor the library, spans that do not match
    their story's text, links to entries in neither registry, an annotation here of another story."""
    registry = store.tags.registry
    stories, actors = incoming.stories, incoming.actors
    texts: dict[str, str] = {}

    def text_of(story_id: str, what: str) -> str:
        if story_id not in texts:
            if story_id in stories:
                texts[story_id] = stories[story_id].text
            elif has_story(store, story_id):
                texts[story_id] = store.story(story_id).text
            else:
                raise MergeError(f"{what}: its story {short_id(story_id)} is neither in {source} nor in the library")
        return texts[story_id]

    for actor in actors.values():
        if actor.merged_into and actor.merged_into not in actors and actor.merged_into not in registry:
            raise MergeError(f"actor {actor.id[:8]} ({actor.name}) is merged into an entry that is nowhere")
    for ann in incoming.annotations.values():
        what = f"annotation {ann.id[:8]}"
        text = text_of(ann.story_id, what)
        if not (0 <= ann.start < ann.end <= len(text)) or not ann.matches(text):
            raise MergeError(f"{what}: its text does not match story {short_id(ann.story_id)} at {ann.start}-{ann.end}")
        for name, target in ann.links().items():
            if target not in actors and target not in registry:
                raise MergeError(f"{what}: its {name} {target[:8]} is not in the actor registry")
        here = store.annotation(ann.id)
        if here is not None and here.story_id != ann.story_id:
            raise MergeError(f"{what} belongs to story {short_id(here.story_id)} here, another story in {source}")
    for tomb in incoming.tombstones.values():
        text_of(tomb["story_id"], f"tombstone {tomb['id'][:8]}")
