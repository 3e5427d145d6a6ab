"""Reading the merged files of the working copy into the library: new and changed registry entries and
annotations, deletions with their tombstones, the stories they need, then the curation decisions
(`annotations.sync.decision_records`) and the claim threads (after the claims they link); all checked first as a
merge checks its input, so a bad record changes nothing.

Threads are taken as the file holds them (the merge joined both sides already), except: a member that is not a
claim in the library after the sync is left out (noted); a claim is in one thread only, the one it was linked into
last, as linking moves a claim (the same choice in every library, so they agree; noted); an incoming deletion
spares a thread edited here after it (`annotations.merge._later`). Every thread edit goes in one `Store.apply`, with
the tombstones `annotations.threads.buried` makes for it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

import orjson

from annotations.actors import Actor, fold_name
from annotations.merge import _later
from annotations.merge_input import MergeError, check, parse
from annotations.model import Annotation
from annotations.store import Store
from annotations.store.decisions import Decision
from annotations.store.tagstore import Edit
from annotations.sync.decision_records import DecisionsIn, check_texts, decision_edits, read_decisions
from annotations.sync.git import SyncError
from annotations.sync.records import CONFLICTS, REGISTRY, THREADS, Record, is_decisions, is_tombstone
from annotations.sync.report import Report
from annotations.sync.scope import Files, Scope, ann_record, story_of
from annotations.sync.thread_join import read_thread
from annotations.threads import Thread, ThreadTombstone, buried
from stories.text import clean_line

__all__ = ["BATCH", "bring_in", "conflicts_in"]

#: Annotation edits per `Store.apply` when the merged files are read into the library.
BATCH = 1000
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,128}")
_DATE = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)?")


def _pick_live(rec: Record, live_actors: set[str]) -> Record:
    """An annotation record with links to entries no longer in the registry dropped (the entry was deleted)."""
    dead = [k for k in ("speaker", "actor", "claimant") if rec.get(k) and rec[k] not in live_actors]
    return {**rec, **dict.fromkeys(dead)} if dead else rec


def _actor_tombstone(rec: Record, path: str) -> dict[str, str]:
    key, deleted, modified = rec.get("id"), rec.get("deleted"), rec.get("modified", "")
    ok = isinstance(key, str) and _ID.fullmatch(key) and isinstance(deleted, str) and _DATE.fullmatch(deleted)
    if not ok or not isinstance(modified, str):
        raise SyncError(f"the sync repository's {path} holds a deleted entry that is not one sync wrote")
    return {"id": str(key), "deleted": str(deleted), "modified": modified[:40]}


def conflicts_in(records: Mapping[str, Record]) -> list[Record]:
    out = []
    for rec in records.values():
        fields_ok = all(isinstance(rec.get(k), str) for k in ("id", "file", "record"))
        if not fields_ok or not all(isinstance(rec.get(k), dict | None) for k in ("base", "ours", "theirs")):
            raise SyncError(f"the sync repository's {CONFLICTS} holds a record that is not a conflict")
        out.append(rec)
    return sorted(out, key=lambda c: (str(c.get("found", "")), c["id"]))


def bring_in(
    store: Store, scope: Scope, files: Files, story_file: Callable[[str], bytes | None], report: Report
) -> None:
    """Make the library hold what `files` hold (records by file; others are left alone): new and changed
    registry entries and annotations, deletions (with the tombstones as given), the stories they need, the curation
    decisions, the claim threads (see the module docstring)."""
    threads_in = [read_thread(rec, THREADS) for rec in files.get(THREADS, {}).values()]  # all checked before any write
    registry = store.registry()
    actor_recs = files.get(REGISTRY, {})
    live_actors = {k for k, r in actor_recs.items() if not is_tombstone(r)} | (registry.keys() - actor_recs.keys())
    actors_in: list[Record] = []
    actors_gone: dict[str, dict[str, str]] = {}
    for key, rec in actor_recs.items():
        if is_tombstone(rec):
            tomb = _actor_tombstone(rec, REGISTRY)
            if key in registry or store.actor_tombstone(key) is None:
                actors_gone[key] = tomb
            continue
        if rec.get("merged_into") and rec["merged_into"] not in live_actors:
            rec = {**rec, "merged_into": None}
        entry = registry.get(key)
        if entry is None or entry.to_dict() != rec:
            actors_in.append(rec)
    anns_in: list[Record] = []
    tombs_in: dict[str, dict[str, str]] = {}
    decisions_in = DecisionsIn()
    for path, records in files.items():
        if path in (REGISTRY, THREADS, CONFLICTS):
            continue
        if is_decisions(path):
            read_decisions(path, story_of(path), records, decisions_in)
            continue
        layer, story_id = scope.layer_of(path), story_of(path)
        for key, rec in records.items():
            if rec.get("story_id") != story_id or (not is_tombstone(rec) and rec.get("annotator") != layer):
                raise SyncError(f"the sync repository's {clean_line(path)} holds a record of another story or layer")
            here = store.annotation(key)
            if is_tombstone(rec):
                if here is not None or store.tombstone(key) is None:
                    tombs_in[key] = rec
                continue
            rec = _pick_live(rec, live_actors)
            if here is None or ann_record(here, scope.layers.of(here)) != rec:
                anns_in.append(rec)
    stories = []
    for key, rec in list(tombs_in.items()):  # a deletion in a story this library never had: nothing to delete
        if rec["story_id"] not in store.story_ids and rec["story_id"] not in {r["story_id"] for r in anns_in}:
            del tombs_in[key]
    for story_id in sorted({str(r["story_id"]) for r in anns_in} - set(store.story_ids)):
        raw = story_file(story_id)
        if raw is None:
            raise SyncError(f"story {story_id[:12]} is annotated in the sync repository, but its file is missing")
        try:
            stories.append(orjson.loads(raw))
        except orjson.JSONDecodeError:
            raise SyncError(f"the sync repository's stories/{story_id}.json is not JSON") from None
    try:
        incoming = check(
            store,
            parse(
                {"stories": stories, "actors": actors_in, "annotations": anns_in, "deleted": list(tombs_in.values())}
            ),
            "the sync repository",
        )
    except MergeError as exc:
        raise SyncError(f"the sync repository holds what cannot be read in: {exc}") from None

    def text_of(story_id: str) -> str | None:
        if story_id in incoming.stories:
            return incoming.stories[story_id].text
        return store.story(story_id).text if story_id in store.story_ids else None

    check_texts(decisions_in, text_of)
    if incoming.stories:
        store.import_stories(incoming.stories.values())
        report.add("story", len(incoming.stories))
    _apply_records(store, incoming.actors.values(), incoming.annotations.values(), incoming.tombstones, actors_gone)
    report.add("registry entry", len(incoming.actors))
    report.add("annotation", len(incoming.annotations))
    report.add("deletion", len(incoming.tombstones) + len(actors_gone))
    report.notes.extend(_twins(store, incoming.actors))
    decided, decision_tombs, notes = decision_edits(store, decisions_in)
    if decided or decision_tombs:
        store.apply(decided, decision_tombstones=decision_tombs)
    report.add("curation decision", sum(1 for _before, after in decided if isinstance(after, Decision)))
    report.add("deletion", sum(1 for _before, after in decided if after is None))
    report.notes.extend(notes)
    _apply_threads(store, threads_in, report)


def _apply_threads(store: Store, records: list[Thread | ThreadTombstone], report: Report) -> None:
    """Make the library's threads those of the file (see the module docstring), in one step."""
    here = {t.id: t for t in store.threads()}
    after: dict[str, Thread | None] = dict(here)
    given: dict[str, ThreadTombstone] = {}
    edits: list[Edit] = []
    for rec in records:
        mine = here.get(rec.id)
        if isinstance(rec, Thread):
            after[rec.id] = rec
        elif mine is None:
            if store.thread_tombstone(rec.id) is None:  # a deletion this library had not heard of: kept, to travel
                edits.append((None, rec))
        elif _later(mine.modified, rec.deleted, rec.modified):
            report.notes.append(
                f"claim thread {rec.id[:8]}: deleted there {rec.deleted}, but edited here later ({mine.modified}); kept"
            )
        else:
            after[rec.id] = None
            given[rec.id] = rec
    claimed: dict[str, list[tuple[str, str]]] = {}  # claim -> (linked, thread id) of each thread holding it
    for thread_id, thread in after.items():
        for m in thread.members if thread is not None else ():
            claimed.setdefault(m.annotation, []).append((m.linked, thread_id))
    keeper = {a: max(held)[1] for a, held in claimed.items()}
    for thread_id, thread in sorted(after.items()):
        out = []
        for ann_id in thread.ids if thread is not None else ():
            ann = store.annotation(ann_id)
            if ann is None or ann.kind != "claim":
                out.append(ann_id)
                report.notes.append(f"claim thread {thread_id[:8]}: {ann_id[:8]} is not a claim here; left out")
            elif keeper[ann_id] != thread_id:
                out.append(ann_id)
                report.notes.append(
                    f"claim {ann_id[:8]} was linked into claim thread {keeper[ann_id][:8]} later: left out of thread "
                    f"{thread_id[:8]}"
                )
        if out and thread is not None:
            after[thread_id] = thread.without(out)
    changed: list[Edit] = [(here.get(k), t) for k, t in after.items() if t != here.get(k)]
    edits.extend(changed)
    edits.extend(buried(changed, store.thread_tombstone, given))
    if edits:
        store.apply(edits)
    report.add("claim thread", sum(1 for _before, t in changed if t is not None))
    report.add("deletion", sum(1 for _before, t in changed if t is None))


def _twins(store: Store, arrived: Mapping[str, Actor]) -> list[str]:
    """A line for each entry that arrived under the name of another entry in use: two people added the same actor
    (the registry holds one entry per actor: merging them is the user's call, and travels like any edit)."""
    if not arrived:
        return []
    by_name: dict[str, list[Actor]] = {}
    for actor in store.actors():
        by_name.setdefault(fold_name(actor.name), []).append(actor)
    lines = []
    for name in sorted({fold_name(a.name) for a in arrived.values()}):
        twins = sorted(by_name.get(name, []), key=lambda a: a.id)
        if len(twins) > 1:
            ids = ", ".join(a.id[:8] for a in twins)
            called = clean_line(twins[0].name)
            lines.append(
                f"registry: {len(twins)} entries are called “{called}” ({ids}); if they are one actor, "
                f"`wiredesk actor {twins[-1].id[:8]} --merge-into {twins[0].id[:8]}`"
            )
    return lines


def _unlinked(ann: Annotation, actor_id: str) -> Annotation:
    """`ann` with its links to the entry `actor_id` dropped (as they are when the entry is deleted)."""

    def kept(link: str | None) -> str | None:
        return None if link == actor_id else link

    return replace(ann, speaker=kept(ann.speaker), actor=kept(ann.actor), claimant=kept(ann.claimant))


def _apply_records(
    store: Store,
    actors: Iterable[Actor],
    anns: Iterable[Annotation],
    tombs: Mapping[str, dict[str, str]],
    actors_gone: Mapping[str, dict[str, str]],
) -> None:
    """Write what `bring_in` found: the registry's additions and changes first, then the annotations (in batches),
    the deletions, and last the registry's deletions (with the links to them dropped)."""
    registry = store.registry()
    actor_edits: list[Edit] = [(registry.get(a.id), a) for a in actors]
    if actor_edits:
        store.apply(actor_edits)
    steps: list[tuple[Edit | None, str, dict[str, str] | None]] = []
    for ann in anns:
        steps.append(((store.annotation(ann.id), ann), ann.id, None))
    for key, tomb in tombs.items():
        here = store.annotation(key)
        steps.append(((here, None) if here is not None else None, key, tomb))
    for start in range(0, len(steps), BATCH):
        chunk = steps[start : start + BATCH]
        edits = [edit for edit, _, _ in chunk if edit is not None]
        given = {key: tomb for _, key, tomb in chunk if tomb is not None}
        store.apply(edits, tombstones=given)
    if actors_gone:
        edits = []
        for key in actors_gone:
            for _name, ann in store.actor_usage(key):
                current = store.annotation(ann.id)
                if current is not None and key in (current.speaker, current.actor, current.claimant):
                    edits.append((current, _unlinked(current, key)))
        merged = [a for a in store.registry().values() if a.merged_into in actors_gone and a.id not in actors_gone]
        edits.extend((a, replace(a, merged_into=None)) for a in merged)
        registry = store.registry()
        edits.extend((registry[k], None) for k in actors_gone if k in registry)
        store.apply(edits, actor_tombstones=dict(actors_gone))
