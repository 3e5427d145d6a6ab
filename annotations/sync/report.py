"""What a sync says: its report, a library's sync status, and conflicts described in a few words, every string
from the repository made terminal-safe (`clean_line`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotations.sync.records import Record, is_tombstone
from stories.text import clean_line

__all__ = ["Report", "Status", "conflict_file", "conflict_line", "describe", "shown_url"]

_PLURALS = {
    "story": "stories",
    "registry entry": "registry entries",
    "annotation": "annotations",
    "deletion": "deletions",
    "claim thread": "claim threads",
    "curation decision": "curation decisions",
}


@dataclass
class Report:
    """What a sync did."""

    remote: str
    committed: bool = False
    merged: bool = False
    pushed: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    new_conflicts: int = 0
    open_conflicts: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, n: int = 1) -> None:
        if n:
            self.counts[name] = self.counts.get(name, 0) + n

    def lines(self) -> list[str]:
        done = [
            w for w, did in (("committed", self.committed), ("merged", self.merged), ("pushed", self.pushed)) if did
        ]
        head = f"synced with {shown_url(self.remote)}: " + (", ".join(done) if done else "nothing to send")
        got = ", ".join(f"{n} {_PLURALS[name] if n != 1 else name}" for name, n in sorted(self.counts.items()))
        out = [head, "into the library: " + (got or "nothing new")]
        if self.open_conflicts:
            out.append(
                f"{self.open_conflicts} sync conflict(s) open ({self.new_conflicts} new): see `wiredesk sync --status`"
            )
        out.extend(self.notes)
        return out


@dataclass
class Status:
    """Where a library's sync stands."""

    remote: str
    last_sync: str
    ahead: int
    behind: int
    cloned: bool
    conflicts: list[Record]

    def lines(self) -> list[str]:
        if not self.cloned:
            return ["never synced: run `wiredesk sync --remote URL` (a bare repository, a hosted one, a path)"]
        out = [
            f"remote: {shown_url(self.remote)}",
            f"last sync: {self.last_sync or 'never'}",
            f"local commits not pushed: {self.ahead}; remote commits not merged (at the last fetch): {self.behind}",
            f"open conflicts: {len(self.conflicts)}",
        ]
        out.extend("  " + conflict_line(c) for c in self.conflicts)
        return out


def shown_url(url: str) -> str:
    """A remote's URL as messages show it: terminal-safe, without a password or token written into it."""
    return clean_line(re.sub(r"^([a-z][a-z0-9+.-]*://)[^/@]*@", r"\1", url, flags=re.IGNORECASE))


def conflict_line(conflict: Mapping[str, Any]) -> str:
    """One line for a conflict: its id, the record, who holds which value."""
    ours, theirs = conflict.get("ours"), conflict.get("theirs")
    record = clean_line(str(conflict.get("record", "")))[:8]
    return (
        f"{str(conflict.get('id', ''))[:8]}  {conflict_file(conflict)} {record}: "
        f"ours ({clean_line(str(conflict.get('ours_by') or '?'))}) {describe(ours, 80, theirs)} | "
        f"theirs ({clean_line(str(conflict.get('theirs_by') or '?'))}) {describe(theirs, 80, ours)}"
    )


def conflict_file(conflict: Mapping[str, Any]) -> str:
    """The file of a conflict as shown: terminal-safe, a story's id cut to its first 8 digits."""
    return re.sub(r"[0-9a-f]{64}", lambda found: found[0][:8], clean_line(str(conflict.get("file", ""))))


#: Fields a conflict's description leaves out: the record's identity and when it changed.
_QUIET = frozenset({"id", "story_id", "start", "end", "created", "modified", "name", "type", "kind", "exact"})


def describe(value: Any, limit: int = 60, other: Any = None) -> str:
    """A record's value in a few words: deleted, or its name / text and (given the `other` side's value) the fields
    where it differs from it, else its links and note."""
    if not isinstance(value, dict):
        return "absent"
    if is_tombstone(value):
        return f"deleted {clean_line(str(value.get('deleted', '')))}"
    if "members" in value:
        line = clean_line(" · ".join(_thread_words(value, other)))
        return line if len(line) <= limit else line[: limit - 1] + "…"
    if "decision" in value:  # a curation decision: what was decided first, then the item
        source = f" · source: {_plain(value.get('source'))}" if value.get("decision") != "rejected" else ""
        item = f"{value.get('kind', '')} “{value.get('exact', '')}”"
        line = clean_line(f"decision: {value.get('decision')}{source} · {item}")
        return line if len(line) <= limit else line[: limit - 1] + "…"
    if "name" in value:
        head = f"“{value['name']}” {value.get('type', '')}"
    else:
        head = f"{value.get('kind', '')} “{value.get('exact', '')}”"
    if isinstance(other, dict) and not is_tombstone(other):
        keys = sorted(k for k in value.keys() | other.keys() if k not in _QUIET and value.get(k) != other.get(k))
        if "name" in value and value.get("name") != other.get("name"):
            keys.insert(0, "name")
    else:
        keys = [k for k in ("aliases", "speaker", "form", "actor", "claimant", "status", "note") if value.get(k)]
    shown = [f"{k}: {_plain(value.get(k))}" for k in keys if k != "name"]
    line = clean_line(" · ".join([head, *shown]))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _statuses(thread: Mapping[str, Any]) -> dict[str, str]:
    members = thread.get("members")
    listed = members if isinstance(members, list) else []
    return {str(m.get("annotation"))[:8]: str(m.get("status")) for m in listed if isinstance(m, dict)}


def _thread_words(value: Mapping[str, Any], other: Any) -> list[str]:
    """A claim thread in a few words: its title, and its claims' statuses (given `other`, where they differ)."""
    words = [f"claim thread “{value.get('title', '')}”"]
    mine = _statuses(value)
    if not isinstance(other, dict) or is_tombstone(other) or "members" not in other:
        return [*words, f"{len(mine)} claim(s)"]
    if value.get("title") != other.get("title"):
        words.append(f"title: {value.get('title', '')}")
    theirs = _statuses(other)
    words.extend(
        f"{a}: {mine.get(a, 'not in it')}" for a in sorted(mine.keys() | theirs.keys()) if mine.get(a) != theirs.get(a)
    )
    return words


def _plain(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
