"""The ASCII fast paths of the word passes (`runs.words_and_atoms`, `matcher.atoms`, `phrases.tokens`) cut and
fold exactly as the general paths do, and the words read off a text's tokens (`runs.words_and_atoms_of`) are its
words."""

from __future__ import annotations

import random

from annotations.suggest.matcher import ATOM, Atom, Atoms, atoms, fold_atom
from annotations.suggest.phrases import _ASCII_GAP_TOKEN, _GAP_TOKEN, _TOKEN, Tok, tokens
from annotations.suggest.runs import _words, words, words_and_atoms, words_and_atoms_of

#: Letters of both cases, digits, initials, possessives, hyphens, underscores and line breaks.
_ALPHABET = "aAsSZ19 .'-_\n,&\t\x1c$"
_CASES = ["U.S.-based firm", "the minister's aide", "Minister's", "JOHN'S", "rock'n'roll's", "A.B's", "x's's", "'s", ""]


def _samples() -> list[str]:
    rng = random.Random(13)
    return _CASES + ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 16))) for _ in range(20000)]


def test_ascii_words_are_the_general_words() -> None:
    for text in _samples():
        assert text.isascii()
        assert words(text) == _words(text), text


def test_ascii_atoms_are_the_general_atoms() -> None:
    for text in _samples():
        expected = [Atom(m.start(), m.end(), fold_atom(m.group())) for m in ATOM.finditer(text)]
        assert atoms(text) == expected, text
        assert words_and_atoms(text) == (_words(text), Atoms.of(expected)), text


def test_ascii_tokens_are_the_general_tokens() -> None:
    every_ascii = "".join(map(chr, range(128)))
    for text in [*_samples(), every_ascii, every_ascii[::-1]]:
        assert _ASCII_GAP_TOKEN.findall(text) == _GAP_TOKEN.findall(text), text
        assert _ASCII_GAP_TOKEN.findall(text, 1, len(text) - 1) == _GAP_TOKEN.findall(text, 1, len(text) - 1), text


def test_non_ascii_text_is_folded_word_by_word() -> None:
    assert [w.folded for w in words("Nicolás Maduro’s aide")] == ["nicolas", "maduro", "aide"]
    assert [a.folded for a in atoms("Nicolás MADURO")] == ["nicolas", "maduro"]


def test_tokens_are_the_matches_of_a_token_with_their_offsets() -> None:
    for text in [*_samples()[:3000], "Nicolás Maduro’s aide, K. Öz", "  «Да», — сказал он.  "]:
        for lo, hi in ((0, len(text)), (1, len(text) - 1)):
            expected = [
                Tok(m[0], m.start(), m.end(), m[0].lower(), m[0][0].isupper()) for m in _TOKEN.finditer(text, lo, hi)
            ]
            assert tokens(text, lo, hi) == expected, text


def test_the_words_of_the_tokens_are_the_words_of_the_text() -> None:
    rng = random.Random(29)
    marks = "aAbZ19 .'-_\n,\"()?:;&$"
    texts = [
        "the 3-year-old said, “no”",
        "In 1990's U.S.-based (K. Lee) talks: 4,379 boats' “crews”",
        "A.B.C. _x_ 'y' -z-",
    ]
    texts += ["".join(rng.choice(marks) for _ in range(rng.randint(1, 24))) for _ in range(20000)]
    for text in [*_samples(), *texts]:
        assert words_and_atoms_of(text, tokens(text, 0, len(text))) == words_and_atoms(text), text
