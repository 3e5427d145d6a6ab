"""The analyst's verdict on suggestions: which are still pending, what accepting one stores, rejecting one.

For the reader and `wiredesk suggest` alike. Accepting stores normal annotations with their links (and the
registry entries they need) as one undoable step; rejecting remembers the suggestion in the library
(`annotations.store.rejections`), so it is not suggested again: in its story by its key, anywhere by its pattern.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from annotations.actors import ACTOR_TYPES, Actor, fold_name
from annotations.config import SUGGEST_ANNOTATOR
from annotations.history import History
from annotations.model import FORMS, Annotation, AnnotationError
from annotations.registry import Registry, new_entry
from annotations.store import Store
from annotations.store.rejections import Rejection
from annotations.store.tagstore import Edit
from annotations.suggest.model import Suggestion
from annotations.suggest.nlp import NlpBackend
from stories.model import Story
from stories.text import clean_line

__all__ = [
    "DEFAULT_ANNOTATOR",
    "MAX_PASSES",
    "Batch",
    "Marks",
    "accept",
    "accept_all",
    "marks",
    "pending",
    "reject",
    "rejection_of",
    "still_pending",
    "to_annotation",
]

#: Who accepted a suggestion from the command line, unless the config names someone (`suggest_annotator`).
DEFAULT_ANNOTATOR = SUGGEST_ANNOTATOR

#: The type a new registry entry gets when the suggester guessed none, by the field that links to it.
_DEFAULT_TYPE = {"speaker": "person", "actor": "other", "claimant": "person"}


class _Spans:
    """The spans of one kind's annotations, for "does this span overlap one" in O(log n)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.reach: list[int] = []  # the furthest end among the spans up to each
        furthest = -1
        for _, end in spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # spans starting before `end`
        return i > 0 and self.reach[i - 1] > start


class Marks(NamedTuple):
    """What the library already says about one story that hides a suggestion: its annotations' spans by kind,
    and the keys of the suggestions rejected in it (small and plain: it travels to worker processes)."""

    spans: dict[str, list[tuple[int, int]]]
    keys: frozenset[tuple[str, int, int]]


def marks(store: Store, story_id: str) -> Marks:
    """The `Marks` of a story in `store`."""
    spans: dict[str, list[tuple[int, int]]] = {}
    records = store.records_by_story().get(story_id, {})  # the records: no Annotation made for a span
    for rec in sorted(records.values(), key=lambda r: (r.start, -r.end)):
        spans.setdefault(rec.kind, []).append((rec.start, rec.end))
    return Marks(spans, frozenset(store.rejected_keys(story_id)))


def still_pending(suggestions: Sequence[Suggestion], marked: Marks, patterns: Set[str]) -> list[Suggestion]:
    """`suggestions` minus any overlapping an annotation of the same kind (overlap, not only the same span), any
    rejected in the story (by key) and any whose pattern was rejected in any story (`patterns`); in text order."""
    tagged = {kind: _Spans(list(found)) for kind, found in marked.spans.items()}
    keys = marked.keys
    kept = []
    for s in suggestions:
        if s.key in keys or (patterns and s.pattern in patterns):
            continue
        there = tagged.get(s.kind)
        if there is not None and there.overlaps(s.start, s.end):
            continue
        kept.append(s)
    return sorted(kept, key=lambda s: (s.start, -s.end))  # stable: the suggester's kind order within a span


def pending(
    store: Store,
    story: Story,
    suggestions: Sequence[Suggestion] | None = None,
    *,
    registry: Registry | None = None,
    nlp: NlpBackend | None = None,
) -> list[Suggestion]:
    """The suggestions for `story` still to be judged: `suggest(story, Registry.of(store))` (or `suggestions`)
    as `still_pending` leaves them with the story's marks and the library's rejected patterns.
    `registry`: the registry to suggest with (one for a run over many stories); `nlp`: an optional spaCy back end."""
    if suggestions is None:
        from annotations.suggest import suggest  # the package imports the finders; looked up at call time

        suggestions = suggest(story, registry if registry is not None else Registry.of(store), nlp=nlp)
    return still_pending(suggestions, marks(store, story.id), store.rejected_patterns())


@dataclass
class Batch:
    """Registry entries made for a batch of accepted suggestions so far: one per name, however many name it."""

    registry: Registry
    new: dict[str, Actor] = field(default_factory=dict)  # folded name -> the entry made for it

    def link(self, name: str, actor_id: str | None, type_: str, fallback: str) -> str | None:
        """The registry id for a name the suggester found: `actor_id` if it is still an entry, else the one entry
        the strict lookup finds, else a new entry (of `type_`, else `fallback`). None when there is no name or
        it names several entries (the analyst links it by hand)."""
        if actor_id and (entry := self.registry.canonical(actor_id)) is not None:
            return entry.id
        name = " ".join(clean_line(name).split())
        folded = fold_name(name)
        if not folded:
            return None
        if folded in self.new:
            return self.new[folded].id
        try:
            found = self.registry.lookup(name, "strict")
        except AnnotationError:
            return None
        if found.found and found.how != "id":  # a name such as "Cafe" is not an id prefix here
            return found.actor.id if found.actor is not None else None
        try:
            made = new_entry(self.registry, name, type_ if type_ in ACTOR_TYPES else fallback)
        except AnnotationError:
            return None
        self.new[folded] = made
        return made.id


def _annotation(story: Story, s: Suggestion, annotator: str, batch: Batch) -> Annotation:
    """The annotation of `s`, linked (`created` == `modified`: a fresh annotation, never an edited one)."""
    if not (0 <= s.start < s.end <= len(story.text)) or story.text[s.start : s.end] != s.exact:
        raise AnnotationError(f"the suggested {s.kind} at {s.start}-{s.end} does not match the story text")
    ann = Annotation.new(story, s.kind, s.start, s.end, annotator=annotator)
    if s.kind == "quote":
        speaker = batch.link(s.speaker, s.speaker_id, s.speaker_type, _DEFAULT_TYPE["speaker"])
        form = s.form if s.form in FORMS else None
        ann = replace(ann, speaker=speaker, form=form, cue=clean_line(s.cue))
    elif s.kind == "actor":
        ann = replace(ann, actor=batch.link(s.actor or s.exact, s.actor_id, s.actor_type, _DEFAULT_TYPE["actor"]))
    else:
        ann = replace(ann, claimant=batch.link(s.claimant, s.claimant_id, s.claimant_type, _DEFAULT_TYPE["claimant"]))
    ann.check()
    return ann


def to_annotation(
    store: Store, story: Story, s: Suggestion, *, annotator: str, batch: Batch | None = None
) -> tuple[Annotation, tuple[Actor, ...]]:
    """The annotation accepting `s` would store, and the new registry entries it needs: a speaker, actor or
    claimant not in the registry becomes a new entry of the guessed type; an existing one is found by the strict
    `Registry.lookup` (a name naming several entries is left unlinked). Pass one `batch` for several suggestions
    so that a name gets one new entry. Nothing is stored. AnnotationError if `s` does not fit the story text."""
    batch = batch if batch is not None else Batch(Registry.of(store))
    before = set(batch.new)
    ann = _annotation(story, s, annotator, batch)
    return ann, tuple(batch.new[k] for k in batch.new if k not in before)


def _learned_alias(store: Store, ann: Annotation, entries: dict[str, Actor], batch: Batch) -> None:
    """An actor mention spelled as its entry does not know yet becomes an alias (as `History.add` does), unless
    another entry answers to that spelling or learns it in this batch. `entries`: the entries edited so far in
    this batch, by id (each edit starts from the entry as stored)."""
    if ann.kind != "actor" or ann.actor is None:
        return
    entry = entries.get(ann.actor) or store.actor(ann.actor)
    spelled = " ".join(ann.exact.split())
    folded = fold_name(spelled)
    if entry is None or folded in {fold_name(n) for n in entry.names}:
        return
    if folded in batch.new or batch.registry.clash(entry, [spelled]) is not None:
        return  # another entry's name: not this one's alias
    if any(folded in {fold_name(n) for n in other.names} for other in entries.values() if other.id != entry.id):
        return  # learned by another entry in this batch already
    entries[entry.id] = entry.edited(aliases=(*entry.aliases, spelled))


def accept(
    history: History,
    story: Story,
    suggestions: Sequence[Suggestion],
    *,
    annotator: str,
    registry: Registry | None = None,
) -> list[Annotation]:
    """Store `suggestions` as annotations with their links, and the registry entries they need, as ONE undoable
    step (saved at once). A suggestion whose span is already tagged with its kind (or earlier in the batch) is
    skipped; an actor mention spelled in a new way becomes an alias of its entry, as `History.add` does for one
    tag. The annotations stored (none: no step). AnnotationError if a suggestion does not fit the story text."""
    store = history.store
    registry = registry if registry is not None else Registry.of(store)
    batch = Batch(registry)
    taken = {(a.kind, a.start, a.end) for a in store.annotations(story.id)}
    made: list[Annotation] = []
    for s in suggestions:
        if s.key in taken:
            continue
        taken.add(s.key)
        made.append(_annotation(story, s, annotator, batch))
    if not made:
        return []
    new_ids = {a.id for a in batch.new.values()}
    edited: dict[str, Actor] = {}
    for ann in made:
        if ann.actor not in new_ids:
            _learned_alias(store, ann, edited, batch)
    edits: list[Edit] = [(None, a) for a in batch.new.values()]
    edits.extend((store.entry(i), a) for i, a in edited.items())
    edits.extend((None, a) for a in made)
    kinds = {a.kind for a in made}
    label = f"accept {kinds.pop()}" if len(made) == 1 else f"accept {len(made)} suggestions"
    history.do(edits, label)
    return made


#: Passes `accept_all` makes at most. A pass that adds registry names or aliases can make new suggestions in
#: stories it has passed ("Quist" once "Ada Quist" is an entry): the next pass takes them, until one adds no name.
MAX_PASSES = 5


def _names(store: Store) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return tuple((a.id, a.name, a.aliases) for a in store.actors())


def accept_all(
    history: History,
    story_ids: Sequence[str],
    *,
    annotator: str,
    keep: Callable[[Suggestion], bool] = lambda s: True,
    nlp: NlpBackend | None = None,
) -> Iterator[tuple[Story, list[Suggestion]]]:
    """Accept every pending suggestion `keep` keeps in the stories, one undoable step a story, passing over them
    again while a pass adds registry names (at most MAX_PASSES), so that running it a second time adds nothing.
    Yields each story with the suggestions stored in it, as it goes."""
    store = history.store
    names = _names(store)
    registry = Registry.of(store)
    for _ in range(MAX_PASSES):
        before = names
        for story_id in story_ids:
            story = store.story(story_id)
            found = [s for s in pending(store, story, registry=registry, nlp=nlp) if keep(s)]
            anns = accept(history, story, found, annotator=annotator, registry=registry) if found else []
            if not anns:
                continue
            if (now := _names(store)) != names:
                names, registry = now, Registry.of(store)  # the next story links to the names this one made
            kept = {(a.kind, a.start, a.end) for a in anns}
            yield story, [s for s in found if s.key in kept]
        if names == before:
            return


def rejection_of(story: Story, s: Suggestion) -> Rejection:
    """The rejection that remembers `s` (not stored). AnnotationError if it does not fit the story text."""
    if not (0 <= s.start < s.end <= len(story.text)) or story.text[s.start : s.end] != s.exact:
        raise AnnotationError(f"the suggested {s.kind} at {s.start}-{s.end} does not match the story text")
    return Rejection.new(story.id, s.kind, s.start, s.end, s.exact, s.pattern)


def reject(history: History, story: Story, suggestions: Sequence[Suggestion]) -> None:
    """Remember `suggestions` as rejected, durably, as one undoable step (undo brings them back): not suggested
    again in this story, nor (by pattern: kind and folded text) in any other."""
    history.reject([rejection_of(story, s) for s in suggestions])
