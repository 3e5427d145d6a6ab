"""Plain wire text: Anadolu, Reuters and AP layouts, graceful degradation, and story invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stories.demo import demo_files
from stories.formats import plaintext
from stories.loader import load_path
from stories.model import Story, StoryError
from tests.conftest import FIXTURES
from tests.wire_checks import check_story, controls, mutations, parse_or_refuse

AA_FOOTER = "Anadolu Agency website contains only a portion"


def _load(path) -> Story:
    stories = load_path(path)
    assert len(stories) == 1
    story = stories[0]
    _check_invariants(story)
    return story


def _parse(raw: str) -> Story:
    [story] = plaintext.parse(raw, "test.txt")
    _check_invariants(story)
    return story


def _check_invariants(story: Story) -> None:
    """Blocks in order, inside the text, separated as the model says; round trip; id stable."""
    text = story.text
    assert story.blocks and story.blocks[0].start == 0 and story.blocks[-1].end == len(text)
    for block, nxt in zip(story.blocks, story.blocks[1:], strict=False):
        assert 0 <= block.start < block.end <= nxt.start < nxt.end <= len(text)
        gap = text[block.end : nxt.start]
        assert gap == "\n\n" or (block.kind == "dateline" and gap == " "), (block, gap)
    for block in story.blocks:
        part = story.block_text(block)
        assert part == part.strip() and "\n" not in part
    assert "\u00a0" not in text and "\x1b" not in text
    assert Story.from_dict(story.to_dict()) == story
    again = Story.create(text, story.blocks, story.meta)
    assert again.id == story.id


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


# --- the shared corpus ---------------------------------------------------------------------------------------


def test_anadolu_corpus_story(corpus):
    story = _load(corpus / "aa-russia-venezuela-strikes.txt")
    meta = story.meta
    assert meta.section == "Americas, Asia - Pacific"
    assert meta.authors == ("Burc Eruygur",)
    assert meta.dateline == "ISTANBUL"
    assert (meta.created, meta.updated) == ("2026-01-03", "2026-01-04")
    assert meta.agency == "Anadolu Agency"
    assert meta.format == "text" and meta.source == "aa-russia-venezuela-strikes.txt"
    assert meta.headline == "Russia says US military strikes on Venezuela 'deeply concerning, condemnable'"
    assert _kinds(story, "headline") == [meta.headline]
    assert story.text.count(meta.headline) == 1  # the repeated headline is dropped
    [standfirst] = _kinds(story, "standfirst")
    assert standfirst.startswith("‘We believe that all partners") and standfirst.endswith("says Foreign Ministry")
    [highlight] = _kinds(story, "highlight")
    assert highlight.startswith("Moscow 'extremely alarmed'") and "•" not in story.text
    assert "ministry says in separate statement" in highlight  # NBSPs became spaces
    assert _kinds(story, "dateline") == ["ISTANBUL"]
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) == 16
    assert paragraphs[0].startswith("Russia on Saturday condemned US strikes on Venezuela")
    assert paragraphs[-1].startswith("The Russian Embassy in Caracas")
    assert [b.kind for b in story.blocks[:4]] == ["headline", "standfirst", "highlight", "dateline"]
    assert AA_FOOTER not in story.text
    assert meta.extra["footer"][0].startswith(AA_FOOTER)
    assert "“no substantive basis”" in story.text and "Russia’s support" in story.text
    assert "Burc Eruygur" not in story.text and "03.01.2026" not in story.text


def test_reuters_corpus_story(corpus):
    story = _load(corpus / "reuters-port-strike.txt")
    meta = story.meta
    assert meta.headline == "Dock workers in Valdoria extend strike as wage talks stall"
    assert "UPDATE" not in story.text
    assert meta.extra["update"] == 2
    assert meta.authors == ("Marta Ilves", "Jonas Berg")
    assert meta.agency == "Reuters"
    assert meta.dateline == "PORT AUREL"
    assert _kinds(story, "dateline") == ["PORT AUREL, March 4 (Reuters) -"]
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].startswith("Dock workers at Valdoria's largest container port")
    assert len(paragraphs) == 6
    assert "(Reporting by" not in story.text and "By Marta" not in story.text
    assert meta.extra["credits"] == ["Reporting by Marta Ilves and Jonas Berg; Editing by Hugh Lawson"]


def test_ap_corpus_story(corpus):
    story = _load(corpus / "ap-bridge-closure.txt")
    meta = story.meta
    assert meta.headline == "City closes century-old bridge after inspectors find cracks"
    assert meta.authors == ("DANIEL OKAFOR",)
    assert meta.agency == "Associated Press"
    assert meta.dateline == "RIVERTON, Ore."
    assert _kinds(story, "dateline") == ["RIVERTON, Ore. (AP) —"]
    assert _kinds(story, "paragraph")[0].startswith("City officials closed the century-old Millrace Bridge")
    assert any("Mei Tanaka" in c for c in meta.extra["credits"])
    assert "___" not in story.text and "contributed to this report" not in story.text


# --- the demo stories ----------------------------------------------------------------------------------------

DEMO_AGENCIES = {"anadolu": "Anadolu Agency", "reuters": "Reuters", "ap": "Associated Press"}


def test_there_are_four_demo_stories_of_each_layout():
    names = [p.name for p in demo_files()]
    assert len(names) == 4
    assert {n.split("-")[0] for n in names} == set(DEMO_AGENCIES)


@pytest.mark.parametrize("path", demo_files(), ids=lambda p: p.name)
def test_demo_story_parses(path):
    story = _load(path)
    meta = story.meta
    assert meta.headline and _kinds(story, "headline") == [meta.headline]
    assert meta.agency == DEMO_AGENCIES[path.name.split("-")[0]]
    assert meta.authors and all(a.strip() for a in meta.authors)
    assert meta.dateline and _kinds(story, "dateline")
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) >= 5
    assert 250 <= len(story.text.split()) <= 600
    for marker in ("Anadolu Agency website", "(Reporting by", "Editing by", "contributed to this report", "___"):
        assert marker not in story.text
    assert "By " not in story.text.split("\n\n")[1]  # the byline is metadata
    assert meta.extra.get("footer") or meta.extra.get("credits")
    assert "“" in story.text or '"' in story.text


def test_demo_stories_offer_abbreviations_for_sentence_motion():
    texts = " ".join(_load(p).text for p in demo_files())
    for needle in ("Gov. ", "Dr. ", "U.S. "):
        assert needle in texts


def test_demo_anadolu_layout():
    [path] = [p for p in demo_files() if p.name.startswith("anadolu-")]
    story = _load(path)
    assert story.meta.section == "Europe"
    assert story.meta.authors == ("Selin Arkali",)
    assert (story.meta.created, story.meta.updated) == ("2026-05-14", "2026-05-15")
    assert len(_kinds(story, "standfirst")) == 1
    assert len(_kinds(story, "highlight")) == 2
    assert story.meta.dateline == "KOVARA"
    assert "\u00a0" in path.read_text(encoding="utf-8")


def test_demo_reuters_with_three_authors():
    [path] = [p for p in demo_files() if p.name == "reuters-lake-ordin-ruling.txt"]
    story = _load(path)
    assert story.meta.authors == ("Petra Lind", "Samir Qadri", "Hanne Voss")
    assert "update" not in story.meta.extra


# --- layouts, synthetic ------------------------------------------------------------------------------------

AA_SAMPLE = """Europe

Bridge reopens in Dorva

‘We kept our promise,’ says mayor

Ela Tan\u00a0| 09.03.2026 - Update : 10.03.2026
Bridge reopens in Dorva
  • - Traffic resumes after two years
  • - Mayor thanks engineers
    and residents

DORVA

The bridge reopened on Monday.

“We kept our promise,” Mayor Ilse Kaar said.

Anadolu Agency website contains only a portion of the news stories offered to subscribers in the AA News \
Broadcasting System (HAS), and in summarized form. Please contact us for subscription options."""


def test_anadolu_highlights_on_consecutive_lines_stay_separate():
    story = _parse(AA_SAMPLE)
    assert _kinds(story, "highlight") == ["Traffic resumes after two years", "Mayor thanks engineers and residents"]
    assert story.meta.section == "Europe"
    assert story.meta.authors == ("Ela Tan",)
    assert _kinds(story, "paragraph") == [
        "The bridge reopened on Monday.",
        "“We kept our promise,” Mayor Ilse Kaar said.",
    ]


def test_anadolu_byline_without_update_and_without_repeated_headline():
    raw = "Quay fire out\n\n‘All safe,’ says chief\n\nEla Tan | 31.12.2025\n\nVARO\n\nThe fire was put out."
    story = _parse(raw)
    assert story.meta.section is None
    assert story.headline == "Quay fire out"
    assert _kinds(story, "standfirst") == ["‘All safe,’ says chief"]
    assert (story.meta.created, story.meta.updated) == ("2025-12-31", None)


def test_anadolu_impossible_date_is_dropped():
    story = _parse("Head\n\nStand\n\nEla Tan | 31.02.2026\n\nBody text here.")
    assert story.meta.created is None
    assert story.meta.authors == ("Ela Tan",)


def test_reuters_tags_and_three_authors():
    raw = (
        "REFILE-UPDATE 3-Mill workers vote to strike\n\nBy Ana Lu, Ben Oto and Cy Dee\n\n"
        "NORTH BAY, Jan 5 (Reuters) - Workers voted on Friday.\n\nMore to come.\n\n"
        "(Reporting by Ana Lu; Additional reporting by Ben Oto)\n\n(Editing by Cy Dee)\n\n"
        "Our Standards: The Thomson Reuters Trust Principles."
    )
    story = _parse(raw)
    assert story.headline == "Mill workers vote to strike"
    assert story.meta.extra["headline_tags"] == ["REFILE", "UPDATE 3"]
    assert story.meta.extra["update"] == 3
    assert story.meta.authors == ("Ana Lu", "Ben Oto", "Cy Dee")
    assert story.meta.extra["dateline_date"] == "Jan 5"
    assert story.meta.extra["credits"] == ["Reporting by Ana Lu; Additional reporting by Ben Oto", "Editing by Cy Dee"]
    assert story.meta.extra["footer"] == ["Our Standards: The Thomson Reuters Trust Principles."]
    assert story.text.endswith("Workers voted on Friday.\n\nMore to come.")


def test_accented_dateline():
    story = _parse("Rain floods market\n\nSÃO PAULO, Brazil (Reuters) - Heavy rain flooded the market.\n\nMore.")
    assert story.meta.dateline == "SÃO PAULO, Brazil"
    assert _kinds(story, "paragraph")[0] == "Heavy rain flooded the market."


def test_mixed_case_text_before_agency_is_not_a_dateline():
    story = _parse("Title\n\nOfficials said (AP) — the road is shut.\n\nMore.")
    assert story.meta.dateline is None
    assert _kinds(story, "paragraph")[0] == "Officials said (AP) — the road is shut."


def test_byline_with_agency_suffix():
    story = _parse("Storm hits coast\n\nBy LENA WU, Associated Press\n\nMORRO, Calif. (AP) — Waves rose.\n\nMore.")
    assert story.meta.authors == ("LENA WU",)
    assert story.meta.agency == "Associated Press"
    assert story.meta.dateline == "MORRO, Calif."


def test_sentence_starting_with_by_is_not_a_byline():
    story = _parse("Title\nBy the end of the day, the river had risen.\n\nMore.")
    assert story.meta.authors == ()
    assert _kinds(story, "paragraph")[0] == "By the end of the day, the river had risen."


# --- graceful degradation ------------------------------------------------------------------------------------


def test_generic_text_first_line_headline_and_blank_line_paragraphs():
    story = _load(FIXTURES / "generic.txt")
    assert story.headline == "Library extends opening hours"
    assert story.meta.agency is None and story.meta.authors == () and story.meta.dateline is None
    assert [b.kind for b in story.blocks] == ["headline", "paragraph", "paragraph", "paragraph"]
    assert _kinds(story, "paragraph")[1] == "Staff said the change followed a survey of 600 readers."


def test_hard_wrapped_paragraphs_are_joined():
    story = _load(FIXTURES / "hard-wrapped.txt")
    assert story.headline == "Notes from the Harrow Vale council meeting"
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The council met on Monday evening to discuss the future of the old mill on Canal")
    assert paragraphs[0].endswith("wants to turn it into flats.")


def test_one_paragraph_per_long_line():
    story = _load(FIXTURES / "long-lines.txt")
    assert story.headline == "Volunteers count record number of herons on Mirrow Lake"
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) == 3
    assert paragraphs[1].startswith("“We had to count")
    assert paragraphs[2] == "Short final paragraph."


def test_headline_only_and_leading_blank_lines():
    story = _parse("\n\n   \n  Just a headline  \n\n")
    assert story.headline == "Just a headline"
    assert story.text == "Just a headline"


def test_trailing_uppercase_line_is_a_paragraph_not_a_dateline():
    story = _parse("Title\n\nTHE END")
    assert story.meta.dateline is None
    assert _kinds(story, "paragraph") == ["THE END"]


def test_section_breaks_are_text_not_credits():
    story = _parse("Title\n\nOne.\n\n***\n\nTwo.\n\n---\n\nThree.")
    assert _kinds(story, "paragraph") == ["One.", "***", "Two.", "---", "Three."]
    assert "credits" not in story.meta.extra


def test_crlf_and_controls_are_normalised():
    story = _parse("Head\x1b[1mline\x1b[0m\r\n\r\nBody\x07 one\u00a0\u00a0here.\r\n")
    assert story.text == "Headline\n\nBody one here."


def test_no_text_is_refused():
    with pytest.raises(StoryError, match="no text"):
        plaintext.parse("  \n\x1b[0m\n", "x.txt")


def test_a_lone_credit_line_becomes_the_headline():
    story = _parse("(Reporting by Ana Lu)")
    assert story.headline == "(Reporting by Ana Lu)"


def test_detect_accepts_any_text():
    assert plaintext.detect(b"anything")
    assert not plaintext.detect(b" \n\t")


def test_same_text_gives_same_id_and_different_text_a_different_id():
    a = _parse(AA_SAMPLE)
    b = _parse(AA_SAMPLE.replace("\n", "\r\n"))
    c = _parse(AA_SAMPLE.replace("Monday", "Tuesday"))
    assert a.id == b.id and a == b
    assert a.id != c.id
    assert len(a.id) == 64 and a.short_id == a.id[:8]


# --- AFP, TASS and Xinhua ---------------------------------------------------------------------------------

PLAIN = FIXTURES / "plain"


def _fixture(name: str) -> Story:
    [story] = plaintext.parse((PLAIN / name).read_bytes(), name)
    _check_invariants(story)
    check_story(story)
    return story


def test_afp_dateline_byline_and_initials_trailer():
    story = _fixture("afp-flood-barriers.txt")
    meta = story.meta
    assert meta.headline == "Flood barriers hold as river crests in Lyonne"
    assert meta.authors == ("Claire MOREAU",)
    assert meta.agency == "AFP"
    assert meta.dateline == "LYONNE, France"
    assert _kinds(story, "dateline") == ["LYONNE, France (AFP) -"]
    assert _kinds(story, "paragraph")[0].startswith("Temporary flood barriers held overnight")
    assert _kinds(story, "paragraph")[-1].endswith("were allowed back in the afternoon.")
    assert meta.extra["trailer"] == "burs-cm/jl"
    assert "burs-cm/jl" not in story.text and "by Claire" not in story.text


def test_tass_dateline():
    story = _fixture("tass-volga-ferry.txt")
    meta = story.meta
    assert _kinds(story, "dateline") == ["MOSCOW, November 12. /TASS/."]
    assert (meta.dateline, meta.agency, meta.extra["dateline_date"]) == ("MOSCOW", "TASS", "November 12")
    assert _kinds(story, "paragraph")[0].startswith("Ferry traffic across the Volga at Kamensk resumed")
    assert meta.wire_id == "text:TASS|volga ferry crossing reopens after ice clears|November 12"


def test_xinhua_dateline_with_double_hyphen_and_enditem():
    story = _fixture("xinhua-container-terminal.txt")
    meta = story.meta
    assert _kinds(story, "dateline") == ["BEIJING, Oct. 9 (Xinhua) --"]
    assert (meta.dateline, meta.agency, meta.extra["dateline_date"]) == ("BEIJING", "Xinhua", "Oct. 9")
    assert _kinds(story, "paragraph")[-1] == "Construction began in 2023."
    assert meta.extra["trailer"] == "Enditem" and "Enditem" not in story.text


@pytest.mark.parametrize(
    ("raw", "trailer", "last"),
    [
        ("Title\n\nGENEVA (AFP) - Talks ended.\n\nMore talks are planned.\nab/cd", "ab/cd", "More talks are planned."),
        ("Title\n\nText one.\n\nText two.\n\nEnditem", "Enditem", "Text two."),
        ("Title\n\nText one and/or two.", None, "Text one and/or two."),
    ],
    ids=["afp-initials-under-text", "enditem-own-line", "slash-in-text"],
)
def test_trailers(raw, trailer, last):
    story = _parse(raw)
    assert story.meta.extra.get("trailer") == trailer
    assert story.text.endswith(last)


def test_a_lone_trailer_like_line_stays_the_headline():
    assert _parse("ab/cd").headline == "ab/cd"


def test_title_case_place_is_a_dateline_only_for_a_known_agency():
    story = _parse("Title\n\nParis (AFP) - The museum reopened.\n\nMore.")
    assert story.meta.dateline == "Paris" and story.meta.agency == "AFP"
    story = _parse("Title\n\nSpringfield (Gazette) - The museum reopened.\n\nMore.")
    assert story.meta.dateline is None and _kinds(story, "paragraph")[0].startswith("Springfield (Gazette)")


def test_afp_dateline_with_year():
    story = _parse("Title\n\nPARIS, Oct 9, 2026 (AFP) - The museum reopened.\n\nMore.")
    assert story.meta.extra["dateline_date"] == "Oct 9, 2026"
    assert _kinds(story, "paragraph")[0] == "The museum reopened."


# --- fuzzing -----------------------------------------------------------------------------------------------

PLAIN_SAMPLES = [p.read_bytes() for p in sorted(PLAIN.rglob("*.txt"))]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_control_free_story_or_a_story_error(text):
    for story in parse_or_refuse(plaintext.parse, text):
        assert not controls(story.text, newlines=True)


@settings(max_examples=150, deadline=None)
@given(mutations(PLAIN_SAMPLES))
def test_mutated_stories_give_valid_stories_or_a_story_error(data):
    parse_or_refuse(plaintext.parse, data)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_valid_stories_or_a_story_error(data):
    parse_or_refuse(plaintext.parse, data)
