"""Wire copy that opens with its dateline lede, no headline line (issue 10 §4).

TASS, Xinhua, Interfax, Kyodo, Yonhap, PTI, Bernama, dpa and EFE English services often send the lede first.
The lede stays the first body paragraph, agency, dateline place and date come from the dateline, and the
headline is derived from the lede's first sentence (marked so in the metadata, never added to the text).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from stories.dates import dateline_day
from stories.formats import plaintext
from stories.loader import load_path
from stories.model import Story
from tests.cli_support import run, show_json, stories
from tests.conftest import FIXTURES
from tests.wire_checks import check_story

HEADLESS = FIXTURES / "plain" / "headless"

#: file -> (agency, dateline place, dateline date, dateline as printed, derived headline, the lede's last words)
CASES: dict[str, tuple[str, str, str | None, str, str, str]] = {
    "tass-grain-exports.txt": (
        "TASS",
        "MOSCOW",
        "November 12",
        "MOSCOW, November 12. /TASS/.",
        "Grain exports through the southern port of Azovsk rose by a fifth in October as new loading berths opened",
        "the regional agriculture ministry said on Wednesday.",
    ),
    "tass-st-petersburg-ferry.txt": (
        "TASS",
        "ST. PETERSBURG",
        "March 3",
        "ST. PETERSBURG, March 3. /TASS/.",
        "A new ferry line between St. Petersburg and the island of Kotlin will open in May",
        "The line will carry up to 400 passengers a day.",
    ),
    "xinhua-solar-farm.txt": (
        "Xinhua",
        "URUMQI",
        "Sept. 30",
        "URUMQI, Sept. 30 (Xinhua) --",
        "A solar farm covering 12 square kilometers began feeding power into the grid on Monday in the"
        " northwestern region…",
        "its operator said.",
    ),
    "xinhua-wrapped-lede.txt": (
        "Xinhua",
        "BEIJING",
        "Oct. 9",
        "BEIJING, Oct. 9 (Xinhua) --",
        "A new high-speed rail line linking the capital with the port city of Qinhai opened on Thursday…",
        "the national railway operator said.",
    ),
    "interfax-gas-storage.txt": (
        "Interfax",
        "MOSCOW",
        "Nov 12",
        "MOSCOW. Nov 12 (Interfax) -",
        "Gas storage sites in Russia's central regions were 96% full at the start of November",
        "the operator of the storage network said on Wednesday.",
    ),
    "interfax-ukraine-bridge.txt": (
        "Interfax-Ukraine",
        "KYIV",
        "Feb 4",
        "KYIV. Feb 4 (Interfax-Ukraine) -",
        "Repairs to the road bridge over the Irpin river will be finished by the end of March",
        "Traffic will then return to both lanes.",
    ),
    "kyodo-budget.txt": (
        "Kyodo News",
        "TOKYO",
        "Nov. 12",
        "TOKYO, Nov. 12 Kyodo -",
        "Japan's government on Wednesday approved a 3.2 trillion yen extra budget to help households with energy costs",
        "officials said.",
    ),
    "kyodo-naha-typhoon.txt": (
        "Kyodo News",
        "NAHA, Japan",
        "Aug. 27",
        "NAHA, Japan, Aug. 27 Kyodo -",
        "Flights to and from Okinawa were cancelled on Tuesday as a strong typhoon approached the southern"
        " island prefecture",
        "airlines said.",
    ),
    "yonhap-exports.txt": (
        "Yonhap",
        "SEOUL",
        "Nov. 12",
        "SEOUL, Nov. 12 (Yonhap) --",
        "South Korea's exports of semiconductors rose 14 percent on-year in October, data showed Wednesday…",
        "marking the fifth straight month of growth.",
    ),
    "yonhap-sejong-rates.txt": (
        "Yonhap",
        "SEJONG",
        "Jan. 8",
        "SEJONG, Jan. 8 (Yonhap) --",
        "The finance ministry said Thursday it will release a revised growth outlook next week…",
        "after exports slowed more than expected in December.",
    ),
    "pti-cabinet.txt": (
        "PTI",
        "New Delhi",
        "Nov 12",
        "New Delhi, Nov 12 (PTI)",
        "The Union Cabinet on Wednesday approved a scheme to build 10,000 new cold storage units for farmers",
        "Information and Broadcasting Minister Anil Varma said.",
    ),
    "pti-mumbai-rains.txt": (
        "PTI",
        "MUMBAI",
        "Jul 3",
        "MUMBAI, Jul 3 (PTI) -",
        "Heavy rain lashed Mumbai for a second day on Thursday, flooding low-lying areas and slowing"
        " suburban train services",
        "officials said.",
    ),
    "bernama-palm-oil.txt": (
        "Bernama",
        "KUALA LUMPUR",
        "Nov 12",
        "KUALA LUMPUR, Nov 12 (Bernama) --",
        "Malaysia's palm oil exports for Nov 1-10 rose 8.2 per cent to 412,000 tonnes from the same period last month",
        "cargo surveyor data showed today.",
    ),
    "bernama-kota-kinabalu.txt": (
        "Bernama",
        "KOTA KINABALU",
        "March 15",
        "KOTA KINABALU, March 15 (Bernama) --",
        "The Sabah state government will build three new bridges in the interior districts this year",
        "Chief Minister Datuk Amir Salleh said.",
    ),
    "dpa-berlin-rail.txt": (
        "dpa",
        "Berlin",
        None,
        "Berlin (dpa) -",
        "Germany's rail operator will add 60 long-distance trains to its winter timetable",
        "the company said on Wednesday.",
    ),
    "dpa-two-places.txt": (
        "dpa",
        "Hamburg/Berlin",
        None,
        "Hamburg/Berlin (dpa) -",
        "Port workers in Hamburg and Bremen walked off the job on Thursday in a dispute over pay",
        "the union said.",
    ),
    "efe-madrid-housing.txt": (
        "EFE",
        "Madrid",
        "Nov 12",
        "Madrid, Nov 12 (EFE).-",
        "Spain's government on Wednesday approved a plan to build 50,000 rental homes on public land over"
        " the next four years",
        "Housing Minister Elena Ruiz said.",
    ),
    "efe-mexico-city.txt": (
        "EFE",
        "Mexico City",
        "Jun 5",
        "Mexico City, Jun 5 (EFE) -",
        "Mexico's central bank left its benchmark interest rate unchanged at 9 percent on Thursday…",
        "citing persistent inflation in services.",
    ),
}


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


def test_every_fixture_is_covered() -> None:
    assert sorted(p.name for p in HEADLESS.iterdir()) == sorted(CASES)
    services = {name.split("-")[0] for name in CASES}
    assert services == {"tass", "xinhua", "interfax", "kyodo", "yonhap", "pti", "bernama", "dpa", "efe"}


@pytest.mark.parametrize("name", list(CASES))
def test_the_lede_stays_body_and_the_dateline_gives_agency_place_and_date(name: str) -> None:
    agency, place, date, dateline, headline, lede_end = CASES[name]
    [story] = load_path(HEADLESS / name)
    check_story(story)
    meta = story.meta
    assert (meta.agency, meta.dateline, meta.extra.get("dateline_date")) == (agency, place, date)
    assert _kinds(story, "headline") == []  # nothing was a headline line, and none is made up in the text
    assert story.blocks[0].kind == "dateline" and _kinds(story, "dateline") == [dateline]
    lede = _kinds(story, "paragraph")[0]
    assert lede.endswith(lede_end)
    assert story.text.startswith(f"{dateline} {lede}")
    assert meta.headline == headline
    assert meta.extra["headline_derived"] is True
    assert headline.rstrip("…") in lede  # derived from the lede's first sentence…
    assert story.text.count(headline.rstrip("…")) == 1  # …and stored once: in the lede
    assert len(headline) <= 121


def test_a_short_lede_is_the_headline_whole_without_its_full_stop() -> None:
    [story] = plaintext.parse("SEOUL, Nov. 12 (Yonhap) -- Exports rose. Imports fell.\n\nMore later.\n", "y.txt")
    assert story.headline == "Exports rose"
    assert story.meta.extra["headline_derived"] is True
    assert story.text == "SEOUL, Nov. 12 (Yonhap) -- Exports rose. Imports fell.\n\nMore later."


def test_a_story_that_is_one_dateline_paragraph_still_is_one() -> None:
    [story] = plaintext.parse("MOSCOW, November 12. /TASS/. Grain exports rose by a fifth in October.", "t.txt")
    assert story.headline == "Grain exports rose by a fifth in October"
    assert [b.kind for b in story.blocks] == ["dateline", "paragraph"]


def test_copy_with_a_headline_line_keeps_it() -> None:
    [story] = load_path(FIXTURES / "plain" / "tass-volga-ferry.txt")
    assert story.headline == "Volga ferry crossing reopens after ice clears"
    assert "headline_derived" not in story.meta.extra
    assert _kinds(story, "headline") == [story.headline]


@pytest.mark.parametrize(
    "first_line",
    [
        "Springfield (Gazette) - The museum reopened on Monday.",  # an agency nobody knows
        "Officials said (AP) the road is shut.",  # mixed case before the agency
        "NATO - allies meet in Brussels",  # a headline with a dash
        "Mayor Cole (Reuters) Smith opens bridge",  # no dash after a title-case name
    ],
)
def test_lines_that_only_look_like_a_dateline_stay_the_headline(first_line: str) -> None:
    [story] = plaintext.parse(f"{first_line}\n\nThe bridge opened on Monday.\n", "x.txt")
    assert story.headline == first_line
    assert "headline_derived" not in story.meta.extra


def test_versions_of_headless_copy_share_a_wire_identity() -> None:
    raw = (HEADLESS / "xinhua-solar-farm.txt").read_text()
    [first] = plaintext.parse(raw, "a.txt")
    [second] = plaintext.parse(raw.replace("about 600,000", "about 610,000"), "b.txt")
    assert first.id != second.id
    assert first.meta.wire_id == second.meta.wire_id is not None


def test_headless_copy_in_the_corpus_parses_the_same_way(corpus: Path) -> None:
    """Any plain-text corpus file that opens with an agency dateline is read as headless copy."""
    for path in sorted(corpus.glob("*.txt")):
        [story, *_] = load_path(path)
        first = story.blocks[0]
        if first.kind == "dateline" and story.meta.agency:
            assert story.meta.extra.get("headline_derived") is True, path.name
        else:
            assert "headline_derived" not in story.meta.extra, path.name


def test_tass_and_xinhua_copy_import_with_lede_agency_dateline_and_date(data_dir: Path) -> None:
    """The issue's acceptance, through `wiredesk import` and `show --format json`."""
    tass, xinhua = HEADLESS / "tass-grain-exports.txt", HEADLESS / "xinhua-solar-farm.txt"
    result = run(data_dir, "import", str(tass), str(xinhua))
    assert result.exit_code == 0, result.output
    shown = {s["agency"]: show_json(data_dir, s["id"]) for s in stories(data_dir)}
    for agency, path in (("TASS", tass), ("Xinhua", xinhua)):
        story = shown[agency]
        place, date, _, headline, _ = CASES[path.name][1:]
        assert (story["dateline"], story["extra"]["dateline_date"], story["headline"]) == (place, date, headline)
        assert [b["kind"] for b in story["blocks"]][:2] == ["dateline", "paragraph"]
        assert story["extra"]["headline_derived"] is True


def test_the_dateline_date_is_shown_and_exported_as_the_story_date(data_dir: Path) -> None:
    """The date the dateline gave is the story's date wherever one is shown: the header of `show` (and the
    reader's) and the `published` day of the CSV, JSON Lines and Markdown exports (the year as the library
    places a dateline without one: the latest not after the import)."""
    tass = HEADLESS / "tass-grain-exports.txt"
    assert run(data_dir, "import", str(tass)).exit_code == 0
    (story,) = stories(data_dir)
    assert run(data_dir, "annotate", story["id"], "--kind", "actor", "--text", "Azovsk").exit_code == 0
    header = run(data_dir, "show", story["id"]).stdout.split("\n\n")[1]
    assert "TASS · 12 Nov" in header
    placed = dateline_day("November 12", story["added"])
    assert placed is not None and (placed.month, placed.day) == (11, 12)
    day = placed.isoformat()
    row = next(csv.DictReader(io.StringIO(run(data_dir, "export", "--format", "csv").stdout)))
    assert row["published"] == day
    line = json.loads(run(data_dir, "export", "--format", "jsonl").stdout.splitlines()[0])
    assert line["published"] == day
    assert f"TASS · {day} · MOSCOW" in run(data_dir, "export", "--format", "markdown").stdout
