"""ninjs (IPTC News in JSON), generations 1.x, 2.x and 3.x.

- 1.x: flat lowercase keys: `headline`, `description_text`/`description_html`, `body_text`/`body_html`,
  `byline`, `person`, `organisation`, `place`, `subject`.
- 2.x: `headlines[]`, `descriptions[]` and `bodies[]` (each with `role`, `contenttype`, `value`), `by`,
  `people`, `organisations`, `places`, `subjects`.
- 3.x: the 2.x structure with camelCase keys (`versionCreated`, `contentType`, `pubStatus`…) and a
  `$standard` object naming the version.

Keys are looked up ignoring case and underscores, so one reader serves every generation; the generation found
is kept in `extra["ninjs"]`. A file may hold one item or a JSON array of items. HTML bodies are preferred to
plain ones (they carry the paragraph structure). Fields that carry the story's text must have the right JSON
type or the file is refused; metadata of the wrong type is ignored.
"""

from __future__ import annotations

import json
import re
from typing import Any

from stories.dates import iso_date
from stories.encoding import decode_text
from stories.markup import html_paragraphs
from stories.model import FoundMeta, Story, StoryBuilder, StoryError, StoryMeta
from stories.text import clean_line, clean_text
from stories.webcopy import clean_body
from stories.wiretext import AGENCIES, agency_name, join_wrapped, split_dateline

__all__ = ["LABEL", "NAME", "detect", "parse"]

NAME = "ninjs"
LABEL = "ninjs"

_STARTS_AS_OBJECT = re.compile(r"^\s*(?:\[\s*)?\{")
_STANDARD = re.compile(r'"\$standard"\s*:\s*\{[^{}]{0,400}?"name"\s*:\s*"ninjs"')
_KEY = re.compile(
    r'"(uri|guid|headlines?|body_(?:text|html|xhtml)|bodies|description_(?:text|html)|descriptions|'
    r"versioncreated|versionCreated|firstcreated|firstCreated|byline|slugline|pubstatus|pubStatus|located|"
    r'copyrightholder|copyrightHolder)"\s*:'
)
_CONTENT_KEYS = frozenset({"headline", "headlines", "body_text", "body_html", "body_xhtml", "bodies"})
#: Keys that only ninjs 3.x spells this way (2.x and 1.x use all-lowercase keys).
_CAMEL_KEYS = frozenset({"versionCreated", "firstCreated", "contentCreated", "pubStatus", "copyrightHolder"})
_V2_KEYS = frozenset({"headlines", "bodies", "descriptions", "by", "people", "organisations", "places", "subjects"})
_MAIN_ROLES = frozenset({"", "main", "default", "body", "text", "html", "richtext", "plain", "summary"})
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml")
_LOOKS_HTML = re.compile(r"<(?:p|div|br|section|article|h[1-6]|ul|ol|li|blockquote|span|em|strong|b|i|a)\b", re.I)
_BY_PREFIX = re.compile(r"^(?:by|von|par|por|av|door)\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*[,;]\s*|\s+and\s+|\s*&\s*", re.IGNORECASE)
#: A text and whether it is HTML.
_Text = tuple[str, bool]
_AGENCY_TAIL = re.compile(
    r"(?:,\s*|\s+)(" + "|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True)) + r")\.?$", re.I
)


def detect(head: bytes) -> bool:
    """A JSON object (or array of objects) whose keys look like ninjs: a `$standard` naming ninjs, or a
    headline/body key together with another ninjs key."""
    text = head[:16384].decode(json.detect_encoding(head[:4]), errors="ignore").lstrip("\ufeff")
    if not _STARTS_AS_OBJECT.match(text):
        return False
    if _STANDARD.search(text):
        return True
    keys = set(_KEY.findall(text))
    return bool(keys & _CONTENT_KEYS) and len(keys) >= 2


def parse(data: bytes, source: str | None = None) -> list[Story]:
    """Parse a ninjs file (one item, or an array of items) into its stories."""
    value = _load_json(data)
    if isinstance(value, dict):
        return [_story(value, source)]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        stories = []
        for n, item in enumerate(value, 1):
            try:
                stories.append(_story(item, source))
            except StoryError as exc:
                raise StoryError(f"item {n}: {exc}") from None
        return stories
    raise StoryError(f"not ninjs: the JSON holds {_json_kind(value)}, not a news item object")


def _load_json(data: bytes) -> Any:
    """The JSON value of the file: UTF-8/16/32 with or without a BOM, or a legacy encoding."""
    try:
        try:
            return json.loads(data)
        except UnicodeDecodeError:
            return json.loads(decode_text(data))
    except RecursionError:
        raise StoryError("not ninjs: the JSON is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise StoryError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError as exc:  # e.g. an integer too long to convert, or undecodable text
        raise StoryError(f"not valid JSON: {clean_line(str(exc))[:200]}") from None


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an empty array" if not value else "an array of other values"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return "a constant"
    return "a number"


class _Item:
    """One ninjs object, its keys looked up ignoring case and underscores ("versionCreated" = "versioncreated")."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self._fields: dict[str, Any] = {}
        for key, value in raw.items():
            self._fields.setdefault(key.lower().replace("_", ""), value)

    def get(self, *names: str) -> Any:
        """The value of the first of `names` that is present and not null."""
        for name in names:
            value = self._fields.get(name.replace("_", ""))
            if value is not None:
                return value
        return None

    def text(self, *names: str) -> str | None:
        """A string field (None when absent or not a string)."""
        value = self.get(*names)
        return value if isinstance(value, str) and value.strip() else None

    def names(self, *keys: str) -> list[str]:
        """The `name` (or `literal`) of each entity in a list field, or the strings in it, without repeats."""
        value = self.get(*keys)
        out: list[str] = []
        for entry in value if isinstance(value, list) else []:
            name = _entity_name(entry)
            if name and name not in out:
                out.append(name)
        return out


def _bylines(value: Any) -> str | None:
    """`bylines: [{"byline": "By A and B"}, …]` (ninjs 2 and 3) as one byline."""
    texts = [e.get("byline") for e in value if isinstance(e, dict)] if isinstance(value, list) else []
    return "; ".join(t for t in texts if isinstance(t, str) and t.strip()) or None


def _entity_name(entry: Any) -> str | None:
    if isinstance(entry, dict):
        entry = entry.get("name") if isinstance(entry.get("name"), str) else entry.get("literal")
    if isinstance(entry, str):
        return clean_line(entry) or None
    return None


def _generation(item: _Item) -> str:
    """The ninjs major version: from `$standard` when given, else from the key style."""
    standard = item.raw.get("$standard")
    if isinstance(standard, dict) and isinstance(standard.get("version"), str):
        m = re.match(r"\s*(\d{1,3})(?:\.|\s*$)", standard["version"])
        if m:
            return str(int(m[1]))
    if _CAMEL_KEYS & item.raw.keys():
        return "3"
    for key in ("headlines", "bodies", "descriptions"):
        parts = item.raw.get(key)
        if isinstance(parts, list) and any(isinstance(p, dict) and "contentType" in p for p in parts):
            return "3"
    return "2" if _V2_KEYS & item.raw.keys() else "1"


def _parts(item: _Item, key: str) -> list[dict[str, Any]]:
    """The role/contenttype/value objects of `headlines`, `descriptions` or `bodies`; refused if malformed."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise StoryError(f"ninjs field {key!r} should be a list, not {_json_kind(value)}")
    out = []
    for part in value:
        if isinstance(part, str):
            part = {"value": part}
        if not isinstance(part, dict):
            raise StoryError(f"ninjs field {key!r} holds {_json_kind(part)} instead of an object")
        if part.get("value") is not None and not isinstance(part["value"], str):
            raise StoryError(f"ninjs field {key!r} has a value that is not a string")
        if isinstance(part.get("value"), str) and part["value"].strip():
            out.append(part)
    return out


def _content_type(part: dict[str, Any]) -> str:
    kind = part.get("contentType", part.get("contenttype"))
    return kind.strip().lower() if isinstance(kind, str) else ""


def _is_html(kind: str, value: str) -> bool:
    return kind.startswith(_HTML_TYPES) or (not kind and bool(_LOOKS_HTML.search(value)))


def _best(parts: list[dict[str, Any]]) -> _Text | None:
    """The value to use among parts (main roles first, then HTML before plain text) and whether it is HTML."""

    def rank(indexed: tuple[int, dict[str, Any]]) -> tuple[int, int, int]:
        n, part = indexed
        role = part.get("role")
        role_rank = 0 if not isinstance(role, str) or role.strip().lower() in _MAIN_ROLES else 1
        kind = _content_type(part)
        kind_rank = 0 if _is_html(kind, part["value"]) else 1 if kind in ("", "text/plain") else 2
        return role_rank, kind_rank, n

    if not parts:
        return None
    _, best = min(enumerate(parts), key=rank)
    return best["value"], _is_html(_content_type(best), best["value"])


def _text_field(item: _Item, key: str) -> str | None:
    """A text-carrying string field; refused when it holds another JSON type."""
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise StoryError(f"ninjs field {key!r} should be a string, not {_json_kind(value)}")
    return value if value and value.strip() else None


def _choose(item: _Item, flat_html: tuple[str, ...], flat_text: tuple[str, ...], listed: str) -> _Text | None:
    """A text from the 1.x flat fields (HTML first) or the 2.x+ list field."""
    for key in flat_html:
        if value := _text_field(item, key):
            return value, True
    for key in flat_text:
        if value := _text_field(item, key):
            return value, False
    return _best(_parts(item, listed))


def _paragraphs(value: str, is_html: bool) -> list[str]:
    """Paragraphs of a text: HTML block structure, or blank-line separated chunks of plain text."""
    if is_html:
        return [p for p in (clean_line(x) for x in html_paragraphs(value)) if p]
    chunks = re.split(r"\n\s*\n", clean_text(value))
    return [para for chunk in chunks for para in join_wrapped(chunk.split("\n"))]


def _headline(item: _Item) -> str:
    chosen = _choose(item, (), ("headline",), "headlines")
    if chosen is None:
        chosen = next(((v, False) for k in ("title", "slugline") if (v := item.text(k))), None)
    if chosen is None:
        raise StoryError("not a ninjs story: no headline" + ("" if _has_body(item) else " and no body"))
    text, is_html = chosen
    headline = " ".join(_paragraphs(text, True)) if is_html else clean_line(text)
    if not headline:
        raise StoryError("not a ninjs story: the headline is empty")
    return headline


def _has_body(item: _Item) -> bool:
    return any(item.get(k) for k in ("body_text", "body_html", "body_xhtml", "bodies"))


def _agency_name(value: Any) -> str | None:
    name = _entity_name(value) if isinstance(value, dict | str) else None
    return (agency_name(name) or name) if name else None


def _authors(byline: str | None, agency: str | None) -> tuple[list[str], str | None]:
    """Names in a byline ("By A and B, Agency") and the agency named at its end, if any."""
    if not byline:
        return [], None
    text = _BY_PREFIX.sub("", clean_line(byline))
    found = None
    if m := _AGENCY_TAIL.search(text):
        found, text = agency_name(m[1]) or m[1], text[: m.start()]
    names: list[str] = []
    for part in (p for p in _NAME_SPLIT.split(text) if p):
        known = agency and part.casefold() == agency.casefold()
        if known or agency_name(part) or (part.isupper() and part.isalpha() and len(part) <= 6):
            found = found or agency_name(part) or part  # "AP", "NTB": an agency, not an author
        elif part not in names:
            names.append(part)
    return names, found


def _body(builder: StoryBuilder, paragraphs: list[str], meta: FoundMeta, extra: dict[str, Any]) -> None:
    """Body paragraphs; a wire dateline opening the first one becomes an inline dateline block, as in plain text."""
    for n, para in enumerate(paragraphs):
        dateline = split_dateline(para) if n == 0 else None
        if dateline:
            meta["dateline"] = dateline.place
            if dateline.date:
                extra["dateline_date"] = dateline.date
            if dateline.agency:
                meta.setdefault("agency", agency_name(dateline.agency) or dateline.agency)
            builder.add("dateline", dateline.text, inline=True)
            para = dateline.rest
        builder.add("paragraph", para)


def _number(value: Any) -> int | None:
    """A whole number given as a JSON number or a string of digits ("3")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 10:  # "²" is a digit, no number
        return int(value.strip())
    return None


def _story(raw: dict[str, Any], source: str | None) -> Story:
    item = _Item(raw)
    headline = _headline(item)
    description = _choose(item, ("description_html",), ("description_text",), "descriptions")
    body = _choose(item, ("body_html", "body_xhtml"), ("body_text",), "bodies")

    meta: FoundMeta = {}
    extra: dict[str, Any] = {"ninjs": _generation(item)}
    agency = next((a for k in ("agency", "provider", "copyrightholder") if (a := _agency_name(item.get(k)))), None)
    if agency:
        meta["agency"] = agency
    authors, byline_agency = _authors(item.text("by", "byline") or _bylines(item.get("bylines")), agency)
    if byline_agency:
        meta.setdefault("agency", byline_agency)

    builder = StoryBuilder()
    builder.add("headline", headline)
    for para in _paragraphs(*description) if description else []:
        builder.add("standfirst", para)
    _body(builder, clean_body(_paragraphs(*body) if body else [], meta, extra), meta, extra)
    if not authors and meta.get("byline"):  # a "By …" paragraph opened the body
        authors, found = _authors(meta.pop("byline"), agency)
        meta.setdefault("agency", found)

    located = item.text("located")
    places = item.names("place", "places")
    extra.update(
        located=located and clean_line(located),
        people=item.names("person", "people"),
        organisations=item.names("organisation", "organisations"),
        places=places,
        urgency=_number(item.get("urgency")),
        pubstatus=item.text("pubstatus"),
        ednote=item.text("ednote"),
        copyright=item.text("copyrightnotice"),
    )
    uri = item.text("uri", "guid")
    return builder.build(
        StoryMeta(
            headline=headline,
            agency=meta.get("agency"),
            authors=tuple(authors),
            dateline=meta.get("dateline") or located or (places[0] if places else None),
            created=iso_date(item.get("firstcreated")) or iso_date(item.get("contentcreated")),
            updated=iso_date(item.get("versioncreated")),
            source=source,
            format=NAME,
            wire_id=f"ninjs:{uri.strip()}" if uri else None,
            version=_number(item.get("version")),
            language=item.text("language"),
            slug=item.text("slugline"),
            subjects=tuple(item.names("subject", "subjects")),
            extra={k: v for k, v in extra.items() if v not in (None, "", [])},
        )
    )
