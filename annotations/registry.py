"""The actor registry's rules, one place for the command line and the app: which entry a typed name means
(`Registry.lookup`, strict or lenient), and what a new entry, a rename, an alias or a merge may do.

Lookup modes:

- **strict** (a name that makes a link or changes an entry: `annotate`, `edit`, `actor`): the entry's name or
  an alias (case, accents and spacing ignored), or a unique id prefix of at least 4 characters;
- **lenient** (a name that only narrows a list: `quotes --speaker`, `export --actor`, the library's filter):
  the same, else the entries having those whole words in a name (a surname alone: "Solberg").

Neither takes a near spelling ("Trmp"): it comes back as `near`, for "did you mean".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from annotations.actors import WORD_HOWS, Actor, Match, fold_name, follow_merges, rank_actors
from annotations.model import AnnotationError
from annotations.store import Store
from annotations.store.tagstore import Edit
from stories.text import clean_line

__all__ = [
    "MIN_ID_PREFIX",
    "Lookup",
    "Mode",
    "NameClash",
    "Registry",
    "actor_label",
    "edit_entry",
    "merge_edits",
    "new_entry",
    "or_list",
]

Mode = Literal["strict", "lenient"]
#: An id prefix shorter than this is read as a name.
MIN_ID_PREFIX = 4
#: How many close names "did you mean" offers, and how close a near spelling must be (rapidfuzz ratio).
NEAR_SHOWN = 3
NEAR = 80.0


def actor_label(actor: Actor) -> str:
    """`Name (type, 1a2b3c4d)`: enough to tell two entries of one name apart."""
    return f"{clean_line(actor.name)} ({actor.type}, {actor.id[:8]})"


def or_list(actors: Iterable[Actor]) -> str:
    """`"A" or "B"`: entries' names for a question."""
    return " or ".join(f'"{clean_line(a.name)}"' for a in actors)


@dataclass(frozen=True)
class Lookup:
    """What a typed name means: the entries `found` (merges followed; several if the name is ambiguous),
    `how` ("name", "id" or "words"; "" if none), and the `near` entries when none was found."""

    name: str
    found: tuple[Actor, ...] = ()
    how: str = ""
    near: tuple[Actor, ...] = ()

    @property
    def actor(self) -> Actor | None:
        """The one entry found, if exactly one was."""
        return self.found[0] if len(self.found) == 1 else None

    def problem(self) -> str:
        """Why the name does not give one entry ("" if it does), with the close names or the candidates."""
        shown = clean_line(self.name)
        if not self.found:
            hint = f"; did you mean {or_list(self.near)}?" if self.near else ""
            return f'no actor called "{shown}" in the registry{hint}'
        if len(self.found) > 1:
            listed = ", ".join(actor_label(a) for a in self.found)
            return f'"{shown}" is ambiguous: it names {listed}; give the id of the one you mean'
        return ""

    def one(self) -> Actor:
        """The one entry found; AnnotationError (see `problem`) otherwise."""
        if self.actor is None:
            raise AnnotationError(self.problem())
        return self.actor


class NameClash(AnnotationError):
    """A name or alias that another entry already answers to (two entries must not share one: merge them)."""

    def __init__(self, name: str, other: Actor) -> None:
        super().__init__(f'"{clean_line(name)}" already names {actor_label(other)}')
        self.name = name
        self.other = other


class Registry:
    """Every registry entry (merged ones included), with their names folded once for lookups."""

    def __init__(self, entries: Iterable[Actor]) -> None:
        self._by_id = {a.id: a for a in entries}
        #: The entries in use (not merged into another), by name.
        self.actors = sorted((a for a in self._by_id.values() if not a.merged_into), key=lambda a: a.name.casefold())
        self._names: dict[str, set[str]] = {}  # folded name or alias -> ids of the entries it names now
        for entry in self._by_id.values():
            canonical = self.canonical(entry.id) or entry
            for name in entry.names:
                self._names.setdefault(fold_name(name), set()).add(canonical.id)

    @classmethod
    def of(cls, store: Store) -> Registry:
        """The registry of a library as it is now."""
        return cls(store.actors(include_merged=True))

    def canonical(self, actor_id: str | None) -> Actor | None:
        """The entry an id stands for now: merges followed."""
        return follow_merges(self._by_id, actor_id)

    def rank(self, query: str, *, prefer: Iterable[str] = (), limit: int | None = None) -> list[Match]:
        """The entries in use for `query`, best first (see `rank_actors`)."""
        return rank_actors(query, self.actors, prefer=prefer, limit=len(self.actors) if limit is None else limit)

    def lookup(self, name: str, mode: Mode = "strict") -> Lookup:
        """The entries `name` means (see the module docstring for the modes). AnnotationError if the name is
        empty or holds control characters."""
        if not fold_name(name):
            raise AnnotationError("no actor name given")
        if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in name):
            raise AnnotationError(f'the actor name "{clean_line(name)}" holds control characters')
        named = self._names.get(fold_name(name))
        if named:
            return Lookup(name, self._sorted(named), "name")
        key = name.strip().lower()
        if len(key) >= MIN_ID_PREFIX and all(c in "0123456789abcdef-" for c in key):
            by_id = {c.id for i in self._by_id if i.startswith(key) if (c := self.canonical(i)) is not None}
            if by_id:
                return Lookup(name, self._sorted(by_id), "id")
        ranked = self.rank(name)
        if mode == "lenient":
            for how in WORD_HOWS:  # a surname alone first: "Kosachev" is Konstantin Kosachev before Kosachev Ivan
                words = [m.actor for m in ranked if m.how == how]
                if words:
                    return Lookup(name, tuple(words), "words")
        near = [m.actor for m in ranked if m.how != "fuzzy" or m.score >= NEAR]
        return Lookup(name, (), "", tuple(near[:NEAR_SHOWN]))

    def _sorted(self, ids: Iterable[str]) -> tuple[Actor, ...]:
        return tuple(sorted((self._by_id[i] for i in ids), key=lambda a: (a.name.casefold(), a.id)))

    def clash(self, actor: Actor | None, names: Iterable[str]) -> NameClash | None:
        """The first of `names` that another entry in use answers to (`actor`'s own names aside)."""
        own = {fold_name(n) for n in actor.names} if actor is not None else set()
        for name in names:
            folded = fold_name(name)
            if folded in own:
                continue
            other = next(
                (a for a in self._sorted(self._names.get(folded, ())) if actor is None or a.id != actor.id), None
            )
            if other is not None:
                return NameClash(name, other)
        return None


def new_entry(registry: Registry, name: str, type_: str, **fields: Any) -> Actor:
    """A new entry (not stored yet). NameClash if another entry has that name: one entry per actor."""
    if clash := registry.clash(None, [name, *fields.get("aliases", ())]):
        raise clash
    return Actor.new(name, type_, **fields)


def edit_entry(
    registry: Registry,
    actor: Actor,
    *,
    name: str | None = None,
    aliases: Sequence[str] | None = None,
    add_aliases: Sequence[str] = (),
    remove_aliases: Sequence[str] = (),
    **fields: Any,
) -> Actor:
    """`actor` with the changes made as the registry's rules say (not stored yet; equal to `actor` but for
    `modified` if nothing changes): a rename keeps the old name as an alias; `aliases` replaces the aliases,
    `add_aliases` / `remove_aliases` change them; a new name or alias another entry has is refused (NameClash),
    as is removing an alias the entry does not have."""
    current = list(actor.aliases if aliases is None else aliases)
    removed = {fold_name(a) for a in remove_aliases}
    missing = next((a for a in remove_aliases if fold_name(a) not in {fold_name(n) for n in current}), None)
    if missing is not None:
        raise AnnotationError(f'"{clean_line(missing)}" is not an alias of {clean_line(actor.name)}')
    changes: dict[str, Any] = dict(fields)
    changes["aliases"] = [a for a in current if fold_name(a) not in removed] + list(add_aliases)
    if name is not None and name != actor.name:
        changes["name"] = name
        changes["aliases"].append(actor.name)  # the old name stays, as an alias
    after = actor.edited(**changes)
    if clash := registry.clash(actor, after.names):
        raise clash
    return after


def merge_edits(source: Actor, target: Actor) -> list[Edit]:
    """The edits of merging `source` into `target`: its names become the target's aliases, and it forwards to
    the target (so links to it follow without rewriting any annotation)."""
    if source.id == target.id:
        raise AnnotationError(f"{clean_line(source.name)} is already {clean_line(target.name)}")
    merged = target.edited(aliases=(*target.aliases, *source.names))
    return [(source, source.edited(merged_into=target.id)), (target, merged)]
