"""Text rules: terminal-safe normalisation, search folding, word motions, sentence boundaries."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stories.text import (
    SEARCH_FOLD,
    clean_line,
    clean_text,
    is_word_char,
    next_offset,
    next_word_start,
    prev_offset,
    prev_word_start,
    search_folded,
    sentence_starts,
    snap_to_words,
    word_end,
)

# --- clean_text / clean_line ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("\x1b[1;38;5;196mbold\x1b[m", "bold"),
        ("\x1b[2J\x1b[Hcleared", "cleared"),
        ("\x1b]0;window title\x07body", "body"),
        ("\x1b]8;;https://example.invalid\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1bP1$qm\x1b\\after dcs", "after dcs"),
        ("\x9b31mC1 csi\x9b0m", "C1 csi"),
        ("\x9d0;osc title\x9cafter", "after"),
        ("keypad\x1b=mode\x1b>", "keypadmode"),
        ("lone escape\x1b", "lone escape"),
        ("cut off \x1b[31", "cut off"),
    ],
)
def test_escape_sequences_are_removed_whole(raw, expected):
    assert clean_text(raw) == expected
    assert clean_line(raw) == expected


def test_every_c0_and_c1_control_is_removed_but_newlines_kept():
    controls = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 27), *range(28, 32), 127, *range(128, 160)])
    cleaned = clean_text(f"one{controls}two\nthree")
    assert cleaned.startswith("one")
    assert cleaned.endswith("two\nthree")
    assert all(unicodedata.category(c) != "Cc" for c in cleaned.replace("\n", ""))


def test_line_endings_become_newlines():
    assert clean_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"


def test_odd_spaces_become_one_space_and_runs_collapse():
    raw = "Russia\u00a0on\u2003Saturday\u202fsaid \t\u3000 so\u00a0\u00a0\u00a0too  "
    assert clean_text(raw) == "Russia on Saturday said so too"


def test_invisible_format_characters_are_dropped():
    assert clean_text("evil\u202eplay\u202c\u200bhere\u00ad\ufeff") == "evilplayhere"


def test_curly_quotes_accents_emoji_and_zwj_are_kept():
    raw = "“İstanbul’s café” — naïve 👩\u200d🔬 क्\u200dष"
    assert clean_text(raw) == raw
    assert clean_line(raw) == raw


def test_clean_text_keeps_lines_but_strips_their_ends():
    assert clean_text("  first  line \n\n   second\u00a0") == "first line\n\nsecond"


def test_clean_line_folds_to_one_line():
    assert clean_line("  Headline\nacross\n\nlines \x1b[1m ") == "Headline across lines"


# --- search folding ------------------------------------------------------------------------------------------


def test_search_folded_matches_straight_and_curly_quotes_and_dashes():
    text = "“No substantive basis” — Kosachev’s ‘view’"
    folded = search_folded(text)
    assert folded == "\"no substantive basis\" - kosachev's 'view'"
    assert len(folded) == len(text)
    assert "‘".translate(SEARCH_FOLD) == "'"


def test_search_folded_keeps_length_when_lowering_would_grow():
    text = "İSTANBUL and ǅ"
    folded = search_folded(text)
    assert len(folded) == len(text)
    assert folded.endswith("stanbul and ǆ")


@given(st.text(max_size=80))
def test_search_folded_always_keeps_length(text):
    assert len(search_folded(text)) == len(text)


# --- word motions --------------------------------------------------------------------------------------------

SENTENCE = "Konstantin Kosachev said, “no basis.”"


def test_word_end_moves_like_vim_e():
    first = word_end(SENTENCE, 0)
    assert first == 9 and SENTENCE[first] == "n"
    second = word_end(SENTENCE, first)
    assert second == len("Konstantin Kosachev") - 1 and SENTENCE[second] == "v"
    assert SENTENCE[word_end(SENTENCE, second)] == "d"  # "said"
    assert SENTENCE[word_end(SENTENCE, 3)] == "n"  # inside a word: its own end


def test_next_word_start_moves_like_vim_w():
    pos = 0
    seen = []
    for _ in range(6):
        pos = next_word_start(SENTENCE, pos)
        seen.append(SENTENCE[pos:].split(" ")[0][:4])
    assert seen == ["Kosa", "said", ",", "“no", "no", "basi"]
    assert next_word_start(SENTENCE, len(SENTENCE) - 1) == len(SENTENCE) - 1
    assert next_word_start("a   b", 1) == 4  # from inside whitespace


def test_prev_word_start_moves_like_vim_b():
    end = len(SENTENCE)
    pos = prev_word_start(SENTENCE, end)
    assert SENTENCE[pos:] == ".”"  # a run of punctuation is one word
    pos = prev_word_start(SENTENCE, SENTENCE.index("said") + 2)
    assert SENTENCE[pos:].startswith("said")
    pos = prev_word_start(SENTENCE, pos)
    assert SENTENCE[pos:].startswith("Kosachev")
    assert prev_word_start(SENTENCE, 3) == 0
    assert prev_word_start(SENTENCE, 0) == 0


def test_word_characters():
    assert is_word_char("a") and is_word_char("İ") and is_word_char("7") and is_word_char("_")
    assert is_word_char("\u0301")  # combining mark
    assert not is_word_char("’") and not is_word_char(" ") and not is_word_char("-")


def test_snap_to_words_widens_to_whole_words_and_trims():
    text = "the Foreign Ministry said"
    start = text.index("reign")
    assert snap_to_words(text, start, start + 9) == (4, 20)  # "reign Min" -> "Foreign Ministry"
    assert snap_to_words(text, 3, 12) == (4, 11)  # leading/trailing spaces trimmed
    assert snap_to_words(text, 3, 4) == (4, 4)  # only whitespace: empty
    assert snap_to_words(text, -5, 999) == (0, len(text))


def test_snap_to_words_keeps_punctuation_edges():
    text = "said “no basis” today"
    start = text.index("“")
    assert snap_to_words(text, start, start + 3) == (start, text.index(" basis"))


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=60), st.data())
def test_word_motions_stay_in_range_and_move_monotonically(text, data):
    n = len(text)
    pos = data.draw(st.integers(0, n - 1))
    nxt = next_word_start(text, pos)
    assert 0 <= nxt < n
    assert nxt > pos or nxt == n - 1
    end = word_end(text, pos)
    assert 0 <= end < n
    assert end > pos or end == n - 1
    back = prev_word_start(text, pos)
    assert 0 <= back <= pos
    assert back < pos or pos == 0
    assert prev_word_start(text, n) <= n - 1


def test_word_motions_on_empty_text():
    assert next_word_start("", 0) == 0
    assert word_end("", 0) == 0
    assert prev_word_start("", 0) == 0


@settings(max_examples=200)
@given(st.text(max_size=60), st.integers(-5, 70), st.integers(-5, 70))
def test_snap_to_words_contains_the_trimmed_span(text, start, end):
    def trimmed(c: str) -> bool:  # what snap_to_words drops at the edges: whitespace and a stray , ; or :
        return c.isspace() or c in ",;:"

    s, e = snap_to_words(text, start, end)
    assert 0 <= s <= e <= len(text)
    lo = max(0, min(start, len(text)))
    hi = max(lo, min(end, len(text)))
    while lo < hi and trimmed(text[lo]):
        lo += 1
    while hi > lo and trimmed(text[hi - 1]):
        hi -= 1
    if lo < hi:
        assert s <= lo and hi <= e
        assert not trimmed(text[s]) and not trimmed(text[e - 1])
    else:  # nothing but whitespace and , ; : was selected
        assert s == e


def test_snap_to_words_drops_a_stray_comma_semicolon_or_colon_at_the_edges():
    text = "said Alan Lomax, the collector; then: more"
    start = text.index("Lomax")
    assert snap_to_words(text, start, start + len("Lomax,")) == (start, start + len("Lomax"))
    assert snap_to_words(text, start - 1, start + len("Lomax, ")) == (start, start + len("Lomax"))
    colon = text.index(": more")
    assert snap_to_words(text, colon, len(text)) == (colon + 2, len(text))
    assert snap_to_words(text, text.index(";"), text.index(";") + 2) == (text.index(";") + 2,) * 2  # only ; and space
    assert snap_to_words("a, b", 0, 4) == (0, 4)  # inside the selection they stay


# --- sentences -----------------------------------------------------------------------------------------------


def _sentences(text):
    starts = sentence_starts(text, [(0, len(text))])
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def test_abbreviations_and_initials_do_not_split_sentences():
    text = (
        "Gov. Harriet Lomax visited in March. A U.S. Senate aide and Dr. Lena Horvat came too. "
        "J. R. Tully, of Acme Inc. Ltd., stayed home."
    )
    assert _sentences(text) == [
        "Gov. Harriet Lomax visited in March.",
        "A U.S. Senate aide and Dr. Lena Horvat came too.",
        "J. R. Tully, of Acme Inc. Ltd., stayed home.",
    ]


def test_question_exclamation_and_closing_quotes_end_sentences():
    text = "Is it safe? Yes! “We will not go back.” Varga said so. It rose 4.2% in 2014. Then it fell."
    assert _sentences(text) == [
        "Is it safe?",
        "Yes!",
        "“We will not go back.”",
        "Varga said so.",
        "It rose 4.2% in 2014.",
        "Then it fell.",
    ]


def test_lower_case_after_a_period_does_not_start_a_sentence():
    assert _sentences("Prices rose about 3 p.m. local time. Trade slowed.") == [
        "Prices rose about 3 p.m. local time.",
        "Trade slowed.",
    ]


def test_every_block_starts_a_sentence_and_offsets_are_absolute():
    text = "Headline here\n\nFirst one. Second one."
    blocks = [(0, 13), (15, len(text))]
    assert sentence_starts(text, blocks) == [0, 15, text.index("Second")]


def test_next_and_prev_offset():
    offsets = [0, 10, 20]
    assert next_offset(offsets, 0) == 10
    assert next_offset(offsets, 15) == 20
    assert next_offset(offsets, 20) is None
    assert prev_offset(offsets, 20) == 10
    assert prev_offset(offsets, 11) == 10
    assert prev_offset(offsets, 0) is None


# --- properties ----------------------------------------------------------------------------------------------

_PIECES = ["\x1b", "[", "]", "\x07", "\x9b", "\x9c", "\x9d", "\x90", "\\", "\r", "\n", "\u00a0", "\u2028"]
_PIECES += ["\x1b[31m", "\x1b]0;t\x07", "\x1bP", "\x1b\\", "\u202e", "\u200d", "\ufeff", "\u0301", "  "]
_NASTY = st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(_PIECES)), max_size=40).map("".join)


@settings(max_examples=200)
@given(_NASTY)
def test_clean_text_output_is_terminal_safe_and_idempotent(raw):
    cleaned = clean_text(raw)
    assert "\x1b" not in cleaned
    assert all(unicodedata.category(c) != "Cc" for c in cleaned if c != "\n")
    assert clean_text(cleaned) == cleaned


@settings(max_examples=200)
@given(_NASTY)
def test_clean_line_is_one_safe_line(raw):
    line = clean_line(raw)
    assert "\n" not in line and "\x1b" not in line
    assert all(unicodedata.category(c) != "Cc" for c in line)
    assert line == line.strip() and "  " not in line
    assert clean_line(line) == line
