"""The lexicon's adjunct look-up: the word-first shortcut answers as the full pattern does."""

from __future__ import annotations

from annotations.suggest.lexicon import lexicon


def test_adjunct_end_agrees_with_the_pattern() -> None:
    lex = lexicon()
    assert lex.adjunct_firsts is not None and "on" in lex.adjunct_firsts
    text = (
        "X said on Monday that, Y told reporters, in a statement, on Tuesday. Z said ſeparately that "
        "W said ON MONDAY, V said that; U said \u212anow, T said, also again later that S said onward R said"
    )
    for pos in range(len(text)):
        for hi in (len(text), min(len(text), pos + 12)):
            m = lex.adjunct_re.match(text, pos, hi)
            assert lex.adjunct_end(text, pos, hi) == (m.end() if m else pos), (pos, hi)
    assert lex.adjunct_end(text, 6, len(text)) == text.index(" that")
    assert lex.adjunct_end(text, text.index(" ſep"), len(text)) == text.index(" that W")
