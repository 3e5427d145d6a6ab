"""The registry's one lookup (strict and lenient), the pickers' ranking over 200 realistic entries, and the
registry's rules (name clash, rename keeps the old name, merge)."""

from __future__ import annotations

import re

import pytest

from annotations.actors import HOWS, Actor, fold_name, preselect, rank_actors
from annotations.model import AnnotationError
from annotations.registry import NameClash, Registry, edit_entry, merge_edits, new_entry
from tests.annotations.registry_names import registry


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry(registry())


def names(reg: Registry, query: str, n: int = 5) -> list[str]:
    return [m.actor.name for m in reg.rank(query)[:n]]


def chosen(reg: Registry, query: str, *, whole_name: bool = False) -> str | None:
    """The name a picker highlights for `query` (None: "New actor")."""
    match = preselect(query, reg.rank(query), whole_name=whole_name)
    return match.actor.name if match is not None else None


# --- the cases of issue 10 -------------------------------------------------------------------------------------


def test_a_longer_new_name_is_never_linked_to_a_shorter_one(reg: Registry) -> None:
    assert chosen(reg, "Russian Embassy in Caracas") is None  # "Russia" is in the registry: a new actor
    assert "Russia" not in names(reg, "Russian Embassy in Caracas", 50)
    assert chosen(reg, "Russian Embassy in Caracas", whole_name=True) is None


def test_a_short_name_never_ranks_a_word_it_is_inside_of(reg: Registry) -> None:
    ranked = names(reg, "US", 200)
    assert ranked[0] == "United States"  # its alias
    assert "Russia" not in ranked and "Belarus" not in ranked and "Cyprus" not in ranked
    assert chosen(reg, "US", whole_name=True) == "United States"


def test_a_possessive_ranks_the_entry_named_with_it_above_the_bare_name(reg: Registry) -> None:
    for typed in ("venezuela's", "Venezuela’s"):  # straight or curly apostrophe
        ranked = names(reg, typed, 200)
        assert ranked[0] == "Venezuela's government"
        assert ranked.index("Venezuela's government") < ranked.index("Venezuela")


# --- ranking: exact, then whole words, then word starts, then near spellings ------------------------------------


@pytest.mark.parametrize(
    ("query", "first", "how"),
    [
        ("russia", "Russia", "exact"),
        ("NICOLAS MADURO", "Nicolás Maduro", "exact"),
        ("Türkiye", "Turkey", "alias"),
        ("pentagon", "US Department of Defense", "alias"),
        ("Kosachev", "Konstantin Kosachev", "surname"),
        ("Solberg", "Erna Solberg", "surname"),  # two Solbergs: both, by name
        ("South Korea", "South Korea", "exact"),
        ("Korea", "North Korea", "word"),
        ("kosa", "Konstantin Kosachev", "prefix"),
        ("Trmp", "Donald Trump", "fuzzy"),
        ("Zelenskiy", "Volodymyr Zelenskyy", "fuzzy"),
    ],
)
def test_the_best_match_and_how(reg: Registry, query: str, first: str, how: str) -> None:
    (top, *_rest) = reg.rank(query)
    assert (top.actor.name, top.how) == (first, how)


def test_shared_surnames_rank_together_and_a_first_name_below_the_surname(reg: Registry) -> None:
    assert names(reg, "johnson") == ["Boris Johnson", "Lyndon Johnson", "Mike Johnson"]
    assert names(reg, "Solberg")[:2] == ["Erna Solberg", "Ingrid Solberg"]
    assert names(reg, "kim")[:3] == ["Kim Dae-jung", "Kim Jong Un", "Kim Yo Jong"]
    assert names(reg, "rodriguez") == ["Delcy Rodríguez", "Jorge Rodríguez"]  # accents ignored


def test_an_exact_name_ranks_above_longer_names_holding_it(reg: Registry) -> None:
    assert names(reg, "Niger", 2) == ["Niger", "Nigeria"]
    assert names(reg, "Sudan", 2) == ["Sudan", "South Sudan"]
    assert names(reg, "Russia", 3) == ["Russia", "Central Bank of Russia", "Russian Foreign Ministry"]  # its alias


def test_every_match_is_ranked_by_how_first(reg: Registry) -> None:
    for query in ("russian", "foreign ministry", "un", "ven", "johnson", "state", "madur", "erdogan"):
        tiers = [HOWS.index(m.how) for m in reg.rank(query)]
        assert tiers == sorted(tiers), query


def test_no_match_starts_inside_a_word_over_the_whole_registry(reg: Registry) -> None:
    """For every word of every name, a piece from inside it never ranks that entry by its words."""
    checked = 0
    for actor in reg.actors:
        words = [w for n in actor.names for w in re.split(r"[^\w]+", fold_name(n)) if w]
        for word in words:
            for start in range(1, len(word) - 1):
                piece = word[start : start + 3]
                if len(piece) < 2 or any(w.startswith(piece) for w in words):
                    continue  # also the start of another of its words
                checked += 1
                for m in rank_actors(piece, [actor]):
                    assert m.how == "fuzzy", (piece, actor.name, m.how)
    assert checked > 1000


def test_preferred_entries_rank_first_among_equals_only(reg: Registry) -> None:
    ingrid = next(a for a in reg.actors if a.name == "Ingrid Solberg")
    assert names_of(reg.rank("Solberg", prefer={ingrid.id}))[:2] == ["Ingrid Solberg", "Erna Solberg"]
    assert names_of(reg.rank("Russia", prefer={ingrid.id}))[0] == "Russia"  # an exact name beats this story


def names_of(matches: list) -> list[str]:
    return [m.actor.name for m in matches]


@pytest.mark.parametrize(
    ("typed", "highlighted"),
    [
        ("Russia", "Russia"),
        ("kosa", "Konstantin Kosachev"),  # typing on: the start of a word
        ("Kosachev", "Konstantin Kosachev"),
        ("Trmp", "Donald Trump"),  # a slip
        ("lavrof", None),  # not close enough to pick for the user
        ("Nicolas Madurro", "Nicolás Maduro"),  # a slip: not longer than his alias Nicolas Maduro Moros
        ("Konstantin Kosachevv", None),  # longer than every name of the one candidate: a new name
        ("Peskov said", None),
        ("Ferry Union", "Nordvik Ferry Union"),  # its alias
    ],
)
def test_what_a_picker_highlights(reg: Registry, typed: str, highlighted: str | None) -> None:
    assert chosen(reg, typed) == highlighted


def test_a_selected_name_does_not_link_to_a_longer_word(reg: Registry) -> None:
    assert chosen(reg, "Niger", whole_name=True) == "Niger"
    only_nigeria = Registry([a for a in reg.actors if a.name != "Niger"])
    assert chosen(only_nigeria, "Niger", whole_name=True) is None  # "Niger" is not "Nigeria"
    assert chosen(only_nigeria, "Niger") == "Nigeria"  # typing on in the picker: it may be


# --- the lookup: strict and lenient ---------------------------------------------------------------------------


def test_strict_takes_names_aliases_and_id_prefixes_only(reg: Registry) -> None:
    maduro = next(a for a in reg.actors if a.name == "Nicolás Maduro")
    assert reg.lookup("nicolas  MADURO").actor == maduro  # case, accents and spacing ignored
    assert reg.lookup("Nicolas Maduro Moros").actor == maduro
    assert reg.lookup(maduro.id[:6]).actor == maduro and reg.lookup(maduro.id[:6]).how == "id"
    assert reg.lookup(maduro.id.upper()).actor == maduro
    surname = reg.lookup("Maduro")
    assert surname.found == () and surname.near == (maduro,)
    assert surname.problem() == 'no actor called "Maduro" in the registry; did you mean "Nicolás Maduro"?'


def test_lenient_also_takes_whole_words_a_surname_first(reg: Registry) -> None:
    assert reg.lookup("Maduro", "lenient").actor.name == "Nicolás Maduro"  # type: ignore[union-attr]
    assert reg.lookup("Kosachev", "lenient").how == "words"
    solbergs = reg.lookup("Solberg", "lenient")
    assert [a.name for a in solbergs.found] == ["Erna Solberg", "Ingrid Solberg"] and solbergs.actor is None
    assert "ambiguous" in solbergs.problem() and "give the id" in solbergs.problem()
    assert [a.name for a in reg.lookup("Korea", "lenient").found] == ["North Korea", "South Korea"]


def test_neither_mode_takes_a_near_spelling(reg: Registry) -> None:
    for mode in ("strict", "lenient"):
        found = reg.lookup("Trmp", mode)  # type: ignore[arg-type]
        assert found.found == () and [a.name for a in found.near] == ["Donald Trump"]
        assert reg.lookup("kosa", mode).found == ()  # type: ignore[arg-type]  # the start of a word is no name
    assert reg.lookup("Portvale harbour master").near == ()


def test_a_merged_entry_is_found_as_the_one_it_went_into() -> None:
    short = Actor.new("Maduro", "person")
    full = Actor.new("Nicolás Maduro", "person")
    (_, forwarding), (_, merged) = merge_edits(short, full)
    reg = Registry([forwarding, merged])  # type: ignore[list-item]
    assert reg.lookup("maduro").actor == merged and reg.lookup(short.id[:8]).actor == merged
    assert [a.name for a in reg.actors] == ["Nicolás Maduro"]


@pytest.mark.parametrize(("name", "message"), [("", "no actor name given"), ("  ", "no actor name given")])
def test_an_empty_name_is_refused(reg: Registry, name: str, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        reg.lookup(name)


def test_a_name_with_control_characters_is_refused_and_not_echoed(reg: Registry) -> None:
    with pytest.raises(AnnotationError, match="control characters") as caught:
        reg.lookup("Putin\x1b[2J")
    assert "\x1b" not in str(caught.value)


# --- the registry's rules -------------------------------------------------------------------------------------


def test_rename_keeps_the_old_name_as_an_alias(reg: Registry) -> None:
    brek = next(a for a in reg.actors if a.name == "Tomas Brek")
    renamed = edit_entry(reg, brek, name="Tomas Brek-Holm")
    assert (renamed.name, renamed.aliases) == ("Tomas Brek-Holm", ("Tomas Brek",))
    assert edit_entry(reg, brek, name="Tomáš Brek").aliases == ()  # the same name, accents aside: no alias


def test_a_name_or_alias_another_entry_has_is_refused(reg: Registry) -> None:
    ek = next(a for a in reg.actors if a.name == "Karl Ek")
    with pytest.raises(NameClash, match='"karl marx" already names Karl Marx') as caught:
        edit_entry(reg, ek, name="karl marx")
    assert caught.value.other.name == "Karl Marx"
    with pytest.raises(NameClash, match="already names Russia"):
        edit_entry(reg, ek, add_aliases=["RUSSIA"])
    with pytest.raises(NameClash):
        new_entry(reg, "Pentagon", "government")  # an alias of another entry
    assert new_entry(reg, "Pentagon Papers", "other").name == "Pentagon Papers"


def test_aliases_replaced_added_and_removed(reg: Registry) -> None:
    turkey = next(a for a in reg.actors if a.name == "Turkey")
    assert edit_entry(reg, turkey, add_aliases=["Turkiye Cumhuriyeti"]).aliases == ("Türkiye", "Turkiye Cumhuriyeti")
    assert edit_entry(reg, turkey, remove_aliases=["TÜRKIYE"]).aliases == ()
    assert edit_entry(reg, turkey, aliases=["Republic of Turkey"]).aliases == ("Republic of Turkey",)
    with pytest.raises(AnnotationError, match='"Anatolia" is not an alias of Turkey'):
        edit_entry(reg, turkey, remove_aliases=["Anatolia"])
    assert edit_entry(reg, turkey, type="country").to_dict() | {"modified": ""} == turkey.to_dict() | {"modified": ""}


def test_merge_makes_the_names_aliases_and_refuses_itself() -> None:
    short = Actor.new("Maduro", "person", aliases=("President Maduro",))
    full = Actor.new("Nicolás Maduro", "person")
    (before, forwarding), (_, merged) = merge_edits(short, full)
    assert before == short and forwarding.merged_into == full.id  # type: ignore[union-attr]
    assert merged.aliases == ("Maduro", "President Maduro")  # type: ignore[union-attr]
    with pytest.raises(AnnotationError, match="is already"):
        merge_edits(full, full)
