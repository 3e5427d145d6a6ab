"""What a claim thread is: claims from different stories that state, deny, confirm or correct the same thing,
linked into one thread, each member with its status in it. Pure: the store keeps threads in a table of their own
(`annotations.store.tagstore`), `annotations.claim_threads` links, unlinks, retitles and merges them.

A member is a claim annotation (by id); its claimant and story date come from the annotation and its story. A claim
is in at most one thread. A thread with no member is no thread: the step that takes its last member away deletes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from annotations.model import Annotation, AnnotationError, now_iso
from stories.text import clean_line

__all__ = ["THREAD_STATUSES", "TITLE_LIMIT", "Member", "Thread", "detached"]

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
    were linked."""

    id: str
    title: str
    members: tuple[Member, ...]
    created: str
    modified: str

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

    def without(self, ann_ids: Iterable[str]) -> Thread | None:
        """The thread without these claims (None: none is left, the thread goes)."""
        gone = set(ann_ids)
        members = tuple(m for m in self.members if m.annotation not in gone)
        return replace(self, members=members, modified=now_iso()) if members else None

    def retitled(self, title: str) -> Thread:
        made = replace(self, title=_title(title), modified=now_iso())
        made.check()
        return made

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "members": [m.to_dict() for m in self.members],
            "created": self.created,
            "modified": self.modified,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Thread:
        """A thread from its dict (`to_dict`, or a record at rest); AnnotationError if it is not one."""
        try:
            members = tuple(Member(str(m["annotation"]), str(m["status"]), str(m["linked"])) for m in data["members"])
            made = cls(
                str(data["id"]), _title(str(data["title"])), members, str(data["created"]), str(data["modified"])
            )
        except (KeyError, TypeError) as exc:
            raise AnnotationError(f"not a claim thread ({exc})") from None
        made.check()
        return made


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
