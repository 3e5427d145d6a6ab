"""The story's tokens: the fast tokenizer gives exactly the tokens of the plain regex."""

from __future__ import annotations

import re

from annotations.suggest.phrases import _TOKEN, Tok, tokens


def _plain(text: str, lo: int, hi: int) -> list[Tok]:
    return [
        Tok(m.group(), m.start(), m.end(), m.group().lower(), m.group()[0].isupper())
        for m in _TOKEN.finditer(text, lo, hi)
    ]


def test_every_character_is_a_gap_or_starts_a_token() -> None:
    gap = re.compile(r"[\s_]")
    odd = [hex(i) for i in range(0x110000) if not gap.match(chr(i)) and not _TOKEN.match(chr(i))]
    assert odd == []


def test_tokens_are_those_of_the_plain_regex() -> None:
    text = (
        "  K. Adams, U.S. envoy__said: “It’s 4,500.5 ²m\t— ok?” __Ünal's  O'Neill-Smith ½ İstanbul Kelvin \u212a ₃x.\n"
        "_ end_ \u00a0 "
    )
    for lo, hi in ((0, len(text)), (3, 40), (5, 6), (10, 10), (len(text) - 4, len(text))):
        assert tokens(text, lo, hi) == _plain(text, lo, hi)
