"""NewsML-G2: items and messages, NITF / XHTML / plain-text bodies, metadata, hostile XML, and detection."""

from __future__ import annotations

import codecs
import json
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stories.formats import newsml
from stories.loader import detect_format, load_path
from stories.model import Story, StoryError
from tests.conftest import FIXTURES

NEWSML = FIXTURES / "newsml"
NAR = "http://iptc.org/std/nar/2006-10-01/"


def _check(story: Story) -> None:
    """Blocks in order and separated as the model says; clean text and metadata; round trip."""
    text = story.text
    assert story.blocks and story.blocks[0].start == 0 and story.blocks[-1].end == len(text)
    for block, nxt in zip(story.blocks, story.blocks[1:], strict=False):
        gap = text[block.end : nxt.start]
        assert gap == "\n\n" or (block.kind == "dateline" and gap == " "), (block, gap)
    assert not any((ord(c) < 32 and c != "\n") or 127 <= ord(c) < 160 for c in text)
    assert "\u202e" not in text
    assert story.meta.format == "newsml" and story.meta.headline
    assert Story.from_dict(story.to_dict()) == story


def _parse(path: Path) -> list[Story]:
    stories = newsml.parse(path.read_bytes(), path.name)
    for story in stories:
        _check(story)
    return stories


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


def _item(content_meta: str = "", content_set: str = "", item_meta: str = "", attrs: str = "") -> bytes:
    return (
        f'<newsItem xmlns="{NAR}" {attrs}><itemMeta>{item_meta}</itemMeta><contentMeta>{content_meta}</contentMeta>'
        f"<contentSet>{content_set}</contentSet></newsItem>"
    ).encode()


def _plain(text: str) -> str:
    return f'<inlineData contenttype="text/plain">{text}</inlineData>'


# --- the shared corpus ---------------------------------------------------------------------------------------


def test_corpus_message_with_two_items(corpus):
    library, ferry = _parse(corpus / "newsmlg2-xhtml-library.xml")

    meta = library.meta
    assert meta.headline == "Lindholm's flooded city library reopens after two-year restoration"
    assert _kinds(library, "headline") == [meta.headline]
    assert _kinds(library, "standfirst") == ["Rare maps saved from the flood go on public display for the first time."]
    assert _kinds(library, "dateline") == ["LINDHOLM, May 12 (Example News) -"]
    assert (meta.dateline, meta.agency, meta.authors) == ("LINDHOLM", "Example News", ("Sofia Marchetti",))
    assert meta.slug == "Culture-Library-Reopening"
    assert (meta.created, meta.updated) == ("2026-05-12T08:02:00Z", "2026-05-12T09:28:00Z")
    assert (meta.wire_id, meta.version) == ("newsml:urn:newsml:desk.example.org:20260512:library-reopens", 2)
    assert meta.language == "en" and meta.source == "newsmlg2-xhtml-library.xml"
    assert meta.subjects == ("arts, culture, entertainment and media",)
    assert meta.extra["signal"] == "update"
    assert (meta.extra["pub_status"], meta.extra["item_class"]) == ("usable", "text")
    paragraphs = _kinds(library, "paragraph")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The city library of Lindholm reopened on Tuesday, two years after")
    assert paragraphs[-1].startswith("Opposition councillor Greta Holm said the project had run a year late")
    assert paragraphs[-1].endswith("underestimating the damage from the start.")
    assert library.text.count("LINDHOLM, May 12") == 1  # the body's own dateline is not repeated

    meta = ferry.meta
    assert meta.headline == "Storm delays island ferries for second day"
    assert _kinds(ferry, "dateline") == ["HAVSTAD, May 12 (Example News) -"]
    assert (meta.dateline, meta.agency, meta.authors, meta.slug) == ("HAVSTAD", "Example News", (), None)
    assert (meta.created, meta.updated) == ("2026-05-12T09:10:00Z", "2026-05-12T09:10:00Z")  # version 1
    assert (meta.wire_id, meta.version) == ("newsml:urn:newsml:desk.example.org:20260512:ferry-delay", 1)
    assert "signal" not in meta.extra
    paragraphs = _kinds(ferry, "paragraph")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("Ferries to the outer islands stayed in port for a second day")
    assert paragraphs[-1].startswith('"Safety comes first, and the boats will sail')
    assert paragraphs[-1].endswith("ferry operator spokesman Nils Aune said.")


def test_corpus_iptc_listing_with_nitf_body(corpus):
    [story] = _parse(corpus / "iptc" / "LISTING_2_NewsML-G2_Text_Document.xml")
    meta = story.meta
    assert meta.headline == 'Fed to halt QE to avert "bubble"'
    assert story.text.startswith('Fed to halt QE to avert "bubble"\n\n')
    assert meta.authors == ("Meredith Jameson",)  # "By …, <byttl>Staff Reporter</byttl>"
    assert meta.dateline == "New York, NY"  # from located/name: there is no dateline element
    assert (meta.created, meta.updated) == ("2016-11-21T20:21:06Z", "2018-11-21T21:25:32Z")
    assert (meta.wire_id, meta.version) == ("newsml:urn:newsml:acmenews.com:20161121:US-FINANCE-FED", 11)
    assert (meta.language, meta.slug) == ("en-US", "US-Finance-Fed")
    assert meta.subjects == ("economy, business and finance", "central bank", "money and monetary policy")
    assert meta.agency == "Acme News and Media LLC"  # the provider has only a URI: the copyright holder
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("(New York, NY - October 21) Et, sent luptat luptat, commy Nim zzriureet")
    assert paragraphs[0].endswith("ad ex el utat.") and "\n" not in paragraphs[0]
    assert paragraphs[1].startswith("Ugiating ea feugait") and paragraphs[1].endswith("dolutpat, si.")
    assert "Staff Reporter" not in story.text


def test_detect_corpus_files(corpus):
    assert newsml.detect((corpus / "newsmlg2-xhtml-library.xml").read_bytes()[:65536])
    assert newsml.detect((corpus / "iptc" / "LISTING_2_NewsML-G2_Text_Document.xml").read_bytes()[:65536])
    others = [p for p in corpus.rglob("*") if p.is_file() and "NewsML" not in p.name and "newsml" not in p.name]
    assert len(others) > 5
    for path in others:
        assert not newsml.detect(path.read_bytes()[:65536]), path.name


# --- our fixtures --------------------------------------------------------------------------------------------


def test_single_item_with_nitf_body():
    [story] = _parse(NEWSML / "nitf-item.xml")
    meta = story.meta
    assert meta.headline == "Kestrel Bay council approves toll-free harbour bridge"  # contentMeta wins over hl1
    assert _kinds(story, "standfirst") == ["The vote ends a decade of argument over who pays for the crossing."]
    assert _kinds(story, "dateline") == ["KESTREL BAY, June 3"]  # from NITF's body.head
    assert story.text.count("KESTREL BAY, June 3 The town council voted 14 to 9") == 1
    assert meta.authors == ("Ana Lind", "Piet Moro")  # NITF byline beats creator; byttl is dropped
    assert (meta.agency, meta.dateline, meta.slug) == ("Northwire", "KESTREL BAY", "Kestrel-Bridge-Vote")
    assert (meta.created, meta.updated) == ("2026-06-03T09:35:00Z", "2026-06-03T12:05:00Z")
    assert (meta.version, meta.language, meta.subjects) == (3, "en", ("politics", "transport"))
    assert meta.extra["signal"] == "correction" and meta.extra["urgency"] == 4
    assert meta.extra["ed_note"].startswith("Corrects the length")
    assert _kinds(story, "paragraph") == [
        "The town council voted 14 to 9 on Wednesday to build a harbour bridge without tolls, paying for it from the"
        " port's reserve fund.",
        '"Nobody should pay to cross their own harbour," council leader Maren Voss told reporters & residents after'
        " the vote.",
        "The bridge will be 420 metres long and is due to open in 2029.",
        "Critics said the reserve fund was meant for dredging.",
    ]
    for unwanted in ("caption", "Ignored page title", "Edited by", "Council approves harbour bridge"):
        assert unwanted not in story.text


def test_default_namespace_xhtml_body():
    [story] = _parse(NEWSML / "xhtml-default-ns.xml")
    meta = story.meta
    assert meta.headline == "Late frost spares most of Merrin's apple orchards"
    assert story.text.count(meta.headline) == 1  # the body's <h1> repeats it
    assert _kinds(story, "paragraph") == [
        "Growers around Merrin said on Monday that a late frost had damaged fewer blossoms than feared.",
        "About one tree in ten lost its blossom.",
        "Cherry growers fared worse.",
        '"We lit fires between the rows all night," grower Lotte Brann said. "It worked."',
    ]
    assert "alert" not in story.text and "color" not in story.text
    assert meta.authors == ("Jonas Erl",)  # person creators; the organisation is the agency
    assert meta.agency == "Harbour Wire Service"
    assert meta.dateline == "Merrin" and not _kinds(story, "dateline")  # located/name is metadata only
    assert (meta.language, meta.created) == ("de-AT", "2026-04-20T06:15:00Z")


def test_message_with_three_items():
    glacier, rink, lift = _parse(NEWSML / "message-three.xml")  # the NAR namespace under a "nar:" prefix

    assert glacier.meta.headline == "Glacier road reopens after avalanche clearance"
    assert _kinds(glacier, "dateline") == ["SORVIK, Feb 9 (Valley Press) -"]  # wire-style, found in the text
    assert (glacier.meta.dateline, glacier.meta.extra["dateline_date"]) == ("SORVIK", "Feb 9")
    assert glacier.meta.authors == ("Ines Caro", "Tom Bell")
    assert glacier.meta.agency == "Valley Press"  # provider literal
    assert _kinds(glacier, "paragraph") == [  # hard-wrapped lines joined, blank lines split
        "The mountain road to the Sorvik glacier reopened on Monday after crews spent three days clearing snow"
        " from an avalanche.",
        "Police said the road would close again at night until the weekend.",
    ]

    assert _kinds(rink, "paragraph") == [  # text/html inline data
        "The open-air rink in Sorvik closed a month early.",
        "Skaters can use the indoor hall & pay half price.",
    ]
    assert (rink.meta.version, rink.meta.created, rink.meta.agency) == (2, None, None)

    assert [s.meta.wire_id for s in (glacier, rink, lift)] == [
        "newsml:urn:newsml:wire.example.net:20260209:glacier-road",
        "newsml:urn:newsml:wire.example.net:20260209:ice-rink",
        "newsml:urn:newsml:wire.example.net:20260209:ski-lift",
    ]


def test_missing_headline_falls_back_to_slugline_without_adding_text():
    *_, lift = _parse(NEWSML / "message-three.xml")
    assert lift.meta.headline == "Sorvik-Ski-Lift"
    assert [b.kind for b in lift.blocks] == ["paragraph"]
    assert lift.text == "A new chair lift opened on the north slope of Sorvik on Monday."


def test_missing_headline_and_slugline_fall_back_to_first_paragraph():
    long = "Rangers counted " + "many " * 30 + "seals on the sandbank."
    [story] = newsml.parse(_item(content_set=_plain(long)), "x.xml")
    assert story.meta.headline.startswith("Rangers counted many") and story.meta.headline.endswith("…")
    assert len(story.meta.headline) <= 81 and story.text == " ".join(long.split())
    [short] = newsml.parse(_item(content_set=_plain("Seals return.")), "x.xml")
    assert short.meta.headline == "Seals return." and [b.kind for b in short.blocks] == ["paragraph"]


@pytest.mark.parametrize(
    ("body", "dateline", "paragraph"),
    [
        ("OSLO (NTB) - Rain fell.", "OSLO (NTB) -", "Rain fell."),
        ("OSLO (NTB) — Rain fell.", "OSLO (NTB) —", "Rain fell."),
        ("OSLO (NTB) Rain fell.", "OSLO (NTB)", "Rain fell."),
        ("Oslo (ntb): Rain fell.", "Oslo (ntb):", "Rain fell."),
        ("OSLOVIA (NTB) - Rain fell.", "OSLO (NTB)", "OSLOVIA (NTB) - Rain fell."),
        ("Rain fell in Oslo.", "OSLO (NTB)", "Rain fell in Oslo."),
    ],
)
def test_dateline_element_is_taken_out_of_the_first_paragraph(body, dateline, paragraph):
    data = _item("<headline>Rain</headline><dateline>OSLO (NTB)</dateline>", _plain(body))
    [story] = newsml.parse(data, "x.xml")
    assert (_kinds(story, "dateline"), _kinds(story, "paragraph")) == ([dateline], [paragraph])
    assert (story.meta.dateline, story.meta.agency) == ("OSLO", "NTB")
    assert story.text.endswith(f"{dateline} {paragraph}")


def test_nitf_hl1_is_the_headline_when_content_meta_has_none():
    nitf = (
        '<inlineXML><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head><hedline><hl1>Owls nest'
        " in tower</hl1><hl2>A first for the city</hl2></hedline></body.head><body.content><p>Two owls nested.</p>"
        "</body.content></body></nitf></inlineXML>"
    )
    [story] = newsml.parse(_item(content_set=nitf), "x.xml")
    assert [(b.kind, story.block_text(b)) for b in story.blocks] == [
        ("headline", "Owls nest in tower"),
        ("standfirst", "A first for the city"),
        ("paragraph", "Two owls nested."),
    ]


def test_headline_only_item_is_a_story_and_empty_item_is_refused():
    [story] = newsml.parse(_item(content_meta="<headline>FLASH: Bridge open</headline>"), "x.xml")
    assert story.text == "FLASH: Bridge open"
    with pytest.raises(StoryError, match="no headline and no text"):
        newsml.parse(_item(content_meta="<slugline>Empty</slugline>"), "x.xml")


def test_items_without_text_are_skipped_in_a_message():
    picture = _item(content_set='<remoteContent href="http://example.org/p.jpg"/>').decode()
    text = _item(content_meta="<headline>Beach reopens</headline>", content_set=_plain("Swimmers returned.")).decode()
    message = f'<newsMessage xmlns="{NAR}"><itemSet>{picture}{text}</itemSet></newsMessage>'.encode()
    [story] = newsml.parse(message, "m.xml")
    assert story.headline == "Beach reopens"
    with pytest.raises(StoryError, match=r"^no text story in this NewsML-G2 file"):
        newsml.parse(f'<newsMessage xmlns="{NAR}"><itemSet>{picture}{picture}</itemSet></newsMessage>'.encode())


def test_ansi_escapes_and_control_characters_are_removed():
    [story] = _parse(NEWSML / "ansi-controls.xml")
    meta = story.meta
    assert meta.headline == "Cracks found in Vella dam wall"
    assert _kinds(story, "standfirst") == ["Water level to be lowered as a precaution."]
    assert _kinds(story, "paragraph") == [  # from base64 data holding ESC sequences, BEL and BS
        "Engineers found cracks in the Vella dam wall on Friday.",
        "The reservoir will be lowered by two metres.",
    ]
    assert (meta.agency, meta.authors, meta.slug) == ("Northwire", ("Rui Santos",), "Vella-Dam")
    assert meta.subjects == ("dams and reservoirs",)
    assert meta.wire_id == "newsml:urn:newsml:wire.example.net:20260502:vella-dam"
    flat = json.dumps(story.to_dict(), ensure_ascii=False)
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u202e\u200b" for c in flat)


def test_odd_metadata_values_are_tolerated():
    data = _item(
        content_meta="<headline>Rain</headline><urgency>high</urgency><contentCreated>someday</contentCreated>"
        '<language tag=""/>',
        content_set=_plain("It rained."),
        item_meta='<signal qcode="sig:update"/><signal qcode="sig:correction"/><signal/>',
        attrs='version="two" guid="  " xml:lang="fr"',
    )
    [story] = newsml.parse(data, "x.xml")
    meta = story.meta
    assert (meta.version, meta.wire_id, meta.created, meta.language) == (None, None, None, "fr")
    assert meta.extra == {"signal": "update, correction"}


# --- bad and hostile input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"<newsItem><contentMeta><headline>Unclosed</contentMeta>",
        (NEWSML / "nitf-item.xml").read_bytes()[:700],
        b"\x00\x01\x02 not xml",
        b"",
        b'<?xml version="1.0" encoding="TTF-8"?><newsItem/>',
        b'<?xml version="1.0" encoding="rot13"?><newsItem/>',
    ],
    ids=["mismatched", "truncated", "binary", "empty", "unknown-encoding", "codec-not-text"],
)
def test_malformed_xml_is_refused_in_one_line(data):
    with pytest.raises(StoryError) as exc:
        newsml.parse(data, "bad.xml")
    assert "\n" not in str(exc.value)


def test_broken_html_in_a_body_keeps_what_could_be_read():
    data = _item("<headline>H</headline>", '<inlineData contenttype="text/html">&lt;p&gt;a&lt;![odd[ b</inlineData>')
    (story,) = newsml.parse(data, "x.xml")
    assert story.text == "H\n\na"  # Python's HTML parser stops at "<![odd[": the rest is not guessed at


def test_other_xml_is_refused():
    with pytest.raises(StoryError, match=r"^not NewsML-G2: the document is a <rss>"):
        newsml.parse(b"<rss><channel/></rss>", "feed.xml")
    with pytest.raises(StoryError, match="holds no newsItem"):
        newsml.parse(f'<newsMessage xmlns="{NAR}"><header/></newsMessage>'.encode())


def test_deep_nesting_is_refused_cleanly():
    deep = "<div>" * 50_000 + "x" + "</div>" * 50_000
    data = _item(content_meta="<headline>Deep</headline>", content_set=f"<inlineXML>{deep}</inlineXML>")
    with pytest.raises(StoryError, match="nested"):
        newsml.parse(data, "deep.xml")


_OPENED: set[str] = set()
_WATCHED: set[str] = set()


def _audit(event: str, args: tuple) -> None:
    if _WATCHED and event == "open" and str(args[0]) in _WATCHED:
        _OPENED.add(str(args[0]))


sys.addaudithook(_audit)


def test_external_entity_is_refused_and_no_local_file_is_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    data = (NEWSML / "xxe.xml").read_bytes().replace(b"file:///etc/passwd", secret.as_uri().encode())
    _WATCHED.add(str(secret))
    try:
        with pytest.raises(StoryError, match="declares entities") as exc:
            newsml.parse(data, "xxe.xml")
    finally:
        _WATCHED.clear()
    assert not _OPENED
    assert "SECRET" not in str(exc.value)


def test_billion_laughs_is_refused_quickly():
    start = time.monotonic()
    with pytest.raises(StoryError, match="declares entities"):
        newsml.parse((NEWSML / "billion-laughs.xml").read_bytes(), "lol.xml")
    assert time.monotonic() - start < 5  # a hang guard, not a speed target: expanding it would never finish


@pytest.mark.parametrize("name", ["xxe.xml", "billion-laughs.xml"])
def test_hostile_files_are_routed_to_newsml_by_the_loader(name):
    assert detect_format((NEWSML / name).read_bytes()) == "newsml"
    with pytest.raises(StoryError, match="declares entities"):
        load_path(NEWSML / name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_stories_or_story_error(data):
    _parse_or_refuse(data)


_VALID = [(NEWSML / n).read_bytes() for n in ("nitf-item.xml", "message-three.xml", "ansi-controls.xml")]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_VALID)))
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if action == "flip" and pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif action == "truncate":
            del data[pos:]
        elif action == "insert":
            data[pos:pos] = draw(st.sampled_from([b"<", b">", b"&", b"<p>", b"</", b"\x1b[2J", b"\xff", b"&#x9b;"]))
        else:
            del data[pos : pos + draw(st.integers(1, 40))]
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_mutated_files_give_stories_or_story_error(data):
    _parse_or_refuse(data)


def _parse_or_refuse(data: bytes) -> None:
    try:
        stories = newsml.parse(data, "fuzz.xml")
    except StoryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert stories
    for story in stories:
        _check(story)


# --- detection -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(NEWSML.glob("*.xml")), ids=lambda p: p.name)
def test_detect_our_fixtures(path):
    assert newsml.detect(path.read_bytes()[:65536])


def test_detect_after_bom_comments_and_in_utf16():
    item = f'<?xml version="1.0"?>\n<!-- a comment -->\n<?pi x?>\n<newsItem xmlns="{NAR}"><headline/></newsItem>'
    assert newsml.detect(codecs.BOM_UTF8 + item.encode())
    item = item.replace('"1.0"', '"1.0" encoding="UTF-16"').replace("<headline/>", "<contentMeta><headline>Hi")
    utf16 = codecs.BOM_UTF16_LE + item.replace("</newsItem>", "</headline></contentMeta></newsItem>").encode(
        "utf-16-le"
    )
    assert newsml.detect(utf16)
    assert newsml.parse(utf16)[0].headline == "Hi"


def test_detect_reads_many_comments_in_linear_time():
    comments = b"<!-- note -->\n" * 4000  # a backtracking pattern would never finish this
    assert not newsml.detect(comments + b"<rss>" + NAR.encode())
    assert newsml.detect(comments + f'<newsItem xmlns="{NAR}"/>'.encode())
    assert newsml.detect(f'<!DOCTYPE x [<!ENTITY a "b>c">]>\n<newsItem xmlns="{NAR}"/>'.encode())


@pytest.mark.parametrize(
    "data",
    [
        b"Ferry service resumes\n\nThe ferry runs hourly, said newsItem staff.\n",
        json.dumps({"headline": "x", "body_text": NAR, "type": "text"}).encode(),
        f'<?xml version="1.0"?><rss version="2.0"><channel><item><description>{NAR} newsItem'
        "</description></item></channel></rss>".encode(),
        b"<!DOCTYPE html><html><head><title>newsItem</title></head><body><p>Text</p></body></html>",
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title></entry></feed>',
        b"<newsItem><contentMeta><headline>No namespace</headline></contentMeta></newsItem>",
        b"",
    ],
    ids=["text", "json", "rss", "html", "atom", "no-namespace", "empty"],
)
def test_detect_rejects_other_formats(data):
    assert not newsml.detect(data)
