"""Pieces shared by the wire text formats (plain text, ANPA-1312, IPTC 7901).

Decoding of transmissions, agency names, datelines, bylines and the joining of hard-wrapped lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stories.encoding import decode_text
from stories.model import Story, StoryError
from stories.text import clean_line

__all__ = [
    "AGENCIES",
    "Dateline",
    "agency_name",
    "decode_wire",
    "framing",
    "is_upper",
    "join_wrapped",
    "parse_transmissions",
    "split_dateline",
    "split_lines",
    "split_names",
]

AGENCIES = {
    "aa": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency",
    "anadolu": "Anadolu Agency",
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "itar-tass": "TASS",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo News",
    "kyodo news": "Kyodo News",
    "yonhap": "Yonhap",
    "upi": "UPI",
    "pti": "PTI",
    "interfax": "Interfax",
    "interfax-ukraine": "Interfax-Ukraine",
    "bernama": "Bernama",
}

#: English month names, and lower-case abbreviations as Spanish, French… datelines write them ("14 may").
_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    r"|jan|feb|mar|abr|apr|may|jun|jul|ago|aug|sep|oct|nov|dic|dec)[a-z]*\.?"
)
_L = r"[^\W\d_]"  # any letter; datelines may be accented ("SÃO PAULO"), their case is checked in code
_PLACE = rf"{_L}(?:(?:{_L}|[.'’/\- ]){{0,40}}(?:{_L}|\.))?(?:,\s*{_L}(?:{_L}|[.'’ ]){{0,30}}?)?"
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s*\d{{4}})?"  # "Oct. 9", "9 Oct.", "Oct 9, 2026"
# "PORT AUREL, March 4 (Reuters) -", "PARIS (AFP) -", "BEIJING, Oct. 9 (Xinhua) --", "RIVERTON, Ore. (AP) —",
# Interfax's "MOSCOW. Nov 12 (Interfax) -", EFE's "Madrid, Nov 12 (EFE).-"; PTI's "New Delhi, Nov 12 (PTI) The…"
# has no dash (allowed for PTI only: "Mayor Cole (Reuters) Smith" is no dateline)
_PAREN_DATELINE = re.compile(
    rf"^(?P<dateline>(?P<place>{_PLACE})(?:[,.]\s*(?P<date>{_DATE}))?\s*\((?P<agency>[^()]{{1,40}})\)\.?"
    rf"(?:\s*(?P<dash>[-–—]+))?)\s*(?=\S)"
)
# TASS: "MOSCOW, November 12. /TASS/."
_SLASH_DATELINE = re.compile(
    rf"^(?P<dateline>(?P<place>{_PLACE})(?:,\s*(?P<date>{_DATE}))?\.?\s*/(?P<agency>[^/\s][^/]{{0,20}})/\.?)\s+(?=\S)"
)
# Kyodo: "TOKYO, Nov. 12 Kyodo -": the agency without brackets, after a date (a known agency only)
_WORD_DATELINE = re.compile(
    rf"^(?P<dateline>(?P<place>{_PLACE}),\s*(?P<date>{_DATE})\s+(?P<agency>[A-Z][A-Za-z]{{1,20}})\s*(?P<dash>[-–—]+))"
    rf"\s+(?=\S)"
)

# No agency: "VARNA, Aug 1 -", "ZERMATT, Switzerland —" (the place in capitals, and not a slug word)
_BARE_DATELINE = re.compile(rf"^(?P<dateline>(?P<place>{_PLACE})(?:,\s*(?P<date>{_DATE}))?\s+[-–—]+)\s+(?=\S)")
#: Agencies whose datelines run into the text without a dash: "New Delhi, Nov 12 (PTI) The Union Cabinet…"
_UNDASHED = frozenset({"PTI"})
_NOT_PLACES = frozenset("UPDATE URGENT BREAKING FLASH EXCLUSIVE ANALYSIS CORRECTION REFILE NEWS ALERT".split())


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline at the start of a paragraph: `text` as printed, `rest` the paragraph after it."""

    text: str
    place: str
    date: str | None
    agency: str | None
    rest: str


def is_upper(text: str) -> bool:
    """True if `text` has letters and all of them are capitals (a dateline place)."""
    return text.upper() == text and text.lower() != text


def _title_case(text: str) -> bool:
    words = [w for w in re.split(r"[\s/-]+", text) if w]
    return bool(words) and all(w[0].isupper() for w in words)


def agency_name(name: str) -> str | None:
    """The usual name of a news agency named in a byline or dateline, or None if it is not one we know."""
    return AGENCIES.get(clean_line(name).lower().rstrip("."))


def split_dateline(para: str, *, lenient: bool = False) -> Dateline | None:
    """The dateline leading `para`, if any. Its place must be in capitals ("PARIS (AFP) -"), or in title case
    ("Paris (AFP) -") when the agency is a known one or `lenient` (the format puts a dateline there)."""
    for pattern in (_PAREN_DATELINE, _SLASH_DATELINE, _WORD_DATELINE):
        m = pattern.match(para)
        if not m:
            continue
        first = m["place"].split(",")[0].strip()
        known = agency_name(m["agency"]) is not None
        if pattern is _WORD_DATELINE and not known:
            continue  # "Mayor Cole Smith -": an unbracketed agency must be one we know
        if pattern is _PAREN_DATELINE and not m["dash"] and agency_name(m["agency"]) not in _UNDASHED:
            continue
        if is_upper(first) or ((known or lenient) and _title_case(first)):
            agency = clean_line(m["agency"])
            return Dateline(m["dateline"], m["place"].strip(), m["date"], agency or None, para[m.end() :])
    m = _BARE_DATELINE.match(para)
    if m:
        first = m["place"].split(",")[0].strip()
        if is_upper(first) and len(first) >= 3 and first not in _NOT_PLACES:
            return Dateline(m["dateline"], m["place"].strip(), m["date"], None, para[m.end() :])
    return None


#: What stands before the names in "by Xinhua writers Li Na and Zhou Wei", "By staff writer Ann Lee".
_WRITERS = re.compile(r"^(?:(?:[A-Z][\w.]*\s+){0,3}(?:staff\s+)?(?:writers?|correspondents?|reporters?))\s+", re.I)
#: "Editing by …", "Additional reporting by …": credits, not authors.
CREDIT_NAMES = re.compile(r"^(?:additional\s+)?(?:editing|reporting|writing|compiled|edited|research)\b.*\bby\b", re.I)


def split_names(names: str) -> list[str]:
    """Author names from "A, B and C" / "A & B" / "Xinhua writers A, B"; credits ("Editing by C") left out."""
    parts = re.split(r"\s*[,;]\s*|\s+and\s+|\s*&\s*", _WRITERS.sub("", names.strip(), count=1))
    return [p for p in (clean_line(x) for x in parts) if p and not CREDIT_NAMES.match(p)]


def join_wrapped(lines: list[str], long_line: int = 100) -> list[str]:
    """Paragraphs from a block of lines: hard-wrapped lines join; long unwrapped lines are a paragraph each."""
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) > 1 and max(len(line) for line in lines) > long_line:
        return lines
    return [" ".join(lines)] if lines else []


# --- transmissions ----------------------------------------------------------------------------------------

#: Bytes 0x80-0x9F read as cp1252 (curly quotes, dashes, €); the five cp1252 leaves undefined stay C1 controls.
_TO_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def decode_wire(data: bytes) -> str:
    """Text of a wire transmission: a BOM wins, then UTF-8, else the wire's 8-bit Latin-1 as cp1252 (so curly
    quotes sent as 0x93/0x94 come out right; the five bytes cp1252 leaves undefined stay Latin-1 controls)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1").translate(_TO_CP1252)


_START = re.compile(rb"^[\s\x00]*(?P<syn>\x16*)\x01")
_ANPA_HEADER = re.compile(rb"\x01[A-Za-z]\d{4}\x1f|[\x13\x14][\x11\x12]|(?:^|[\s\x11\x12])(?:AM|PM|BC)-[A-Za-z]")


def framing(head: bytes) -> str | None:
    """Which transmission `head` starts, if it starts with an SOH header and has STX: "anpa" or "iptc7901".
    ANPA-1312 is told by its SYN bytes, its header codes, an AM-/PM-/BC- slug or a "^" line after STX."""
    m = _START.match(head)
    if not m:
        return None
    stx = head.find(b"\x02", m.end(), 4096)
    if stx == -1:
        return None
    header = head[m.end() - 1 : stx]
    if not header[1:].strip(b" \t\r\n\x00\x16"):
        return None  # SOH then STX with nothing between: control bytes in a binary file, not a wire header
    if m["syn"] or _ANPA_HEADER.search(header) or head.startswith(b"^", stx + 1):
        return "anpa"
    return "iptc7901"


def parse_transmissions(
    data: bytes,
    parse_one: Callable[[str], Story],
    label: str,
    join: Callable[[list[str]], list[str]] | None = None,
) -> list[Story]:
    """Each transmission (the text after an SOH) that holds text, parsed; the first error if none does.
    `join` may first combine transmissions that belong together (the takes of one story)."""
    text = decode_wire(data)
    if "\x02" not in text:
        raise StoryError(f"not an {label} transmission (no STX before the text)")
    messages = text.split("\x01")
    if len(messages) > 1 and "\x02" not in messages[0]:
        messages = messages[1:]  # before the first SOH: SYN bytes or line noise
    if join is not None:
        messages = join(messages)
    stories: list[Story] = []
    error: StoryError | None = None
    for message in messages:
        try:
            stories.append(parse_one(message))
        except StoryError as exc:
            error = error or exc
    if not stories:
        raise error or StoryError(f"no {label} story in the file")
    return stories


def split_lines(text: str) -> list[str]:
    """Lines of text with any line ends (CRLF, CR, LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
