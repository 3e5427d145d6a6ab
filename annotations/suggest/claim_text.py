"""What the text of a claim is: the word lists of `claims.txt`, where a claim's proposition begins and ends (no
dateline, no lead-in, no comment tacked on; one clause each), and whether it is checkable at all (a figure or an
event, not a plan, a wish or a forecast)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise

from annotations.suggest.scan import CLOSING, OPENING

__all__ = ["MIN_WORDS", "WORD", "checkable", "clauses", "factual_sentence", "proposition", "words"]

MIN_WORDS = 3  # a claim has at least this many words
#: A claim is one proposition of one sentence: longer spans are not read for one (a wire sentence is far shorter;
#: without a bound, a text of one endless sentence full of cues costs the square of its length).
MAX_CLAIM_CHARS = 600
WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_DECIMAL = re.compile(r"\d")  # the decimal digits: str.isdigit also takes others ("²"), none of them ASCII
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

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
def words() -> _Words:
    """The word lists (read from `claims.txt` once)."""
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


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of reported content: split at "and that", each without a comment tacked on at its end."""
    if _BACKGROUND.match(text, start - 1, end):
        return []  # "… said, as the leaders met …": background, not what was said
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
            if len(text[lo : m.start()].split()) >= MIN_WORDS + 1 and len(text[m.end() : hi].split()) >= MIN_WORDS:
                split.append((lo, m.start()))
                lo = m.end()
        split.append((lo, hi))
    spans = [proposition(text, s, e) for s, e in split]
    return [(s, e) for s, e in spans if len(text[s:e].split()) >= MIN_WORDS]


def proposition(text: str, start: int, end: int) -> tuple[int, int]:
    """`start, end` as the proposition only: without a dateline ("KYIV (AFP) - "), an adjunct before "that"
    ("in a communiqué that"), a lead-in ending in a colon, a comment tacked on at the end (", a charge the
    company denies"), an unpaired quotation mark or edge punctuation."""
    lists = words()
    if start - text.rfind("\n", 0, start) <= 30 and (m := _DATELINE.match(text, start, end)):  # a paragraph's head
        start = m.end()
    if (m := _LEAD_THAT.match(text, start, end)) and m.group(1).lower() in lists.lead:
        start = m.end()
    colon = text.find(": ", start, end)
    if colon != -1 and 0 < len(text[start:colon].split()) <= 8 and len(text[colon:end].split()) > MIN_WORDS:
        start = colon + 2
    if m := lists.tail.search(text, start, end):
        end = m.start()
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?…—–-"):
        end -= 1
    if start < end and text[start] in OPENING and not any(c in CLOSING for c in text[start + 1 : end]):
        start += 1
    return start, end


def factual_sentence(text: str, starts: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    """The first sentence of a direct quote that states a figure or an event as a fact, or None."""
    lists = words()
    cuts = [start, *starts[bisect.bisect_right(starts, start) : bisect.bisect_left(starts, end)], end]
    for lo, hi in pairwise(cuts):
        lo, hi = proposition(text, lo, hi)
        sentence = text[lo:hi]
        if hi <= lo or text[hi : hi + 1] == "?" or len(sentence.split()) < MIN_WORDS + 1:
            continue
        if not lists.hedge.match(sentence) and checkable(sentence, strict=True):
            return lo, hi
    return None


def _has_digit(text: str) -> bool:
    """`any(c.isdigit() for c in text)`, by regex: a decimal digit, or a non-ASCII character that is a digit."""
    if _DECIMAL.search(text):
        return True
    return not text.isascii() and any(c.isdigit() for c in _NON_ASCII.findall(text))


def checkable(statement: str, *, strict: bool = False) -> bool | None:
    """True if `statement` states a figure or an event; None if it says what is or was so without either; False
    for a plan, a wish, a forecast, an opinion in the present tense, or, without a figure or an event, a statement
    about its speaker ("he had …") or one carried by quoted words. `strict`: any forecast is False, even one with
    a figure (what a quoted sentence needs to be a claim)."""
    lists = words()
    found = WORD.findall(statement)
    tokens = {w.lower() for w in found[1:] if not w[0].isupper()}  # capitalised words inside are names ("May")
    if found:
        tokens.add(found[0].lower())
    if "’" in statement:
        tokens = {w.replace("’", "'") for w in tokens}
    forecast = bool(tokens & lists.modal)
    if forecast and strict:
        return False
    if _has_digit(statement) or tokens & lists.number or tokens & lists.fact:
        return True
    if forecast or not tokens & lists.past or any(c in '"“«„' for c in statement):
        return False
    return None if not found or found[0].lower() not in lists.vague else False
