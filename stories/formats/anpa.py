"""ANPA-1312 wire transmissions (AP and the other US wires), one story per transmission.

    SYN SYN SOH a0421 US APR                         service, message number, selectors
    r f DC3 DC1 BC-Harbor-Fire 1stLd-Writethru 04-22 0212   priority, category, slug, version, filing date, words
    STX ^BC-Harbor-Fire, 1st Ld-Writethru,0212<      the keyword line again
    ^Headline<  ^Eds: note<  ^By NAME=  ^Associated Press Writer=
    TAB paragraph…                                   "_" is AP's dash; "___" then contributor credits
    ETX AP-WF-04-22-26 0915GMT<                      trailer: sender, date and time sent
    EOT

Text is 8-bit Latin-1 as cp1252 (or UTF-8). A transmission cut off before its ETX is imported as far as it goes
and marked `extra["truncated"]`; one without text (no STX) is not a story. Write-thrus of a story share its
wire id ("anpa:" + slug + filing date); "1st Ld" is version 2, "2nd Ld" 3…
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from stories.dates import iso_date
from stories.headlines import shorten
from stories.model import FoundMeta, Story, StoryBuilder, StoryError, StoryMeta
from stories.text import clean_line, identity_key
from stories.trailers import is_end_line, take_paragraph_end_matter
from stories.wiretext import agency_name, framing, parse_transmissions, split_dateline, split_lines, split_names

__all__ = ["LABEL", "NAME", "detect", "parse"]

NAME = "anpa"
LABEL = "ANPA-1312"

_PRIORITIES = {"f": "flash", "b": "bulletin", "u": "urgent", "r": "routine", "d": "deferred"}
_SERVICE_LINE = re.compile(r"^(?P<service>[A-Za-z])(?P<number>\d{4})\x1f(?P<selectors>.*)$")
_KEYWORD_LINE = re.compile(
    r"^(?P<priority>[A-Za-z]) (?P<category>[A-Za-z])\s*[\x13\x14]?[\x11\x12]?\s*(?P<keyword>.*)$"
)
_CYCLE = re.compile(r"^(?:AM|PM|BC)-", re.IGNORECASE)
_LEAD = re.compile(r"(\d+)\s*(?:st|nd|rd|th)\s*Ld\b", re.IGNORECASE)
_LATER_VERSION = re.compile(r"\d\s*(?:st|nd|rd|th)\s*Ld|Writethru|Corrective|Correction|\bSub\b", re.IGNORECASE)
_EDS = re.compile(r"^(?:Eds?\b\.?|Editors?\b|Editor['’]?s\s+Note\b)\s*[:_—-]?\s*", re.IGNORECASE)
_BY = re.compile(r"^By\s+(?P<names>.+)$", re.IGNORECASE)
_ROLE = r"(?:Writers?|Correspondents?|Editors?|Columnists?|Reporters?|Staff)"
_AP = r"(?:The\s+)?(?:Associated\s+Press|AP)\b"
_AP_TITLE = re.compile(rf"^{_AP}(?:\s+\w+)?\s+{_ROLE}$", re.IGNORECASE)
_TITLE = re.compile(rf"^(?:{_AP}.*|.{{0,40}}\b{_ROLE})$", re.IGNORECASE)
_NAMES_TITLE = re.compile(rf",\s*(?P<title>{_AP}.*|.{{0,40}}\b{_ROLE})$", re.IGNORECASE)
_NOTE = re.compile(r"^(?:With\s|AP\s+Photos?\b|Photos?\b|Graphics?\b|Video\b|Audio\b|Embargoed\b|Adv\d*\b)", re.I)
_RULE = re.compile(r"^_{3,}$")
_FOOTER = re.compile(r"^\(?(?:Copyright|©)\s", re.IGNORECASE)
_TRAILER_DATE = re.compile(r"(?P<m>\d{1,2})-(?P<d>\d{1,2})-(?P<y>\d{2}|\d{4})\s+(?P<hm>\d{4})\s*(?P<zone>[A-Z]{1,4})?")
_ZONES = {"GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
          "PST": -8, "PDT": -7}  # fmt: skip
_AP_DASH = re.compile(r"(?<=\s)_(?=\s)")
_AP_BULLET = re.compile(r"^_(?!_)\s*")


def detect(head: bytes) -> bool:
    """An SOH header (after SYN bytes) and STX, with ANPA's header codes, SYN bytes or an AM-/PM-/BC- slug."""
    return framing(head) == "anpa"


def parse(data: bytes, source: str | None = None) -> list[Story]:
    """Every transmission in the file that holds text, as a story. Raises StoryError if none does."""
    return parse_transmissions(data, lambda message: _parse_message(message, source), LABEL, _join_adds)


_ADD = re.compile(r"\b\d+\s*(?:st|nd|rd|th)\s*Add\b", re.IGNORECASE)
_SLUG = re.compile(r"\b(?:AM|PM|BC)-[\w-]+", re.IGNORECASE)


def _join_adds(messages: list[str]) -> list[str]:
    """An "Add" take continues the story of the take before it (same slug): one story, not a new version.
    The earlier take's closing lines ("MORE", the time line) and the add's pickup line ("CITY: last words.")
    are left out where they meet."""
    out: list[str] = []
    for message in messages:
        header, stx, rest = message.partition("\x02")
        slug = _slug(message)
        is_add = _ADD.search(header + "\n" + rest.split("\n", 1)[0])
        if not (stx and is_add and slug and out and _slug(out[-1]) == slug):
            out.append(message)
            continue
        before, _, _ = out[-1].partition("\x03")
        lines = before.rstrip().split("\n")
        while len(lines) > 1 and _closing(lines[-1]):
            lines.pop()
        body, etx, after = rest.partition("\x03")
        add = body.split("\n")
        start = next((i for i, line in enumerate(add) if line[:1] == "\t" or line.startswith("  ")), len(add))
        out[-1] = "\n".join(lines + add[start:]) + etx + after
    return out


def _slug(message: str) -> str | None:
    """The slug ("BC-Flood-Missouri") of a transmission's header or keyword line, lower-cased."""
    header, _, rest = message.partition("\x02")
    found = _SLUG.search(header + "\n" + rest.split("\n", 1)[0])
    return found[0].lower() if found else None


def _closing(line: str) -> bool:
    text = clean_line(line).lstrip("^").rstrip("<").strip()
    return not text or text.upper() == "MORE" or is_end_line(text)


def _parse_message(message: str, source: str | None) -> Story:
    header, stx, rest = message.partition("\x02")
    if not stx:
        raise StoryError("ANPA-1312 transmission without text (no STX)")
    body, etx, trailer = rest.split("\x04", 1)[0].partition("\x03")
    extra: dict[str, object] = {}
    meta: FoundMeta = {}
    _header(header, extra, meta)
    if not etx:
        extra["truncated"] = True
    trailer = clean_line(trailer).rstrip("<=").strip()
    if trailer:
        extra["trailer"] = trailer
    lines = split_lines(body)
    builder = StoryBuilder()
    headline = _head_lines(lines, builder, extra, meta)
    paragraphs = take_paragraph_end_matter(_paragraphs(lines, extra), meta, extra)
    if not paragraphs and not len(builder):
        raise StoryError("ANPA-1312 transmission without text")
    first = paragraphs.pop(0) if paragraphs else ""
    dateline = split_dateline(first)
    if dateline:
        meta["dateline"] = dateline.place
        if dateline.date:
            extra["dateline_date"] = dateline.date
        meta.setdefault("agency", agency_name(dateline.agency or ""))
        builder.add("dateline", dateline.text, inline=True)
        first = dateline.rest
    builder.add("paragraph", first)
    for para in paragraphs:
        builder.add("paragraph", para)
    if not headline:
        headline = shorten(clean_line(first), 120) or str(meta.get("slug") or "")
    _dates(extra, meta)
    return builder.build(
        StoryMeta(
            headline=headline,
            agency=meta.get("agency"),
            authors=tuple(meta.get("authors") or ()),
            dateline=meta.get("dateline"),
            created=meta.get("created"),
            updated=meta.get("updated"),
            source=source,
            format=NAME,
            wire_id=_wire_id(meta),
            version=meta.get("version") or 1,  # an original is version 1
            slug=meta.get("slug"),
            extra=extra,
        )
    )


def _header(header: str, extra: dict[str, Any], meta: FoundMeta) -> None:
    """Service line and keyword line: message number, priority, category, slug, version, filing date, words."""
    for line in split_lines(header):
        line = line.strip("\x16\x00 \t")
        if m := _SERVICE_LINE.match(line):
            extra["service"] = m["service"]
            extra["message_number"] = m["number"]
            extra["selectors"] = clean_line(m["selectors"])
        elif (m := _KEYWORD_LINE.match(line)) and "slug" not in meta:
            extra["priority"] = m["priority"].lower()
            if name := _PRIORITIES.get(m["priority"].lower()):
                extra["priority_name"] = name
            extra["category"] = m["category"].lower()
            _keyword(clean_line(m["keyword"]).split(), extra, meta)


def _keyword(tokens: list[str], extra: dict[str, Any], meta: FoundMeta) -> None:
    """Slug, version info, filing date (MM-DD) and word count from "BC-Harbor-Fire 1stLd-Writethru 04-22 0212"."""
    if not tokens:
        return
    meta["slug"] = tokens.pop(0).rstrip(",")
    if tokens and re.fullmatch(r"\d{1,5}", tokens[-1]):
        extra["word_count"] = int(tokens.pop())
    if tokens and re.fullmatch(r"\d{1,2}-\d{1,2}", tokens[-1]):
        extra["filing_date"] = meta["filing_date"] = tokens.pop()
    _version(" ".join(tokens), extra, meta)


def _version(info: str, extra: dict[str, Any], meta: FoundMeta) -> None:
    info = info.strip(" ,")
    if not info or "version_info" in extra:
        return
    extra["version_info"] = info
    if m := _LEAD.search(info):
        meta["version"] = int(m[1]) + 1  # the first lead replaces the original, version 1


def _head_lines(lines: list[str], builder: StoryBuilder, extra: dict[str, Any], meta: FoundMeta) -> str:
    """Consume the "^…<" and "^…=" lines before the text; the headline, or "" if there is none."""
    headline = ""
    authors: list[str] = []
    titles: list[str] = []
    notes: list[str] = []
    first = True
    while lines:
        raw = lines[0]
        stripped = raw.strip()
        if not stripped:
            lines.pop(0)
            continue
        if raw[:1] in ("\t", " ") or not (stripped.startswith("^") or stripped.endswith(("<", "="))):
            break
        lines.pop(0)
        centred = stripped.endswith("=")
        text = clean_line(stripped.lstrip("^").rstrip("<="))
        if not text:
            continue
        if first and (_CYCLE.match(text) or text.lower().startswith(str(meta.get("slug", "\0")).lower())):
            parts = [p.strip() for p in text.split(",")]
            meta.setdefault("slug", parts[0])
            if len(parts) > 1 and re.fullmatch(r"[0-9]{1,5}", parts[-1]):
                extra.setdefault("word_count", int(parts.pop()))
            _version(", ".join(parts[1:]), extra, meta)
        elif m := _EDS.match(text):
            extra["eds"] = " ".join(filter(None, [extra.get("eds"), text[m.end() :]]))
        elif m := _BY.match(text):
            names = m["names"]
            if t := _NAMES_TITLE.search(names):
                titles.append(t["title"])
                names = names[: t.start()]
            authors += split_names(names)
        elif _AP_TITLE.match(text) or (centred and (authors or _TITLE.match(text))):
            titles.append(text)
        elif _NOTE.match(text):
            notes.append(text)
        elif not headline:
            headline = text
            builder.add("headline", text)
        else:
            builder.add("standfirst", text)
        first = False
    meta["authors"] = authors
    for title in titles:
        if re.match(_AP, title, re.IGNORECASE):
            meta.setdefault("agency", "Associated Press")
        elif agency := agency_name(re.sub(rf"\s+\w*\s*{_ROLE}$", "", title, flags=re.IGNORECASE)):
            meta.setdefault("agency", agency)
    if titles:
        extra["byline_titles"] = titles
    if notes:
        extra["notes"] = notes
    return headline


def _paragraphs(lines: list[str], extra: dict[str, Any]) -> list[str]:
    """TAB-indented paragraphs (unindented lines continue one); "___" starts the credits, which leave the text."""
    paragraphs: list[list[str]] = []
    new = True
    for raw in lines:
        text = clean_line(raw.strip()).lstrip("^").rstrip("<").strip()  # strip first: a TAB makes cleaning slow
        if not text:
            new = True
            continue
        if new or raw[:1] == "\t" or raw.startswith("  ") or raw.startswith("^") or is_end_line(text):
            paragraphs.append([])
        paragraphs[-1].append(text)
        new = False
    out = [_AP_BULLET.sub("— ", _AP_DASH.sub("—", " ".join(p))) for p in paragraphs]
    rule = next((i for i, p in enumerate(out) if _RULE.match(p)), None)
    if rule is not None:
        if credits := out[rule + 1 :]:
            extra["credits"] = credits
        del out[rule:]
    while out and _FOOTER.match(out[-1]):
        extra.setdefault("footer", []).insert(0, out.pop())
    return out


def _dates(extra: dict[str, Any], meta: FoundMeta) -> None:
    """The trailer's date and time: when this version was sent (created, or updated for a write-thru)."""
    m = _TRAILER_DATE.search(str(extra.get("trailer", "")))
    if not m:
        return
    year = int(m["y"]) if len(m["y"]) == 4 else int(m["y"]) + (2000 if int(m["y"]) < 70 else 1900)
    zone = _ZONES.get(m["zone"] or "")
    try:
        sent = datetime(year, int(m["m"]), int(m["d"]), int(m["hm"][:2]), int(m["hm"][2:]))
    except ValueError:
        return
    if zone is not None:
        sent = sent.replace(tzinfo=timezone(timedelta(hours=zone)))
    filed = _filing_date(str(extra.get("filing_date", "")), sent)
    if filed:
        meta["filed"] = filed.isoformat()
    if _LATER_VERSION.search(str(extra.get("version_info", ""))) or (meta.get("version") or 1) > 1:
        meta["updated"] = iso_date(sent)
        meta["created"] = meta.get("filed")
    else:
        meta["created"] = iso_date(sent)


def _filing_date(month_day: str, sent: datetime) -> date | None:
    """The slug line's MM-DD in the year it was sent (the year before, for a December story sent in January)."""
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", month_day)
    if not m:
        return None
    year = sent.year - 1 if int(m[1]) > sent.month + 6 else sent.year
    try:
        return date(year, int(m[1]), int(m[2]))
    except ValueError:
        return None


def _wire_id(meta: FoundMeta) -> str | None:
    """The id write-thrus share: "anpa:" + slug + filing date (ISO when the trailer gives its year, else MM-DD)."""
    slug = identity_key(str(meta.get("slug") or ""))
    if not slug:
        return None
    when = meta.get("filed") or meta.get("filing_date")
    return f"anpa:{slug}|{when}" if when else f"anpa:{slug}"
