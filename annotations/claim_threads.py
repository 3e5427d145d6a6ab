"""Claim threads, the rules one place for the command line and the app: link a claim into a thread (a new one or
an existing one, moving it out of another), set its status there, unlink it, retitle a thread, merge two; each one
undoable step through `History`. `likely_threads` ranks the threads a claim may belong to; `timeline` gives a
thread's members with their claimant and story date, in date order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from annotations.history import History, by_prefix
from annotations.model import Annotation, AnnotationError, now_iso, quoted, with_article
from annotations.store import Store, StoreError, StoryEntry
from annotations.store.tagstore import Edit
from annotations.threads import THREAD_STATUSES, Member, Thread
from stories.text import clean_line

__all__ = [
    "Likely",
    "Moment",
    "find_thread",
    "likely_threads",
    "link",
    "merge_threads",
    "retitle",
    "timeline",
    "unlink",
]


def find_thread(store: Store, ref: str) -> Thread:
    """The thread whose id starts with `ref` (a unique prefix); AnnotationError if none or several."""
    return by_prefix(ref, store.thread, store.threads, "claim thread", "(see `wiredesk claims`)")


def _claim(store: Store, ann: Annotation) -> Annotation:
    now = store.annotation(ann.id)
    if now is None:
        raise AnnotationError(f"no annotation {ann.id[:8]}")
    if now.kind != "claim":
        raise AnnotationError(f"only claims go into claim threads; {quoted(now.exact)} is {with_article(now.kind)}")
    return now


def link(
    history: History, ann: Annotation, thread_id: str | None = None, *, status: str = "asserted", title: str = ""
) -> Thread:
    """Put claim `ann` in thread `thread_id` (None: a new thread, titled `title` or the claim's text) with `status`;
    a claim in another thread leaves it in the same step; a claim already there gets the new status. One step."""
    store = history.store
    claim = _claim(store, ann)
    if status not in THREAD_STATUSES:
        raise AnnotationError(f"unknown thread status {status!r} (use {', '.join(THREAD_STATUSES)})")
    member = Member(claim.id, status, now_iso())
    edits: list[Edit] = []
    current = store.thread_of(claim.id)
    if thread_id is None:
        made = Thread.new(title or claim.exact, member)
        label = "start claim thread"
    else:
        target = store.thread(thread_id)
        if target is None:
            raise AnnotationError(f"no claim thread {thread_id[:8]}")
        made = target.with_member(member)
        there = target.member(claim.id)
        label = f"mark claim {status} in thread" if there is not None else "link claim to thread"
        edits.append((target, made))
    if current is not None and current.id != made.id:
        edits.insert(0, (current, current.without([claim.id])))
    if thread_id is None:
        edits.append((None, made))
    history.do(edits, label)
    return made


def unlink(history: History, ann_id: str) -> Thread:
    """Take a claim out of its thread (remembered in its `unlinked`; the thread goes with its last claim, leaving a
    tombstone); one step. Returns the thread as it was."""
    store = history.store
    thread = store.thread_of(ann_id)
    if thread is None:
        raise AnnotationError(f"claim {ann_id[:8]} is in no thread")
    history.do([(thread, thread.without([ann_id]))], "unlink claim from thread")
    return thread


def retitle(history: History, thread_id: str, title: str) -> Thread:
    store = history.store
    thread = store.thread(thread_id)
    if thread is None:
        raise AnnotationError(f"no claim thread {thread_id[:8]}")
    made = thread.retitled(title)
    history.do([(thread, made)], "retitle claim thread")
    return made


def merge_threads(history: History, source_id: str, target_id: str) -> Thread:
    """Move every claim of thread `source` into `target` (in their order, after its own), and delete `source` (it
    leaves a tombstone, so a merge does not bring it back)."""
    store = history.store
    source, target = store.thread(source_id), store.thread(target_id)
    if source is None or target is None:
        raise AnnotationError("both claim threads must exist")
    if source.id == target.id:
        raise AnnotationError("a claim thread cannot be merged into itself")
    merged = replace(target, members=(*target.members, *source.members), modified=now_iso())
    history.do([(source, None), (target, merged)], "merge claim threads")
    return merged


# --- reading ------------------------------------------------------------------------------------------------


def _entries(store: Store, story_ids: Iterable[str]) -> dict[str, StoryEntry]:
    found: dict[str, StoryEntry] = {}
    for sid in set(story_ids):
        try:
            found[sid] = next(e for e in store.versions(sid) if e.id == sid)
        except (StoreError, StopIteration):
            continue
    return found


@dataclass(frozen=True)
class Moment:
    """A member of a thread as the timeline shows it: the claim (None if it is gone), its status, its claimant's
    name, its story's date ("" if none), agency and headline."""

    member: Member
    claim: Annotation | None
    claimant: str
    date: str
    agency: str
    headline: str

    def line(self) -> str:
        """One terminal-safe line: "2026-03-02 denied  Reuters  Port operators: “…”"."""
        text = quoted(self.claim.exact, 60) if self.claim is not None else "(claim deleted)"
        who = f"{clean_line(self.claimant)}: " if self.claimant else ""
        return f"{self.date[:10] or '—':10} {self.member.status:9} {clean_line(self.agency)[:14]:14} {who}{text}"


def timeline(store: Store, thread: Thread) -> list[Moment]:
    """The members of `thread` by their story's date (undated last), then in the order they were linked."""
    claims = {m.annotation: store.annotation(m.annotation) for m in thread.members}
    entries = _entries(store, [c.story_id for c in claims.values() if c is not None])
    out = []
    for n, m in enumerate(thread.members):
        claim = claims[m.annotation]
        entry = entries.get(claim.story_id) if claim is not None else None
        claimant = store.actor(claim.claimant) if claim is not None and claim.claimant else None
        meta = entry.meta if entry is not None else None
        moment = Moment(
            m,
            claim,
            claimant.name if claimant is not None else "",
            entry.date if entry is not None else "",
            (meta.agency or "") if meta is not None else "",
            meta.headline if meta is not None else "",
        )
        out.append((not moment.date, moment.date, n, moment))
    return [moment for *_, moment in sorted(out, key=lambda x: x[:3])]


@dataclass(frozen=True)
class Likely:
    """A thread a claim may belong to, and why: `score` (higher first), `why` (one line)."""

    thread: Thread
    score: float
    why: str


def _actors_of(store: Store, claim: Annotation, mentions: dict[str, list[Annotation]]) -> set[str]:
    """The registry entries a claim involves: its claimant and the actors tagged inside its span (merges followed).
    `mentions`: each story's actor mentions, filled as stories are read."""
    if claim.story_id not in mentions:
        mentions[claim.story_id] = [a for a in store.annotations(claim.story_id) if a.kind == "actor" and a.actor]
    found: set[str | None] = {claim.claimant}
    found.update(a.actor for a in mentions[claim.story_id] if a.start < claim.end and claim.start < a.end)
    return {a.id for i in found if i and (a := store.actor(i)) is not None}


def likely_threads(store: Store, ann: Annotation, limit: int = 20) -> list[Likely]:
    """The threads claim `ann` may belong to, likeliest first: same claimant (or actors), similar text (rapidfuzz's
    token set ratio against the title and each member), then the most recent. Its own thread is left out."""
    own = store.thread_of(ann.id)
    mentions: dict[str, list[Annotation]] = {}
    mine = _actors_of(store, ann, mentions)
    ranked: list[tuple[float, str, Likely]] = []
    for thread in store.threads():
        if own is not None and thread.id == own.id:
            continue
        claims = [c for m in thread.members if (c := store.annotation(m.annotation)) is not None]
        theirs: set[str] = set()
        for claim in claims:
            theirs |= _actors_of(store, claim, mentions)
        texts = [thread.title, *(c.exact for c in claims)]
        similar = max(fuzz.token_set_ratio(ann.exact.casefold(), t.casefold()) for t in texts) / 100
        shared = mine & theirs
        claimant = ann.claimant is not None and (a := store.actor(ann.claimant)) is not None and a.id in theirs
        score = similar + (1.0 if claimant else 0.5 if shared else 0.0)
        why = "same claimant" if claimant else "same actors" if shared else ""
        why = f"{why}, {round(similar * 100)}% similar" if why else f"{round(similar * 100)}% similar"
        recent = max((e.date for e in _entries(store, [c.story_id for c in claims]).values()), default="")
        ranked.append((score, recent, Likely(thread, score, why)))
    ranked.sort(key=lambda r: (round(r[0], 1), r[1]), reverse=True)  # near scores: the most recent first
    return [likely for *_, likely in ranked[:limit]]
