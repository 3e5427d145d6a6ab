"""Registry names read against the story's own evidence: the story first, the registry fills in what it does not
say. A registry name inside a longer name the story gives ("Arbitration Court" of "Moscow Arbitration Court", "Lee"
of "Lee Jae-sung", "Lima" of "Lupion-Lima") gives way; of the entries an alias names, the one whose country the
story names is linked, and a short form leaving out a country the story never names ("Agriculture Ministry" of
"Brazilian Agriculture Ministry") is linked to none."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from annotations.actors import fold_name
from annotations.suggest.countries import city_named, country_named, country_names, demonym_country
from annotations.suggest.matcher import Atoms, Entry, Hit, Matcher, fold_atom
from annotations.suggest.model import Suggestion
from annotations.suggest.runs import Word

__all__ = ["StoryPlaces", "country_matcher", "inside_local"]


@cache
def country_matcher() -> Matcher:
    """Every country name, as the matcher finds it."""
    return Matcher(Entry(name, shown, None, "country") for name, shown in country_names().items())


class StoryPlaces:
    """The countries a story names (worked out when first asked) and its capitalised words, to tell whether a
    registry entry's qualifier ("Brazilian" of "Brazilian Agriculture Ministry") is one the story gives."""

    def __init__(self, text: str, every: Atoms, capitals: set[str]) -> None:
        self.text, self.every, self.capitals = text, every, capitals
        self._countries: set[str] | None = None

    def countries(self) -> set[str]:
        """The countries the story names, by name or demonym."""
        if self._countries is None:
            found = {h.entries[0].actor for h in country_matcher().find(self.text, self.every)}
            found |= {c for w in self.capitals if (c := demonym_country(w))}
            self._countries = found
        return self._countries

    def names_qualifier(self, entry: Entry, alias: str) -> bool:
        """Whether the story names the country, demonym or city that `entry`'s name has and `alias`, a short form
        of it, leaves out; True when the alias leaves out none or is no short form ("Kremlin")."""
        left = set(fold_name(alias).split())
        if not left <= set(fold_name(entry.actor).split()):
            return True
        for word in entry.actor.split():
            folded = fold_atom(word)
            if folded in left or folded in self.capitals:
                continue
            country = country_named(word) or demonym_country(word)
            if country is not None and country not in self.countries():
                return False
            if country is None and city_named(word):
                return False
        return True

    def entry(self, hit: Hit, exact: str) -> Entry | None:
        """The entry `hit` links to: the first its names whose qualifier the story gives (a full name always
        does); None when it is a short form of entries from elsewhere only."""
        return next((e for e in hit.entries if not e.alias or self.names_qualifier(e, exact)), None)


def inside_local(
    text: str, run: Sequence[Word], hit: Hit, names: set[str], reading: Callable[[], list[Suggestion]]
) -> bool:
    """Whether `hit` is part of a longer name the story gives in `run` (the capitalised run around it): it cuts a
    hyphenated name ("Lima" of "Lupion-Lima"), or the story's own `reading` of the run has a mention around it
    naming someone else than `names` (the entry's name and the hit, folded)."""
    if run[-1].end < hit.end or (run[0].start == hit.start and run[-1].end == hit.end):
        return False
    word = next(w for w in run if w.end > hit.start)
    if word.start < hit.start or word.end > hit.end:
        cut = text[word.start : hit.start] + text[hit.end : word.end]
        if any(part[:1].isupper() for part in re.split(r"[-'’]", cut)):
            return True
    return any(
        m.start <= hit.start
        and hit.end <= m.end
        and (m.start, m.end) != (hit.start, hit.end)
        and m.rule != "actor.word"
        and fold_name(m.actor) not in names
        for m in reading()
    )
