"""ninjs 1.x, 2.x and 3.x: text, metadata, generations, encodings, refusals, and robustness."""

from __future__ import annotations

import codecs
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stories.formats import ninjs
from stories.loader import detect_format, load_path
from stories.model import Story, StoryError
from tests.conftest import FIXTURES

NINJS = FIXTURES / "ninjs"
CORPUS_FILES = ("ninjs-v1-cafe.json", "ninjs-v2-wind.json", "ninjs-v3-metro.json")
OWN_FILES = ("v1-ferry.json", "v2-festival.json", "v3-bridge.json", "minimal.json", "ansi.json", "pair.json")


def _check(story: Story) -> None:
    """The story invariants every importer must keep, and terminal-safe text and metadata."""
    text = story.text
    assert story.blocks[0].start == 0 and story.blocks[-1].end == len(text)
    for block, nxt in zip(story.blocks, story.blocks[1:], strict=False):
        gap = text[block.end : nxt.start]
        assert gap == "\n\n" or (block.kind == "dateline" and gap == " "), (block, gap)
    for block in story.blocks:
        part = story.block_text(block)
        assert part == part.strip() and "\n" not in part
    assert not any((ord(c) < 32 and c != "\n") or 127 <= ord(c) < 160 for c in text)
    assert "\x1b" not in json.dumps(story.meta.to_dict(), ensure_ascii=False)
    assert story.meta.format == "ninjs" and story.meta.extra["ninjs"] in ("1", "2", "3")
    assert Story.from_dict(story.to_dict()) == story


def _parse(data: bytes | str | dict | list, source: str | None = "test.json") -> list[Story]:
    raw = data if isinstance(data, bytes) else (data if isinstance(data, str) else json.dumps(data)).encode()
    stories = ninjs.parse(raw, source)
    for story in stories:
        _check(story)
    return stories


def _one(data: bytes | str | dict) -> Story:
    [story] = _parse(data)
    return story


def _load(path: Path) -> Story:
    [story] = load_path(path, fmt="ninjs")
    _check(story)
    return story


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


def _refused(data: bytes | str | dict | list, match: str) -> str:
    with pytest.raises(StoryError, match=match) as exc:
        _parse(data)
    message = str(exc.value)
    assert "\n" not in message and len(message) < 300
    return message


# --- the shared corpus ---------------------------------------------------------------------------------------


def test_v1_corpus_flat_keys_and_blank_line_paragraphs(corpus):
    story = _load(corpus / "ninjs-v1-cafe.json")
    meta = story.meta
    assert meta.headline == "Cafe owners protest plan to tax outdoor terraces"
    assert meta.authors == ("Omar Haddad",)
    assert (meta.created, meta.updated) == ("2026-02-03T10:05:00Z", "2026-02-03T11:20:00Z")
    assert (meta.wire_id, meta.version, meta.language) == ("ninjs:urn:example:ninjs:2026:cafe-tax", 1, "en")
    assert meta.source == "ninjs-v1-cafe.json" and meta.extra["ninjs"] == "1"
    assert _kinds(story, "standfirst") == ["Owners say the charge would force small businesses to close."]
    assert _kinds(story, "dateline") == ["LISBON, Feb 3 (Example News) -"]
    assert meta.dateline == "LISBON" and meta.agency == "Example News"
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Hundreds of cafe owners marched through central Lisbon")
    assert paragraphs[-1].startswith("The city council said the fee would raise about 4 million euros a year")
    assert meta.extra["people"] == ["Ana Pires"]
    assert meta.extra["organisations"] == ["Lisbon City Council"]
    assert meta.extra["places"] == ["Lisbon"] and meta.extra["located"] == "Lisbon"


def test_v2_corpus_headlines_and_html_bodies(corpus):
    story = _load(corpus / "ninjs-v2-wind.json")
    meta = story.meta
    assert meta.headline == "Offshore wind farm approved despite fishermen's objections"
    assert meta.authors == ("Ingrid Solberg",)
    assert (meta.created, meta.updated) == ("2026-06-18T12:00:00Z", "2026-06-18T15:45:00Z")
    assert (meta.wire_id, meta.version, meta.extra["ninjs"]) == ("ninjs:urn:example:ninjs:2026:wind-farm", 3, "2")
    assert _kinds(story, "standfirst") == ["Regulator says the project meets all environmental rules."]
    assert meta.dateline == "BERGEN"
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) == 3 and "<" not in story.text
    assert paragraphs[0].startswith("Norway's energy regulator on Thursday approved")
    assert paragraphs[-1].endswith("said it would appeal.")
    assert meta.extra["people"] == ["Kari Lunde"]
    assert meta.extra["organisations"] == ["Coastal Fishermen's Association"]
    assert "places" not in meta.extra and meta.extra["located"] == "Bergen"


def test_v3_corpus_camel_case(corpus):
    story = _load(corpus / "ninjs-v3-metro.json")
    meta = story.meta
    assert meta.headline == "Riverside opens driverless metro line"
    assert meta.authors == ("Chen Li",)
    assert (meta.created, meta.updated) == ("2026-09-01T07:00:00Z", "2026-09-01T07:30:00Z")
    assert (meta.wire_id, meta.version, meta.extra["ninjs"]) == ("ninjs:urn:example:ninjs:2026:metro-line", 1, "3")
    assert _kinds(story, "dateline") == ["RIVERSIDE, Sept 1 (Example News) -"]
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Riverside opened its first driverless metro line on Monday")
    assert paragraphs[-1].endswith("a figure the transit authority disputed.")
    assert meta.extra["people"] == ["Rosa Quintero"]


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_files_are_detected(corpus, name):
    data = (corpus / name).read_bytes()
    assert ninjs.detect(data[:65536])
    _detected_as_ninjs(data)


def test_other_corpus_files_are_not_ninjs(corpus):
    others = [p for p in sorted(corpus.rglob("*")) if p.is_file() and not p.name.startswith("ninjs-")]
    assert others
    for path in others:
        assert not ninjs.detect(path.read_bytes()[:65536]), path.name


def _detected_as_ninjs(data: bytes) -> None:
    """No format tried before ninjs claims the file."""
    assert detect_format(data) == "ninjs"


# --- our own fixtures: each generation ------------------------------------------------------------------------


def test_v1_prefers_html_and_keeps_metadata():
    story = _load(NINJS / "v1-ferry.json")
    meta = story.meta
    assert meta.headline == "Island ferry cuts winter crossings" and meta.extra["ninjs"] == "1"
    assert _kinds(story, "standfirst") == ["Operator blames fuel costs & fewer passengers."]
    assert _kinds(story, "paragraph") == [
        "The island ferry will run four crossings a day instead of six from April.",
        "“We cannot sail empty boats,” operator manager Jonas Berg said.",
        "Residents said the cut would leave commuters stranded.",
    ]
    assert "not used" not in story.text
    assert meta.authors == ("Mara Lindqvist", "Tomas Ek")
    assert meta.agency == "Test Wire Service"
    assert meta.dateline == "Harbourtown" and not _kinds(story, "dateline")  # `located` is metadata, not text
    assert (meta.created, meta.updated) == ("2026-03-10T13:00:00Z", "2026-03-10T15:40:00Z")
    assert (meta.version, meta.slug, meta.language) == (2, "ferry-timetable", "en-GB")
    assert meta.subjects == ("Transport", "Islands")
    extra = meta.extra
    assert (extra["urgency"], extra["pubstatus"]) == (4, "usable")
    assert extra["ednote"] == "Adds quote from the operator" and extra["copyright"].startswith("(c) 2026")
    assert extra["people"] == ["Jonas Berg", "Mara Lindqvist"]
    assert extra["places"] == ["Harbourtown", "Gull Island"]


def test_v2_main_headline_html_body_and_byline_agency():
    story = _load(NINJS / "v2-festival.json")
    meta = story.meta
    assert meta.headline == "Thousands launch lanterns as river festival returns"
    assert "Lanterns light river" not in story.text and "PLAIN VERSION" not in story.text
    assert _kinds(story, "dateline") == ["MILLBROOK, Oct. 4 (AP) —"]
    assert meta.dateline == "MILLBROOK" and meta.extra["dateline_date"] == "Oct. 4"
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].startswith("Thousands of people launched paper lanterns on the Mill River")
    assert paragraphs[0].endswith("as the town's festival returned.")
    assert paragraphs[1] == '"It feels like the town is breathing again," said organiser Lena Okafor.'
    assert paragraphs[2:] == ["Boats: 40", "Lanterns: 5 000", "Police said the night passed without incident."]
    assert "alert" not in story.text and "color" not in story.text
    assert meta.authors == ("Priya Natarajan",) and meta.agency == "Associated Press"
    assert meta.extra["people"] == ["Lena Okafor", "Priya Natarajan"]
    assert meta.subjects == ("Festivals", "Culture") and meta.slug == "river-lanterns"
    assert meta.extra["ninjs"] == "2"


def test_v3_standard_version_and_long_lines():
    story = _load(NINJS / "v3-bridge.json")
    meta = story.meta
    assert meta.extra["ninjs"] == "3" and meta.extra["pubstatus"] == "usable"
    assert meta.headline == "Brücke in Feldhausen nach Prüfung gesperrt"
    assert meta.authors == ("Katrin Vogel",) and meta.agency == "dpa"
    assert len(_kinds(story, "paragraph")) == 3  # long lines without blank lines between them
    assert meta.dateline is None and meta.language == "de"


def test_missing_optional_fields():
    story = _load(NINJS / "minimal.json")
    meta = story.meta
    assert meta.headline == "Library extends opening hours"
    assert _kinds(story, "paragraph") == ["The town library will open until 9 pm on weekdays.", "It starts next month."]
    assert (meta.wire_id, meta.version, meta.created, meta.updated, meta.agency) == (None,) * 5
    assert meta.authors == () and meta.subjects == () and dict(meta.extra) == {"ninjs": "1"}


def test_headline_only_and_fallbacks():
    assert _one({"headline": "Flash: dam holds", "uri": "x"}).text == "Flash: dam holds"
    assert _one({"title": "Title wins", "body_text": "Body."}).headline == "Title wins"
    html = {"headlines": [{"value": "<b>Bold</b> &amp; brave", "contentType": "text/html"}], "bodies": ["Text."]}
    assert _one(html).headline == "Bold & brave"


def test_ansi_escapes_are_removed():
    story = _load(NINJS / "ansi.json")
    assert story.headline == "Red alert over garden gnomes"
    assert _kinds(story, "paragraph") == ["Gnomes were missing from three gardens.", "Police are investigating."]
    assert story.meta.authors == ("Alex Moor",)


def test_an_array_of_items_gives_each_story():
    first, second = _parse((NINJS / "pair.json").read_bytes())
    assert (first.meta.version, second.meta.version) == (1, 2)
    assert first.meta.wire_id == second.meta.wire_id == "ninjs:urn:test:ninjs:pair-1"
    assert second.text.endswith("Crowds arrived by seven.")
    _refused([{"headline": "Fine", "body_text": "x"}, {"uri": "y"}], r"^item 2: not a ninjs story: no headline")


@pytest.mark.parametrize(
    ("item", "generation"),
    [
        ({"headline": "H", "body_text": "B", "versioncreated": "2026-01-01"}, "1"),
        ({"headlines": [{"value": "H"}], "bodies": [{"value": "B", "contenttype": "text/plain"}]}, "2"),
        ({"headline": "H", "by": "A"}, "2"),
        ({"headlines": [{"value": "H"}], "versionCreated": "2026-01-01"}, "3"),
        ({"headlines": [{"value": "H"}], "bodies": [{"value": "B", "contentType": "text/plain"}]}, "3"),
        ({"$standard": {"name": "ninjs", "version": "2.0"}, "headlines": [{"value": "H"}], "pubStatus": "x"}, "2"),
        ({"$standard": {"name": "ninjs", "version": "1.5"}, "headline": "H"}, "1"),
    ],
)
def test_generation_is_recognised(item, generation):
    assert _one(item).meta.extra["ninjs"] == generation


@pytest.mark.parametrize(
    ("byline", "authors", "agency"),
    [
        ("By Ana Ruiz and Ben Ode", ("Ana Ruiz", "Ben Ode"), None),
        ("BY ANA RUIZ, BEN ODE & CY LU", ("ANA RUIZ", "BEN ODE", "CY LU"), None),
        ("By Ana Ruiz Associated Press", ("Ana Ruiz",), "Associated Press"),
        ("Ana Ruiz, Reuters", ("Ana Ruiz",), "Reuters"),
        ("NTB", (), "NTB"),
        ("Von Jo Li, dpa", ("Jo Li",), "dpa"),
        ("By Jo Li, ANP", ("Jo Li",), "ANP"),
    ],
)
def test_bylines(byline, authors, agency):
    meta = _one({"headline": "H", "by": byline}).meta
    assert (meta.authors, meta.agency) == (authors, agency)


def test_wrong_metadata_types_are_ignored():
    item = {
        "headline": "H",
        "body_text": "B",
        "version": [1],
        "urgency": "high",
        "people": "Ana",
        "byline": 3,
        "subject": [{"name": 5}, None, "Plain"],
        "versioncreated": 20260101,
        "uri": {"x": 1},
        "provider": {"name": "Wire Co"},
    }
    meta = _one(item).meta
    assert (meta.version, meta.updated, meta.wire_id, meta.authors) == (None, None, None, ())
    assert meta.subjects == ("Plain",) and meta.agency == "Wire Co"
    assert "urgency" not in meta.extra and "people" not in meta.extra


# --- encodings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
def test_unicode_encodings(tmp_path, encoding, bom):
    text = (NINJS / "v3-bridge.json").read_text("utf-8")
    path = tmp_path / "bridge.json"
    path.write_bytes(bom + text.encode(encoding))
    assert ninjs.detect(path.read_bytes())
    story = _load(path)
    assert story.headline == "Brücke in Feldhausen nach Prüfung gesperrt" and story.meta.source == "bridge.json"


def test_legacy_encoding():
    data = '{"headline": "Caf\u00e9 \u201cclosed\u201d", "body_text": "Sh\u00fct."}'.encode("cp1252")
    assert _one(data).headline == "Café “closed”"


# --- refusals -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ("[1, 2, 3]", r"^not ninjs: the JSON holds an array of other values"),
        ("[]", r"^not ninjs: the JSON holds an empty array"),
        ('"just a string"', r"^not ninjs: the JSON holds a string"),
        ("null", r"^not ninjs: the JSON holds a constant"),
        ('{"a": 1}', r"^not a ninjs story: no headline and no body$"),
        ('{"headline": "   "}', r"^not a ninjs story: no headline and no body$"),
        ('{"headline": "\\u001b[0m\\u200b"}', r"^not a ninjs story: the headline is empty$"),
        ('{"body_text": "Only a body."}', r"^not a ninjs story: no headline$"),
        ('{"headline": "H", "body_text": "B"', r"^not valid JSON: Expecting ',' delimiter \(line 1"),
        ('{"headline": "H", "bo', r"^not valid JSON: Unterminated string"),
        ("<rss><channel/></rss>", r"^not valid JSON"),
        ('{"version": 1' + "1" * 5000 + "}", r"^not valid JSON"),
        ('{"headline": 5}', r"^ninjs field 'headline' should be a string, not a number$"),
        ('{"headline": "H", "bodies": "text"}', r"^ninjs field 'bodies' should be a list, not a string$"),
        ('{"headline": "H", "bodies": [1]}', r"^ninjs field 'bodies' holds a number instead of an object$"),
        ('{"headlines": [{"value": ["H"]}]}', r"^ninjs field 'headlines' has a value that is not a string$"),
    ],
)
def test_bad_input_is_refused_in_one_line(data, match):
    _refused(data, match)


@pytest.mark.parametrize("opening", ["[", '{"a":', '{"headline": "H", "body_text": "B", "x": ['])
def test_deep_nesting_is_refused_fast(opening):
    start = time.perf_counter()
    _refused(opening * 100_000, r"^(not ninjs: the JSON is nested too deeply|not valid JSON)")
    assert time.perf_counter() - start < 1


def test_moderate_nesting_in_ignored_fields_is_harmless():
    item = {"headline": "H", "body_text": "B", "urgency": json.loads("[" * 500 + "]" * 500), "extra": {}}
    assert "urgency" not in _one(item).meta.extra


# --- detection ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", OWN_FILES)
def test_own_fixtures_are_detected(name):
    data = (NINJS / name).read_bytes()
    assert ninjs.detect(data[:65536])
    _detected_as_ninjs(data)


@pytest.mark.parametrize(
    "head",
    [
        b"Ferry service resumes\n\nThe ferry runs hourly.\n",
        b'<?xml version="1.0"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet/></newsMessage>',
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title></channel></rss>',
        b"<!DOCTYPE html><html><head><title>A headline</title></head><body><p>Text</p></body></html>",
        b'{"a": 1}',
        b'{"headline": "just one ninjs-like key"}',
        b'{"version": "1", "items": [{"title": "a feed", "content_html": "<p>x</p>"}]}',
        b"[1, 2, 3]",
        b"",
        b"\x00\x01\x02binary",
    ],
    ids=["text", "newsml", "rss", "html", "generic-json", "one-key", "json-feed", "numbers", "empty", "binary"],
)
def test_detect_rejects_other_formats(head):
    assert not ninjs.detect(head)


# --- robustness ---------------------------------------------------------------------------------------------

_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
_KEYS = (
    "uri headline headlines body_text body_html bodies description_text descriptions by byline version urgency "
    "versioncreated firstCreated located person people places subject slugline language $standard"
).split()
_PART = st.fixed_dictionaries(
    {"value": st.text(max_size=40) | _JSON},
    optional={"role": st.sampled_from(["main", "short", 3]), "contentType": st.sampled_from(["text/html", "x"])},
)
_VALUE = _JSON | st.text(max_size=60) | st.lists(_PART, max_size=3)
_ITEMS = st.dictionaries(st.sampled_from(_KEYS), _VALUE, max_size=10) | st.fixed_dictionaries(
    {"headline": st.text(min_size=1, max_size=40)}, optional={key: _VALUE for key in _KEYS if key != "headline"}
)


def _parses_or_refuses(data: bytes) -> None:
    try:
        stories = _parse(data)
    except StoryError as exc:
        assert "\n" not in str(exc)
        return
    assert stories


@_FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data):
    ninjs.detect(data)
    _parses_or_refuses(data)


@_FAST
@given(st.data())
def test_mutated_fixtures(data):
    raw = bytearray((NINJS / data.draw(st.sampled_from(OWN_FILES))).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            raw[pos] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "cut":
            del raw[pos:]
            if not raw:
                break
        else:
            raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=4))
    ninjs.detect(bytes(raw))
    _parses_or_refuses(bytes(raw))


@_FAST
@given(_JSON | _ITEMS | st.lists(_ITEMS, max_size=3))
def test_random_json(value: Any):
    _parses_or_refuses(json.dumps(value).encode())
