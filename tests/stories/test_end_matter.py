"""Copy as outside writers send it: web-page copy with section and time stamp lines, credits with or without
brackets, agency trailers before a copyright line, share boxes, photo captions and bylines inside bodies —
kept as metadata in every format, never in the story text."""

from __future__ import annotations

import json

import pytest

from stories.dates import web_stamp
from stories.loader import parse_bytes
from stories.model import Story


def one(data: str | bytes, name: str) -> Story:
    (story,) = parse_bytes(data.encode() if isinstance(data, str) else data, name)
    return story


def kinds(story: Story) -> list[tuple[str, str]]:
    return [(b.kind, story.text[b.start : b.end]) for b in story.blocks]


WEB_COPY = """\
Markets
Harbourside mill to shut two lines as orders fall
By Ines Morland and Tobias Kerr
March 3, 2026 9:05 AM GMT+1
Updated 2 hours ago

ARNHOLT, Norway, March 3 (Reuters) - The Harbourside paper mill will shut two of its five lines, it said on Tuesday.
About 240 jobs are affected, the company said.
"Demand for newsprint has not come back," plant manager Sofie Lie said.
Reporting by Ines Morland in Oslo and Tobias Kerr in Arnholt; Editing by Paul Wren
Our Standards: The Thomson Reuters Trust Principles., opens new tab
Suggested Topics:
Markets
Paper
"""


@pytest.mark.parametrize("blank_lines", [False, True], ids=["lines", "blank-lines"])
def test_web_copy_of_a_wire_story(blank_lines: bool) -> None:
    text = WEB_COPY.replace("\n", "\n\n") if blank_lines else WEB_COPY
    story = one(text, "mill.txt")
    meta = story.meta
    assert (meta.section, meta.headline, meta.authors) == (
        "Markets",
        "Harbourside mill to shut two lines as orders fall",
        ("Ines Morland", "Tobias Kerr"),
    )
    assert (meta.agency, meta.dateline, meta.created) == ("Reuters", "ARNHOLT, Norway", "2026-03-03T08:05:00Z")
    assert kinds(story)[1] == ("dateline", "ARNHOLT, Norway, March 3 (Reuters) -")
    assert story.text.rstrip().endswith("plant manager Sofie Lie said.")
    for boilerplate in ("Editing by", "Our Standards", "Suggested Topics", "Paper", "Updated", "GMT"):
        assert boilerplate not in story.text
    credits = "Reporting by Ines Morland in Oslo and Tobias Kerr in Arnholt; Editing by Paul Wren"
    assert meta.extra["credits"] == [credits]
    assert meta.extra["footer"][-3:] == ["Suggested Topics:", "Markets", "Paper"]
    assert meta.extra["stamps"] == ["Updated 2 hours ago"]


def test_a_short_headline_above_a_standfirst_is_not_taken_for_a_section() -> None:
    story = one("Pilots strike\nAirline cancels 200 flights as talks fail.\nBy Ann Lee\n\nThe strike began.\n", "p.txt")
    assert story.meta.headline == "Pilots strike" and story.meta.section is None


def test_afp_trailer_before_a_copyright_line() -> None:
    story = one(
        "Snow closes mountain pass\n\nBriançon (AFP) - Heavy snow closed the pass on Friday.\n\n"
        "Ploughs were out all night.\n\nburs-jd/mw\n\n© Agence France-Presse\n",
        "snow.txt",
    )
    assert story.meta.agency == "AFP"
    assert story.meta.extra["trailer"] == "burs-jd/mw" and story.meta.extra["footer"] == ["© Agence France-Presse"]
    assert story.text.rstrip().endswith("Ploughs were out all night.")


def test_credits_without_brackets_and_xinhua_writers() -> None:
    story = one(
        "Feature: Herders take to the air\n\nby Xinhua writers Wang Lei, Chen Yu\n\n"
        "HOHHOT, June 2 (Xinhua) -- Herders now count sheep by drone.\n\nThe drones cost little. Enditem\n",
        "herders.txt",
    )
    assert story.meta.authors == ("Wang Lei", "Chen Yu")
    assert story.meta.extra["trailer"] == "Enditem"
    assert story.text.rstrip().endswith("The drones cost little.")


def anpa(body: str) -> bytes:
    head = "\x16\x16\x01a0412 r BC-Dam-Repair 03-04 0120\x02"
    return (head + body + "\x03\r\n\x04").encode("latin-1")


@pytest.mark.parametrize("indent", ["\t", ""], ids=["indented", "unindented"])
def test_anpa_closing_lines_and_end_marks_leave_the_text(indent: str) -> None:
    story = one(
        anpa(
            "^Dam repairs to start in spring<\r\n"
            "\tLAKEVIEW, Minn. (AP) _ Repairs on the Lakeview dam will start in April, officials said.\r\n"
            "\tThe work will take two years.\r\n\tEND\r\n"
            f"{indent}AP-CE-03-04-26 1412EST<\r\n"
        ),
        "dam.anpa",
    )
    assert story.text.rstrip().endswith("The work will take two years.")
    assert story.meta.extra["trailer"].startswith("END AP-CE-03-04-26 1412EST")


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Bay Wire</title><link>https://bay.example/</link>
<item><title>Seal pup rescued from harbour</title><guid>bay-1</guid>
<author>desk@bay.example (Nora Holm)</author>
<content:encoded><![CDATA[<p>Rescuers freed a seal pup from fishing line on Monday.</p>
<figure><img src="pup.jpg"/><figcaption>The pup after its rescue. Photo: Supplied</figcaption></figure>
<p>It was released the same afternoon.</p>
<div class="sharedaddy"><h3>Share this:</h3><ul><li>Facebook</li><li>X</li></ul></div>
<p>The post Seal pup rescued from harbour appeared first on Bay Wire.</p>]]></content:encoded></item>
<item><title>Port fees to rise</title><guid>bay-2</guid><dc:creator>By Per Aas; Editing by Kim Berg</dc:creator>
<description><![CDATA[<p>The port will raise fees by 4% in May, it said.</p>
<p>(Reporting by Per Aas; Editing by Kim Berg)</p>]]></description></item>
</channel></rss>
"""


def test_feed_bodies_lose_captions_share_boxes_credits_and_wordpress_footers() -> None:
    pup, fees = parse_bytes(RSS.encode(), "bay.xml")
    assert pup.meta.authors == ("Nora Holm",)
    assert pup.text.split("\n\n")[1:] == [
        "Rescuers freed a seal pup from fishing line on Monday.",
        "It was released the same afternoon.",
    ]
    assert pup.meta.extra["footer"][0] == "Share this:"
    assert fees.meta.authors == ("Per Aas",)
    assert fees.meta.extra["credits"] == ["Reporting by Per Aas; Editing by Kim Berg"]
    assert "Editing" not in fees.text


def test_atom_entries_inherit_the_feed_author() -> None:
    atom = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Ice Desk</title><id>urn:ice</id>
    <author><name>Ice Desk</name></author><updated>2026-01-02T00:00:00Z</updated>
    <entry><title>Floe drifts north</title><id>urn:ice:1</id><updated>2026-01-02T00:00:00Z</updated>
    <content type="text">A large floe drifted north overnight.</content></entry></feed>"""
    (story,) = parse_bytes(atom.encode(), "ice.xml")
    assert story.meta.authors == ("Ice Desk",)


def test_a_byline_paragraph_opening_a_ninjs_body_gives_the_authors() -> None:
    item = {
        "$standard": {"name": "ninjs", "version": "3.0"},
        "uri": "urn:test:dyke",
        "headlines": [{"role": "main", "value": "Dyke works begin"}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": '<p class="byline">By Maaike Bos</p>'
                "<p>LEIDEN (Example) — Work on the dyke began on Monday.</p>"
                "<p>It will take a year.</p><p>Additional reporting by Joost Dam.</p>",
            }
        ],
    }
    story = one(json.dumps(item), "dyke.json")
    assert story.meta.authors == ("Maaike Bos",) and story.meta.dateline == "LEIDEN"
    assert story.meta.extra["credits"] == ["Additional reporting by Joost Dam."]
    assert "Maaike" not in story.text and "Joost" not in story.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("October 14, 2025 11:42 AM GMT+1", ("published", "2025-10-14T10:42:00Z")),
        ("Updated: 14 Oct 2025 09:30", ("updated", "2025-10-14T09:30:00")),
        ("Published Sept. 4, 2025", ("published", "2025-09-04")),
        ("Updated 3 hours ago", ("updated", None)),
        ("Mayday 14, 2025", None),
        ("By Ann Lee", None),
        ("February 30, 2026", None),
    ],
)
def test_web_stamps(line: str, expected: tuple[str, str | None] | None) -> None:
    assert web_stamp(line) == expected


def test_an_editors_note_on_a_refiled_story_is_metadata() -> None:
    story = one(
        "REFILE-Harbour tolls frozen\n\nBy Ann Lee\n\nORVIK, May 2 (Reuters) - Tolls stay as they are.\n\n"
        "The board met on Monday.\n\n(Fixes typo in paragraph 2)\n\n(Reporting by Ann Lee; Editing by Bo Ek)\n",
        "tolls.txt",
    )
    assert story.meta.extra["notes"] == ["Fixes typo in paragraph 2"]
    assert story.meta.extra["credits"] == ["Reporting by Ann Lee; Editing by Bo Ek"]
    assert story.text.rstrip().endswith("The board met on Monday.")


@pytest.mark.parametrize(
    ("first", "dateline", "place", "date"),
    [
        ("VARNA, Aug 1 - The lighthouse reopened.", "VARNA, Aug 1 -", "VARNA", "Aug 1"),
        ("ZERMATT, Switzerland — The glacier shrank.", "ZERMATT, Switzerland —", "ZERMATT, Switzerland", None),
        ("MÁLAGA, 4 Mar. (EUROPA PRESS) - Llueve.", "MÁLAGA, 4 Mar. (EUROPA PRESS) -", "MÁLAGA", "4 Mar."),
    ],
)
def test_datelines_without_an_agency_or_with_the_day_first(first: str, dateline: str, place: str, date: str) -> None:
    story = one(json.dumps({"uri": "urn:test:d", "headline": "A headline", "body_text": first}), "d.json")
    assert kinds(story)[1] == ("dateline", dateline)
    assert story.meta.dateline == place and story.meta.extra.get("dateline_date") == date


@pytest.mark.parametrize("first", ["UPDATE - The vote is delayed.", "EU - talks resume."])
def test_a_capitalised_word_and_a_dash_is_not_a_dateline(first: str) -> None:
    story = one(json.dumps({"uri": "urn:test:d", "headline": "A headline", "body_text": first}), "d.json")
    assert [k for k, _ in kinds(story)] == ["headline", "paragraph"]


def test_a_newsml_dateline_given_in_metadata_takes_the_agency_from_the_body() -> None:
    nar = "http://iptc.org/std/nar/2006-10-01/"
    item = f"""<newsItem xmlns="{nar}" guid="urn:test:dam" version="1"><contentMeta>
    <headline>Dam repairs to take two years</headline><dateline>LINZ, June 12</dateline></contentMeta>
    <contentSet><inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">
    <body><body.content><p>LINZ, June 12 (Northwind) - Repairs will take two years.</p></body.content></body>
    </nitf></inlineXML></contentSet></newsItem>"""
    story = one(item, "dam.xml")
    assert kinds(story)[1] == ("dateline", "LINZ, June 12 (Northwind) -")
    assert story.text.split("\n\n")[1].endswith("- Repairs will take two years.")
    assert story.meta.agency == "Northwind"


def test_editors_notes_under_an_update_headline() -> None:
    story = one(
        "UPDATE 3-Grain prices climb after port fire\n\n(Adds analyst comment)\n\n(Updates prices)\n\n"
        "By Ann Lee\n\nODESA/LONDON, March 3 (Reuters) - Grain prices rose on Monday.\n\nTraders were nervous.\n",
        "grain.txt",
    )
    assert story.meta.extra["notes"] == ["Adds analyst comment", "Updates prices"]
    assert (story.meta.authors, story.meta.dateline, story.meta.version) == (("Ann Lee",), "ODESA/LONDON", 4)
    assert "Adds" not in story.text


def test_afp_web_copy_with_published_and_updated_stamps() -> None:
    story = one(
        "World\n\nLighthouse keepers return to Ushant\n\nPublished on 02/03/2026 at 10:15 - Updated on 02/03/2026 at "
        "12:40\n\nBrest (AFP) – Two keepers moved back into the lighthouse on Monday.\n\nab/cd\n",
        "ushant.txt",
    )
    meta = story.meta
    assert (meta.section, meta.headline, meta.agency, meta.dateline) == (
        "World",
        "Lighthouse keepers return to Ushant",
        "AFP",
        "Brest",
    )
    assert (meta.created, meta.updated) == ("2026-03-02T10:15:00", "2026-03-02T12:40:00")
    assert "Published" not in story.text


def test_ap_web_copy_with_a_time_first_stamp_and_two_rules() -> None:
    story = one(
        "Storm cuts power to 40,000\n\nBy JO KIM and LI PARK\nUpdated 8:14 PM GMT, April 6, 2026\n\n"
        "TULSA, Okla. (AP) — A storm cut power overnight.\n\nCrews worked through the night.\n\n___\n\n"
        "Park reported from Dallas.\n\n___\n\nFollow AP's weather coverage at https://apnews.example/hub\n",
        "storm.txt",
    )
    assert story.meta.updated == "2026-04-06T20:14:00Z" and story.meta.dateline == "TULSA, Okla."
    assert story.meta.extra["credits"] == [
        "Park reported from Dallas.",
        "Follow AP's weather coverage at https://apnews.example/hub",
    ]
    assert story.text.rstrip().endswith("Crews worked through the night.")


@pytest.mark.parametrize(
    ("text", "agency", "dateline", "key", "value"),
    [
        (
            "Ley de costas aprobada\n\nCádiz, 14 may (EFE).- El Congreso aprobó la ley.\n\nEntra en vigor en junio.\n\n"
            "(c) Agencia EFE\n",
            "EFE",
            "Cádiz",
            "footer",
            ["(c) Agencia EFE"],
        ),
        (
            "Fähre fällt aus\n\nKiel (dpa) - Die Fähre fällt heute aus.\n\nGrund ist Sturm.\n\ndpa abc/de yyzz a3 jm\n",
            "dpa",
            "Kiel",
            "trailer",
            "dpa abc/de yyzz a3 jm",
        ),
    ],
    ids=["efe", "dpa"],
)
def test_european_agency_copy(text: str, agency: str, dateline: str, key: str, value: object) -> None:
    story = one(text, "eu.txt")
    assert (story.meta.agency, story.meta.dateline, story.meta.extra[key]) == (agency, dateline, value)
    assert story.text.rstrip().endswith(("en junio.", "Grund ist Sturm."))


def test_anadolu_web_copy_in_turkish() -> None:
    story = one(
        "Ekonomi\n\nİzmir'de ihracat rekor kırdı\n\nİhracat ekimde yüzde 8 arttı\n\n"
        "Ayşe Demir  |  04.11.2025 - Güncelleme : 05.11.2025\n\nİZMİR (AA) - İzmir'den ihracat ekimde arttı.\n\n"
        "Anadolu Ajansı web sitesinde, AA Haber Akış Sistemi (HAS) üzerinden abonelere sunulan haberler, "
        "özetlenerek yayımlanmaktadır.\n",
        "izmir.txt",
    )
    meta = story.meta
    assert (meta.section, meta.authors, meta.created, meta.updated) == (
        "Ekonomi",
        ("Ayşe Demir",),
        "2025-11-04",
        "2025-11-05",
    )
    assert meta.agency == "Anadolu Agency" and "Ajansı" not in story.text


def test_ninjs_bylines_and_an_rss_itunes_item_with_a_related_link() -> None:
    item = {
        "uri": "urn:test:b",
        "headline": "Bridge opens",
        "body_text": "It opened.",
        "bylines": [{"byline": "By Eva Lind"}],
    }
    assert one(json.dumps(item), "b.json").meta.authors == ("Eva Lind",)
    rss = """<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><item><title>Bakery closes</title>
    <guid>b-1</guid><itunes:summary>Time to retire.</itunes:summary><description><![CDATA[<p>Time to retire.</p>]]>
    </description><content:encoded><![CDATA[<p>The bakery closes on Saturday.</p><p>It opened in 1913.</p>
    <p><em>Related: <a href="/x">Cafés struggle</a></em></p>]]></content:encoded></item></channel></rss>"""
    (story,) = parse_bytes(rss.encode(), "bakery.xml")
    assert story.text.split("\n\n")[-2:] == ["The bakery closes on Saturday.", "It opened in 1913."]
    assert story.meta.extra["links"] == ["Related: Cafés struggle"]


def test_an_anpa_add_continues_the_take_before_it() -> None:
    def take(n: str, version: str, body: str) -> str:
        return f"\x16\x16\x01a{n}\x1fr\x1fBC-Dam-Leak {version} 03-04 0300\r\n\x02{body}\x03\r\n\x04"

    data = take(
        "0101",
        "1stLd-Writethru",
        "^Dam leak forces evacuation<\r\n\tLAKEVIEW (AP) _ Residents left on Monday.\r\n"
        "\tThe leak grew overnight.\r\n\tMORE\r\n\tAP-CE-03-04-26 1412EST<\r\n",
    ) + take("0102", "1stLd-Writethru 1stAdd", "LAKEVIEW: grew overnight.<\r\n\tEngineers were on site.\r\n\tEND\r\n")
    (story,) = parse_bytes(data.encode("latin-1"), "dam.anpa")
    assert story.text.split("\n\n")[1:] == [
        "LAKEVIEW (AP) — Residents left on Monday.",
        "The leak grew overnight.",
        "Engineers were on site.",
    ]


# --- end matter in bulk (found by bench/fuzz.py) ---------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\n", "\n\n"], ids=["one-chunk", "a-chunk-each"])
def test_thirty_thousand_trailer_lines_are_read_in_linear_time(separator: str) -> None:
    """30,000 "PTI ABV RHL" lines at the end took minutes (each step rescanned every chunk): now well inside a
    3 s budget in the sandbox, with end matter kept to a sane number of items and the rest left as text."""
    from stories.sandbox import Sandbox

    raw = "Cabinet approves cold storage plan\n\nThe Union Cabinet approved the plan on Wednesday.\n\n"
    raw += separator.join(["PTI ABV RHL"] * 30_000) + "\n"
    with Sandbox() as sandbox:
        [story] = sandbox.parse(raw.encode(), "pti.txt", "text", 3.0)
    trailer = story.meta.extra["trailer"]
    assert trailer.startswith("PTI ABV RHL") and trailer.count("PTI") <= 100
    assert story.text.startswith("Cabinet approves cold storage plan\n\nThe Union Cabinet approved the plan")
    assert story.text.count("PTI ABV RHL") == 30_000 - trailer.count("PTI")  # nothing lost
