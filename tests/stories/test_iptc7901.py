"""IPTC 7901: the corpus transmission, notebooks at the end and in the middle, headers, refusals, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stories.formats import anpa, iptc7901, plaintext
from stories.loader import load_path
from stories.model import Story, StoryError
from tests.conftest import FIXTURES
from tests.wire_checks import check_story, mutations, parse_or_refuse

IPTC = FIXTURES / "iptc7901"
SAMPLES = [p.read_bytes() for p in sorted(IPTC.iterdir())]


def _one(data: bytes) -> Story:
    [story] = iptc7901.parse(data, "test.txt")
    check_story(story)
    return story


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


def _transmission(body: str, trailer: str | None = "101010 GMT Jan 1", header: str = "xyz001 4 i 100") -> bytes:
    out = f"\x01{header}\r\nTopic-topic/\r\n\x02" + body.replace("\n", "\r\n")
    if trailer is not None:
        out += f"\r\n\x03{trailer}\r\n\x04"
    return out.encode("latin-1")


def test_corpus_rail_strike(corpus):
    path = corpus / "iptc7901-rail-strike.txt"
    assert iptc7901.detect(path.read_bytes()[:65536])
    [story] = load_path(path)
    check_story(story)
    meta = story.meta
    assert meta.format == "iptc7901"
    assert meta.headline == "Rail strike halts most long-distance trains"
    assert _kinds(story, "headline") == [meta.headline] and " =" not in story.text
    assert meta.slug == "Germany-transport"
    assert meta.authors == ()
    assert meta.dateline == "Berlin" and meta.agency == "Example"
    assert _kinds(story, "dateline") == ["Berlin (Example) -"]
    assert meta.created is None  # the trailer "131137 GMT Nov 13" has no year
    assert meta.extra["trailer"] == "131137 GMT Nov 13"
    assert meta.wire_id == "iptc7901:germany-transport|rail strike halts most long-distance trains|Nov 13"
    assert (meta.extra["service"], meta.extra["message_number"]) == ("eca", "062")
    assert (meta.extra["priority"], meta.extra["category"], meta.extra["word_count"]) == ("4", "i", 211)
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].startswith("A strike by train drivers halted most long-distance rail services")
    assert paragraphs[-1] == 'The rail operator called the strike "completely unnecessary".'
    assert len(paragraphs) == 3
    for gone in ("NOTEBOOK", "not for publication", "xyz abc", "131137"):
        assert gone not in story.text
    assert meta.extra["notebook"][0] == "# Example NOTEBOOK"
    assert "xyz abc" in meta.extra["notebook"]


def test_notebook_at_the_end_with_sections_and_a_dated_trailer():
    story = _one(SAMPLES[1])
    meta = story.meta
    assert meta.headline == "Watchmakers report record export month"
    assert meta.slug == "Switzerland-economy" and meta.dateline == "Geneva"
    assert meta.created == "2026-04-14T09:15:02Z"
    assert meta.wire_id == "iptc7901:switzerland-economy|watchmakers report record export month|2026-04-14"
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].endswith("driven by demand from Asia and strong sales in Zürich.")  # wrapped lines joined
    assert paragraphs[1] == '"Orders from Singapore and Seoul doubled," federation president Anna Keller said.'
    assert paragraphs[-1] == "Exports to Europe were flat."
    assert meta.extra["notebook"] == [
        "# Example NOTEBOOK",
        "## Internet",
        "- [Federation statistics](https://example.org/stats)",
        "The following information is not for publication",
        "Contacts: desk@example.org, +41 00 000 00 00",
    ]
    assert "example.org" not in story.text and "Contacts" not in story.text


def test_notebook_in_the_middle_ends_at_the_next_paragraph():
    story = _one(SAMPLES[0])
    assert story.headline == "Storm warning for the North Sea coast"
    assert _kinds(story, "standfirst") == ["Gusts of up to 120 km/h expected overnight"]
    assert story.meta.dateline == "Hamburg"
    assert _kinds(story, "paragraph")[-1].startswith("Ferries to the islands were cancelled for Wednesday")
    assert story.meta.extra["notebook"][-1] == "- [Weather service warnings](https://example.org/warnings)"
    assert "NOTEBOOK" not in story.text and "Internet" not in story.text
    assert story.meta.created is None and story.meta.wire_id.endswith("|Mar 3")


def test_not_for_publication_without_a_notebook_heading_ends_the_text():
    marker = "The following information is not intended for publication"
    story = _one(_transmission(f"Head =\n\nText one.\n\n{marker}\n\nTel."))
    assert story.text == "Head\n\nText one."
    assert story.meta.extra["notebook"] == [marker, "Tel."]


def test_headline_without_equals_sign_is_the_first_line():
    story = _one(_transmission("Plain headline\nFirst paragraph line.\n\nSecond."))
    assert story.headline == "Plain headline"
    assert _kinds(story, "paragraph") == ["First paragraph line.", "Second."]


def test_lowercase_text_before_parentheses_is_not_a_dateline():
    story = _one(_transmission("Head =\n\nthe minister (retired) - said so."))
    assert story.meta.dateline is None and story.meta.agency is None


def test_truncated_transmission_is_imported_and_marked():
    story = _one(_transmission("Head =\n\nText that stops", trailer=None))
    assert story.meta.extra["truncated"] is True and story.text.endswith("Text that stops")


def test_two_transmissions_in_one_file():
    stories = iptc7901.parse(SAMPLES[0] + b"\r\n" + SAMPLES[1], "x.txt")
    assert [s.meta.slug for s in stories] == ["Germany-weather", "Switzerland-economy"]


def test_latin1_and_cp1252_text():
    story = _one(_transmission("Stra\xdfe gesperrt =\n\n\x93M\xfcnchen\x94 \x96 sagte er."))  # bytes as sent
    assert story.headline == "Straße gesperrt" and "“München” – sagte er." in story.text


@pytest.mark.parametrize(
    "data",
    [b"\x01eca001 4 i 100\r\nslug/\r\n", b"\x01eca001 4 i 100\r\n\x02 =\r\n\r\n\x03\x04", b"plain"],
    ids=["no-stx", "no-text", "not-7901"],
)
def test_transmissions_without_text_are_refused(data):
    with pytest.raises(StoryError) as exc:
        iptc7901.parse(data, "x.txt")
    assert "\n" not in str(exc.value)


def test_fixtures_are_detected_as_iptc7901():
    for data in SAMPLES:
        assert iptc7901.detect(data[:65536]) and not anpa.detect(data) and not plaintext.detect(data)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_valid_stories_or_a_story_error(data):
    parse_or_refuse(iptc7901.parse, data)
    parse_or_refuse(iptc7901.parse, b"\x01x 1 i 1\r\n\x02" + data)


@settings(max_examples=150, deadline=None)
@given(mutations(SAMPLES))
def test_mutated_transmissions_give_valid_stories_or_a_story_error(data):
    parse_or_refuse(iptc7901.parse, data)
