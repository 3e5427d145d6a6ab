"""IPTC 7901 wire transmissions (dpa and other agencies), one story per transmission.

    SOH eca062 4 i 211                 source and message number, priority, category, word count
    Germany-transport/                 keyword line: the slug
    STX Headline =                     the headline ends with " ="
    paragraphs, blank-line separated   hard-wrapped lines join; the first may open with "Berlin (dpa) -"
    # … NOTEBOOK / "The following information is not for publication" …   for editors, not story text
    ETX 131137 GMT Nov 13              trailer: time and day sent (usually no year, so no date is derived)
    EOT

Text is 8-bit Latin-1 as cp1252 (or UTF-8). A transmission cut off before its ETX is imported as far as it goes
and marked `extra["truncated"]`. The notebook runs to the end once "not for publication" is said; before that,
it holds headings, list items and links, and a plain paragraph after it resumes the story.
"""

from __future__ import annotations

import re
from typing import Any

from stories.dates import iso_date
from stories.model import FoundMeta, Story, StoryBuilder, StoryError, StoryMeta
from stories.text import clean_line, identity_key
from stories.trailers import take_paragraph_end_matter
from stories.wiretext import agency_name, framing, join_wrapped, parse_transmissions, split_dateline, split_lines

__all__ = ["LABEL", "NAME", "detect", "parse"]

NAME = "iptc7901"
LABEL = "IPTC 7901"

_HEADER = re.compile(
    r"^(?P<service>[A-Za-z]*)(?P<number>\d*)\s+(?P<priority>\S)\s+(?P<category>\S{1,3})\s+(?P<words>\d{1,6})"
    r"(?:\s+(?P<rest>.*))?$"
)
_HEADLINE_END = re.compile(r"\s*=\s*$")
_NOTEBOOK = re.compile(r"^#+.*\b(?:NOTEBOOK|Notizblock)\b", re.IGNORECASE)
_NOT_FOR_PUBLICATION = re.compile(
    r"\bnot\s+(?:intended\s+)?for\s+publication\b|\bnicht\s+zur\s+Veröffentlichung\b", re.IGNORECASE
)
_NOTEBOOK_ITEM = re.compile(r"^(?:#|[-*•]\s|\[|https?://|www\.)")
_TRAILER = re.compile(
    r"^(?P<time>\d{4}(?:\d{2})?)\s*(?P<zone>GMT|UTC|Z)?\s+(?P<day>[A-Za-z]{3,9}\.?\s+\d{1,2})(?:,?\s+(?P<year>\d{4}))?"
)


def detect(head: bytes) -> bool:
    """An SOH header, then STX, without the marks of ANPA-1312 (SYN bytes, its header codes, AM-/PM-/BC- slugs)."""
    return framing(head) == "iptc7901"


def parse(data: bytes, source: str | None = None) -> list[Story]:
    """Every transmission in the file that holds text, as a story. Raises StoryError if none does."""
    return parse_transmissions(data, lambda message: _parse_message(message, source), LABEL)


def _parse_message(message: str, source: str | None) -> Story:
    header, stx, rest = message.partition("\x02")
    if not stx:
        raise StoryError("IPTC 7901 transmission without text (no STX)")
    body, etx, trailer = rest.split("\x04", 1)[0].partition("\x03")
    extra: dict[str, object] = {}
    slug = _header(header, extra)
    if not etx:
        extra["truncated"] = True
    trailer = clean_line(trailer)
    if trailer:
        extra["trailer"] = trailer
    chunks = _chunks(split_lines(body))
    builder = StoryBuilder()
    headline = _headlines(chunks, builder)
    meta: FoundMeta = {}
    paragraphs = take_paragraph_end_matter(_body(chunks, extra), meta, extra)
    if not headline:
        if not paragraphs:
            raise StoryError("IPTC 7901 transmission without text")
        headline = paragraphs.pop(0)
        builder.add("headline", headline)
    if paragraphs and (dateline := split_dateline(paragraphs[0], lenient=True)):
        meta["dateline"] = dateline.place
        if dateline.date:
            extra["dateline_date"] = dateline.date
        meta["agency"] = agency_name(dateline.agency or "") or dateline.agency or meta.get("agency")
        builder.add("dateline", dateline.text, inline=True)
        paragraphs[0] = dateline.rest
    for para in paragraphs:
        builder.add("paragraph", para)
    sent = _TRAILER.match(trailer)
    created = _sent(sent)
    return builder.build(
        StoryMeta(
            headline=clean_line(headline),
            agency=meta.get("agency"),
            dateline=meta.get("dateline"),
            created=created,
            source=source,
            format=NAME,
            wire_id=_wire_id(slug, headline, created[:10] if created else sent and sent["day"]),
            slug=slug,
            extra=extra,
        )
    )


def _header(header: str, extra: dict[str, Any]) -> str | None:
    """The SOH line's fields go to `extra`; the keyword lines that follow are the slug (trailing "/" dropped)."""
    keywords: list[str] = []
    for line in split_lines(header):
        line = clean_line(line)
        if not line:
            continue
        if "service" not in extra and (m := _HEADER.match(line)):
            extra.update(service=m["service"], message_number=m["number"], priority=m["priority"])
            extra.update(category=m["category"], word_count=int(m["words"]))
            if m["rest"]:
                extra["header_rest"] = m["rest"]
        else:
            keywords.append(line)
    slug = " ".join(keywords).rstrip("/ ").strip()
    return slug or None


def _chunks(lines: list[str]) -> list[list[str]]:
    """Blank-line separated groups of lines, cleaned; an indented line starts a new group."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for raw in lines:
        line = clean_line(raw.strip())
        if not line or (raw[:1] in (" ", "\t") and current):
            if current:
                chunks.append(current)
            current = [line] if line else []
        else:
            current.append(line)
    if current:
        chunks.append(current)
    return chunks


def _headlines(chunks: list[list[str]], builder: StoryBuilder) -> str:
    """The headline: the first lines up to one ending in " =" (or just the first line); later "=" lines of the
    same group are standfirsts. Consumed from `chunks`."""
    if not chunks:
        return ""
    first = chunks[0]
    end = next((i for i, line in enumerate(first) if _HEADLINE_END.search(line)), None)
    if end is None:
        end = 0
    headline = _HEADLINE_END.sub("", " ".join(first[: end + 1])).strip()
    builder.add("headline", headline)
    rest = first[end + 1 :]
    while headline and rest and _HEADLINE_END.search(rest[0]):
        builder.add("standfirst", _HEADLINE_END.sub("", rest.pop(0)))
    if rest:
        chunks[0] = rest
    else:
        chunks.pop(0)
    return headline


def _body(chunks: list[list[str]], extra: dict[str, Any]) -> list[str]:
    """Paragraphs of the text; the notebook block goes to `extra["notebook"]`."""
    paragraphs: list[str] = []
    notebook: list[str] = []
    state = "text"  # "notebook" while in it; "closed" once "not for publication" was said: the rest is notes
    for chunk in chunks:
        if state == "notebook" and not _NOTEBOOK_ITEM.match(chunk[0]) and not _NOT_FOR_PUBLICATION.search(chunk[0]):
            state = "text"
        if state == "text":
            start = next(
                (i for i, line in enumerate(chunk) if _NOTEBOOK.match(line) or _NOT_FOR_PUBLICATION.search(line)),
                None,
            )
            if start is None:
                paragraphs.extend(join_wrapped(chunk))
                continue
            paragraphs.extend(join_wrapped(chunk[:start]))
            chunk = chunk[start:]
            state = "notebook"
        notebook.extend(chunk)
        if any(_NOT_FOR_PUBLICATION.search(line) for line in chunk):
            state = "closed"
    if notebook:
        extra["notebook"] = notebook
    return paragraphs


def _sent(m: re.Match[str] | None) -> str | None:
    """The trailer's date and time, when it carries a year ("131137 GMT Nov 13 2026")."""
    if not m or not m["year"]:
        return None
    month, day = m["day"].replace(".", " ").split()
    t = m["time"]
    return iso_date(f"{day} {month[:3].title()} {m['year']} {t[:2]}:{t[2:4]}:{t[4:6] or '00'} {m['zone'] or 'GMT'}")


def _wire_id(slug: str | None, headline: str, day: str | None) -> str | None:
    """IPTC 7901 carries no story id: slug, headline and day sent stand in for one (None without slug or day)."""
    if not slug and not day:
        return None
    return f"iptc7901:{identity_key(slug or '')}|{identity_key(headline)}|{day or ''}"
