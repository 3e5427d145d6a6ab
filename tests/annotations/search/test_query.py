"""`parse_query`: the query language, read without ever raising."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.library_index import parse_filter
from annotations.search import parse_query
from annotations.search.query import Term


def test_words_phrases_or_not_and_prefixes() -> None:
    query = parse_query('"fishing quotas" -Norway fish* Kyiv OR Київ')
    assert query.match.groups == (
        (Term(("fishing", "quotas")),),
        (Term(("fish",), prefix=True),),
        (Term(("Kyiv",)), Term(("Київ",))),
    )
    assert query.match.excluded == (Term(("Norway",)),)
    assert query.text == '"fishing quotas" -Norway fish* Kyiv OR Київ'
    assert query.match.fts() == '("fishing quotas") AND ("fish" *) AND ("Kyiv" OR "Київ") NOT "Norway"'
    assert query and not query.errors and query.tokens == ()


def test_tokens_are_read_with_quoted_values() -> None:
    query = parse_query('quoting:"Jonas  Gahr Store" actor:Berg claims:disp is:untagged agency:AP since:2026-01 x')
    assert query.tokens == (
        ("quoting", "Jonas Gahr Store"),
        ("actor", "Berg"),
        ("claims", "disp"),
        ("is", "untagged"),
        ("agency", "AP"),
        ("since", "2026-01"),
    )
    assert query.text == "x"
    assert parse_query("quoting:").tokens == () and not parse_query("quoting:")  # waiting for its value


def test_bad_parts_become_errors() -> None:
    assert parse_query("since:yesterday").errors == (
        "since:yesterday? use a date such as 2026-01-31 (or 2026-01, 2026)",
    )
    assert parse_query("OR fish").errors == ("OR needs a word before it and after it",)
    assert parse_query("fish OR").errors == ("OR needs a word before it and after it",)


def test_a_word_is_split_as_the_index_splits_it() -> None:
    assert parse_query("U.S.").match.groups == ((Term(("U", "S")),),)
    assert parse_query("e-mail").match.groups == ((Term(("e", "mail")),),)
    assert not parse_query("^ * -- ( )").match  # punctuation only: nothing to search


def test_unknown_keys_are_words() -> None:
    query = parse_query("body:fishing note:x")
    assert query.tokens == () and query.match.groups == ((Term(("body", "fishing")),), (Term(("note", "x")),))


def test_the_library_filter_reads_tokens_the_same_way() -> None:
    flt = parse_filter('moscow quoting:"K.  Kosachev" agency:AP')
    assert flt.words == ("moscow", "agency:ap") and flt.terms == (("quoting", "K. Kosachev"),)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_into_clean_parts(text: str) -> None:
    query = parse_query(text)
    for line in (*query.errors, query.text, *(v for _, v in query.tokens)):
        assert line.isprintable() or line == ""
    for group in query.match.groups:
        for term in group:
            assert term.words and all(w.isprintable() and '"' not in w for w in term.words)
    expression = query.match.fts()
    assert expression.count('"') % 2 == 0


def test_while_typing_the_last_word_is_a_prefix() -> None:
    assert parse_query("fishing quo", typing=True).match.groups[-1] == (Term(("quo",), prefix=True),)
    assert parse_query("fishing quo ", typing=True).match.groups[-1] == (Term(("quo",)),)  # a space: done
    assert parse_query("Kyiv OR Ky", typing=True).match.groups[-1][-1] == Term(("Ky",), prefix=True)
    assert parse_query('"fishing quo"', typing=True).match.groups[-1] == (Term(("fishing", "quo")),)
    assert parse_query("fishing -quo", typing=True).match.groups == ((Term(("fishing",)),),)
    assert parse_query("fishing agency:AP", typing=True).match.groups == ((Term(("fishing",)),),)
    assert parse_query("quo", typing=True).text == "quo*"
    assert parse_query("quo").match.groups == ((Term(("quo",)),),)
