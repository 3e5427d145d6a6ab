"""Merging another library's JSON export (`annotations.exports.json`, format 2) into this one.

Stories missing here are added as they are (their text must hash to their id). Annotations are matched by id:
new ones are added, identical ones skipped, and where the two copies differ the later `modified` wins (a tie
keeps this library's). Without a common ancestor, a side counts as having edited an annotation when its
`modified` differs from its `created`; a difference where both sides edited is a conflict, listed in the
report. Deletions travel as tombstones: a deleted annotation does not come back unless it was edited after the
deletion, and an incoming tombstone deletes the annotation here unless it was edited here after that deletion
(both are conflicts). Incoming tombstones are recorded here with their own times, so they keep travelling.
Registry entries match by id, else by name or alias (case and accents ignored): the incoming annotations then
link to the entry here. Claim threads (`annotations.threads`) match by id: one new here is added, one both sides
have takes the later edit and the claims only the other side linked; a claim is never put in two threads (the
thread here keeps it: a note says so), and a claim the merge deletes leaves its thread. Thread deletions travel
like annotations': a thread deleted here (its tombstone) comes back only if edited there after the deletion, and
one deleted there is deleted here unless edited here after (a tie keeps this library's); a claim unlinked here
(the thread's `unlinked`) comes back only if linked there after the unlink, and one unlinked there leaves the
thread here unless linked here after. Each such case is counted, the ones where the later side won named in the
notes; incoming thread tombstones and unlinks are kept here, so they keep travelling. Rejected suggestions
(`annotations.store.rejections`) are left out: they are the judgement of the library they were made in, and an
export does not carry them.

`plan` reads and checks everything and writes nothing; `apply` writes the plan: the stories in one import, then
the registry and the annotations in batches of `BATCH` edits (one journal line per table each). A merge
interrupted by a crash is completed by running it again: merging is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotations.actors import Actor, fold_name
from annotations.merge_input import MergeError, check, has_story, parse, read_export
from annotations.model import Annotation
from annotations.store import Store
from annotations.store.tagstore import Edit
from annotations.threads import Member, Thread, ThreadTombstone, buried, detached
from stories.model import Story, short_id
from stories.text import clean_line

__all__ = ["BATCH", "Conflict", "MergeError", "Plan", "Report", "apply", "merge_file", "plan"]

#: Annotation edits (and tombstones) per `Store.apply`: one journal line per table for each batch.
BATCH = 1000


@dataclass(frozen=True)
class Conflict:
    """An annotation both sides changed (or one deleted, one edited), which side won and why."""

    ann_id: str
    story_id: str
    excerpt: str
    winner: str  # "here" or "there"
    why: str

    def line(self) -> str:
        return f"{self.ann_id[:8]}  story {short_id(self.story_id)}  “{self.excerpt}”: {self.winner} won — {self.why}"


@dataclass
class Report:
    """What a merge did (or, in a dry run, would do)."""

    source: str
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    name_matches: list[str] = field(default_factory=list)
    type_conflicts: list[str] = field(default_factory=list)
    registry_changes: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def __getitem__(self, name: str) -> int:
        return len(self.conflicts) if name == "conflicts" else self.counts.get(name, 0)

    def lines(self, *, changed: bool) -> list[str]:
        """The report as text lines; `changed`: whether the merge wrote (or would write) anything."""

        def tally(*pairs: tuple[str, str]) -> str:
            return ", ".join(f"{self[key]} {words}" for key, words in pairs)

        if self.dry_run:
            head = f"dry run of merging {self.source}: " + ("nothing written" if changed else "it would change nothing")
        else:
            head = f"merged {self.source}" + ("" if changed else ": nothing changed")
        out = [
            head,
            "stories: " + tally(("stories_added", "added"), ("stories_present", "already here")),
            "annotations: "
            + tally(
                ("added", "added"),
                ("identical", "identical"),
                ("updated", "updated"),
                ("newer_here", "newer here (kept)"),
                ("conflicts", "conflicts"),
                ("tombstoned", "tombstoned"),
                ("refused", "resurrection refused"),
            ),
            "tombstones: " + tally(("tombstones_recorded", "recorded"), ("tombstones_present", "already here")),
            *(
                title + tally(*counts)
                for title, counts in (
                    ("threads: ", _THREAD_COUNTS),
                    ("thread deletions: ", _THREAD_DELETIONS),
                    ("claims unlinked: ", _UNLINKS),
                )
                if any(self[k] for k, _ in counts)
            ),
            "registry: "
            + tally(
                ("actors_added", "added"),
                ("actors_same", "same"),
                ("actors_updated", "updated"),
                ("actors_kept", "newer here (kept)"),
                ("name_matches", "matched by name"),
                ("type_conflicts", "type conflicts"),
            ),
        ]
        for title, items in (
            ("conflicts", [c.line() for c in self.conflicts]),
            ("matched by name", self.name_matches),
            ("type conflicts", self.type_conflicts),
            ("registry entries both sides have, edited", self.registry_changes),
            ("spans tagged on both sides (both kept; delete one if they are the same)", self.duplicates),
            ("notes", self.notes),
        ):
            if items:
                out.append(f"{title}:")
                out.extend("  " + item for item in items)
        return out


_THREAD_COUNTS = (
    ("threads_added", "added"),
    ("threads_updated", "updated"),
    ("threads_same", "same"),
    ("threads_kept", "kept"),
)
_THREAD_DELETIONS = (
    ("threads_deleted", "applied"),
    ("threads_spared", "kept (edited here later)"),
    ("threads_refused", "resurrection refused"),
    ("threads_revived", "back (edited there later)"),
    ("threads_emptied", "emptied"),
    ("thread_tombstones_recorded", "tombstones recorded"),
    ("thread_tombstones_present", "already here"),
)
_UNLINKS = (
    ("unlinks_applied", "applied"),
    ("unlinks_kept", "kept out"),
    ("relinked", "back (linked there later)"),
    ("unlinks_outlived", "kept in (linked here later)"),
)


@dataclass
class Plan:
    """The writes a merge makes, and its report."""

    report: Report
    stories: list[Story] = field(default_factory=list)
    actor_edits: list[Edit] = field(default_factory=list)
    #: (annotation edit or None, tombstone to record or None), in file order.
    steps: list[tuple[Edit | None, dict[str, str] | None]] = field(default_factory=list)
    #: Claim thread edits, written once the annotations are.
    thread_edits: list[Edit] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.stories or self.actor_edits or self.steps or self.thread_edits)


# --- planning -------------------------------------------------------------------------------------------


def plan(store: Store, data: Mapping[str, Any], source: str, *, dry_run: bool = False) -> Plan:
    """Check the export `data` (from `read_export`) against the library and work out the merge; writes nothing.
    Raises MergeError if any part of it cannot be merged."""
    incoming = check(store, parse(data), source)
    report = Report(source, dry_run)
    result = Plan(report)
    for story in incoming.stories.values():
        if has_story(store, story.id):
            report.add("stories_present")
        else:
            result.stories.append(story)
    result.stories.sort(key=lambda s: s.meta.version or 0)  # versions keep their numbers (see import_stories)
    report.add("stories_added", len(result.stories))
    mapping = _plan_registry(store, incoming.actors, result)
    _plan_annotations(store, incoming.annotations, incoming.tombstones, mapping, result)
    _plan_threads(store, incoming.threads, incoming.thread_tombstones, result)
    return result


def _plan_registry(store: Store, actors: dict[str, Actor], result: Plan) -> dict[str, str]:
    """Registry edits into `result`; returns incoming id -> id here for entries matched by name."""
    report = result.report
    local = store.registry()
    by_name: dict[str, set[str]] = {}
    for actor in local.values():
        if not actor.merged_into:
            for name in actor.names:
                by_name.setdefault(fold_name(name), set()).add(actor.id)
    mapping: dict[str, str] = {}
    added: list[Actor] = []
    for actor in sorted(actors.values(), key=lambda a: bool(a.merged_into)):  # entries merged into others last
        if actor.id in local:
            continue
        if actor.merged_into:
            target = _canonical(actor, actors, local)
            if target in mapping:
                mapping[actor.id] = mapping[target]
                report.add("name_matches")
                here = local[mapping[target]]
                report.name_matches.append(f"{_show(actor)} (merged into {target[:8]} there) -> {_show(here)}")
            else:
                added.append(actor)
            continue
        found = by_name.get(fold_name(actor.name)) or {i for n in actor.aliases for i in by_name.get(fold_name(n), ())}
        if len(found) > 1:
            report.notes.append(f"{_show(actor)}: several entries here share its name; added as its own entry")
            added.append(actor)
        elif found:
            here = local[next(iter(found))]
            if here.type == actor.type or "other" in (here.type, actor.type):
                mapping[actor.id] = here.id
                report.add("name_matches")
                report.name_matches.append(f"{_show(actor)} there -> {_show(here)} here")
            else:
                report.add("type_conflicts")
                report.type_conflicts.append(
                    f"{_show(actor)} is a {actor.type} there, {_show(here)} a {here.type} here: added as its own entry"
                )
                added.append(actor)
        else:
            added.append(actor)
    after = dict(local)
    for actor in added:
        actor = _remapped(actor, mapping)
        after[actor.id] = actor
        result.actor_edits.append((None, actor))
    report.add("actors_added", len(added))
    for actor in actors.values():
        if actor.id in local:
            _plan_entry(local[actor.id], _remapped(actor, mapping), after, result)
    return mapping


def _plan_entry(here: Actor, there: Actor, after: dict[str, Actor], result: Plan) -> None:
    """An entry both libraries have (by id): the same, or the later edit taken unless it would make a merge loop."""
    report = result.report
    if here == there:
        report.add("actors_same")
        return
    if there.modified > here.modified:
        after[there.id] = there
        if not _loops(after, there.id):
            result.actor_edits.append((here, there))
            report.add("actors_updated")
            report.registry_changes.append(f"{_show(here)}: taken from there ({_changed(here, there)})")
            return
        after[there.id] = here
        report.notes.append(f"{_show(here)}: its change there would make a loop of merged entries; kept here")
        report.add("actors_kept")
        return
    report.add("actors_kept")
    report.registry_changes.append(f"{_show(here)}: kept here, edited later here ({_changed(there, here)})")


def _changed(old: Actor, new: Actor) -> str:
    """Which fields of an entry differ: "name, aliases"."""
    fields = ("name", "type", "aliases", "external_id", "note", "merged_into")
    return ", ".join(f.replace("_", " ") for f in fields if getattr(old, f) != getattr(new, f)) or "dates"


def _canonical(actor: Actor, actors: dict[str, Actor], local: Mapping[str, Actor]) -> str:
    """The id an incoming merged entry forwards to in the file (stopping at an entry this library has)."""
    seen = {actor.id}
    while actor.merged_into and actor.merged_into in actors and actor.merged_into not in local:
        actor = actors[actor.merged_into]
        if actor.id in seen:
            raise MergeError(f"actor {actor.id[:8]} ({actor.name}) is part of a loop of merged entries")
        seen.add(actor.id)
    target = actor.merged_into
    return target if target is not None and target in local else actor.id


def _loops(registry: Mapping[str, Actor], actor_id: str) -> bool:
    seen: set[str] = set()
    actor = registry.get(actor_id)
    while actor is not None and actor.merged_into:
        if actor.id in seen:
            return True
        seen.add(actor.id)
        actor = registry.get(actor.merged_into)
    return False


def _remapped(actor: Actor, mapping: Mapping[str, str]) -> Actor:
    target = actor.merged_into
    return replace(actor, merged_into=mapping[target]) if target is not None and target in mapping else actor


def _relinked(ann: Annotation, mapping: Mapping[str, str]) -> Annotation:
    """The annotation with its links to entries matched by name turned to the entries here."""
    if not any(target in mapping for target in ann.links().values()):
        return ann

    def here(target: str | None) -> str | None:
        return mapping.get(target, target) if target is not None else None

    return replace(ann, speaker=here(ann.speaker), actor=here(ann.actor), claimant=here(ann.claimant))


def _show(actor: Actor) -> str:
    return f"“{clean_line(actor.name)}” ({actor.id[:8]})"


def _plan_annotations(
    store: Store,
    anns: dict[str, Annotation],
    tombs: dict[str, dict[str, str]],
    mapping: Mapping[str, str],
    result: Plan,
) -> None:
    report = result.report
    dead = {t["id"]: t for t in store.tombstones()}
    spans: dict[str, dict[tuple[str, int, int], str]] = {}  # story id -> (kind, start, end) -> an annotation here
    for there in anns.values():
        there = _relinked(there, mapping)
        here = store.annotation(there.id)
        if here is not None:
            _plan_pair(here, there, result)
        elif there.id in dead:
            _plan_resurrection(there, dead[there.id], result)
        else:
            result.steps.append(((None, there), None))
            report.add("added")
            if there.story_id not in spans:  # read once per story: a merge into a full story stays O(N log N)
                spans[there.story_id] = {}
                for ann in reversed(store.annotations(there.story_id)):
                    spans[there.story_id][(ann.kind, ann.start, ann.end)] = ann.id
            twin = spans[there.story_id].get((there.kind, there.start, there.end))
            if twin is not None:
                report.duplicates.append(
                    f"story {there.story_id[:8]} [{there.start}:{there.end}] {there.kind} “{clean_line(there.exact)}”:"
                    f" {twin[:8]} here, {there.id[:8]} there"
                )
    for tomb in tombs.values():
        if tomb["id"] in anns:  # a tombstone of a live annotation (a crash while deleting): ignored
            continue
        here = store.annotation(tomb["id"])
        if here is not None:
            _plan_deletion(here, tomb, result)
        elif tomb["id"] in dead:
            report.add("tombstones_present")
        else:
            result.steps.append((None, tomb))
            report.add("tombstones_recorded")


def _conflict(ann: Annotation, winner: str, why: str) -> Conflict:
    excerpt = " ".join(ann.exact.split())
    return Conflict(ann.id, ann.story_id, excerpt if len(excerpt) <= 40 else excerpt[:39] + "…", winner, why)


def _plan_pair(here: Annotation, there: Annotation, result: Plan) -> None:
    """Both libraries have the annotation: the same, or the later edit wins (a tie keeps this library's)."""
    report = result.report
    if here == there:
        report.add("identical")
        return
    edited_here, edited_there = here.modified != here.created, there.modified != there.created
    if there.modified > here.modified and not edited_here:
        result.steps.append(((here, there), None))
        report.add("updated")
    elif there.modified < here.modified and not edited_there:
        report.add("newer_here")
    elif there.modified > here.modified:
        result.steps.append(((here, there), None))
        why = f"edited on both sides, later there ({there.modified}; here {here.modified})"
        report.conflicts.append(_conflict(there, "there", why))
    elif there.modified < here.modified:
        why = f"edited on both sides, later here ({here.modified}; there {there.modified})"
        report.conflicts.append(_conflict(here, "here", why))
    else:
        why = f"edited on both sides at the same time ({here.modified}): a tie keeps this library's"
        report.conflicts.append(_conflict(here, "here", why))


def _plan_resurrection(there: Annotation, tomb: Mapping[str, str], result: Plan) -> None:
    """The annotation was deleted here: it comes back only if edited there after the deletion."""
    report = result.report
    if there.modified > tomb["deleted"]:
        result.steps.append(((None, there), None))
        why = f"edited there {there.modified}, after its deletion here {tomb['deleted']}"
        report.conflicts.append(_conflict(there, "there", why))
    elif there.modified == tomb["deleted"] and there.modified != tomb["modified"]:
        why = f"a tie: edited there when it was deleted here ({tomb['deleted']}); kept deleted"
        report.conflicts.append(_conflict(there, "here", why))
    else:
        report.add("refused")


def _plan_deletion(here: Annotation, tomb: dict[str, str], result: Plan) -> None:
    """The annotation was deleted there: deleted here too unless edited here after that deletion."""
    report = result.report
    if here.modified > tomb["deleted"]:
        why = f"deleted there {tomb['deleted']}, but edited here later ({here.modified}); kept"
        report.conflicts.append(_conflict(here, "here", why))
    elif here.modified == tomb["deleted"] and here.modified != tomb["modified"]:
        why = f"a tie: edited here when it was deleted there ({tomb['deleted']}); kept"
        report.conflicts.append(_conflict(here, "here", why))
    else:
        result.steps.append(((here, None), tomb))
        report.add("tombstoned")


def _plan_threads(
    store: Store, threads: Mapping[str, Thread], tombs: Mapping[str, ThreadTombstone], result: Plan
) -> None:
    """Thread edits into `result`: the claims the merge deletes leave their threads, the threads deleted there go
    here, then each incoming thread is added or joined with the one here (see the module docstring)."""
    report = result.report
    edits = [edit for edit, _ in result.steps if edit is not None]
    live = {a.id: a.kind for a in (after for _, after in edits) if isinstance(a, Annotation)}
    gone = {b.id for b, a in edits if isinstance(b, Annotation) and a is None}
    here = {t.id: t for t in store.threads()}
    after: dict[str, Thread | None] = dict(here)
    for old, new in detached(edits, store.thread_of):
        after[old.id] = new
    dead = {t.id: t for t in store.thread_tombstones() if t.id not in here}  # one of a live thread is no matter
    given: dict[str, ThreadTombstone] = {}  # tombstones from there, recorded here
    for tomb in tombs.values():
        if tomb.id in threads:  # a tombstone of a thread the file has: ignored
            continue
        mine = after.get(tomb.id)
        if mine is not None:
            if _later(mine.modified, tomb.deleted, tomb.modified):
                report.add("threads_spared")
                report.notes.append(
                    f"thread {tomb.id[:8]}: deleted there {tomb.deleted}, but edited here later ({mine.modified}); kept"
                )
                continue
            after[tomb.id] = None
            given[tomb.id] = tomb
            report.add("threads_deleted")
        elif tomb.id in dead:
            report.add("thread_tombstones_present")
        elif tomb.id in here:  # its claims all deleted by this merge: it goes, with this tombstone
            given[tomb.id] = tomb
            report.add("thread_tombstones_recorded")
        else:
            result.thread_edits.append((None, tomb))
            report.add("thread_tombstones_recorded")
    leaving = {ann_id for there in threads.values() for ann_id in _unlinked_there(after.get(there.id), there)}
    owner = {ann_id: t.id for t in after.values() if t is not None for ann_id in t.ids if ann_id not in leaving}

    def usable(thread_id: str, ann_id: str) -> bool:
        if ann_id in gone:
            return False
        kind = live.get(ann_id) or (a.kind if (a := store.annotation(ann_id)) is not None else None)
        if kind != "claim":
            return False
        if owner.get(ann_id, thread_id) != thread_id:
            report.notes.append(
                f"claim {ann_id[:8]} is in thread {owner[ann_id][:8]} here: left out of thread {thread_id[:8]}"
            )
            return False
        return True

    for there in threads.values():
        mine = after.get(there.id)
        if there.id in here and mine is not None and mine == there:
            report.add("threads_same")
            continue
        if mine is None:
            if there.id in here:  # all its claims deleted by this merge, or deleted there: it stays gone
                continue
            buried_here = dead.get(there.id)
            if buried_here is not None and there.modified <= buried_here.deleted:  # a tie keeps it deleted
                report.add("threads_refused")
                continue
            members = tuple(m for m in there.members if usable(there.id, m.annotation))
            if members:
                after[there.id] = replace(there, members=members)
                owner.update(dict.fromkeys((m.annotation for m in members), there.id))
                report.add("threads_added" if buried_here is None else "threads_revived")
                if buried_here is not None:
                    report.notes.append(
                        f"thread {there.id[:8]}: deleted here {buried_here.deleted}, edited there later"
                        f" ({there.modified}); back"
                    )
            continue
        joined = _joined(mine, there, usable, report)
        if joined == mine:
            report.add("threads_kept")
            continue
        after[there.id] = joined
        if joined is None:
            report.add("threads_emptied")
            continue
        owner.update(dict.fromkeys(joined.ids, there.id))
        report.add("threads_updated")
    changed: list[Edit] = [
        (here.get(thread_id), thread) for thread_id, thread in after.items() if thread != here.get(thread_id)
    ]
    result.thread_edits.extend(changed)
    result.thread_edits.extend(buried(changed, store.thread_tombstone, given))


def _unlinked_there(mine: Thread | None, there: Thread) -> set[str]:
    """The claims of thread `mine` that `there` took out after they were linked here (a tie: the unlink)."""
    if mine is None:
        return set()
    out = dict(there.unlinked)
    return {m.annotation for m in mine.members if m.annotation in out and out[m.annotation] >= m.linked}


def _later(edited: str, deleted: str, modified: str) -> bool:
    """Whether an edit here at `edited` outlives a deletion there at `deleted` of what was last changed at
    `modified` (a tie keeps this library's, unless its edit is the one the deletion saw)."""
    return edited > deleted or (edited == deleted and edited != modified)


def _joined(mine: Thread, there: Thread, usable: Callable[[str, str], bool], report: Report) -> Thread | None:
    """A thread both sides have, joined: the later edit's title and statuses, the claims either side linked except
    those unlinked on the other side after they were linked (None: no claim is left)."""
    winner, loser = (there, mine) if there.modified > mine.modified else (mine, there)
    mine_at = {m.annotation: m.linked for m in mine.members}
    here_out, there_out = dict(mine.unlinked), dict(there.unlinked)

    def stays(m: Member) -> bool:
        ann_id = m.annotation
        if ann_id in mine_at:
            out = there_out.get(ann_id)
            if out is None:
                return True
            if out >= mine_at[ann_id]:  # a tie: the unlink was the later step
                report.add("unlinks_applied")
                return False
            report.add("unlinks_outlived")
            report.notes.append(
                f"claim {ann_id[:8]}: unlinked from thread {mine.id[:8]} there {out}, linked here later"
                f" ({mine_at[ann_id]}); kept in it"
            )
            return True
        out = here_out.get(ann_id)
        if out is not None:
            if m.linked <= out:  # a tie: the unlink was the later step
                report.add("unlinks_kept")
                return False
            report.add("relinked")
            report.notes.append(
                f"claim {ann_id[:8]}: unlinked from thread {mine.id[:8]} here {out}, linked there later"
                f" ({m.linked}); back in it"
            )
        return usable(there.id, ann_id)

    members = tuple(m for m in winner.members if stays(m))
    taken = {m.annotation for m in members} | {m.annotation for m in winner.members}
    extra = tuple(m for m in loser.members if m.annotation not in taken and stays(m))
    if not members and not extra:
        return None
    unlinked = {**here_out}
    for ann_id, when in there_out.items():
        unlinked[ann_id] = max(when, unlinked.get(ann_id, when))
    return replace(winner, members=(*members, *extra), unlinked=tuple(unlinked.items()))


# --- writing --------------------------------------------------------------------------------------------


def apply(store: Store, merge: Plan) -> None:
    """Write a plan: the new stories at once, then registry and annotation edits in batches of `BATCH`."""
    if merge.stories:
        store.import_stories(merge.stories)
        for story in merge.stories:
            kept = store.story_meta(story.id).version
            if kept != story.meta.version:
                merge.report.notes.append(
                    f"story {story.short_id} is stored as version {kept} (version {story.meta.version} is taken here)"
                )
    steps = merge.steps
    for start in range(0, max(len(steps), 1), BATCH):
        chunk = steps[start : start + BATCH]
        edits = (merge.actor_edits if start == 0 else []) + [edit for edit, _ in chunk if edit is not None]
        tombstones = {tomb["id"]: tomb for _, tomb in chunk if tomb is not None}
        if edits or tombstones:
            store.apply(edits, tombstones=tombstones)
    if merge.thread_edits:
        store.apply(merge.thread_edits)


def merge_file(store: Store, path: Path, *, dry_run: bool = False) -> tuple[Report, bool]:
    """Merge the export in `path` into `store` (unless `dry_run`); the report and whether anything changed."""
    merge = plan(store, read_export(path), clean_line(path.name), dry_run=dry_run)
    if not dry_run:
        apply(store, merge)
    return merge.report, merge.changes
