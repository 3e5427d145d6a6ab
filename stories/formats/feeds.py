"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with feedparser: every entry becomes a story.

Safety first: the bytes are decoded, re-encoded as UTF-8 and checked with defusedxml (`stories.xmlsafe`)
before feedparser sees them, so entity declarations (XXE, "billion laughs") are refused and feedparser only
ever gets well-formed XML from memory (a stream, never a string it could take for a path or URL).

Malformed XML is refused with its position, except for the two faults real feeds commonly have: HTML named
entities (`&nbsp;`) and bare ampersands (`AT&T`). Those are escaped and the feed parsed again; the stories
say so in `extra["xml_repaired"]`. feedparser's own lenient recovery is never used: it silently loses text.

Per entry: content (`content:encoded`, Atom `content`) is preferred over `description`/`summary`; a summary
that says more than the start of the content becomes the standfirst. `published` is the created date
(`updated` when there is none), `updated` the updated date.
"""

from __future__ import annotations

import codecs
import html
import html.entities
import io
import re
from datetime import UTC, datetime
from typing import Any

from stories.dates import iso_date
from stories.encoding import decode_text
from stories.markup import html_paragraphs
from stories.model import FoundMeta, Story, StoryBuilder, StoryError, StoryMeta
from stories.text import clean_line
from stories.webcopy import add_body, clean_body, clip_headline, head_bytes, is_excerpt, split_authors
from stories.xmlsafe import local, parse_xml

__all__ = ["LABEL", "NAME", "detect", "parse"]

NAME = "feed"
LABEL = "RSS/Atom feed"

# Whitespace, the XML declaration, processing instructions, comments and a DOCTYPE, then the root element.
_ROOT = re.compile(
    rb"\A(?:\xef\xbb\xbf)?"
    rb"(?:\s|<\?(?:[^?]|\?(?!>))*+\?>|<!--(?:[^-]|-(?!->))*+-->|<!DOCTYPE[^\[>]*+(?:\[[^\]]*+\])?\s*>)*+"
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:rss|RDF|feed)[\s>/]"
)
_ROOTS = frozenset({"rss", "RDF", "feed"})
_DECLARATION = re.compile(rb"\A\s*<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z][\w.:-]*)[\"']")
_DECLARATION_TEXT = re.compile(r"\A(\s*)<\?xml\s(?:[^?]|\?(?!>))*\?>")
_UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)  # UTF-32 LE ⊃ UTF-16 LE
# A CDATA section (left alone), a named entity reference, or an ampersand that starts no reference at all.
_AMPERSANDS = re.compile(
    r"(<!\[CDATA\[(?:[^\]]|\](?!\]>))*+(?:\]\]>)?)|&(?:([A-Za-z][A-Za-z0-9]*);|(?!#[0-9]+;|#x[0-9A-Fa-f]+;))"
)
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def detect(head: bytes) -> bool:
    """An XML document whose root element is `rss`, `rdf:RDF` or Atom's `feed`."""
    return bool(_ROOT.match(head_bytes(head)))


def parse(data: bytes, source: str | None = None) -> list[Story]:
    """Parse an RSS or Atom feed into one story per entry. Raises StoryError."""
    xml, repaired = _well_formed(data)
    import feedparser

    try:
        # A stream: given bytes or a str, feedparser first tries them as a file name or URL. Its HTML
        # sanitizer is off: it keeps the text of the elements it removes (iframes…); html_paragraphs drops it.
        result = feedparser.parse(io.BytesIO(xml), resolve_relative_uris=False, sanitize_html=False)
    except Exception as exc:  # the format contract: StoryError and nothing else, whatever the library does
        raise StoryError(f"the feed could not be read ({type(exc).__name__})") from None
    if result.get("bozo") and not isinstance(result.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        raise StoryError(f"the feed could not be read ({clean_line(str(result.get('bozo_exception')))})")
    entries = result.get("entries") or []
    if not entries:
        raise StoryError("the feed has no entries")
    feed = result.get("feed") or {}
    stories = [story for entry in entries if (story := _story(entry, feed, source, repaired)) is not None]
    if not stories:
        raise StoryError("none of the feed's entries has any text")
    return stories


def _decode(data: bytes) -> str:
    """The document as text: a BOM wins, then the XML declaration's encoding, then our usual guessing."""
    if data.startswith(_BOMS):
        return decode_text(data)
    m = _DECLARATION.match(data)
    declared = m[1].decode("ascii").lower() if m else "utf-8"
    if declared.startswith(("utf-16", "utf16", "utf-32", "utf32")) and b"\x00" not in data[:64]:
        declared = "utf-8"  # a declaration copied over when the file was saved in another encoding
    try:
        return data.decode(declared)
    except (LookupError, UnicodeDecodeError, ValueError):
        return decode_text(data)


def _well_formed(data: bytes) -> tuple[bytes, bool]:
    """The feed as well-formed UTF-8 XML with a feed root, and whether it had to be repaired."""
    text = _decode(data).lstrip("\ufeff")
    if m := _DECLARATION_TEXT.match(text):  # our own declaration, on the same line: error positions still fit
        text = _UTF8_DECLARATION + m[1] + text[m.end() :]
    xml = _utf8(text)
    repaired = False
    try:
        root = parse_xml(xml)
    except StoryError as first:
        fixed = _AMPERSANDS.sub(_escape, text)
        if fixed == text:
            raise
        try:
            root = parse_xml(_utf8(fixed))
        except StoryError:
            raise first from None
        xml, repaired = _utf8(fixed), True
    if local(root.tag) not in _ROOTS:
        raise StoryError(f"not an RSS or Atom feed (the root element is <{local(root.tag)}>)")
    return xml, repaired


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "replace")


def _escape(m: re.Match[str]) -> str:
    if m[1] is not None:
        return m[1]
    name = m[2]
    if name is None:
        return "&amp;"
    if name in _XML_ENTITIES:
        return m[0]
    chars = html.entities.html5.get(name + ";")
    return "".join(f"&#{ord(c)};" for c in chars) if chars else f"&amp;{name};"


def _text(detail: Any, fallback: Any = "") -> list[str]:
    """Paragraphs of a feedparser text construct (HTML or plain text)."""
    value = detail.get("value", "") if isinstance(detail, dict) else fallback
    if not isinstance(value, str) or not value.strip():
        return []
    kind = detail.get("type", "text/html") if isinstance(detail, dict) else "text/html"
    if kind in _HTML_TYPES:
        return html_paragraphs(value)
    return [p for p in re.split(r"\n\s*\n", value) if p.strip()]


def _body(entry: Any) -> list[str]:
    """The richest body an entry has: the longest content (HTML before text at equal length), else the summary.
    (With an `itunes:summary`, feedparser files the `description` as content too, beside `content:encoded`.)"""
    contents = [c for c in entry.get("content") or [] if isinstance(c, dict)]
    bodies = [(paragraphs, c.get("type") in _HTML_TYPES) for c in contents if (paragraphs := _text(c))]
    if bodies:
        return max(bodies, key=lambda b: (sum(map(len, b[0])), b[1]))[0]
    return _text(entry.get("summary_detail"), entry.get("summary"))


def _date(entry: Any, key: str) -> str | None:
    """ISO date of `published`/`updated`: the raw string if we read it, else feedparser's parsed UTC time."""
    # dict.get: feedparser's own get() answers "updated" with `published` when there is no `updated`
    if found := iso_date(dict.get(entry, key)):
        return found
    parsed = dict.get(entry, f"{key}_parsed")
    try:
        return iso_date(datetime(*parsed[:6]).replace(tzinfo=UTC)) if parsed else None
    except (TypeError, ValueError):
        return None


def _link(entry: Any) -> str | None:
    links = [entry.get("link")] + [link.get("href") for link in entry.get("links") or [] if isinstance(link, dict)]
    return next((link for link in links if isinstance(link, str) and link.startswith(("http://", "https://"))), None)


def _authors(entry: Any, feed: Any, byline: object) -> list[str]:
    """The entry's authors; else a byline that opened its body; else the feed's (Atom entries inherit them)."""
    raw = entry.get("author")
    if isinstance(raw, str) and (m := _EMAIL_NAME.match(raw.strip())):  # RSS: "desk@example.org (Ann Lee)"
        return split_authors([m["name"]])
    names = [a.get("name", "") for a in entry.get("authors") or [] if isinstance(a, dict)]
    if not any(clean_line(n) for n in names) and isinstance(byline, str):
        names = [byline]
    if not any(clean_line(n) for n in names):
        names = [a.get("name", "") for a in feed.get("authors") or [] if isinstance(a, dict)]
    return split_authors(n for n in names if "@" not in n)


_EMAIL_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^()]{1,120})\)$")


def _story(entry: Any, feed: Any, source: str | None, repaired: bool) -> Story | None:
    meta: FoundMeta = {}
    end: dict[str, object] = {}  # credits, trailers and footers at the end of the body
    body = clean_body(_body(entry), meta, end)
    title = " ".join(_text(entry.get("title_detail"), entry.get("title")))
    if not clean_line(title) and not body:
        return None
    builder = StoryBuilder()
    builder.add("headline", title)
    summary = " ".join(_text(entry.get("summary_detail"), entry.get("summary")))
    has_content = any(isinstance(c, dict) and c.get("value") for c in entry.get("content") or [])
    if has_content and summary and not is_excerpt(summary, body) and clean_line(summary) != clean_line(title):
        builder.add("standfirst", summary)
    add_body(builder, body, meta)
    if not len(builder):
        return None
    authors = _authors(entry, feed, meta.get("byline"))
    link = _link(entry)
    ident = entry.get("id") if isinstance(entry.get("id"), str) and entry.get("id").strip() else link
    published, updated = _date(entry, "published"), _date(entry, "updated")
    details = [c for c in entry.get("content") or [] if isinstance(c, dict)] + [entry.get("title_detail") or {}]
    language = next((d.get("language") for d in details if d.get("language")), None) or feed.get("language")
    feed_title = clean_line(" ".join(_text(feed.get("title_detail"), feed.get("title")))) or None
    source_title = (entry.get("source") or {}).get("title") if isinstance(entry.get("source"), dict) else None
    extra: dict[str, object] = {"feed": feed_title, "feed_link": _link(feed), **end}
    if meta.get("dateline_date"):
        extra["dateline_date"] = meta["dateline_date"]
    if repaired:
        extra["xml_repaired"] = "undefined entities or bare '&' were escaped"
    tags = [t.get("term") or t.get("label") for t in entry.get("tags") or [] if isinstance(t, dict)]
    return builder.build(
        StoryMeta(
            headline="" if clean_line(title) else clip_headline(body[0]),
            agency=str(meta.get("agency") or source_title or feed_title or "") or None,
            authors=tuple(authors),
            dateline=meta.get("dateline"),
            created=published or updated,
            updated=updated if updated != (published or updated) else None,
            source=source,
            format=NAME,
            wire_id=f"feed:{clean_line(ident)}" if ident and clean_line(ident) else None,
            language=language if isinstance(language, str) else None,
            subjects=tuple(dict.fromkeys(t for t in tags if isinstance(t, str) and t.strip())),
            link=link,
            extra=extra,
        )
    )
