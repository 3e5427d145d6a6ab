"""The actor registry: one entry per real-world actor across the library, and finding the right one.

Entries are linked from annotations by id (`speaker`, `actor`, `claimant`). A merged entry keeps its id and
forwards to the entry it was merged into, so links made to it follow without rewriting any annotation, and
undoing the merge is one change.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from annotations.model import AnnotationError, now_iso

__all__ = ["ACTOR_TYPES", "Actor", "Match", "fold_name", "rank_actors"]

ACTOR_TYPES = ("person", "organisation", "government", "country", "place", "group", "other")


def fold_name(name: str) -> str:
    """A name folded for matching: case, accents and spacing ignored ("Nicolás  MADURO" == "nicolas maduro")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class Actor:
    """A registry entry: canonical name, type, aliases, note, external id (e.g. a Wikidata QID)."""

    id: str
    name: str
    type: str = "other"
    aliases: tuple[str, ...] = ()
    note: str = ""
    external_id: str = ""
    merged_into: str | None = None
    created: str = ""
    modified: str = ""

    @classmethod
    def new(cls, name: str, type: str = "other", **fields: Any) -> Actor:
        stamp = now_iso()
        name = " ".join(name.split())
        if "aliases" in fields:
            fields["aliases"] = _unique(fields["aliases"], exclude=name)
        actor = cls(id=str(uuid.uuid4()), name=name, type=type, created=stamp, modified=stamp, **fields)
        actor.check()
        return actor

    def edited(self, **changes: Any) -> Actor:
        """A copy with `changes` and `modified` set to now."""
        if "name" in changes:
            changes["name"] = " ".join(str(changes["name"]).split())
        if "aliases" in changes or "name" in changes:  # a name is never its own alias, nor two aliases one
            changes["aliases"] = _unique(changes.get("aliases", self.aliases), exclude=changes.get("name", self.name))
        updated = replace(self, **changes, modified=now_iso())
        updated.check()
        return updated

    def check(self) -> None:
        if not self.name:
            raise AnnotationError("an actor needs a name")
        if any(unicodedata.category(c) == "Cc" for n in self.names for c in n):
            raise AnnotationError(f"the actor name {self.name!r} or an alias of it holds control characters")
        if self.type not in ACTOR_TYPES:
            raise AnnotationError(f"unknown actor type {self.type!r} (use {', '.join(ACTOR_TYPES)})")

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["aliases"] = list(self.aliases)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Actor:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        values["aliases"] = tuple(values.get("aliases") or ())
        return cls(**values)


def _unique(names: Iterable[str], exclude: str = "") -> tuple[str, ...]:
    seen = {fold_name(exclude)} if exclude else set()
    out = []
    for name in names:
        name = " ".join(name.split())
        if name and fold_name(name) not in seen:
            seen.add(fold_name(name))
            out.append(name)
    return tuple(out)


@dataclass(frozen=True)
class Match:
    """A registry entry found for a query, how (exact, alias, fuzzy) and how well (0–100)."""

    actor: Actor
    how: str
    score: float
    preferred: bool = field(default=False)


def rank_actors(query: str, actors: Iterable[Actor], *, prefer: Iterable[str] = (), limit: int = 20) -> list[Match]:
    """Registry entries for `query`, best first: exact name, then alias, then fuzzy (rapidfuzz). Entries in
    `prefer` (e.g. actors tagged in this story) rank first among equals. An empty query lists everything."""
    from rapidfuzz import fuzz

    wanted = fold_name(query)
    preferred = set(prefer)
    found = []
    for actor in actors:
        folded = [fold_name(n) for n in actor.names]
        if not wanted:
            how, score = "all", 50.0
        elif folded[0] == wanted:
            how, score = "exact", 100.0
        elif wanted in folded[1:]:
            how, score = "alias", 99.0
        else:
            score = max(
                max(fuzz.WRatio(wanted, n) for n in folded),
                95.0 if any(n.split() and n.split()[-1] == wanted for n in folded) else 0.0,  # a surname alone
            )
            if score < 60:
                continue
            how = "fuzzy"
        found.append(Match(actor, how, score, actor.id in preferred))
    found.sort(key=lambda m: (-m.score, not m.preferred, m.actor.name.casefold()))
    if not wanted:
        found.sort(key=lambda m: (not m.preferred, m.actor.name.casefold()))
    return found[:limit]
