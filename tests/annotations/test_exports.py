"""Exports: JSON with stories and annotations, CSV with one row per annotation, safe for spreadsheets; the
selection they export (filters)."""

from __future__ import annotations

import csv
import inspect
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotations import exports
from annotations.actors import Actor
from annotations.anchor import locate
from annotations.exports import EXPORTERS, Exporter, ExportError, ExportFilter, actor_ids, exporter, select
from annotations.exports import csv as export_csv
from annotations.exports import json as export_json
from annotations.history import History
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story, StoryBuilder, StoryMeta
from tests.store_support import add_story, remove
from tests.store_support import put as save


def build(headline: str, *paragraphs: str, **meta: object) -> Story:
    builder = StoryBuilder()
    builder.add("headline", headline)
    for text in paragraphs:
        builder.add("paragraph", text)
    return builder.build(StoryMeta(headline="", **meta))  # type: ignore[arg-type]


RIVER = build(
    "Mayor says river bridge “will reopen in May”",
    "“The bridge will reopen in May,” Mayor Ines Okafor said on Monday.",
    "Engineers found cracks in two of the bridge’s steel piers last week.",
    agency="Associated Press",
    created="2026-02-09",
    updated="2026-02-10",
)
FERRY = build("Ferries sail again", "Ferry services resumed on Tuesday after a two-day strike.", agency="Reuters")


def put(
    store: Store,
    story: Story,
    exact: str,
    kind: str = "quote",
    note: str = "",
    annotator: str = "ana",
    raw: bool = False,
) -> None:
    """Tag `exact`; `raw` stores the note and annotator as given (as a merge from elsewhere may), not as typed."""
    start, end = locate(story, exact)
    ann = Annotation.new(story, kind, start, end, note=note, annotator=annotator)
    save(store, replace(ann, note=note, annotator=annotator) if raw else ann)


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        add_story(s, RIVER)
        add_story(s, FERRY)
        put(s, RIVER, "The bridge will reopen in May")
        put(s, RIVER, "Mayor Ines Okafor", kind="actor")
        put(s, FERRY, "Ferry services resumed on Tuesday", kind="claim", note="confirmed by the port")
        yield s


def export(module, store: Store, story_ids=None) -> tuple[str, int]:
    out = io.StringIO(newline="")
    count = module.write(store, out, select(store, ExportFilter(story_ids=frozenset(story_ids) if story_ids else None)))
    return out.getvalue(), count


def test_every_export_module_is_an_exporter_registered_by_its_name(tmp_path: Path) -> None:
    """The registry holds every module of annotations/exports/, each satisfying the `Exporter` protocol (mypy
    checks the types; this checks what a run can see), under its own unique NAME."""
    modules = {p.stem for p in Path(exports.__file__).parent.glob("*.py")} - {
        "__init__",
        "scopes",
    }  # scopes: what to export
    assert sorted(EXPORTERS.values()) == sorted(f"annotations.exports.{m}" for m in modules)
    assert list(EXPORTERS) == ["json", "jsonl", "csv", "w3c", "brat", "markdown"]
    loaded = [exporter(name) for name in EXPORTERS]
    for name, module in zip(EXPORTERS, loaded, strict=True):
        assert isinstance(module, Exporter), name  # every member of the protocol is there
        assert name == module.NAME and isinstance(module.LABEL, str) and module.LABEL
        assert module.SINGLE_FILE is (name != "brat")
        assert module.EXTENSION.startswith(".") if module.SINGLE_FILE else module.EXTENSION == ""
        params = list(inspect.signature(module.write).parameters.values())
        assert [p.kind for p in params[:3]] == [inspect.Parameter.POSITIONAL_OR_KEYWORD] * 3, name
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is not p.empty for p in params[3:]), name
        assert module.replaceable(tmp_path) is not module.SINGLE_FILE  # an empty folder: only brat's own
    for attribute in ("NAME", "LABEL"):
        assert len({getattr(m, attribute) for m in loaded}) == len(loaded), attribute
    assert len({m.EXTENSION for m in loaded if m.SINGLE_FILE}) == len(loaded) - 1


# --- JSON --------------------------------------------------------------------------------------------------


def test_json_export_holds_stories_and_annotations(store: Store) -> None:
    text, count = export(export_json, store)
    data = json.loads(text)
    assert count == 3
    assert data["wiredesk_export"] == export_json.FORMAT_VERSION == 2
    keys = ["wiredesk_export", "actors", "stories", "annotations", "threads", "deleted", "deleted_threads"]
    assert list(data) == keys  # no time
    stories = {s["id"]: s for s in data["stories"]}
    assert set(stories) == {RIVER.id, FERRY.id}
    river = stories[RIVER.id]
    assert river["text"] == RIVER.text
    assert river["blocks"] == [b.to_dict() for b in RIVER.blocks]
    assert river["headline"] == RIVER.headline and river["agency"] == "Associated Press"
    assert river["created"] == "2026-02-09" and river["updated"] == "2026-02-10"
    assert len(data["annotations"]) == 3
    for ann in data["annotations"]:
        assert set(ann) == set(Annotation.__dataclass_fields__) - {"carried"}  # only carried ones have it
        assert stories[ann["story_id"]]["text"][ann["start"] : ann["end"]] == ann["exact"]
    assert {a["exact"] for a in data["annotations"]} == {
        "The bridge will reopen in May",
        "Mayor Ines Okafor",
        "Ferry services resumed on Tuesday",
    }


@pytest.fixture
def linked(store: Store) -> dict[str, Actor]:
    """The river story's quote and actor linked to "Ines Okafor"; a claim by the port authority, which was merged
    into "Fernside Port Authority"."""
    okafor = Actor.new("Ines Okafor", "person", aliases=("Mayor Okafor",), external_id="Q1", note="mayor")
    port = Actor.new("Port authority", "organisation")
    authority = Actor.new("Fernside Port Authority", "organisation")
    history = History(store)
    edits = [(None, okafor), (None, port), (None, authority)]
    for ann in store.annotations():
        field = {"quote": "speaker", "actor": "actor", "claim": "claimant"}[ann.kind]
        target = port if ann.kind == "claim" else okafor
        extra = {"quote": {"form": "direct", "cue": "said"}, "claim": {"status": "disputed"}}.get(ann.kind, {})
        edits.append((ann, ann.edited(**{field: target.id}, **extra)))
    history.do(edits, "link")
    history.merge_actors(port.id, authority.id)
    return {"okafor": okafor, "port": port, "authority": authority}


def test_json_export_carries_the_registry_and_the_links(store: Store, linked: dict[str, Actor]) -> None:
    data = json.loads(export(export_json, store)[0])
    actors = {a["name"]: a for a in data["actors"]}
    assert [a["name"] for a in data["actors"]] == ["Fernside Port Authority", "Ines Okafor", "Port authority"]
    assert actors["Ines Okafor"] == {**linked["okafor"].to_dict(), "aliases": ["Mayor Okafor"]}
    assert set(actors["Ines Okafor"]) == set(Actor.__dataclass_fields__)
    assert actors["Port authority"]["merged_into"] == linked["authority"].id  # merged entries are kept
    assert actors["Fernside Port Authority"]["aliases"] == ["Port authority"]
    by_kind = {a["kind"]: a for a in data["annotations"]}
    assert by_kind["quote"]["speaker"] == by_kind["actor"]["actor"] == linked["okafor"].id
    assert (by_kind["quote"]["form"], by_kind["quote"]["cue"]) == ("direct", "said")
    assert (by_kind["claim"]["claimant"], by_kind["claim"]["status"]) == (linked["port"].id, "disputed")


def test_two_json_exports_of_the_same_state_are_byte_identical(store: Store, linked: dict[str, Actor]) -> None:
    first = export(export_json, store)[0]
    assert export(export_json, store)[0] == first
    store.close()
    with Store(store.data_dir, read_only=True) as again:
        assert export(export_json, again)[0] == first


def test_json_export_keeps_non_ascii_text_as_is(store: Store) -> None:
    text, _ = export(export_json, store)
    assert "“will reopen in May”" in text and "bridge’s" in text


def test_json_export_of_chosen_stories(store: Store) -> None:
    data = json.loads(export(export_json, store, [FERRY.id])[0])
    assert [s["id"] for s in data["stories"]] == [FERRY.id]
    assert [a["exact"] for a in data["annotations"]] == ["Ferry services resumed on Tuesday"]
    assert all(a["story_id"] == FERRY.id for a in data["annotations"])


def test_json_export_of_a_story_without_annotations(store: Store) -> None:
    lone = build("Quiet day at the port", "Nothing happened.")
    add_story(store, lone)
    text, count = export(export_json, store, [lone.id])
    data = json.loads(text)
    assert count == 0 and data["annotations"] == [] and len(data["stories"]) == 1


def test_json_export_of_an_empty_library(data_dir: Path) -> None:
    with Store(data_dir) as empty:
        text, count = export(export_json, empty)
    data = json.loads(text)
    assert count == 0
    lists = ("actors", "stories", "annotations", "threads", "deleted", "deleted_threads")
    assert data == {"wiredesk_export": 2, **{key: [] for key in lists}}


def test_exports_hold_every_version_of_a_story(store: Store) -> None:
    """A story that came again keeps the annotations of its first version: the export holds both versions."""
    old = build("Pilots end overtime ban", "The union said pilots would fly on Sunday.", wire_id="w1", version=1)
    new = build("Pilots end overtime ban", "The union said pilots would fly on Saturday.", wire_id="w1", version=2)
    store.add_stories([old, new])
    put(store, old, "pilots would fly on Sunday", kind="claim")
    assert old.id in {s["id"] for s in json.loads(export(export_json, store)[0])["stories"]}
    assert "pilots would fly on Sunday" in {r[5] for r in read_csv(export(export_csv, store)[0])}


# --- CSV ---------------------------------------------------------------------------------------------------


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_has_a_header_and_one_row_per_annotation(store: Store) -> None:
    text, count = export(export_csv, store)
    rows = read_csv(text)
    assert rows[0] == list(export_csv.COLUMNS)
    assert count == 3 and len(rows) == 4
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    by_text = {r["text"]: r for r in records}
    quote = by_text["The bridge will reopen in May"]
    assert quote["story_id"] == RIVER.id and quote["kind"] == "quote"
    assert quote["headline"] == RIVER.headline and quote["agency"] == "Associated Press"
    assert (quote["published"], quote["updated"]) == ("2026-02-09", "2026-02-10")
    assert RIVER.text[int(quote["start"]) : int(quote["end"])] == quote["text"]
    assert by_text["Ferry services resumed on Tuesday"]["note"] == "confirmed by the port"
    assert text.endswith("\r\n")


def test_csv_of_chosen_stories_and_of_an_empty_library(store: Store, tmp_path: Path) -> None:
    rows = read_csv(export(export_csv, store, [RIVER.id])[0])
    assert len(rows) == 3 and {r[0] for r in rows[1:]} == {RIVER.id}
    with Store(tmp_path / "empty") as empty:
        text, count = export(export_csv, empty)
    assert count == 0 and read_csv(text) == [list(export_csv.COLUMNS)]


def test_csv_round_trips_notes_with_newlines_quotes_and_commas(store: Store) -> None:
    note = 'first line, with a comma\nsecond "quoted" line\r\nthird line; ünïcödé “curly”'
    put(store, RIVER, "Engineers found cracks", kind="claim", note=note, raw=True)
    rows = read_csv(export(export_csv, store, [RIVER.id])[0])
    notes = {r[5]: r[8] for r in rows[1:]}
    assert notes["Engineers found cracks"] == note


def test_csv_names_the_linked_actors_through_merges(store: Store, linked: dict[str, Actor]) -> None:
    rows = read_csv(export(export_csv, store)[0])
    records = {r["kind"]: r for r in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}
    assert list(export_csv.COLUMNS[-10:]) == [
        "speaker",
        "claimant",
        "actor",
        "actor_type",
        "form",
        "status",
        "cue",
        "updated",
        "thread",
        "thread_status",
    ]
    quote, actor, claim = records["quote"], records["actor"], records["claim"]
    assert (quote["speaker"], quote["actor_type"], quote["form"], quote["cue"]) == (
        "Ines Okafor",
        "person",
        "direct",
        "said",
    )
    assert (actor["actor"], actor["speaker"], actor["claimant"], actor["actor_type"]) == (
        "Ines Okafor",
        "",
        "",
        "person",
    )
    assert (claim["claimant"], claim["actor_type"], claim["status"]) == (
        "Fernside Port Authority",
        "organisation",
        "disputed",
    )
    assert claim["form"] == claim["cue"] == claim["speaker"] == ""


def test_csv_neutralises_actor_names_and_cues(store: Store) -> None:
    history = History(store)
    actor = Actor.new("=HYPERLINK(1)", "person")
    (quote,) = [a for a in store.annotations() if a.kind == "quote"]
    history.do([(None, actor), (quote, quote.edited(speaker=actor.id, cue="+said"))], "link")
    rows = read_csv(export(export_csv, store)[0])
    record = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[4] == "quote")
    assert (record["speaker"], record["cue"]) == ("'=HYPERLINK(1)", "'+said")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_formulas(store: Store, start: str) -> None:
    note = f'{start}HYPERLINK("http://evil.example","x")'
    put(store, RIVER, "Engineers found cracks", kind="claim", note=note, annotator=f"{start}cmd", raw=True)
    rows = read_csv(export(export_csv, store, [RIVER.id])[0])
    row = next(r for r in rows[1:] if r[5] == "Engineers found cracks")
    assert row[8] == "'" + note
    assert row[9] == f"'{start}cmd"


def test_csv_neutralises_headlines_and_tagged_text(data_dir: Path) -> None:
    story = build("=SUM(A1:A9) rises", "-5 degrees was the low, forecasters said.")
    with Store(data_dir) as s:
        add_story(s, story)
        put(s, story, "-5 degrees", kind="claim")
        rows = read_csv(export(export_csv, s)[0])
    assert rows[1][1] == "'=SUM(A1:A9) rises"
    assert rows[1][5] == "'-5 degrees"
    assert rows[1][6:8] == [str(story.text.index("-5")), str(story.text.index("-5") + len("-5 degrees"))]


def test_csv_neutralises_every_column(data_dir: Path) -> None:
    """Ids, dates and offsets too: a merge from elsewhere (or an older library) may carry anything in them."""
    story = build("Dock talks resume", "Talks resumed on Monday.", created="=cmd|' /C calc'!A0")
    with Store(data_dir) as s:
        add_story(s, story)
        ann = Annotation.new(story, "claim", 0, 4)
        odd = replace(ann, id='=HYPERLINK("http://evil.example","x")', created="=1+1", modified="+2+2")
        s.apply([(None, odd)])
        rows = read_csv(export(export_csv, s)[0])
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["annotation_id"] == "'" + odd.id
    assert (record["created"], record["modified"], record["published"]) == ("'=1+1", "'+2+2", "'=cmd|' /C calc'!A0")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in rows[1])


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+1", "'=1+1"), ("@x", "'@x"), ("\tx", "'\tx"), ("plain", "plain"), ("", ""), ("a=b", "a=b"), (" =x", " =x")],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert export_csv.neutralise(cell) == safe


def test_csv_is_utf8_when_written_to_a_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        export_csv.write(store, fh, select(store))
    text = path.read_bytes().decode("utf-8")
    assert "“will reopen in May”" in text
    assert len(read_csv(text)) == 4


# --- the selection -----------------------------------------------------------------------------------------


def chosen(store: Store, **flt: object) -> dict[str, list[str]]:
    """Headline -> exact texts of the chosen annotations, for a filter."""
    return {c.entry.meta.headline: [a.exact for a in c.annotations] for c in select(store, ExportFilter(**flt))}  # type: ignore[arg-type]


def test_select_orders_stories_by_date_then_id_and_keeps_stories_without_annotations(store: Store) -> None:
    lone = build("Quiet day at the port", "Nothing happened.", created="2026-01-01")
    add_story(store, lone)
    assert list(chosen(store)) == [FERRY.headline, lone.headline, RIVER.headline]  # no date sorts first
    assert chosen(store)[lone.headline] == []


def test_filters_by_kind_annotator_and_story(store: Store) -> None:
    assert chosen(store, kinds=frozenset({"claim"})) == {FERRY.headline: ["Ferry services resumed on Tuesday"]}
    put(store, RIVER, "Engineers found cracks", kind="claim", annotator="bo")
    assert chosen(store, annotators=frozenset({"bo"})) == {RIVER.headline: ["Engineers found cracks"]}
    assert chosen(store, story_ids=frozenset({FERRY.id}), kinds=frozenset({"quote"})) == {}
    assert list(chosen(store, story_ids=frozenset({FERRY.id}))) == [FERRY.headline]


def test_filters_by_story_date_both_ends_included(store: Store) -> None:
    assert list(chosen(store, since="2026-02-10", until="2026-02-10")) == [RIVER.headline]  # the day it was updated
    assert chosen(store, since="2026-02-09", until="2026-02-09") == {}  # created then, but updated since
    assert list(chosen(store, until="2026-02-10")) == [RIVER.headline]
    added = next(e.added for e in store.entries() if e.id == FERRY.id)[:10]
    assert added > "2026-02-10"
    assert list(chosen(store, since=added, until=added)) == [FERRY.headline]  # no date of its own: when added


def test_a_dateline_day_counts_as_the_library_sorts_by_it(tmp_path: Path) -> None:
    builder = StoryBuilder()
    builder.add("headline", "Dock strike ends")
    builder.add("paragraph", "The strike ended.")
    story = builder.build(StoryMeta(headline="", extra={"dateline_date": "March 4"}))
    with Store(tmp_path / "d") as store:
        add_story(store, story)
        year = next(iter(store.entries())).added[:4]
        day = f"{year}-03-04" if f"{year}-03-04" <= next(iter(store.entries())).added[:10] else f"{int(year) - 1}-03-04"
        assert [s.entry.id for s in select(store, ExportFilter(since=day, until=day))] == [story.id]


def test_filters_by_actor_follow_merges(store: Store, linked: dict[str, Actor]) -> None:
    authority = actor_ids(store, "Fernside Port Authority")
    assert authority == {linked["authority"].id, linked["port"].id}
    assert actor_ids(store, "port AUTHORITY") == authority  # the merged entry's name, now an alias
    assert chosen(store, actor_ids=authority) == {FERRY.headline: ["Ferry services resumed on Tuesday"]}
    okafor = actor_ids(store, "Mayor Okafor")
    assert chosen(store, actor_ids=okafor) == {RIVER.headline: ["The bridge will reopen in May", "Mayor Ines Okafor"]}


def test_an_unknown_or_ambiguous_actor_name_is_refused(store: Store, linked: dict[str, Actor]) -> None:
    with pytest.raises(ExportError, match='no actor called "Nobody"'):
        actor_ids(store, "Nobody")
    History(store).add_actor(Actor.new("Ines Okafor", "person"))  # a namesake
    with pytest.raises(ExportError, match="ambiguous"):
        actor_ids(store, "Ines Okafor")


def test_json_export_holds_the_tombstones_of_its_stories_only(store: Store) -> None:
    (quote,) = [a for a in store.annotations(RIVER.id) if a.kind == "quote"]
    remove(store, quote.id)
    assert [t["id"] for t in json.loads(export(export_json, store)[0])["deleted"]] == [quote.id]
    assert json.loads(export(export_json, store, [FERRY.id])[0])["deleted"] == []
