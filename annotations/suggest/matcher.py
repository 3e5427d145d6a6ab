"""Finding many names in a text at once: the text cut into folded word atoms, and a matcher that looks each atom up
in a dict of the names starting with it (longest name first), so a registry of thousands of entries costs one dict
lookup per word of the story, not one scan of the story per entry.

One matcher is built per registry and kept while the registry lives (`registry_matcher`).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat
from typing import NamedTuple

from annotations.actors import fold_name
from annotations.registry import Registry

__all__ = ["Atom", "Atoms", "Entry", "Hit", "Matcher", "atoms", "fold_atom", "registry_matcher"]

ATOM = re.compile(r"[^\W_]+")
#: ATOM in lower-case ASCII text (a narrower class, so a faster pass).
_ASCII_ATOM = re.compile(r"[a-z0-9]+")
#: What may stand between two words of one name: spaces (not a line break), or one hyphen, apostrophe, full stop
#: (initials: "J. Smith"), ampersand or slash, with spaces around it.
_JOIN = re.compile(r" {0,2}[-'’.&/]? {0,2}")


class Atom(NamedTuple):
    """A run of letters and digits in the text, and its folded form."""

    start: int
    end: int
    folded: str


class Atoms(NamedTuple):
    """A text's atoms as three parallel lists (no tuple made per atom): what `Matcher.find` reads."""

    starts: list[int]
    ends: list[int]
    folded: list[str]

    @classmethod
    def of(cls, atoms: list[Atom]) -> Atoms:
        """The atoms of a list of `Atom`s."""
        return cls([a.start for a in atoms], [a.end for a in atoms], [a.folded for a in atoms])

    def cut(self, i: int, j: int) -> Atoms:
        """Atoms `i` to `j - 1`."""
        return Atoms(self.starts[i:j], self.ends[i:j], self.folded[i:j])


@dataclass(frozen=True, slots=True)
class Entry:
    """A name the matcher finds, and what it stands for."""

    name: str  # the name as the registry (or a list) writes it
    actor: str  # the entry's name
    actor_id: str | None
    type: str
    alias: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """A name found in the text: `text[start:end]`, first and last atom index, and the entry (or entries) it names."""

    start: int
    end: int
    first: int
    last: int
    entries: tuple[Entry, ...]


def fold_atom(word: str) -> str:
    """One word folded as `fold_name` folds it (ASCII words only lowercased: the same thing, faster)."""
    return word.lower() if word.isascii() else _fold_word(word)


@lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> tuple[str, ...]:
    """A name's folded atoms (kept: the headline pass builds a small matcher for each story)."""
    return tuple(ATOM.findall(fold_name(name)))


@lru_cache(maxsize=1 << 14)
def _fold_word(word: str) -> str:
    return fold_name(word).replace(" ", "")


def atoms(text: str) -> list[Atom]:
    """The text's word atoms, in order."""
    new = tuple.__new__  # an Atom without the named tuple's Python-level __new__
    if text.isascii():
        # Lower-casing ASCII text keeps every offset and folds each atom as `fold_atom` would; the atoms are then
        # made in C (maps over the matches), with no Python-level step per atom.
        found = list(_ASCII_ATOM.finditer(text.lower()))
        fields = zip(map(re.Match.start, found), map(re.Match.end, found), map(re.Match.group, found), strict=True)
        return list(map(new, repeat(Atom), fields))
    fold = _fold_word
    return [
        new(Atom, (s, s + len(w), w.lower() if w.isascii() else fold(w)))
        for m in ATOM.finditer(text)
        for w, s in ((m.group(), m.start()),)
    ]


class Matcher:
    """Every occurrence of a set of names in a text, leftmost first, the longest name winning at each place."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        by_key: dict[tuple[str, ...], list[Entry]] = {}
        for entry in entries:
            key = _name_key(entry.name)
            if key:
                by_key.setdefault(key, []).append(entry)
        Options = list[tuple[tuple[str, ...], tuple[Entry, ...]]]
        #: one-word names by their word; longer names by their first two words, longest first
        self._one: dict[str, tuple[Entry, ...]] = {}
        self._two: dict[tuple[str, str], Options] = {}
        for key, found in by_key.items():
            found.sort(key=lambda e: (e.alias, e.actor.casefold(), e.actor_id or ""))
            if len(key) == 1:
                self._one[key[0]] = tuple(found)
            else:
                self._two.setdefault((key[0], key[1]), []).append((key, tuple(found)))
        for options in self._two.values():
            options.sort(key=lambda o: -len(o[0]))
        self._firsts = frozenset(self._one) | {first for first, _ in self._two}

    def __bool__(self) -> bool:
        return bool(self._one or self._two)

    def find(self, text: str, words: Atoms | list[Atom], *, cased: bool = True) -> list[Hit]:
        """The names found in `text` (cut into `words` by `atoms`). `cased`: a name written with a capital is not
        found in all-lowercase text ("Lee" is not "lee")."""
        starts, ends, folded = words if isinstance(words, Atoms) else Atoms.of(words)
        hits: list[Hit] = []
        n, after = len(folded), 0
        # only where a name can start (the indices picked in C: no Python-level step per atom)
        for i in compress(count(), map(self._firsts.__contains__, folded)):
            if i < after:
                continue  # inside the name found last
            found = None
            options = self._two.get((folded[i], folded[i + 1])) if i + 1 < n else None
            for key, entries in options or ():
                size = len(key)
                if i + size > n or tuple(folded[i : i + size]) != key:
                    continue
                if any(not _JOIN.fullmatch(text, ends[i + k - 1], starts[i + k]) for k in range(1, size)):
                    continue
                found = self._hit(text, starts[i], ends[i + size - 1], i, size, entries, cased)
                if found is not None:
                    break
            if found is None and (one := self._one.get(folded[i])):
                found = self._hit(text, starts[i], ends[i], i, 1, one, cased)
            if found is not None:
                hits.append(found)
                after = found.last + 1
        return hits

    @staticmethod
    def _hit(text: str, start: int, end: int, i: int, size: int, entries: tuple[Entry, ...], cased: bool) -> Hit | None:
        if cased and text[start:end].islower() and any(c.isupper() for e in entries for c in e.name):
            return None
        return Hit(start, end, i, i + size - 1, entries)


@dataclass(frozen=True)
class RegistryIndex:
    """A registry made ready for the suggester: its names and aliases, and its people by surname."""

    names: Matcher
    surnames: dict[str, tuple[Entry, ...]]


_CACHE: weakref.WeakKeyDictionary[Registry, RegistryIndex] = weakref.WeakKeyDictionary()


def registry_matcher(registry: Registry) -> RegistryIndex:
    """The index of `registry`'s entries in use, built once per registry object."""
    cached = _CACHE.get(registry)
    if cached is not None:
        return cached
    entries: list[Entry] = []
    surnames: dict[str, list[Entry]] = {}
    for actor in registry.actors:
        main = Entry(actor.name, actor.name, actor.id, actor.type)
        entries.append(main)
        entries.extend(Entry(alias, actor.name, actor.id, actor.type, alias=True) for alias in actor.aliases)
        parts = fold_name(actor.name).split()  # "montero-caceres", not "caceres", is Jorge Montero-Cáceres's surname
        if actor.type == "person" and len(parts) >= 2:
            surnames.setdefault(parts[-1], []).append(main)
    index = RegistryIndex(Matcher(entries), {k: tuple(v) for k, v in surnames.items()})
    _CACHE[registry] = index
    return index
