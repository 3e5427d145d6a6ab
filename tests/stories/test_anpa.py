"""ANPA-1312: the corpus transmission, write-thrus and versions, cp1252, truncation, detection, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stories.formats import anpa, iptc7901, plaintext
from stories.loader import load_path
from stories.model import Story, StoryError
from tests.conftest import FIXTURES
from tests.wire_checks import check_story, controls, mutations, parse_or_refuse

ANPA = FIXTURES / "anpa"
SAMPLES = [p.read_bytes() for p in sorted(ANPA.iterdir())]


def _one(data: bytes) -> Story:
    [story] = anpa.parse(data, "test.txt")
    check_story(story)
    return story


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


def _transmission(keyword: str, head: list[str], paras: list[str], trailer: str | None) -> bytes:
    out = f"\x16\x16\x01a0001\x1fAPR\r\nr a\x13\x11{keyword}\r\n\x02" + "".join(h + "\r\n" for h in head)
    out += "".join(f"\t{p}\r\n" for p in paras)
    if trailer is not None:
        out += f"\x03{trailer}\r\n\x04"
    return out.encode("cp1252")


# --- the shared corpus -------------------------------------------------------------------------------------


def test_corpus_harbor_fire(corpus):
    path = corpus / "anpa1312-harbor-fire.txt"
    assert anpa.detect(path.read_bytes()[:65536])
    [story] = load_path(path)
    check_story(story)
    meta = story.meta
    assert meta.format == "anpa" and meta.source == "anpa1312-harbor-fire.txt"
    assert meta.headline == "Fire breaks out on cargo ship in harbor"
    assert _kinds(story, "headline") == [meta.headline]
    assert meta.slug == "BC-Harbor-Fire"
    assert meta.authors == ("LENA WU",)
    assert meta.agency == "Associated Press"
    assert meta.dateline == "HARBORVIEW, Calif."
    assert _kinds(story, "dateline") == ["HARBORVIEW, Calif. (AP) —"]
    assert (meta.created, meta.updated) == ("2026-04-22", "2026-04-22T09:15:00Z")
    assert meta.version == 2 and meta.extra["version_info"] == "1stLd-Writethru"
    assert meta.wire_id == "anpa:bc-harbor-fire|2026-04-22"
    assert meta.extra["eds"] == "UPDATES with fire chief comment."
    assert meta.extra["trailer"] == "AP-WF-04-22-26 0915GMT"
    assert (meta.extra["priority"], meta.extra["category"], meta.extra["word_count"]) == ("r", "f", 212)
    assert meta.extra["credits"] == ["Associated Press writer Omar Li contributed to this report."]
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].startswith("A fire broke out on a cargo ship docked in Harborview harbor")
    assert paragraphs[-1] == "The cause of the fire was not immediately known, the port authority said."
    for gone in ("Associated Press Writer", "Eds:", "BC-Harbor-Fire", "___", "contributed", "AP-WF", " _ ", "^"):
        assert gone not in story.text


# --- write-thrus and versions ------------------------------------------------------------------------------


def test_write_thru_with_eds_note_and_two_bylines():
    story = _one((ANPA / "dam-inspection-2nd-writethru.txt").read_bytes())
    meta = story.meta
    assert meta.headline == "Inspectors order repairs at aging mountain dam"
    assert meta.authors == ("MARCO DIAZ", "PRIYA NAIR")
    assert meta.extra["byline_titles"] == ["Associated Press Writer", "AP Science Writer"]
    assert meta.extra["eds"] == "RECASTS lede; ADDS comment from state engineer."
    assert meta.extra["notes"] == ["With AP Photos"]
    assert (meta.version, meta.extra["version_info"]) == (3, "2ndLd-Writethru")
    assert (meta.extra["priority"], meta.extra["priority_name"]) == ("u", "urgent")
    assert (meta.created, meta.updated) == ("2026-07-14", "2026-07-14T18:42:00Z")
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].endswith("seepage along its eastern wall, the state water agency said.")  # line joined
    assert "40 million cubic meters — enough" in paragraphs[2]
    assert paragraphs[3] == "— Residents downstream will get letters explaining the work."
    assert paragraphs[-1] == "Repairs are expected to start in September and to take two months."
    assert meta.extra["credits"] == ["Nair reported from Portland, Oregon."]
    assert "Writer" not in story.text and "With AP Photos" not in story.text


def test_original_and_lead_in_one_file_are_two_versions_of_one_story():
    original, lead = load_path(ANPA / "ferry-delay-two-versions.txt")
    for story in (original, lead):
        check_story(story)
    assert original.meta.wire_id == lead.meta.wire_id == "anpa:bc-ferry-delay|2026-03-02"
    assert (original.meta.version, lead.meta.version) == (1, 2)  # an original is version 1
    assert original.meta.created == "2026-03-02T12:05:00Z" and original.meta.updated is None
    assert (lead.meta.created, lead.meta.updated) == ("2026-03-02", "2026-03-02T16:31:00Z")
    assert lead.headline == "Fog clears, island ferries run again"
    assert original.id != lead.id


def test_cp1252_curly_quotes_and_accents():
    story = _one((ANPA / "cafe-lease-cp1252.txt").read_bytes())
    assert story.headline == "Café owner’s “last stand” draws crowd"
    assert story.meta.authors == ("INÉS MUÑOZ",)
    assert story.meta.dateline == "SANTA LUCÍA, Calif."
    assert "José Peña’s café on Friday – the last day" in story.text
    assert "“We came for the coffee and stayed for the señora,”" in story.text


def test_utf8_copy_reads_the_same_as_cp1252():
    data = (ANPA / "cafe-lease-cp1252.txt").read_bytes()
    assert _one(data.decode("cp1252").encode("utf-8")) == _one(data)


def test_truncated_transmission_is_imported_as_far_as_it_goes():
    story = _one((ANPA / "bridge-vote-truncated.txt").read_bytes())
    assert story.meta.extra["truncated"] is True
    assert "trailer" not in story.meta.extra and story.meta.created is None
    assert story.text.endswith("The vote was 9-2. Supporters said the tolls had")
    assert story.meta.wire_id == "anpa:bc-bridge-vote|11-05"  # no year without the trailer


@pytest.mark.parametrize(
    "data",
    [
        b"\x16\x16\x01a0001\x1fAPR\r\nr a\x13\x11BC-Empty 01-01 0000\r\n",
        b"\x16\x16\x01a0001\x1fAPR\r\nr a\x13\x11BC-Empty 01-01 0000\r\n\x02\r\n\t \r\n\x03AP-01-01-26 0000GMT\x04",
        b"no framing at all",
    ],
    ids=["no-stx", "no-text", "not-anpa"],
)
def test_transmissions_without_text_are_refused(data):
    with pytest.raises(StoryError) as exc:
        anpa.parse(data, "x.txt")
    assert "\n" not in str(exc.value)


def test_an_empty_transmission_beside_a_story_is_skipped():
    empty = b"\x16\x16\x01a0002\x1fAPR\r\nr v\x13\x11BC-Test 01-01 0000\r\n\x02\x03\x04"
    [story] = anpa.parse(empty + (ANPA / "cafe-lease-cp1252.txt").read_bytes(), "x.txt")
    assert story.meta.slug == "BC-Cafe-Lease"


def test_alert_without_headline_takes_it_from_the_text():
    data = _transmission("BC-Senate-Budget 05-01 0030", [], ["WASHINGTON (AP) _ The Senate passed the budget."], "AP")
    story = _one(data)
    assert story.headline == "The Senate passed the budget."
    assert _kinds(story, "headline") == [] and story.meta.dateline == "WASHINGTON"


def test_byline_with_title_on_the_same_line_and_zone_in_trailer():
    data = _transmission(
        "BC-Mill-Sale 06-10 0050",
        ["^Old mill sold to town<", "^By LENA WU, Associated Press Writer="],
        ["DOVER, Del. (AP) _ The town bought the old mill."],
        "AP-NY-06-10-26 1415EDT",
    )
    story = _one(data)
    assert story.meta.authors == ("LENA WU",) and story.meta.agency == "Associated Press"
    assert story.meta.created == "2026-06-10T18:15:00Z"


def test_december_story_sent_in_january_keeps_its_year():
    data = _transmission("BC-New-Year 12-31 0040", ["^Fireworks at midnight<"], ["Text."], "AP-01-01-27 0030GMT")
    assert _one(data).meta.wire_id == "anpa:bc-new-year|2026-12-31"


def test_headline_mentioning_reporters_is_not_a_byline_title():
    data = _transmission("BC-Award 02-02 0050", ["^Mayor honors reporters<", "^By ANA LIM="], ["Text."], None)
    story = _one(data)
    assert story.headline == "Mayor honors reporters" and story.meta.authors == ("ANA LIM",)


def test_undefined_cp1252_bytes_and_escapes_never_reach_the_text():
    data = _transmission("BC-Odd 01-02 0010", ["^Odd bytes<"], ["Text."], None)
    data = data.replace(b"Text.", b"Te\x81xt\x1b[31m \x9b2J\x8d.")
    story = _one(data)
    assert _kinds(story, "paragraph") == ["Text ›2J."]


# --- detection ---------------------------------------------------------------------------------------------

IPTC_SAMPLE = b"\x01eca001 4 i 100\r\nTopic-topic/\r\n\x02Headline =\r\n\r\nText.\r\n\x03101010 GMT Jan 1\r\n\x04"
DETECT_CASES = {
    "anpa-syn": (b"\x16\x16\x01a0001\x1fAPR\r\nr a\x13\x11BC-X 01-01 0010\r\n\x02^Head<\r\n\tText.\r\n", "anpa"),
    "anpa-no-syn": (b"\x01a0001\x1fAPR\r\nr a\x13\x11BC-X 01-01 0010\r\n\x02^Head<\r\n\tText.\r\n", "anpa"),
    "anpa-slug-only": (b"\x01r a BC-Harbor-Fire 04-22 0212\r\n\x02Head\r\n\tText.", "anpa"),
    "anpa-caret-after-stx": (b"\x01header\r\n\x02^Head<\r\n\tText.", "anpa"),
    "iptc": (IPTC_SAMPLE, "iptc7901"),
    "iptc-no-slug": (b"\x01eca001 4 i 100\r\n\x02Headline =\r\n\r\nText.\r\n\x03\x04", "iptc7901"),
    "plain": (b"Headline\n\nPARIS (AFP) - Text.\n", "text"),
    "soh-without-stx": (b"\x01eca001 4 i 100\r\nslug/\r\nHeadline\r\n", None),
    "soh-not-at-start": (b"Headline\r\n\x01eca001\r\n\x02Text", None),
}


@pytest.mark.parametrize("case", DETECT_CASES, ids=str)
def test_detect_tells_anpa_iptc7901_and_plain_text_apart(case):
    data, expected = DETECT_CASES[case]
    found = {name for name, mod in (("anpa", anpa), ("iptc7901", iptc7901), ("text", plaintext)) if mod.detect(data)}
    assert found == ({expected} if expected else set())


def test_fixtures_are_detected_as_anpa():
    for data in SAMPLES:
        assert anpa.detect(data[:65536]) and not iptc7901.detect(data) and not plaintext.detect(data)


# --- fuzzing -----------------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_valid_stories_or_a_story_error(data):
    parse_or_refuse(anpa.parse, data)
    parse_or_refuse(anpa.parse, b"\x16\x16\x01" + data)


@settings(max_examples=150, deadline=None)
@given(mutations(SAMPLES))
def test_mutated_transmissions_give_valid_stories_or_a_story_error(data):
    for story in parse_or_refuse(anpa.parse, data):
        assert not controls(story.meta.extra)
