"""End matter of wire copy, in every format: credits, editors' notes, agency trailers and end marks, footers.

None of it is story text; it is kept as metadata (`extra["credits"]`, `extra["notes"]`, `extra["trailer"]`,
`extra["footer"]`).
The copy is seen as chunks — lists of lines, as plain text comes; a format with paragraphs passes one
paragraph per chunk — and the end matter is taken from the end, as a whole chunk or as a chunk's last lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from stories.model import FoundMeta

__all__ = ["is_editors_note", "is_end_line", "take_end_matter", "take_paragraph_end_matter"]

_CREDIT_WORDS = r"(?:Additional\s+)?(?:reporting|writing|editing|compiled|edited|written|research|graphics)"
#: "(Reporting by A; Editing by B)", with or without the brackets.
_CREDITS = re.compile(rf"^\((?:{_CREDIT_WORDS})\b[^)]*\)\.?$", re.IGNORECASE)
_CREDIT_PART = re.compile(rf"^{_CREDIT_WORDS}(?:\s+and\s+\w+)?\s+by\s+[^.;]{{2,160}}\.?$", re.IGNORECASE)
#: An editor's note on a refiled story: "(Fixes typo in paragraph 2)", "(Adds comment from minister)".
_NOTE = re.compile(
    r"^\((?:Fixes|Corrects|Adds|Updates|Recasts|Refiles|Removes|Changes|Clarifies|Repeats|Deletes|Inserts)\b[^)]*\)$"
)
#: AFP's trailer: the initials of the bureau and editors, "burs-ab/cd" or "ab/cd".
_AFP_TRAILER = re.compile(r"^[a-z]{2,8}(?:-[a-z]{2,8})*(?:/[a-z]{2,8})+$")
#: dpa's trailer: "dpa mfh/sk yyzz a3 jm" (the desk's and editors' initials, routing codes).
_DPA_TRAILER = re.compile(r"^dpa\s+[a-z]{2,4}(?:/[a-z]{2,4})*(?:\s+[a-z0-9]{2,4}){0,5}$")
_ENDITEM = re.compile(r"(?:^|\s)End\s?item\.?$", re.IGNORECASE)  # Xinhua's end mark
#: PTI's trailer: "PTI ABV RHL" (the desk's and editors' initials); Bernama's end mark "-- BERNAMA".
_PTI_TRAILER = re.compile(r"^PTI(?:\s+[A-Z]{2,4}){1,5}$")
_BERNAMA_END = re.compile(r"^-{1,2}\s*BERNAMA$")
#: ANPA-1312's closing line "AP-WS-11-05-25 1744GMT" and the end marks "END", "ENDS", "MORE", "-30-", "###".
_ANPA_TRAILER = re.compile(r"^[A-Z]{2,4}-[A-Z]{2,4}-\d\d-\d\d-\d\d\s+\d{4}\s?[A-Z]{2,4}<?$")
_END_MARK = re.compile(r"^(?:END|ENDS|MORE|-+\s?30\s?-+|#{3})$")
_FOOTERS = (
    (re.compile(r"Anadolu Agency website contains only a portion", re.I), "Anadolu Agency"),
    (re.compile(r"Anadolu Ajansı web sitesinde", re.I), "Anadolu Agency"),
    (re.compile(r"^Our Standards:\s*The Thomson Reuters Trust Principles", re.I), "Reuters"),
    (re.compile(r"^(?:Copyright|©|\(c\))\s", re.I), None),
    (re.compile(r"^The post .{2,300} appeared first on .{2,120}$", re.I), None),  # WordPress feeds
)
#: A run of short links after one of these is a share box or a topic list: "Share this:", "Suggested Topics:".
_LIST_MARKERS = re.compile(r"^(?:Share this|Like this|Suggested Topics|Related Topics|Topics|Tags|Read more):?$", re.I)
_LIST_ITEM_CHARS = 40
_LIST_LINES = 13  # a marker and up to twelve items
#: A pointer to another article, anywhere in a web body: "Related: …", "READ MORE: …", "See also: …".
_POINTER = re.compile(r"^(?:Related|Read more|Read also|Also read|See also|More on this|Watch)\s*:\s*.{2,150}$", re.I)


def _credits(text: str) -> bool:
    if _CREDITS.match(text):
        return True
    return len(text) < 400 and all(_CREDIT_PART.match(part.strip()) for part in text.split(";"))


def _kind(text: str) -> tuple[str, str | None] | None:
    """What end matter `text` is ("credits" | "trailer" | "footer", and the agency it names), or None."""
    if _credits(text):
        return "credits", None
    if _NOTE.match(text):
        return "notes", None
    if _AFP_TRAILER.match(text):
        return "trailer", "AFP"
    if _DPA_TRAILER.match(text):
        return "trailer", "dpa"
    if _ENDITEM.fullmatch(text.strip()):
        return "trailer", "Xinhua"
    if _PTI_TRAILER.match(text):
        return "trailer", "PTI"
    if _BERNAMA_END.match(text):
        return "trailer", "Bernama"
    if _ANPA_TRAILER.match(text) or _END_MARK.match(text):
        return "trailer", None
    for pattern, agency in _FOOTERS:
        if pattern.search(text):
            return "footer", agency
    return None


def is_editors_note(text: str) -> bool:
    """True for an editor's note on a refiled story: "(Adds analyst comment)", "(Fixes typo)"."""
    return _NOTE.match(text) is not None


def is_end_line(text: str) -> bool:
    """True for a line that is end matter on its own: a trailer, an end mark, credits or a footer."""
    return _kind(text) is not None


def _take_list(chunks: list[list[str]]) -> list[str]:
    """Cut a share box or topic list off the end (a marker line, then only short lines, over the last chunks);
    the lines cut, or [] if the copy does not end in one."""
    tail: list[tuple[int, int]] = []  # (chunk, line) of the last lines, from the end backwards only
    for c in range(len(chunks) - 1, -1, -1):
        for i in range(len(chunks[c]) - 1, -1, -1):
            tail.append((c, i))
            if len(tail) == _LIST_LINES:
                break
        if len(tail) == _LIST_LINES:
            break
    tail.reverse()
    for n in range(len(tail) - 1, -1, -1):
        c, i = tail[n]
        if _LIST_MARKERS.match(chunks[c][i]):
            after = [chunks[cc][ii] for cc, ii in tail[n + 1 :]]
            if (c, i) == (0, 0) or any(len(line) > _LIST_ITEM_CHARS for line in after):
                return []
            cut = chunks[c][i:] + [line for chunk in chunks[c + 1 :] for line in chunk]
            del chunks[c][i:]
            del chunks[c + 1 :]
            if not chunks[c]:
                chunks.pop()
            return cut
    return []


#: More end matter than this is no wire's: what is left stays text (and the work stays linear in the copy).
_MAX_ITEMS = 100
#: A chunk is looked at whole as end matter only when it is this short.
_CHUNK_LINES = 8


def take_end_matter(chunks: list[list[str]], meta: FoundMeta, extra: dict[str, Any]) -> str | None:
    """Move end matter from the end of `chunks` into `extra` (in place; at least one line of copy stays).

    Footers set meta["agency"] if unset; the agency a trailer names (AFP, Xinhua) is returned instead, for the
    caller to use when nothing better names one. At most `_MAX_ITEMS` items are taken.
    """
    found: dict[str, list[str]] = {"credits": [], "notes": [], "trailer": [], "footer": []}  # last first
    trailer_agency = None
    lines_left = sum(len(c) for c in chunks)
    for _ in range(_MAX_ITEMS):
        if not chunks or lines_left <= 1:
            break
        lines = chunks[-1]
        kind: tuple[str, str | None] | None = None
        if listed := _take_list(chunks):
            found["footer"].extend(reversed(listed))
            lines_left -= len(listed)
            continue
        if len(chunks) > 1 and len(lines) <= _CHUNK_LINES and (kind := _kind(" ".join(lines))):
            found[kind[0]].append(" ".join(lines))
            lines_left -= len(lines)
            lines.clear()
        elif len(lines) > 1 and (kind := _kind(lines[-1])):
            found[kind[0]].append(lines.pop())
            lines_left -= 1
        elif m := _ENDITEM.search(lines[-1]):  # "… said the minister. Enditem"
            kind = ("trailer", "Xinhua")
            found["trailer"].append(m[0].strip())
            lines[-1] = lines[-1][: m.start()].rstrip()
        else:
            break
        if kind is not None and kind[1]:
            if kind[0] == "trailer":
                trailer_agency = trailer_agency or kind[1]
            else:
                meta.setdefault("agency", kind[1])
        if not lines:
            chunks.pop()
    for items in found.values():
        items.reverse()
    credits = [c[1:-1].strip() if c.startswith("(") and c.endswith(")") else c for c in found["credits"]]
    credits += extra.get("credits", [])  # those after AP's rule, taken before
    if credits:
        extra["credits"] = credits
        if any(re.search(r"\bAssociated Press\b", c) for c in credits):
            meta.setdefault("agency", "Associated Press")
    if found["trailer"]:
        extra["trailer"] = " ".join([*found["trailer"], *([extra["trailer"]] if extra.get("trailer") else [])])
    if found["footer"]:
        extra["footer"] = found["footer"]
    if found["notes"]:
        extra["notes"] = [n[1:-1] for n in found["notes"]]
    return trailer_agency


def take_paragraph_end_matter(paragraphs: Sequence[str], meta: FoundMeta, extra: dict[str, Any]) -> list[str]:
    """`paragraphs` less their end matter (see `take_end_matter`) and pointers to other articles ("Related: …",
    kept in extra["links"]); a trailer's agency fills meta["agency"]."""
    chunks = [[p] for p in paragraphs if p and not _POINTER.match(p)]
    if pointers := [p for p in paragraphs if p and _POINTER.match(p)]:
        extra["links"] = pointers
    agency = take_end_matter(chunks, meta, extra)
    if agency:
        meta.setdefault("agency", agency)
    return [c[0] for c in chunks]
