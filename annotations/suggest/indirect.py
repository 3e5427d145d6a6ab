"""Indirect speech: the clause a cue reports, without quotation marks ("X said (that) …", "…, X said.",
"according to X, …", "X told reporters …", "X denied that …"). The span is the reported content only: no
"that", no attribution, no final full stop."""

from __future__ import annotations

import re

from annotations.suggest.model import Suggestion
from annotations.suggest.scan import OPENING, Cue, Scan, Unit, quote_suggestion
from annotations.suggest.speakers import Speakers
from stories.text import is_word_char

__all__ = ["content_after", "indirect_quotes"]

_THAT = re.compile(r"\s*,?\s*(?:that|how|why|whether)(?![\w'’-])", re.IGNORECASE)
_MIN_WORDS = 3


def indirect_quotes(text: str, sc: Scan) -> list[Suggestion]:
    """The indirect quotes of the scanned story."""
    out: list[Suggestion] = []
    lex = sc.speakers.lex
    for unit in sc.units:
        for i, cue in enumerate(unit.cues):
            if cue.kind == "claim" or (cue.kind == "speech" and cue.word not in lex.clause):
                continue
            speaker = cue.speaker
            if speaker is None and (cue.word.endswith("ing") or _coordinated(text, unit, cue)):
                speaker = unit.subject(cue.start)
            if speaker is None:
                continue  # reported speech with nobody reporting it is too often something else
            span = _reported(text, sc, unit, i)
            if span is None:
                continue
            start, end, rule = span
            if speaker is None:
                score = 0.45
            elif speaker.how == "anonymous":
                score = 0.65
            else:
                score = 0.75 if speaker.how == "named" else 0.65
            named = speaker if speaker is not None and speaker.name else None
            out.append(quote_suggestion(text, start, end, "indirect", score, rule, named, cue))
    return out


def _reported(text: str, sc: Scan, unit: Unit, i: int) -> tuple[int, int, str] | None:
    """(start, end, rule) of the clause the `i`th cue of `unit` reports, or None (worked out once per cue: the
    claim finder asks again)."""
    key = (unit.start, i)
    if key not in sc.reported:
        sc.reported[key] = _find_reported(text, sc, unit, i)
    return sc.reported[key]


def _find_reported(text: str, sc: Scan, unit: Unit, i: int) -> tuple[int, int, str] | None:
    cue = unit.cues[i]
    speakers = sc.speakers
    if cue.kind == "according" or cue.inverted or _at_tail(text, unit, cue, speakers):
        if any(c.kind == "speech" and c.speaker is not None for c in unit.cues[:i]):
            return None  # "'…,' Erdogan said, according to his office": the clause before is an attribution
        np = speakers.np_before(unit.start, cue.start)
        comma = text.rfind(",", unit.start, np[0].start if np else cue.start)
        adjacent = comma > unit.start and (
            cue.kind == "according" or (np and not text[comma + 1 : np[0].start].strip())
        )
        if adjacent:
            return _trimmed(text, sc, unit.start, comma, "quote.indirect.before")
        if cue.kind == "according" and cue.speaker is not None and cue.speaker.end is not None:
            after = text.find(",", cue.speaker.end, unit.end)
            if after != -1 and not text[cue.speaker.end : after].strip(" )"):
                return _trimmed(text, sc, after + 1, unit.end, "quote.indirect.according")
        return None
    if _attributes_a_quote(text, unit, cue, speakers):
        return None  # "'…,' Kask told reporters outside the gate": what follows is not what was said
    start = content_after(text, cue, unit, speakers)
    if start is None:
        return None
    end = unit.end
    for later in unit.cues[i + 1 : i + 4]:  # the attribution that ends the clause is one of the next cues
        comma = text.rfind(",", start, later.start)
        if comma != -1 and (later.kind == "according" or _only_np(text, comma + 1, later.start, speakers)):
            end = comma
            break
    return _trimmed(text, sc, start, end, "quote.indirect.after")


def content_after(text: str, cue: Cue, unit: Unit, speakers: Speakers) -> int | None:
    """Where the clause reported by `cue` starts (after adjuncts like "on Monday" and "that"), or None."""
    pos = cue.end
    if (end := speakers.lex.adjunct_end(text, pos, unit.end)) != pos:
        pos = end
        if text[pos : pos + 1] == ",":
            return None  # "said in a statement, calling for …": the clause is not the cue's
    if m := _THAT.match(text, pos, unit.end):
        pos = m.end()
    elif cue.word not in speakers.lex.bare:
        return None  # "declared a national emergency": an object, not a clause
    while pos < unit.end and (text[pos].isspace() or text[pos] in ",:"):
        if text[pos] == ":":
            return None  # X said: "…" is direct speech
        pos += 1
    return pos if pos < unit.end else None


def _at_tail(text: str, unit: Unit, cue: Cue, speakers: Speakers) -> bool:
    """True for the "…, X said." of a sentence: the cue ends its unit, but for adjuncts."""
    rest = text[speakers.lex.adjunct_end(text, cue.end, unit.end) : unit.end]
    if rest.startswith(","):  # "…, Orlova told reporters, adding that …"
        stripped = rest[1:].lstrip()
        following = next((c for c in unit.cues if c.start > cue.end), None)
        return (
            following is not None
            and following.word.endswith("ing")
            and text[following.start :].startswith(stripped[:8])
        )
    return not rest.strip(" .!?,;") and cue.speaker is not None


def _attributes_a_quote(text: str, unit: Unit, cue: Cue, speakers: Speakers) -> bool:
    """True if the cue (with its speaker) directly follows a quotation: it says who said that."""
    np = speakers.np_before(unit.start, cue.start)
    left = np[0].start if np else cue.start
    return any(0 <= left - closing <= 4 and not text[closing + 1 : left].strip(" ,") for _, closing in unit.pairs)


def _coordinated(text: str, unit: Unit, cue: Cue) -> bool:
    """True if the cue's verb shares the subject of an earlier one ("…, and declared", "…, saying")."""
    before = text[unit.start : cue.start].rstrip()
    return before.endswith((",", " and", " but")) or before.endswith(("”", '"'))


def _only_np(text: str, lo: int, hi: int, speakers: Speakers) -> bool:
    gap = text[lo:hi].strip()
    if not gap:
        return True
    np = speakers.np_before(lo, hi)
    return bool(np) and not text[lo : np[0].start].strip()


def _trimmed(text: str, sc: Scan, start: int, end: int, rule: str) -> tuple[int, int, str] | None:
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?…—–-"):
        end -= 1
    if end <= start or len(text[start:end].split()) < _MIN_WORDS:
        return None
    if text[start] in OPENING:
        for opening, closing in sc.pairs:
            if opening == start and closing >= end - 1:
                return None  # all of it in marks: a direct quote
    if not is_word_char(text[end - 1]) and text[end - 1] not in OPENING + "”’»)":
        return None
    return start, end, rule
