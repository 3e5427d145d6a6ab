"""IPTC NewsML-G2: a `newsItem`, or a `newsMessage` holding several, each becoming one story.

Bodies come from `contentSet`: `inlineXML` holding NITF or XHTML (any namespace prefix), or `inlineData`
holding plain text or HTML. Metadata comes from `itemMeta` and `contentMeta` (and NITF's `body.head`). Elements
are matched by local name, so a missing or unusual namespace prefix does not lose the story. Items without any
text (pictures, packages' references) are skipped; a file with none at all is refused.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any, AnyStr

from stories.encoding import decode_text
from stories.headlines import shorten
from stories.model import FoundMeta, Story, StoryBuilder, StoryError, StoryMeta
from stories.text import clean_line, clean_text
from stories.webcopy import clean_body
from stories.xmlsafe import local, parse_xml

__all__ = ["LABEL", "NAME", "detect", "parse"]

NAME = "newsml"
LABEL = "NewsML-G2"

NAR_NS = "http://iptc.org/std/nar/2006-10-01/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:newsMessage|newsItem)[\s>/]")
_SPACE = re.compile(rb"\s*")
_PROLOG_ENDS = ((b"<?", b"?>"), (b"<!--", b"-->"), (b"<!DOCTYPE", b">"))
_STANDFIRST_ROLES = ("teaser", "summary", "abstract", "synopsis")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE_DATE = re.compile(
    rf",?\s*(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?\s*$|,?\s*\d{{4}}-\d{{2}}-\d{{2}}\S*\s*$",
    re.IGNORECASE,
)
_AGENCY = re.compile(r"\(([^()]{1,60})\)\s*$")
#: What may come between a dateline and its paragraph: the agency in brackets, a dash.
_LEAD = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?(?:[-–—:]+\s*)?")
_INLINE_DATELINE = re.compile(r"^(?P<dateline>[^\W\d_][^()\n]{0,60}?\s*\([^()]{1,40}\))\s*[-–—]+\s+(?=\S)")
_BY = re.compile(r"^\s*by[:\s]\s*", re.IGNORECASE)


def detect(head: bytes) -> bool:
    """A `newsMessage` or `newsItem` root (after any XML declaration, comments, doctype) in the NAR namespace."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if NAR_NS.encode() not in head:
        return False
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        pos = _match_end(_SPACE, head, pos)
        start, end = next(((a, b) for a, b in _PROLOG_ENDS if head.startswith(a, pos)), (b"", b""))
        if not start:
            return _ROOT.match(head, pos) is not None
        if start == b"<!DOCTYPE" and (bracket := head.find(b"[", pos)) != -1 and bracket < head.find(b">", pos):
            pos = head.find(b"]", bracket)  # the internal subset may hold ">"
        pos = head.find(end, pos)
        if pos == -1:
            return False
        pos += len(end)


def parse(data: bytes, source: str | None = None) -> list[Story]:
    """Every text item of a NewsML-G2 document as a story. Raises StoryError, nothing else."""
    try:
        root = parse_xml(data)
    except LookupError:  # expat asked Python for a codec that does not exist ("TTF-8", "rot13")
        raise StoryError("the XML declares an encoding that does not exist or is not a text encoding") from None
    kind = local(root.tag)
    if kind == "newsItem":
        items = [root]
    elif kind == "newsMessage":
        items = [e for e in root.iter() if local(e.tag) == "newsItem"]
        if not items:
            raise StoryError("this NewsML-G2 message holds no newsItem")
    else:
        raise StoryError(f"not NewsML-G2: the document is a <{kind[:40]}>, not a newsItem or newsMessage")
    stories: list[Story] = []
    problems: list[str] = []
    for number, item in enumerate(items, 1):
        try:
            stories.append(_story(item, source, root))
        except StoryError as exc:
            problems.append(f"item {number}: {exc}" if len(items) > 1 else str(exc))
        except RecursionError:
            raise StoryError("the XML is nested too deeply to read") from None
    if not stories:
        raise StoryError(problems[0] if len(items) == 1 else f"no text story in this NewsML-G2 file ({problems[0]})")
    return stories


# --- element helpers -----------------------------------------------------------------------------------------


def _children(el: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if el is None else [c for c in el if local(c.tag) == name]


def _child(el: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        found = _children(el, name)
        el = found[0] if found else None
    return el


def _descendants(el: ET.Element | None, name: str) -> Iterator[ET.Element]:
    return iter(()) if el is None else (e for e in el.iter() if local(e.tag) == name)


def _text(el: ET.Element | None) -> str:
    return "" if el is None else clean_line("".join(el.itertext()))


def _code(qcode: str | None) -> str:
    """The code of a qcode without its scheme: 'sig:update' -> 'update'."""
    return clean_line((qcode or "").rsplit(":", 1)[-1])


def _name(el: ET.Element | None) -> str:
    """A party or concept's name: its `name` child, else its `literal` attribute."""
    return "" if el is None else _text(_child(el, "name")) or clean_line(el.get("literal", ""))


# --- one item ------------------------------------------------------------------------------------------------


def _story(item: ET.Element, source: str | None, root: ET.Element) -> Story:
    item_meta, content = _child(item, "itemMeta"), _child(item, "contentMeta")
    extra: dict[str, object] = {}
    body = _Body(_child(item, "contentSet"))
    headline = _main_headline(content) or body.headline
    standfirsts = _standfirsts(content) or body.standfirsts
    dateline_text = _text(_child(content, "dateline")) or body.dateline
    paragraphs = body.paragraphs
    if paragraphs and headline and paragraphs[0].casefold() == clean_line(headline).casefold():
        paragraphs = paragraphs[1:]  # an XHTML body repeating the headline
    found: FoundMeta = {}  # a "By …" paragraph opening the body; the agency end matter names
    paragraphs = clean_body(paragraphs, found, extra)
    given = dateline_text  # the metadata's spelling wins over the body's
    lead = _split_dateline(paragraphs[0], dateline_text) if paragraphs else None
    if lead:
        dateline_text, paragraphs = lead[0], [lead[1], *paragraphs[1:]]

    builder = StoryBuilder()
    has_headline = builder.add("headline", headline)
    for text in dict.fromkeys(standfirsts):
        builder.add("standfirst", text)
    if dateline_text and paragraphs:
        builder.add("dateline", dateline_text, inline=True)
    for text in paragraphs:
        builder.add("paragraph", text)
    if not len(builder):
        raise StoryError("the newsItem has no headline and no text")

    place, when, dateline_agency = _dateline_parts(given or dateline_text)
    if dateline_text and not dateline_agency:  # "LINZ, June 12" given; "(Northwind) -" in the body
        dateline_agency = _dateline_parts(dateline_text)[2]
    if when:
        extra["dateline_date"] = when
    version = _int(item.get("version"))
    created = _date(content, "contentCreated") or _date(item_meta, "firstCreated")
    updated = _date(item_meta, "versionCreated") or _date(content, "contentModified")
    if created is None and version == 1:
        created = updated  # the first version was created when it was versioned
    authors, orgs = _creators(content)
    byline = _text(_child(content, "by")) or body.byline or str(found.get("byline") or "")
    if byline:
        authors = _split_names(byline)
    _item_extra(item, item_meta, content, extra)
    slug = _text(_child(content, "slugline"))
    guid = clean_line(item.get("guid") or "")
    meta = StoryMeta(
        headline="" if has_headline else slug or shorten(clean_line((paragraphs or standfirsts or [""])[0]), 80),
        agency=_agency(item_meta, item, dateline_agency or found.get("agency"), orgs),
        authors=tuple(authors),
        dateline=place or _text(_child(content, "located", "name")) or None,
        created=created,
        updated=updated,
        source=source,
        format=NAME,
        wire_id=f"newsml:{guid}" if guid else None,
        version=version,
        language=_language(content, item, root),
        slug=slug or None,
        subjects=tuple(dict.fromkeys(n for s in _children(content, "subject") if (n := _name(s)))),
        extra=extra,
    )
    return builder.build(meta)


def _main_headline(content: ET.Element | None) -> str:
    heads = _children(content, "headline")
    main = [h for h in heads if _code(h.get("role")) in ("", "main", "headline")]
    return _text(main[0] if main else heads[0] if heads else None)


def _standfirsts(content: ET.Element | None) -> list[str]:
    """Teaser and summary descriptions, and sub-headlines."""
    out = [_text(h) for h in _children(content, "headline") if "sub" in _code(h.get("role")).lower()]
    for desc in _children(content, "description"):
        role = _code(desc.get("role")).lower()
        if not role or role in _STANDFIRST_ROLES:
            out.append(_text(desc))
    return [t for t in out if t]


def _date(parent: ET.Element | None, name: str) -> str | None:
    from stories.dates import iso_date  # imported here: detection stays cheap

    return iso_date(_text(_child(parent, name)))


def _int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value else None
    except ValueError:
        return None


def _language(content: ET.Element | None, item: ET.Element, root: ET.Element) -> str | None:
    tag = next((lang.get("tag") for lang in _children(content, "language") if lang.get("tag")), None)
    return clean_line(tag or item.get(_XML_LANG) or root.get(_XML_LANG) or "") or None


def _creators(content: ET.Element | None) -> tuple[list[str], list[str]]:
    """Names of the creating people, and of creating organisations."""
    people: list[str] = []
    orgs: list[str] = []
    for creator in _children(content, "creator"):
        kind = f"{creator.get('type', '')} {creator.get('qcode', '')}".lower()
        is_org = "organi" in kind or "nprov:" in kind or _child(creator, "organisationDetails") is not None
        name = _name(creator) or (_code(creator.get("qcode")) if is_org else "")
        if name:
            (orgs if is_org else people).append(name)
    return people, orgs


def _agency(item_meta: ET.Element | None, item: ET.Element, dateline: str | None, orgs: list[str]) -> str | None:
    """The provider's name, else the dateline's agency, a creating organisation, the copyright holder, the
    provider's code."""
    provider = _child(item_meta, "provider")
    holder = _name(_child(item, "rightsInfo", "copyrightHolder"))
    code = _code(provider.get("qcode")) if provider is not None else ""
    return next((name for name in (_name(provider), dateline, *orgs, holder, code) if name), None)


def _item_extra(
    item: ET.Element, item_meta: ET.Element | None, content: ET.Element | None, extra: dict[str, Any]
) -> None:
    signals = [code for s in _children(item_meta, "signal") if (code := _code(s.get("qcode")))]
    if signals:
        extra["signal"] = ", ".join(dict.fromkeys(signals))
    for key, el in (("pub_status", _child(item_meta, "pubStatus")), ("item_class", _child(item_meta, "itemClass"))):
        if el is not None and (code := _code(el.get("qcode"))):
            extra[key] = code
    urgency = _int(_text(_child(content, "urgency")))
    if urgency is not None:
        extra["urgency"] = urgency
    notes = [t for n in _children(item_meta, "edNote") if (t := _text(n))]
    if notes:
        extra["ed_note"] = " ".join(notes)
    notice = _text(_child(item, "rightsInfo", "copyrightNotice"))
    if notice:
        extra["copyright"] = notice


# --- datelines and bylines -----------------------------------------------------------------------------------


def _split_dateline(paragraph: str, dateline: str) -> tuple[str, str] | None:
    """(dateline with its dash, rest) if the paragraph opens with the dateline (given, or in wire style)."""
    if dateline:
        end = len(dateline)
        if paragraph[:end].casefold() != dateline.casefold() or paragraph[end : end + 1].isalnum():
            return None
        end = _match_end(_LEAD, paragraph, end)
        return (paragraph[:end].strip(), paragraph[end:]) if end < len(paragraph) else None
    m = _INLINE_DATELINE.match(paragraph)
    place = m["dateline"].split(",")[0].split("(")[0] if m else ""
    if m and place.upper() == place:
        return paragraph[: m.end()].strip(), paragraph[m.end() :]
    return None


def _match_end(pattern: re.Pattern[AnyStr], text: AnyStr, pos: int) -> int:
    """Where `pattern`, which may match nothing (as `_SPACE` and `_LEAD` do), ends when matched at `pos`."""
    m = pattern.match(text, pos)
    return m.end() if m else pos


def _dateline_parts(dateline: str) -> tuple[str | None, str | None, str | None]:
    """(place, date, agency) of a dateline like 'LINDHOLM, May 12 (Example News) -'."""
    text = dateline.strip(" -–—:")
    agency = None
    if m := _AGENCY.search(text):
        agency = clean_line(m[1]) or None
        text = text[: m.start()]
    when = None
    if m := _DATELINE_DATE.search(text):
        when = clean_line(m[0].strip(" ,")) or None
        text = text[: m.start()]
    return clean_line(text.strip(" ,")) or None, when, agency


def _split_names(byline: str) -> list[str]:
    names = _BY.sub("", byline).strip(" ,;")
    parts = re.split(r"\s*[,;]\s*|\s+and\s+|\s*&\s*", names)
    return list(dict.fromkeys(p for p in (clean_line(x) for x in parts) if p))


# --- bodies --------------------------------------------------------------------------------------------------


class _Body:
    """The text of an item's first readable rendition, and what NITF's `body.head` says."""

    def __init__(self, content_set: ET.Element | None) -> None:
        self.paragraphs: list[str] = []
        self.headline = self.byline = self.dateline = ""
        self.standfirsts: list[str] = []
        for rendition in [] if content_set is None else list(content_set):
            kind = local(rendition.tag)
            if kind == "inlineXML":
                self._xml(rendition)
            elif kind == "inlineData":
                self._data(rendition)
            if self.paragraphs:
                break

    def _xml(self, rendition: ET.Element) -> None:
        nitf = next(_descendants(rendition, "nitf"), None)
        if nitf is not None:
            head = next(_descendants(nitf, "body.head"), None)
            self.headline = _text(next(_descendants(head, "hl1"), None))
            self.standfirsts = [t for el in _descendants(head, "hl2") if (t := _text(el))]
            self.standfirsts += [t for el in _descendants(head, "abstract") if (t := _text(el))]
            self.byline = _byline(next(_descendants(head, "byline"), None))
            self.dateline = _text(next(_descendants(head, "dateline"), None))
            parts = list(_descendants(nitf, "body.content"))
        else:
            body = next(_descendants(rendition, "body"), None)
            parts = [body] if body is not None else list(rendition)
        html = "".join(ET.tostring(part, encoding="unicode") for part in parts)
        self.paragraphs = _html(html)

    def _data(self, rendition: ET.Element) -> None:
        raw = rendition.text or ""
        if "base64" in (rendition.get("encoding") or "").lower():
            try:
                raw = decode_text(base64.b64decode(raw, validate=False))
            except (binascii.Error, ValueError, StoryError):
                return
        kind = (rendition.get("contenttype") or "text/plain").lower()
        if "html" in kind or "xml" in kind:
            self.paragraphs = _html(raw)
        elif kind.startswith("text/"):
            self.paragraphs = _plain_paragraphs(raw)


def _html(html: str) -> list[str]:
    from stories.markup import html_paragraphs  # imported here: detection stays cheap

    try:
        return html_paragraphs(html)
    except AssertionError:  # HTMLParser's complaint about a broken "<![" section
        raise StoryError("the item's HTML body cannot be read") from None


def _byline(el: ET.Element | None) -> str:
    """A NITF byline's text without its `byttl` (the author's title)."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if local(child.tag) != "byttl":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return clean_line("".join(parts))


def _plain_paragraphs(raw: str) -> list[str]:
    """Paragraphs between blank lines; hard-wrapped lines are joined, long unwrapped lines stay apart."""
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", clean_text(raw)):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if len(lines) > 1 and max(len(line) for line in lines) > 100:
            out.extend(lines)
        elif lines:
            out.append(" ".join(lines))
    return out
