"""Claims: checkable assertions attributed to a source, with their claimant. Found in the content of indirect
speech (one claim per clause joined by "and that"), in the sentence of a direct quote that states a figure or an
event, after an accusation ("accused X of …"), after "according to" a document or body, in what data "showed",
and in what unnamed sources said. What a claim's text may be is in `claim_text.py`, its word lists are data
(`claims.txt`). A claim's status ("unverified") is implied.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from annotations.suggest.claim_text import (
    MAX_CLAIM_CHARS,
    MIN_WORDS,
    WORD,
    checkable,
    clauses,
    factual_sentence,
    proposition,
    words,
)
from annotations.suggest.context import Context
from annotations.suggest.indirect import _coordinated, _reported, _trimmed, content_after
from annotations.suggest.model import Suggestion
from annotations.suggest.scan import Cue, Scan, Unit, scan

__all__ = ["find_claims"]

#: An accusation names what the accused did: "of …", "for …", "over …", or a clause with "that".
_CHARGE = re.compile(r"\s(?:of|for|over|that)\s", re.IGNORECASE)
_THAT = re.compile(r"\s*that\s+", re.IGNORECASE)
_TOLD_THAT = re.compile(r"(?:\s+[\w'’-]+){1,4}?,?\s+that\s+", re.IGNORECASE)  # "told the local paper that"
_TELL = frozenset({"told", "tell", "tells"})


def find_claims(ctx: Context, quotes: list[Suggestion], mentions: list[Suggestion]) -> list[Suggestion]:
    """The claims of the story, given its quote and actor suggestions."""
    if not ctx.text.strip():
        return []
    text, sc = ctx.text, scan(ctx, mentions)
    found, names, memo = _Found(ctx.sentence_starts), _Names(mentions), _Memo(text)
    for quote in quotes:
        if quote.kind == "quote" and quote.form == "indirect":
            for start, end in memo.clauses(quote.start, quote.end):
                if memo.checkable(start, end) is False:
                    continue
                found.add(_like(quote, text, start, end, "claim.indirect", round(max(quote.score - 0.1, 0.1), 2)))
    for quote in quotes:
        if quote.kind == "quote" and quote.form == "direct":
            span = factual_sentence(text, ctx.sentence_starts, quote.start, quote.end)
            if span is not None:
                found.add(_like(quote, text, *span, "claim.quoted", 0.5 if quote.speaker else 0.3))
    for unit in sc.units:
        for i, cue in enumerate(unit.cues):
            if cue.kind == "claim":
                found.add(_accusation(text, sc, unit, cue))
            elif cue.kind == "according":
                found.add(_according(text, sc, unit, cue, names))
            else:
                for claim in _reported_claims(text, sc, unit, i, names, memo):
                    found.add(claim)
        found.add(_shown(text, sc, unit, names))
    return sorted(found.claims, key=lambda s: (s.start, -s.end))


class _Memo:
    """`clauses` and `checkable` over one story's text, each worked out once per span: the clause of an indirect
    quote is read again as a reported claim."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._clauses: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._checkable: dict[tuple[int, int], bool | None] = {}

    def clauses(self, start: int, end: int) -> list[tuple[int, int]]:
        found = self._clauses.get((start, end))
        if found is None:
            found = self._clauses[start, end] = clauses(self.text, start, end)
        return found

    def checkable(self, start: int, end: int) -> bool | None:
        if (start, end) not in self._checkable:
            self._checkable[start, end] = checkable(self.text[start:end])
        return self._checkable[start, end]


class _Found:
    """The claims so far; a new one that overlaps one already found by half its length or more is left out, and so
    is one that runs over the end of a sentence."""

    def __init__(self, sentence_starts: list[int]) -> None:
        self.claims: list[Suggestion] = []
        self._sentences = sentence_starts
        self._spans: list[tuple[int, int]] = []  # sorted
        self._longest = 0

    def add(self, claim: Suggestion | None) -> None:
        if claim is None or "\n" in claim.exact:
            return  # a claim never runs over a paragraph's end
        if bisect.bisect_right(self._sentences, claim.start) < bisect.bisect_left(self._sentences, claim.end):
            return  # nor over a sentence's
        lo = bisect.bisect_left(self._spans, (claim.start - self._longest, 0))
        hi = bisect.bisect_left(self._spans, (claim.end, 0))
        for start, end in self._spans[lo:hi]:
            common = min(end, claim.end) - max(start, claim.start)
            if common > 0 and common * 2 >= max(end - start, claim.end - claim.start):
                return
        self.claims.append(claim)
        bisect.insort(self._spans, (claim.start, claim.end))
        self._longest = max(self._longest, claim.end - claim.start)


def _accusation(text: str, sc: Scan, unit: Unit, cue: Cue) -> Suggestion | None:
    """ "accused X of …": what follows the cue, with the accuser."""
    claimant = cue.speaker
    if claimant is None and (cue.word.endswith("ing") or _coordinated(text, unit, cue)):
        claimant = unit.subject(cue.start)
    span = _trimmed(text, sc, cue.end, unit.end, "claim.accusation")
    if span is None or not _CHARGE.search(text, span[0], span[1]):
        return None
    start, end = proposition(text, span[0], span[1])
    named = claimant is not None and bool(claimant.name)
    return _claim(
        text,
        start,
        end,
        "claim.accusation",
        0.65 if named else 0.4,
        cue,
        (claimant.name, claimant.id, claimant.type, claimant.start, claimant.end) if claimant and named else None,
    )


def _according(text: str, sc: Scan, unit: Unit, cue: Cue, names: _Names) -> Suggestion | None:
    """ "According to the ruling, …" / "…, according to data from X.": the other side of the source."""
    if text[unit.start : cue.start].strip(" \"“'‘«„"):  # the source ends the sentence
        comma = text.rfind(",", unit.start, cue.start)
        if comma == -1 or text[comma + 1 : cue.start].strip():
            return None
        lo, hi, source = unit.start, comma, (cue.end, unit.end)
        if any(c.start < comma and c.kind == "speech" for c in unit.cues):
            return None  # "'…,' X said, according to the radio": the source of an attribution
    else:
        comma = text.find(",", cue.end, unit.end)
        if comma == -1 or len(text[cue.end : comma].split()) > 16:
            return None
        lo, hi, source = comma + 1, unit.end, (cue.end, comma)
    span = _trimmed(text, sc, lo, hi, "claim.according")
    if span is None:
        return None
    start, end = proposition(text, span[0], span[1])
    return _claim(text, start, end, "claim.according", 0.45, cue, names.last_within(*source))


def _reported_claims(text: str, sc: Scan, unit: Unit, i: int, names: _Names, memo: _Memo) -> list[Suggestion]:
    """What a cue reports that the quote finder left: "Two officials told the paper that …", "…, the county
    office said on Monday, as …". Without "that", only a figure or an event makes it a claim."""
    cue = unit.cues[i]
    lex = sc.speakers.lex
    if cue.word not in lex.clause:
        return []
    if (cue.word.endswith("ing") or _coordinated(text, unit, cue)) and unit.subject(cue.start) is not None:
        return []  # "…, and told …", "…, saying …": the subject's, found as indirect speech
    pos = lex.adjunct_end(text, cue.end, unit.end)
    that = _THAT.match(text, pos, unit.end) or (_TOLD_THAT.match(text, pos, unit.end) if cue.word in _TELL else None)
    clause = that or (text[pos : pos + 1] != "," and content_after(text, cue, unit, sc.speakers))
    span = _reported(text, sc, unit, i) if clause else None  # "said, as …": no clause of the cue's
    span = span or _before_tail(text, sc, unit, cue, pos)
    if span is None:
        return []
    if that and span[0] < that.end() <= span[1]:
        span = (that.end(), span[1], span[2])  # "told the paper that …"
    if span[1] - span[0] > MAX_CLAIM_CHARS:
        return []  # no sentence a wire writes: not read for claims
    speaker = cue.speaker if cue.speaker is not None and cue.speaker.name else None
    who = (speaker.name, speaker.id, speaker.type, speaker.start, speaker.end) if speaker else None
    if cue.speaker is None:  # a body the speaker finder did not know: the name in the subject, if any
        who = names.last_within(unit.start if span[0] >= cue.end else span[1], cue.start)
    out = []
    for start, end in memo.clauses(span[0], span[1]):
        verdict = memo.checkable(start, end)
        if verdict or (verdict is None and that):
            out.append(_claim(text, start, end, "claim.reported", 0.4 if speaker else 0.35, cue, who))
    return [c for c in out if c is not None]


def _before_tail(text: str, sc: Scan, unit: Unit, cue: Cue, after: int) -> tuple[int, int, str] | None:
    """The clause before a tail attribution ("…, the county office said on Monday, as crews …"), or None."""
    comma = text.rfind(",", unit.start, cue.start)
    if comma <= unit.start or len(text[comma + 1 : cue.start].split()) > 10 or text[comma + 1 : comma + 2] != " ":
        return None
    rest = text[after : unit.end].strip()
    if rest.strip(".!?") and not rest.startswith(","):
        return None
    if any(c.start < comma and c.kind != "claim" and c.speaker is not None for c in unit.cues):
        return None  # "X said …, the office said": the earlier cue's
    return _trimmed(text, sc, unit.start, comma, "claim.reported")


@cache
def _any_show() -> re.Pattern[str]:
    """A quick test for any word of the [show] list in a sentence (the word-by-word check decides)."""
    return re.compile("|".join(sorted(map(re.escape, words().show), key=len, reverse=True)) or "(?!)", re.IGNORECASE)


def _shown(text: str, sc: Scan, unit: Unit, names: _Names) -> Suggestion | None:
    """What data showed: "Exports fell 4%, customs data showed." / "A poll showed (that) …"."""
    lists = words()
    if not _any_show().search(text, unit.start, unit.end):
        return None  # most sentences: no word of the kind at all, and no need to cut them into words
    tokens = list(WORD.finditer(text, unit.start, unit.end))
    for n, tok in enumerate(tokens):
        if tok.group().lower() not in lists.show or _inside(sc, tok.start()):
            continue
        comma = text.rfind(",", unit.start, tok.start())
        lo = comma + 1 if comma != -1 else unit.start
        if not {t.group().lower() for t in tokens[:n] if t.start() >= lo} & lists.source:
            continue
        after = text[tok.end() : unit.end]
        if comma != -1 and len(after.split()) <= 5:  # "…, data from the bureau showed on Tuesday."
            span, source = _trimmed(text, sc, unit.start, comma, "claim.shown"), (comma, tok.start())
        elif comma == -1:
            pos = m.end() if (m := _THAT.match(text, tok.end(), unit.end)) else tok.end()
            span, source = _trimmed(text, sc, pos, unit.end, "claim.shown"), (unit.start, tok.start())
        else:
            continue
        if span is not None:
            start, end = proposition(text, span[0], span[1])
            cue = Cue(tok.start(), tok.end(), tok.group().lower(), "claim")
            return _claim(text, start, end, "claim.shown", 0.45, cue, names.last_within(*source))
    return None


def _inside(sc: Scan, pos: int) -> bool:
    """True if `pos` is inside quotation marks."""
    i = bisect.bisect_left(sc.pairs, (pos,)) - 1  # the last pair opening before pos
    return i >= 0 and pos < sc.pairs[i][1]


_Claimant = tuple[str, str | None, str, int | None, int | None]


class _Names:
    """The story's actor mentions that can be a source (not places), by position."""

    def __init__(self, mentions: list[Suggestion]) -> None:
        self._names = sorted((m for m in mentions if m.kind == "actor" and m.actor_type != "place"), key=_start)
        self._starts = [m.start for m in self._names]

    def last_within(self, lo: int, hi: int) -> _Claimant | None:
        """The last mention within [lo, hi), as a claimant: the body in "data from Brazil's space institute"."""
        for i in range(bisect.bisect_left(self._starts, hi) - 1, bisect.bisect_left(self._starts, lo) - 1, -1):
            m = self._names[i]
            if m.end <= hi:
                return (m.actor, m.actor_id, m.actor_type, m.start, m.end)
        return None


def _start(s: Suggestion) -> int:
    return s.start


def _claim(
    text: str, start: int, end: int, rule: str, score: float, cue: Cue, who: _Claimant | None
) -> Suggestion | None:
    if end <= start or len(text[start:end].split()) < MIN_WORDS:
        return None
    name, id_, type_, at, to = who if who is not None else ("", None, "", None, None)
    return Suggestion(
        kind="claim",
        start=start,
        end=end,
        exact=text[start:end],
        score=score,
        rule=rule,
        cue=text[cue.start : cue.end],
        cue_start=cue.start,
        cue_end=cue.end,
        claimant=name,
        claimant_id=id_,
        claimant_type=type_,
        claimant_start=at,
        claimant_end=to,
    )


def _like(quote: Suggestion, text: str, start: int, end: int, rule: str, score: float) -> Suggestion:
    """A claim of text[start:end] made by the quote's speaker, with its cue."""
    return Suggestion(
        kind="claim",
        start=start,
        end=end,
        exact=text[start:end],
        score=score,
        rule=rule,
        cue=quote.cue,
        cue_start=quote.cue_start,
        cue_end=quote.cue_end,
        claimant=quote.speaker,
        claimant_id=quote.speaker_id,
        claimant_type=quote.speaker_type,
        claimant_start=quote.speaker_start,
        claimant_end=quote.speaker_end,
    )
