"""What the annotations say across the library, indexed once for fast lists and filters.

`LibraryIndex` folds every link into the registry entry it stands for now (merges followed) and records, per
entry, how often it is linked as speaker, mention and claimant, and per story which entries it links and
which claim statuses it holds. `parse_filter` reads the library's filter box: plain words plus tokens such as
`is:untagged`, `is:review`, `is:unread`, `is:curated`, `quoting:NAME`, `actor:NAME`, `claimant:NAME`,
`claims:STATUS` and `thread:ID` (the stories of a claim thread's claims).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from annotations.actors import Actor, fold_name
from annotations.model import FIELDS_OF_KIND, LINKS, STATUSES, AnnotationError, quoted
from annotations.registry import Lookup, Registry, or_list
from annotations.search.query import ANNOTATION_KEYS, NAME_KEYS, split_query
from annotations.store import Store
from annotations.threads import Thread
from stories.text import clean_line

__all__ = ["FILTER_HELP", "FILTER_KEYS", "LibraryIndex", "Selection", "StoryFilter", "parse_filter"]

FILTER_KEYS = ANNOTATION_KEYS
#: One line per token, for the help screen and the palette.
FILTER_HELP = (
    ("is:untagged", "stories with no annotation yet (is:tagged: with some)"),
    ("is:unread", "stories not opened since they were imported or arrived (is:read: the others)"),
    ("is:review", "stories with carried annotations waiting for review (a new version: changed or not placed)"),
    ("is:curated", "stories curated: every annotator's tag settled into the curated layer (`wiredesk curate`)"),
    ("quoting:NAME", "stories quoting an actor (name, alias, a surname alone or an id prefix)"),
    ("actor:NAME", "stories mentioning an actor"),
    ("claimant:NAME", "stories with a claim by an actor"),
    ("claims:STATUS", f"stories with a claim of that status ({', '.join(STATUSES)})"),
    ("thread:ID", "stories with a claim in a claim thread (an id prefix or words of its title)"),
    ('quoting:"Two Words"', "quote a name with spaces"),
)
_LINKS_OF_KIND = {kind: tuple(n for n in names if n in LINKS) for kind, names in FIELDS_OF_KIND.items()}


@dataclass(frozen=True)
class StoryFilter:
    """A parsed filter: words every shown story must hold, and (key, value) tokens it must satisfy."""

    words: tuple[str, ...] = ()
    terms: tuple[tuple[str, str], ...] = ()


def parse_filter(text: str) -> StoryFilter:
    """Split the filter box's text into words and tokens; `key:` with an unknown key is an ordinary word (the
    query language's reading, `annotations.search.query.split_query`, limited to these tokens)."""
    words, terms = [], []
    for key, value, _ in split_query(text, FILTER_KEYS):
        if not key:
            words.append(value.lower())
        elif value.strip():
            terms.append((key, " ".join(value.split())))
    return StoryFilter(tuple(words), tuple(terms))


@dataclass
class Selection:
    """The stories a filter's tokens allow: those in `only` (None: any) and not in `without`; with what each
    name resolved to, and the tokens that could not be read."""

    only: set[str] | None = None
    without: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def allows(self, story_id: str) -> bool:
        return (self.only is None or story_id in self.only) and story_id not in self.without


class LibraryIndex:
    """Counts per registry entry and link sets per story, built from the store in one pass."""

    def __init__(self, store: Store) -> None:
        registry = store.registry()
        self.actors = sorted((a for a in registry.values() if not a.merged_into), key=lambda a: a.name.casefold())
        self.tagged: set[str] = set()
        self.links: dict[str, dict[str, set[str]]] = {name: {} for name in LINKS}  # field -> actor -> stories
        self.statuses: dict[str, set[str]] = {}  # claim status -> stories
        self.review: set[str] = set(store.review_counts())  # stories with carried annotations waiting for review
        store.unread.refresh()
        self.unread: set[str] = set(store.unread.ids)  # story versions not opened since they were stored
        self.curated: set[str] = store.curated_stories()  # story versions with nothing left to curate
        canonical: dict[str, str | None] = {}
        tally: dict[str, dict[str, int]] = {name: {} for name in LINKS}  # field -> actor -> links
        for story_id, records in store.records_by_story().items():
            if records:
                self.tagged.add(story_id)
            for rec in records.values():
                kind = rec.kind
                for name in _LINKS_OF_KIND.get(kind, ()):  # a kind's own link fields: the others are empty
                    target = getattr(rec, name)
                    if not target:
                        continue
                    if target not in canonical:
                        actor = store.actor(target)
                        canonical[target] = actor.id if actor is not None else None
                    if (actor_id := canonical[target]) is not None:
                        self.links[name].setdefault(actor_id, set()).add(story_id)
                        tally[name][actor_id] = tally[name].get(actor_id, 0) + 1
                if kind == "claim" and rec.status:
                    self.statuses.setdefault(rec.status, set()).add(story_id)
        #: actor id -> link field -> how many annotations link to it that way (merged entries folded in)
        self.counts: dict[str, Counter[str]] = {a.id: Counter() for a in self.actors}
        for name, per_actor in tally.items():
            for actor_id, n in per_actor.items():
                self.counts.setdefault(actor_id, Counter())[name] = n
        self.registry = Registry(registry.values())
        self._resolved: dict[str, Lookup] = {}
        self._store = store  # for the claim threads, read when a `thread:` token asks

    def stories_of(self, actor_id: str) -> int:
        """In how many stories an entry is linked (any field)."""
        return len(set().union(*(self.links[name].get(actor_id, set()) for name in LINKS)))

    def lookup(self, name: str) -> Lookup:
        """What a typed name means, as `quotes --speaker` and `export --actor` read it (the registry's lenient
        lookup: a name, an alias, an id prefix or whole words of a name; never a near spelling)."""
        wanted = fold_name(name)
        if wanted not in self._resolved:
            self._resolved[wanted] = self.registry.lookup(name, "lenient")
        return self._resolved[wanted]

    def resolve(self, name: str) -> list[Actor]:
        """The entries a typed name means (several if it is ambiguous; none if no entry has it)."""
        return list(self.lookup(name).found)

    def select(self, flt: StoryFilter) -> Selection:
        """The stories that satisfy every token of `flt` (its words are matched by the list itself)."""
        result = Selection()
        for key, value in flt.terms:
            if key == "is" and "untagged".startswith(value.lower()):
                result.without |= self.tagged
                continue
            if key == "is" and len(value) > 2 and "read".startswith(value.lower()):
                result.without |= self.unread
                continue
            allowed = self._allowed(key, value, result)
            result.only = allowed if result.only is None else result.only & allowed
        return result

    def _allowed(self, key: str, value: str, result: Selection) -> set[str]:
        wanted = value.lower()
        if key == "is":
            if "tagged".startswith(wanted):
                return set(self.tagged)
            if "review".startswith(wanted):
                return set(self.review)
            if len(wanted) > 2 and "unread".startswith(wanted):
                return set(self.unread)
            if "curated".startswith(wanted):
                return set(self.curated)
            result.errors.append(f"is:{value}? use is:untagged, is:tagged, is:review, is:unread, is:read or is:curated")
            return set()
        if key == "thread":
            return self._thread_stories(value, result)
        if key == "claims":
            statuses = [s for s in STATUSES if s.startswith(wanted)]
            if not statuses:
                result.errors.append(f"claims:{value}? use one of {', '.join(STATUSES)}")
                return set()
            return set().union(*(self.statuses.get(s, set()) for s in statuses))
        try:
            found = self.lookup(value)
        except AnnotationError as exc:  # a name of control characters
            result.errors.append(f"{key}:{clean_line(value)}: {exc}")
            return set()
        actors = list(found.found)
        if not actors:
            hint = f"; did you mean {or_list(found.near)}?" if found.near else ""
            result.errors.append(f"{key}:{clean_line(value)}: no such actor{hint}")
            return set()
        shown = ", ".join(clean_line(a.name) for a in actors[:3]) + (f" +{len(actors) - 3}" if len(actors) > 3 else "")
        result.notes.append(f"{key}: {shown}")
        links = self.links[NAME_KEYS[key]]
        return set().union(*(links.get(a.id, set()) for a in actors))

    def _thread_stories(self, value: str, result: Selection) -> set[str]:
        """The stories of the claims in the threads `value` names: an id prefix, else words starting words of
        their titles."""
        threads = self._store.threads()
        wanted = value.strip().lower()
        found = [t for t in threads if _ID_PREFIX.fullmatch(wanted) and t.id.startswith(wanted)]
        if not found:
            words = fold_name(value).split()
            found = [t for t in threads if words and _starts_words(fold_name(t.title).split(), words)]
        if not found:
            result.errors.append(
                f"thread:{quoted(value, 60)}: no claim thread has that id or title (see `wiredesk claims`)"
            )
            return set()
        result.notes.append(f"thread: {_titles(found)}")
        stories: set[str] = set()
        for thread in found:
            for member in thread.members:
                claim = self._store.annotation(member.annotation)
                if claim is not None:
                    stories.add(claim.story_id)
        return stories


#: What a thread id prefix may be typed as (hex digits and dashes of a uuid, at least 4).
_ID_PREFIX = re.compile(r"[0-9a-f][0-9a-f-]{3,35}")


def _starts_words(title: list[str], words: list[str]) -> bool:
    """Whether each of `words` starts a word of `title` (both folded)."""
    return all(any(t.startswith(w) for t in title) for w in words)


def _titles(threads: list[Thread]) -> str:
    """The first three threads' titles, short and clean, then how many more."""
    shown = ", ".join(quoted(t.title, 40) for t in threads[:3])
    return shown + (f" +{len(threads) - 3}" if len(threads) > 3 else "")
