"""The derived aggregate behind every figure: one row per annotation in numpy columns, kept current.

The one counting rule (`_row_of`): an annotation counts once, under its kind (`quote`, `actor` — a mention —,
`claim`) and the entry its kind's own link names (speaker, actor, claimant; none: the group ""), a quote also
under its form. Every table is a `numpy.bincount` over the rows of the selected stories, and every list behind a
figure is those same rows, so a count and its list cannot disagree.

Kept current: the first use reads every annotation (about a second per million); later ones catch up on the
stories the store says changed (`TagStore.touched`): their old rows are marked dead, their rows as they are now
appended, and the columns compacted when a quarter is dead. Registry merges and types are read per table.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from annotations.actors import ACTOR_TYPES, Actor, follow_merges
from annotations.model import FORMS, KINDS, Annotation
from annotations.store import Store, StoreError
from stories.text import clean_line

__all__ = ["BY", "OFFICIAL_TYPES", "Officials", "Pair", "Row", "StatsIndex"]

#: What a table can be grouped by.
BY = ("actor", "type", "agency", "section", "day", "week", "month")
#: Groups in time order (the others: most counted first).
TIMELY = ("day", "week", "month")
#: Speakers of these types are officials (`StatsIndex.officials`).
OFFICIAL_TYPES = ("government", "organisation")
#: The link field each kind counts under.
LINK_OF = {"quote": "speaker", "actor": "actor", "claim": "claimant"}
_KIND = {kind: n for n, kind in enumerate(KINDS)}
_FORM = {form: n for n, form in enumerate(FORMS, 1)}  # 0: a quote with no form given
_STORY_DIMS = ("agency", "section", "day", "week", "month")
#: Dead rows the columns may hold before they are compacted (and at least this share of them).
_COMPACT_FROM = 10_000
_COMPACT_SHARE = 0.25

_SHARED: weakref.WeakKeyDictionary[Store, StatsIndex] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()

IntArray = npt.NDArray[np.int64]
SmallArray = npt.NDArray[np.int32] | npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]
#: Distinct (story, speaker) pairs as two arrays of numbers; the speakers' keys, labels and registry entries.
_Speakers = tuple[IntArray, IntArray, list[str], list[str], list[Any]]


@dataclass(frozen=True)
class Row:
    """One group of a table: `key` (an actor id, a type, an agency, a day… "" for none), a clean `label`, the
    count of each kind, of each quote form (`""`: none given), and `share` of the table's total of the kind it was
    asked for (of every kind when none was)."""

    key: str
    label: str
    counts: dict[str, int]
    forms: dict[str, int]
    share: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self, by: str) -> dict[str, Any]:
        """One object per row, as `wiredesk stats --format json` writes it."""
        return {"by": by, "key": self.key, "label": self.label, **self.counts, **self.forms, "share": self.share}


@dataclass(frozen=True)
class Officials:
    """Stories with at least one quote whose speaker is known: those quoting officials only (every speaker of an
    `OFFICIAL_TYPES` type) and those quoting any other voice, as story ids."""

    only: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        """The share of officials-only stories (0 when no story quotes a known speaker)."""
        total = len(self.only) + len(self.other)
        return len(self.only) / total if total else 0.0


@dataclass(frozen=True)
class Pair:
    """Two speakers quoted in the same stories: their ids, labels, and those stories' ids."""

    first: str
    second: str
    labels: tuple[str, str]
    stories: list[str]


@lru_cache(maxsize=4096)
def _week(day: str) -> str:
    try:
        year, week, _ = date.fromisoformat(day).isocalendar()
    except ValueError:
        return ""
    return f"{year}-W{week:02d}"


class _Values:
    """Strings numbered in order of first sight (0 is "")."""

    def __init__(self) -> None:
        self.names: list[str] = [""]
        self.number: dict[str, int] = {"": 0}

    def of(self, name: str) -> int:
        found = self.number.get(name)
        if found is None:
            found = self.number[name] = len(self.names)
            self.names.append(name)
        return found


class StatsIndex:
    """Counts of annotations over any set of stories, grouped by `BY`; see the module docstring."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.RLock()
        self._tags: object | None = None  # the TagStore the rows were read from
        self._seen = 0  # its `changes` when the rows were last caught up
        self._reset()

    @classmethod
    def of(cls, store: Store) -> StatsIndex:
        """The one aggregate of this store in this process (made on first call)."""
        with _SHARED_LOCK:
            found = _SHARED.get(store)
            if found is None:
                found = _SHARED[store] = cls(store)
            return found

    def _reset(self) -> None:
        self._stories = _Values()  # story ids (0: none)
        self._links = _Values()  # raw link ids (0: unlinked)
        self._annotators = _Values()  # annotator names as recorded (0: none)
        self._dims = {name: _Values() for name in _STORY_DIMS}
        self._story_dims: dict[str, list[int]] = {name: [0] for name in _STORY_DIMS}  # per story number
        self._rows_of: dict[int, tuple[int, int]] = {}  # story number -> its rows, [first, end): always contiguous
        self._ids: list[str] = []  # per row: the annotation id
        self._story = np.zeros(0, np.int32)
        self._link = np.zeros(0, np.int32)
        self._who = np.zeros(0, np.int32)  # per row: its annotator's number
        self._kind = np.zeros(0, np.int8)
        self._form = np.zeros(0, np.int8)
        self._code = np.zeros(0, np.int8)  # kind * 4 + form: one bincount gives both
        self._live = np.zeros(0, np.bool_)
        self._dead = 0
        self._entries: dict[str, Any] | None = None
        self._dim_arrays: dict[str, npt.NDArray[np.int32]] = {}  # per story number, until stories are added
        self._chosen: tuple[Set[str], BoolArray] | None = None  # the last selection, as a mask over story numbers
        self._folded: tuple[tuple[int, ...], tuple[IntArray, list[str], list[str], list[Actor | None]]] | None = None
        #: see `_speakers`: the selection (stories, annotators), the registry's fold, the rows' state, the pairs
        self._pairs_memo: tuple[object, object, object, tuple[int, int, int], _Speakers] | None = None

    # --- keeping current ------------------------------------------------------------------------------------

    @property
    def rows(self) -> int:
        """How many annotations the aggregate counts now (caught up first)."""
        with self._lock:
            self.sync()
            return len(self._ids) - self._dead

    def sync(self) -> None:
        """Read every annotation on first use (or when the store's annotations were read anew), else catch up on
        the stories whose annotations changed since the last call."""
        with self._lock:
            tags = self.store.tags
            if self._tags is not tags:
                self._reset()
                self._add_stories(tags.by_story.keys(), tags.by_story)
                self._tags, self._seen = tags, tags.changes
            elif tags.changes != self._seen:
                seen = self._seen
                changed = [sid for sid, when in tags.touched.items() if when > seen]
                self._seen = tags.changes
                for sid in changed:
                    number = self._stories.number.get(sid)
                    if number is not None and (old := self._rows_of.pop(number, None)):
                        self._live[old[0] : old[1]] = False
                        self._dead += old[1] - old[0]
                self._add_stories(changed, tags.by_story)
                if self._dead >= max(_COMPACT_FROM, _COMPACT_SHARE * len(self._ids)):
                    self._compact()

    def _add_stories(self, story_ids: Iterable[str], by_story: Any) -> None:
        """Append the rows of these stories' annotations, each story's together (a kind this version does not
        know, a newer library's, is not counted)."""
        story: list[int] = []
        link: list[int] = []
        who: list[int] = []
        kinds: list[int] = []
        forms: list[int] = []
        start = len(self._ids)
        ids = self._ids
        links, new_link = self._links.number, self._links.of
        annotator = self._annotators.of
        for sid in story_ids:
            records = by_story.get(sid)
            recs = [r for r in records.values() if r.kind in _KIND] if records else None
            if not recs:
                continue
            number = self._story_number(sid)
            first = len(ids)
            ids += [r.id for r in recs]
            self._rows_of[number] = (first, len(ids))
            story += [number] * len(recs)
            kinds += [_KIND[r.kind] for r in recs]
            forms += [_FORM.get(r.form, 0) for r in recs]  # only a quote has a form
            targets = [getattr(r, LINK_OF[r.kind]) or "" for r in recs]
            for target in set(targets).difference(links):
                new_link(target)
            link += [links[t] for t in targets]
            who += [annotator(r.annotator or "") for r in recs]
        if len(ids) == start:
            return
        new_kinds, new_forms = np.array(kinds, np.int8), np.array(forms, np.int8)
        self._story = np.concatenate((self._story, np.array(story, np.int32)))
        self._link = np.concatenate((self._link, np.array(link, np.int32)))
        self._who = np.concatenate((self._who, np.array(who, np.int32)))
        self._kind = np.concatenate((self._kind, new_kinds))
        self._form = np.concatenate((self._form, new_forms))
        self._code = np.concatenate((self._code, new_kinds * 4 + new_forms))
        self._live = np.concatenate((self._live, np.ones(len(ids) - start, np.bool_)))

    def _story_number(self, story_id: str) -> int:
        number = self._stories.number.get(story_id)
        if number is not None:
            return number
        number = self._stories.of(story_id)
        if self._entries is None or story_id not in self._entries:
            self._entries = {e.id: e for e in self.store.entries(all_versions=True)}
        entry = self._entries.get(story_id)
        values = dict.fromkeys(_STORY_DIMS, "")
        if entry is not None:
            agency, section = entry.meta_fields("agency", "section")
            day = entry.day
            values = {
                "agency": clean_line(agency or ""),
                "section": clean_line(section or ""),
                "day": day,
                "week": _week(day),
                "month": day[:7],
            }
        for name in _STORY_DIMS:
            self._story_dims[name].append(self._dims[name].of(values[name]))
        self._dim_arrays.clear()
        self._chosen = None
        return number

    def _compact(self) -> None:
        keep = np.flatnonzero(self._live)
        renumber = np.full(len(self._ids), -1, np.int64)
        renumber[keep] = np.arange(len(keep))
        self._ids = [self._ids[i] for i in keep.tolist()]
        self._story, self._link, self._who = self._story[keep], self._link[keep], self._who[keep]
        self._kind, self._form, self._code = self._kind[keep], self._form[keep], self._code[keep]
        self._live = np.ones(len(keep), np.bool_)
        self._rows_of = {n: (int(renumber[a]), int(renumber[b - 1]) + 1) for n, (a, b) in self._rows_of.items()}
        self._dead = 0

    # --- selecting and grouping ------------------------------------------------------------------------------

    def annotator_names(self) -> list[str]:
        """The annotator names the counted annotations carry ("": none recorded), for choosing a layer's."""
        with self._lock:
            self.sync()
            present = np.flatnonzero(np.bincount(self._who[self._live], minlength=len(self._annotators.names)))
            return [self._annotators.names[n] for n in present.tolist()]

    def _mask(self, stories: Set[str] | None, annotators: Set[str] | None = None) -> BoolArray | None:
        """The rows counted over `stories` (None: every story) made by `annotators` (names as recorded; None:
        anyone): None when that is every row."""
        if annotators is not None:
            allowed = np.zeros(len(self._annotators.names), np.bool_)
            known = self._annotators.number
            allowed[[n for name in annotators if (n := known.get(name)) is not None]] = True
            theirs: BoolArray = allowed[self._who]
            of_stories = self._mask(stories)
            return theirs & self._live if of_stories is None else of_stories & theirs
        if stories is None:
            return None if not self._dead else self._live.copy()
        if self._chosen is None or self._chosen[0] is not stories:  # figures of one selection reuse its mask
            chosen = np.zeros(len(self._stories.names), np.bool_)
            number = self._stories.number
            chosen[[n for sid in stories if (n := number.get(sid)) is not None]] = True
            self._chosen = (stories, chosen)
        mask: BoolArray = self._chosen[1][self._story]
        return mask & self._live if self._dead else mask

    def _where(self, mask: BoolArray | None, *conditions: BoolArray) -> BoolArray:
        """`mask` (None: every row) and every condition, as one mask."""
        found = np.ones(len(self._ids), np.bool_) if mask is None else mask.copy()
        for condition in conditions:
            found &= condition
        return found

    def _per_story(self, name: str) -> npt.NDArray[np.int32]:
        """Per story number, the number of its value of a story dimension (agency, day…)."""
        found = self._dim_arrays.get(name)
        if found is None:
            found = self._dim_arrays[name] = np.array(self._story_dims[name], np.int32)
        return found

    def _actors(self) -> tuple[IntArray, list[str], list[str], list[Actor | None]]:
        """Per raw link: the number of the entry it stands for now; entries' keys, labels and the entries (worked
        out again after any saved change: the registry may have changed)."""
        tags = self.store.tags
        state = (id(tags), tags.storage.seq, len(self._links.names))
        if self._folded is None or self._folded[0] != state:
            self._folded = (state, self._fold())
        return self._folded[1]

    def _fold(self) -> tuple[IntArray, list[str], list[str], list[Actor | None]]:
        keys, labels = [""], ["(no actor)"]
        actors: list[Actor | None] = [None]
        number: dict[str, int] = {"": 0}
        folded = np.zeros(len(self._links.names), np.int64)
        registry = self.store.registry()
        for n, raw in enumerate(self._links.names[1:], 1):
            actor = follow_merges(registry, raw)
            key = actor.id if actor is not None else raw
            found = number.get(key)
            if found is None:
                found = number[key] = len(keys)
                keys.append(key)
                labels.append(clean_line(actor.name) if actor is not None else f"(unknown entry {raw[:8]})")
                actors.append(actor)
            folded[n] = found
        return folded, keys, labels, actors

    def _groups(self, by: str, mask: BoolArray | None = None) -> tuple[SmallArray | IntArray, list[str], list[str]]:
        """Per row (of `mask`, when given), its group's number; the groups' keys and labels."""
        if by not in BY:
            raise StoreError(f"cannot group by {by!r}: use one of {', '.join(BY)}")
        story = self._story if mask is None else self._story[mask]
        if by in _STORY_DIMS:
            names = self._dims[by].names
            return self._per_story(by)[story], names, [name or "(none)" for name in names]
        link = self._link if mask is None else self._link[mask]
        folded, keys, labels, actors = self._actors()
        if by == "actor":
            return folded[link], keys, labels
        types = ["", *ACTOR_TYPES]
        extra = sorted({a.type for a in actors if a is not None and a.type not in types})
        types += extra
        type_number = {t: n for n, t in enumerate(types)}
        of_actor = np.array([0 if a is None else type_number[a.type] for a in actors], np.int64)
        return of_actor[folded[link]], types, [t or "(no actor)" for t in types]

    def table(
        self, by: str, *, kind: str | None = None, stories: Set[str] | None = None, annotators: Set[str] | None = None
    ) -> list[Row]:
        """The groups of `by` with something counted in `stories` (None: every story) by `annotators` (None:
        anyone's): most counted first (of `kind` when given, and only groups with some), time groups in time
        order."""
        with self._lock:
            self.sync()
            mask = self._mask(stories, annotators)
            group, keys, labels = self._groups(by, mask)
            size = len(keys)
            code = self._code if mask is None else self._code[mask]
            both = np.bincount(group.astype(np.int64) * 12 + code, minlength=size * 12).reshape(size, len(KINDS), 4)
            counts, forms = both.sum(axis=2), both[:, 0, :]  # per kind; a quote's forms
        wanted = counts[:, _KIND[kind]] if kind is not None else counts.sum(axis=1)
        whole = int(wanted.sum())
        chosen = np.flatnonzero(wanted)
        if by in TIMELY:
            order = sorted(chosen.tolist(), key=lambda n: (keys[n] == "", keys[n]))
        else:
            order = sorted(chosen.tolist(), key=lambda n: (-int(wanted[n]), labels[n].casefold(), keys[n]))
        form_names = ("", *FORMS)
        return [
            Row(
                key=keys[n],
                label=labels[n],
                counts={name: int(counts[n, i]) for i, name in enumerate(KINDS)},
                forms={(name or "unstated"): int(forms[n, i]) for i, name in enumerate(form_names)},
                share=int(wanted[n]) / whole,
            )
            for n in order
        ]

    def members(
        self,
        by: str,
        key: str,
        *,
        kind: str | None = None,
        stories: Set[str] | None = None,
        form: str | None = None,
        annotators: Set[str] | None = None,
    ) -> list[str]:
        """The ids of the annotations a table's row counts (of `kind`, a quote `form` when given), by story."""
        with self._lock:
            self.sync()
            group, keys, _ = self._groups(by)
            if key not in keys:
                return []
            mask = self._where(self._mask(stories, annotators), group == keys.index(key))
            if kind is not None:
                mask &= self._kind == _KIND[kind]
            if form is not None:
                mask &= self._form == ({"unstated": 0} | _FORM)[form]
            return self._ids_of(mask)

    def _ids_of(self, mask: BoolArray) -> list[str]:
        rows = np.flatnonzero(mask)
        rows = rows[np.argsort(self._story[rows], kind="stable")]
        return [self._ids[i] for i in rows.tolist()]

    def quotes_in(self, story_ids: Iterable[str], annotators: Set[str] | None = None) -> list[str]:
        """The ids of every quote in these stories (what a figure over stories counts)."""
        with self._lock:
            self.sync()
            return self._ids_of(self._where(self._mask(set(story_ids), annotators), self._kind == 0))

    def series(
        self,
        keys: list[str],
        *,
        every: str = "week",
        kind: str = "quote",
        stories: Set[str] | None = None,
        annotators: Set[str] | None = None,
    ) -> tuple[list[str], dict[str, list[int]]]:
        """The periods (`every`: day, week or month, in time order, those with some of `kind` counted) and per
        actor key in `keys` its count of `kind` in each: the figures of quotes per week per speaker."""
        with self._lock:
            self.sync()
            folded, all_keys, _, _ = self._actors()
            column = np.full(len(all_keys), -1, np.int64)
            number = {key: n for n, key in enumerate(all_keys)}
            for n, key in enumerate(keys):
                if key in number:
                    column[number[key]] = n
            mask = self._where(self._mask(stories, annotators), self._kind == _KIND[kind])
            period = self._per_story(every)[self._story[mask]]
            who = column[folded[self._link[mask]]]
            names = self._dims[every].names
            present = np.flatnonzero(np.bincount(period, minlength=len(names))).tolist()
            used = sorted((p for p in present if names[p]), key=lambda p: names[p])
            place = np.full(len(names), -1, np.int64)
            place[used] = np.arange(len(used))
            inside = (who >= 0) & (place[period] >= 0)
            size = max(len(used), 1)
            grid = np.bincount(who[inside] * size + place[period[inside]], minlength=len(keys) * size)
        grid = grid.reshape(len(keys), size) if keys else grid.reshape(0, size)
        return [names[p] for p in used], {key: grid[n, : len(used)].tolist() for n, key in enumerate(keys)}

    # --- figures over stories --------------------------------------------------------------------------------

    def _speakers(self, stories: Set[str] | None, annotators: Set[str] | None) -> _Speakers:
        """Distinct (story number, speaker number) pairs of the selected quotes with a known speaker (kept for the
        next figure of the same selection and state: the dashboard asks two)."""
        folded, counts = self._actors(), (len(self._ids), self._dead, self._seen)  # the registry and rows as now
        memo = self._pairs_memo
        if (
            memo is not None
            and memo[0] is stories
            and memo[1] == annotators
            and memo[2] is folded
            and memo[3] == counts
        ):
            return memo[4]
        found = self._distinct_speakers(stories, annotators)
        self._pairs_memo = (stories, annotators, folded, counts, found)
        return found

    def _distinct_speakers(self, stories: Set[str] | None, annotators: Set[str] | None) -> _Speakers:
        folded, keys, labels, actors = self._actors()
        mask = self._where(self._mask(stories, annotators), self._kind == 0)
        speaker = folded[self._link[mask]]
        known = speaker > 0
        size = max(len(keys), 1)
        pairs = np.sort(self._story[mask][known].astype(np.int64) * size + speaker[known])
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs  # distinct
        return pairs // size, pairs % size, keys, labels, actors

    def speakers_per_story(
        self, stories: Set[str] | None = None, annotators: Set[str] | None = None
    ) -> dict[int, list[str]]:
        """How many distinct known speakers a story quotes -> those stories (stories quoting none left out)."""
        with self._lock:
            self.sync()
            story, _, _, _, _ = self._speakers(stories, annotators)
            per_story = np.bincount(story, minlength=len(self._stories.names))
            numbers = np.flatnonzero(per_story)
            per = per_story[numbers]
        found: dict[int, list[str]] = {}
        for number, n in zip(numbers.tolist(), per.tolist(), strict=True):
            found.setdefault(n, []).append(self._stories.names[number])
        return dict(sorted(found.items()))

    def officials(self, stories: Set[str] | None = None, annotators: Set[str] | None = None) -> Officials:
        """The stories quoting only officials (`OFFICIAL_TYPES`) and those quoting any other known voice."""
        with self._lock:
            self.sync()
            folded, _, _, actors = self._actors()
            official = np.array([a is not None and a.type in OFFICIAL_TYPES for a in actors], np.bool_)
            mask = self._where(self._mask(stories, annotators), self._kind == 0)
            speaker = folded[self._link[mask]]
            story = self._story[mask]
            size = len(self._stories.names)
            quoted = np.flatnonzero(np.bincount(story[speaker > 0], minlength=size))
            other = np.flatnonzero(np.bincount(story[(speaker > 0) & ~official[speaker]], minlength=size))
        names = self._stories.names
        others = set(other.tolist())
        return Officials(
            only=[names[n] for n in quoted.tolist() if n not in others], other=[names[n] for n in other.tolist()]
        )

    def cooccurrence(
        self, stories: Set[str] | None = None, *, top: int = 20, pairs: int = 50, annotators: Set[str] | None = None
    ) -> list[Pair]:
        """The `pairs` pairs of speakers quoted in the most stories together, among the `top` speakers quoted in
        the most stories: most stories first."""
        with self._lock:
            self.sync()
            story, speaker, keys, labels, _ = self._speakers(stories, annotators)
            in_stories = np.bincount(speaker, minlength=len(keys))
            quoted = np.flatnonzero(in_stories).tolist()
            best = sorted(quoted, key=lambda n: (-int(in_stories[n]), labels[n].casefold()))[:top]
            column = np.full(len(keys), -1, np.int64)
            column[best] = np.arange(len(best))
            inside = column[speaker] >= 0
            numbers, rows = np.unique(story[inside], return_inverse=True)
            grid = np.zeros((len(numbers), len(best)), np.int64)
            grid[rows, column[speaker[inside]]] = 1
            together = grid.T @ grid
        names = self._stories.names
        found = [(int(together[i, j]), i, j) for i in range(len(best)) for j in range(i + 1, len(best))]
        found = [f for f in found if f[0]]
        found.sort(key=lambda f: (-f[0], labels[best[f[1]]].casefold(), labels[best[f[2]]].casefold()))
        made = []
        for _, i, j in found[:pairs]:  # the stories of the pairs listed only
            both = numbers[np.flatnonzero(grid[:, i] & grid[:, j])].tolist()
            a, b = best[i], best[j]
            made.append(Pair(keys[a], keys[b], (labels[a], labels[b]), [names[n] for n in both]))
        return made

    def pair_quotes(self, pair: Pair, annotators: Set[str] | None = None) -> list[str]:
        """The ids of the quotes of either speaker of `pair` in the stories that quote both (what it counts)."""
        with self._lock:
            self.sync()
            folded, keys, _, _ = self._actors()
            wanted = np.zeros(len(keys), np.bool_)
            wanted[[n for n, key in enumerate(keys) if key in (pair.first, pair.second)]] = True
            mask = self._where(self._mask(frozenset(pair.stories), annotators), self._kind == 0)
            mask &= wanted[folded[self._link]]
            return self._ids_of(mask)

    def annotations(self, ids: Iterable[str]) -> list[Annotation]:
        """The annotations with these ids that are still stored, in the order given."""
        found = (self.store.annotation(ann_id) for ann_id in ids)
        return [ann for ann in found if ann is not None]
