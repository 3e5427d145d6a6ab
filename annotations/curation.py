"""Curation of a story version: what the annotators agree on goes into the `curated` layer by itself; the rest is
listed, each item with who said what, for the curator to accept one annotator's version (as it is, or edited) or
to reject. Every decision is one undoable step, remembered (`annotations.store.decisions`) so it is not listed
again; a story is curated when nothing is left to decide.

An *item* is a kind and an exact span that at least one annotator's layer (`annotations.layers`; not `curated`)
has. It is *agreed* when, under the policy, annotators have it with equal attributes (speaker, form and cue of a
quote; the entry of an actor mention; claimant and status of a claim; links compared as the entries they stand for
now): `all`, every annotator of the story, or `majority`, more than half of them; at least two in either case (one
annotator's layer is not an agreement). Notes are not compared; the curated copy keeps its version's note.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotations.actors import Actor
from annotations.config import ConfigError, config_path
from annotations.history import DuplicateAnnotation, History, existing_annotation
from annotations.layers import CURATED, Layers
from annotations.model import FIELDS_OF_KIND, LINKS, Annotation, AnnotationError, now_iso, quoted
from annotations.store import Store
from annotations.store.decisions import Decision, decision_id
from annotations.store.tagstore import Edit
from stories.text import clean_line

__all__ = [
    "POLICIES",
    "Item",
    "StoryCuration",
    "Version",
    "accept",
    "check_curatable",
    "curated_copy",
    "curation_policy",
    "find_item",
    "reject",
    "start",
    "state",
    "version_fields",
    "version_line",
]

#: How many annotators must agree for an item to go into `curated` by itself: every one, or more than half.
POLICIES = ("all", "majority")


def curation_policy(config: Mapping[str, Any] | None = None) -> str:
    """The config's `curation` ("all", the default, or "majority"); ConfigError for anything else."""
    value = (config or {}).get("curation", "all")
    if value not in POLICIES:
        shown = clean_line(str(value))[:40]
        raise ConfigError(f'{config_path()}: curation must be "all" or "majority", not {shown!r}')
    return str(value)


@dataclass(frozen=True)
class Version:
    """One annotator's annotation of an item."""

    annotator: str
    annotation: Annotation


@dataclass(frozen=True)
class Item:
    """A kind and span of a story version that annotators tagged: `versions`, one per annotator who has it (by
    name), and `missing`, the story's annotators with nothing there. `agreed`: the version agreed on under the
    policy, if any. `id`: the id of its decision (`annotations.store.decisions.decision_id`)."""

    id: str
    versions: tuple[Version, ...]
    missing: tuple[str, ...]
    story_id: str
    kind: str
    start: int
    end: int
    exact: str
    agreed: Version | None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.kind, self.start, self.end)

    @property
    def short_id(self) -> str:
        return self.id[:8]

    def version(self, annotator: str) -> Version:
        """The version of `annotator`; AnnotationError naming those who have one if they have none."""
        for version in self.versions:
            if version.annotator == annotator:
                return version
        who = ", ".join(clean_line(v.annotator) for v in self.versions)
        raise AnnotationError(f"{clean_line(annotator)!r} has no {self.kind} there (those who have: {who})")

    def describe(self) -> str:
        """One terminal-safe line: kind, span and text."""
        return f"{self.kind} {self.start}-{self.end} {quoted(self.exact, 60)}"


@dataclass(frozen=True)
class StoryCuration:
    """Where curation of a story version stands: `annotators` (their layers in it, by name), `agreed` items not in
    `curated` yet (`start` copies them), `open` items left to decide, `decided` (how many are settled)."""

    story_id: str
    policy: str
    annotators: tuple[str, ...]
    agreed: tuple[Item, ...]
    open: tuple[Item, ...]
    decided: int

    @property
    def curated(self) -> bool:
        """Curated: something was tagged, and nothing is left to merge or decide."""
        return bool(self.decided) and not self.agreed and not self.open


def _signature(store: Store, ann: Annotation) -> tuple[object, ...]:
    """What must be equal for two annotators to agree on an annotation: its kind's fields, links as the entries
    they stand for now (a merged entry compares as the one it was merged into), the cue's spacing ignored."""
    values: list[object] = []
    for name in FIELDS_OF_KIND.get(ann.kind, ()):
        value = getattr(ann, name)
        if name in LINKS and value:
            entry = store.actor(value)
            value = entry.id if entry is not None else value
        elif name == "cue":
            value = " ".join(str(value or "").split()).casefold()
        values.append(value)
    return tuple(values)


def _agreed(store: Store, versions: Sequence[Version], annotators: int, policy: str) -> Version | None:
    """The version agreed on by enough annotators under `policy`, or None."""
    groups: dict[tuple[object, ...], list[Version]] = {}
    for version in versions:
        groups.setdefault(_signature(store, version.annotation), []).append(version)
    best = max(groups.values(), key=len, default=[])
    needed = annotators if policy == "all" else annotators // 2 + 1
    return best[0] if len(best) >= max(2, needed) else None


def state(store: Store, story_id: str, layers: Layers, policy: str = "all") -> StoryCuration:
    """Where curation of the story version stands (nothing is written)."""
    if policy not in POLICIES:
        raise AnnotationError(f"unknown curation policy {policy!r} (use {', '.join(POLICIES)})")
    anns = store.annotations(story_id)
    in_curated = {(a.kind, a.start, a.end) for a in anns if a.annotator == CURATED}
    by_key: dict[tuple[str, int, int], dict[str, Annotation]] = {}
    for ann in sorted(anns, key=lambda a: a.id):  # the first id of a layer, should it have two of one span
        layer = layers.of(ann)
        if layer != CURATED:
            by_key.setdefault((ann.kind, ann.start, ann.end), {}).setdefault(layer, ann)
    names = tuple(sorted({n for found in by_key.values() for n in found}, key=str.casefold))
    decisions = {d.key for d in store.decisions(story_id)}
    agreed: list[Item] = []
    open_: list[Item] = []
    decided = 0
    for key in sorted(by_key, key=lambda k: (k[1], -k[2], k[0])):
        if key in decisions or key in in_curated:
            decided += 1
            continue
        found = by_key[key]
        versions = tuple(Version(name, found[name]) for name in names if name in found)
        missing = tuple(name for name in names if name not in found)
        kind, start, end = key
        first = versions[0].annotation
        chosen = _agreed(store, versions, len(names), policy)
        item_id = decision_id(story_id, kind, start, end)
        item = Item(item_id, versions, missing, story_id, kind, start, end, first.exact, chosen)
        (agreed if chosen is not None else open_).append(item)
    return StoryCuration(story_id, policy, names, tuple(agreed), tuple(open_), decided)


def curated_copy(ann: Annotation) -> Annotation:
    """`ann` as a new annotation of the curated layer: a new id and dates, its links and note kept."""
    stamp = now_iso()
    return dataclasses.replace(
        ann, id=str(uuid.uuid4()), annotator=CURATED, created=stamp, modified=stamp, carried=None
    )


def _decision(item: Item, decision: str, source: str, curated: str) -> Decision:
    return Decision.new(item.story_id, item.kind, item.start, item.end, item.exact, decision, source, curated)


def check_curatable(found: StoryCuration) -> None:
    """AnnotationError (one line) when the story has fewer than two annotators' layers: curation settles their
    differences, and one analyst's tags have nothing to be settled against."""
    if len(found.annotators) >= 2:
        return
    whose = f"only {clean_line(found.annotators[0])}'s layer" if found.annotators else "no annotator's layer"
    raise AnnotationError(
        f"nothing to curate: this story has {whose}; curation settles the differences of two or more annotators "
        "(their layers arrive by `wiredesk sync` or `wiredesk merge`)"
    )


def start(history: History, story_id: str, layers: Layers, policy: str = "all") -> list[Annotation]:
    """Begin (or go on with) curating a story version: copy every agreed item not yet settled into `curated`, in
    one undoable step; what was copied (nothing the second time: each is copied once). AnnotationError when there
    is nothing to curate (`check_curatable`)."""
    found = state(history.store, story_id, layers, policy)
    check_curatable(found)
    copies: list[Annotation] = []
    edits: list[Edit] = []
    for item in found.agreed:
        assert item.agreed is not None
        copy = curated_copy(item.agreed.annotation)
        agreeing = [v.annotator for v in item.versions if _same(history.store, v, item.agreed)]
        copies.append(copy)
        edits += [(None, copy), (None, _decision(item, "agreed", ",".join(agreeing), copy.id))]
    if edits:
        count = len(copies)
        history.do(edits, f"curate {count} agreed annotation{'s' if count != 1 else ''}")
    return copies


def _same(store: Store, version: Version, other: Version) -> bool:
    return _signature(store, version.annotation) == _signature(store, other.annotation)


def find_item(items: Sequence[Item], ref: str) -> Item:
    """The item whose id starts with `ref` (a unique prefix); AnnotationError if none or several."""
    key = ref.strip().lower()
    matches = [i for i in items if key and i.id.startswith(key)]
    shown = clean_line(ref)
    if not matches:
        raise AnnotationError(f'no open curation item "{shown}" in this story (list them with `wiredesk curate`)')
    if len(matches) > 1:
        raise AnnotationError(f'curation item "{shown}" is ambiguous: {len(matches)} start with it; give more of it')
    return matches[0]


def _still_open(store: Store, item: Item) -> None:
    if store.decision(item.id) is not None or any(
        a.annotator == CURATED and (a.kind, a.start, a.end) == item.key for a in store.annotations(item.story_id)
    ):
        raise AnnotationError(f"{item.describe()} is settled already")


def accept(
    history: History,
    item: Item,
    annotator: str,
    *,
    edited: Annotation | None = None,
    new_actors: tuple[Actor, ...] = (),
) -> Annotation:
    """Copy `annotator`'s version of the item into `curated` (or `edited`, that version as the curator changed it
    in the annotation form, with the new registry entries it links to); one undoable step."""
    store = history.store
    _still_open(store, item)
    version = item.version(annotator)
    made = curated_copy(version.annotation) if edited is None else dataclasses.replace(edited, annotator=CURATED)
    made.check()
    if made.story_id != item.story_id:
        raise AnnotationError("an edited version must stay in its story")
    if (there := existing_annotation(store, made)) is not None:
        raise DuplicateAnnotation(there)
    was = version.annotation
    how = "accepted" if edited is None or _as_copied(store, made) == _as_copied(store, was) else "edited"
    decision = _decision(item, how, version.annotator, made.id)
    edits: list[Edit] = [*((None, a) for a in new_actors), (None, made), (None, decision)]
    history.do(edits, f"curate {item.kind}: {how} {clean_line(version.annotator)}'s")
    return made


def _as_copied(store: Store, ann: Annotation) -> tuple[object, ...]:
    """What curation copies of an annotation: its kind, span, kind's fields and note."""
    return (ann.kind, ann.start, ann.end, ann.note, *_signature(store, ann))


def reject(history: History, item: Item) -> Decision:
    """Reject the item: nothing goes into `curated`, and it is not listed again (undo brings it back)."""
    _still_open(history.store, item)
    decision = _decision(item, "rejected", "", "")
    history.do([(None, decision)], f"curate {item.kind}: reject")
    return decision


def version_line(store: Store, ann: Annotation) -> str:
    """What one annotator said of an item, on one terminal-safe line: its kind's fields, links by name."""
    parts: list[str] = []
    for name in FIELDS_OF_KIND.get(ann.kind, ()):
        value = getattr(ann, name)
        if name in LINKS:
            entry = store.actor(value) if value else None
            label = "entry" if name == "actor" else name
            parts.append(f"{label} {entry.name if entry else value}" if value else f"no {label}")
        elif name == "cue":
            if value:
                parts.append(f"cue {quoted(value, 30)}")
        elif value:
            parts.append(str(value))
    if ann.note:
        parts.append(f"note {quoted(ann.note, 30)}")
    return clean_line(", ".join(parts) or ann.kind)


def version_fields(store: Store, ann: Annotation) -> dict[str, Any]:
    """The version's fields for JSON: its annotation id, its kind's fields (links as ids and names), its note."""
    record: dict[str, Any] = {"annotation": ann.id}
    for name in FIELDS_OF_KIND.get(ann.kind, ()):
        value = getattr(ann, name)
        record[name] = value
        if name in LINKS:
            entry = store.actor(value) if value else None
            record[f"{name}_name"] = entry.name if entry else None
    record["note"] = ann.note
    return record
