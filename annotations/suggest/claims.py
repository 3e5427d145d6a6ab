"""Claims: checkable assertions attributed to a source, with their claimant. Found in the content of indirect
speech (one claim per clause joined by "and that"), in the sentence of a direct quote that states a figure or an
event, after an accusation ("accused X of …"), after "according to" a document or body, in what data "showed",
and in what unnamed sources said. Word lists are data (`claims.txt`). A claim's status ("unverified") is implied.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from itertools import pairwise

from annotations.suggest.context import Context
from annotations.suggest.indirect import _coordinated, _reported, _trimmed, content_after
from annotations.suggest.model import Suggestion
from annotations.suggest.scan import CLOSING, OPENING, Cue, Scan, Unit, scan

__all__ = ["find_claims"]

#: An accusation names what the accused did: "of …", "for …", "over …", or a clause with "that".
_CHARGE = re.compile(r"\s(?:of|for|over|that)\s", re.IGNORECASE)
#: Where one reported clause ends and the next begins: "… and that …", "…, but she added that …".
_NEXT_CLAUSE = re.compile(
    r",?\s+(?:and|but)\s+(?:(?:he|she|they|it|also)\s+)?(?:(?:added|said|noted|stressed)\s+)?that\s+", re.IGNORECASE
)
#: A second predicate of the same subject: "… destroyed 300 boats and flooded dozens of plants".
_NEXT_PREDICATE = re.compile(r",?\s+and\s+(?=[a-z]+ed\s)")
#: Where the background to a reported clause begins: "… were evacuated as a wildfire spread".
_BACKGROUND = re.compile(r",?\s+(?:as|while|whereas)\s+(?!(?:well|part|much|many|long|soon|far|of|a\s+result)\b)")
#: A dateline at the head of a lead paragraph: "KYIV (AFP) - ", "Patna, Nov 14 (PTI) ", "MOSCOW, May 2. /TASS/. ".
_DATELINE = re.compile(
    r"[A-Z][^\n()]{0,50}?(?:\((?:[A-Z][\w.]*\s?){1,3}\)\s*[-—–]{1,2}\s+|/[A-Z]{2,10}/\.\s*)"
    r"|[A-Z][^\n(),]{0,30},[^\n()]{0,30}\((?:[A-Z][\w.]*\s?){1,3}\)\s*(?:[-—–]{1,2}\s+)?"
)
_LEAD_THAT = re.compile(r"([a-z]+)\b[^,.;:\n]{0,60}?\s+that\s+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_APOSTROPHE = str.maketrans("’", "'")
_THAT = re.compile(r"\s*that\s+", re.IGNORECASE)
_TOLD_THAT = re.compile(r"(?:\s+[\w'’-]+){1,4}?,?\s+that\s+", re.IGNORECASE)  # "told the local paper that"
_TELL = frozenset({"told", "tell", "tells"})
_MIN_WORDS = 3


@dataclass(frozen=True)
class _Words:
    """The sections of `claims.txt`, lower case; phrases joined by single spaces."""

    number: frozenset[str]
    fact: frozenset[str]
    hedge: re.Pattern[str]  # what opens a quoted sentence that is no claim
    modal: frozenset[str]
    past: frozenset[str]
    vague: frozenset[str]
    source: frozenset[str]
    show: frozenset[str]
    tail: re.Pattern[str]  # a comma and what opens a comment after it
    lead: frozenset[str]


@cache
def _words() -> _Words:
    sections: dict[str, list[str]] = {}
    current = ""
    raw = resources.files("annotations.suggest").joinpath("claims.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        elif line:
            sections.setdefault(current, []).extend(w.replace("_", " ").lower() for w in line.split())
    get = sections.get
    return _Words(
        number=frozenset(get("number", [])),
        fact=frozenset(get("fact", [])),
        hedge=_opening(get("hedge", [])),
        modal=frozenset(get("modal", [])),
        past=frozenset(get("past", [])),
        vague=frozenset(get("vague", [])),
        source=frozenset(get("source", [])),
        show=frozenset(get("show", [])),
        tail=_opening(get("tail", []), r",\s+"),
        lead=frozenset(get("lead", [])),
    )


def _opening(phrases: list[str], before: str = "") -> re.Pattern[str]:
    """A pattern for any of `phrases` as whole words, after `before`."""
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(f"{before}(?:{alternatives})(?![\\w'’-])", re.IGNORECASE)


def find_claims(ctx: Context, quotes: list[Suggestion], mentions: list[Suggestion]) -> list[Suggestion]:
    """The claims of the story, given its quote and actor suggestions."""
    if not ctx.text.strip():
        return []
    text, sc = ctx.text, scan(ctx, mentions)
    found = _Found()
    for quote in quotes:
        if quote.kind == "quote" and quote.form == "indirect":
            for start, end in _clauses(text, quote.start, quote.end):
                if _checkable(text[start:end]) is False:
                    continue
                found.add(_like(quote, text, start, end, "claim.indirect", round(max(quote.score - 0.1, 0.1), 2)))
    for quote in quotes:
        if quote.kind == "quote" and quote.form == "direct":
            span = _factual_sentence(ctx, quote.start, quote.end)
            if span is not None:
                found.add(_like(quote, text, *span, "claim.quoted", 0.5 if quote.speaker else 0.3))
    for unit in sc.units:
        for i, cue in enumerate(unit.cues):
            if cue.kind == "claim":
                found.add(_accusation(text, sc, unit, cue))
            elif cue.kind == "according":
                found.add(_according(text, sc, unit, cue, mentions))
            else:
                for claim in _reported_claims(text, sc, unit, i, mentions):
                    found.add(claim)
        found.add(_shown(text, sc, unit, mentions))
    return sorted(found.claims, key=lambda s: (s.start, -s.end))


class _Found:
    """The claims so far; a new one that overlaps one already found by half its length or more is left out."""

    def __init__(self) -> None:
        self.claims: list[Suggestion] = []
        self._spans: list[tuple[int, int]] = []  # sorted
        self._longest = 0

    def add(self, claim: Suggestion | None) -> None:
        if claim is None:
            return
        lo = bisect.bisect_left(self._spans, (claim.start - self._longest, 0))
        hi = bisect.bisect_left(self._spans, (claim.end, 0))
        for start, end in self._spans[lo:hi]:
            common = min(end, claim.end) - max(start, claim.start)
            if common > 0 and common * 2 >= max(end - start, claim.end - claim.start):
                return
        self.claims.append(claim)
        bisect.insort(self._spans, (claim.start, claim.end))
        self._longest = max(self._longest, claim.end - claim.start)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of reported content: split at "and that", each without a comment tacked on at its end."""
    if m := _BACKGROUND.search(text, start, end):
        end = m.start()
    out = []
    pos = start
    for m in _NEXT_CLAUSE.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    split = []
    for lo, hi in out:
        for m in _NEXT_PREDICATE.finditer(text, lo, hi):
            if len(text[lo : m.start()].split()) >= _MIN_WORDS + 1 and len(text[m.end() : hi].split()) >= _MIN_WORDS:
                split.append((lo, m.start()))
                lo = m.end()
        split.append((lo, hi))
    spans = [_untailed(text, s, e) for s, e in split]
    return [(s, e) for s, e in spans if len(text[s:e].split()) >= _MIN_WORDS]


def _untailed(text: str, start: int, end: int) -> tuple[int, int]:
    """`start, end` as the proposition only: without a dateline ("KYIV (AFP) - "), an adjunct before "that"
    ("in a communiqué that"), a lead-in ending in a colon, a comment tacked on at the end (", a charge the
    company denies"), an unpaired quotation mark or edge punctuation."""
    words = _words()
    if (not start or text[start - 1] == "\n") and (m := _DATELINE.match(text, start, end)):
        start = m.end()
    if (m := _LEAD_THAT.match(text, start, end)) and m.group(1).lower() in words.lead:
        start = m.end()
    colon = text.find(": ", start, end)
    if colon != -1 and 0 < len(text[start:colon].split()) <= 8 and len(text[colon:end].split()) > _MIN_WORDS:
        start = colon + 2
    if m := words.tail.search(text, start, end):
        end = m.start()
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?…—–-"):
        end -= 1
    if start < end and text[start] in OPENING and not any(c in CLOSING for c in text[start + 1 : end]):
        start += 1
    return start, end


def _factual_sentence(ctx: Context, start: int, end: int) -> tuple[int, int] | None:
    """The first sentence of a direct quote that states a figure or an event as a fact, or None."""
    text, words = ctx.text, _words()
    starts = ctx.sentence_starts
    cuts = [start, *starts[bisect.bisect_right(starts, start) : bisect.bisect_left(starts, end)], end]
    for lo, hi in pairwise(cuts):
        lo, hi = _untailed(text, lo, hi)
        sentence = text[lo:hi]
        if hi <= lo or text[hi : hi + 1] == "?" or len(sentence.split()) < _MIN_WORDS + 1:
            continue
        if not words.hedge.match(sentence) and _checkable(sentence, strict=True):
            return lo, hi
    return None


def _checkable(statement: str, *, strict: bool = False) -> bool | None:
    """True if `statement` states a figure or an event; None if it says what is or was so without either; False
    for a plan, a wish, a forecast, an opinion in the present tense, or, without a figure or an event, a statement
    about its speaker ("he had …") or one carried by quoted words. `strict`: any forecast is False, even one with
    a figure (what a quoted sentence needs to be a claim)."""
    words = _words()
    found = list(_WORD.finditer(statement))
    tokens = {  # capitalised words inside the statement are names ("May", "Will Ross"), not words
        m.group().lower().translate(_APOSTROPHE) for n, m in enumerate(found) if not n or not m.group()[0].isupper()
    }
    forecast = bool(tokens & words.modal)
    if forecast and strict:
        return False
    if any(c.isdigit() for c in statement) or tokens & words.number or tokens & words.fact:
        return True
    if forecast or not tokens & words.past or any(c in '"“«„' for c in statement):
        return False
    return None if not found or found[0].group().lower() not in words.vague else False


def _accusation(text: str, sc: Scan, unit: Unit, cue: Cue) -> Suggestion | None:
    """ "accused X of …": what follows the cue, with the accuser."""
    claimant = cue.speaker
    if claimant is None and (cue.word.endswith("ing") or _coordinated(text, unit, cue)):
        claimant = unit.subject(cue.start)
    span = _trimmed(text, sc, cue.end, unit.end, "claim.accusation")
    if span is None or not _CHARGE.search(text, span[0], span[1]):
        return None
    start, end = _untailed(text, span[0], span[1])
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


def _according(text: str, sc: Scan, unit: Unit, cue: Cue, mentions: list[Suggestion]) -> Suggestion | None:
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
    start, end = _untailed(text, span[0], span[1])
    return _claim(text, start, end, "claim.according", 0.45, cue, _mention_in(mentions, *source))


def _reported_claims(text: str, sc: Scan, unit: Unit, i: int, mentions: list[Suggestion]) -> list[Suggestion]:
    """What a cue reports that the quote finder left: "Two officials told the paper that …", "…, the county
    office said on Monday, as …". Without "that", only a figure or an event makes it a claim."""
    cue = unit.cues[i]
    lex = sc.speakers.lex
    if cue.word not in lex.clause:
        return []
    if (cue.word.endswith("ing") or _coordinated(text, unit, cue)) and unit.subject(cue.start) is not None:
        return []  # "…, and told …", "…, saying …": the subject's, found as indirect speech
    pos = cue.end
    if m := lex.adjunct_re.match(text, pos, unit.end):
        pos = m.end()
    that = _THAT.match(text, pos, unit.end) or (_TOLD_THAT.match(text, pos, unit.end) if cue.word in _TELL else None)
    clause = that or (text[pos : pos + 1] != "," and content_after(text, cue, unit, sc.speakers))
    span = _reported(text, sc, unit, i) if clause else None  # "said, as …": no clause of the cue's
    span = span or _before_tail(text, sc, unit, cue, pos)
    if span is None:
        return []
    if that and span[0] < that.end() <= span[1]:
        span = (that.end(), span[1], span[2])  # "told the paper that …"
    speaker = cue.speaker if cue.speaker is not None and cue.speaker.name else None
    who = (speaker.name, speaker.id, speaker.type, speaker.start, speaker.end) if speaker else None
    if cue.speaker is None:  # a body the speaker finder did not know: the name in the subject, if any
        who = _mention_in(mentions, unit.start if span[0] >= cue.end else span[1], cue.start)
    out = []
    for start, end in _clauses(text, span[0], span[1]):
        checkable = _checkable(text[start:end])
        if checkable or (checkable is None and that):
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


def _shown(text: str, sc: Scan, unit: Unit, mentions: list[Suggestion]) -> Suggestion | None:
    """What data showed: "Exports fell 4%, customs data showed." / "A poll showed (that) …"."""
    words = _words()
    tokens = list(_WORD.finditer(text, unit.start, unit.end))
    for n, tok in enumerate(tokens):
        if tok.group().lower() not in words.show or _inside(sc, tok.start()):
            continue
        comma = text.rfind(",", unit.start, tok.start())
        lo = comma + 1 if comma != -1 else unit.start
        if not {t.group().lower() for t in tokens[:n] if t.start() >= lo} & words.source:
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
            start, end = _untailed(text, span[0], span[1])
            cue = Cue(tok.start(), tok.end(), tok.group().lower(), "claim")
            return _claim(text, start, end, "claim.shown", 0.45, cue, _mention_in(mentions, *source))
    return None


def _inside(sc: Scan, pos: int) -> bool:
    i = bisect.bisect_right(sc.pairs, (pos, len(sc.pairs) + pos)) - 1
    return i >= 0 and sc.pairs[i][0] < pos < sc.pairs[i][1]


_Claimant = tuple[str, str | None, str, int | None, int | None]


def _mention_in(mentions: list[Suggestion], lo: int, hi: int) -> _Claimant | None:
    """The last actor mention within [lo, hi) that can be a source (not a place), as a claimant: the body in
    "data from Brazil's space institute"."""
    found = None
    for m in mentions:
        if lo <= m.start and m.end <= hi and m.kind == "actor" and m.actor_type != "place":
            found = (m.actor, m.actor_id, m.actor_type, m.start, m.end)
    return found


def _claim(
    text: str, start: int, end: int, rule: str, score: float, cue: Cue, who: _Claimant | None
) -> Suggestion | None:
    if end <= start or len(text[start:end].split()) < _MIN_WORDS:
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
    return replace(
        Suggestion(kind="claim", start=start, end=end, exact=text[start:end], score=score, rule=rule),
        cue=quote.cue,
        cue_start=quote.cue_start,
        cue_end=quote.cue_end,
        claimant=quote.speaker,
        claimant_id=quote.speaker_id,
        claimant_type=quote.speaker_type,
        claimant_start=quote.speaker_start,
        claimant_end=quote.speaker_end,
    )
