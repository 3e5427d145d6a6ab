"""The quote finder over the development fixtures (tests/fixtures/suggest/q-*.txt) and on its own cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.registry import Registry
from annotations.suggest import suggest
from annotations.suggest.context import Context
from annotations.suggest.quotes import find_quotes
from tests.annotations.suggest.suggest_support import fixtures, load_fixture, quotes_of, run, story_of

FIXTURES = fixtures()


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 25


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_direct_and_partial_quotes_are_exactly_the_expected_ones(path: Path) -> None:
    story, expected = load_fixture(path)
    found = [q for q in quotes_of(run(story)) if q.form in ("direct", "partial") and q.score >= 0.5]
    want = [e for e in expected if e.form in ("direct", "partial")]
    got = sorted((q.form, q.exact, q.speaker) for q in found)
    assert len(found) == len(want), got
    for e in want:
        match = [q for q in found if q.exact.startswith(e.prefix) and q.form == e.form]
        assert match, f"no {e.form} quote {e.prefix!r} in {got}"
        assert match[0].speaker == e.who, got
        assert story.text[match[0].start : match[0].end] == match[0].exact


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_indirect_quotes_are_found_with_their_speaker(path: Path) -> None:
    story, expected = load_fixture(path)
    found = quotes_of(run(story), "indirect")
    for e in (e for e in expected if e.form == "indirect"):
        match = [q for q in found if q.exact.startswith(e.prefix)]
        assert match, f"no indirect quote {e.prefix!r} in {[q.exact for q in found]}"
        assert match[0].speaker == e.who
        assert not match[0].exact.endswith((".", ",")), "no final full stop in an indirect span"


def test_direct_span_follows_the_readers_rule_marks_and_closing_punctuation_dropped() -> None:
    story = story_of('"We are ready to talk, but not to surrender," Ivo Maric said.')
    (quote,) = quotes_of(run(story), "direct")
    assert quote.exact == "We are ready to talk, but not to surrender"
    assert (quote.speaker, quote.cue, quote.form) == ("Ivo Maric", "said", "direct")
    assert story.text[quote.speaker_start : quote.speaker_end] == "Ivo Maric"  # type: ignore[index]  # ints here
    assert story.text[quote.cue_start : quote.cue_end] == "said"  # type: ignore[index]  # ints here
    assert quote.score >= 0.9


def test_a_multi_paragraph_quotation_is_one_span() -> None:
    story = story_of('"First part of it.', '"Second part of it," said Mayor Ana Diaz.')
    (quote,) = quotes_of(run(story), "direct")
    assert quote.exact.startswith("First part") and quote.exact.endswith("Second part of it")
    assert quote.speaker == "Ana Diaz"


def test_told_reporters_is_the_cue() -> None:
    story = story_of('"It is over," Foreign Minister Ana Diaz told reporters in Lisbon.')
    (quote,) = quotes_of(run(story), "direct")
    assert quote.cue == "told reporters"


def test_unattributed_marks_score_low_or_are_not_suggested() -> None:
    story = story_of(
        'The report, titled "A Long Road Home for the Displaced Families of the North", came out on Monday.',
        'The "reform" was passed.',
    )
    quotes = quotes_of(run(story))
    assert all(q.score < 0.5 for q in quotes)
    assert not any(q.exact == "reform" for q in quotes)


def test_a_quote_with_no_confident_speaker_says_so() -> None:
    story = story_of('"Everything is on the table," the source said.')
    (quote,) = quotes_of(run(story), "direct")
    assert quote.speaker == "" and quote.speaker_id is None
    assert quote.score < 0.9


def test_speakers_match_registry_entries_by_name_and_alias() -> None:
    from annotations.actors import Actor

    peskov = Actor.new("Dmitry Peskov", "person", aliases=("Dmitri Peskov",))
    story = story_of('"No comment," Dmitri Peskov said.', '"None at all," Peskov added.')
    quotes = quotes_of(suggest(story, Registry([peskov])), "direct")
    assert [q.speaker_id for q in quotes] == [peskov.id, peskov.id]
    assert quotes[0].speaker_type == "person"


def test_mentions_give_the_speaker_type_and_entry() -> None:
    from annotations.suggest.model import Suggestion

    story = story_of('"We deny it," the Kremlin said.')
    start = story.text.index("Kremlin")
    mention = Suggestion(
        "actor", start, start + 7, "Kremlin", 0.9, actor="Russia", actor_id="ru-id", actor_type="government"
    )
    (quote,) = find_quotes(Context(story, Registry([])), [mention])
    assert (quote.speaker, quote.speaker_id, quote.speaker_type) == ("Russia", "ru-id", "government")


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", '"', "“”", "‘", '""""""', "«»„“", "said said said", "according to", '"a," said.', "x" * 10_000],
)
def test_odd_text_never_raises(text: str) -> None:
    ctx = Context.__new__(Context)
    ctx.text, ctx.paragraphs, ctx.sentence_starts, ctx.memo = text, ((0, len(text)),), [0], {}
    ctx.registry = Registry([])
    assert isinstance(find_quotes(ctx, []), list)


ANADOLU = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "aa-russia-venezuela-strikes.txt"


@pytest.mark.skipif(not ANADOLU.exists(), reason="the shared corpus is absent")
def test_anadolu_story_every_direct_quote_with_the_right_speaker() -> None:
    from stories.loader import load_path
    from stories.quotations import quote_pairs

    (story,) = load_path(ANADOLU)
    quotes = [q for q in quotes_of(run(story)) if q.form in ("direct", "partial")]
    outer = [p for p in quote_pairs(story.text) if not any(o < p[0] and p[1] < c for o, c in quote_pairs(story.text))]
    assert len(quotes) == len(outer)  # every quotation in the story, none twice
    speakers = {q.speaker for q in quotes}
    assert speakers <= {"Russia", "Foreign Ministry", "Donald Trump", "Delcy Rodriguez", "Konstantin Kosachev",
                        "Russian Embassy in Caracas"}  # fmt: skip
    by_start = {" ".join(q.exact.split()[:2]): q.speaker for q in quotes}
    assert by_start["This morning,"] == "Foreign Ministry"
    assert by_start["Such actions,"] == "Foreign Ministry"
    assert by_start["large scale"] == "Donald Trump"
    assert by_start["captured and"] == "Donald Trump"
    assert by_start["unaware"] == "Delcy Rodriguez"
    assert by_start["proof of"] == "Delcy Rodriguez"
    assert by_start["no substantive"] == "Konstantin Kosachev"
    assert by_start["global majority"] == "Konstantin Kosachev"
    assert by_start["not damaged"] == "Russian Embassy in Caracas"
    assert all(q.speaker for q in quotes)
