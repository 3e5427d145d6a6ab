"""The suggester's lexicon: the cue verbs, phrases, titles and head words of `cues.txt`, read once, as sets and
precompiled patterns. Every word list the quote, speaker and claim finders use comes from here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Lexicon", "lexicon"]


@dataclass(frozen=True)
class Lexicon:
    """The lexicon's sections. Word sets are lower case; multi-word entries are joined by single spaces."""

    speech: frozenset[str]  # every form of a verb that reports speech
    clause: frozenset[str]  # the forms that also report a clause without marks ("warned that …")
    bare: frozenset[str]  # the forms that report one even without "that" ("said the talks had failed")
    claim: frozenset[str]  # accusation verbs ("accused X of ...")
    according: frozenset[str]  # "according to": the source follows
    audience: frozenset[str]
    adjuncts: tuple[str, ...]
    person_titles: frozenset[str]
    female: frozenset[str]
    male: frozenset[str]
    organisation: frozenset[str]
    government: frozenset[str]
    document: frozenset[str]
    anonymous: frozenset[str]
    group: frozenset[str]  # unnamed groups that speak as one: "the opposition", "the rebels"
    pronouns: dict[str, str]  # pronoun -> m | f | p (plural) | o (object, organisation) | s (first person)
    cues: dict[str, tuple[tuple[str, ...], ...]]  # first word of a cue -> the cues starting with it, longest first
    adjunct_re: re.Pattern[str]  # one or more adjunct phrases at the start of a string
    adjunct_ends: dict[str, tuple[tuple[str, ...], ...]]  # last word of an adjunct -> its forms, as words
    adjunct_firsts: frozenset[str] | None  # the words an adjunct may open with (None: not all plain ASCII words)

    def adjunct_end(self, text: str, pos: int, hi: int) -> int:
        """Where the adjunct phrases at the start of text[pos:hi] end ("said on Monday that": after "on
        Monday"), or `pos` if none starts there. The word at `pos` is looked up first: `adjunct_re` (a long
        case-blind alternation) runs only if an adjunct may open with it."""
        if self.adjunct_firsts is not None:
            m = _OPENING_WORD.match(text, pos, hi)  # the one place an adjunct's first word can start
            if m is None:
                return pos
            word = m.group(1)
            if word.isascii() and word.lower() not in self.adjunct_firsts:
                return pos  # (a non-ASCII word may still match case-blind: "K" is "k")
        m = self.adjunct_re.match(text, pos, hi)
        return m.end() if m else pos

    def kind_of(self, cue: str) -> str:
        """ "speech", "claim" or "according" for a matched cue."""
        folded = " ".join(cue.lower().split())
        if folded in self.according:
            return "according"
        if folded in self.claim and folded not in self.speech:
            return "claim"
        return "speech"


#: What `adjunct_re` allows before an adjunct, and the word after that.
_OPENING_WORD = re.compile(r"\s*,?\s*(\w+)")


def _first_words(phrases: tuple[str, ...], optional: frozenset[str]) -> frozenset[str] | None:
    """The words `phrases` may open with (leading `optional` words may be left out), or None if any of them is
    not plain lower-case ASCII letters (then no word can be ruled out by a look-up)."""
    out = set()
    for phrase in phrases:
        words = phrase.split()
        for i, word in enumerate(words):
            out.add(word)
            if word not in optional or i == len(words) - 1:
                break
    return frozenset(out) if all(re.fullmatch("[a-z]+", w) for w in out) else None


def _sections(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            out.setdefault(current, [])
        else:
            out.setdefault(current, []).append(line)
    return out


def _words(lines: list[str]) -> frozenset[str]:
    return frozenset(w.replace("_", " ").lower() for line in lines for w in line.split() if w.strip("+"))


def _alternation(phrases: frozenset[str] | tuple[str, ...], optional: frozenset[str] = frozenset()) -> str:
    """A regex alternative of `phrases`, longest first; the words in `optional` may be left out ("in statement")."""

    def one(phrase: str) -> str:
        return "".join(
            f"(?:{re.escape(w)}\\s+)?"
            if w in optional and i < len(words) - 1
            else re.escape(w) + ("\\s+" if i < len(words) - 1 else "")
            for words in [phrase.split()]
            for i, w in enumerate(words)
        )

    return "|".join(one(p) for p in sorted(phrases, key=len, reverse=True))


def _by_first_word(phrases: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        out.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(found, key=len, reverse=True)) for first, found in out.items()}


def _by_last_word(phrases: tuple[str, ...], optional: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases by their last word, each also without its `optional` words ("in statement")."""
    out: dict[str, set[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        for form in (words, tuple(w for w in words[:-1] if w not in optional) + words[-1:]):
            out.setdefault(form[-1], set()).add(form)
    return {last: tuple(sorted(found, key=len, reverse=True)) for last, found in out.items()}


@cache
def lexicon() -> Lexicon:
    """The lexicon (read from `cues.txt` once)."""
    data = _sections(resources.files("annotations.suggest").joinpath("cues.txt").read_text(encoding="utf-8"))
    speech_lines = data.get("speech", [])
    speech = _words(speech_lines)
    clause = _words([line for line in speech_lines if line.split()[-1] in ("+", "++")])
    bare = _words([line for line in speech_lines if line.split()[-1] == "++"])
    claim = _words(data.get("claim", []))
    according = frozenset(" ".join(line.lower().split()) for line in data.get("according", []))
    adjuncts = tuple(" ".join(line.lower().split()) for line in data.get("adjunct", []))
    pronouns = {}
    for line in data.get("pronoun", []):
        word, _, code = line.partition(" ")
        pronouns[word.lower()] = code.strip() or "o"
    cues = speech | claim | according
    adj = _alternation(adjuncts, frozenset({"a", "an", "the"}))
    return Lexicon(
        speech=speech,
        clause=clause,
        bare=bare,
        claim=claim,
        according=according,
        audience=_words(data.get("audience", [])),
        adjuncts=adjuncts,
        person_titles=_words(data.get("person_title", [])),
        female=_words(data.get("female", [])),
        male=_words(data.get("male", [])),
        organisation=_words(data.get("organisation", [])),
        government=_words(data.get("government_org", [])),
        document=_words(data.get("document", [])),
        anonymous=_words(data.get("anonymous", [])),
        group=_words(data.get("group", [])),
        pronouns=pronouns,
        cues=_by_first_word(cues),
        adjunct_re=re.compile(rf"(?:\s*,?\s*(?:{adj})(?![\w'’-]))+", re.IGNORECASE),
        adjunct_ends=_by_last_word(adjuncts, frozenset({"a", "an", "the"})),
        adjunct_firsts=_first_words(adjuncts, frozenset({"a", "an", "the"})),
    )
