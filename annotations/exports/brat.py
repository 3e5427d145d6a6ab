"""brat standoff export: a folder with, per story version, `NAME.txt` (its canonical text, UTF-8) and `NAME.ann`,
plus `annotation.conf` and `visual.conf` describing the types — for NLP training and the brat annotation tool.

`NAME` is the story's short id and a slug of its headline (`5798a37a-mayor-says-river-bridge-will-reopen-in-may`):
ASCII letters, digits and hyphens only, so never a path, a hidden file or a name a filesystem refuses; the same
for a story in every export, unless two stories of one export would share it (then more of the id is used).
In `NAME.ann`:

- `T` lines: one entity per annotation, typed Quote, Actor or Claim. Offsets are code points into `ID.txt`
  (as brat counts them); a span running over a line break is split into fragments (`T1 Quote 10 20;22 30`)
  around the line breaks, and its text is the fragments' texts joined by a space.
- `R` lines: `Speaker` (Arg1 a Quote, Arg2 an Actor) and `Claimant` (Arg1 a Claim, Arg2 an Actor). brat relates
  entities only, so the speaker or claimant must be an actor mention in the same story linked to the same
  registry entry (merges followed): the one nearest the quote or claim (the earlier one on a tie).
- `A` lines: `Form` of a quote, `Status` of a claim, `Type` (person, organisation…) of a linked actor mention.
- `#` lines (`AnnotatorNotes`): an annotation's note on one line (line breaks shown as " ¶ ", runs of white
  space as one space); before it, for a quote
  or claim whose speaker or claimant has no mention in the story, `Speaker: NAME` or `Claimant: NAME` (no R
  line then), and for an actor mention, `Actor: NAME` (the registry entry it is of).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable
from pathlib import Path

from annotations.actors import ACTOR_TYPES
from annotations.exports import Names, Selected
from annotations.model import FORMS, STATUSES, Annotation
from annotations.store import Store
from stories.model import SHORT_ID_LEN

__all__ = [
    "EXTENSION",
    "LABEL",
    "NAME",
    "SINGLE_FILE",
    "ann_lines",
    "file_stem",
    "fragments",
    "replaceable",
    "slug",
    "write",
]

NAME = "brat"
LABEL = "brat standoff (a folder: NLP training)"
SINGLE_FILE = False
EXTENSION = ""  # a folder
ENTITIES = {"quote": "Quote", "actor": "Actor", "claim": "Claim"}
RELATIONS = {"speaker": "Speaker", "claimant": "Claimant"}
CONF_FILES = ("annotation.conf", "visual.conf")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_STEM = re.compile(r"[0-9a-f]{8,64}(?:-[a-z0-9]+)*")  # what `file_stem` makes (a bare 64-hex id: older exports)
SLUG_LEN = 48
ANNOTATION_CONF = f"""\
# wiredesk: who said what. Quotes and claims are related to the actor mention who said or makes them.
[entities]
Quote
Actor
Claim

[relations]
Speaker\tArg1:Quote, Arg2:Actor
Claimant\tArg1:Claim, Arg2:Actor
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
Form\tArg:Quote, Value:{"|".join(FORMS)}
Status\tArg:Claim, Value:{"|".join(STATUSES)}
Type\tArg:Actor, Value:{"|".join(ACTOR_TYPES)}
"""
VISUAL_CONF = """\
[labels]
Quote | Quote | Q
Actor | Actor | A
Claim | Claim | C
Speaker | Speaker
Claimant | Claimant
Form | Form
Status | Status
Type | Type

[drawing]
SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken
ARC_DEFAULT\tcolor:black, arrowHead:triangle-5
ATTRIBUTE_DEFAULT\tglyph:*
Quote\tbgColor:#ffe08a
Actor\tbgColor:#9fc5e8
Claim\tbgColor:#b6d7a8
Speaker\tcolor:#3d6fb6
Claimant\tcolor:#6a8f3a
"""


def slug(headline: str, limit: int = SLUG_LEN) -> str:
    """A headline as a file name's words: ASCII letters (accents dropped) and digits in lower case, hyphens
    between, at most `limit` characters cut between words ("" when nothing of it is left)."""
    folded = unicodedata.normalize("NFKD", headline.casefold())
    words = re.findall(r"[a-z0-9]+", "".join(c for c in folded if not unicodedata.combining(c)))
    out = words[0][:limit] if words else ""
    for word in words[1:]:
        if len(out) + 1 + len(word) > limit:
            break
        out += "-" + word
    return out


def file_stem(story_id: str, headline: str = "", taken: Collection[str] = ()) -> str:
    """The file name (without ending) of a story's files: its short id and the slug of its headline, with more
    of the id where the name is `taken` (by another story of the export). The id is used only if it is a
    SHA-256 hex digest (as every story id is), else a digest of it: a name is never a path."""
    digest = story_id if _SHA256.fullmatch(story_id) else hashlib.sha256(story_id.encode("utf-8")).hexdigest()
    words = slug(headline)
    for length in (SHORT_ID_LEN, 16, 32, 64):
        stem = digest[:length] + (f"-{words}" if words else "")
        if stem not in taken:
            break
    return stem


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of `text[start:end]` between line breaks, empty ones left out."""
    found, pos = [], start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop == -1 else stop
        if stop > pos:
            found.append((pos, stop))
        pos = stop + 1
    return found


def _note(text: str) -> str:
    return " ¶ ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _nearest(ann: Annotation, mentions: list[tuple[str, Annotation]]) -> str:
    """The T id of the mention nearest `ann` (overlapping ones first), the earlier one on a tie."""

    def gap(mention: Annotation) -> int:
        return max(0, mention.start - ann.end, ann.start - mention.end)

    return min(mentions, key=lambda m: (gap(m[1]), m[1].start, m[1].end))[0]


def ann_lines(text: str, annotations: Iterable[Annotation], names: Names) -> list[str]:
    """The lines of a story's .ann file (each without its line break)."""
    entities: list[tuple[str, Annotation]] = []
    lines = []
    for ann in annotations:
        pieces = fragments(text, ann.start, ann.end)
        if not pieces:  # nothing but line breaks: no entity can hold it
            continue
        tid = f"T{len(entities) + 1}"
        entities.append((tid, ann))
        spans = ";".join(f"{s} {e}" for s, e in pieces)
        lines.append(f"{tid}\t{ENTITIES[ann.kind]} {spans}\t{' '.join(text[s:e] for s, e in pieces)}")
    mentions: dict[str, list[tuple[str, Annotation]]] = {}
    for tid, ann in entities:
        if ann.kind == "actor" and (actor := names.actor(ann.actor)) is not None:
            mentions.setdefault(actor.id, []).append((tid, ann))
    relations: list[str] = []
    attributes: list[str] = []
    notes: list[str] = []
    for tid, ann in entities:
        said = []
        for field, target in ann.links().items():
            actor = names.actor(target)
            if actor is None:
                continue
            if field == "actor":
                said.append(f"Actor: {actor.name}")
            elif actor.id in mentions:
                arg2 = _nearest(ann, mentions[actor.id])
                relations.append(f"R{len(relations) + 1}\t{RELATIONS[field]} Arg1:{tid} Arg2:{arg2}")
            else:
                said.append(f"{RELATIONS[field]}: {actor.name}")
        for label, value in (
            ("Form", ann.form),
            ("Status", ann.status),
            ("Type", (a.type if (a := names.actor(ann.actor)) else None)),
        ):
            if value:
                attributes.append(f"A{len(attributes) + 1}\t{label} {tid} {value}")
        note = " ¶ ".join(part for part in (*said, _note(ann.note)) if part)
        if note:
            notes.append(f"#{len(notes) + 1}\tAnnotatorNotes {tid}\t{note}")
    return lines + relations + attributes + notes


def replaceable(folder: Path) -> bool:
    """True if `folder` holds nothing but what a brat export writes (so --force may replace it)."""
    for child in folder.iterdir():
        stem, _, ending = child.name.rpartition(".")
        ours = child.name in CONF_FILES or (_STEM.fullmatch(stem) is not None and ending in ("txt", "ann"))
        if not ours or child.is_symlink() or not child.is_file():
            return False
    return True


def _put(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def write(store: Store, folder: Path, selection: Iterable[Selected]) -> int:
    """Write the selected stories and their annotations into the empty `folder`; returns the number of
    annotations written (one with nothing but line breaks in its span has no entity and is left out)."""
    names = Names(store)
    count = 0
    taken: set[str] = set()
    for chosen in selection:
        story = store.story(chosen.entry.id)
        stem = file_stem(story.id, story.headline, taken)
        taken.add(stem)
        lines = ann_lines(story.text, chosen.annotations, names)
        count += sum(1 for line in lines if line.startswith("T"))
        _put(folder / f"{stem}.txt", story.text)
        _put(folder / f"{stem}.ann", "".join(line + "\n" for line in lines))
    _put(folder / "annotation.conf", ANNOTATION_CONF)
    _put(folder / "visual.conf", VISUAL_CONF)
    return count
