"""Alerts on arriving copy: which new stories match a watched saved search or actor (`[alerts]` in the config).

A saved search matches as the library's search box would show it (`annotations.search.find`, the one rule); an
actor matches where the story's text names it: the registry's entries the name means (the lenient lookup, as the
library's `actor:` filter reads it) by their names and aliases, or the name itself when the registry has no entry
for it, found as the suggester finds names (`annotations.suggest.matcher`: whole words, any case or accent).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotations.config import AlertSettings, SavedSearch
from annotations.model import AnnotationError
from annotations.registry import Registry
from annotations.search import SearchIndex, find, parse_query
from annotations.store import Store, StoreError
from annotations.suggest.matcher import Entry, Matcher, atoms
from stories.text import clean_line

__all__ = ["Alert", "Watch"]


@dataclass(frozen=True)
class Alert:
    """A story that matched: its id, headline (one clean line) and what it matched ("search ukraine",
    "actor Ellen Voss"), each a clean line."""

    story_id: str
    headline: str
    reasons: tuple[str, ...]

    def line(self) -> str:
        """One line for a notification: the headline, then what it matched."""
        return f"{self.headline} ({'; '.join(self.reasons)})"


class Watch:
    """What `[alerts]` asks to watch, resolved against the saved searches and the registry once; `problems`: a
    clean line for each name that cannot be watched (a saved search that does not exist)."""

    def __init__(self, settings: AlertSettings, searches: Sequence[SavedSearch], registry: Registry) -> None:
        self.bell = settings.bell
        self.problems: list[str] = []
        by_name = {s.name.casefold(): s for s in searches}
        self.searches: list[SavedSearch] = []
        for name in settings.searches:
            found = by_name.get(name.casefold())
            if found is None:
                self.problems.append(f"[alerts] searches: no saved search {clean_line(name)!r} in [searches]")
            else:
                self.searches.append(found)
        entries: list[Entry] = []
        for name in settings.actors:
            entries.extend(_entries_of(name, registry))
        self.actors = Matcher(entries)

    def __bool__(self) -> bool:
        return bool(self.searches or self.actors)

    def check(self, store: Store, story_ids: Iterable[str], index: SearchIndex | None = None) -> list[Alert]:
        """The stories of `story_ids` that match (in the order given), with what each matched."""
        ids = [i for i in dict.fromkeys(story_ids) if i in store.story_ids]
        reasons: dict[str, list[str]] = {i: [] for i in ids}
        for search in self.searches:
            found = find(store, index, parse_query(search.query))
            hit = {h.story_id for h in found.hits} if found.hits is not None else None
            for story_id in ids:
                if (hit is None or story_id in hit) and (found.allows is None or found.allows(story_id)):
                    reasons[story_id].append(f"search {search.name}")
        if self.actors:
            for story_id in ids:
                reasons[story_id].extend(f"actor {name}" for name in self._actors_in(store, story_id))
        return [
            Alert(i, clean_line(store.story_meta(i).headline), tuple(clean_line(r) for r in found))
            for i, found in reasons.items()
            if found
        ]

    def _actors_in(self, store: Store, story_id: str) -> list[str]:
        """The watched actors the story's text names, each once, by the name the registry gives them."""
        try:
            text = store.story(story_id).text
        except StoreError:  # a damaged text: `wiredesk doctor` says so; no alert
            return []
        found = self.actors.find(text, atoms(text))
        return list(dict.fromkeys(e.actor for hit in found for e in hit.entries))


def _entries_of(name: str, registry: Registry) -> list[Entry]:
    """The names the matcher looks for when `name` is watched: the registry entries it means with their aliases,
    else the name itself."""
    try:
        actors = registry.lookup(name, "lenient").found
    except AnnotationError:  # nothing but control characters
        return []
    if not actors:
        return [Entry(name, name, None, "other")]
    return [
        Entry(written, actor.name, actor.id, actor.type, alias=written != actor.name)
        for actor in actors
        for written in (actor.name, *actor.aliases)
    ]
