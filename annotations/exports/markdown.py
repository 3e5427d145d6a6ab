"""Markdown export, for reading and sharing: per story, its headline and details, then who said what (quotes
grouped by speaker), the actors mentioned, the claims with their claimant and status, and the notes.

Everything taken from stories, names and notes is escaped, so that nothing renders as markup, a link or an
HTML entity: Markdown's inline specials (\\ ` * _ [ ] < > # | ~ & $ @), the `:` of `scheme://`, the `.` of
`www.`, and a list, heading or rule marker at the start of a line. A span that runs over a paragraph break
shows it as " ¶ "; a note keeps its lines (as hard line breaks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from annotations.exports import Names, Selected, writes_no_folder
from annotations.model import Annotation
from annotations.store import Store, StoryEntry

__all__ = ["EXTENSION", "LABEL", "NAME", "SINGLE_FILE", "escape", "replaceable", "story_section", "write"]

NAME = "markdown"
LABEL = "Markdown (reading, sharing)"
SINGLE_FILE = True
EXTENSION = ".md"
replaceable = writes_no_folder  # one file: never a folder to replace
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&$@])|(:)(?=/)|(?<=www)(\.)", re.IGNORECASE)
_LINE_START = re.compile(r"^([-+=]|\d+[.)])")
_REFERENCE = 60  # characters of a span quoted where a note refers to it


def escape(text: str) -> str:
    """One line of text made inert in Markdown (line breaks become " ¶ ")."""
    line = " ¶ ".join(" ".join(part.split()) for part in text.splitlines() if part.strip())
    line = _INLINE.sub(lambda m: "\\" + m.group(0), line)
    return _LINE_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], line)


def _quoted(ann: Annotation, limit: int | None = None) -> str:
    text = ann.exact if limit is None or len(ann.exact) <= limit else ann.exact[:limit].rstrip() + "…"
    return f"“{escape(text)}”"


def _details(entry: StoryEntry) -> str:
    meta = entry.meta
    parts = [
        meta.agency,
        entry.published[:10] or None,  # days: times and zones differ between formats; else the dateline's
        f"updated {meta.updated[:10]}" if meta.updated else None,
        meta.dateline,
        f"by {', '.join(meta.authors)}" if meta.authors else None,
        f"version {meta.version}" if meta.version else None,
        f"story {entry.short_id}",
    ]
    return " · ".join(escape(p) for p in parts if p)


def _who_said_what(quotes: list[Annotation], names: Names) -> list[str]:
    groups: dict[str, list[Annotation]] = {}
    for ann in quotes:
        groups.setdefault(names.name(ann.speaker), []).append(ann)
    lines = []
    for name in sorted(groups, key=lambda n: (not n, groups[n][0].start)):  # unattributed last
        lines.append(f"- **{escape(name)}**" if name else "- *Unattributed*")
        for ann in groups[name]:
            how = [f"{ann.form} quote" if ann.form else "", f"cue: {escape(ann.cue)}" if ann.cue else ""]
            detail = "; ".join(h for h in how if h)
            lines.append(f"  - {_quoted(ann)}" + (f" — {detail}" if detail else ""))
    return lines


def _actors(mentions: list[Annotation], names: Names) -> list[str]:
    groups: dict[str, list[str]] = {}
    for ann in mentions:
        actor = names.actor(ann.actor)
        key = f"**{escape(actor.name)}** ({escape(actor.type)})" if actor else "*Not linked*"
        texts = groups.setdefault(key, [])
        if _quoted(ann) not in texts:
            texts.append(_quoted(ann))
    ordered = sorted(groups, key=lambda k: k == "*Not linked*")
    return [f"- {key}: {', '.join(groups[key])}" for key in ordered]


def _claims(claims: list[Annotation], names: Names) -> list[str]:
    lines = []
    for ann in claims:
        detail = []
        if claimant := names.name(ann.claimant):
            detail.append(f"claimant: **{escape(claimant)}**")
        if ann.status:
            detail.append(f"status: {ann.status}")
        joined = "; ".join(detail)
        lines.append(f"- {_quoted(ann)}" + (f" — {joined}" if joined else ""))
    return lines


def _notes(anns: list[Annotation]) -> list[str]:
    lines = []
    for ann in anns:
        if not ann.note:
            continue
        body = "\\\n  ".join(escape(line) for line in ann.note.splitlines() if line.strip())
        lines.append(f"- On the {ann.kind} {_quoted(ann, _REFERENCE)}:\\\n  {body}")
    return lines


def story_section(chosen: Selected, names: Names) -> str:
    """The Markdown of one story and its annotations (ending with a blank line)."""
    entry, anns = chosen.entry, chosen.annotations
    out = [f"## {escape(entry.meta.headline) or '(no headline)'}", "", _details(entry), ""]
    sections = [
        ("Who said what", _who_said_what([a for a in anns if a.kind == "quote"], names)),
        ("Actors", _actors([a for a in anns if a.kind == "actor"], names)),
        ("Claims", _claims([a for a in anns if a.kind == "claim"], names)),
        ("Notes", _notes(anns)),
    ]
    for title, lines in sections:
        if lines:
            out += [f"### {title}", "", *lines, ""]
    if not anns:
        out += ["*No annotations.*", ""]
    return "\n".join(out) + "\n"


def write(store: Store, out: TextIO, selection: Iterable[Selected]) -> int:
    """Write the selected stories with their annotations; returns the number of annotations."""
    names = Names(store)
    out.write("# wiredesk annotations\n\n")
    count = 0
    for chosen in selection:
        out.write(story_section(chosen, names))
        count += len(chosen.annotations)
    return count
