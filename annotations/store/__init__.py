"""The library on disk: TinyDB files behind one `Store` facade (stories, texts, annotations, the registry).

Everything outside this package reads and writes the library through `Store` only. Imports `stories` and the
annotation model (`annotations.model`, `annotations.actors`, `annotations.threads`), nothing from the rest of
`annotations/`.
"""

from annotations.store.library import (
    ANNOTATIONS_FILE,
    STORIES_FILE,
    LoadCancelled,
    ReadOnlyError,
    Store,
    StoreError,
    StoreLockedError,
    StoryEntry,
)
from annotations.store.lock import SourcesLock

__all__ = [
    "ANNOTATIONS_FILE",
    "STORIES_FILE",
    "LoadCancelled",
    "ReadOnlyError",
    "SourcesLock",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoryEntry",
]
