"""Bidi controls and invisible characters (issue 11 §2): dropped by the one cleaning function wherever they
stand; zero-width (non-)joiners kept only where a script or an emoji sequence needs them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stories.text import clean_line, clean_text

#: Every character the cleaning must drop wherever it stands: bidi embeddings, overrides and isolates, and the
#: invisible format characters that hide or spoof text (tag characters included).
FORBIDDEN = [
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x200B,
    *range(0x2060, 0x2065),
    *range(0x206A, 0x2070),
    0xFEFF,
    0x061C,
    0x180E,
    0x034F,
    0x3164,
    *range(0xFFF9, 0xFFFC),
    *range(0xE0000, 0xE0080),
]
FORBIDDEN_CHARS = "".join(chr(c) for c in FORBIDDEN)


@pytest.mark.parametrize("code", FORBIDDEN, ids=lambda c: f"U+{c:04X}")
def test_each_bidi_control_and_invisible_character_is_dropped(code):
    raw = f"Mal{chr(code)}lory said{chr(code)} so"
    assert clean_text(raw) == "Mallory said so"
    assert clean_line(raw) == "Mallory said so"


def test_a_spoofed_file_name_loses_its_override():
    assert clean_line("invoice\u202excod.exe") == "invoicexcod.exe"
    assert clean_line("\U000e0041\U000e0042hidden tags\U000e007f") == "hidden tags"


@pytest.mark.parametrize(
    "word",
    [
        "می\u200cخواهم",  # Persian: ZWNJ between the parts of a verb
        "ب\u200dب",  # Arabic: ZWJ forcing a joined form
        "क्\u200dष",  # Devanagari: ZWJ after a virama
        "ক্\u200cষ",  # Bengali: ZWNJ after a virama
        "ശ്\u200dരീ",  # Malayalam chillu
        "👩\u200d🔬",  # emoji ZWJ sequence
        "👨\u200d👩\u200d👧",
        "🏳\ufe0f\u200d🌈",  # after a variation selector
        "👍🏽\u200d♂",  # after a skin tone modifier
    ],
)
def test_joiners_are_kept_where_a_script_or_an_emoji_needs_them(word):
    raw = f"said {word} today"
    assert clean_text(raw) == raw
    assert clean_line(raw) == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mal\u200dlory", "Mallory"),  # inside a Latin word: nothing to join
        ("Mal\u200clory", "Mallory"),
        ("\u200dstart", "start"),
        ("end\u200c", "end"),
        ("a \u200d b", "a b"),
        ("ب\u200d b", "ب b"),  # Arabic on one side only
        ("👩\u200d", "👩"),  # an emoji with nothing after
        ("x\u200d🔬", "x🔬"),
        ("مرحبا\u200d\u200c", "مرحبا"),
    ],
)
def test_joiners_are_dropped_elsewhere(raw, expected):
    assert clean_text(raw) == expected
    assert clean_line(raw) == expected


def test_forbidden_characters_are_dropped_from_ascii_only_fast_paths_too():
    """clean_line's shortcut for printable text must not let printable invisibles through (U+3164, U+034F)."""
    assert clean_line("Hangul\u3164filler") == "Hangulfiller"
    assert clean_line("grapheme\u034fjoiner") == "graphemejoiner"


_INVISIBLE_HEAVY = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from([*FORBIDDEN_CHARS, "\u200c", "\u200d", "\ufe0f", "ب", "क", "्", "👩", "🔬", " ", "\n", "a"]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300)
@given(_INVISIBLE_HEAVY)
def test_no_forbidden_character_survives_and_cleaning_is_idempotent(raw):
    for cleaned in (clean_text(raw), clean_line(raw)):
        assert not set(cleaned) & set(FORBIDDEN_CHARS)
        for i, ch in enumerate(cleaned):
            if ch in "\u200c\u200d":  # a joiner left stands between two characters that can use it
                assert 0 < i < len(cleaned) - 1 and not cleaned[i - 1].isspace() and not cleaned[i + 1].isspace()
    assert clean_text(clean_text(raw)) == clean_text(raw)
    assert clean_line(clean_line(raw)) == clean_line(raw)
    assert clean_line(raw) == " ".join(clean_text(raw).split())
