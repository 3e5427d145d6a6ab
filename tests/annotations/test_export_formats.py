"""Export formats on a fixed library: golden files (byte for byte), and each format's own rules — W3C Web
Annotation MUSTs, brat standoff offsets and references, CSV safety, clean Markdown.

The golden files are in tests/annotations/golden/; after a deliberate change, regenerate them with
`UPDATE_GOLDEN=1 pytest tests/annotations/test_export_formats.py` and review the diff by eye
(tests/annotations/golden/README.md).
"""

from __future__ import annotations

import csv
import gc
import hashlib
import html.parser
import io
import json
import os
import re
import shutil
import weakref
from dataclasses import replace
from pathlib import Path

import pytest

from annotations.exports import EXPORTERS, ExportFilter, Selected, exporter, select
from annotations.exports import brat as export_brat
from annotations.exports import csv as export_csv
from annotations.exports import jsonl as export_jsonl
from annotations.exports import markdown as export_markdown
from annotations.exports import w3c as export_w3c
from annotations.model import FORMS, STATUSES, Annotation
from annotations.store import Store
from stories.model import Story
from tests.export_fixture import ANNOTATIONS, AUTHORITY, FERRY, OKAFOR, OZTURK, QUIET, RIVER, fill

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
W3C_TESTS = ROOT.parent / "shared" / "w3c-web-annotation-tests"
SINGLE_FILE = [name for name in EXPORTERS if exporter(name).SINGLE_FILE]


@pytest.fixture
def library(data_dir: Path):
    with Store(data_dir) as store:
        yield fill(store)


def export(store: Store, fmt: str, flt: ExportFilter | None = None, **options: object) -> str:
    out = io.StringIO(newline="")
    exporter(fmt).write(store, out, select(store, flt), **options)
    return out.getvalue()


def stem(story: Story) -> str:
    """The name of a story's brat files (without ending)."""
    return export_brat.file_stem(story.id, story.headline)


def brat_folder(store: Store, folder: Path, flt: ExportFilter | None = None) -> dict[str, bytes]:
    folder.mkdir()
    export_brat.write(store, folder, select(store, flt))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def golden(name: str, data: bytes) -> None:
    """Compare with tests/annotations/golden/NAME, or (UPDATE_GOLDEN=1) write it."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.is_file(), f"no golden file {name}: run UPDATE_GOLDEN=1 pytest tests/annotations/test_export_formats.py"
    expected = path.read_bytes()
    if data != expected:  # show a readable diff, then insist on the bytes
        assert data.decode("utf-8") == expected.decode("utf-8")
    assert data == expected


# --- golden files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", SINGLE_FILE)
def test_golden_single_file_exports(library: Store, fmt: str) -> None:
    golden(f"library{exporter(fmt).EXTENSION}", export(library, fmt).encode("utf-8"))


def test_golden_brat_export(library: Store, tmp_path: Path) -> None:
    files = brat_folder(library, tmp_path / "brat")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN / "brat", ignore_errors=True)
    for name, data in files.items():
        golden(f"brat/{name}", data)
    assert sorted(p.name for p in (GOLDEN / "brat").iterdir()) == sorted(files)


def test_golden_csv_for_excel_differs_by_its_byte_order_mark_only(library: Store) -> None:
    assert export(library, "csv", excel=True) == "\ufeff" + export(library, "csv")


@pytest.mark.parametrize("fmt", SINGLE_FILE)
def test_exports_do_not_change_between_runs_or_on_reopening(library: Store, fmt: str) -> None:
    first = export(library, fmt)
    assert export(library, fmt) == first
    library.close()
    with Store(library.data_dir, read_only=True) as again:
        assert export(again, fmt) == first


@pytest.mark.parametrize("fmt", SINGLE_FILE)
def test_every_format_reads_the_selection_once(library: Store, fmt: str) -> None:
    """A selection is any iterable, read once (the app wraps it in a generator to show progress)."""
    chosen = iter(list(select(library)))
    out = io.StringIO(newline="")
    assert exporter(fmt).write(library, out, chosen) == len(ANNOTATIONS)
    assert out.getvalue() == export(library, fmt)


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_exports_keep_no_story_once_written(library: Store, fmt: str, tmp_path: Path) -> None:
    """Streaming: by the time a story is handed over, the annotations of those before it are let go."""
    held: list[list[weakref.ref]] = []

    def stories():
        for chosen in select(library):
            gc.collect()
            assert all(ref() is None for refs in held[:-1] for ref in refs), "an earlier story is still held"
            held.append([weakref.ref(chosen), *(weakref.ref(a) for a in chosen.annotations)])
            yield chosen

    module = exporter(fmt)
    out = io.StringIO(newline="") if module.SINGLE_FILE else tmp_path
    assert module.write(library, out, stories()) == len(ANNOTATIONS)
    assert len(held) == 3


# --- JSON Lines -------------------------------------------------------------------------------------------


def test_jsonl_has_one_annotation_a_line_with_its_story_and_names(library: Store) -> None:
    lines = export(library, "jsonl").split("\n")
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    assert len(records) == len(ANNOTATIONS)
    assert len({tuple(r) for r in records}) == 1  # the same keys, in the same order, on every line
    by_id = {r["id"]: r for r in records}
    claim = by_id[ANNOTATIONS[5].id]  # its claimant was merged into the port authority
    assert (claim["claimant"], claim["claimant_name"], claim["actor_type"]) == (
        ANNOTATIONS[5].claimant,
        AUTHORITY.name,
        "organisation",
    )
    quote = by_id[ANNOTATIONS[3].id]
    assert quote["exact"] == "Traffic will flow again,\n\nand the night ferries can stop,"
    assert (quote["headline"], quote["agency"], quote["published"], quote["updated"]) == (
        RIVER.headline,
        "Associated Press",
        RIVER.meta.created,
        RIVER.meta.updated,
    )
    assert quote["speaker_name"] == OKAFOR.name and quote["story_id"] == RIVER.id


def test_jsonl_escapes_unicode_line_separators(library: Store) -> None:
    entry = next(e for e in library.entries() if e.id == FERRY.id)
    odd = replace(Annotation.new(FERRY, "quote", 0, 5), note="one\u2028two\u2029three")  # not as typed: as merged
    out = io.StringIO(newline="")
    export_jsonl.write(library, out, [Selected(entry, [odd])])
    assert out.getvalue().count("\n") == 1 and len(out.getvalue().splitlines()) == 1
    assert json.loads(out.getvalue())["note"] == "one\u2028two\u2029three"


# --- CSV --------------------------------------------------------------------------------------------------


def test_csv_round_trips_every_annotation_through_the_csv_module(library: Store) -> None:
    rows = list(csv.reader(io.StringIO(export(library, "csv"), newline="")))
    assert rows[0] == list(export_csv.COLUMNS)
    records = {r["annotation_id"]: r for r in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}
    for ann in ANNOTATIONS:
        rec = records[ann.id]
        for column, value in (("text", ann.exact), ("note", ann.note), ("annotator", ann.annotator)):
            assert rec[column] == export_csv.neutralise(value), column
        assert (int(rec["start"]), int(rec["end"])) == (ann.start, ann.end)
    assert records[ANNOTATIONS[2].id]["note"] == 'The dredging report says "August".\nAsk the council.'
    assert records[ANNOTATIONS[3].id]["text"] == "Traffic will flow again,\n\nand the night ferries can stop,"
    assert records[ANNOTATIONS[5].id]["claimant"] == AUTHORITY.name


def test_csv_neutralises_the_fixture_formulas(library: Store) -> None:
    rows = list(csv.reader(io.StringIO(export(library, "csv"), newline="")))
    cells = {cell for row in rows[1:] for cell in row}
    assert {"'=bob", "'@carl", "'-check with engineers", "'- 5 piers were checked"} <= cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


# --- story dates ------------------------------------------------------------------------------------------


def test_csv_jsonl_and_markdown_give_when_a_story_was_published_and_when_updated(data_dir: Path) -> None:
    """`published` is the story's first date, `updated` its last (both were the updated date before)."""
    story = replace(RIVER, meta=replace(RIVER.meta, created="2026-01-03T18:00:00Z", updated="2026-01-04T08:30:00Z"))
    alone = replace(FERRY, meta=replace(FERRY.meta, created=None, updated="2026-03-02"))
    with Store(data_dir) as store:
        store.add_stories([story, alone])
        store.apply([(None, OKAFOR), (None, ANNOTATIONS[0]), (None, ANNOTATIONS[11])])
        rows = list(csv.DictReader(io.StringIO(export(store, "csv"), newline="")))
        lines = [json.loads(line) for line in export(store, "jsonl").splitlines()]
        markdown = export(store, "markdown")
    for records in (rows, lines):
        dates = {r["story_id"]: (r["published"], r["updated"]) for r in records}
        assert dates == {story.id: ("2026-01-03T18:00:00Z", "2026-01-04T08:30:00Z"), alone.id: ("", "2026-03-02")}
    assert "Associated Press · 2026-01-03 · updated 2026-01-04 · FERNSIDE" in markdown
    assert "Reuters · updated 2026-03-02 · story" in markdown


# --- W3C Web Annotation -----------------------------------------------------------------------------------


def w3c_validators() -> list[tuple[str, object, bool]]:
    """(assertion, validator, expected valid) for each schema annotationMusts.test lists."""
    if not W3C_TESTS.is_dir():
        pytest.skip("../shared/w3c-web-annotation-tests is not present")
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    definitions = [json.loads(p.read_text("utf-8")) for p in sorted((W3C_TESTS / "definitions").glob("*.json"))]
    registry = Registry().with_resources(
        (d["id"], Resource.from_contents(d, default_specification=DRAFT4)) for d in definitions
    )
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    assert {"uri", "date-time"} <= set(checker.checkers), "install the [test] extra: formats must be checked"
    musts = json.loads((W3C_TESTS / "annotations" / "annotationMusts.test").read_text("utf-8"))["assertions"]
    found = []
    for name in musts:
        schema = json.loads((W3C_TESTS / name).read_text("utf-8"))
        validator = jsonschema.Draft4Validator(schema, registry=registry, format_checker=checker)
        found.append((name, validator, schema.get("expectedResult", "valid") == "valid"))
    assert len(found) == len(musts) > 40
    return found


def must_failures(annotation: dict, validators: list[tuple[str, object, bool]]) -> list[str]:
    return [name for name, v, valid in validators if v.is_valid(annotation) != valid]  # type: ignore[attr-defined]


def test_every_w3c_annotation_passes_the_must_assertions(library: Store) -> None:
    validators = w3c_validators()
    items = json.loads(export(library, "w3c"))["first"]["items"]
    assert len(items) == len(ANNOTATIONS)
    for item in items:
        assert must_failures(item, validators) == [], item["id"]


@pytest.mark.parametrize(
    "breakage",
    [
        lambda a: a.pop("target"),
        lambda a: a.update(id="not an iri"),
        lambda a: a.update(type="Note"),
        lambda a: a.update({"@context": "http://example.org/context"}),
        lambda a: a.update(created="last Tuesday"),
        lambda a: a["body"].append({"type": "TextualBody"}),
        lambda a: a["body"].append({"type": "SpecificResource", "purpose": "identifying"}),
        lambda a: a.update(bodyValue="both body and bodyValue"),
    ],
    ids=["no target", "id", "type", "context", "created", "body without value", "resource without source", "bodyValue"],
)
def test_a_broken_annotation_fails_the_must_assertions(library: Store, breakage) -> None:
    validators = w3c_validators()
    item = json.loads(export(library, "w3c"))["first"]["items"][0]
    breakage(item)
    assert must_failures(item, validators)


def test_w3c_targets_and_bodies(library: Store) -> None:
    data = json.loads(export(library, "w3c"))
    assert (data["type"], data["total"], data["first"]["type"]) == ("AnnotationCollection", 13, "AnnotationPage")
    assert data["last"] == data["first"]["id"] and data["id"].startswith("urn:wiredesk:collection:")
    texts = {s.id: s.text for s in (RIVER, FERRY, QUIET)}
    items = {item["id"]: item for item in data["first"]["items"]}
    assert len(items) == len(ANNOTATIONS)
    for ann in ANNOTATIONS:
        item = items[f"urn:uuid:{ann.id}"]
        source, (quote, position) = item["target"]["source"], item["target"]["selector"]
        assert source == f"urn:wiredesk:story:{ann.story_id}"
        text = texts[ann.story_id]
        assert text[position["start"] : position["end"]] == quote["exact"] == ann.exact  # code points
        assert text[: position["start"]].endswith(quote["prefix"]) and text[position["end"] :].startswith(
            quote["suffix"]
        )
        assert {"purpose": "tagging", "value": ann.kind} == {k: item["body"][0][k] for k in ("purpose", "value")}
        notes = [b["value"] for b in item["body"] if b.get("purpose") == "commenting"]
        assert notes == ([ann.note] if ann.note else [])
        assert ("creator" in item) == bool(ann.annotator)
    claim = items[f"urn:uuid:{ANNOTATIONS[5].id}"]  # claimant merged into the port authority
    (link,) = [b for b in claim["body"] if b["type"] == "SpecificResource"]
    assert link == {
        "type": "SpecificResource",
        "purpose": "identifying",
        "source": {"id": f"urn:wiredesk:actor:{AUTHORITY.id}", "name": AUTHORITY.name},
    }
    assert [b["value"] for b in claim["body"] if b.get("purpose") == "assessing"] == ["false"]
    ferry = items[f"urn:uuid:{ANNOTATIONS[10].id}"]["target"]["selector"][1]
    assert ferry["start"] == FERRY.text.index("Ferry services")  # after 🚢 in the headline: code points, not UTF-16


def test_w3c_collection_of_nothing(library: Store) -> None:
    data = json.loads(export(library, "w3c", ExportFilter(story_ids=frozenset({QUIET.id}))))
    assert data["total"] == 0 and "first" not in data and "last" not in data


@pytest.mark.parametrize("ident", ["not a uuid", "a/b?c#d", "Ünïcode"])
def test_w3c_iris_of_odd_ids_are_valid(ident: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    for iri in (export_w3c.annotation_uri(ident), export_w3c.actor_uri(ident), export_w3c.story_uri(ident)):
        assert checker.conforms(iri, "uri"), iri


# --- brat standoff ----------------------------------------------------------------------------------------


def read_standoff(ann_text: str) -> dict[str, dict[str, tuple]]:
    """A tiny brat standoff reader: T (type, spans, text), R (type, arg1, arg2), A (name, target, value),
    # (target, note), by id; fails on anything else, on a duplicate id and on a malformed line."""
    found: dict[str, dict[str, tuple]] = {"T": {}, "R": {}, "A": {}, "#": {}}
    assert ann_text == "" or ann_text.endswith("\n")
    for line in ann_text.splitlines():
        ident, middle, *rest = line.split("\t")
        kind = ident[0]
        assert ident[1:].isdigit() and ident not in found[kind], line
        if kind == "T":
            label, spans = middle.split(" ", 1)
            pieces = tuple(tuple(int(x) for x in piece.split(" ")) for piece in spans.split(";"))
            found["T"][ident] = (label, pieces, rest[0])
        elif kind == "R":
            label, arg1, arg2 = middle.split(" ")
            assert arg1.startswith("Arg1:") and arg2.startswith("Arg2:") and rest == []
            found["R"][ident] = (label, arg1[5:], arg2[5:])
        elif kind == "A":
            found["A"][ident] = tuple(middle.split(" "))
            assert rest == []
        else:
            label, target = middle.split(" ")
            assert label == "AnnotatorNotes" and len(rest) == 1 and rest[0]
            found["#"][ident] = (target, rest[0])
    return found


def test_brat_entities_slice_their_text_and_references_hold(library: Store, tmp_path: Path) -> None:
    files = brat_folder(library, tmp_path / "brat")
    conf = files["annotation.conf"].decode("utf-8")
    relations = {"Speaker": ("Quote", "Actor"), "Claimant": ("Claim", "Actor")}
    values = {"Form": ("Quote", FORMS), "Status": ("Claim", STATUSES)}
    total = 0
    for story in (RIVER, FERRY, QUIET):
        text = files[f"{stem(story)}.txt"].decode("utf-8")
        assert text == story.text
        parsed = read_standoff(files[f"{stem(story)}.ann"].decode("utf-8"))
        entities = parsed["T"]
        total += len(entities)
        for label, pieces, span_text in entities.values():
            assert label in ("Quote", "Actor", "Claim") and label in conf
            assert all(s < e and "\n" not in text[s:e] for s, e in pieces)
            assert span_text == " ".join(text[s:e] for s, e in pieces)
        for label, arg1, arg2 in parsed["R"].values():
            assert (entities[arg1][0], entities[arg2][0]) == relations[label]
        for name, target, value in parsed["A"].values():
            assert target in entities
            if name in values:
                assert (entities[target][0], value in values[name][1]) == (values[name][0], True)
            assert f"{name}\tArg:{entities[target][0]}" in conf and value in conf
        assert all(target in entities for target, _ in parsed["#"].values())
    assert total == len(ANNOTATIONS)


def test_brat_relations_notes_and_fragments(library: Store, tmp_path: Path) -> None:
    files = brat_folder(library, tmp_path / "brat")
    river = read_standoff(files[f"{stem(RIVER)}.ann"].decode("utf-8"))
    by_text = {t[2]: tid for tid, t in river["T"].items()}
    split = by_text["Traffic will flow again, and the night ferries can stop,"]
    assert len(river["T"][split][1]) == 2  # two paragraphs: two fragments
    speakers = {arg1: arg2 for label, arg1, arg2 in river["R"].values() if label == "Speaker"}
    assert speakers[split] == by_text["she"]  # the nearest mention of the speaker
    assert speakers[by_text["The bridge will reopen in May"]] == by_text["Mayor Ines Okafor"]
    claimants = {arg1: arg2 for label, arg1, arg2 in river["R"].values() if label == "Claimant"}
    cracks = next(tid for text, tid in by_text.items() if text.startswith("the cracks"))
    assert claimants[cracks] == by_text["the Port authority"]  # both link to entries merged into one
    notes = {target: note for target, note in river["#"].values()}
    assert notes[by_text["will reopen in May,” Mayor Ines Okafor"]] == (
        'The dredging report says "August". ¶ Ask the council.'
    )
    ferry = read_standoff(files[f"{stem(FERRY)}.ann"].decode("utf-8"))
    over = next(tid for tid, t in ferry["T"].items() if t[2] == "It is over")
    assert not any(arg1 == over for _, arg1, _ in ferry["R"].values())  # no mention of the speaker: a note
    assert {target: note for target, note in ferry["#"].values()}[over] == f"Speaker: {OZTURK.name}"


def test_brat_keeps_a_claimant_without_a_mention_in_the_story_as_a_note(library: Store, tmp_path: Path) -> None:
    """brat relates entities only: a claimant (or speaker) not tagged in the story is named in the claim's
    AnnotatorNotes line, with its note after it, rather than lost."""
    start = FERRY.text.index("Crews called the deal")
    claim = replace(Annotation.new(FERRY, "claim", start, start + 21, note="Ask the crews."), claimant=OKAFOR.id)
    library.apply([(None, claim)])
    ferry = read_standoff(brat_folder(library, tmp_path / "brat")[f"{stem(FERRY)}.ann"].decode("utf-8"))
    [tid] = [tid for tid, t in ferry["T"].items() if t[2] == "Crews called the deal"]
    assert not any(tid in (arg1, arg2) for _, arg1, arg2 in ferry["R"].values())
    assert {target: note for target, note in ferry["#"].values()}[tid] == f"Claimant: {OKAFOR.name} ¶ Ask the crews."


def test_brat_file_names_are_the_short_id_and_a_slug_of_the_headline(library: Store, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    files = brat_folder(library, tmp_path / "out" / "brat")
    stems = [
        f"{RIVER.short_id}-mayor-says-river-bridge-will-reopen-in-may",
        f"{FERRY.short_id}-ferries-sail-again-after-izmir-strike",
        f"{QUIET.short_id}-etc-passwd-click-http-evil-example-b-bold-b",
    ]
    assert set(files) == {f"{s}.{e}" for s in stems for e in ("txt", "ann")} | set(export_brat.CONF_FILES)
    assert [stem(story) for story in (RIVER, FERRY, QUIET)] == stems
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["brat"]  # nothing escaped the folder
    assert export_brat.replaceable(tmp_path / "out" / "brat")


@pytest.mark.parametrize(
    ("headline", "words"),
    [
        ("../../etc/passwd", "etc-passwd"),
        (".hidden\x00/..\\con:nul", "hidden-con-nul"),
        ("Şükrü Öztürk: “Straße” İzmir ß", "sukru-ozturk-strasse-izmir-ss"),
        ("Путин и Си", ""),
        ("x" * 80, "x" * 48),
        ("one two three four five six seven eight nine ten eleven", "one-two-three-four-five-six-seven-eight-nine-ten"),
        ("", ""),
    ],
)
def test_brat_slugs_are_safe_file_name_words(headline: str, words: str) -> None:
    assert export_brat.slug(headline) == words
    name = export_brat.file_stem("ab" * 32, headline)
    assert name == "abababab" + (f"-{words}" if words else "")
    assert re.fullmatch(r"[0-9a-f]{8}(-[a-z0-9]+)*", name) and len(name) <= 57


def test_brat_file_names_stay_unique_when_short_ids_clash() -> None:
    one, two = "abcd1234" + "0" * 56, "abcd1234" + "1" * 56
    taken = {export_brat.file_stem(one, "Port strike")}
    assert taken == {"abcd1234-port-strike"}
    assert export_brat.file_stem(two, "Port strike", taken) == "abcd123411111111-port-strike"
    assert export_brat.file_stem(two, "Port talks", taken) == "abcd1234-port-talks"
    digest = hashlib.sha256(b"../../etc/passwd").hexdigest()
    assert export_brat.file_stem("../../etc/passwd", "x") == f"{digest[:8]}-x"


@pytest.mark.parametrize(
    ("text", "start", "end", "pieces"),
    [
        ("ab\n\ncd", 0, 6, [(0, 2), (4, 6)]),
        ("ab\n\ncd", 1, 5, [(1, 2), (4, 5)]),
        ("ab\n\ncd", 2, 6, [(4, 6)]),
        ("ab\n\ncd", 2, 4, []),
        ("abcd", 1, 3, [(1, 3)]),
    ],
)
def test_brat_fragments(text: str, start: int, end: int, pieces: list[tuple[int, int]]) -> None:
    assert export_brat.fragments(text, start, end) == pieces


def test_a_span_of_line_breaks_only_gets_no_entity(library: Store, tmp_path: Path) -> None:
    entry = next(e for e in library.entries() if e.id == RIVER.id)
    gap = RIVER.text.index("\n\n")
    lone = Annotation.new(RIVER, "quote", gap, gap + 2)
    (tmp_path / "b").mkdir()
    assert export_brat.write(library, tmp_path / "b", [Selected(entry, [lone, ANNOTATIONS[0]])]) == 1
    assert read_standoff((tmp_path / "b" / f"{stem(RIVER)}.ann").read_text("utf-8"))["T"] == {
        "T1": ("Quote", ((47, 76),), "The bridge will reopen in May")
    }


def test_brat_replaces_only_its_own_folders(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    for name in (f"{RIVER.id}.txt", f"{RIVER.id}.ann", f"{stem(FERRY)}.txt", "annotation.conf", "visual.conf"):
        (mine / name).write_text("x")
    assert export_brat.replaceable(mine)
    (mine / "thesis.docx").write_text("precious")
    assert not export_brat.replaceable(mine)
    (mine / "thesis.docx").unlink()
    (mine / "sub").mkdir()
    assert not export_brat.replaceable(mine)


# --- Markdown ---------------------------------------------------------------------------------------------


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render(markdown: str) -> _Tags:
    """Markdown rendered as GitHub would (tables, strikethrough, bare links), parsed back."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("gfm-like")
    assert md.options["linkify"] and md.linkify is not None  # bare links are recognised: the test can fail
    parsed = _Tags()
    parsed.feed(md.render(markdown))
    return parsed


HOSTILE = [
    "*bold* and _it_ and __x__",
    "`code` and ``more``",
    "[a link](http://example.com) ![img](x.png) [^1]",
    "<b>html</b> <http://example.com> &amp; &#65;",
    "# heading #",
    "- item",
    "+ item",
    "1. one",
    "10) ten",
    "> quote",
    "www.example.com and https://example.com/x and mail@example.com",
    "~~strike~~ | a | b |",
    "---",
    "===",
    "back\\slash\\",
    "$x^2$ and \\*",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_renders_as_the_text_itself(text: str) -> None:
    parsed = render(export_markdown.escape(text) + "\n")
    assert parsed.tags == ["p"]
    assert "".join(parsed.text).strip() == text


def test_markdown_export_renders_without_stray_markup(library: Store) -> None:
    markdown = export(library, "markdown")
    parsed = render(markdown)
    assert set(parsed.tags) <= {"h1", "h2", "h3", "p", "ul", "li", "strong", "em", "br"}
    text = "".join(parsed.text)
    for headline in (RIVER.headline, FERRY.headline, QUIET.headline):
        assert headline in text
    assert 'the cracks were "minor" & [routine], see https://council.example/report #3' in text
    assert "Traffic will flow again, ¶ and the night ferries can stop," in text
    assert parsed.tags.count("em") == markdown.count("*Unattributed*") + markdown.count("*Not linked*") + 1


def test_markdown_groups_quotes_by_speaker(library: Store) -> None:
    section = export(library, "markdown").split("## Mayor says", 1)[1].split("\n## ", 1)[0]
    who = section.split("### Who said what\n", 1)[1].split("###", 1)[0]
    assert who.index("**Ines Okafor**") < who.index("The bridge will reopen") < who.index("Traffic will flow")
    claims = section.split("### Claims\n", 1)[1]
    assert "claimant: **Fernside Port Authority**; status: false" in claims
