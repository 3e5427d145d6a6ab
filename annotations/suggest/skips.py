"""Where the actor finder must not look, or must look with care: the dateline ("CARACAS (Reuters) -", "MOSCOW,
December 3. /TASS/."), bylines, credits and boilerplate ("Reporting by …", "… subscription options"), and
headline-case lines, where every word is capitalised and capitals say nothing."""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass

from annotations.suggest.context import Context

__all__ = ["Zones", "zones"]

#: A dateline at the start of a paragraph: a place (often in capitals), maybe a date, then the agency's stamp.
_DATELINE = re.compile(
    r"\A[ \t]*[A-Z][\w.'’ -]{1,40}?(?:,[^\n(/]{1,40}?)?[ \t]*"
    r"(?:(?:\((?:Reuters|dpa|Xinhua|Anadolu(?: Agency)?|Sputnik|Interfax|Bloomberg|Yonhap|Kyodo|Bernama|"
    r"Antara|Ukrinform|Lusa)\)|/[A-Z][A-Za-z-]{1,15}/)[ \t]*[-–—.:]?|\([A-Z]{2,6}\)[ \t]*[-–—.:])"
)
#: (any capitals in brackets are a stamp only before the dash: "(NFA) said" is an acronym in a sentence)
#: A dateline in capitals with no stamp: "KOVARA, May 14 —".
_CAPITAL_DATELINE = re.compile(r"\A[ \t]*[A-Z][A-Z.'’ -]{2,40}(?:,[^\n]{1,30}?)?[ \t]+[-–—][ \t]")
_BOILERPLATE = re.compile(
    r"(?i)subscription options|offered to subscribers|subscribe (?:now|to our)|all rights reserved|©|\bcopyright\b|"
    r"contact us for|contributed to this (?:report|story)|"
    r"\A\W*(?:reporting|editing|writing|additional reporting|compiled|translated|edited) by\b|"
    r"\A\W*by [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\W*\Z"
)
#: What every match of _BOILERPLATE in ASCII text holds, lowercased, unless it is one at the start (_BOILERPLATE_START).
#: Python's re tries each alternative at each position: these checks (in C) spare the search most paragraphs.
_BOILERPLATE_WORDS = ("subscri", "all rights reserved", "copyright", "contact us for", "contributed to this")
_BOILERPLATE_START = re.compile(
    r"(?i)\A\W*(?:reporting|editing|writing|additional reporting|compiled|translated|edited|by) "
)
_HEADLINE_KINDS = ("headline",)
_HEADLINE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_PLACE_LINE = re.compile(r"[ \t]*[A-Z][A-Z.'’ ,-]{2,40}")  # a dateline on a line of its own: "ANKARA"
_SMALL = frozenset("a an and as at but by for from in into of on or over the to up with vs via after amid".split())


@dataclass
class Zones:
    """Spans where nothing is suggested, and spans in headline case (sorted, not overlapping)."""

    skips: list[tuple[int, int]]
    headlines: list[tuple[int, int]]

    def skipped(self, start: int, end: int) -> bool:
        return _overlaps(self.skips, start, end)

    def headline(self, pos: int) -> bool:
        return _overlaps(self.headlines, pos, pos + 1)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) meets one of `spans` (sorted, disjoint)."""
    i = bisect.bisect_right(spans, (start, sys.maxsize)) - 1
    return any(s < end and start < e for s, e in spans[max(i, 0) : i + 2])


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _boilerplate(chunk: str) -> bool:
    """Whether `chunk` has boilerplate (_BOILERPLATE)."""
    if chunk.isascii() and not _BOILERPLATE_START.match(chunk):
        low = chunk.lower()
        if not any(word in low for word in _BOILERPLATE_WORDS):
            return False
    return _BOILERPLATE.search(chunk) is not None


def headline_case(line: str) -> bool:
    """Whether a line capitalises (nearly) every word, as some agencies' headlines do."""
    words = [w for w in _HEADLINE_WORD.findall(line) if w.casefold() not in _SMALL]
    if len(words) < 3:
        return False
    capital = sum(1 for w in words if w[:1].isupper())
    return capital >= 0.75 * len(words) and capital >= 3


def zones(ctx: Context) -> Zones:
    """The skipped and headline-case spans of the story."""
    text = ctx.text
    skips: list[tuple[int, int]] = []
    headlines: list[tuple[int, int]] = []
    for block in ctx.story.blocks:
        if block.kind == "dateline":
            skips.append((block.start, block.end))
        elif block.kind in _HEADLINE_KINDS and headline_case(text[block.start : block.end]):
            headlines.append((block.start, block.end))
    for n, (start, end) in enumerate(ctx.paragraphs):
        chunk = text[start:end]
        if n < 6 and _PLACE_LINE.fullmatch(chunk):
            skips.append((start, end))  # a dateline on a line of its own: "ANKARA"
        elif n < 4 and (m := _DATELINE.match(chunk) or _CAPITAL_DATELINE.match(chunk)):
            skips.append((start, start + m.end()))
        edge = n < 3 or n >= len(ctx.paragraphs) - 4  # bylines open a story, credits and trailers close it
        if edge and len(chunk) < 600 and _boilerplate(chunk):
            skips.append((start, end))
        elif len(chunk) < 200 and not chunk.rstrip().endswith(".") and "\n" not in chunk and headline_case(chunk):
            headlines.append((start, end))
    return Zones(_merged(skips), _merged(headlines))
