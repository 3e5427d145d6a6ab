"""The actor registry's entries: one per real-world actor across the library, and how a typed name matches one.

Entries are linked from annotations by id (`speaker`, `actor`, `claimant`). A merged entry keeps its id and
forwards to the entry it was merged into, so links made to it follow without rewriting any annotation, and
undoing the merge is one change.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from annotations.model import AnnotationError, now_iso
from stories.text import SEARCH_FOLD, clean_line

__all__ = [
    "ACTOR_TYPES",
    "GOOD_MATCH",
    "HOWS",
    "WORD_HOWS",
    "Actor",
    "Match",
    "fold_name",
    "follow_merges",
    "match_actor",
    "preselect",
    "rank_actors",
    "tidy_name",
]

ACTOR_TYPES = ("person", "organisation", "government", "country", "place", "group", "other")


@lru_cache(maxsize=1 << 16)
def fold_name(name: str) -> str:
    """A name folded for matching: case, accents, spacing, invisible format characters and curly quotes or
    dashes ignored ("Nicolás  MADURO" == "nicolas maduro", "Venezuela’s" == "venezuela's"). Cached: names recur."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(SEARCH_FOLD))
    kept = (c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return " ".join("".join(kept).split())


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
        name = tidy_name(name)
        if "aliases" in fields:
            fields["aliases"] = _unique(fields["aliases"], exclude=name)
        actor = cls(id=str(uuid.uuid4()), name=name, type=type, created=stamp, modified=stamp, **fields)
        actor.check()
        return actor

    def edited(self, **changes: Any) -> Actor:
        """A copy with `changes` and `modified` set to now."""
        if "name" in changes:
            changes["name"] = tidy_name(str(changes["name"]))
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


def follow_merges(entries: Mapping[str, Actor], actor_id: str | None) -> Actor | None:
    """The entry an id stands for now, among `entries` (by id): merges followed, safe against loops."""
    seen: set[str] = set()
    actor = entries.get(actor_id) if actor_id else None
    while actor is not None and actor.merged_into and actor.id not in seen:
        seen.add(actor.id)
        actor = entries.get(actor.merged_into, actor)
    return actor


def tidy_name(name: str) -> str:
    """A name or alias as stored: on one line, spaces tidied, bidi controls and invisible characters dropped as an
    import drops them (joiners a script needs stay). A name with control characters is left for `check` to refuse."""
    name = " ".join(name.split())
    return name if any(unicodedata.category(c) == "Cc" for c in name) else clean_line(name)


def _unique(names: Iterable[str], exclude: str = "") -> tuple[str, ...]:
    seen = {fold_name(exclude)} if exclude else set()
    out = []
    for name in names:
        name = tidy_name(name)
        if name and fold_name(name) not in seen:
            seen.add(fold_name(name))
            out.append(name)
    return tuple(out)


#: How a query matched an entry, best first: the whole name; an alias; whole words at the end of a person's
#: name (a surname alone); whole words elsewhere; the start of a word; a near spelling. ("all": no query.)
HOWS = ("exact", "alias", "surname", "word", "prefix", "fuzzy", "all")
#: The matches that name an entry by its words (a surname alone, "Ministry" for "Foreign Ministry").
WORD_HOWS = ("surname", "word")
#: A near spelling must score at least this (rapidfuzz ratio, 0–100) to be listed at all…
FUZZY_MIN = 75.0
#: …and at least this to be highlighted by a picker (a slip of one or two letters).
GOOD_MATCH = 85.0
#: Queries shorter than this are matched by word starts only: two letters are close to too much.
FUZZY_MIN_LENGTH = 3


@dataclass(frozen=True)
class Match:
    """A registry entry found for a query, how (one of HOWS) and how well within that (0–100)."""

    actor: Actor
    how: str
    score: float
    preferred: bool = field(default=False)

    @property
    def rank(self) -> tuple[int, float, bool, str]:
        """Sort key: how first (never a near spelling above a word match), then score, preferred, name."""
        return (HOWS.index(self.how), -self.score, not self.preferred, self.actor.name.casefold())


def _in_words(wanted: str, name: str, person: bool) -> tuple[str, float] | None:
    """How `wanted` sits in `name` (both folded) starting at a word start: as whole words (at the end of a
    person's name: a surname) or as the start of a word; None if only inside a word ("us" in "russia")."""
    best: tuple[str, float] | None = None
    at = name.find(wanted)
    while at != -1:
        if at == 0 or not name[at - 1].isalnum():
            end = at + len(wanted)
            if end == len(name) or not name[end].isalnum():
                found = ("surname", 96.0) if person and end == len(name) else ("word", 94.0)
            else:
                found = ("prefix", 90.0 if at == 0 else 88.0)
            if best is None or HOWS.index(found[0]) < HOWS.index(best[0]):
                best = found
        at = name.find(wanted, at + 1)
    return best


def _spelling(wanted: str, names: list[str]) -> float:
    """How close `wanted` is to a name, or to as many consecutive words of it as it has (0–100)."""
    from rapidfuzz import fuzz

    size = len(wanted.split())
    best = 0.0
    for name in names:
        best = max(best, fuzz.ratio(wanted, name), fuzz.token_sort_ratio(wanted, name))
        words = name.split()
        for i in range(len(words) - size + 1) if len(words) > size else ():
            best = max(best, fuzz.ratio(wanted, " ".join(words[i : i + size])))
    return best


def match_actor(query: str, actor: Actor, *, preferred: bool = False) -> Match | None:
    """How `query` matches the entry (see HOWS), or None if it does not."""
    wanted = fold_name(query)
    folded = [fold_name(n) for n in actor.names]
    if not wanted:
        return Match(actor, "all", 50.0, preferred)
    if folded[0] == wanted:
        return Match(actor, "exact", 100.0, preferred)
    if wanted in folded[1:]:
        return Match(actor, "alias", 99.0, preferred)
    found: tuple[str, float] | None = None
    for i, name in enumerate(folded):
        hit = _in_words(wanted, name, actor.type == "person" and i == 0)
        if hit is not None and i:
            hit = (hit[0], hit[1] - 1)  # an alias's word ranks just below the name's
        if hit is not None and (found is None or (HOWS.index(hit[0]), -hit[1]) < (HOWS.index(found[0]), -found[1])):
            found = hit
    if found is not None:
        return Match(actor, found[0], found[1], preferred)
    if len(wanted) >= FUZZY_MIN_LENGTH and (score := _spelling(wanted, folded)) >= FUZZY_MIN:
        return Match(actor, "fuzzy", score, preferred)
    return None


def rank_actors(query: str, actors: Iterable[Actor], *, prefer: Iterable[str] = (), limit: int = 20) -> list[Match]:
    """Registry entries for `query`, best first: the exact name, an alias, whole words of a name (a surname
    first), the start of a word, then near spellings; never a match inside a word ("US" is not in "Russia").
    Entries in `prefer` (e.g. actors tagged in this story) rank first among equals. An empty query lists
    everything, preferred first, by name."""
    preferred = set(prefer)
    found = [m for a in actors if (m := match_actor(query, a, preferred=a.id in preferred)) is not None]
    found.sort(key=lambda m: m.rank)
    return found[:limit]


def preselect(query: str, matches: list[Match], *, whole_name: bool = False) -> Match | None:
    """The match a picker highlights for `query` (ranked by `rank_actors`), or None to highlight "New actor".

    An exact name or alias is chosen. When the typed text is longer than every candidate's names, it is a new
    name, never a link to a shorter one ("Russian Embassy in Caracas" is not "Russia"). Otherwise the best word
    match, or a near spelling that is close enough (GOOD_MATCH). `whole_name`: the query is a complete name (a
    selection in the text), so the start of a longer word does not count ("Russia" is not "Russian Federation")."""
    if not matches:
        return None
    top = matches[0]
    wanted = fold_name(query)
    if not wanted or top.how in ("exact", "alias"):
        return top
    if all(len(wanted) > len(fold_name(n)) for m in matches for n in m.actor.names):
        return None
    if top.how in WORD_HOWS or (top.how == "prefix" and not whole_name):
        return top
    return top if top.how == "fuzzy" and top.score >= GOOD_MATCH else None
