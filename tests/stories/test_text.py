"""Text rules: terminal-safe normalisation, search folding, word motions, sentence boundaries."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stories.quotations import quotation_span, quote_pairs
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
    sentence_span,
    sentence_starts,
    snap_to_words,
    widen_to_words,
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


def test_a_contraction_before_the_full_stop_is_no_initial():
    assert _sentences("We didn’t. They did. It isn't. Done.") == ["We didn’t.", "They did.", "It isn't.", "Done."]


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


# --- smart selection: whole words, sentences, quotations ----------------------------------------------------


def test_widen_to_words_widens_both_ends_and_trims_nothing():
    text = "the Foreign Ministry, said: “no”"
    start = text.index("reign")
    assert widen_to_words(text, start, start + 9) == (4, 20)  # "reign Min" -> "Foreign Ministry"
    assert widen_to_words(text, 3, 12) == (3, 12)  # nothing cut: the spaces stay
    comma = text.index(",")
    assert widen_to_words(text, comma - 2, comma + 1) == (text.index("Ministry"), comma + 1)  # the comma stays
    assert widen_to_words(text, text.index("no") + 1, text.index("no") + 2) == (text.index("no"), text.index("no") + 2)
    assert widen_to_words(text, -3, 999) == (0, len(text))


@settings(max_examples=200)
@given(st.text(alphabet="ab1 ,.’'é\u0301", max_size=40), st.integers(-3, 45), st.integers(-3, 45))
def test_widen_to_words_cuts_no_word_and_keeps_the_selection(text, start, end):
    s, e = widen_to_words(text, start, end)
    lo = max(0, min(start, len(text)))
    hi = max(lo, min(end, len(text)))
    assert 0 <= s <= lo <= hi <= e <= len(text)
    if s < e:
        assert s == 0 or not (is_word_char(text[s - 1]) and is_word_char(text[s]))
        assert e == len(text) or not (is_word_char(text[e - 1]) and is_word_char(text[e]))
    assert all(is_word_char(c) for c in text[s:lo] + text[hi:e])  # only word characters are added
    assert widen_to_words(text, s, e) == (s, e)


STORY_TEXT = (
    "Harbour vote delayed\n\n"
    "NORDVIK, May 2 (Reuters) - The board met. Dr. Ellen Voss said: “We will not go back.” Trade slowed.  \n\n"
    "Is it safe? Yes!"
)
STORY_BLOCKS = [(0, 20), (22, STORY_TEXT.index("  \n")), (STORY_TEXT.index("Is it"), len(STORY_TEXT))]


def _sentence(pos_text: str, selection: tuple[int, int] | None = None) -> str:
    starts = sentence_starts(STORY_TEXT, STORY_BLOCKS)
    s, e = sentence_span(STORY_TEXT, starts, *(selection or (STORY_TEXT.index(pos_text),)))
    return STORY_TEXT[s:e]


def test_sentence_span_runs_from_its_start_to_its_end_punctuation():
    assert _sentence("board") == "NORDVIK, May 2 (Reuters) - The board met."
    assert _sentence("Voss") == "Dr. Ellen Voss said: “We will not go back.”"  # closing quote included
    assert _sentence("slowed") == "Trade slowed."  # trailing spaces left out
    assert _sentence("vote") == "Harbour vote delayed"  # no end punctuation: the line's end
    assert _sentence("safe") == "Is it safe?"
    assert _sentence("Yes") == "Yes!"


def test_sentence_span_of_a_selection_covers_whole_sentences_then_adds_the_next():
    cut = (STORY_TEXT.index("met."), STORY_TEXT.index("Ellen") + 2)
    assert _sentence("", cut) == "NORDVIK, May 2 (Reuters) - The board met. Dr. Ellen Voss said: “We will not go back.”"
    whole = STORY_TEXT.index("Dr."), STORY_TEXT.index("Trade") - 1
    assert _sentence("", whole) == "Dr. Ellen Voss said: “We will not go back.” Trade slowed."
    last = STORY_TEXT.index("Yes"), len(STORY_TEXT)
    assert _sentence("", last) == "Yes!"  # nothing after the last sentence: it stays


_SENTENCE_WORDS = st.sampled_from(["Voss", "said", "it", "Dr.", "U.S.", "4.2%", "“Go.”", "'no'", "(AP)", "—"])
_SENTENCE_ENDS = st.sampled_from([".", "?", "!", ".”", "…", ""])
_SENTENCE = st.tuples(st.lists(_SENTENCE_WORDS, min_size=1, max_size=6), _SENTENCE_ENDS).map(
    lambda t: " ".join(t[0]) + t[1]
)
_PARAGRAPHS = st.lists(st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=3)


@settings(max_examples=200)
@given(_PARAGRAPHS, st.data())
def test_sentence_span_contains_the_cursor_and_starts_and_ends_on_text(paragraphs, data):
    text = "\n\n".join(paragraphs)
    blocks, offset = [], 0
    for paragraph in paragraphs:
        blocks.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    starts = sentence_starts(text, blocks)
    pos = data.draw(st.integers(0, len(text) - 1))
    s, e = sentence_span(text, starts, pos)
    assert 0 <= s < e <= len(text)
    assert s in starts
    assert not text[s].isspace() and not text[e - 1].isspace()
    assert "\n" not in text[s:e]
    if not text[pos].isspace():
        assert s <= pos < e
    s2, e2 = sentence_span(text, starts, s, e)  # again: the same start, never shorter
    assert s2 == s and e2 >= e


QUOTES = (
    "“We will not go back,” Voss said of Russia’s offer. “They told us ‘no deal’, and don't think\n\n"
    "“we have forgotten.” The islanders’ vote was 'close', \"too close\" said Ek.\n\n"
    "“It was unclosed\n\n"
    "Then «nous» and „wir“ spoke; the ’90s and rock ’n’ roll came."
)


def _quote(at: str, selection: tuple[int, int] | None = None) -> str | None:
    span = quotation_span(QUOTES, *(selection or (QUOTES.index(at), None)))
    return None if span is None else QUOTES[span[0] : span[1]]


def test_quotation_span_selects_the_words_inside_the_innermost_quotation():
    assert _quote("will") == "We will not go back"  # the comma is not the speaker's: a tag would drop it
    assert _quote("deal") == "no deal"
    assert _quote("close'") == "close"
    assert _quote("too") == "too close"
    assert _quote("nous") == "nous"
    assert _quote("wir") == "wir"
    assert _quote("“We") == "We will not go back"  # on an opening mark: the words inside it


def test_apostrophes_are_not_quotation_marks():
    assert _quote("Russia’s") is None  # between two quotations: Russia’s is no mark
    assert _quote("islanders’") is None  # a plural possessive closes nothing
    assert _quote("’90s") is None and _quote("’n’") is None
    marks = {QUOTES[i] for pair in quote_pairs(QUOTES) for i in pair}
    assert marks <= set("“”‘’'\"«»„")
    apostrophes = [QUOTES.index(w) + k for w, k in [("Russia’s", 6), ("don't", 3), ("islanders’", 9), ("’90s", 0)]]
    assert not {i for pair in quote_pairs(QUOTES) for i in pair} & set(apostrophes)


def test_a_quotation_goes_on_into_a_paragraph_that_opens_with_a_quote_mark():
    inner = _quote("forgotten")
    assert inner == "They told us ‘no deal’, and don't think\n\n“we have forgotten"
    assert _quote("They") == inner
    assert _quote("It was") is None  # unclosed, and the next paragraph opens with no mark: no quotation


def test_pressing_again_widens_to_the_marks_then_to_the_enclosing_quotation():
    steps, span = [], quotation_span(QUOTES, QUOTES.index("deal"))
    while span is not None:
        steps.append(QUOTES[span[0] : span[1]])
        span = quotation_span(QUOTES, *span)
    assert steps == [
        "no deal",
        "‘no deal’",
        "They told us ‘no deal’, and don't think\n\n“we have forgotten",
        "“They told us ‘no deal’, and don't think\n\n“we have forgotten.”",
    ]
    one_char = QUOTES.index("ill")
    assert _quote("", (one_char, one_char + 1)) == "We will not go back"  # a selection inside: its words


@pytest.mark.parametrize(
    ("text", "drop", "keep"),
    [
        ("“We listened,” Voss said.", "We listened", "We listened,"),
        ("Voss said: “We listened.”", "We listened", "We listened."),
        ("“Will they come?” Ek asked.", "Will they come", "Will they come?"),
        ("He said “we will see…”", "we will see", "we will see…"),
        ("He said “we will see...”", "we will see", "we will see..."),
        ("“Talks with the U.S.” stalled.", "Talks with the U.S.", "Talks with the U.S."),
        ("“Talks with the U.S.,” he said.", "Talks with the U.S.", "Talks with the U.S.,"),
        ("“We said no.” Ek left.", "We said no", "We said no."),
        ("“And we didn’t.” Ek left.", "And we didn’t", "And we didn’t."),
        ("“Ask J.” Ek said.", "Ask J.", "Ask J."),
        ("“ Spaced , ” she said.", "Spaced", "Spaced ,"),
    ],
)
def test_one_rule_for_the_punctuation_a_quotation_ends_with(text: str, drop: str, keep: str) -> None:
    """A comma and a full stop before the closing mark go (or stay) alike: `quote_punctuation` in the config."""
    at = text.index("“") + 2
    for mode, words in (("drop", drop), ("keep", keep)):
        span = quotation_span(text, at, punctuation=mode)
        assert span is not None and text[span[0] : span[1]] == words, mode
        wider = quotation_span(text, *span, punctuation=mode)
        assert wider is not None and text[wider[0]] == "“" and text[wider[1] - 1] == "”"  # then with its marks
    assert quotation_span(text, at) == quotation_span(text, at, punctuation="drop")  # the default
    with pytest.raises(ValueError, match="drop"):
        quotation_span(text, at, punctuation="strip")


_QUOTE_ALPHABET = st.sampled_from([*"ab ’'‘“”\"«».,", "\n\n", "’s ", "don't"])


@settings(max_examples=300)
@given(st.lists(_QUOTE_ALPHABET, max_size=40).map("".join), st.data())
def test_quote_pairs_are_marks_of_one_kind_nested_or_apart(text, data):
    pairs = quote_pairs(text)
    kind = {c: '"' for c in '"“”«»„'} | {c: "'" for c in "'‘’‚"}
    used = [i for pair in pairs for i in pair]
    assert len(used) == len(set(used))
    for opening, closing in pairs:
        assert 0 <= opening < closing < len(text)
        assert kind.get(text[opening]) is not None and kind[text[opening]] == kind.get(text[closing])
        for c in (opening, closing):
            assert not (
                kind[text[c]] == "'"
                and is_word_char(text[c - 1] if c else " ")
                and is_word_char(text[c + 1] if c + 1 < len(text) else " ")
            )  # never an apostrophe inside a word
    for (a, b), (c, d) in itertools.combinations(pairs, 2):
        assert b < c or d < a or (a < c and d < b) or (c < a and b < d)  # nested or apart, never crossing
    if text:
        pos = data.draw(st.integers(0, len(text) - 1))
        span = quotation_span(text, pos, pairs=pairs)
        if span is not None:
            s, e = span
            assert 0 <= s < e <= len(text)
            assert any(o <= pos <= c and o <= s < e <= c + 1 for o, c in pairs)  # the cursor is in that quotation
            assert (s, e) in [(o, c + 1) for o, c in pairs] or not (text[s].isspace() or text[e - 1].isspace())
            wider = quotation_span(text, s, e, pairs=pairs)
            assert wider is None or (wider[0] <= s and e <= wider[1] and wider != (s, e))


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


@settings(max_examples=300)
@given(_NASTY)
def test_clean_line_fast_path_agrees_with_cleaning(raw):
    assert clean_line(raw) == " ".join(clean_text(raw).split())
