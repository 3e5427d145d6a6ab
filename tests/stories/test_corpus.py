"""The shared corpus, file by file, through the real format detection and through `wiredesk import`.

One table names what ../shared/corpus/README.md asks of each file: headline, authors, dateline, dates, the first
and last paragraph, the boilerplate and credits that must stay out of the story text, and the format detected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from stories.loader import detect_format, load_path
from stories.model import Story
from tests.cli_support import run, show_json, stories
from tests.store_support import snapshot
from tests.wire_checks import check_story, controls


@dataclass(frozen=True)
class Expected:
    """What one story of a corpus file must come out as. `first`/`last`: how the first/last paragraph start."""

    headline: str
    authors: tuple[str, ...]
    dateline: str | None
    created: str | None
    updated: str | None
    first: str
    last: str
    absent: tuple[str, ...] = ()  # boilerplate, credits, markup: never story text
    blocks: dict[str, list[str]] = field(default_factory=dict)  # kind -> the exact text of its blocks
    meta: dict[str, object] = field(default_factory=dict)  # other metadata fields, exactly


#: file (relative to the corpus) -> (format detected, its stories in file order)
CORPUS: dict[str, tuple[str, list[Expected]]] = {
    "aa-russia-venezuela-strikes.txt": (
        "text",
        [
            Expected(
                headline="Russia says US military strikes on Venezuela 'deeply concerning, condemnable'",
                authors=("Burc Eruygur",),
                dateline="ISTANBUL",
                created="2026-01-03",
                updated="2026-01-04",
                first="Russia on Saturday condemned US strikes on Venezuela, expressing readiness",
                last="The Russian Embassy in Caracas said building of the diplomatic mission was “not damaged”",
                absent=(
                    "Anadolu Agency website contains only a portion",
                    "Please contact us for subscription options",
                    "Burc Eruygur",
                    "03.01.2026",
                    "Update :",
                    "•",
                    "Americas, Asia - Pacific",
                ),
                blocks={"dateline": ["ISTANBUL"]},
                meta={"section": "Americas, Asia - Pacific", "agency": "Anadolu Agency"},
            )
        ],
    ),
    "reuters-port-strike.txt": (
        "text",
        [
            Expected(
                headline="Dock workers in Valdoria extend strike as wage talks stall",
                authors=("Marta Ilves", "Jonas Berg"),
                dateline="PORT AUREL",
                created=None,
                updated=None,
                first="Dock workers at Valdoria's largest container port extended their strike",
                last="Exporters of timber and dairy products, which make up almost half",
                absent=("UPDATE 2", "By Marta Ilves", "(Reporting by", "Editing by Hugh Lawson"),
                blocks={"dateline": ["PORT AUREL, March 4 (Reuters) -"]},
                meta={"agency": "Reuters"},
            )
        ],
    ),
    "ap-bridge-closure.txt": (
        "text",
        [
            Expected(
                headline="City closes century-old bridge after inspectors find cracks",
                authors=("DANIEL OKAFOR",),
                dateline="RIVERTON, Ore.",
                created=None,
                updated=None,
                first="City officials closed the century-old Millrace Bridge to all traffic",
                last="Repairs are expected to cost about $12 million",
                absent=("By DANIEL OKAFOR", "___", "Mei Tanaka", "contributed to this report"),
                blocks={"dateline": ["RIVERTON, Ore. (AP) —"]},
                meta={"agency": "Associated Press"},
            )
        ],
    ),
    "newsmlg2-xhtml-library.xml": (
        "newsml",
        [
            Expected(
                headline="Lindholm's flooded city library reopens after two-year restoration",
                authors=("Sofia Marchetti",),
                dateline="LINDHOLM",
                created="2026-05-12T08:02:00Z",
                updated="2026-05-12T09:28:00Z",
                first="The city library of Lindholm reopened on Tuesday, two years after a river flood",
                last="Opposition councillor Greta Holm said the project had run a year late",
                absent=("By Sofia Marchetti", "Culture-Library-Reopening", "<h:p>", "<p>", "desk.example.org"),
                blocks={
                    "dateline": ["LINDHOLM, May 12 (Example News) -"],
                    "standfirst": ["Rare maps saved from the flood go on public display for the first time."],
                },
                meta={
                    "slug": "Culture-Library-Reopening",
                    "wire_id": "newsml:urn:newsml:desk.example.org:20260512:library-reopens",
                    "version": 2,
                },
            ),
            Expected(
                headline="Storm delays island ferries for second day",
                authors=(),
                dateline="HAVSTAD",
                created="2026-05-12T09:10:00Z",
                updated="2026-05-12T09:10:00Z",
                first="Ferries to the outer islands stayed in port for a second day on Tuesday",
                last='"Safety comes first, and the boats will sail as soon as the wind drops',
                absent=("desk.example.org", "text/plain"),
                blocks={"dateline": ["HAVSTAD, May 12 (Example News) -"]},
                meta={"wire_id": "newsml:urn:newsml:desk.example.org:20260512:ferry-delay", "version": 1},
            ),
        ],
    ),
    "iptc/LISTING_2_NewsML-G2_Text_Document.xml": (
        "newsml",
        [
            Expected(
                headline='Fed to halt QE to avert "bubble"',  # the surrounding whitespace is gone
                authors=("Meredith Jameson",),
                dateline="New York, NY",
                created="2016-11-21T20:21:06Z",
                updated="2018-11-21T21:25:32Z",
                first="(New York, NY - October 21) Et, sent luptat luptat, commy Nim zzriureet",
                last="Ugiating ea feugait utat, venim velent nim quis nulluptat num",
                absent=("By Meredith Jameson", "Staff Reporter", "Copyright 2017-18", "US-Finance-Fed"),
                blocks={"headline": ['Fed to halt QE to avert "bubble"']},
                meta={"slug": "US-Finance-Fed", "version": 11, "agency": "Acme News and Media LLC"},
            )
        ],
    ),
    "ninjs-v1-cafe.json": (
        "ninjs",
        [
            Expected(
                headline="Cafe owners protest plan to tax outdoor terraces",
                authors=("Omar Haddad",),
                dateline="LISBON",
                created="2026-02-03T10:05:00Z",
                updated="2026-02-03T11:20:00Z",
                first="Hundreds of cafe owners marched through central Lisbon on Tuesday",
                last="The city council said the fee would raise about 4 million euros a year",
                absent=("Omar Haddad", "urn:example", "Lisbon City Council"),
                blocks={
                    "dateline": ["LISBON, Feb 3 (Example News) -"],
                    "standfirst": ["Owners say the charge would force small businesses to close."],
                },
                meta={"wire_id": "ninjs:urn:example:ninjs:2026:cafe-tax", "version": 1},
            )
        ],
    ),
    "ninjs-v2-wind.json": (
        "ninjs",
        [
            Expected(
                headline="Offshore wind farm approved despite fishermen's objections",
                authors=("Ingrid Solberg",),
                dateline="BERGEN",
                created="2026-06-18T12:00:00Z",
                updated="2026-06-18T15:45:00Z",
                first="Norway's energy regulator on Thursday approved a 1.5-gigawatt offshore wind farm",
                last="The Coastal Fishermen's Association claimed the turbines would block",
                absent=("<p>", "</p>", "Ingrid Solberg", "text/html"),
                blocks={"standfirst": ["Regulator says the project meets all environmental rules."]},
                meta={"wire_id": "ninjs:urn:example:ninjs:2026:wind-farm", "version": 3},
            )
        ],
    ),
    "ninjs-v3-metro.json": (
        "ninjs",
        [
            Expected(
                headline="Riverside opens driverless metro line",
                authors=("Chen Li",),
                dateline="RIVERSIDE",
                created="2026-09-01T07:00:00Z",
                updated="2026-09-01T07:30:00Z",
                first="Riverside opened its first driverless metro line on Monday",
                last="Critics said the project cost twice its original budget",
                absent=("Chen Li", "charCount", "text/plain"),
                blocks={"dateline": ["RIVERSIDE, Sept 1 (Example News) -"]},
                meta={"wire_id": "ninjs:urn:example:ninjs:2026:metro-line", "version": 1},
            )
        ],
    ),
    "rss-regional-wire.xml": (
        "feed",
        [
            Expected(  # content:encoded is the body, the description a standfirst
                headline="Farmers warn of poor harvest after dry spring",
                authors=("Pavel Novak",),
                dateline="BRNO",
                created="2026-04-22T08:15:00Z",
                updated=None,
                first="Grain farmers in the south-east warned on Wednesday",
                last="The agriculture ministry said it was monitoring the situation",
                absent=("<p>", "Pavel Novak", "Latest stories from", "Agriculture"),
                blocks={
                    "dateline": ["BRNO, April 22 (Example Regional Wire) -"],
                    "standfirst": ["Wheat yields could fall by a fifth, growers say."],
                },
                meta={"wire_id": "feed:ex-2026-04-22-harvest", "link": "https://wire.example.org/2026/04/harvest"},
            ),
            Expected(  # no content:encoded: the description is the body
                headline="Court upholds ban on night flights at city airport",
                authors=("Eva Horakova",),
                dateline="OSTRAVA",
                created="2026-04-21T16:40:00Z",
                updated=None,
                first="The supreme administrative court on Tuesday upheld a ban on night flights",
                last="Airport director Martin Sykora said the ruling would cost the airport around 300 jobs.",
                absent=("<p>", "Eva Horakova", "Latest stories from", "Transport"),
                blocks={"standfirst": []},
                meta={"wire_id": "feed:ex-2026-04-21-flights"},
            ),
        ],
    ),
    "atom-science-desk.xml": (
        "feed",
        [
            Expected(
                headline="Telescope spots comet that will pass Earth in 2031",
                authors=("Hana Mori",),
                dateline="TOKYO",
                created="2026-03-10T10:00:00Z",
                updated="2026-03-10T11:55:00Z",
                first="Astronomers have spotted a new comet that will pass within 40 million kilometres",
                last='"It poses no danger, but it will be a beautiful sight through binoculars,"',
                absent=("&lt;", "<p>", "Hana Mori", "urn:example"),
                meta={"wire_id": "feed:urn:example:science-desk:comet-2031"},
            )
        ],
    ),
    "html-article-museum.html": (
        "html",
        [
            Expected(
                headline="Museum returns looted bronze statues to Benin City",
                authors=("Kwame Mensah",),
                dateline="BENIN CITY, Nigeria",
                created="2026-07-07T09:00:00Z",
                updated=None,
                first="A European museum handed back 12 bronze statues to Nigeria on Tuesday",
                last="The museum said it would keep replicas on display",
                absent=(
                    "Home",
                    "Subscribe",
                    "Advertisement",
                    "Most read",
                    "Unrelated story",
                    "Copyright",
                    "All rights reserved",
                    "Share this",
                    "instant alerts",
                    "By Kwame Mensah",
                    "07.07.2026",
                    "| Example Wire",
                ),
                meta={"agency": "Example Wire"},
            )
        ],
    ),
    "anpa1312-harbor-fire.txt": (
        "anpa",
        [
            Expected(
                headline="Fire breaks out on cargo ship in harbor",
                authors=("LENA WU",),
                dateline="HARBORVIEW, Calif.",
                created="2026-04-22",
                updated="2026-04-22T09:15:00Z",
                first="A fire broke out on a cargo ship docked in Harborview harbor",
                last="The cause of the fire was not immediately known",
                absent=(
                    "BC-Harbor-Fire",
                    "Writethru",
                    "Eds:",
                    "UPDATES with fire chief comment",
                    "By LENA WU",
                    "Associated Press Writer",
                    "___",
                    "Omar Li",
                    "AP-WF",
                    "0915GMT",
                    "a0421",
                    "<",
                    "(AP) _",  # AP's "_" is a dash
                ),
                blocks={"dateline": ["HARBORVIEW, Calif. (AP) —"]},
                meta={"slug": "BC-Harbor-Fire", "agency": "Associated Press", "version": 2},
            )
        ],
    ),
    "iptc7901-rail-strike.txt": (
        "iptc7901",
        [
            Expected(
                headline="Rail strike halts most long-distance trains",  # without the trailing " ="
                authors=(),
                dateline="Berlin",
                created=None,  # the trailer "131137 GMT Nov 13" has no year
                updated=None,
                first="A strike by train drivers halted most long-distance rail services across Germany",
                last='The rail operator called the strike "completely unnecessary".',
                absent=(
                    " =",
                    "NOTEBOOK",
                    "not for publication",
                    "xyz abc",
                    "131137",
                    "GMT Nov 13",
                    "Germany-transport",
                    "eca062",
                ),
                blocks={"dateline": ["Berlin (Example) -"]},
                meta={"slug": "Germany-transport", "agency": "Example"},
            )
        ],
    ),
}
STORY_COUNT = sum(len(expected) for _, expected in CORPUS.values())


def test_the_table_covers_every_story_file_of_the_corpus(corpus: Path) -> None:
    """Every story file of the corpus is in the table (the README and the licence are not stories)."""
    found = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file()}
    assert found - set(CORPUS) == {"README.md", "iptc/LICENSE-newsml-g2.txt"}
    assert set(CORPUS) <= found
    assert (len(CORPUS), STORY_COUNT) == (13, 15)  # the NewsML message and the RSS feed hold two stories each


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


def _check(story: Story, want: Expected, fmt: str, source: str) -> None:
    check_story(story)  # blocks in order, round trip, no control characters in text or metadata
    meta = story.meta
    assert meta.format == fmt and meta.source == source
    assert meta.headline == want.headline
    assert _kinds(story, "headline") == [want.headline] and story.text.startswith(want.headline + "\n\n")
    assert meta.authors == want.authors
    assert meta.dateline == want.dateline
    assert (meta.created, meta.updated) == (want.created, want.updated)
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs, "no paragraph"
    assert paragraphs[0].startswith(want.first), paragraphs[0]
    assert paragraphs[-1].startswith(want.last), paragraphs[-1]
    for kind, texts in want.blocks.items():
        assert _kinds(story, kind) == texts, kind
    for name, value in want.meta.items():
        assert getattr(meta, name) == value, name
    for junk in want.absent:
        assert junk not in story.text, junk
    # nothing invisible or odd-spaced either: the text is what the reader shows
    for odd in ("\u00a0", "\u200b", "\ufeff", "\r", "\t"):
        assert odd not in story.text, repr(odd)
    assert not controls(story.text, newlines=True) and not controls(meta.to_dict())


@pytest.mark.parametrize("name", list(CORPUS), ids=list(CORPUS))
def test_corpus_file_imports_as_the_readme_says(corpus: Path, name: str) -> None:
    fmt, expected = CORPUS[name]
    path = corpus / name
    assert detect_format(path.read_bytes()) == fmt
    found = load_path(path)  # no format given: the real detection
    assert [s.headline for s in found] == [e.headline for e in expected]
    for story, want in zip(found, expected, strict=True):
        _check(story, want, fmt, path.name)
    assert load_path(path) == found  # parsing is deterministic: the same ids again


def test_import_the_corpus_folder_with_the_cli(data_dir: Path, corpus: Path) -> None:
    """The whole folder: its README and licence are skipped, every story file imports."""
    result = run(data_dir, "import", str(corpus))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[-1].startswith(f"{STORY_COUNT} imported, 0 already in library, 0 new version(s), 0 failed")
    for name, (_, expected) in CORPUS.items():
        mine = [line for line in lines[:-1] if line.endswith(tuple(f"{corpus / name}: {e.headline}" for e in expected))]
        assert len(mine) == len(expected), name
        assert all(line.startswith("imported  ") for line in mine), mine
    assert len(lines) == STORY_COUNT + 1
    assert not controls(result.output, newlines=True)

    listed = stories(data_dir)
    assert len(listed) == STORY_COUNT
    assert not controls(listed)
    by_id = {entry["id"]: entry for entry in listed}
    for name, (fmt, _) in CORPUS.items():
        for story in load_path(corpus / name):  # what the library holds is exactly what the file parses to
            entry = by_id.pop(story.id)
            assert (entry["source"], entry["format"], entry["headline"]) == (Path(name).name, fmt, story.headline)
            assert entry["authors"] == list(story.meta.authors) and entry["dateline"] == story.meta.dateline
            assert (entry["created"], entry["updated"]) == (story.meta.created, story.meta.updated)
            shown = show_json(data_dir, story.short_id)
            assert shown["text"] == story.text
            assert shown["blocks"] == [b.to_dict() for b in story.blocks]
            assert not controls(shown["text"], newlines=True)
            assert not controls({k: v for k, v in shown.items() if k != "text"})
    assert by_id == {}


def test_import_the_corpus_folder_again_changes_nothing(data_dir: Path, corpus: Path) -> None:
    assert run(data_dir, "import", str(corpus)).exit_code == 0
    before = snapshot(data_dir)
    again = run(data_dir, "import", str(corpus))
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1].startswith(f"0 imported, {STORY_COUNT} already in library, 0 new version(s)")
    assert snapshot(data_dir) == before
