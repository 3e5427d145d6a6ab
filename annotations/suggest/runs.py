"""Words and runs of capitalised words: the raw material of new actor candidates ("Deputy Agriculture Minister
Yelena Orlova", "Ministry of Agriculture and Forestry", "the Russian Embassy in Caracas")."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate, chain, compress, count, repeat
from operator import itemgetter, not_

from annotations.suggest import names as N
from annotations.suggest.matcher import Atoms, atoms, fold_atom
from annotations.suggest.phrases import Tok

__all__ = ["Word", "runs", "words", "words_and_atoms", "words_and_atoms_of"]

WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:[-'’][^\W_]+)*")
POSSESSIVE = re.compile(r"['’]s?$")
#: WORD in ASCII text (narrower classes, so a faster pass).
_ASCII_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
#: _ASCII_WORD and the text before it: every match starts at a letter or digit, and always matches there.
_ASCII_GAP_WORD = re.compile(rf"([^A-Za-z0-9]*)({_ASCII_WORD.pattern})")
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


#: A word of the text (a possessive "'s" left out): a `Tok`, so that a token that is a word serves as one as it is.
Word = Tok


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
    tiles = list(chain.from_iterable(_ASCII_GAP_WORD.findall(text)))  # gap, word, gap, word…: no match objects
    offsets = list(accumulate(map(len, tiles)))  # where each tile ends
    texts = tiles[1::2]
    lows = list(map(str.lower, texts))
    starts, ends = offsets[::2], offsets[1::2]
    caps = map(str.isupper, map(itemgetter(0), texts))
    out: list[Word] = list(map(new, repeat(Word), zip(texts, starts, ends, lows, caps, strict=True)))
    if "'s" in text:
        for i in list(compress(count(), map(str.endswith, texts, repeat("'s")))):  # picked in C
            word, start, end, folded, cap = out[i]
            out[i] = new(Word, (word[:-2], start, end - 2, folded[:-2], cap))
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


def words_and_atoms_of(text: str, toks: list[Tok]) -> tuple[list[Word], Atoms]:
    """`words_and_atoms(text)`, `toks` being the text's tokens (`phrases.tokens`): in ASCII text a token of letters
    alone is a word as it is (most words), and only the stretches of other tokens are cut into words again."""
    if not text.isascii():
        return words_and_atoms(text)
    # A word can take in a letter next to a token only across "-" or "'" (a word never spans white space, and a
    # token of letters is never followed by either: it would have taken it in). So a token of letters is a word of
    # its own unless it follows one of those marks, and the other words lie in runs of touching other tokens.
    texts = list(map(itemgetter(0), toks))
    plain = list(map(str.isalpha, texts))
    for i in compress(count(1), map(_JOINERS.__contains__, texts)):
        if i < len(toks) and plain[i] and toks[i].start == toks[i - 1].end:
            plain[i] = False
    out = list(compress(toks, plain))
    starts = list(map(itemgetter(1), out))
    atoms = Atoms(starts, list(map(itemgetter(2), out)), list(map(itemgetter(3), out)))
    stretches = list(_stretches(toks, plain))
    if not stretches:
        return out, atoms
    # each stretch's words and atoms go in between the words of their own, where their first token lies
    words: list[Word] = []
    every = Atoms([], [], [])
    done = 0
    for first, last in stretches:
        at = bisect_left(starts, toks[first].start, done)
        found, found_atoms = _stretch_words(text, toks, first, last)
        words += out[done:at]
        words += found
        _extend(every, atoms.cut(done, at))
        _extend(every, found_atoms)
        done = at
    words += out[done:]
    _extend(every, atoms.cut(done, len(starts)))
    return words, every


def _extend(atoms: Atoms, more: Atoms) -> None:
    atoms.starts.extend(more.starts)
    atoms.ends.extend(more.ends)
    atoms.folded.extend(more.folded)


#: The marks a word goes on across ("3-year-old", "1990's").
_JOINERS = frozenset("-'")


def _stretches(toks: list[Tok], plain: list[bool]) -> Iterator[tuple[int, int]]:
    """The runs of touching tokens that are not words of their own and hold a letter or digit (a token with one
    starts with one), as (first, last) indices."""
    other = list(compress(count(), map(not_, plain)))
    i, n = 0, len(other)
    while i < n:
        first = last = other[i]
        i += 1
        while i < n and other[i] == last + 1 and toks[other[i]].start == toks[last].end:
            last = other[i]
            i += 1
        if any(toks[k].text[0].isalnum() for k in range(first, last + 1)):
            yield first, last


def _stretch_words(text: str, toks: list[Tok], first: int, last: int) -> tuple[list[Word], Atoms]:
    """The words and atoms of tokens `first` to `last` (touching), with offsets into `text`."""
    lo = toks[first].start
    found, atoms = words_and_atoms(text[lo : toks[last].end])
    new = tuple.__new__
    words = [new(Word, (w.text, w.start + lo, w.end + lo, w.folded, w.cap)) for w in found]
    return words, Atoms([a + lo for a in atoms.starts], [a + lo for a in atoms.ends], atoms.folded)


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
        folded = word.lower() if word.isascii() else fold_atom(word)
        out.append(new(Word, (word, start, start + len(word), folded, word[0].isupper())))
    return out


def _joined(text: str, a: Word, b: Word) -> bool:
    """Whether two words may be in one name: one or two spaces apart, or a full stop after a title or initial."""
    gap = text[a.end : b.start]
    if gap in (" ", "  ", " & ", "&"):
        return True
    if gap in ("' ", "’ ") and a.text.endswith("s") and b.cap:
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
        if not run and not word.cap and word.text not in agencies:
            continue  # most words: lowercase, with no name open
        if run and (not _joined(text, run[-1], word) or len(run) >= MAX_RUN):
            close()  # no name is longer: a longer run is shouted or title-case text
        capital = word.cap or word.text in N.AGENCIES  # "told dpa"
        nxt = words[i + 1] if i + 1 < len(words) else None
        named = word.text in _FIRST_NAMES and nxt is not None and nxt.cap and _joined(text, word, nxt)
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
        inside_name = nxt is not None and nxt.cap and _joined(text, word, nxt)
        if nxt is not None and word.text == "of" and nxt.text == "the" and i + 2 < len(words):
            # "International Committee of the Red Cross"
            then = words[i + 2]
            inside_name = _joined(text, word, nxt) and _joined(text, nxt, then) and then.cap
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
            if not w.cap or (k and not _joined(text, words[after + k - 1], w)):
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
    return run[-1].cap  # a particle of a person's name: "Ursula von der Leyen"
