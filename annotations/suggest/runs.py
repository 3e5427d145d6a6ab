"""Words and runs of capitalised words: the raw material of new actor candidates ("Deputy Agriculture Minister
Yelena Orlova", "Ministry of Agriculture and Forestry", "the Russian Embassy in Caracas")."""

from __future__ import annotations

import re
from itertools import compress, count, repeat
from operator import not_
from typing import NamedTuple

from annotations.suggest import names as N
from annotations.suggest.matcher import Atoms, atoms, fold_atom

__all__ = ["Word", "runs", "words", "words_and_atoms"]

WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:[-'’][^\W_]+)*")
POSSESSIVE = re.compile(r"['’]s?$")
#: WORD in ASCII text (narrower classes, so a faster pass).
_ASCII_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
_ASCII_ATOM = re.compile(r"[a-z0-9]+")  # matcher.ATOM in lower-case ASCII text
#: Words before "of" in a name that no head list holds ("Democratic Republic of Congo", "Joint Chiefs of Staff").
_OF_WORDS = frozenset(
    N.PLACE_STARTS
    | {
        "Republic",
        "Kingdom",
        "Emirates",
        "States",
        "Commonwealth",
        "Chiefs",
        "Friends",
        "Sisters",
        "Knights",
        "Sons",
        "Daughters",
        "House",
        "Houses",
    }
)
#: The most words a name may have ("International Committee of the Red Cross" has 6).
MAX_RUN = 10
_FIRST_NAMES = frozenset({"Jan", "April", "May", "June", "August"})  # months that are also first names
_ABBREVIATED = N.TITLES | {"St", "Mt", "Ft", "Jr", "Sr"}
#: A capitalised word that is an attribute ("Munich-based", "Kremlin-backed", "Oslo-listed"), not a name's word.
_ATTRIBUTIVE = re.compile(r"-(?:based|born|backed|owned|led|run|listed|funded|made|controlled|registered)$")


class Word(NamedTuple):
    """A word of the text (a possessive "'s" left out)."""

    start: int
    end: int
    text: str
    folded: str


def words(text: str) -> list[Word]:
    """The words of `text`, a possessive "'s" cut off."""
    return words_and_atoms(text)[0] if text.isascii() else _words(text)


def words_and_atoms(text: str) -> tuple[list[Word], Atoms]:
    """`words(text)` and `matcher.atoms(text)` (as `Atoms`), from one regex pass over ASCII text."""
    if not text.isascii():
        return _words(text), Atoms.of(atoms(text))
    new = tuple.__new__  # a Word without the named tuple's Python-level __new__
    # The words are made in C (maps over the matches; lower() folds an ASCII word), then the few possessives
    # mended. A word never ends in an apostrophe and initials ("U.S.") have none, so POSSESSIVE strips exactly a
    # final "'s".
    found = list(_ASCII_WORD.finditer(text))
    texts = list(map(re.Match.group, found))
    lows = list(map(str.lower, texts))
    starts, ends = list(map(re.Match.start, found)), list(map(re.Match.end, found))
    out: list[Word] = list(map(new, repeat(Word), zip(starts, ends, texts, lows, strict=True)))
    if "'s" in text:
        for i in list(compress(count(), map(str.endswith, texts, repeat("'s")))):  # picked in C
            start, end, word, folded = out[i]
            out[i] = new(Word, (start, end - 2, word[:-2], folded[:-2]))
    # The atoms: every match of WORD (before the possessive is cut) begins and ends where an atom does, so a match
    # of letters and digits only is one atom (the lists are shared as they are when all are); the others ("U.S.",
    # "rock'n'roll's") are cut at their marks.
    marked = list(compress(count(), map(not_, map(str.isalnum, texts))))
    if not marked:
        return out, Atoms(starts, ends, lows)
    a_starts: list[int] = []
    a_ends: list[int] = []
    a_folded: list[str] = []
    done = 0
    for i in marked:
        a_starts += starts[done:i]
        a_ends += ends[done:i]
        a_folded += lows[done:i]
        at = starts[i]
        for m in _ASCII_ATOM.finditer(lows[i]):
            a_starts.append(at + m.start())
            a_ends.append(at + m.end())
            a_folded.append(m.group())
        done = i + 1
    a_starts += starts[done:]
    a_ends += ends[done:]
    a_folded += lows[done:]
    return out, Atoms(a_starts, a_ends, a_folded)


def _words(text: str) -> list[Word]:
    """`words` for any text."""
    out = []
    new, sub = tuple.__new__, POSSESSIVE.sub
    for m in WORD.finditer(text):
        word = m.group()
        start = m.start()
        if ("'" in word or "’" in word) and not word.endswith("."):
            word = sub("", word)
            if not word:
                continue
        out.append(new(Word, (start, start + len(word), word, word.lower() if word.isascii() else fold_atom(word))))
    return out


def _joined(text: str, a: Word, b: Word) -> bool:
    """Whether two words may be in one name: one or two spaces apart, or a full stop after a title or initial."""
    gap = text[a.end : b.start]
    if gap in (" ", "  ", " & ", "&"):
        return True
    if gap in ("' ", "’ ") and a.text.endswith("s") and b.text[:1].isupper():
        return True  # "the Lisle Valley Shippers' Council"
    return gap in (". ", ".") and (a.text in _ABBREVIATED or (len(a.text) == 1 and a.text.isupper()))


def runs(text: str, words: list[Word]) -> list[list[Word]]:
    """Runs of capitalised words (and the lowercase words allowed inside a name), in text order."""
    out: list[list[Word]] = []
    run: list[Word] = []

    def close() -> None:
        while run and (run[-1].text in N.CONNECTORS):
            run.pop()
        if run:
            out.append(run.copy())
        run.clear()

    agencies = N.AGENCIES
    for i, word in enumerate(words):
        if not run and not word.text[:1].isupper() and word.text not in agencies:
            continue  # most words: lowercase, with no name open
        if run and (not _joined(text, run[-1], word) or len(run) >= MAX_RUN):
            close()  # no name is longer: a longer run is shouted or title-case text
        capital = word.text[:1].isupper() or word.text in N.AGENCIES  # "told dpa"
        nxt = words[i + 1] if i + 1 < len(words) else None
        named = word.text in _FIRST_NAMES and nxt is not None and nxt.text[:1].isupper() and _joined(text, word, nxt)
        if word.text in N.MONTHS_AND_DAYS and not named:
            close()  # a date, not the first name in "Jan Novak" or "April Ryan"
            continue
        if _ATTRIBUTIVE.search(word.text):
            close()  # "Munich-based", "state-owned": describes the name after it, is no part of it
            continue
        if capital:
            if not run and word.text in N.STOPWORDS:
                continue
            run.append(word)
            continue
        inside_name = nxt is not None and nxt.text[:1].isupper() and _joined(text, word, nxt)
        if nxt is not None and word.text == "of" and nxt.text == "the" and i + 2 < len(words):
            # "International Committee of the Red Cross"
            then = words[i + 2]
            inside_name = _joined(text, word, nxt) and _joined(text, nxt, then) and then.text[:1].isupper()
        if run and word.text in N.CONNECTORS and inside_name and _connector_fits(text, word.text, run, words, i + 1):
            run.append(word)
            continue
        close()
    close()
    return out


def _connector_fits(text: str, connector: str, run: list[Word], words: list[Word], after: int) -> bool:
    """Whether a lowercase word continues the name in `run` (`words[after:]` follow it)."""
    bodies = ("organisation", "government", "group")
    heads = [w.text for w in run if N.head_type(w.text) in bodies]
    if connector == "of":  # "Ministry of …", "Gulf of …", "Secretary of State …", not "Alberto Feijoo of the …"
        return any(N.head_type(w.text) or N.is_title_head(w.text) or w.text in _OF_WORDS for w in run)
    if connector == "the":
        return run[-1].text == "of"
    if connector in ("and", "for", "on"):
        following: list[str] = []
        for k, w in enumerate(words[after : after + 6]):
            if not w.text[:1].isupper() or (k and not _joined(text, words[after + k - 1], w)):
                break
            following.append(w.text)
        later = any(N.head_type(w) in bodies for w in following)
        if connector == "and" and any(w.text == "and" for w in run):
            return False  # one "and" per name: "Ministry of Health and Public Hygiene" and "Doctors …"
        # "Ministry of Agriculture and Forestry"; "National Development and Reform Commission"
        titled = any(N.is_title_head(w.text) for w in run)  # "President Christine Lagarde and Federation Council"
        joins = (bool(heads) and not later) or (not heads and not titled and later and connector == "and")
        return run[-1].text != "of" and joins
    if connector == "in":
        return any(w.text in ("Embassy", "Consulate", "Mission") for w in run)
    return run[-1].text[:1].isupper()  # a particle of a person's name: "Ursula von der Leyen"
