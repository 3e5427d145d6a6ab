"""How far annotator layers agree over a library: per kind, per story and overall, with the disagreements listed.

Which stories count: a story is compared between the annotators who annotated it (any annotation of any kind in
their layer); one they did not touch is left out of their pair, not counted as spans they missed. Of a story with
several versions, only the newest that two of them annotated counts (annotations are carried to a new version:
each would count again), unless the stories are named (`story_ids`): then exactly those versions.

Spans: for every pair of annotators, precision, recall and F1 of the second against the first, with exact and with
overlap matching (`annotations.agreement.matching`); "all" adds the pairs' counts up (micro-average).

Attributes, on the spans paired by overlap: quote speaker and form, claim claimant and status, actor link and the
linked entry's type. A link counts by the entry it stands for now (merges followed); a field left unset is a value
of its own ("none"), except the type of an unlinked mention, which is not coded. κ (Cohen) for each pair; α
(Krippendorff, nominal) for all the annotators at once, over units: the spans linked by overlap pairs across
annotators (where such a chain holds two spans of one annotator, the first in the text stays in the unit and the
other is a unit of its own).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

from annotations.actors import Actor, follow_merges
from annotations.agreement.matching import exact_pairs, overlap_pairs
from annotations.agreement.measures import alpha, kappa
from annotations.layers import CURATED, Layers
from annotations.model import KINDS, Annotation, AnnotationError, quoted
from annotations.store import Store
from stories.text import clean_line

__all__ = [
    "ATTRIBUTES",
    "NOT_FOUND",
    "UNSET",
    "Agreement",
    "AgreementError",
    "Disagreement",
    "KindScores",
    "PairScores",
    "Snapshot",
    "SpanCounts",
    "StoryScores",
    "agreement",
    "annotators_of",
    "measure",
    "shown_name",
]

#: The attributes compared on paired spans, per kind.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "quote": ("speaker", "form"),
    "actor": ("actor", "actor type"),
    "claim": ("claimant", "status"),
}
#: How a field left unset is shown (and counted: a value of its own).
UNSET = "none"
#: How a span an annotator did not find is shown in a disagreement.
NOT_FOUND = "—"


class AgreementError(AnnotationError):
    """Agreement cannot be measured as asked (unknown annotator, fewer than two); one line, fit for the user."""


def shown_name(name: str) -> str:
    """An annotator's name as shown: on one line, terminal-safe."""
    return clean_line(name) or "(unnamed)"


@dataclass(frozen=True)
class SpanCounts:
    """Spans of a pair: `matched` pairs, `first` spans of the first annotator (the reference), `second` of the other."""

    matched: int = 0
    first: int = 0
    second: int = 0

    def __add__(self, other: SpanCounts) -> SpanCounts:
        return SpanCounts(self.matched + other.matched, self.first + other.first, self.second + other.second)

    @property
    def precision(self) -> float | None:
        return self.matched / self.second if self.second else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.first if self.first else None

    @property
    def f1(self) -> float | None:
        total = self.first + self.second
        return 2 * self.matched / total if total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "first": self.first,
            "second": self.second,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class PairScores:
    """Two annotators' agreement on one kind: spans exact and by overlap, κ per attribute (None: undefined)."""

    first: str
    second: str
    exact: SpanCounts
    overlap: SpanCounts
    kappa: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": [self.first, self.second],
            "exact": self.exact.to_dict(),
            "overlap": self.overlap.to_dict(),
            "kappa": dict(self.kappa),
        }


@dataclass(frozen=True)
class KindScores:
    """Agreement on one kind: `spans` per annotator, every pair, the pairs added up, α per attribute over all."""

    kind: str
    spans: dict[str, int]
    pairs: list[PairScores]
    exact: SpanCounts
    overlap: SpanCounts
    alpha: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "spans": dict(self.spans),
            "pairs": [p.to_dict() for p in self.pairs],
            "exact": self.exact.to_dict(),
            "overlap": self.overlap.to_dict(),
            "alpha": dict(self.alpha),
        }


@dataclass(frozen=True)
class StoryScores:
    """Agreement on one story version, between the annotators who annotated it."""

    story_id: str
    headline: str
    annotators: list[str]
    kinds: list[KindScores]

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "headline": self.headline,
            "annotators": list(self.annotators),
            "kinds": [k.to_dict() for k in self.kinds],
        }


@dataclass(frozen=True)
class Disagreement:
    """One difference in one story: `what` differs ("span found" by some only, the "span" boundaries, or an
    attribute), where (the first span's `start`, `end`, its text `exact`), and `said`: annotator -> what they
    said, shown."""

    story_id: str
    headline: str
    kind: str
    start: int
    end: int
    exact: str
    what: str
    said: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Agreement:
    """The whole measure: the annotators compared, per kind overall, per story, and the disagreements."""

    annotators: list[str]
    kinds: list[KindScores]
    stories: list[StoryScores]
    disagreements: list[Disagreement]

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "kinds": [k.to_dict() for k in self.kinds],
            "stories": [s.to_dict() for s in self.stories],
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


def annotators_of(anns: Iterable[Annotation], me: str | Layers) -> list[str]:
    """The layers that hold annotations in `anns`, in `Layers.names` order (yours first, `curated` last); `me`:
    the analyst's layers (`Layers.team`), or their name alone."""
    layers = _team(me)
    listed = list(anns)
    present = {layers.of(ann) for ann in listed}
    return [name for name in layers.names(listed) if name in present]


@dataclass(frozen=True)
class Snapshot:
    """What agreement reads of a library, taken at once (so that it may be measured on another thread):
    every annotation, the registry by id, the headline of each story annotated; `versions`: story id -> (its
    oldest version's id, its place among the versions), for the stories with several."""

    annotations: list[Annotation]
    registry: Mapping[str, Actor]
    headlines: Mapping[str, str]
    versions: Mapping[str, tuple[str, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, store: Store) -> Snapshot:
        anns = list(store.iter_annotations())
        annotated = {a.story_id for a in anns}
        headlines = {sid: clean_line(store.story_meta(sid).headline) for sid in annotated}
        versions: dict[str, tuple[str, int]] = {}
        for sid in annotated:
            chain = [entry.id for entry in store.versions(sid)]
            if len(chain) > 1:
                versions[sid] = (chain[0], chain.index(sid))
        return cls(anns, dict(store.registry()), headlines, versions)


def _team(me: str | Layers) -> Layers:
    return me.team if isinstance(me, Layers) else Layers(me)


def agreement(
    store: Store,
    me: str | Layers,
    annotators: Sequence[str] = (),
    story_ids: Collection[str] | None = None,
    kinds: Sequence[str] = (),
) -> Agreement:
    """Agreement between `annotators` (default: every layer with annotations but `curated`) on the stories
    `story_ids` (default all) and `kinds` (default all), for the analyst `me` (their `Layers`, as the config sets
    them, or their name alone).
    AgreementError for an unknown annotator or fewer than two."""
    return measure(Snapshot.of(store), me, annotators, story_ids, kinds)


def measure(
    library: Snapshot,
    me: str | Layers,
    annotators: Sequence[str] = (),
    story_ids: Collection[str] | None = None,
    kinds: Sequence[str] = (),
) -> Agreement:
    """`agreement` on a snapshot of the library."""
    layers = _team(me)
    every = library.annotations
    known = annotators_of(every, layers)
    chosen = list(dict.fromkeys(annotators)) or [name for name in known if name != CURATED]
    unknown = [name for name in chosen if name not in known]
    listing = ", ".join(shown_name(n) for n in known) or "none"
    if unknown:
        raise AgreementError(f"no annotations by {shown_name(unknown[0])!r} in this library (annotators: {listing})")
    if len(chosen) < 2:
        raise AgreementError(f"agreement needs two annotators or more; this library has annotations by {listing}")
    wanted = [k for k in KINDS if k in kinds] if kinds else list(KINDS)
    compared = {
        ann.story_id
        for ann in every
        if ann.kind in wanted and layers.of(ann) in chosen and (story_ids is None or ann.story_id in story_ids)
    }
    by_story: dict[str, dict[str, list[Annotation]]] = {}
    for ann in every:  # a story counts for an annotator who annotated it, whatever the kind
        layer = layers.of(ann)
        if ann.story_id in compared and layer in chosen:
            kept = by_story.setdefault(ann.story_id, {}).setdefault(layer, [])
            if ann.kind in wanted:
                kept.append(ann)
    coders_of = {sid: [name for name in chosen if name in coded] for sid, coded in by_story.items()}
    if story_ids is None:  # of a story's versions, the newest two of them annotated
        newest: dict[str, tuple[int, str]] = {}
        for sid, coders in coders_of.items():
            chain, place = library.versions.get(sid, (sid, 0))
            if len(coders) >= 2 and place >= newest.get(chain, (-1, ""))[0]:
                newest[chain] = (place, sid)
        kept_ids = {sid for _, sid in newest.values()}
        coders_of = {sid: coders for sid, coders in coders_of.items() if sid in kept_ids}
    registry, headlines = library.registry, library.headlines
    overall = {kind: _Tally(kind, chosen) for kind in wanted}
    stories: list[StoryScores] = []
    disagreements: list[Disagreement] = []
    for story_id, coders in sorted(coders_of.items(), key=lambda item: (headlines[item[0]].casefold(), item[0])):
        if len(coders) < 2:
            continue
        coded = by_story[story_id]
        headline = headlines[story_id]
        local: list[KindScores] = []
        for kind in wanted:
            spans = {name: [a for a in coded[name] if a.kind == kind] for name in coders}
            if not any(spans.values()):
                continue
            seen = _Observation(kind, spans, registry)
            overall[kind].add(seen)
            tally = _Tally(kind, coders)
            tally.add(seen)
            local.append(tally.scores())
            disagreements.extend(seen.disagreements(story_id, headline))
        stories.append(StoryScores(story_id, headline, coders, local))
    kinds_shown = [t.scores() for t in overall.values() if kinds or any(t.spans.values())]
    return Agreement(chosen, kinds_shown, stories, disagreements)


Pair = tuple[str, str]


class _Observation:
    """What one story shows of one kind: every pair's matches, the units across annotators, the values compared."""

    def __init__(self, kind: str, spans: Mapping[str, list[Annotation]], registry: Mapping[str, Actor]) -> None:
        self.kind = kind
        self.spans = spans
        self.registry = registry
        self.exact: dict[Pair, SpanCounts] = {}
        self.overlap: dict[Pair, SpanCounts] = {}
        self.matched: dict[Pair, list[tuple[Annotation, Annotation]]] = {}
        for a, b in combinations(spans, 2):
            first, second = spans[a], spans[b]
            paired = overlap_pairs(first, second)
            self.exact[a, b] = SpanCounts(len(exact_pairs(first, second)), len(first), len(second))
            self.overlap[a, b] = SpanCounts(len(paired), len(first), len(second))
            self.matched[a, b] = paired
        self.units = self._units()

    def _units(self) -> list[dict[str, Annotation]]:
        """The spans linked by overlap pairs, one annotator's span at most in each, in text order."""
        parent: dict[str, str] = {}

        def root(key: str) -> str:
            while parent.get(key, key) != key:
                key = parent[key]
            return key

        owner = {ann.id: name for name, anns in self.spans.items() for ann in anns}
        by_id = {ann.id: ann for anns in self.spans.values() for ann in anns}
        for pairs in self.matched.values():
            for a, b in pairs:
                ra, rb = root(a.id), root(b.id)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        groups: dict[str, list[Annotation]] = {}
        for ann_id in sorted(by_id, key=lambda i: (by_id[i].start, by_id[i].end, i)):
            groups.setdefault(root(ann_id), []).append(by_id[ann_id])
        units: list[dict[str, Annotation]] = []
        for members in groups.values():
            unit: dict[str, Annotation] = {}
            for ann in members:
                if owner[ann.id] in unit:
                    units.append({owner[ann.id]: ann})
                else:
                    unit[owner[ann.id]] = ann
            units.append(unit)
        order = list(self.spans)
        units = [{name: unit[name] for name in order if name in unit} for unit in units]
        return sorted(units, key=lambda u: min((a.start, a.end) for a in u.values()))

    def value(self, ann: Annotation, attribute: str) -> str | None:
        """What `ann` says of `attribute`, as compared: an entry's id (merges followed), a word, UNSET; None: not
        coded (the type of an unlinked mention)."""
        if attribute == "actor type":
            entry = follow_merges(self.registry, ann.actor)
            return entry.type if entry is not None else None
        raw = getattr(ann, attribute)
        if not raw:
            return UNSET
        if attribute in ("speaker", "actor", "claimant"):
            entry = follow_merges(self.registry, raw)
            return entry.id if entry is not None else raw
        return str(raw)

    def shown(self, ann: Annotation, attribute: str) -> str:
        """What `ann` says of `attribute`, for the analyst: a name rather than an id."""
        value = self.value(ann, attribute)
        if value is None:
            return NOT_FOUND
        if attribute in ("speaker", "actor", "claimant") and value != UNSET:
            entry = self.registry.get(value)
            return shown_name(entry.name) if entry is not None else f"(unknown entry {clean_line(value)[:8]})"
        return clean_line(value)

    def disagreements(self, story_id: str, headline: str) -> list[Disagreement]:
        found: list[Disagreement] = []
        for unit in self.units:
            where = min(unit.values(), key=lambda a: (a.start, a.end))

            def differs(what: str, said: dict[str, str], at: Annotation = where) -> None:
                found.append(Disagreement(story_id, headline, self.kind, at.start, at.end, at.exact, what, said))

            if len(unit) < len(self.spans):
                differs("span found", {n: quoted(unit[n].exact) if n in unit else NOT_FOUND for n in self.spans})
            if len({(a.start, a.end) for a in unit.values()}) > 1:
                differs("span", {n: quoted(a.exact) for n, a in unit.items()})
            for attribute in ATTRIBUTES[self.kind]:
                coded = {n: a for n, a in unit.items() if self.value(a, attribute) is not None}
                if len({self.value(a, attribute) for a in coded.values()}) > 1:
                    differs(attribute, {n: self.shown(a, attribute) for n, a in coded.items()})
        return found


@dataclass
class _Tally:
    """Observations added up for one kind between `annotators`."""

    kind: str
    annotators: list[str]
    spans: Counter[str] = field(default_factory=Counter)
    exact: dict[Pair, SpanCounts] = field(default_factory=dict)
    overlap: dict[Pair, SpanCounts] = field(default_factory=dict)
    items: dict[Pair, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)
    units: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def add(self, seen: _Observation) -> None:
        attributes = ATTRIBUTES[self.kind]
        for name, anns in seen.spans.items():
            self.spans[name] += len(anns)
        for pair, counts in seen.exact.items():
            self.exact[pair] = self.exact.get(pair, SpanCounts()) + counts
            self.overlap[pair] = self.overlap.get(pair, SpanCounts()) + seen.overlap[pair]
            items = self.items.setdefault(pair, {attribute: [] for attribute in attributes})
            for a, b in seen.matched[pair]:
                for attribute in attributes:
                    va, vb = seen.value(a, attribute), seen.value(b, attribute)
                    if va is not None and vb is not None:
                        items[attribute].append((va, vb))
        for attribute in attributes:
            values = self.units.setdefault(attribute, [])
            for unit in seen.units:
                coded = {n: v for n, a in unit.items() if (v := seen.value(a, attribute)) is not None}
                values.append(coded)

    def scores(self) -> KindScores:
        attributes = ATTRIBUTES[self.kind]
        pairs = [
            PairScores(
                a,
                b,
                self.exact.get((a, b), SpanCounts()),
                self.overlap.get((a, b), SpanCounts()),
                {attribute: kappa(self.items.get((a, b), {}).get(attribute, [])) for attribute in attributes},
            )
            for a, b in combinations(self.annotators, 2)
        ]
        return KindScores(
            self.kind,
            {name: self.spans[name] for name in self.annotators},
            pairs,
            sum((p.exact for p in pairs), SpanCounts()),
            sum((p.overlap for p in pairs), SpanCounts()),
            {attribute: alpha(self.units.get(attribute, [])) for attribute in attributes},
        )
