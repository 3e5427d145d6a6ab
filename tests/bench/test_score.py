"""The suggester's scorer (bench/suggest/score.py): span matching, per-kind counts, speaker/type/claimant accuracy."""

from __future__ import annotations

from types import ModuleType

import pytest

from annotations.suggest.model import Suggestion
from tests.bench.support import bench_module


@pytest.fixture(scope="module")
def score() -> ModuleType:
    return bench_module("score")


def _gold(score: ModuleType, *items: object) -> object:
    return score.GoldStory("s" * 64, "001-test.txt", "", list(items))


def test_exact_matching_needs_the_same_span_and_overlap_half_the_longer_one(score: ModuleType) -> None:
    Item = score.Item
    gold = [Item("quote", 0, 100)]
    assert score.match(gold, [Item("quote", 0, 100)], "exact")
    assert not score.match(gold, [Item("quote", 0, 99)], "exact")
    assert score.match(gold, [Item("quote", 0, 99)], "overlap")
    assert score.match(gold, [Item("quote", 50, 120)], "overlap")  # 50 of the longer 100: exactly half
    assert not score.match(gold, [Item("quote", 51, 120)], "overlap")  # 49 of 100
    assert not score.match(gold, [Item("quote", 0, 201)], "overlap")  # 100 of the longer 201
    with pytest.raises(ValueError):
        score.match(gold, [], "fuzzy")


def test_matching_is_one_to_one_best_overlap_first(score: ModuleType) -> None:
    Item = score.Item
    gold = [Item("actor", 10, 20, "a"), Item("actor", 18, 30, "b")]
    found = [Item("actor", 12, 20, "x"), Item("actor", 10, 20, "y")]
    pairs = score.match(gold, found, "overlap")
    assert [(g.exact, f.exact) for g, f in pairs] == [("a", "y")]  # the exact one wins; "x" does not take "b"


def test_speaker_is_right_by_name_alias_or_a_word_of_the_name_no_other_actor_has(score: ModuleType) -> None:
    Item = score.Item
    gold = Item("quote", 0, 5, name="Yelena Orlova", aliases=("Deputy Minister Orlova",))
    names = {"yelena orlova", "deputy minister orlova", "ivan orlov", "hakan demirtas"}
    assert score.name_right(gold, Item("quote", 0, 5, name="YELENA  ORLOVA"), names)
    assert score.name_right(gold, Item("quote", 0, 5, name="Deputy Minister Orlova"), names)
    assert score.name_right(gold, Item("quote", 0, 5, name="Orlova"), names)
    assert not score.name_right(gold, Item("quote", 0, 5, name="Yelena"), names | {"yelena petrova"})
    assert not score.name_right(gold, Item("quote", 0, 5, name="Orlov"), names)
    assert not score.name_right(gold, Item("quote", 0, 5, name=""), names)  # no speaker: wrong
    accented = Item("quote", 0, 5, name="Hakan Demirtaş")
    assert score.name_right(accented, Item("quote", 0, 5, name="Demirtas"), names)
    anonymous = Item("quote", 0, 5)
    assert score.name_right(anonymous, Item("quote", 0, 5), names)
    assert not score.name_right(anonymous, Item("quote", 0, 5, name="Orlova"), names)


def test_a_story_is_scored_per_kind_and_form_with_speaker_type_and_claimant(score: ModuleType) -> None:
    Item = score.Item
    gold = _gold(
        score,
        Item("quote", 0, 40, "q1", "direct", "Yelena Orlova"),
        Item("quote", 50, 60, "q2", "partial", "Yelena Orlova"),
        Item("quote", 70, 120, "q3", "indirect", "Hakan Demirtaş"),
        Item("actor", 200, 213, "Yelena Orlova", name="Yelena Orlova", type="person"),
        Item("actor", 220, 226, "Ankara", name="Ankara", type="place"),
        Item("claim", 70, 120, "c1", name="Hakan Demirtaş"),
    )
    found = [
        Item("quote", 0, 40, form="direct", name="Orlova"),  # exact, speaker right
        Item("quote", 50, 58, form="direct", name="Demirtaş"),  # overlap only, speaker wrong
        Item("quote", 300, 320, form="indirect"),  # false positive
        Item("actor", 200, 213, name="Yelena Orlova", type="person"),
        Item("actor", 220, 226, name="Ankara", type="country"),  # type wrong
        Item("actor", 230, 240, name="Moscow", type="place"),  # false positive
        Item("claim", 75, 120, name="Hakan Demirtas"),
    ]
    report = score.score_story(gold, found)
    direct_exact, direct = report.get("direct quotes", "exact"), report.get("direct quotes", "overlap")
    assert (direct_exact.tp, direct_exact.fp, direct_exact.fn) == (1, 1, 1)
    assert (direct.tp, direct.fp, direct.fn) == (2, 0, 0) and (direct.right, direct.judged) == (1, 2)
    indirect = report.get("indirect quotes", "overlap")
    assert (indirect.tp, indirect.fp, indirect.fn) == (0, 1, 1) and indirect.f1 == 0.0
    quotes = report.get("quotes", "overlap")
    assert (quotes.tp, quotes.fp, quotes.fn) == (2, 1, 1)
    actors = report.get("actor mentions", "overlap")
    assert (actors.tp, actors.fp, actors.fn) == (2, 1, 0) and actors.accuracy == 0.5
    assert actors.precision == pytest.approx(2 / 3) and actors.recall == 1.0 and actors.f1 == pytest.approx(0.8)
    claims = report.get("claims", "overlap")
    assert claims.recall == 1.0 and claims.accuracy == 1.0
    assert report.get("claims", "exact").recall == 0.0


def test_reports_add_up_over_stories_and_an_empty_one_scores_zero(score: ModuleType) -> None:
    Item = score.Item
    total = score.Report()
    assert total.get("claims").f1 == 0.0 and total.get("claims").accuracy == 0.0
    for _ in range(3):
        total.add(score.score_story(_gold(score, Item("actor", 0, 5, type="place")), [Item("actor", 0, 5)]))
    assert total.stories == 3
    actors = total.get("actor mentions")
    assert (actors.tp, actors.right, actors.judged) == (3, 0, 3)
    assert len(score.table(total)) == len(score.GROUPS)


def test_suggestions_are_read_with_their_speaker_actor_and_claimant(score: ModuleType) -> None:
    quote = Suggestion("quote", 3, 9, "abcdef", 0.9, speaker="Orlova", form="partial", actor_type="")
    actor = Suggestion("actor", 1, 4, "abc", 0.8, actor="Ankara", actor_type="place")
    claim = Suggestion("claim", 1, 4, "abc", 0.5, claimant="Ministry")
    items = [score.suggestion_item(s) for s in (quote, actor, claim)]
    assert [(i.kind, i.name, i.form, i.type) for i in items] == [
        ("quote", "Orlova", "partial", ""),
        ("actor", "Ankara", "", "place"),
        ("claim", "Ministry", "", ""),
    ]


def test_explain_names_misses_false_positives_and_wrong_speakers(score: ModuleType) -> None:
    Item = score.Item
    gold = _gold(
        score,
        Item("quote", 0, 40, "We will sign it", "direct", "Yelena Orlova"),
        Item("actor", 50, 56, "Ankara", name="Ankara", type="place"),
    )
    found = [Item("quote", 0, 40, "We will sign it", "direct", "Peskov"), Item("actor", 60, 66, "Moscow")]
    lines = score.explain(gold, found)
    text = "\n".join(lines)
    assert "missed [50:56] 'Ankara'" in text
    assert "false  [60:66] 'Moscow'" in text
    assert "speaker[0:40] 'We will sign it': Peskov, gold Yelena Orlova" in text


def test_the_gold_set_scored_against_itself_is_perfect(score: ModuleType) -> None:
    gold = score.load_gold(bench_module("build_gold").GOLD_FILE)
    total = score.Report()
    for story in gold.stories:
        assert story.items and all(story.text[i.start : i.end] == i.exact for i in story.items)
        total.add(score.score_story(story, list(story.items)))
    assert total.stories == len(gold.stories) >= 22
    for group in score.GROUPS:
        for mode in score.MODES:
            counts = total.get(group, mode)
            assert counts.tp > 0 and counts.f1 == 1.0, (group, mode)
    assert total.get("direct quotes").accuracy == total.get("actor mentions").accuracy == 1.0
    assert total.get("claims").accuracy == 1.0


def test_the_warm_registry_of_a_story_holds_the_other_stories_actors_only(score: ModuleType) -> None:
    gold = score.load_gold(bench_module("build_gold").GOLD_FILE)
    registries = score.warm_registries(gold)
    first, second = gold.stories[0], gold.stories[1]
    names = {s.id: {i.name for i in s.items if i.name} for s in gold.stories}
    only_first = names[first.id] - set().union(*(n for k, n in names.items() if k != first.id))
    assert only_first, "the first story has actors of its own"
    known = {a.name for a in registries[first.id].actors}
    assert not only_first & known
    assert only_first <= {a.name for a in registries[second.id].actors}
    entry = next(a for a in registries[second.id].actors if a.name == "Yelena Orlova")
    assert "Orlova" in entry.aliases  # learned from how the other stories mention her
