"""A saved news article web page, read with trafilatura: one story.

trafilatura finds the article among navigation, ads, "Most read" lists, related links and footers (it is
asked to favour precision, without comments or tables) and gives title, author, date, site name and
description. The page's own `article:published_time`/`datePublished` stamps give the time of day when
trafilatura only knows the day. When trafilatura finds no body, the paragraphs of `<article>` or `<main>`
are used; a page with neither is refused. Nothing is fetched: the page is parsed from memory by lxml,
which loads no DTDs and does no network access.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from stories.dates import iso_date
from stories.encoding import decode_text, looks_binary
from stories.markup import html_paragraphs
from stories.model import FoundMeta, Story, StoryBuilder, StoryError, StoryMeta
from stories.text import clean_line
from stories.trailers import take_paragraph_end_matter
from stories.webcopy import add_body, clip_headline, head_bytes, is_excerpt, split_authors

__all__ = ["LABEL", "NAME", "detect", "parse"]

NAME = "html"
LABEL = "HTML article page"

_DOCUMENT = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s|<!--(?:[^-]|-(?!->))*+-->|<\?xml(?:[^?]|\?(?!>))*+\?>)*+<(?:!doctype\s+html|html)[\s>]",
    re.IGNORECASE,
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 LE starts like UTF-16 LE
_META_CHARSET = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z][\w.:-]*)", re.IGNORECASE)
#: Labels browsers read differently from Python (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc-kr": "cp949",
    "tis-620": "cp874",
}
_XML_DECLARATION = re.compile(r"\A\s*<\?xml(?:[^?]|\?(?!>))*\?>")
_PUBLISHED = (
    "//meta[@property='article:published_time' or @name='article:published_time' or @itemprop='datePublished'"
    " or @name='pubdate' or @name='date' or @name='DC.date.issued' or @name='dcterms.created']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)
_MODIFIED = (
    "//meta[@property='article:modified_time' or @name='article:modified_time' or @itemprop='dateModified'"
    " or @property='og:updated_time' or @name='dcterms.modified']/@content"
    " | //time[@itemprop='dateModified']/@datetime"
)
_JSON_LD_DATE = re.compile(r'"(datePublished|dateModified)"\s*:\s*"([^"]{8,40})"')
#: Whole paragraphs that are page furniture, never story text.
_FURNITURE = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|most (?:read|popular|viewed)|read more|related"
    r"(?: (?:stories|articles|content|coverage))?|share(?: this(?: story| article)?)?|follow us|sign up"
    r"(?: for [\w ]+)?|subscribe(?: now)?|skip to (?:main )?content|back to top|comments?)\W*$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s)|\ball rights reserved\b", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+\S", re.IGNORECASE)
_FALLBACK_DROP = "nav aside footer form button figure script style noscript template".split()


def detect(head: bytes) -> bool:
    """An HTML document: `<!doctype html>` or `<html` first (after a BOM, whitespace, comments)."""
    return bool(_DOCUMENT.match(head_bytes(head)))


def parse(data: bytes, source: str | None = None) -> list[Story]:
    """Extract the article of a web page as one story. Raises StoryError."""
    text = _XML_DECLARATION.sub("", _decode(data), count=1)
    if not text.strip():
        raise StoryError("the page holds no text")
    import trafilatura

    url = source if source and source.startswith(("http://", "https://")) else None
    try:
        tree = trafilatura.load_html(text)
        if tree is None:
            raise StoryError("not an HTML page trafilatura can read")
        stamps = _stamps(tree)
        doc = trafilatura.bare_extraction(
            tree,  # a tree, so no library ever mistakes the page for a URL to fetch
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
            date_extraction_params={"original_date": True, "extensive_search": False, "max_date": "2099-12-31"},
        )
        body = getattr(doc, "body", None)  # a Document; older trafilatura versions answer a dict
        found = _paragraphs(body) if body is not None else []
        fallback = [] if found else _fallback(tree)
    except StoryError:
        raise
    except Exception as exc:  # the format contract: StoryError and nothing else, whatever the library does
        raise StoryError(f"the page could not be read ({type(exc).__name__})") from None
    return [_story(doc, stamps, found or fallback, source, url)]


def _decode(data: bytes) -> str:
    """Text of the page: a BOM wins, then UTF-8, then a `<meta charset>`, then our usual guessing."""
    if not data.startswith(_BOMS) and not looks_binary(data[:8192]):
        m = _META_CHARSET.search(data[:8192])
        label = m[1].decode("ascii").lower() if m else ""
        if label and not label.startswith(("utf-16", "utf-32", "utf16", "utf32")):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    return data.decode(_CHARSET_ALIASES.get(label, label))
                except (LookupError, UnicodeDecodeError):
                    pass
    return decode_text(data)


def _stamps(tree: Any) -> dict[str, str]:
    """What the page states about itself: language, a title (h1, og:title, <title>) and published/modified
    date-times (meta tags, microdata, JSON-LD)."""
    out: dict[str, str] = {}
    for lang in tree.xpath("/html/@lang | /html/@xml:lang | //meta[@http-equiv='content-language']/@content"):
        if clean_line(str(lang)):
            out.setdefault("language", clean_line(str(lang)))
    for key, path in (("published", _PUBLISHED), ("modified", _MODIFIED)):
        for value in tree.xpath(path):
            if stamp := iso_date(str(value)):
                out.setdefault(key, stamp)
    for path in ("//h1", "//meta[@property='og:title']/@content", "//title"):
        found = tree.xpath(path)
        if found and (title := clean_line(found[0] if isinstance(found[0], str) else found[0].text_content())):
            out["title"] = title
            break
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        for name, value in _JSON_LD_DATE.findall(str(script)):
            if stamp := iso_date(value):
                out.setdefault("published" if name == "datePublished" else "modified", stamp)
    return out


def _paragraphs(body: Any) -> list[str]:
    """Paragraphs of trafilatura's body tree (p, head, list/item, quote…)."""
    for lb in body.iter("lb"):
        lb.text = " "
    out: list[str] = []
    for el in body:
        if el.tag == "list":
            out.extend("".join(item.itertext()) for item in el.findall("item"))
        elif el.tag == "quote" and el.find("p") is not None:
            out.extend("".join(p.itertext()) for p in el if p.tag == "p")
        elif el.tag not in ("graphic", "table"):
            out.append("".join(el.itertext()))
    return [p for p in (clean_line(x) for x in out) if p]


def _fallback(tree: Any) -> list[str]:
    """Paragraphs of the page's `<article>` (or `<main>`) without its navigation, asides and forms."""
    from lxml.html import tostring

    for path in ("//article", "//main", "//*[@role='main']"):
        found = tree.xpath(path)
        if found:
            el = found[0]
            for drop in el.xpath(" | ".join(f".//{name}" for name in _FALLBACK_DROP)):
                drop.drop_tree()
            return html_paragraphs(tostring(el, encoding="unicode"))
    return []


def _clean_body(paragraphs: list[str], headline: str, meta: FoundMeta) -> list[str]:
    """Drop page furniture, the repeated headline and a leading byline or date line (kept in meta)."""
    paras = [p for p in paragraphs if not _FURNITURE.match(p)]
    while paras and _COPYRIGHT.search(paras[-1]) and len(paras[-1]) < 300:
        paras.pop()
    start = 0
    while start < min(len(paras), 3):
        para = paras[start]
        if para.casefold() == headline.casefold():
            pass
        elif _BYLINE.match(para) and len(para) < 150:
            meta["byline"] = para
        elif len(para) < 40 and iso_date(para):
            pass
        else:
            break
        start += 1
    return paras[start:]


def _field(doc: Any, name: str) -> str:
    """A text field of trafilatura's document ("" when missing)."""
    return clean_line(str(getattr(doc, name, None) or ""))


def _story(doc: Any, stamps: dict[str, str], paragraphs: list[str], source: str | None, url: str | None) -> Story:
    def got(name: str) -> str:
        return _field(doc, name)

    headline = got("title") or stamps.get("title", "")
    meta: FoundMeta = {}
    end: dict[str, object] = {}  # credits, trailers and footers at the end of the article
    body = take_paragraph_end_matter(_clean_body(paragraphs, headline, meta), meta, end)
    if not body:
        raise StoryError("no article text found on this page")
    builder = StoryBuilder()
    builder.add("headline", headline)
    description = got("description")
    if description and description.casefold() != headline.casefold() and not is_excerpt(description, body):
        builder.add("standfirst", description)
    add_body(builder, body, meta)
    authors = split_authors(got("author").split(";"))
    if not authors and meta.get("byline"):
        authors = split_authors([str(meta["byline"]).split("|")[0]])
    link = next((u for u in (got("url"), url or "") if u.startswith(("http://", "https://"))), None)
    created = stamps.get("published") or iso_date(got("date"))
    updated = stamps.get("modified")
    extra: dict[str, object] = {k: v for k, v in (("site", got("sitename")), ("byline", meta.get("byline"))) if v}
    extra.update(end)
    if meta.get("dateline_date"):
        extra["dateline_date"] = meta["dateline_date"]
    tags = [t for name in ("categories", "tags") for t in (getattr(doc, name, None) or [])]
    return builder.build(
        StoryMeta(
            headline="" if headline else clip_headline(body[0]),
            agency=str(meta.get("agency") or got("sitename") or "") or None,
            authors=tuple(authors),
            dateline=meta.get("dateline"),
            created=created,
            updated=updated if updated != created else None,
            source=source,
            format=NAME,
            wire_id=f"html:{link}" if link else None,
            language=stamps.get("language"),
            subjects=tuple(dict.fromkeys(t for t in tags if isinstance(t, str) and t.strip())),
            link=link,
            extra=extra,
        )
    )
