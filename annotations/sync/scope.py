"""What a library writes when it syncs (its *scope*: its analyst's layer, the curated layer and the curation
decisions, the registry, the claim threads, the open conflicts) and its records in those files; the story a layer
or decisions file is named after."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from annotations.layers import CURATED, Layers
from annotations.model import Annotation
from annotations.store import Store
from annotations.sync.git import SyncError
from annotations.sync.records import CONFLICTS, DECISIONS, REGISTRY, THREADS, Record, folder_name, is_decisions
from stories.text import clean_line

__all__ = ["Files", "Scope", "ann_record", "decisions_path", "story_of"]

_STORY_FILE = re.compile(r"([0-9a-f]{64})\.(jsonl|json)")

#: Records by file (a path in the working copy), then by id.
Files = dict[str, dict[str, Record]]


def story_of(path: str) -> str:
    """The story id a layer, curated or decisions file is named after; SyncError for any other name."""
    found = _STORY_FILE.fullmatch(path.rsplit("/", 1)[-1])
    if found is None or found.group(2) != "jsonl":
        raise SyncError(f"the sync repository's {clean_line(path)} is not named after a story (<story id>.jsonl)")
    return found.group(1)


def decisions_path(story_id: str) -> str:
    """The file of a story's curation decisions."""
    return f"{DECISIONS}/{story_id}.jsonl"


def ann_record(ann: Annotation, annotator: str) -> Record:
    data = ann.to_dict()
    del data["prefix"], data["suffix"]  # the story's text has them
    data["annotator"] = annotator
    return data


class Scope:
    """Which files a library writes, and the library's records in them."""

    def __init__(self, store: Store, me: str, layers: Layers | None = None) -> None:
        if me == CURATED:
            raise SyncError(f'"{CURATED}" is the curated layer, not an annotator: set annotator = "…" in the config')
        self.store = store
        self.me = me
        # the config's names for your own work; never `solo` here: what others sent stays theirs
        self.layers = replace(layers, me=me).team if layers is not None else Layers(me)
        self.mine = f"layers/{folder_name(me)}/"

    def owns(self, path: str) -> bool:
        return path.startswith((self.mine, "curated/", f"{DECISIONS}/")) or path in (REGISTRY, THREADS, CONFLICTS)

    def layer_of(self, path: str) -> str:
        """The annotator whose layer a file holds (the curated layer's for the curation decisions)."""
        return CURATED if path.startswith("curated/") or is_decisions(path) else path.split("/")[1]

    def path_of(self, ann: Annotation) -> str | None:
        layer = self.layers.of(ann)
        if layer == self.me:
            return f"{self.mine}{ann.story_id}.jsonl"
        return f"curated/{ann.story_id}.jsonl" if layer == CURATED else None

    def records(self, known: Mapping[str, str]) -> Files:
        """The library's records by scope file; tombstones only of records `known` (id -> file) to be in one."""
        out: Files = {REGISTRY: {}, THREADS: {}, CONFLICTS: {}}
        for ann in self.store.iter_annotations():
            path = self.path_of(ann)
            if path is not None:
                out.setdefault(path, {})[ann.id] = ann_record(ann, self.layers.of(ann))
        for tomb in self.store.tombstones():
            path = known.get(tomb["id"])
            if path is not None and path not in (REGISTRY, THREADS) and tomb["id"] not in out.get(path, {}):
                out.setdefault(path, {})[tomb["id"]] = dict(tomb)
        for decision in self.store.all_decisions():
            out.setdefault(decisions_path(decision.story_id), {})[decision.id] = decision.to_dict()
        for tomb in self.store.decision_tombstones():
            path = known.get(tomb["id"])
            if path is not None and is_decisions(path) and tomb["id"] not in out.get(path, {}):
                out.setdefault(path, {})[tomb["id"]] = dict(tomb)
        for actor in self.store.registry().values():
            out[REGISTRY][actor.id] = actor.to_dict()
        for tomb in self.store.actor_tombstones():
            if known.get(tomb["id"]) == REGISTRY:
                out[REGISTRY][tomb["id"]] = dict(tomb)
        for thread in self.store.threads():
            out[THREADS][thread.id] = thread.to_dict()
        for thread_tomb in self.store.thread_tombstones():
            if known.get(thread_tomb.id) == THREADS:
                out[THREADS][thread_tomb.id] = thread_tomb.to_dict()
        for conflict in self.store.sync.conflicts:
            out[CONFLICTS][str(conflict["id"])] = conflict
        return out
