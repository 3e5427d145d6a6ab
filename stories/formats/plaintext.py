"""Plain wire text: Anadolu web copy, Reuters and AP dispatches, and any other plain text.

Recognised layouts:

- Anadolu web copy: section line, headline, standfirst, "Author | DD.MM.YYYY - Update : DD.MM.YYYY" byline,
  repeated headline, "•" highlights, uppercase dateline line, body, agency footer.
- Reuters: "UPDATE 2-" headline prefix (version info), "By A and B", "PLACE, Month D (Reuters) -" dateline,
  "(Reporting by …; Editing by …)" credits.
- AP: "By NAME Associated Press", "PLACE, St. (AP) —" dateline, "___" followed by contributor credits.
- AFP: "PARIS (AFP) -" dateline; the editors' initials ("burs-ab/cd") on the last line are a trailer.
- TASS: "MOSCOW, November 12. /TASS/." dateline.
- Xinhua: "BEIJING, Oct. 9 (Xinhua) --" dateline; "Enditem" at the end is a trailer.
- Copy without a headline line (TASS, Xinhua, Interfax, Kyodo, Yonhap, PTI, Bernama, dpa, EFE often send the
  dateline lede first): the lede stays the first paragraph and the headline is derived from its first sentence
  (`extra["headline_derived"]`), kept in the metadata only.

Anything else degrades gracefully: the first non-empty line is the headline, blank lines separate paragraphs.
Footers, credits and trailers go to metadata, never into the canonical text.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from dataclasses import replace
from datetime import date
from typing import Any

from stories.dates import web_stamp
from stories.encoding import decode_text, looks_binary, looks_json, looks_xml
from stories.headlines import derive_headline
from stories.model import FoundMeta, Story, StoryBuilder, StoryError, StoryMeta
from stories.text import clean_text, identity_key
from stories.trailers import is_editors_note, take_end_matter
from stories.wiretext import AGENCIES, agency_name, is_upper, join_wrapped, split_dateline, split_names

__all__ = ["LABEL", "NAME", "detect", "parse", "wire_identity"]

NAME = "text"
LABEL = "plain text"

_AA_BYLINE = re.compile(
    r"^(?P<authors>[^|]{1,200}?)\s*\|\s*(?P<created>\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*[-–—]\s*(?:Update|Güncelleme)\s*:?\s*(?P<updated>\d{1,2}\.\d{1,2}\.\d{4}))?\s*$",
    re.IGNORECASE,
)
_HEADLINE_PREFIX = re.compile(
    r"^(?P<tag>(?:UPDATE|REFILE|CORRECTED|RPT|WRAPUP|INSIGHT|EXCLUSIVE|ANALYSIS|FACTBOX|FOCUS|BREAKINGVIEWS|"
    r"URGENT|FLASH|BULLETIN|NEWSALERT)(?:\s+\d+)?)\s*[-–]\s*",
)
_BYLINE = re.compile(r"^By\s+(?P<names>.{2,160})$", re.IGNORECASE)
_L = r"[^\W\d_]"  # any letter; datelines may be accented ("SÃO PAULO"), their case is checked in code
_DATELINE_LINE = re.compile(rf"^{_L}(?:{_L}|[.'’\- ]){{1,38}}(?:,\s*{_L}(?:{_L}|[.'’ ]){{1,30}})?$")
_BULLET = re.compile(r"^[•▪◾●]\s*(?:[-–—]\s+)?")
_RULE = re.compile(r"^_{3,}$")  # AP's rule before contributor credits; "***" or "---" are section breaks
#: Transmission control codes (SOH, STX, ETX, EOT, SYN) mark ANPA-1312 / IPTC 7901 wire copy, not plain text.
_WIRE_FRAMING = re.compile(rb"[\x01-\x04\x16]")


def detect(head: bytes) -> bool:
    """Plain text is the fallback format: any text without wire transmission framing that is not JSON or XML."""
    return (
        bool(head.strip())
        and not looks_binary(head)
        and not _WIRE_FRAMING.search(head[:4096])
        and not looks_json(head)
        and not looks_xml(head)
    )


def parse(data: bytes | str, source: str | None = None) -> list[Story]:
    """Parse plain wire text (bytes in any encoding we read, or text) into one story."""
    raw = data if isinstance(data, str) else decode_text(data)
    chunks = _chunks(clean_text(raw))
    if not chunks:
        raise StoryError("the file holds no text")
    extra: dict[str, object] = {}
    meta: FoundMeta = {}
    _take_credits_after_rule(chunks, extra)
    trailer_agency = take_end_matter(chunks, meta, extra)
    if not chunks:
        raise StoryError("the file holds only credits or boilerplate, no story text")
    lines = _Lines(chunks)
    builder = StoryBuilder()
    headline = _headless_lede(lines)
    if headline:
        extra["headline_derived"] = True
    elif not _anadolu_header(lines, builder, meta):
        _generic_header(lines, builder, meta, extra)
    _body(lines, builder, meta, extra)
    if trailer_agency:
        meta.setdefault("agency", trailer_agency)
    story = builder.build(
        StoryMeta(
            headline=headline,
            section=meta.get("section"),
            agency=meta.get("agency"),
            authors=tuple(meta.get("authors") or ()),
            dateline=meta.get("dateline"),
            created=meta.get("created"),
            updated=meta.get("updated"),
            source=source,
            format=NAME,
            version=update + 1 if isinstance(update := extra.get("update"), int) else 1,  # "UPDATE 1-" is v2
            extra=extra,
        )
    )
    lede = next((story.block_text(b) for b in story.blocks if b.kind == "paragraph"), "")
    return [replace(story, meta=replace(story.meta, wire_id=wire_identity(story.meta, lede)))]


def wire_identity(meta: StoryMeta, lede: str = "") -> str | None:
    """Plain text has no wire id: versions share agency, headline and first-created date (or dateline date).
    Without agency or date, headline and first paragraph stand in: the same copy in another encoding or quote
    style is then still the same story. Quote style, dashes and odd spaces never count (`identity_key`)."""
    when = meta.created or meta.extra.get("dateline_date")
    headline = identity_key(meta.headline)
    if meta.agency and when:
        return f"text:{meta.agency}|{headline}|{when}"
    if not lede:
        return None
    digest = hashlib.sha256(identity_key(lede).encode("utf-8")).hexdigest()[:16]
    return f"text:{meta.agency or ''}|{headline}|lede:{digest}"


def _headless_lede(lines: _Lines) -> str:
    """For copy that opens with its dateline lede ("MOSCOW, November 12. /TASS/. Grain exports…"), no headline
    line: a headline derived from the lede; else "". Only a known agency's dateline counts."""
    first = lines.peek(1)[0]
    dateline = split_dateline(first)
    if dateline is None or not dateline.agency or agency_name(dateline.agency) is None:
        return ""
    lede = split_dateline(lines.first_paragraph())
    return derive_headline(lede.rest if lede else dateline.rest)


def _chunks(text: str) -> list[list[str]]:
    """Blank-line separated groups of non-empty, stripped lines."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _paragraphs(chunk: list[str]) -> list[str]:
    """Hard-wrapped lines join into one paragraph; long unwrapped lines and bullet items are one paragraph each."""
    if any(_BULLET.match(line) for line in chunk[1:]):
        items: list[list[str]] = []
        for line in chunk:
            if _BULLET.match(line) or not items:
                items.append([line])
            else:
                items[-1].append(line)
        return [para for item in items for para in _paragraphs(item)]
    return join_wrapped(chunk)


class _Lines:
    """The story's lines, consumed from the front line by line or paragraph by paragraph."""

    def __init__(self, chunks: list[list[str]]) -> None:
        self._chunks = deque(list(c) for c in chunks)

    def __bool__(self) -> bool:
        return bool(self._chunks)

    def peek(self, n: int = 12) -> list[str]:
        out: list[str] = []
        for chunk in self._chunks:
            out.extend(chunk)
            if len(out) >= n:
                break
        return out[:n]

    def pop_line(self) -> str:
        chunk = self._chunks[0]
        line = chunk.pop(0)
        if not chunk:
            self._chunks.popleft()
        return line

    def first_paragraph(self) -> str:
        return _paragraphs(self._chunks[0])[0]

    def pop_paragraphs(self) -> list[str]:
        return _paragraphs(self._chunks.popleft())


def _iso(ddmmyyyy: str | None) -> str | None:
    if not ddmmyyyy:
        return None
    d, m, y = (int(x) for x in ddmmyyyy.split("."))
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _anadolu_header(lines: _Lines, builder: StoryBuilder, meta: FoundMeta) -> bool:
    """Section, headline, standfirst and "Author | date - Update : date" byline, if the copy has them."""
    head = lines.peek()
    idx = next((i for i, line in enumerate(head) if _AA_BYLINE.match(line)), None)
    if not idx:
        return False
    header = [lines.pop_line() for _ in range(idx)]
    m = _AA_BYLINE.match(lines.pop_line())
    assert m is not None
    meta["authors"] = split_names(m["authors"])
    meta["created"] = _iso(m["created"])
    meta["updated"] = _iso(m["updated"])
    meta.setdefault("agency", "Anadolu Agency")
    following = lines.peek(1)
    if following and following[0] in header:
        lines.pop_line()  # the web page repeats the headline under the byline
        h = header.index(following[0])
    else:
        h = 1 if len(header) >= 3 else 0
    if h:
        meta["section"] = " ".join(header[:h])
    builder.add("headline", header[h])
    for line in header[h + 1 :]:
        builder.add("standfirst", line)
    return True


def _generic_header(lines: _Lines, builder: StoryBuilder, meta: FoundMeta, extra: dict[str, Any]) -> None:
    """First line is the headline (minus "UPDATE 2-" style tags); a "By …" line gives the authors, and time
    stamp lines under it the dates. Copy from a web page may start with a section line above the headline."""
    head = lines.peek(3)
    under = len(head) == 3 and (_BYLINE.match(head[2]) or _stamps(head[2]))  # a byline or time stamps
    if under and _is_section(head[0]) and _is_headline(head[1], head[0]):
        meta["section"] = lines.pop_line()
    headline = lines.pop_line()
    tags: list[str] = []
    while m := _HEADLINE_PREFIX.match(headline):
        if len(headline) == m.end():
            break
        tags.append(m["tag"])
        headline = headline[m.end() :]
    if tags:
        extra["headline_tags"] = tags
        update = next((t for t in tags if t.upper().startswith("UPDATE")), None)
        if update and update.split()[-1].isdigit():
            extra["update"] = int(update.split()[-1])
    builder.add("headline", headline)
    while lines and is_editors_note(lines.peek(1)[0]):  # "(Adds analyst comment, updates prices)"
        extra.setdefault("notes", []).append(lines.pop_line()[1:-1])
    _take_stamps(lines, meta, extra)
    following = lines.peek(1)
    if following and (m := _BYLINE.match(following[0])) and not following[0].endswith("."):
        lines.pop_line()
        names = m["names"]
        for key, agency in sorted(AGENCIES.items(), key=lambda kv: -len(kv[0])):
            tail = re.search(rf"(?:,\s*|\s+){re.escape(key)}\s*$", names, re.IGNORECASE)
            if tail:
                names = names[: tail.start()]
                meta.setdefault("agency", agency)
                break
        meta["authors"] = split_names(names)
        _take_stamps(lines, meta, extra)


def _is_section(line: str) -> bool:
    """A web page's section line ("Business", "World · Europe"): a few words, no sentence, no digits."""
    return (
        len(line) <= 30
        and len(line.split()) <= 4
        and not line.endswith((".", ":", "?", "!"))
        and not any(c.isdigit() for c in line)
    )


def _is_headline(line: str, above: str) -> bool:
    """A headline under a section line: longer than it, not a "By …" line, not a standfirst's sentence."""
    return len(above) < len(line) <= 150 and not line.endswith(".") and not _BYLINE.match(line)


def _stamps(line: str) -> list[tuple[str, str | None]]:
    """The time stamps of a line made only of them: "Published on 25/12/2025 at 11:42 - Updated on …"."""
    parts = [part for part in re.split(r"\s+[-–—|·]\s+", line) if part]
    found = [web_stamp(part) for part in parts]
    return [stamp for stamp in found if stamp] if parts and all(found) else []


def _take_stamps(lines: _Lines, meta: FoundMeta, extra: dict[str, Any]) -> None:
    """A web page's time stamp lines under the headline or byline: "October 14, 2025 11:42 AM GMT+1",
    "Updated 3 hours ago"."""
    while lines and (stamps := _stamps(lines.peek(1)[0])):
        line = lines.pop_line()
        for kind, when in stamps:
            if when is None:
                extra.setdefault("stamps", []).append(line)
            elif kind == "published" and "created" not in meta:
                meta["created"] = when
            else:
                meta["updated"] = when


def _body(lines: _Lines, builder: StoryBuilder, meta: FoundMeta, extra: dict[str, Any]) -> None:
    """Highlights, the dateline, then paragraphs."""
    in_header = True
    while lines:
        paras = lines.pop_paragraphs()
        for i, para in enumerate(paras):
            if in_header and _BULLET.match(para):
                builder.add("highlight", _BULLET.sub("", para, count=1))
                continue
            more = i + 1 < len(paras) or bool(lines)  # a dateline line leads into text
            if in_header and "dateline" not in meta and more and _DATELINE_LINE.match(para) and is_upper(para):
                meta["dateline"] = para
                builder.add("dateline", para)
                continue
            dateline = split_dateline(para) if in_header and "dateline" not in meta else None
            if dateline:
                meta["dateline"] = dateline.place
                if dateline.date:
                    extra["dateline_date"] = dateline.date
                agency = agency_name(dateline.agency or "")
                if agency:
                    meta.setdefault("agency", agency)
                builder.add("dateline", dateline.text, inline=True)
                para = dateline.rest
            in_header = False
            builder.add("paragraph", para)


def _take_credits_after_rule(chunks: list[list[str]], extra: dict[str, Any]) -> None:
    """AP's "___" rules near the end: what follows each is contributor credits or a pointer to more coverage."""
    credits: list[str] = []
    while True:
        rule = next(
            (
                i
                for i in range(len(chunks) - 1, max(len(chunks) - 4, 0), -1)
                if len(chunks[i]) == 1 and _RULE.match(chunks[i][0])
            ),
            None,
        )
        if rule is None:
            break
        credits[:0] = [" ".join(c) for c in chunks[rule + 1 :]]
        del chunks[rule:]
    if credits:
        extra["credits"] = credits
