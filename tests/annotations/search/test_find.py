"""`find`: the index finds what a plain scan finds, ranks it, and applies the tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.search import SearchIndex, find, match_spans, parse_query
from annotations.search import index as index_module
from annotations.store import Store
from tests.annotations.search.support import NOTES, VOCAB, indexed_library, make_library, scanned

QUERIES = [
    '"fishing quotas" -Norway',
    "fishing quotas",
    "households",
    "household",
    "househ*",
    "fish*",
    "emile",
    "EMILE",
    "cafe",
    "Київ",
    "КИЇВ OR Kyiv",
    "norway OR harbour -strike",
    "U.S.",
    '"u s" e-mail',
    "Søren",
    "tromsø",
    "Reuters",
    "Nordmann",
    "disputes",
    '"check the quota"',
    '"quotas fishing"',
    "vote talks budget port",
    "zebra",
    "the",
    "-norway",
    "-norway -fishing",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, SearchIndex]]:
    yield from indexed_library(tmp_path_factory.mktemp("search") / "lib", 160)


def found_ids(store: Store, index: SearchIndex, text: str) -> set[str]:
    query = parse_query(text)
    found = find(store, index, query)
    if found.hits is not None:
        return {h.story_id for h in found.hits}
    assert found.allows is not None
    return {sid for sid in store.story_ids if found.allows(sid)}


@pytest.mark.parametrize("text", QUERIES)
def test_the_index_finds_what_a_plain_scan_finds(library: tuple[Store, SearchIndex], text: str) -> None:
    store, index = library
    assert found_ids(store, index, text) == scanned(store, parse_query(text))


def test_the_queries_are_not_trivial(library: tuple[Store, SearchIndex]) -> None:
    store, index = library
    sizes = {text: len(found_ids(store, index, text)) for text in QUERIES}
    assert 0 < sizes['"fishing quotas" -Norway'] < sizes["fishing quotas"] < len(store)
    assert sizes["emile"] == sizes["EMILE"] > 0  # case and accents folded: Émile, emile
    assert sizes["cafe"] > 0 and sizes["Київ"] > 0 and sizes["Søren"] > 0
    assert sizes["household"] != sizes["households"]  # no stemming
    assert sizes["househ*"] >= max(sizes["household"], sizes["households"])
    assert sizes["disputes"] > 0  # a word only in notes
    assert sizes["zebra"] == 0


_WORD = st.sampled_from([*VOCAB, "zebra", "fish*", "quot*", "nor*"])
_TERM = st.one_of(
    _WORD,
    st.tuples(_WORD, _WORD).map(lambda p: f'"{p[0]} {p[1]}"'),
    _WORD.map(lambda w: f"-{w}"),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TERM, min_size=1, max_size=4), st.lists(st.booleans(), min_size=4, max_size=4))
def test_generated_queries_agree_with_the_scan(
    library: tuple[Store, SearchIndex], terms: list[str], ors: list[bool]
) -> None:
    store, index = library
    text = terms[0]
    for term, use_or in zip(terms[1:], ors, strict=False):
        text += (" OR " if use_or and not term.startswith("-") else " ") + term
    query = parse_query(text)
    if not query.match:
        return
    assert found_ids(store, index, text) == scanned(store, query), text


def test_hits_are_ranked_with_a_snippet_that_shows_the_match(library: tuple[Store, SearchIndex]) -> None:
    store, index = library
    found = find(store, index, parse_query("Norwegian harbour"), limit=5)
    assert found.hits and len(found.hits) <= 5
    scores = [h.score for h in found.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    for hit in found.hits:
        assert hit.snippet and len(hit.snippet) <= 170 and hit.snippet.isprintable()
        assert hit.marks
        assert {hit.snippet[a:b].lower() for a, b in hit.marks} <= {"norwegian", "harbour"}


def test_a_limit_keeps_the_best(library: tuple[Store, SearchIndex]) -> None:
    store, index = library
    every = find(store, index, parse_query("fishing")).hits
    best = find(store, index, parse_query("fishing"), limit=3).hits
    assert every is not None and best is not None
    assert [h.story_id for h in best] == [h.story_id for h in every[:3]]


def test_beyond_the_ranked_ones_the_newest_come_first(
    library: tuple[Store, SearchIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, index = library
    monkeypatch.setattr(index_module, "RANKED", 5)
    ranked = index.search('"the"')
    assert len(ranked) > 10
    head, tail = ranked[:5], ranked[5:]
    assert [s for _, s in head] == sorted((s for _, s in head), reverse=True) and all(s > 0 for _, s in head)
    assert all(s == 0.0 for _, s in tail)
    rows = [index.row(sid) for sid, _ in tail]
    assert rows == sorted(rows, reverse=True) and min(index.row(sid) for sid, _ in head) > rows[0]
    assert {sid for sid, _ in ranked} == {sid for sid, _ in index.search('"the"', limit=None)}


def test_tokens_select_by_agency_and_date(library: tuple[Store, SearchIndex]) -> None:
    store, index = library
    found = find(store, index, parse_query("agency:reu since:2026-03 until:2026-04"))
    assert found.hits is None and found.allows is not None and found.notes == ("agency: Reuters",)
    chosen = {sid for sid in store.story_ids if found.allows(sid)}
    expected = {
        sid
        for sid in store.story_ids
        if store.story_meta(sid).agency == "Reuters" and "2026-03" <= (store.story_meta(sid).created or "") < "2026-05"
    }
    assert chosen == expected and chosen
    text = find(store, index, parse_query("fishing agency:Reuters"))
    assert text.hits is not None and {h.story_id for h in text.hits} == expected_fishing(store, index) & {
        sid for sid in store.story_ids if store.story_meta(sid).agency == "Reuters"
    }


def expected_fishing(store: Store, index: SearchIndex) -> set[str]:
    return scanned(store, parse_query("fishing"))


def test_token_errors_and_unknown_names_are_reported(library: tuple[Store, SearchIndex]) -> None:
    store, index = library
    found = find(store, index, parse_query("agency:nowhere claims:bogus fishing"))
    assert "agency:nowhere: no story from such an agency" in found.errors
    assert any(e.startswith("claims:bogus?") for e in found.errors)
    assert found.hits == []


def test_without_a_ready_index_headlines_are_scanned(library: tuple[Store, SearchIndex]) -> None:
    store, _ = library
    found = find(store, None, parse_query("fishing"))
    assert found.notes == ("searching headlines only: the body index is being built",)
    assert found.hits is not None
    assert {h.story_id for h in found.hits} == {
        sid for sid in store.story_ids if "fishing" in store.story_meta(sid).headline.lower()
    }


def test_match_spans_fold_case_and_accents() -> None:
    query = parse_query('emile "fishing quotas" fish* Київ -norway')
    text = "ÉMILE met Émile; Fishing, quotas — fisheries in КИЇВ. Norway"
    assert [text[a:b] for a, b in match_spans(query, text)] == [
        "ÉMILE",
        "Émile",
        "Fishing, quotas",
        "fisheries",
        "КИЇВ",
    ]
    assert match_spans(parse_query("zebra"), text) == []


def test_a_story_with_a_damaged_text_is_still_found_by_headline(tmp_path: Path) -> None:
    stories = make_library(tmp_path / "lib", 3)
    broken = stories[1]
    pack = tmp_path / "lib" / "texts.pack"
    data = pack.read_bytes()
    line_at = data.index(f'"id":"{broken.id}"'.encode())
    text_at = data.index(b'"text":"', line_at) + len(b'"text":"')
    pack.write_bytes(data[:text_at] + (b"X" if data[text_at : text_at + 1] != b"X" else b"Y") + data[text_at + 1 :])
    with Store(tmp_path / "lib") as store:
        index = SearchIndex(store)
        index.ensure()
        assert index.ready
        number = broken.meta.headline.split()[-1]  # only in its headline
        elsewhere = (broken.meta.headline + " " + " ".join(NOTES)).lower()
        body_word = next(w for w in broken.text.split() if w.isalpha() and w.lower() not in elsewhere)
        assert broken.id in {h.story_id for h in find(store, index, parse_query(number)).hits or []}
        assert broken.id not in {h.story_id for h in find(store, index, parse_query(f'"{body_word}"')).hits or []}
        others = [s for s in stories if s.id != broken.id]
        for story in others:  # read from the pack as usual
            assert story.id in {h.story_id for h in find(store, index, parse_query(story.meta.headline)).hits or []}
        index.close()
