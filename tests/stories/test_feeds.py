"""RSS and Atom feeds: entries to stories, markup to paragraphs, hostile XML refused, nothing fetched."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stories.formats import feeds, htmlpage
from stories.loader import load_path, parse_bytes
from stories.model import Story, StoryError
from tests.conftest import FIXTURES, ROOT

FEEDS = FIXTURES / "feeds"


def _valid(story: Story) -> None:
    """A story as the model promises: blocks in order, covering clean single-line text; it round-trips."""
    text = story.text
    assert story.blocks and story.blocks[0].start == 0 and story.blocks[-1].end == len(text)
    for block, nxt in zip(story.blocks, story.blocks[1:], strict=False):
        gap = text[block.end : nxt.start]
        assert gap == "\n\n" or (block.kind == "dateline" and gap == " "), (block, gap)
    assert all("\n" not in story.block_text(b) for b in story.blocks)
    assert story.meta.headline and story.meta.format == "feed"
    assert Story.from_dict(story.to_dict()) == story


def _parse(path: Path) -> list[Story]:
    stories = feeds.parse(path.read_bytes(), path.name)
    for story in stories:
        _valid(story)
    return stories


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


# --- the shared corpus ---------------------------------------------------------------------------------------


def test_corpus_rss_prefers_content_encoded_and_falls_back_to_description(corpus):
    harvest, flights = _parse(corpus / "rss-regional-wire.xml")
    meta = harvest.meta
    assert meta.headline == "Farmers warn of poor harvest after dry spring"
    assert meta.authors == ("Pavel Novak",)
    assert meta.created == "2026-04-22T08:15:00Z" and meta.updated is None
    assert meta.link == "https://wire.example.org/2026/04/harvest"
    assert meta.wire_id == "feed:ex-2026-04-22-harvest"
    assert meta.agency == "Example Regional Wire" and meta.subjects == ("Agriculture",)
    assert meta.dateline == "BRNO" and _kinds(harvest, "dateline") == ["BRNO, April 22 (Example Regional Wire) -"]
    paragraphs = _kinds(harvest, "paragraph")
    assert paragraphs[0].startswith("Grain farmers in the south-east warned on Wednesday")
    assert paragraphs[-1].startswith("The agriculture ministry said it was monitoring")
    assert len(paragraphs) == 3
    # content:encoded is the body; the shorter description is kept as the standfirst, not as body text
    assert _kinds(harvest, "standfirst") == ["Wheat yields could fall by a fifth, growers say."]
    assert "<p>" not in harvest.text

    meta = flights.meta
    assert meta.headline == "Court upholds ban on night flights at city airport"
    assert meta.authors == ("Eva Horakova",) and meta.wire_id == "feed:ex-2026-04-21-flights"
    assert meta.created == "2026-04-21T16:40:00Z" and meta.subjects == ("Transport",)
    assert meta.link == "https://wire.example.org/2026/04/night-flights"
    paragraphs = _kinds(flights, "paragraph")
    assert paragraphs[0].startswith("The supreme administrative court on Tuesday upheld a ban")
    assert paragraphs[-1] == "Airport director Martin Sykora said the ruling would cost the airport around 300 jobs."
    assert _kinds(flights, "standfirst") == [] and meta.dateline == "OSTRAVA"


def test_corpus_atom_entry_with_html_content(corpus):
    [story] = _parse(corpus / "atom-science-desk.xml")
    meta = story.meta
    assert meta.headline == "Telescope spots comet that will pass Earth in 2031"
    assert meta.authors == ("Hana Mori",)
    assert (meta.created, meta.updated) == ("2026-03-10T10:00:00Z", "2026-03-10T11:55:00Z")
    assert meta.link == "https://science.example.org/comet-2031"
    assert meta.wire_id == "feed:urn:example:science-desk:comet-2031"
    assert meta.agency == "Example Science Desk" and meta.dateline == "TOKYO"
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].startswith("Astronomers have spotted a new comet")
    assert paragraphs[-1] == (
        '"It poses no danger, but it will be a beautiful sight through binoculars," observatory researcher Kenji'
        " Sato said."
    )
    assert "&lt;" not in story.text and "<p>" not in story.text


def test_corpus_feeds_load_through_the_loader(corpus):
    assert len(load_path(corpus / "rss-regional-wire.xml")) == 2
    assert [s.meta.format for s in load_path(corpus / "atom-science-desk.xml")] == ["feed"]


# --- our fixtures ----------------------------------------------------------------------------------------------


def test_rss_items_markup_entities_and_scripts():
    ferry, library, cycle = _parse(FEEDS / "rss-markup.xml")
    assert ferry.meta.headline == "Ferry timetable “rewritten” after pier repairs"
    assert _kinds(ferry, "paragraph") == [
        "The lake ferry company published a new timetable on Monday, with the first boat leaving at 6.40 instead"
        " of 7.10.",
        "“Our crews asked for it”, said operations chief Tomas Berg & his deputy.",
        "Weekday boats: 14",
        "Weekend boats: 9",
        "Tickets bought before March 1 stay valid. Refunds are possible.",
    ]
    for junk in ("tracking pixel", "color: red", "iframe ad text", "<", "&amp;", "\u00a0"):
        assert junk not in ferry.text
    assert ferry.meta.authors == ("Mirela Dascălu",)
    assert ferry.meta.created == "2026-02-02T06:30:00Z"  # +0100 converted to UTC
    assert ferry.meta.subjects == ("Transport", "Lakes") and ferry.meta.language == "en-GB"
    assert ferry.meta.wire_id == "feed:https://courier.example.net/?p=1101"
    assert ferry.meta.agency == "Lakeside Courier & Wire"  # no dateline: the feed's title
    assert library.meta.authors == ("Ines Calder",)  # "email (Name)"
    assert _kinds(library, "paragraph")[-1] == "Students had petitioned for longer hours."
    assert cycle.meta.authors == ("Ada Quist", "Leon Marr")  # "By A and B"
    assert cycle.meta.wire_id == "feed:https://courier.example.net/cycle-lane"  # no guid: the link


def test_atom_xhtml_content_and_title():
    [story] = _parse(FEEDS / "atom-xhtml.xml")
    meta = story.meta
    assert meta.headline == "Meteor shower peaks on Tuesday night"
    assert meta.authors == ("Orla Finnegan", "Pim de Vries")
    assert (meta.created, meta.updated) == ("2026-05-04T16:30:00Z", "2026-05-04T17:45:00Z")
    assert meta.language == "en" and meta.subjects == ("astronomy",)
    assert meta.link == "https://observatory.example.org/meteor-peak"
    assert _kinds(story, "standfirst") == ["Clear skies are forecast for the best viewing hours."]
    assert _kinds(story, "paragraph") == [
        "Up to 50 meteors an hour could be visible on Tuesday night, the observatory said.",
        "Viewers should look north-east after midnight, away from street lights.",
    ]
    assert "alert" not in story.text


def test_rss_with_only_a_description():
    [story] = _parse(FEEDS / "rss-description-only.xml")
    assert story.meta.headline == "Apple growers expect early harvest"
    assert _kinds(story, "paragraph") == [
        "A warm summer means apples will be picked two weeks early, growers said.",
        "Pickers are being hired now.",
    ]
    assert story.meta.created == "2026-09-11T06:00:00Z" and story.meta.agency == "Valley Farm Bulletin"


def test_wire_dateline_in_the_first_paragraph():
    [story] = _parse(FEEDS / "rss-dateline.xml")
    assert [b.kind for b in story.blocks] == ["headline", "dateline", "paragraph", "paragraph"]
    assert _kinds(story, "dateline") == ["VELMAR, Oct 3 (Reuters) -"]
    assert _kinds(story, "paragraph")[0].startswith("The port of Velmar reopened on Saturday")
    assert story.meta.dateline == "VELMAR" and story.meta.agency == "Reuters"  # the dateline beats the feed title
    assert story.meta.extra["dateline_date"] == "Oct 3" and story.meta.extra["feed"] == "Wire Mirror"


def test_rss_1_0_rdf():
    [story] = _parse(FEEDS / "rdf-rss1.xml")
    assert story.meta.headline == "Clock tower bells ring again"
    assert story.meta.created == "2026-01-15T10:00:00Z"
    assert story.meta.wire_id == "feed:https://old.example.org/story-1"


def test_a_feed_without_entries_is_refused():
    with pytest.raises(StoryError, match="no entries"):
        feeds.parse((FEEDS / "rss-empty.xml").read_bytes())


def test_malformed_xml_is_refused_with_its_position():
    with pytest.raises(StoryError, match=r"^not well-formed XML \(line 7, column \d+\)$"):
        feeds.parse((FEEDS / "malformed.xml").read_bytes())


def test_a_truncated_feed_is_refused_not_half_read():
    """feedparser's lenient parser would recover the first entries and silently lose the rest: we refuse."""
    data = (FEEDS / "rss-markup.xml").read_bytes()
    cut = data[: data.index(b"Library extends") + 10]
    with pytest.raises(StoryError, match="not well-formed XML"):
        feeds.parse(cut)


def test_html_entities_and_bare_ampersands_are_repaired():
    [story] = _parse(FEEDS / "rss-html-entities.xml")
    assert story.meta.headline == "Shop owners & AT&T engineers meet"
    assert _kinds(story, "paragraph") == ["Café owners met engineers on Thursday — talks continue."]
    assert story.meta.link == "https://hand.example.com/meet?id=4&ref=rss"
    assert "xml_repaired" in story.meta.extra


def test_a_non_feed_xml_document_is_refused():
    with pytest.raises(StoryError, match=r"not an RSS or Atom feed \(the root element is <html>\)"):
        feeds.parse(b"<html><body><p>Hello</p></body></html>")


def test_encodings_bom_declaration_and_mislabelled_files():
    text = (FEEDS / "rss-html-entities.xml").read_text("utf-8").replace("UTF-8", "UTF-16")
    [story] = feeds.parse(b"\xff\xfe" + text.encode("utf-16-le"))
    assert story.meta.headline == "Shop owners & AT&T engineers meet"
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>Caf\xe9 \xab ouvert \xbb</title>'
    [story] = feeds.parse(latin.encode("latin-1") + b"</item></channel></rss>")
    assert story.meta.headline == "Café « ouvert »"
    mislabelled = latin.replace("ISO-8859-1", "utf-8").replace("Caf\xe9", "\u201cCaf\xe9\u201d").encode("cp1252")
    [story] = feeds.parse(mislabelled + b"</item></channel></rss>")
    assert story.meta.headline == "“Café” « ouvert »"
    [story] = feeds.parse(latin.replace("ISO-8859-1", "UTF-16").encode("utf-8") + b"</item></channel></rss>")
    assert story.meta.headline == "Café « ouvert »"


# --- safety ------------------------------------------------------------------------------------------------------


def _no_feedparser(monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    def refuse(*args, **kwargs):
        raise AssertionError("feedparser must not see this document")

    monkeypatch.setattr(feedparser, "parse", refuse)


def test_xxe_is_refused_before_feedparser_sees_it(monkeypatch):
    _no_feedparser(monkeypatch)
    with pytest.raises(StoryError, match="declares entities") as exc:
        feeds.parse((FEEDS / "xxe.xml").read_bytes())
    assert "root:" not in str(exc.value)


def test_billion_laughs_is_refused_before_any_expansion(monkeypatch):
    _no_feedparser(monkeypatch)  # defusedxml refuses at the first declaration: nothing is ever expanded
    with pytest.raises(StoryError, match="declares entities"):
        feeds.parse((FEEDS / "billion-laughs.xml").read_bytes())


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY leak SYSTEM "{url}">]>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}"> %p;]>',
        '<!DOCTYPE rss SYSTEM "{dtd}">',  # an external DTD that would define &leak;
    ],
    ids=["external-entity", "parameter-entity", "external-dtd"],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_local_files_never_leak_into_stories(tmp_path, doctype, encoding):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    dtd = tmp_path / "leak.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "{secret.as_uri()}">')
    head = doctype.format(url=secret.as_uri(), dtd=dtd.as_uri())
    doc = f"<?xml version='1.0'?>{head}<rss><channel><item><title>T &leak;</title></item></channel></rss>"
    try:
        stories = feeds.parse(doc.encode(encoding))
    except StoryError as exc:
        assert "TOP-SECRET" not in str(exc)
    else:
        assert all("TOP-SECRET" not in str(s.to_dict()) for s in stories)


def test_feedparser_gets_a_stream_never_a_name(monkeypatch):
    import feedparser

    seen: list[object] = []
    real = feedparser.parse
    monkeypatch.setattr(feedparser, "parse", lambda doc, **kw: seen.append(doc) or real(doc, **kw))
    _parse(FEEDS / "rss-dateline.xml")
    assert len(seen) == 1 and isinstance(seen[0], io.BytesIO)
    # bytes that name a file are not that file's feed: given bytes, feedparser itself would open the path
    with pytest.raises(StoryError):
        feeds.parse(str(FEEDS / "rss-dateline.xml").encode())


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records (and blocks) every attempt to open a network connection or resolve a name."""
    attempts: list[object] = []

    def block(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", block)
    monkeypatch.setattr(socket, "getaddrinfo", block)
    monkeypatch.setattr(socket, "create_connection", block)
    return attempts


def test_parsing_never_touches_the_network(no_network):
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://dtd.example.com/rss.dtd">'
        b'<rss xml:base="http://base.example.com/"><channel><title>T</title><item><title>Net</title>'
        b'<link>http://example.com/a</link><enclosure url="http://example.com/a.mp3" type="audio/mpeg"/>'
        b"<description>&lt;img src='http://example.com/x.png'&gt;&lt;p&gt;Words.&lt;/p&gt;</description>"
        b"</item></channel></rss>"
    )
    [story] = feeds.parse(doc)
    assert story.text == "Net\n\nWords."
    _parse(FEEDS / "rss-markup.xml")
    assert no_network == []


def test_detect_does_not_import_feedparser():
    code = "import sys, stories.formats.feeds as f; assert f.detect(b'<rss>'); assert 'feedparser' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- detection -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?>\n<rss version="2.0">',
        b"\xef\xbb\xbf<rss>",
        b'  <!-- generator: x -->\n<?xml-stylesheet href="s.xsl"?><feed xmlns="http://www.w3.org/2005/Atom">',
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd">\n<rss version="0.91">',
        b"<atom:feed xmlns:atom='http://www.w3.org/2005/Atom'>",
        "\ufeff<?xml version='1.0' encoding='utf-16'?><feed>".encode("utf-16"),
    ],
)
def test_detect_feeds(head):
    assert feeds.detect(head)


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html><html><body><feed>",
        b"<html><head><title>RSS</title>",
        b'<?xml version="1.0"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">',
        b'{"headline": "<rss>"}',
        b"Plain text about an <rss> feed\n",
        b"\x16\x16\x01rss story",
        b"<rssfeed>",
        b"",
    ],
)
def test_detect_other_formats(head):
    assert not feeds.detect(head)


def test_detect_on_fixture_files():
    for path in FEEDS.glob("*.xml"):
        assert feeds.detect(path.read_bytes()), path
        assert not htmlpage.detect(path.read_bytes()), path
    for path in (FIXTURES / "html").glob("*.html"):
        assert not feeds.detect(path.read_bytes()), path
    assert not feeds.detect((FIXTURES / "generic.txt").read_bytes())


def test_format_by_name_through_the_loader():
    [story] = parse_bytes((FEEDS / "rss-dateline.xml").read_bytes(), "x.xml", fmt="feed")
    assert story.meta.source == "x.xml" and story.meta.format == "feed"


# --- robustness ------------------------------------------------------------------------------------------------


def _parse_or_refuse(data: bytes) -> None:
    try:
        stories = feeds.parse(data, "fuzz.xml")
    except StoryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert stories
    for story in stories:
        _valid(story)


_SAMPLES = [p.read_bytes() for p in sorted(FEEDS.glob("*.xml"))]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 40)))
        op = draw(st.sampled_from(["delete", "insert", "replace", "duplicate"]))
        chunk = draw(st.binary(max_size=12) | st.sampled_from([b"&", b"<", b"]]>", b"&nbsp;", b"\x00", b"<!ENTITY"]))
        if op == "delete":
            del data[i:j]
        elif op == "insert":
            data[i:i] = chunk
        elif op == "replace":
            data[i:j] = chunk
        else:
            data[i:i] = data[i:j]
    return bytes(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600) | st.text(max_size=300).map(lambda t: f"<rss><channel><item>{t}".encode()))
def test_arbitrary_bytes_give_stories_or_story_error(data):
    _parse_or_refuse(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_mutated_feeds_give_stories_or_story_error(data):
    _parse_or_refuse(data)
