"""`quoted`: a text on one clean line in curly quotes, cut to a limit; a quote's own marks are not doubled
(found in the agreement screen: ““The talks must go on,”” for a span that opens and closes with its marks)."""

from __future__ import annotations

from annotations.model import quoted


def test_plain_text_gets_curly_quotes_and_is_cut() -> None:
    assert quoted("Erdoğan") == "“Erdoğan”"
    assert quoted("a" * 60, 10) == "“aaaaaaaaa…”"
    assert quoted("") == "“”"


def test_a_quotes_own_marks_are_not_doubled() -> None:
    assert quoted("“The talks must go on,”") == "“The talks must go on,”"
    assert quoted('"We need another month,"') == '"We need another month,"'
    assert quoted("„Wir schaffen das“") == "„Wir schaffen das“"
    assert quoted("«Nous verrons»") == "«Nous verrons»"
    assert quoted("“The talks must go on, whatever it takes,”", 12) == "“The talks…”"  # cut: closed by ours
    assert quoted("he said “no”") == "“he said “no””"  # not a quotation: ours around it
    assert quoted("“") == "““”"  # a mark alone is not a quotation


def test_escape_sequences_and_bidi_controls_never_pass() -> None:
    shown = quoted("“\x1b[2J\u202eevil\x07”")
    assert "\x1b" not in shown and "\u202e" not in shown and shown.isprintable()
