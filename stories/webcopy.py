"""Shared by the feed and HTML page formats: sniffing a file's head, author names, and turning body
paragraphs into story blocks (standfirst, wire dateline, paragraphs) the way plain wire text does.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from typing import Any

from stories.headlines import shorten
from stories.model import FoundMeta, StoryBuilder
from stories.text import clean_line
from stories.trailers import take_paragraph_end_matter
from stories.wiretext import CREDIT_NAMES, agency_name, is_upper, split_dateline

__all__ = ["add_body", "clean_body", "clip_headline", "head_bytes", "is_excerpt", "split_authors"]

_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ELLIPSIS = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.")
_NAME_SPLIT = re.compile(r"\s*(?:;|&|\band\b)\s*", re.IGNORECASE)
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_L = r"[^\W\d_]"
_DATELINE_LINE = re.compile(rf"^{_L}(?:{_L}|[.'’\- ]){{1,38}}(?:,\s*{_L}(?:{_L}|[.'’ ]){{1,30}})?$")  # "ISTANBUL"
_HEADLINE_CHARS = 100


def head_bytes(head: bytes) -> bytes:
    """A file's first bytes as ASCII-compatible bytes: UTF-16/32 (with a BOM) re-encoded as UTF-8."""
    for bom, encoding in _UNICODE_BOMS:
        if head.startswith(bom):
            return head[:16384].decode(encoding, "ignore").encode("utf-8")
    return head


def split_authors(names: Iterable[str]) -> list[str]:
    """Author names from bylines or author fields: "By A and B", "A; B", "A, B" (not "Doe, Jane")."""
    out: list[str] = []
    for raw in names:
        text = _BY.sub("", clean_line(raw))
        for part in _NAME_SPLIT.split(text):
            if CREDIT_NAMES.match(part.strip()):  # "By Ann Lee; Editing by Bo Ek": Bo Ek edited
                continue
            pieces = [p.strip() for p in part.split(",")]
            # "Jane Doe, John Roe" is two people; "Doe, Jane" is one
            people = pieces if len(pieces) > 1 and all(" " in p for p in pieces) else [part]
            for name in people:
                name = name.strip(" ,")
                if name and name not in out:
                    out.append(name)
    return out


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def is_excerpt(summary: str, paragraphs: Sequence[str]) -> bool:
    """True if `summary` merely repeats the start of the body (a teaser, often cut short with "…")."""
    short = _fold(_ELLIPSIS.split(summary, maxsplit=1)[0])
    if not short:
        return True
    return short[:80] in _fold(" ".join(paragraphs))


def clip_headline(text: str) -> str:
    """A headline made from text when the source has none: its first words, cut at a clause or word boundary."""
    return shorten(clean_line(text), _HEADLINE_CHARS)


_BYLINE_PARAGRAPH = re.compile(r"^By\s+\S.{1,140}$")


def clean_body(paragraphs: Sequence[str], meta: FoundMeta, extra: dict[str, Any]) -> list[str]:
    """Body paragraphs without a leading "By …" line (kept as meta["byline"]) or end matter (kept in `extra`:
    credits, trailers, footers)."""
    paras = list(paragraphs)
    for i in {0, *range(max(len(paras) - 16, 0), len(paras))} & set(range(len(paras))):
        paras[i] = clean_line(paras[i])  # the ends are what is looked at; the builder cleans the rest
    paras = [p for p in paras if p and not p.isspace()]
    if len(paras) > 1 and _BYLINE_PARAGRAPH.match(paras[0]) and not paras[0].endswith("."):
        meta.setdefault("byline", paras.pop(0))
    return take_paragraph_end_matter(paras, meta, extra)


def add_body(builder: StoryBuilder, paragraphs: Sequence[str], meta: FoundMeta) -> None:
    """Add body paragraphs; a leading wire dateline becomes a `dateline` block as in plain text.

    "PLACE, Month D (Agency) -" at the start of the first paragraph becomes an inline dateline; an uppercase
    place on its own line before the text becomes a dateline block. Sets meta "dateline", "dateline_date",
    and "agency" (the dateline's agency, if nothing set it before).
    """
    paras = [p for p in (clean_line(x) for x in paragraphs) if p]
    if len(paras) > 1 and _DATELINE_LINE.match(paras[0]) and is_upper(paras[0]):
        meta["dateline"] = paras[0]
        builder.add("dateline", paras.pop(0))
    elif paras and (dateline := split_dateline(paras[0])):
        meta["dateline"] = dateline.place
        if dateline.date:
            meta["dateline_date"] = dateline.date
        if dateline.agency:
            meta.setdefault("agency", agency_name(dateline.agency) or dateline.agency)
        builder.add("dateline", dateline.text, inline=True)
        paras[0] = dateline.rest
    for para in paras:
        builder.add("paragraph", para)
