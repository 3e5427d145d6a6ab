"""Text rules shared by every format: normalisation, and word and sentence boundaries (quotations:
`stories.quotations`).

Normalisation makes story text safe to put on a terminal (no control characters, no escape sequences, no bidi
controls or invisible characters) and tidy (odd spaces become plain spaces, runs of spaces collapse). Curly
quotes and accents are kept as they are. `clean_line` / `clean_text` are the one cleaning function for every
string from outside that is shown, printed or stored.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = [
    "SEARCH_FOLD",
    "clean_line",
    "clean_text",
    "human_size",
    "identity_key",
    "is_word_char",
    "next_offset",
    "next_word_start",
    "prev_offset",
    "prev_word_start",
    "search_folded",
    "sentence_span",
    "sentence_starts",
    "snap_to_words",
    "widen_to_words",
    "word_end",
]

# Escape sequences are removed whole, so no "[31m" debris is left behind.
_ESCAPES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?              # CSI
    | \x1b[\]PX^_][^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)  # OSC, DCS, SOS, PM, APC with terminator
    | \x1b[ -/]*[0-~]?                       # other ESC sequences (nF, Fp, Fe, Fs) or a lone ESC
    | \x9b[0-?]*[ -/]*[@-~]?                 # 8-bit CSI
    | [\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c\n]{0,256}(?:\x07|\x1b\\|\x9c)  # 8-bit string controls, one line at most
    """,
    re.VERBOSE,
)
# Invisible characters that can hide, spoof or reorder text on screen: bidi embeddings, overrides, isolates and
# marks, zero-width and invisible operators, deprecated format controls, the BOM, soft hyphen, Mongolian vowel
# separator, combining grapheme joiner, Hangul fillers, interlinear annotation controls and tag characters.
_INVISIBLE = dict.fromkeys(
    [
        0x00AD, 0x034F, 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0x3164, 0xFEFF, 0xFFA0,
        *range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x2070), *range(0xFFF9, 0xFFFC),
        *range(0xE0000, 0xE0080),
    ]
)  # fmt: skip
# Zero-width (non-)joiners stay only where a script or an emoji sequence needs them (see `_joiner_kept`).
_JOINERS = re.compile("[\u200c\u200d]+")
#: Scripts that shape letters with joiners: Arabic, Syriac, Thaana, N'Ko… (U+0600–U+08FF), the Indic scripts
#: (U+0900–U+0DFF), Tibetan, Myanmar, Khmer, Mongolian, and the Arabic presentation forms.
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF), (0x0900, 0x0DFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x18AF), (0xA8E0, 0xA8FF),
    (0xFB50, 0xFDFF), (0xFE70, 0xFEFC),
)  # fmt: skip
#: Characters an emoji ZWJ sequence may join after: the emoji blocks, variation selector 16, keycap, skin tones.
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2190, 0x2BFF), (0x3030, 0x303D), (0x3297, 0x3299))


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in ranges)


def _script_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM" and _in(ch, _JOINING_SCRIPTS)


def _emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or _in(ch, _EMOJI_RANGES)


def _joiner_kept(match: re.Match[str]) -> str:
    """A run of zero-width (non-)joiners as it is when it stands inside a word of a joining script, or (one ZWJ)
    inside an emoji sequence; nothing elsewhere."""
    text, start, end = match.string, match.start(), match.end()
    if start == 0 or end == len(text):
        return ""
    before, after = text[start - 1], text[end]
    if _script_letter(before) and _script_letter(after):
        return match.group()
    if match.group() == "\u200d" and (_emoji(before) or before == "\ufe0f" or before == "\u20e3") and _emoji(after):
        return match.group()
    return ""


_SPACES = re.compile(" {2,}")  # after translation the only white space left is " " and "\n"
#: Where an escape sequence can start: ESC, or a C1 control that opens one.
_ESCAPE_START = re.compile("[\x1b\x90\x98\x9b\x9d\x9e\x9f]")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def _translate_char(ch: str) -> str:
    if ch == "\n":
        return ch
    if ch in "\t\v\f" or unicodedata.category(ch) == "Zs":
        return " "
    if ch in "\u2028\u2029":
        return "\n"
    if _is_control(ch) or ord(ch) in _INVISIBLE or unicodedata.category(ch) in ("Cs", "Co", "Cn"):
        return ""
    return ch


_BMP: tuple[dict[int, str | None], re.Pattern[str]] | None = None
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _bmp() -> tuple[dict[int, str | None], re.Pattern[str]]:
    """The Basic Multilingual Plane characters `_translate_char` changes (built once): a `str.translate` table,
    and a pattern matching runs of them, so text with nothing to change is only scanned."""
    global _BMP
    if _BMP is None:
        table: dict[int, str | None] = {}
        for code in range(0x10000):
            ch = chr(code)
            out = _translate_char(ch)
            if out != ch:
                table[code] = out or None
        ranges: list[list[int]] = []
        for code in sorted(table):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        spans = "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)
        _BMP = table, re.compile(f"[{spans}]+")
    return _BMP


def _translate_run(match: re.Match[str]) -> str:
    return match.group().translate(_bmp()[0])


def clean_text(raw: str) -> str:
    """Make multi-line text terminal-safe: newlines kept, every other control and every invisible character
    removed (zero-width joiners only where a script or emoji needs them), spaces tidied."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if _ESCAPE_START.search(text):
        text = _ESCAPES.sub("", text)
    text = _bmp()[1].sub(_translate_run, text)
    if not text.isascii():
        if _ASTRAL.search(text):
            text = _ASTRAL.sub(lambda m: _translate_char(m.group()), text)
        if "\u200c" in text or "\u200d" in text:
            text = _JOINERS.sub(_joiner_kept, text)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return "\n".join(line.strip(" ") for line in text.split("\n"))


def clean_line(raw: str) -> str:
    """Make text terminal-safe and fold it to one line (for block text and metadata)."""
    if (
        raw.isprintable()
        and "  " not in raw
        and raw[:1] != " "
        and raw[-1:] != " "
        and (raw.isascii() or ("\u034f" not in raw and "\u3164" not in raw and "\uffa0" not in raw))
    ):
        return raw  # already clean: no control, format or separator character (nor the printable invisible
        # U+034F, U+3164, U+FFA0) but single inner spaces
    return " ".join(clean_text(raw).split())


#: One-to-one character folds for searching: curly quotes match straight ones, dashes match hyphens.
#: Folding never changes the length of a text, so offsets in folded text are offsets in the original.
SEARCH_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
    }
)


def search_folded(text: str) -> str:
    """`text` lower-cased and quote/dash-folded, with the same length as `text`."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(SEARCH_FOLD)


#: Quote marks and primes the identity of a story ignores the style of (beyond `SEARCH_FOLD`).
_IDENTITY_FOLD = SEARCH_FOLD | str.maketrans({"ʼ": "'", "′": "'", "″": '"', "‹": "'", "›": "'", "‟": '"', "−": "-"})


def identity_key(text: str) -> str:
    """`text` as a story's identity compares it: compatibility forms (NFKC: "…" is "...", odd spaces are
    spaces), curly quotes as straight ones, dashes as hyphens, one space between words, case folded. The same
    copy in another encoding or quote style gets the same key; accents and words still count."""
    folded = unicodedata.normalize("NFKC", clean_line(text)).translate(_IDENTITY_FOLD)
    return " ".join(folded.casefold().split())


def human_size(n: float) -> str:
    """A size for people: '40 bytes', '2.1 MB'."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


# --- word and sentence boundaries -------------------------------------------------------------------------

_SPACE, _PUNCT, _WORD = 0, 1, 2


def is_word_char(ch: str) -> bool:
    """True for letters, digits, underscore and combining marks."""
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def _cls(ch: str) -> int:
    if ch.isspace():
        return _SPACE
    return _WORD if is_word_char(ch) else _PUNCT


def next_word_start(text: str, pos: int) -> int:
    """Start of the next word after `pos` (vim `w`); stays on the last character at the end."""
    n = len(text)
    if pos >= n - 1:
        return max(n - 1, 0)
    c = _cls(text[pos])
    i = pos
    if c != _SPACE:
        while i < n and _cls(text[i]) == c:
            i += 1
    while i < n and text[i].isspace():
        i += 1
    return min(i, n - 1)


def prev_word_start(text: str, pos: int) -> int:
    """Start of the word before `pos`, or of the word `pos` is inside (vim `b`)."""
    i = min(pos, len(text)) - 1
    while i > 0 and text[i].isspace():
        i -= 1
    if i <= 0:
        return 0
    c = _cls(text[i])
    while i > 0 and _cls(text[i - 1]) == c:
        i -= 1
    return i


def word_end(text: str, pos: int) -> int:
    """Last character of the word after `pos`, or of the word `pos` is inside (vim `e`)."""
    n = len(text)
    i = pos + 1
    while i < n and text[i].isspace():
        i += 1
    if i >= n:
        return max(n - 1, 0)
    c = _cls(text[i])
    while i + 1 < n and _cls(text[i + 1]) == c:
        i += 1
    return i


def widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) outward so that neither end cuts a word; nothing is trimmed."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if start < end and is_word_char(text[start]):
        while start > 0 and is_word_char(text[start - 1]):
            start -= 1
    if start < end and is_word_char(text[end - 1]):
        while end < len(text) and is_word_char(text[end]):
            end += 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) outward to whole words; trim surrounding spaces and stray , ; : at the edges."""
    start, end = widen_to_words(text, start, end)
    while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_PUNCT):
        end -= 1
    return start, end


_EDGE_PUNCT = ",;:"


_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st gen col lt sgt capt cmdr adm gov sen rep rev fr sr jr inc corp ltd co no nos vs
    jan feb mar apr jun jul aug sep sept oct nov dec ala ariz ark calif colo conn del fla ga ill ind kan ky la
    md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo dept est approx etc e.g i.e
    u.s u.k u.n""".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]*[\w])")


def _is_abbreviation(chunk: str, dot: int) -> bool:
    """True if the period at `dot` ends an abbreviation or an initial."""
    j = dot
    while j > 0 and (chunk[j - 1].isalpha() or chunk[j - 1] == "."):
        j -= 1
    word = chunk[j:dot].lower()
    if j > 0 and chunk[j - 1] in "’'":
        return False  # the end of a contraction: didn’t, can't
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    return word in _ABBREVIATIONS


def sentence_starts(text: str, blocks: Iterable[tuple[int, int]]) -> list[int]:
    """Offsets where sentences begin, given the (start, end) ranges of the text's blocks."""
    starts: list[int] = []
    for bstart, bend in blocks:
        chunk = text[bstart:bend]
        starts.append(bstart)
        for m in _SENTENCE_END.finditer(chunk):
            if chunk[m.start()] == "." and _is_abbreviation(chunk, m.start()):
                continue
            nxt = m.end()
            if nxt < len(chunk) and (chunk[nxt].isupper() or chunk[nxt].isdigit() or not chunk[nxt].isalpha()):
                starts.append(bstart + nxt)
    return sorted(set(starts))


def next_offset(offsets: Sequence[int], pos: int) -> int | None:
    """The first offset after `pos`, or None."""
    i = bisect.bisect_right(offsets, pos)
    return offsets[i] if i < len(offsets) else None


def prev_offset(offsets: Sequence[int], pos: int) -> int | None:
    """The last offset before `pos`, or None."""
    i = bisect.bisect_left(offsets, pos)
    return offsets[i - 1] if i > 0 else None


def sentence_span(text: str, starts: Sequence[int], start: int, end: int | None = None) -> tuple[int, int]:
    """Whole sentences: the one around `start`, from its start (one of `starts`, see `sentence_starts`) to its
    last non-space character on that line (a closing quote after the full stop included).

    Given a selection [start, end): the sentences it touches, or if it holds whole sentences already, those and
    the next one."""
    if end is None or end <= start:
        return _sentence_at(text, starts, start)
    first, last = _sentence_at(text, starts, start)[0], _sentence_at(text, starts, end - 1)[1]
    if (first, last) == (start, end) and (nxt := next_offset(starts, end - 1)) is not None:
        last = _sentence_at(text, starts, nxt)[1]
    return first, max(last, first)


def _sentence_at(text: str, starts: Sequence[int], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, pos)
    start = starts[i - 1] if i else 0
    end = starts[i] if i < len(starts) else len(text)
    if (newline := text.find("\n", start, end)) != -1:
        end = newline
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
