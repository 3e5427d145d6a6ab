"""Claim threads in the sync repository (`registry/threads.jsonl`): a record read strictly (a thread or the
tombstone of a deleted one, as sync wrote it), and the join of two copies of one thread both sides changed, used by
`records.merge3` (so by the git merge driver and by a sync alike).

The join takes merge.py's rules (`annotations.merge._joined`, `_later`) where they decide: the claims either side
linked, except those unlinked on the other side after they were linked; a deletion against an edit, the later one.
Title and statuses go 3-way against the common ancestor: the side that changed one gives it; both changed it to
different values is a conflict (ours kept, theirs listed), never a silent pick.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from annotations.merge import Report as MergeReport
from annotations.merge import _joined, _later
from annotations.model import AnnotationError
from annotations.sync.git import SyncError
from annotations.threads import THREAD_STATUSES, Member, Thread, ThreadTombstone
from stories.text import clean_line

__all__ = ["join_thread", "read_thread"]

_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,128}")
_DATE = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)?")


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _is_date(value: Any, empty: bool = False) -> bool:
    return isinstance(value, str) and (_DATE.fullmatch(value) is not None or (empty and value == ""))


def _bad(path: str, key: str, why: str) -> SyncError:
    return SyncError(f"the sync repository's {clean_line(path)} holds {why} ({clean_line(key[:40])})")


def read_thread(rec: Mapping[str, Any], path: str) -> Thread | ThreadTombstone:
    """A record of the threads file as a Thread or a ThreadTombstone; SyncError (one line, naming the file) for
    anything sync does not write: not a thread, a member not a claim link, an unknown status, a control character."""
    key = str(rec.get("id", ""))
    if not _is_id(rec.get("id")):
        raise _bad(path, key, "a record that is not a claim thread")
    if "deleted" in rec:
        claims = rec.get("claims", [])
        ok = _is_date(rec["deleted"]) and _is_date(rec.get("modified", ""), True)
        if not ok or not isinstance(claims, list) or not all(_is_id(c) for c in claims):
            raise _bad(path, key, "a deleted claim thread that is not one sync wrote")
        return ThreadTombstone.from_dict(rec)
    title, members, unlinked = rec.get("title"), rec.get("members"), rec.get("unlinked", {})
    if not isinstance(title, str) or not title or clean_line(title) != title:
        raise _bad(path, key, "a claim thread whose title is not one line of text")
    if not isinstance(members, list) or not members:
        raise _bad(path, key, "a claim thread without its claims")
    for m in members:
        if not isinstance(m, dict) or not _is_id(m.get("annotation")) or not _is_date(m.get("linked")):
            raise _bad(path, key, "a claim thread member that is not a claim link")
        if m.get("status") not in THREAD_STATUSES:
            raise _bad(path, key, "a claim thread member with an unknown status")
    if not isinstance(unlinked, dict) or not all(_is_id(a) and _is_date(w) for a, w in unlinked.items()):
        raise _bad(path, key, "a claim thread whose unlinked claims are not {claim: when}")
    if not (_is_date(rec.get("created")) and _is_date(rec.get("modified"))):
        raise _bad(path, key, "a claim thread without its dates")
    try:
        return Thread.from_dict(rec)
    except AnnotationError as exc:
        raise _bad(path, key, f"a claim thread that is not one ({clean_line(str(exc))})") from None


def _three_way(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """A field's merged value and whether both sides changed it differently (then ours)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return ours, True


def join_thread(
    path: str, base: Mapping[str, Any] | None, ours: Mapping[str, Any], theirs: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """One thread both sides changed differently, merged: the value to keep, and theirs when it is a conflict (the
    same join with their title and statuses where both changed them), else None. Neither side may be absent."""
    a, b = read_thread(ours, path), read_thread(theirs, path)
    if isinstance(a, ThreadTombstone) or isinstance(b, ThreadTombstone):
        if isinstance(a, ThreadTombstone) and isinstance(b, ThreadTombstone):
            return dict(ours), None  # merge3 takes the earlier deletion before it asks
        tomb, live = (a, b) if isinstance(a, ThreadTombstone) else (b, a)
        assert isinstance(tomb, ThreadTombstone) and isinstance(live, Thread)
        survivor = live if _later(live.modified, tomb.deleted, tomb.modified) else tomb
        return survivor.to_dict(), None
    old = read_thread(base, path) if base is not None else None
    was = old if isinstance(old, Thread) else None
    joined = _joined(a, b, lambda _thread, _claim: True, MergeReport(path))
    if joined is None:  # each side unlinked what the other kept: no claim is left, the thread goes
        last = max(a, b, key=lambda t: (t.modified, t.id))
        return ThreadTombstone.of(last, max(a.modified, b.modified)).to_dict(), None
    title, clash = _three_way(was.title if was else None, a.title, b.title)
    their_title = b.title if clash else title
    ours_members, theirs_members = [], []
    for m in joined.members:
        ma, mb, mo = a.member(m.annotation), b.member(m.annotation), was.member(m.annotation) if was else None
        if ma is None or mb is None:
            status, other = m.status, m.status
        else:
            status, both = _three_way(mo.status if mo else None, ma.status, mb.status)
            other = mb.status if both else status
            clash = clash or both
        ours_members.append(replace(m, status=status))
        theirs_members.append(replace(m, status=other))
    kept = _with(joined, title, ours_members)
    if not clash:
        return kept, None
    return kept, _with(joined, their_title, theirs_members)


def _with(thread: Thread, title: str, members: list[Member]) -> dict[str, Any]:
    return replace(thread, title=title, members=tuple(members)).to_dict()
