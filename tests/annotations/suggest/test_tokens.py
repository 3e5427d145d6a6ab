"""The ASCII fast paths of the word passes (`runs.words_and_atoms`, `matcher.atoms`, `phrases.tokens`) cut and
fold exactly as the general paths do."""

from __future__ import annotations

import random

from annotations.suggest.matcher import ATOM, Atom, Atoms, atoms, fold_atom
from annotations.suggest.phrases import _ASCII_GAP_TOKEN, _GAP_TOKEN
from annotations.suggest.runs import _words, words, words_and_atoms

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
