"""Agreement between annotator layers: span matching, F1, κ and α computed by hand on tiny fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nltk.metrics.agreement import AnnotationTask

from annotations.actors import Actor
from annotations.agreement import AgreementError, agreement, alpha, exact_pairs, kappa, overlap_pairs, overlaps_enough
from annotations.layers import CURATED
from annotations.model import Annotation
from annotations.store import Store
from tests.agreement_support import ANADOLU, build_library, span
from tests.store_support import make_story

TEXT = make_story("abcdefghijklmnopqrstuvwxyz0123456789")
BASE = TEXT.text.index("a")


def at(start: int, end: int, who: str = "x") -> Annotation:
    return Annotation.new(TEXT, "quote", BASE + start, BASE + end, annotator=who)


# --- matching --------------------------------------------------------------------------------------------------


def test_overlap_rule_half_of_the_shorter_span() -> None:
    assert overlaps_enough(at(0, 10), at(5, 12))  # 5 shared, shorter 7: 2*5 >= 7
    assert overlaps_enough(at(0, 10), at(5, 15))  # 5 of 10: exactly half
    assert not overlaps_enough(at(0, 10), at(6, 16))  # 4 of 10
    assert not overlaps_enough(at(0, 10), at(8, 30))  # 2 shared, shorter 10
    assert not overlaps_enough(at(0, 5), at(5, 10))  # touching is not sharing


def test_exact_pairs_one_to_one() -> None:
    a1, a2 = at(0, 5, "a"), at(0, 5, "a")
    b1 = at(0, 5, "b")
    assert exact_pairs([a1, a2], [b1]) == [(min(a1, a2, key=lambda a: a.id), b1)]
    assert exact_pairs([at(0, 5)], [at(0, 6)]) == []


def test_overlap_pairs_exact_first_then_greedy_one_to_one() -> None:
    a = at(0, 10, "a")
    b_exact, b_inner = at(2, 10, "b"), at(0, 10, "b")
    assert overlap_pairs([a], [b_exact, b_inner]) == [(a, b_inner)]  # the exact match wins the span
    a2 = at(12, 20, "a")
    b2 = at(8, 16, "b")  # shares 2 with a (of 8: no), 4 with a2 (of 8: yes)
    assert overlap_pairs([a, a2], [b2, b_inner]) == [(a, b_inner), (a2, b2)]


# --- the measures ----------------------------------------------------------------------------------------------


def test_kappa_by_hand() -> None:
    # a: x x y y; b: x y y y. Po = 3/4; Pe = .5*.25 + .5*.75 = .5; κ = (.75 - .5) / .5
    assert kappa([("x", "x"), ("x", "y"), ("y", "y"), ("y", "y")]) == pytest.approx(0.5)


def test_alpha_by_hand() -> None:
    # the same 4 units: n = 8 values, x 3, y 5; disagreeing pairs 2; α = 1 - (n-1) * 2 / (2 * 3 * 5) = 1 - 14/30
    units = [{"a": "x", "b": "x"}, {"a": "x", "b": "y"}, {"a": "y", "b": "y"}, {"a": "y", "b": "y"}]
    assert alpha(units) == pytest.approx(1 - 14 / 30)


def test_alpha_with_missing_values_krippendorffs_example() -> None:
    """Krippendorff's (2011) example of three coders with values missing: α nominal = 0.691."""
    rows = [
        [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
        [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
        [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
    ]
    units = [{c: row[u] for c, row in zip("abc", rows, strict=True) if row[u] is not None} for u in range(15)]
    assert alpha(units) == pytest.approx(0.691358, abs=1e-6)


def test_checked_against_nltk_directly() -> None:
    values = {"a": "xyzxxyzzxy", "b": "xyzxyyzzxx", "c": "xyyxxyzzxy"}
    triples = [(coder, str(i), v) for coder, row in values.items() for i, v in enumerate(row)]
    units = [{coder: row[i] for coder, row in values.items()} for i in range(10)]
    assert alpha(units) == pytest.approx(AnnotationTask(triples).alpha())
    pair = [t for t in triples if t[0] != "c"]
    assert kappa(list(zip(values["a"], values["b"], strict=True))) == pytest.approx(AnnotationTask(pair).kappa())


def test_undefined_is_none_never_nan() -> None:
    assert kappa([]) is None
    assert kappa([("x", "x"), ("x", "x")]) is None  # one category throughout
    assert alpha([]) is None
    assert alpha([{"a": "x"}, {"b": "y"}]) is None  # no unit coded twice
    assert alpha([{"a": "x", "b": "x"}]) is None


# --- over a library --------------------------------------------------------------------------------------------


@pytest.fixture
def library(tmp_path: Path) -> Iterator[tuple[Store, dict[str, str]]]:
    ids = build_library(tmp_path)
    store = Store(tmp_path, read_only=True)
    store.load_annotations()
    yield store, ids
    store.close()


def test_span_f1_and_attributes_by_hand(library: tuple[Store, dict[str, str]]) -> None:
    store, _ = library
    result = agreement(store, "ana")
    assert result.annotators == ["ana", "ben"]
    quote, actor = result.kinds
    assert (quote.kind, quote.spans) == ("quote", {"ana": 3, "ben": 2})
    (pair,) = quote.pairs
    assert (pair.exact.matched, pair.overlap.matched) == (1, 2)
    assert pair.exact.f1 == pytest.approx(2 * 1 / 5)
    assert pair.overlap.f1 == pytest.approx(2 * 2 / 5)
    assert (pair.overlap.precision, pair.overlap.recall) == (pytest.approx(1.0), pytest.approx(2 / 3))
    # speaker on the 2 paired quotes: (fidan, fidan), (fidan, erdogan): Po = .5, Pe = 1*.5 = .5 -> κ 0
    # form: (direct, direct), (indirect, indirect): κ 1
    assert pair.kappa == {"speaker": pytest.approx(0.0), "form": pytest.approx(1.0)}
    # α on units: speaker f f | f e | e (unpairable): 4 values, f 3, e 1, 2 disagreeing -> 1 - 3*2/(2*3) = 0
    assert quote.alpha == {"speaker": pytest.approx(0.0), "form": pytest.approx(1.0)}
    assert actor.overlap.f1 == 1.0 and actor.exact.f1 == 1.0
    assert actor.alpha == {"actor": None, "actor type": None}  # one value only: undefined
    (story,) = result.stories
    assert story.story_id == ANADOLU.id and [k.kind for k in story.kinds] == ["quote", "actor"]


def test_disagreements_say_who_said_what(library: tuple[Store, dict[str, str]]) -> None:
    store, _ = library
    found = [(d.what, d.said) for d in agreement(store, "ana").disagreements]
    assert found == [
        ("span", {"ana": "“talks would resume next week”", "ben": "“talks would resume”"}),
        ("speaker", {"ana": "Hakan Fidan", "ben": "Recep Tayyip Erdogan"}),
        ("span found", {"ana": "“The ceasefire must hold”", "ben": "—"}),
    ]
    last = agreement(store, "ana").disagreements[-1]
    assert ANADOLU.text[last.start : last.end] == "The ceasefire must hold"


def test_kind_and_story_filters(library: tuple[Store, dict[str, str]]) -> None:
    store, _ = library
    result = agreement(store, "ana", kinds=["actor"])
    assert [k.kind for k in result.kinds] == ["actor"] and result.disagreements == []
    assert agreement(store, "ana", story_ids=set()).stories == []


def test_unknown_and_too_few_annotators(library: tuple[Store, dict[str, str]]) -> None:
    store, _ = library
    with pytest.raises(AgreementError, match=r"no annotations by 'zoe'.*ana, ben"):
        agreement(store, "ana", ["ana", "zoe"])
    with pytest.raises(AgreementError, match="two annotators or more"):
        agreement(store, "ana", ["ben"])


def test_merged_entries_count_as_one(tmp_path: Path) -> None:
    """A link to an entry merged into another counts as a link to that other."""
    erdogan = Actor.new("Erdogan", "person")
    alias = Actor.new("R. T. Erdogan", "person").edited(merged_into=erdogan.id)
    anns = [
        span(ANADOLU, "The ceasefire must hold", "quote", "ana", speaker=erdogan.id),
        span(ANADOLU, "The ceasefire must hold", "quote", "ben", speaker=alias.id),
    ]
    with Store(tmp_path) as store:
        store.add_stories([ANADOLU])
        store.apply([(None, erdogan), (None, alias)])
        store.apply([(None, a) for a in anns])
        assert agreement(store, "ana").disagreements == []


def test_curated_only_when_asked_and_stories_touched_by_one_left_out(tmp_path: Path) -> None:
    other = make_story("Only ana read this one.", headline="Other story")
    anns = [
        span(ANADOLU, "Hakan Fidan", "actor", "ana"),
        span(ANADOLU, "Hakan Fidan", "actor", "ben"),
        span(ANADOLU, "Hakan Fidan", "actor", CURATED),
        span(other, "ana", "actor", "ana"),  # ben never annotated it: not his miss
        span(ANADOLU, "Fidan", "quote", "ana"),
    ]
    with Store(tmp_path) as store:
        store.add_stories([ANADOLU, other])
        store.apply([(None, a) for a in anns])
        result = agreement(store, "ana", kinds=["actor"])
        assert result.annotators == ["ana", "ben"]
        assert [s.story_id for s in result.stories] == [ANADOLU.id]
        assert result.kinds[0].overlap.f1 == 1.0
        assert agreement(store, "ana", ["ana", CURATED], kinds=["actor"]).kinds[0].exact.f1 == 1.0


def test_three_annotators_alpha_over_units(tmp_path: Path) -> None:
    """Units join spans across three layers; α over them equals nltk's on the same values."""
    s = ANADOLU
    anns = [
        span(s, "We will not accept this", "quote", "ana", form="direct"),
        span(s, "We will not accept this", "quote", "ben", form="direct"),
        span(s, "We will not accept", "quote", "cat", form="partial"),
        span(s, "talks would resume next week", "quote", "ana", form="indirect"),
        span(s, "talks would resume next week", "quote", "cat", form="indirect"),
        span(s, "The ceasefire must hold", "quote", "ben", form="direct"),
        span(s, "The ceasefire must hold", "quote", "cat", form="direct"),
    ]
    with Store(tmp_path) as store:
        store.add_stories([s])
        store.apply([(None, a) for a in anns])
        (quote,) = agreement(store, "ana").kinds
    triples = [("ana", "1", "direct"), ("ben", "1", "direct"), ("cat", "1", "partial")]
    triples += [("ana", "2", "indirect"), ("cat", "2", "indirect"), ("ben", "3", "direct"), ("cat", "3", "direct")]
    assert quote.alpha["form"] == pytest.approx(AnnotationTask(triples).alpha())
    assert [(p.first, p.second, p.overlap.matched) for p in quote.pairs] == [
        ("ana", "ben", 1),
        ("ana", "cat", 2),
        ("ben", "cat", 2),
    ]
    assert quote.overlap.f1 == pytest.approx(2 * 5 / ((2 + 2) + (2 + 3) + (2 + 3)))  # spans: ana 2, ben 2, cat 3


def test_of_a_storys_versions_the_newest_two_annotated(tmp_path: Path) -> None:
    """Annotations carried to a new version would count twice: the newest version two annotators annotated
    counts, unless versions are named."""
    meta = {"headline": "Fidan says talks resume", "wire_id": "urn:aa:1"}
    v1 = make_story("Fidan said talks would resume next week.", version=1, created="2026-03-01", **meta)
    v2 = make_story("Fidan said talks would resume next week in Istanbul.", version=2, created="2026-03-02", **meta)
    v3 = make_story("Fidan said talks would resume on Monday in Istanbul.", version=3, created="2026-03-03", **meta)
    anns = [span(v, "talks would resume", "quote", who) for v in (v1, v2) for who in ("ana", "ben")]
    anns.append(span(v3, "talks would resume", "quote", "ana"))  # only ana has read the newest
    with Store(tmp_path) as store:
        store.add_stories([v1, v2, v3])
        store.apply([(None, a) for a in anns])
        assert [s.story_id for s in agreement(store, "ana").stories] == [v2.id]
        assert agreement(store, "ana").kinds[0].spans == {"ana": 1, "ben": 1}
        named = agreement(store, "ana", story_ids={v1.id, v2.id})
        assert sorted(s.story_id for s in named.stories) == sorted([v1.id, v2.id])
