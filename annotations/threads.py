"""What a claim thread is: claims from different stories that state, deny, confirm or correct the same thing,
linked into one thread, each member with its status in it. Pure: the store keeps threads in a table of their own
(`annotations.store.tagstore`), `annotations.claim_threads` links, unlinks, retitles and merges them.

A member is a claim annotation (by id); its claimant and story date come from the annotation and its story. A claim
is in at most one thread. A thread with no member is no thread: the step that takes its last member away deletes it.

Deletions are remembered so that a merge (`annotations.merge`) can tell "they linked it" from "we unlinked it": a
thread keeps in `unlinked` each claim taken out of it (unlinked, moved to another thread, deleted or retyped) with
when, until it is linked again; a deleted thread leaves a `ThreadTombstone` (`buried` makes the edit that writes
it, in the same step, so undo takes it away again). Both are absent from records written before (read as none).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from annotations.model import Annotation, AnnotationError, now_iso
from stories.text import clean_line

__all__ = ["THREAD_STATUSES", "TITLE_LIMIT", "Member", "Thread", "ThreadTombstone", "buried", "detached"]

#: Where a claim stands in its thread, in the order the pickers offer them.
THREAD_STATUSES = ("asserted", "repeated", "disputed", "denied", "confirmed", "corrected", "retracted")
#: A title is one line of at most this many characters (longer ones are cut).
TITLE_LIMIT = 200


def _title(text: str) -> str:
    line = clean_line(text)
    return line if len(line) <= TITLE_LIMIT else line[: TITLE_LIMIT - 1].rstrip() + "…"


@dataclass(frozen=True)
class Member:
    """Claim annotation `annotation` in a thread with `status`, linked at `linked` (ISO 8601)."""

    annotation: str
    status: str
    linked: str

    def to_dict(self) -> dict[str, str]:
        return {"annotation": self.annotation, "status": self.status, "linked": self.linked}


@dataclass(frozen=True)
class Thread:
    """A thread of claims: `id` (a uuid), `title` (from its first claim, editable), `members` in the order they
    were linked; `unlinked`: (claim id, when) of each claim taken out of it since, by claim id (a member is never
    in it: linking a claim again takes it out)."""

    id: str
    title: str
    members: tuple[Member, ...]
    created: str
    modified: str
    unlinked: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.unlinked:
            ids = {m.annotation for m in self.members}
            kept = sorted((a, when) for a, when in dict(self.unlinked).items() if a not in ids)
            object.__setattr__(self, "unlinked", tuple(kept))

    @classmethod
    def new(cls, title: str, first: Member) -> Thread:
        stamp = now_iso()
        made = cls(str(uuid.uuid4()), _title(title), (first,), stamp, stamp)
        made.check()
        return made

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.annotation for m in self.members)

    def member(self, ann_id: str) -> Member | None:
        return next((m for m in self.members if m.annotation == ann_id), None)

    def check(self) -> None:
        """Refuse a thread without a title or member, a status outside THREAD_STATUSES, a claim in it twice."""
        if not self.title:
            raise AnnotationError("a claim thread needs a title")
        if not self.members:
            raise AnnotationError(f"claim thread {self.id[:8]} has no claim")
        for m in self.members:
            if m.status not in THREAD_STATUSES:
                raise AnnotationError(f"unknown thread status {m.status!r} (use {', '.join(THREAD_STATUSES)})")
        if len(set(self.ids)) != len(self.members):
            raise AnnotationError(f"claim thread {self.id[:8]} holds a claim twice")

    def with_member(self, member: Member) -> Thread:
        """The thread with `member` added, or its status changed if the claim is in it already."""
        kept = tuple(m for m in self.members if m.annotation != member.annotation)
        if len(kept) != len(self.members):
            old = self.member(member.annotation)
            assert old is not None
            members = tuple(replace(m, status=member.status) if m is old else m for m in self.members)
        else:
            members = (*kept, member)
        return replace(self, members=members, modified=now_iso())

    def unlinked_at(self, ann_id: str) -> str | None:
        """When claim `ann_id` was taken out of this thread (None: it never was, or was linked again since)."""
        return dict(self.unlinked).get(ann_id)

    def without(self, ann_ids: Iterable[str]) -> Thread | None:
        """The thread without these claims, each remembered in `unlinked` (None: none is left, the thread goes)."""
        gone = set(ann_ids) & set(self.ids)
        members = tuple(m for m in self.members if m.annotation not in gone)
        if not members:
            return None
        stamp = now_iso()
        return replace(
            self, members=members, modified=stamp, unlinked=(*self.unlinked, *((a, stamp) for a in sorted(gone)))
        )

    def retitled(self, title: str) -> Thread:
        made = replace(self, title=_title(title), modified=now_iso())
        made.check()
        return made

    def to_dict(self) -> dict[str, Any]:
        """The thread as a dict; `unlinked` ({claim id: when}) only when it has some (as records before it)."""
        made: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "members": [m.to_dict() for m in self.members],
            "created": self.created,
            "modified": self.modified,
        }
        if self.unlinked:
            made["unlinked"] = dict(self.unlinked)
        return made

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Thread:
        """A thread from its dict (`to_dict`, or a record at rest); AnnotationError if it is not one."""
        try:
            members = tuple(Member(str(m["annotation"]), str(m["status"]), str(m["linked"])) for m in data["members"])
            unlinked = data.get("unlinked") or {}
            if not isinstance(unlinked, Mapping) or not all(isinstance(v, str) for v in unlinked.values()):
                raise TypeError("its unlinked claims are not {claim: when}")
            made = cls(
                str(data["id"]),
                _title(str(data["title"])),
                members,
                str(data["created"]),
                str(data["modified"]),
                tuple((str(a), when) for a, when in unlinked.items()),
            )
        except (KeyError, TypeError) as exc:
            raise AnnotationError(f"not a claim thread ({exc})") from None
        made.check()
        return made


@dataclass(frozen=True)
class ThreadTombstone:
    """A deleted thread: its id, when (`deleted`), its last change before (`modified`) and the claims it held then
    (an export carries the tombstones of the threads of the claims it holds)."""

    id: str
    deleted: str
    modified: str = ""
    claims: tuple[str, ...] = ()

    @classmethod
    def of(cls, thread: Thread, deleted: str) -> ThreadTombstone:
        return cls(thread.id, deleted, thread.modified, thread.ids)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "deleted": self.deleted, "modified": self.modified, "claims": list(self.claims)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThreadTombstone:
        """A tombstone from its dict (`to_dict`, or a record at rest); AnnotationError if it is not one."""
        try:
            claims = data.get("claims") or []
            if not isinstance(claims, list | tuple):
                raise TypeError("its claims are not a list")
            return cls(str(data["id"]), str(data["deleted"]), str(data.get("modified") or ""), tuple(map(str, claims)))
        except (KeyError, TypeError) as exc:
            raise AnnotationError(f"not a thread tombstone ({exc})") from None


def buried(
    edits: Sequence[tuple[Any, Any]],
    tombstone_of: Callable[[str], ThreadTombstone | None],
    given: Mapping[str, ThreadTombstone] | None = None,
) -> list[tuple[ThreadTombstone | None, ThreadTombstone | None]]:
    """The tombstone edits that go with the thread edits in `edits`: a deleted thread leaves one (`given`'s, from
    another library, else one made now), a thread added again loses its own. Threads whose tombstone `edits`
    already write are left alone."""
    written = {s.id for b, a in edits if isinstance(s := a if a is not None else b, ThreadTombstone)}
    stamp = now_iso()
    out: list[tuple[ThreadTombstone | None, ThreadTombstone | None]] = []
    for before, after in edits:
        if isinstance(before, Thread) and after is None and before.id not in written:
            made = (given or {}).get(before.id) or ThreadTombstone.of(before, stamp)
            out.append((tombstone_of(before.id), made))
            written.add(before.id)
        elif (
            before is None
            and isinstance(after, Thread)
            and after.id not in written
            and (old := tombstone_of(after.id)) is not None
        ):
            out.append((old, None))
            written.add(after.id)
    return out


def detached(
    edits: Sequence[tuple[Any, Any]], thread_of: Callable[[str], Thread | None]
) -> list[tuple[Thread, Thread | None]]:
    """The thread edits that take out of their threads the claims `edits` delete or turn into another kind, for
    the threads `edits` do not change themselves: so that a step never leaves a thread naming a claim that is gone."""
    touched = {s.id for b, a in edits if isinstance(s := a if a is not None else b, Thread)}
    leaving: dict[str, list[str]] = {}
    for before, after in edits:
        if not isinstance(before, Annotation) or before.kind != "claim":
            continue
        if isinstance(after, Annotation) and after.kind == "claim":
            continue
        thread = thread_of(before.id)
        if thread is not None and thread.id not in touched:
            leaving.setdefault(thread.id, []).append(before.id)
    out: list[tuple[Thread, Thread | None]] = []
    for ann_ids in leaving.values():
        thread = thread_of(ann_ids[0])
        assert thread is not None
        out.append((thread, thread.without(ann_ids)))
    return out
