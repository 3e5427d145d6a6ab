"""What a claim's text is: the digit test by regex agrees with str.isdigit everywhere."""

from __future__ import annotations

from annotations.suggest.claim_text import _has_digit, checkable


def test_has_digit_agrees_with_isdigit_over_all_of_unicode() -> None:
    chars = [chr(i) for i in range(0x110000)]
    assert [c for c in chars if _has_digit(f"a {c} b’s") != c.isdigit()] == []


def test_a_superscript_figure_makes_a_statement_checkable() -> None:
    assert checkable("The lake rose by 3 m²") is True
    assert checkable("The area grew to ² in the report’s table") is True
