"""annotations.stats: tables by every grouping, the lists behind them, kept current as annotations change."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from annotations.actors import Actor
from annotations.history import History
from annotations.model import Annotation
from annotations.stats import BY, StatsIndex, overview, select
from annotations.store import Store
from stories.model import Story
from tests.store_support import add_story, make_story, tag_text

MINISTRY = make_story(
    "“The port will reopen Monday,” the minister said. “Ships are waiting,” the harbour master said.",
    "The union said the strike goes on. “We will not move,” a docker said.",
    headline="Port to reopen",
    agency="Reuters",
    section="World",
    created="2026-03-02",
)
DOCKS = make_story(
    "“The port will not reopen,” the union leader said. “Talks failed,” the minister said.",
    headline="Dockers defiant",
    agency="AP",
    section="Business",
    created="2026-03-10",
)


@pytest.fixture
def library(tmp_path: Path):
    with Store(tmp_path / "lib") as store:
        add_story(store, MINISTRY)
        add_story(store, DOCKS)
        history = History(store)
        actors = {
            "minister": Actor.new("Ana Minister", "government"),
            "master": Actor.new("Harbour Master", "organisation"),
            "union": Actor.new("Dock Union", "group"),
        }
        for actor in actors.values():
            history.add_actor(actor)
        ids = {a: actor.id for a, actor in actors.items()}

        def tag(story: Story, exact: str, kind: str = "quote", **links: str) -> Annotation:
            return history.add(replace(tag_text(story, exact, kind), **links))

        tag(MINISTRY, "The port will reopen Monday", speaker=ids["minister"], form="direct")
        tag(MINISTRY, "Ships are waiting", speaker=ids["master"], form="direct")
        tag(MINISTRY, "We will not move")  # no speaker
        tag(MINISTRY, "The union said the strike goes on", "claim", claimant=ids["union"], status="unverified")
        tag(MINISTRY, "the minister", "actor", actor=ids["minister"])
        tag(DOCKS, "The port will not reopen", speaker=ids["union"], form="indirect")
        tag(DOCKS, "Talks failed", speaker=ids["minister"], form="direct")
        yield store, history, ids


def plain_counts(store: Store, by: str, stories: set[str] | None = None) -> Counter[tuple[str, str]]:
    """(group key, kind) -> count, by a plain pass over the annotations: what every table must equal."""
    found: Counter[tuple[str, str]] = Counter()
    for ann in store.iter_annotations():
        if stories is not None and ann.story_id not in stories:
            continue
        link = {"quote": ann.speaker, "actor": ann.actor, "claim": ann.claimant}[ann.kind]
        actor = store.actor(link) if link else None
        meta = store.story_meta(ann.story_id)
        key = {
            "actor": actor.id if actor else "",
            "type": actor.type if actor else "",
            "agency": meta.agency or "",
            "section": meta.section or "",
        }[by]
        found[key, ann.kind] += 1
    return found


def table_counts(stats: StatsIndex, by: str, stories: frozenset[str] | None = None) -> Counter[tuple[str, str]]:
    return Counter(
        {(row.key, kind): n for row in stats.table(by, stories=stories) for kind, n in row.counts.items() if n}
    )


@pytest.mark.parametrize("by", ["actor", "type", "agency", "section"])
def test_tables_equal_a_plain_count_and_rows_open_to_what_they_count(library, by: str) -> None:
    store, _, _ = library
    stats = StatsIndex(store)
    assert table_counts(stats, by) == plain_counts(store, by)
    for row in stats.table(by):
        for kind, n in row.counts.items():
            assert len(stats.members(by, row.key, kind=kind)) == n


def test_share_of_voice_forms_and_time_groups(library) -> None:
    store, _, ids = library
    stats = StatsIndex(store)
    rows = {row.key: row for row in stats.table("actor", kind="quote")}
    assert rows[ids["minister"]].counts["quote"] == 2
    assert rows[ids["minister"]].share == pytest.approx(2 / 5)
    assert rows[ids["minister"]].forms["direct"] == 2
    assert rows[ids["union"]].forms["indirect"] == 1
    assert rows[""].label == "(no actor)" and rows[""].forms["unstated"] == 1
    assert [r.key for r in stats.table("week")] == ["2026-W10", "2026-W11"]
    assert [r.key for r in stats.table("month")] == ["2026-03"]
    assert [r.key for r in stats.table("day")] == ["2026-03-02", "2026-03-10"]
    assert set(BY) == {"actor", "type", "agency", "section", "day", "week", "month"}


def test_a_filter_selects_the_stories_counted(library) -> None:
    store, _, ids = library
    stats = StatsIndex(store)
    chosen = select(store, "agency:AP")
    assert chosen.stories == {DOCKS.id} and not chosen.errors
    assert table_counts(stats, "actor", chosen.stories) == plain_counts(store, "actor", {DOCKS.id})
    assert stats.members("actor", ids["minister"], kind="quote", stories=chosen.stories) == [
        a.id for a in store.annotations(DOCKS.id) if a.speaker == ids["minister"]
    ]
    assert select(store, "quoting:nobody-at-all").errors
    assert select(store, "").stories is None


def test_kept_current_as_annotations_and_the_registry_change(library) -> None:
    store, history, ids = library
    stats = StatsIndex(store)
    assert stats.rows == 7
    assert stats.speakers_per_story().keys() == {2}  # (remembered for the next figure of the same state)
    quote = next(a for a in store.annotations(MINISTRY.id) if a.exact == "We will not move")
    history.edit(quote.edited(speaker=ids["union"], form="partial"))
    history.delete(next(a.id for a in store.annotations(DOCKS.id) if a.exact == "Talks failed"))
    assert table_counts(stats, "actor") == plain_counts(store, "actor")
    assert stats.rows == 6
    assert stats.speakers_per_story() == {1: [DOCKS.id], 3: [MINISTRY.id]}
    history.merge_actors(ids["master"], ids["minister"])  # links follow the merge
    assert table_counts(stats, "actor") == plain_counts(store, "actor")
    history.edit_actor(store.actor(ids["union"]).edited(type="person"))  # type: ignore[union-attr]
    assert table_counts(stats, "type") == plain_counts(store, "type")
    history.undo()
    history.undo()
    history.undo()
    assert table_counts(stats, "actor") == plain_counts(store, "actor")


def test_compaction_keeps_counts(library, monkeypatch: pytest.MonkeyPatch) -> None:
    store, history, ids = library
    monkeypatch.setattr("annotations.stats.index._COMPACT_FROM", 1)
    stats = StatsIndex(store)
    stats.sync()
    for form in ("indirect", "partial", "direct", "indirect"):
        quote = next(a for a in store.annotations(DOCKS.id) if a.exact == "Talks failed")
        history.edit(quote.edited(form=form))
        rows = {row.key: row for row in stats.table("actor", kind="quote")}
        assert rows[ids["minister"]].forms[form] == 1 + (form == "direct")  # and one in MINISTRY
    assert stats.rows == 7 and len(stats.members("actor", ids["minister"])) == 3


def test_figures_over_stories(library) -> None:
    store, _, ids = library
    stats = StatsIndex(store)
    assert {n: set(found) for n, found in stats.speakers_per_story().items()} == {2: {MINISTRY.id, DOCKS.id}}
    officials = stats.officials()
    assert officials.only == [MINISTRY.id] and officials.other == [DOCKS.id]  # minister + harbour master; union
    assert officials.share == 0.5
    pairs = {
        (p.first, p.second) if p.first < p.second else (p.second, p.first): p.stories for p in stats.cooccurrence()
    }
    key = tuple(sorted((ids["minister"], ids["union"])))
    assert pairs[key] == [DOCKS.id]
    assert len(pairs) == 2
    assert len(stats.quotes_in([DOCKS.id])) == 2


def test_series_and_overview(library) -> None:
    store, _, ids = library
    stats = StatsIndex(store)
    weeks, weekly = stats.series([ids["minister"], ids["union"], "no-such-id"])
    assert weeks == ["2026-W10", "2026-W11"]
    assert weekly == {ids["minister"]: [1, 1], ids["union"]: [0, 1], "no-such-id": [0, 0]}
    seen = overview(stats, select(store, "agency:Reuters").stories)
    assert {r.key for r in seen.speakers} == {ids["minister"], ids["master"], ""}  # one quote each
    assert seen.weeks == ["2026-W10"] and seen.weekly[ids["minister"]] == [1]
    assert [r.key for r in seen.agencies] == ["Reuters"]
    assert seen.officials.only == [MINISTRY.id]


def test_a_pair_opens_to_the_quotes_of_both_in_the_stories_quoting_both(library) -> None:
    store, _, ids = library
    stats = StatsIndex(store)
    pair = next(p for p in stats.cooccurrence() if {p.first, p.second} == {ids["minister"], ids["union"]})
    quotes = {a.id for a in store.annotations(DOCKS.id) if a.kind == "quote"}
    assert set(stats.pair_quotes(pair)) == quotes
    seen = overview(stats)
    assert seen.speakers_per_story == {2: 2} and seen.mean_speakers == 2.0
    assert len(seen.pairs) == 2


def test_a_layer_counts_only_its_annotators_annotations(library) -> None:
    from annotations.layers import ALL, CURATED, Layers

    store, _, ids = library
    stats = StatsIndex(store)
    stats.sync()  # the figures catch up on annotations added later
    copies = [  # Ben tagged the minister's quote too; the curator kept one copy of it
        replace(tag_text(MINISTRY, "The port will reopen Monday", "quote"), speaker=ids["minister"], annotator=who)
        for who in ("Ben", CURATED)
    ]
    store.apply([(None, ann) for ann in copies])
    layers = Layers("tester")  # who made the fixture's annotations
    names = stats.annotator_names()
    assert sorted(names) == ["Ben", CURATED, "tester"]
    assert layers.ordered(layers.of_name(n) for n in names) == ["tester", "Ben", CURATED]

    def minister_quotes(layer: str) -> int:
        annotators = layers.recorded_names(layer, names)
        rows = {row.key: row for row in stats.table("actor", kind="quote", annotators=annotators)}
        counted = rows[ids["minister"]].counts["quote"]
        listed = stats.members("actor", ids["minister"], kind="quote", annotators=annotators)
        assert len(listed) == counted  # the list behind the figure is of the same layer
        return counted

    assert minister_quotes("tester") == 2 and minister_quotes("Ben") == 1 and minister_quotes(CURATED) == 1
    assert minister_quotes(ALL) == 4
    ben = overview(stats, None, layers.recorded_names("Ben", names))
    assert [row.key for row in ben.speakers] == [ids["minister"]] and ben.officials.only == [MINISTRY.id]
    assert overview(stats, None, frozenset({"Nobody"})).speakers == []
