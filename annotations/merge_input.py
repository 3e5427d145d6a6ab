"""Reading a wiredesk JSON export (`annotations.exports.json`, format 2) for a merge: a file from elsewhere is
input, so every field of it is checked and normalised as an import would be.

`read_export` reads a file (a regular file of sane size) and checks its format version. `parse` turns its lists
into stories, registry entries, annotations, tombstones, claim threads and their tombstones by id, each field
checked on its own: ids must be ids (a UUID or a hex digest, lower-cased; a story's the SHA-256 of its text), dates
ISO 8601 (written as import writes them), numbers whole and in range, words from their vocabulary, free text
cleaned by `clean_line` / `clean_text` as import cleans it. A story's text is what its id is the hash of: it is
not cleaned but must already be as import makes it. `check` checks the items against the library (stories known,
spans matching their story's text, links to entries that exist) and takes each annotation's context from its
story's text.

Each raises MergeError with one line naming the first problem; a value from the file is cleaned and shortened
before it is shown (`shown`). None of them writes anything.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from annotations.actors import ACTOR_TYPES, Actor, fold_name
from annotations.model import CONTEXT, FORMS, KINDS, STATUSES, Annotation, AnnotationError, Carried
from annotations.store import Store, StoreError
from annotations.threads import THREAD_STATUSES, Member, Thread, ThreadTombstone
from stories.dates import iso_date
from stories.model import BLOCK_KINDS, Block, Story, StoryError, StoryMeta, short_id
from stories.text import clean_line, clean_text

__all__ = ["FORMAT_VERSION", "MAX_BYTES", "Incoming", "MergeError", "check", "has_story", "parse", "read_export"]

#: The export format version a merge reads (`annotations.exports.json.FORMAT_VERSION`).
FORMAT_VERSION = 2
#: The largest file a merge reads (an export of 200,000 annotations and their stories is ~150 MB).
MAX_BYTES = 1 << 30
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HEX = re.compile(r"[0-9a-f]{16,128}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ISO_START = re.compile(r"\d{4}", re.ASCII)
_MAX_INT = 2**31 - 1  # offsets, block positions, versions
_MAX_DEPTH = 16  # nesting of a story's `extra` metadata
T = TypeVar("T")


class MergeError(ValueError):
    """A file that cannot be merged; the message is one line, fit for the user."""


def shown(value: object, limit: int = 40) -> str:
    """A value from the file as a message may show it: text quoted, cleaned and shortened; else what it is."""
    if isinstance(value, str):
        text = clean_line(value[: limit * 4])
        return f"“{text[:limit]}…”" if len(text) > limit or len(value) > limit * 4 else f"“{text}”"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() < 50 else "a number of hundreds of digits"
    if isinstance(value, float):
        return repr(value)
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else type(value).__name__


# --- the file ------------------------------------------------------------------------------------------------


def read_export(path: Path) -> dict[str, Any]:
    """The export in `path`, parsed, its format version checked. Raises MergeError."""
    name = clean_line(path.name)  # a file's name is no safer to print than its contents
    raw = _read(path, name)
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant, parse_float=_finite)
    except UnicodeDecodeError:
        raise MergeError(f"{name} is not UTF-8 text, so not a wiredesk JSON export") from None
    except json.JSONDecodeError as exc:
        raise MergeError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise MergeError(f"{name} is nested too deeply to be a wiredesk JSON export") from None
    except ValueError:  # an integer of over 4,300 digits, NaN, Infinity, 1e999
        raise MergeError(f"{name} holds a number no wiredesk export holds (too long, or not finite)") from None
    if not isinstance(data, dict) or "wiredesk_export" not in data:
        raise MergeError(f"{name} is not a wiredesk JSON export (no wiredesk_export version)")
    version = data["wiredesk_export"]
    if type(version) is not int or version != FORMAT_VERSION:
        raise MergeError(
            f"{name} is a wiredesk export of format version {shown(version)}; this wiredesk merges version "
            f"{FORMAT_VERSION} (export it again with `wiredesk export --format json`)"
        )
    for key in ("actors", "stories", "annotations", "deleted", "threads", "deleted_threads"):
        if not isinstance(data.setdefault(key, []), list):
            raise MergeError(f"{name}: {key} is {shown(data[key])}, not a list")
    return data


def _read(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES (a FIFO or a device is refused, never waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise MergeError(f"cannot read {clean_line(str(path))}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise MergeError(f"{name} is not a regular file, so not a wiredesk JSON export")
        try:
            data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise MergeError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise MergeError(f"{name} is over {MAX_BYTES >> 20:,} MB, larger than any export this wiredesk merges")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


# --- values --------------------------------------------------------------------------------------------------


class _Bad(Exception):
    """A value that is not what its field holds; the message completes "its FIELD …"."""


_REQUIRED: Any = object()


def _field(raw: Mapping[str, Any], key: str, read: Callable[[Any], T], default: T = _REQUIRED) -> T:
    """Field `key` of a record, read by `read`; a missing (or null) optional field gives `default`."""
    value = raw.get(key)
    if value is None and default is not _REQUIRED:
        return default
    if key not in raw:
        raise AnnotationError(f"it lacks {key}")
    try:
        return read(value)
    except _Bad as exc:
        raise AnnotationError(f"its {key} {exc}") from None


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad(f"is {shown(value)}, not text")
    return value


def _line(value: Any) -> str:
    return clean_line(_string(value))


def _optional_line(value: Any) -> str | None:
    return clean_line(_string(value)) or None


def _text(value: Any) -> str:
    return clean_text(_string(value)).strip()


def _lines(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Bad(f"is {shown(value)}, not a list")
    return tuple(line for line in (_line(item) for item in value) if line)


def _an_id(value: Any) -> str:
    text = _string(value).lower()
    if not (_UUID.fullmatch(text) or _HEX.fullmatch(text)):
        raise _Bad(f"{shown(value)} is not an id (a UUID or a hex digest)")
    return text


def _link(value: Any) -> str | None:
    return None if value == "" else _an_id(value)


def _story_id(value: Any) -> str:
    text = _string(value).lower()
    if not _SHA256.fullmatch(text):
        raise _Bad(f"{shown(value)} is not a story id (the SHA-256 of its text, 64 hex digits)")
    return text


def _date(value: Any) -> str:
    text = _string(value)
    try:
        if len(text) > 64 or not _ISO_START.match(text):
            raise ValueError(text)
        datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{shown(value)} is not an ISO 8601 date") from None
    normal = iso_date(text)
    if normal is None:
        raise _Bad(f"{shown(value)} is not an ISO 8601 date")
    return normal


def _date_or_empty(value: Any) -> str:
    return "" if value == "" else _date(value)


def _optional_date(value: Any) -> str | None:
    return None if value == "" else _date(value)


def _count(value: Any) -> int:
    if type(value) is not int:
        raise _Bad(f"is {shown(value)}, not a whole number")
    if not 0 <= value <= _MAX_INT:
        raise _Bad(f"is {shown(value)}, out of range")
    return value


def _positive(value: Any) -> int:
    if _count(value) == 0:
        raise _Bad("is 0, not a version number")
    return int(value)


def _one_of(words: tuple[str, ...], *, optional: bool = False) -> Callable[[Any], Any]:
    def read(value: Any) -> str | None:
        if optional and value == "":
            return None
        if not isinstance(value, str):
            raise _Bad(f"is {shown(value)}, not one of {', '.join(words)}")
        if value not in words:
            raise _Bad(f"{shown(value)} is not one of {', '.join(words)}")
        return value

    return read


def _extra(value: Any, depth: int = 0) -> Any:
    """Format-specific metadata, cleaned as import cleans it: every string one clean line, empty ones dropped."""
    if depth > _MAX_DEPTH:
        raise _Bad(f"is nested over {_MAX_DEPTH} levels deep")
    if depth == 0 and not isinstance(value, dict):
        raise _Bad(f"is {shown(value)}, not an object")
    if isinstance(value, str):
        return clean_line(value) or None
    if isinstance(value, list):
        return [v for v in (_extra(x, depth + 1) for x in value) if v not in (None, "", [], {})]
    if isinstance(value, dict):
        return {clean_line(k): _extra(v, depth + 1) for k, v in value.items()}
    return value  # a number, true, false or null


def _blocks(value: Any) -> tuple[Block, ...]:
    if not isinstance(value, list):
        raise _Bad(f"is {shown(value)}, not a list")
    found = []
    for i, raw in enumerate(value, 1):
        if not isinstance(raw, dict):
            raise _Bad(f"#{i} is {shown(raw)}, not a block")
        try:
            kind = _field(raw, "kind", _one_of(BLOCK_KINDS))
            found.append(Block(kind, _field(raw, "start", _count), _field(raw, "end", _count)))
        except AnnotationError as exc:
            raise _Bad(f"#{i}: {exc}") from None
    return tuple(found)


# --- records -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """The contents of an export, each by id, in file order."""

    stories: dict[str, Story]
    actors: dict[str, Actor]
    annotations: dict[str, Annotation]
    tombstones: dict[str, dict[str, str]]  # id, story_id, deleted, modified
    threads: dict[str, Thread] = dataclasses.field(default_factory=dict)
    thread_tombstones: dict[str, ThreadTombstone] = dataclasses.field(default_factory=dict)


def parse(data: Mapping[str, Any]) -> Incoming:
    """The items of an export (from `read_export`), each checked and normalised on its own."""
    return Incoming(
        _items(data, "stories", "story", _story),
        _items(data, "actors", "actor", _actor),
        _items(data, "annotations", "annotation", _annotation),
        _items(data, "deleted", "tombstone", _tombstone),
        _items(data, "threads", "claim thread", _thread) if "threads" in data else {},
        _items(data, "deleted_threads", "thread tombstone", _thread_tombstone) if "deleted_threads" in data else {},
    )


def _items(data: Mapping[str, Any], key: str, what: str, read: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """The items of list `key` by id; MergeError names the first bad one."""
    out: dict[str, Any] = {}
    for i, raw in enumerate(data[key], 1):
        if not isinstance(raw, dict):
            raise MergeError(f"{what} #{i} is {shown(raw)}, not a record")
        try:
            ident = _field(raw, "id", _story_id if key == "stories" else _an_id)
        except AnnotationError as exc:
            raise MergeError(f"{what} #{i}: {exc}") from None
        label = f"{what} {ident[:8]}"
        try:
            item = read(raw)
        except (StoryError, AnnotationError) as exc:
            raise MergeError(f"{label}: {exc}") from None
        if ident in out:
            raise MergeError(f"{label} appears twice")
        out[ident] = item
    return out


def _story(raw: dict[str, Any]) -> Story:
    meta = StoryMeta(
        headline=_field(raw, "headline", _line),
        section=_field(raw, "section", _optional_line, None),
        agency=_field(raw, "agency", _optional_line, None),
        authors=_field(raw, "authors", _lines, ()),
        dateline=_field(raw, "dateline", _optional_line, None),
        created=_field(raw, "created", _optional_date, None),
        updated=_field(raw, "updated", _optional_date, None),
        source=_field(raw, "source", _optional_line, None),
        format=_field(raw, "format", _optional_line, None) or "text",
        wire_id=_field(raw, "wire_id", _optional_line, None),
        version=_field(raw, "version", _positive, None),
        language=_field(raw, "language", _optional_line, None),
        slug=_field(raw, "slug", _optional_line, None),
        subjects=_field(raw, "subjects", _lines, ()),
        link=_field(raw, "link", _optional_line, None),
        extra=_field(raw, "extra", _extra, {}),
    )
    story = Story.create(_field(raw, "text", _string), _field(raw, "blocks", _blocks), meta)
    if story.id != _field(raw, "id", _story_id):
        raise StoryError("its text no longer matches its id")
    if not _as_imported(story):
        raise StoryError("its text is not as wiredesk imports text (it holds characters or spacing import removes)")
    return story


def _as_imported(story: Story) -> bool:
    """True if the text is as `StoryBuilder` makes it: clean blocks, joined by a blank line or (inline) a space."""
    text, pos = story.text, 0
    for block in story.blocks:
        gap = text[pos : block.start]
        if gap not in (("",) if pos == 0 else ("\n\n", " ")):
            return False
        piece = text[block.start : block.end]
        if not piece or clean_line(piece) != piece:
            return False
        pos = block.end
    return pos == len(text)


def _actor(raw: dict[str, Any]) -> Actor:
    name = _field(raw, "name", _line)
    if not name:
        raise AnnotationError("its name is empty")
    seen, aliases = {fold_name(name)}, list[str]()
    for alias in _field(
        raw, "aliases", _lines, tuple[str, ...]()
    ):  # a name is never its own alias, nor two aliases one
        if fold_name(alias) not in seen:
            seen.add(fold_name(alias))
            aliases.append(alias)
    return Actor(
        id=_field(raw, "id", _an_id),
        name=name,
        type=_field(raw, "type", _one_of(ACTOR_TYPES), "other"),
        aliases=tuple(aliases),
        note=_field(raw, "note", _text, ""),
        external_id=_field(raw, "external_id", _line, ""),
        merged_into=_field(raw, "merged_into", _link, None),
        created=_field(raw, "created", _date_or_empty, ""),
        modified=_field(raw, "modified", _date_or_empty, ""),
    )


def _annotation(raw: dict[str, Any]) -> Annotation:
    ann = Annotation(
        id=_field(raw, "id", _an_id),
        story_id=_field(raw, "story_id", _story_id),
        kind=_field(raw, "kind", _one_of(KINDS)),
        start=_field(raw, "start", _count),
        end=_field(raw, "end", _count),
        exact=_field(raw, "exact", _string),
        prefix="",  # taken from the story's text by `check`
        suffix="",
        note=_field(raw, "note", _text, ""),
        annotator=_field(raw, "annotator", _line, ""),
        created=_field(raw, "created", _date),
        modified=_field(raw, "modified", _date),
        speaker=_field(raw, "speaker", _link, None),
        form=_field(raw, "form", _one_of(FORMS, optional=True), None),
        cue=_field(raw, "cue", _line, ""),
        actor=_field(raw, "actor", _link, None),
        claimant=_field(raw, "claimant", _link, None),
        status=_field(raw, "status", _one_of(STATUSES, optional=True), None),
        carried=_field(raw, "carried", _carried, None),
    )
    for key in ("prefix", "suffix"):
        _field(raw, key, _string, "")
    if ann.start >= ann.end:
        raise AnnotationError(f"its span {ann.start}-{ann.end} is empty")
    ann.check()
    return ann


def _carried(value: Any) -> Carried | None:
    """Where an annotation was carried from (None: made on its version); text fields made terminal-safe."""
    if value is None:
        return None
    made = Carried.from_dict(value)
    return replace(made, origin=_an_id(made.origin), source=_story_id(made.source), was=clean_text(made.was))


def _tombstone(raw: dict[str, Any]) -> dict[str, str]:
    return {
        "id": _field(raw, "id", _an_id),
        "story_id": _field(raw, "story_id", _story_id),
        "deleted": _field(raw, "deleted", _date),
        "modified": _field(raw, "modified", _date_or_empty, ""),
    }


def _members(value: Any) -> tuple[Member, ...]:
    if not isinstance(value, list):
        raise _Bad(f"is {shown(value)}, not a list")
    found = []
    for i, raw in enumerate(value, 1):
        if not isinstance(raw, dict):
            raise _Bad(f"#{i} is {shown(raw)}, not a member")
        try:
            found.append(
                Member(
                    _field(raw, "annotation", _an_id),
                    _field(raw, "status", _one_of(THREAD_STATUSES)),
                    _field(raw, "linked", _date),
                )
            )
        except AnnotationError as exc:
            raise _Bad(f"#{i}: {exc}") from None
    return tuple(found)


def _unlinked(value: Any) -> tuple[tuple[str, str], ...]:
    """A thread's claims taken out of it: {claim id: when}."""
    if not isinstance(value, dict):
        raise _Bad(f"is {shown(value)}, not an object of claim ids and dates")
    found = []
    for key, when in value.items():
        try:
            ann_id = _an_id(key)
        except _Bad:
            raise _Bad(f"names {shown(key)}, not a claim id") from None
        try:
            found.append((ann_id, _date(when)))
        except _Bad as exc:
            raise _Bad(f"date of claim {ann_id[:8]}: {exc}") from None
    return tuple(found)


def _ids(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Bad(f"is {shown(value)}, not a list")
    found = []
    for i, item in enumerate(value, 1):
        try:
            found.append(_an_id(item))
        except _Bad as exc:
            raise _Bad(f"#{i}: {exc}") from None
    return tuple(found)


def _thread(raw: dict[str, Any]) -> Thread:
    title = _field(raw, "title", _line)
    if not title:
        raise AnnotationError("its title is empty")
    made = Thread(
        id=_field(raw, "id", _an_id),
        title=title,
        members=_field(raw, "members", _members),
        created=_field(raw, "created", _date),
        modified=_field(raw, "modified", _date),
        unlinked=_field(raw, "unlinked", _unlinked, ()),
    )
    made.check()  # a title, a member, each claim once
    return Thread.from_dict(made.to_dict())  # the title cut as the app cuts it


def _thread_tombstone(raw: dict[str, Any]) -> ThreadTombstone:
    return ThreadTombstone(
        id=_field(raw, "id", _an_id),
        deleted=_field(raw, "deleted", _date),
        modified=_field(raw, "modified", _date_or_empty, ""),
        claims=_field(raw, "claims", _ids, ()),
    )


# --- against the library -------------------------------------------------------------------------------------


def has_story(store: Store, story_id: str) -> bool:
    try:
        store.story_meta(story_id)
    except StoreError:
        return False
    return True


def check(store: Store, incoming: Incoming, source: str) -> Incoming:
    """`incoming` with each annotation's context taken from its story's text. Refuses annotations and tombstones
    of stories in neither the file nor the library, spans that do not match their story's text, links to
    entries in neither registry, an annotation here of another story."""
    registry = store.registry()
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
    annotations = {}
    for ann in incoming.annotations.values():
        what = f"annotation {ann.id[:8]}"
        text = text_of(ann.story_id, what)
        if ann.end > len(text):
            raise MergeError(f"{what}: its span {ann.start}-{ann.end} is outside story {short_id(ann.story_id)}")
        if not ann.matches(text):
            raise MergeError(f"{what}: its text does not match story {short_id(ann.story_id)} at {ann.start}-{ann.end}")
        for name, target in ann.links().items():
            if target not in actors and target not in registry:
                raise MergeError(f"{what}: its {name} {target[:8]} is not in the actor registry")
        here = store.annotation(ann.id)
        if here is not None and here.story_id != ann.story_id:
            raise MergeError(f"{what} belongs to story {short_id(here.story_id)} here, another story in {source}")
        prefix, suffix = text[max(0, ann.start - CONTEXT) : ann.start], text[ann.end : ann.end + CONTEXT]
        annotations[ann.id] = replace(ann, prefix=prefix, suffix=suffix)
    for tomb in incoming.tombstones.values():
        text_of(tomb["story_id"], f"tombstone {tomb['id'][:8]}")
    for thread in incoming.threads.values():
        for member in thread.members:
            claim = annotations.get(member.annotation) or store.annotation(member.annotation)
            if claim is None and member.annotation not in incoming.tombstones:
                raise MergeError(
                    f"claim thread {thread.id[:8]}: its claim {member.annotation[:8]} is neither in {source} nor in "
                    "the library"
                )
            if claim is not None and claim.kind != "claim":
                raise MergeError(f"claim thread {thread.id[:8]}: annotation {member.annotation[:8]} is not a claim")
    return replace(incoming, annotations=annotations)
