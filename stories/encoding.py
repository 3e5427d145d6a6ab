"""Bytes to text: byte-order marks, UTF-8, then the most likely legacy encoding (charset-normalizer).

Wire copy still arrives as Latin-1/cp1252 (Western), cp1254 (Turkish), cp1251 (Cyrillic), cp1250… Guessing
wrong turns curly quotes and accents into mojibake, so the guess comes from charset-normalizer, which weighs
how plausible each decoding is; when several decode equally well, cp1252 wins, as the usual wire default.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import unicodedata

from stories.model import StoryError

__all__ = ["decode_text", "looks_binary", "looks_json", "looks_xml"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Control bytes that wire transmissions (ANPA-1312, IPTC 7901) use for framing: not a sign of binary data.
_WIRE_CONTROLS = frozenset(b"\t\n\r\x0c\x1b\x01\x02\x03\x04\x16\x1e\x1f\x7f")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _WIRE_CONTROLS)


def looks_binary(head: bytes) -> bool:
    """True for bytes that are not text in any encoding we read (NULs, many control bytes)."""
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    head = head[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # bytes.translate counts in C
    return b"\x00" in head or controls > len(head) // 10


#: The start of a JSON object, or of an array of objects or arrays: no story text begins like that.
_JSON_START = re.compile(r'\A\s*(?:\{\s*(?:"|\}\s*\Z)|\[\s*(?:[\[{]|\]\s*\Z))')


def looks_json(head: bytes) -> bool:
    """True for the start of a JSON document holding an object or an array (whole, or cut short)."""
    try:
        text = head.decode(json.detect_encoding(head[:4]), errors="ignore").lstrip("\ufeff")
    except LookupError:
        return False
    if _JSON_START.match(text):
        return True
    if text.lstrip()[:1] not in ("{", "["):
        return False
    try:
        return isinstance(json.loads(text), dict | list)
    except (ValueError, RecursionError):
        return False


_XML_START = re.compile(r"\A\s*<(?:\?xml[\s?]|!DOCTYPE\s|!--)", re.IGNORECASE)


def looks_xml(head: bytes) -> bool:
    """True for the start of an XML document: an XML declaration, a doctype or a comment first."""
    text = head.decode(json.detect_encoding(head[:4]), errors="ignore").lstrip("\ufeff")
    return _XML_START.match(text) is not None


def _mixed_words(text: str) -> int:
    """Words that mix ASCII letters with letters of a non-Latin script: the mark of a wrong decoding."""
    count = 0
    for word in text[:20000].split():
        latin = any("a" <= c.lower() <= "z" for c in word)
        if latin and any(
            c.isalpha() and not c.isascii() and not unicodedata.name(c, "").startswith("LATIN") for c in word
        ):
            count += 1
    return count


def decode_text(data: bytes) -> str:
    """Decode file bytes: a BOM wins, then UTF-8, then the best legacy encoding. Raises StoryError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise StoryError(f"not valid {encoding.upper()} text ({exc.reason})") from None
    if looks_binary(data[:8192]):
        raise StoryError("binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only needed for legacy encodings

    candidates = {m.encoding: (m.chaos, m.coherence, str(m)) for m in from_bytes(data)}
    with contextlib.suppress(UnicodeDecodeError):
        candidates.setdefault("cp1252", (1.0, 0.0, data.decode("cp1252")))
    candidates.setdefault("latin_1", (1.0, 0.0, data.decode("latin-1")))
    short = len(data) < 200  # too short for charset-normalizer to judge: the Western defaults come first
    letters = sum(1 for b in data if 65 <= b <= 90 or 97 <= b <= 122)
    if short:  # and no decoding may swallow ASCII letters into another script
        candidates = {
            k: v for k, v in candidates.items() if sum(1 for c in v[2] if c.isascii() and c.isalpha()) == letters
        }
    # Mojibake mixes scripts inside words ("cafй" is café read as cp1251): fewest such words first, then
    # (for short text) the Western defaults, then charset-normalizer's own measures, then cp1252, the usual
    # wire default, on a tie. Latin-1 is always a candidate: it decodes any bytes.
    default = {"cp1252": 0, "latin_1": 1}
    best = min(
        candidates.items(),
        key=lambda kv: (
            _mixed_words(kv[1][2]),
            default.get(kv[0], 2) if short else 0,
            round(kv[1][0], 3),
            -round(kv[1][1], 3),
            kv[0] != "cp1252",
        ),
    )
    return best[1][2]
