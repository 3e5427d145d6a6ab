"""The quote, speaker and claim finders on hostile story text: odd or unbalanced marks, endless names, cue words
everywhere, huge input. They never raise, and every suggestion's span is its exact text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.registry import Registry
from annotations.suggest import suggest
from annotations.suggest.scan import fast_quote_pairs
from stories.model import Story, StoryBuilder, StoryMeta
from stories.quotations import quote_pairs
from stories.text import clean_text

PIECES = [
    '"', "“", "”", "„", "«", "»", "'", "‘", "’", "‹", "›", ",", ".", ":", " ", " ", " ", "\n", "\n\n", "said", "says",
    "told reporters", "according to", "he", "she", "the ministry", "Minister", "Ivo", "Maric", "of", "that", "accused",
    "—", "-", "U.S.", "K.", "official", "statement", "in a statement", "on Monday", "Russia's", "é", "ß", "İ",
]  # fmt: skip


def story_of(text: str) -> Story | None:
    text = clean_text(text)
    builder = StoryBuilder()
    for para in text.split("\n\n"):
        if para.strip():
            builder.add("paragraph", para.strip())
    if not len(builder):
        return None
    return builder.build(StoryMeta(headline="Hostile"))


def check(text: str) -> None:
    story = story_of(text)
    if story is None:
        return
    for s in suggest(story, Registry([])):
        assert story.text[s.start : s.end] == s.exact
        assert 0 <= s.score <= 1
        if s.speaker_start is not None and s.speaker_end is not None:
            assert 0 <= s.speaker_start <= s.speaker_end <= len(story.text)


@given(st.lists(st.sampled_from(PIECES), max_size=80))
def test_any_mix_of_marks_names_and_cues_never_raises(pieces: list[str]) -> None:
    check("".join(pieces))


@given(st.text(max_size=300))
def test_any_text_never_raises(text: str) -> None:
    check(text)


@given(st.lists(st.sampled_from([*PIECES, "x", "Yy", "\n"]), max_size=120))
def test_reading_only_the_marks_pairs_them_as_the_reader_does(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert fast_quote_pairs(text) == quote_pairs(text)


@pytest.mark.parametrize(
    "text",
    [
        "“" * 5000,
        "”" * 5000 + " said Ivo Maric.",
        "'" * 5000,
        "Russia's " * 3000,
        "Minister " * 3000 + "Ivo Maric said the talks had failed.",
        ("A " * 3000) + "said",
        "said " * 3000,
        "according to " * 2000,
        '"We will," he said, "' * 1000,
        "«" + "deep «nest " * 500 + "»" * 500,
        '"Open.\n\n"' * 2000,
        "the ministry said that " * 2000,
    ],
    ids=lambda t: repr(t[:20]),
)
def test_pathological_input(text: str) -> None:
    check(text)


def test_one_endless_sentence_of_cues_is_not_read_for_claims_over_and_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each cue reports the rest of the sentence: read for claims each time, the text cost the square of its
    length (24 s for 46,000 characters). A span longer than any wire sentence is not read for one."""
    import annotations.suggest.claims as claims
    from annotations.suggest.claim_text import MAX_CLAIM_CHARS

    read: list[int] = []
    clauses = claims.clauses

    def counted(text: str, start: int, end: int) -> list[tuple[int, int]]:
        read.append(end - start)
        return clauses(text, start, end)

    monkeypatch.setattr(claims, "clauses", counted)
    check("the ministry said that " * 300)
    assert read and max(read) <= MAX_CLAIM_CHARS
