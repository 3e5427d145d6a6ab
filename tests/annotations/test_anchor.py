"""Anchoring: selections and exact text become valid spans, and an annotation always slices its exact text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchor import locate, occurrences, snap, tag
from annotations.model import CONTEXT, AnnotationError
from stories.model import Story, StoryBuilder, StoryMeta
from stories.text import is_word_char

PARAGRAPHS = (
    "SÃO PAULO, May 2 (Reuters) - Brazil’s port workers ended a nine-day strike on Friday, "
    "union leader João Ferreira said, after the state operator offered a 6.5% raise.",
    "“We won what we came for,” Ferreira told reporters outside the Santos terminal. "
    "“The ships can sail again — but we will be watching.”",
    'The operator said the deal was "fair to everyone" and that the strike cost about 40 million reais a day; '
    "analysts at Itaú put the figure closer to 55 million.",
    "Ferreira said the union would strike again if the raise was not paid by June. "
    "The operator said it would pay the raise in June.",
)
HEADLINE = "Brazil port strike ends with 6.5% raise, union says"


def build(headline: str, *paragraphs: str) -> Story:
    builder = StoryBuilder()
    builder.add("headline", headline)
    for text in paragraphs:
        builder.add("paragraph", text)
    return builder.build(StoryMeta(headline="", agency="Reuters"))


STORY = build(HEADLINE, *PARAGRAPHS)
TEXT = STORY.text


def span_of(exact: str, occurrence: int = 1) -> tuple[int, int]:
    i = -1
    for _ in range(occurrence):
        i = TEXT.index(exact, i + 1)
    return i, i + len(exact)


# --- snap ---------------------------------------------------------------------------------------------------


def test_snap_widens_to_whole_words() -> None:
    s, e = span_of("Ferreira told reporters")
    a, b = snap(STORY, s + 3, e - 4)
    assert (a, b) == (s, e)
    assert TEXT[a:b] == "Ferreira told reporters"


def test_snap_trims_spaces_around_the_selection() -> None:
    s, e = span_of("told")
    assert snap(STORY, s - 1, e + 1) == (s, e)
    assert TEXT[s - 1] == " " and TEXT[e] == " "


def test_snap_keeps_punctuation_selected_at_the_edges() -> None:
    s, e = span_of("“We won what we came for,”")
    assert snap(STORY, s, e) == (s, e)
    # starting inside a word after the opening quote widens only to the word, not to the quote
    assert snap(STORY, s + 2, e) == (s + 1, e)


def test_snap_drops_stray_clause_punctuation_at_the_edges() -> None:
    s, e = span_of("union leader João Ferreira")
    assert TEXT[s - 2 : e + 1] == ", union leader João Ferreira "
    assert snap(STORY, s - 2, e + 1) == (s, e)
    s, e = span_of("came for,")
    assert snap(STORY, s, e) == (s, e - 1)
    comma = TEXT.index(",")
    with pytest.raises(AnnotationError):
        snap(STORY, comma, comma + 2)  # ", " alone holds no text


def test_snap_handles_accented_words() -> None:
    s, e = span_of("João")
    assert snap(STORY, s + 2, s + 3) == (s, e)


def test_snap_across_a_paragraph_break() -> None:
    s = TEXT.index("raise.") + 3
    e = TEXT.index("We won") + 1
    a, b = snap(STORY, s, e)
    assert TEXT[a:b].startswith("raise.") and TEXT[a:b].endswith("“We")


@pytest.mark.parametrize("gap", [" told", "\n\n“We won"])
def test_snap_refuses_a_whitespace_only_selection(gap: str) -> None:
    blank = gap[: len(gap) - len(gap.lstrip())]
    i = TEXT.index(gap)
    with pytest.raises(AnnotationError, match="no text"):
        snap(STORY, i, i + len(blank))


def test_snap_refuses_an_empty_selection() -> None:
    with pytest.raises(AnnotationError):
        snap(STORY, 10, 10)


def test_snap_clamps_a_selection_past_the_end() -> None:
    s, e = snap(STORY, len(TEXT) - 3, len(TEXT) + 50)
    assert e == len(TEXT) and TEXT[s:e] == "June."[-(e - s) :]


# --- locate -------------------------------------------------------------------------------------------------


def test_locate_exact_text() -> None:
    assert locate(STORY, "union leader João Ferreira") == span_of("union leader João Ferreira")


def test_locate_nth_occurrence() -> None:
    first, second = span_of("the raise"), span_of("the raise", 2)
    assert first != second
    assert locate(STORY, "the raise") == first
    assert locate(STORY, "the raise", occurrence=2) == second


def test_locate_occurrence_beyond_the_count() -> None:
    count = TEXT.count("the raise")
    with pytest.raises(AnnotationError, match=f"occurs {count} time") as err:
        locate(STORY, "the raise", occurrence=count + 1)
    assert STORY.short_id in str(err.value)


def test_locate_occurrence_counts_from_one() -> None:
    with pytest.raises(AnnotationError, match="from 1"):
        locate(STORY, "the raise", occurrence=0)


def test_straight_quotes_find_curly_ones() -> None:
    s, e = locate(STORY, '"We won what we came for," Ferreira told')
    assert TEXT[s:e] == "“We won what we came for,” Ferreira told"
    s, e = locate(STORY, "Brazil's port workers")
    assert TEXT[s:e] == "Brazil’s port workers"


def test_curly_quotes_find_straight_ones_and_hyphens_find_dashes() -> None:
    s, e = locate(STORY, "was “fair to everyone”")
    assert TEXT[s:e] == 'was "fair to everyone"'
    s, e = locate(STORY, "sail again - but")
    assert TEXT[s:e] == "sail again — but"


def test_locate_collapses_spaces_in_the_query() -> None:
    assert locate(STORY, "  union   leader\n João  ") == span_of("union leader João")


def test_not_found_gives_a_hint_when_only_case_differs() -> None:
    with pytest.raises(AnnotationError) as err:
        locate(STORY, "UNION LEADER joão")
    message = str(err.value)
    assert "not found" in message and STORY.short_id in message
    assert 'did you mean "union leader João"' in message
    assert "\n" not in message


def test_not_found_without_a_near_miss() -> None:
    with pytest.raises(AnnotationError, match="not found") as err:
        locate(STORY, "the minister resigned")
    assert "did you mean" not in str(err.value)


def test_locate_refuses_empty_text() -> None:
    with pytest.raises(AnnotationError, match="no text"):
        locate(STORY, " \n ")


# --- tag ----------------------------------------------------------------------------------------------------


def test_tag_makes_an_annotation_of_the_snapped_selection() -> None:
    s, e = span_of("João Ferreira")
    ann = tag(STORY, "actor", s + 1, e - 2, note="union leader", annotator="ana")
    assert (ann.start, ann.end, ann.exact) == (s, e, "João Ferreira")
    assert (ann.kind, ann.note, ann.annotator, ann.story_id) == ("actor", "union leader", "ana", STORY.id)
    assert ann.prefix == TEXT[s - CONTEXT : s] and ann.suffix == TEXT[e : e + CONTEXT]
    assert ann.created == ann.modified and ann.created.endswith("Z")
    assert ann.matches(TEXT)


def test_tag_near_the_edges_keeps_short_context() -> None:
    head = tag(STORY, "claim", 0, 3)
    assert head.exact == "Brazil" and head.prefix == ""
    tail = tag(STORY, "claim", len(TEXT) - 2, len(TEXT))
    assert tail.exact == "June." and tail.suffix == ""


def test_tag_refuses_unknown_kind_and_blank_selection() -> None:
    with pytest.raises(AnnotationError, match="unknown kind"):
        tag(STORY, "rumour", 0, 6)
    gap = TEXT.index("\n\n")
    with pytest.raises(AnnotationError):
        tag(STORY, "quote", gap, gap + 2)


def test_each_tag_gets_its_own_id() -> None:
    assert tag(STORY, "quote", 0, 6).id != tag(STORY, "quote", 0, 6).id


# --- the invariant, over random selections ---------------------------------------------------------------------

#: What a selection sheds at its edges: spaces and line breaks, and stray clause punctuation.
EDGES = " \n,;:"


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(TEXT)), st.integers(0, len(TEXT)), st.sampled_from(["quote", "actor", "claim"]))
def test_any_selection_tags_exactly_what_the_text_holds(a: int, b: int, kind: str) -> None:
    start, end = min(a, b), max(a, b)
    selected = TEXT[start:end]
    core = selected.strip(EDGES)
    if not core:
        with pytest.raises(AnnotationError):
            tag(STORY, kind, start, end)
        return
    ann = tag(STORY, kind, start, end)
    assert TEXT[ann.start : ann.end] == ann.exact
    assert ann.exact == ann.exact.strip(EDGES) and ann.exact
    # the span holds all that was selected but spaces and stray , ; : at its edges, widened to whole words
    assert ann.start <= start + (len(selected) - len(selected.lstrip(EDGES)))
    assert ann.end >= end - (len(selected) - len(selected.rstrip(EDGES)))
    assert core in ann.exact
    assert ann.start == 0 or not (is_word_char(TEXT[ann.start]) and is_word_char(TEXT[ann.start - 1]))
    assert ann.end == len(TEXT) or not (is_word_char(TEXT[ann.end - 1]) and is_word_char(TEXT[ann.end]))
    # context: up to CONTEXT characters on each side, exactly what surrounds the span
    assert len(ann.prefix) <= CONTEXT and len(ann.suffix) <= CONTEXT
    assert ann.prefix == TEXT[max(0, ann.start - CONTEXT) : ann.start]
    assert ann.suffix == TEXT[ann.end : ann.end + CONTEXT]
    assert TEXT[ann.start - len(ann.prefix) : ann.end + len(ann.suffix)] == ann.prefix + ann.exact + ann.suffix


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(TEXT) - 1), st.integers(1, 80))
def test_any_piece_of_the_text_is_located(start: int, length: int) -> None:
    needle = TEXT[start : start + length]
    if not needle.strip() or needle != " ".join(needle.split()):
        return  # locate collapses spaces, so only pieces without runs of spaces or line breaks are exact
    s, e = locate(STORY, needle)
    assert TEXT[s:e] == needle
    raw = [i for i in range(len(TEXT)) if TEXT.startswith(needle, i)]

    def whole(i: int) -> bool:
        end = i + len(needle)
        cut_start = i > 0 and is_word_char(TEXT[i - 1]) and is_word_char(TEXT[i])
        cut_end = end < len(TEXT) and is_word_char(TEXT[end - 1]) and is_word_char(TEXT[end])
        return not (cut_start or cut_end)

    found = [i for i in raw if whole(i)] or raw  # whole-word appearances first, else any
    assert s == found[0]
    if start in found:
        assert locate(STORY, needle, found.index(start) + 1) == (start, start + len(needle))


def test_exact_text_is_found_as_whole_words_before_inside_a_word() -> None:
    """`annotate --text Russia` tags the word Russia, not the start of "Russian" that comes first."""
    story = build("Russian diplomats met. Russia said so. Russians agreed.")
    assert story.text[slice(*locate(story, "Russia"))] == "Russia"
    assert locate(story, "Russia")[0] == story.text.index("Russia said")
    assert occurrences(story, "Russia") == 1
    assert locate(story, "Russian")[0] == 0  # a whole word at the start of the text
    inside = build("The Kremlin-backed Russians met.")
    assert inside.text[slice(*locate(inside, "Russia"))] == "Russia"  # only inside a word: that is what is there
