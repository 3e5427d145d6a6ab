"""Write made-up wire stories as files in every format wiredesk imports, each in that format's real layout.

    python bench/make_wire_files.py DIR [--stories 5000] [--html-stories N] [--seed 1] [--check]

One folder per format (named as `stories.loader.FORMATS` names them) under DIR:

- `text/` — plain wire text, one story per file, in turn Reuters ("UPDATE 2-" prefixes on some headlines,
  "By A and B", "PLACE, Mon D (Reuters) -" dateline, "(Reporting by …; Editing by …)" credits), AP ("By NAME
  Associated Press", "PLACE, St. (AP) —", "___" then a contributor line) and Anadolu web copy (section line,
  headline, standfirst, "Author | DD.MM.YYYY - Update : DD.MM.YYYY", repeated headline, "•" highlight,
  uppercase dateline line, curly quotes, agency footer).
- `ninjs/` — one item per file: ninjs 1.x (flat keys, `body_text` or `body_html`), 2.x (`headlines[]`,
  `bodies[]` in HTML) and 3.x (`$standard`, camelCase keys, plain or HTML bodies), pretty-printed or compact.
- `newsml/` — NewsML-G2: a `newsItem` per file (XHTML body with an `h:` prefix or a default namespace, NITF
  body, or `inlineData` text); every 10th file a `newsMessage` of 5 items (5 stories).
- `feed/` — 10 entries per file: RSS 2.0 (`content:encoded` in CDATA, `dc:creator`) or Atom 1.0 (escaped HTML
  `content`), alternately.
- `html/` — saved article pages: head metadata, scripts, cookie banner, navigation, ads, the article (h1,
  byline, time, paragraphs, a subhead, an inline ad, related links), a "Most read" aside and a footer.
- `anpa/` — ANPA-1312, one transmission per file: SYN SYN SOH service line, keyword line, STX, "^…<" head lines,
  TAB-indented paragraphs hard-wrapped at 69 columns, "___" credits, ETX trailer, EOT; cp1252, CRLF.
- `iptc7901/` — IPTC 7901, one transmission per file: SOH header, slug line, STX headline " =", paragraphs
  hard-wrapped at 69 columns, an editors' notebook "not for publication" at the end, ETX trailer; cp1252, CRLF.

Stories carry ~2–4 KB of text (names, figures, quotes; some accented names). Every story is different (its
headline holds a number unique in its format), so importing a folder stores all of them as new stories. The
same seed writes the same bytes; each format has its own random stream. `--check` parses a few files of each
format with wiredesk's own loader and compares what it finds with what was written.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from make_library import FIRST, LAST, ORGS, PLACES, SECTIONS, TOPICS, _paragraph

__all__ = ["FORMATS", "FORMAT_LABELS", "check", "make_wire_files", "wire_files_bytes"]

#: Folder names: the loader's format names.
FORMATS = ("text", "ninjs", "newsml", "feed", "html", "anpa", "iptc7901")
FORMAT_LABELS = {
    "text": "plain text",
    "ninjs": "ninjs",
    "newsml": "NewsML-G2",
    "feed": "RSS/Atom",
    "html": "HTML page",
    "anpa": "ANPA-1312",
    "iptc7901": "IPTC 7901",
}
FEED_ENTRIES = 10
MESSAGE_EVERY = 10  # every 10th NewsML file is a newsMessage…
MESSAGE_ITEMS = 5  # …of 5 items
FIRST_DAY = date(2026, 1, 5)

#: Accented names (all in cp1252, so ANPA and IPTC 7901 can carry them too).
ACCENTED = ("José Núñez", "Renée Dubé", "Jürgen Schäfer", "Søren Ødegård", "Zoë Brontë", "Ítalo Méndez", "Çelik Öz")
AP_PLACES = (
    "RIVERTON, Ore.|SPRINGFIELD, Ill.|CEDAR FALLS, Iowa|MILLBROOK, N.Y.|HARBORVIEW, Calif.|DALTON, Ga.|"
    "PORTLAND, Maine|LAKE CITY, Fla.|BOULDER, Colo.|SALEM, Mass.|FARGO, N.D.|TUCSON, Ariz."
).split("|")
HEADLINES = (
    "{Org} says {n:,} jobs at risk over {topic}",
    "{n:,} people march in {Place} over {topic}",
    "Court orders {org} to repay {n:,} families over {topic}",
    "{Place} counts {n:,} complaints about {topic} as talks stall",
    "{Org} under pressure in {Place} after {n:,} sign petition on {topic}",
    "Officials in {Place} promise answers on {topic} to {n:,} households",
)
STANDFIRSTS = (
    "Officials say the decision on {topic} will be reviewed within weeks.",
    "'We will not accept any delay on {topic},' says {name}",
    "Critics say {org} ignored warnings for years.",
    "The row over {topic} has divided {Place}.",
)
SUBHEADS = ("What happens next", "Years of delay", "Money and politics", "Reaction", "The numbers")
SITES = ("The Coastal Gazette", "Example Wire", "Northern Courier", "Valley Herald", "The Daily Ledger")
FEED_TITLES = ("Example Regional Wire", "Science Desk", "Lakeside Courier", "Harbour Wire Service")
DPA_REGIONS = ("Germany", "Austria", "Switzerland", "EU", "Nordic", "Baltic")


@dataclass
class Wire:
    """One made-up story, before it is written in any format."""

    index: int
    headline: str
    place: str  # "BRESKA"
    day: date
    sent: datetime
    authors: list[str]
    editor: str
    standfirst: str
    section: str
    topic: str
    paragraphs: list[str]  # the body; the dateline goes in front of the first


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def make_wire(rng: random.Random, index: int) -> Wire:
    """One story with ~2–4 KB of text whose headline holds a number no other story of its format has."""
    place = rng.choice(PLACES)
    topic = rng.choice(TOPICS)
    org = rng.choice(ORGS)
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(3, 5))]
    if rng.random() < 0.3:
        names.append(rng.choice(ACCENTED))
    fill = {"org": org, "Org": _cap(org), "topic": topic, "Place": place.title(), "name": names[0]}
    headline = rng.choice(HEADLINES).format(n=120 + index, **fill)
    paragraphs: list[str] = []
    size, target = 0, rng.randint(2000, 3800)
    while size < target:
        para = _paragraph(rng, place, names)
        paragraphs.append(para)
        size += len(para) + 2
    day = FIRST_DAY + timedelta(days=index % 300)
    sent = datetime(day.year, day.month, day.day, rng.randint(5, 22), rng.randint(0, 59))
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.choice((1, 1, 1, 2)))]
    return Wire(
        index=index,
        headline=headline,
        place=place,
        day=day,
        sent=sent,
        authors=authors,
        editor=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        standfirst=rng.choice(STANDFIRSTS).format(**fill),
        section=rng.choice(SECTIONS),
        topic=topic,
        paragraphs=paragraphs,
    )


def _and(names: list[str]) -> str:
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def _mon(day: date) -> str:
    """Reuters' short date: "Jan 5"."""
    return f"{day:%b} {day.day}"


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:00Z")


def _curly(text: str) -> str:
    """Straight double quotes as curly ones (Anadolu's web copy)."""
    return re.sub(r'"([^"]*)"', "“\\1”", text)


def _html_paras(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def _wrap(text: str, width: int = 69) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


# --- plain text ----------------------------------------------------------------------------------------------


def _reuters(w: Wire, rng: random.Random) -> str:
    prefix = rng.choice(("", "", "UPDATE 1-", "UPDATE 2-", "REFILE-"))
    first = f"{w.place}, {_mon(w.day)} (Reuters) - {w.paragraphs[0]}"
    credits = f"(Reporting by {_and(w.authors)}; Editing by {w.editor})"
    parts = [f"{prefix}{w.headline}", f"By {_and(w.authors)}", first, *w.paragraphs[1:], credits]
    return "\n\n".join(parts) + "\n"


def _ap(w: Wire, rng: random.Random) -> str:
    place = rng.choice(AP_PLACES)
    byline = f"By {w.authors[0].upper()} Associated Press"
    first = f"{place} (AP) — {w.paragraphs[0]}"
    helper = f"Associated Press writer {w.editor} in {rng.choice(AP_PLACES).split(',')[0].title()} contributed."
    return "\n\n".join([w.headline, byline, first, *w.paragraphs[1:], "___", helper]) + "\n"


AA_FOOTER = (
    "Anadolu Agency website contains only a portion of the news stories offered to subscribers in the AA News "
    "Broadcasting System (HAS), and in summarized form. Please contact us for subscription options."
)


def _anadolu(w: Wire, rng: random.Random) -> str:
    updated = w.day + timedelta(days=rng.choice((0, 0, 1)))
    byline = f"{w.authors[0]}  | {w.day:%d.%m.%Y} - Update : {updated:%d.%m.%Y}"
    highlight = f"  • - {_curly(w.paragraphs[-1].split('. ')[0].rstrip('.'))}"
    body = [_curly(p) for p in w.paragraphs]
    section = f"{w.section}, {rng.choice(SECTIONS)}"
    parts = [section, w.headline, _curly(w.standfirst), f"{byline}\n{w.headline}", highlight, w.place, *body]
    return "\n\n".join(parts) + "\n\n" + AA_FOOTER


def write_text(w: Wire, rng: random.Random) -> tuple[str, bytes]:
    layout = (_reuters, _ap, _anadolu)[w.index % 3]
    return f"{layout.__name__[1:]}-{w.index:05d}.txt", layout(w, rng).encode("utf-8")


# --- ninjs ---------------------------------------------------------------------------------------------------


def _ninjs_people(w: Wire) -> list[dict]:
    return [{"name": name, "rel": "author"} for name in w.authors]


def write_ninjs(w: Wire, rng: random.Random) -> tuple[str, bytes]:
    agency = rng.choice(("Reuters", "AP", "AFP", "dpa"))
    paras = [f"{w.place}, {_mon(w.day)} ({agency}) - {w.paragraphs[0]}", *w.paragraphs[1:]]
    created, updated = _iso(w.sent - timedelta(hours=2)), _iso(w.sent)
    uri = f"urn:example:ninjs:{w.day:%Y%m%d}:{w.index:05d}"
    generation = (1, 2, 3)[w.index % 3]
    item: dict = {}
    if generation == 1:
        item = {"uri": uri, "type": "text", "version": str(rng.randint(1, 3)), "versioncreated": updated}
        item |= {"firstcreated": created, "language": "en", "byline": _and(w.authors), "located": w.place.title()}
        item |= {"headline": w.headline, "description_text": w.standfirst}
        if rng.random() < 0.5:
            item["body_text"] = "\n\n".join(paras)
        else:
            item["body_html"] = _html_paras(paras)
        item |= {"person": _ninjs_people(w), "subject": [{"name": w.section}], "place": [{"name": w.place.title()}]}
    else:
        v3 = generation == 3
        keys = (
            ("contentType", "versionCreated", "firstCreated")
            if v3
            else ("contenttype", "versioncreated", "firstcreated")
        )
        ctype, vcreated, fcreated = keys
        html_body = not v3 or rng.random() < 0.5
        body = {"role": "main", ctype: "text/html" if html_body else "text/plain"}
        body["value"] = _html_paras(paras) if html_body else "\n\n".join(paras)
        if rng.random() < 0.7 or v3:
            version = "3.0" if v3 else "2.1"
            item["$standard"] = {"name": "ninjs", "version": version, "schema": f"ninjs-schema_{version}.json"}
        item |= {"uri": uri, "type": "text", "version": str(rng.randint(1, 3)), vcreated: updated, fcreated: created}
        item |= {"language": "en", "by": _and(w.authors), "located": w.place.title()}
        item["headlines"] = [{"role": "main", "value": w.headline}]
        item["descriptions"] = [{"role": "summary", "value": w.standfirst}]
        item["bodies"] = [body]
        item |= {"people": _ninjs_people(w), "subjects": [{"name": w.section}], "places": [{"name": w.place.title()}]}
    text = json.dumps(item, ensure_ascii=False, indent=2 if rng.random() < 0.5 else None)
    return f"ninjs{generation}-{w.index:05d}.json", text.encode("utf-8")


# --- NewsML-G2 -----------------------------------------------------------------------------------------------

NAR = "http://iptc.org/std/nar/2006-10-01/"


def _news_item(w: Wire, rng: random.Random, xmlns: bool) -> str:
    agency = "Example News"
    first = f"{w.place}, {_mon(w.day)} ({agency}) - {w.paragraphs[0]}"
    guid = f"urn:newsml:wire.example.org:{w.day:%Y%m%d}:{w.index:05d}"
    kind = rng.choice(("xhtml-prefix", "xhtml-default", "nitf", "text"))
    if kind == "xhtml-prefix":
        paras = "".join(f"\n            <h:p>{escape(p)}</h:p>" for p in [first, *w.paragraphs[1:]])
        content = (
            '<inlineXML contenttype="application/xhtml+xml">\n          '
            f'<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:body>{paras}\n          </h:body></h:html>\n'
            "        </inlineXML>"
        )
    elif kind == "xhtml-default":
        paras = "".join(f"\n            <p>{escape(p)}</p>" for p in [first, *w.paragraphs[1:]])
        content = (
            '<inlineXML contenttype="application/xhtml+xml">\n          '
            f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{paras}\n          </body></html>\n'
            "        </inlineXML>"
        )
    elif kind == "nitf":
        paras = "".join(f"\n              <p>{escape(p)}</p>" for p in w.paragraphs)
        content = (
            '<inlineXML contenttype="application/nitf+xml">\n'
            '          <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>\n'
            f"            <body.head><hedline><hl1>{escape(w.headline)}</hl1></hedline>\n"
            f"              <byline>By {escape(_and(w.authors))}</byline>\n"
            f"              <dateline><location><city>{w.place}</city></location>, "
            f'<story.date norm="{w.day:%Y%m%d}">{_mon(w.day)}</story.date></dateline></body.head>\n'
            f"            <body.content>{paras}\n            </body.content>\n"
            "          </body></nitf>\n        </inlineXML>"
        )
    else:
        text = "\n\n".join([first, *w.paragraphs[1:]])
        content = f'<inlineData contenttype="text/plain">{escape(text)}</inlineData>'
    ns = f' xmlns="{NAR}"' if xmlns else ""
    return f"""<newsItem{ns} guid="{guid}" version="{rng.randint(1, 4)}" standard="NewsML-G2" standardversion="2.33" \
xml:lang="en">
      <itemMeta>
        <itemClass qcode="ninat:text"/>
        <provider qcode="nprov:EXAMPLE"><name>{agency}</name></provider>
        <versionCreated>{_iso(w.sent)}</versionCreated>
        <firstCreated>{_iso(w.sent - timedelta(hours=1))}</firstCreated>
        <pubStatus qcode="stat:usable"/>
      </itemMeta>
      <contentMeta>
        <located qcode="city:{w.place.title()}"><name>{w.place.title()}</name></located>
        <creator><name>{escape(w.authors[0])}</name></creator>
        <language tag="en"/>
        <subject qcode="medtop:11000000"><name>{escape(w.section)}</name></subject>
        <slugline>{w.section}-{w.topic.replace(" ", "-").replace("'", "")}</slugline>
        <headline>{escape(w.headline)}</headline>
        <dateline>{w.place}, {_mon(w.day)} ({agency})</dateline>
        <by>By {escape(_and(w.authors))}</by>
        <description role="drol:teaser">{escape(w.standfirst)}</description>
      </contentMeta>
      <contentSet>
        {content}
      </contentSet>
    </newsItem>"""


def write_newsml_file(wires: list[Wire], rng: random.Random) -> tuple[str, bytes]:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if len(wires) == 1:
        return f"item-{wires[0].index:05d}.xml", (head + _news_item(wires[0], rng, True) + "\n").encode("utf-8")
    items = "\n    ".join(_news_item(w, rng, False) for w in wires)
    sent = _iso(wires[0].sent)
    text = (
        f'{head}<newsMessage xmlns="{NAR}">\n  <header>\n    <sent>{sent}</sent>\n'
        f"    <sender>wire.example.org</sender>\n  </header>\n  <itemSet>\n    {items}\n  </itemSet>\n</newsMessage>\n"
    )
    return f"message-{wires[0].index:05d}.xml", text.encode("utf-8")


# --- RSS / Atom ----------------------------------------------------------------------------------------------


def _rfc822(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:00 +0000")


def write_feed_file(wires: list[Wire], rng: random.Random, number: int) -> tuple[str, bytes]:
    title = FEED_TITLES[number % len(FEED_TITLES)]
    site = f"https://wire{number % len(FEED_TITLES)}.example.org"
    if number % 2 == 0:
        items = []
        for w in wires:
            body = _html_paras([f"{w.place}, {_mon(w.day)} ({title}) - {w.paragraphs[0]}", *w.paragraphs[1:]])
            items.append(
                f"""    <item>
      <title>{escape(w.headline)}</title>
      <link>{site}/{w.day:%Y/%m}/{w.index:05d}</link>
      <guid isPermaLink="false">{title[:3].lower()}-{w.index:05d}</guid>
      <pubDate>{_rfc822(w.sent)}</pubDate>
      <dc:creator>{escape(_and(w.authors))}</dc:creator>
      <category>{escape(w.section)}</category>
      <description>{escape(w.standfirst)}</description>
      <content:encoded><![CDATA[{body}]]></content:encoded>
    </item>"""
            )
        text = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" \
xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{title}</title>
    <link>{site}/</link>
    <description>Latest stories from the {title}</description>
{chr(10).join(items)}
  </channel>
</rss>
"""
        return f"rss-{number:04d}.xml", text.encode("utf-8")
    entries = []
    for w in wires:
        body = _html_paras([f"{w.place}, {_mon(w.day)} ({title}) - {w.paragraphs[0]}", *w.paragraphs[1:]])
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in w.authors)
        entries.append(
            f"""  <entry>
    <title>{escape(w.headline)}</title>
    <id>urn:example:{number}:{w.index:05d}</id>
    <updated>{_iso(w.sent)}</updated>
    <published>{_iso(w.sent - timedelta(hours=1))}</published>
    {authors}
    <link href="{site}/{w.day:%Y/%m}/{w.index:05d}"/>
    <summary>{escape(w.standfirst)}</summary>
    <content type="html">{escape(body)}</content>
  </entry>"""
        )
    text = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{title}</title>
  <id>urn:example:feed:{number}</id>
  <updated>{_iso(wires[0].sent)}</updated>
{chr(10).join(entries)}
</feed>
"""
    return f"atom-{number:04d}.xml", text.encode("utf-8")


# --- HTML article pages --------------------------------------------------------------------------------------


def write_html(w: Wire, rng: random.Random) -> tuple[str, bytes]:
    site = rng.choice(SITES)
    url = f"https://news{w.index % 7}.example.com/{w.section.lower()}/{w.day:%Y/%m/%d}/story-{w.index:05d}"
    first = f"{w.place}, {_mon(w.day)} ({site}) - {w.paragraphs[0]}"
    paras = [first, *w.paragraphs[1:]]
    middle = len(paras) // 2
    body = []
    for i, p in enumerate(paras):
        if i == middle:
            body.append(f"      <h2>{rng.choice(SUBHEADS)}</h2>")
        if i == middle + 1:
            body.append('      <div class="ad-inline">Advertisement</div>')
        body.append(f"      <p>{html.escape(p, quote=False)}</p>")
    related = "".join(f'<li><a href="/news/{k}">Related story number {k}</a></li>' for k in range(3))
    most_read = "".join(f'<li><a href="/m/{k}">A much read story, number {k}</a></li>' for k in range(5))
    e = html.escape
    text = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(w.headline)} | {e(site)}</title>
  <meta name="description" content={quoteattr(w.standfirst)}>
  <meta name="author" content={quoteattr(_and(w.authors))}>
  <meta property="og:title" content={quoteattr(w.headline)}>
  <meta property="og:site_name" content={quoteattr(site)}>
  <meta property="og:url" content="{url}">
  <meta property="article:published_time" content="{_iso(w.sent)}">
  <link rel="canonical" href="{url}">
  <script>window.analytics = {{track: function () {{ return "ANALYTICS"; }}}};</script>
  <style>.ad {{ display: block }}</style>
</head>
<body>
  <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
  <header>
    <a class="logo" href="/">{e(site)}</a>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
    <li><a href="/weather">Weather</a></li><li><a href="/subscribe">Subscribe today</a></li></ul></nav>
  </header>
  <div class="ad-slot">Advertisement<br>Buy a new kitchen this summer with zero percent finance</div>
  <main>
    <article>
      <h1>{e(w.headline)}</h1>
      <p class="byline">By {e(_and(w.authors))}</p>
      <time datetime="{_iso(w.sent)}">{w.day:%d %B %Y}</time>
      <div class="share"><a href="#">Share on social media</a> <a href="#">Email this article</a></div>
{chr(10).join(body)}
      <div class="related"><h3>Related stories</h3><ul>{related}</ul></div>
    </article>
  </main>
  <aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
  <footer><p>© {w.day.year} {e(site)}. All rights reserved.</p><p><a href="/privacy">Privacy policy</a> |
  <a href="/terms">Terms</a></p><p>Sign up for our newsletter and get breaking news alerts.</p></footer>
</body>
</html>
"""
    return f"page-{w.index:05d}.html", text.encode("utf-8")


# --- ANPA-1312 and IPTC 7901 ---------------------------------------------------------------------------------


def _crlf(lines: list[str]) -> str:
    return "\r\n".join(lines)


def write_anpa(w: Wire, rng: random.Random) -> tuple[str, bytes]:
    words = sum(len(p.split()) for p in w.paragraphs)
    slug = f"BC-{w.place.title()}-{w.topic.split()[-1].title().replace(chr(39), '')}-{w.index:04d}"
    place = rng.choice(AP_PLACES)
    filed = f"{w.day:%m-%d}"
    lines = [f"\x16\x16\x01a{w.index % 10000:04d}\x1fAPR", f"r a\x13\x11{slug} {filed} {words:04d}"]
    lines.append(f"\x02^{slug},{words:04d}<")
    lines.append(f"^{w.headline}<")
    lines += [f"^By {w.authors[0].upper()}=", "^Associated Press Writer="]
    for i, para in enumerate(w.paragraphs):
        text = f"{place} (AP) _ {para}" if i == 0 else para
        wrapped = _wrap(text)
        lines += ["\t" + wrapped[0], *wrapped[1:]]
    lines += ["\t___", f"\tAssociated Press writer {w.editor} contributed to this report."]
    lines.append(f"\x03AP-WF-{w.sent:%m-%d-%y %H%M}GMT<")
    return f"anpa-{w.index:05d}.txt", (_crlf(lines) + "\r\n\x04").encode("cp1252")


def write_iptc7901(w: Wire, rng: random.Random) -> tuple[str, bytes]:
    words = sum(len(p.split()) for p in w.paragraphs)
    region = rng.choice(DPA_REGIONS)
    slug = f"{region}-{w.topic.split()[-1].replace(chr(39), '')}/"
    lines = [f"\x01dpa{w.index % 1000:03d} 4 {rng.choice('ipwv')} {words}", slug, f"\x02{w.headline} =", ""]
    for i, para in enumerate(w.paragraphs):
        text = f"{w.place.title()} (dpa) - {para}" if i == 0 else para
        lines += [*_wrap(text), ""]
    lines += ["# dpa NOTEBOOK", "The following information is not for publication", f"Contact: desk {w.editor}", ""]
    lines.append(f"\x03{w.sent:%H%M%S} GMT {w.sent:%b} {w.day.day}")
    return f"iptc7901-{w.index:05d}.txt", (_crlf(lines) + "\r\n\x04").encode("cp1252")


# --- the folders ---------------------------------------------------------------------------------------------

_SINGLE: dict[str, Callable[[Wire, random.Random], tuple[str, bytes]]] = {
    "text": write_text,
    "ninjs": write_ninjs,
    "html": write_html,
    "anpa": write_anpa,
    "iptc7901": write_iptc7901,
}


def _files(fmt: str, stories: int, seed: int) -> list[tuple[str, bytes, list[Wire]]]:
    """(file name, bytes, the stories in it) for `stories` stories of one format."""
    rng = random.Random(f"{seed}:{fmt}")
    wires = [make_wire(rng, i) for i in range(stories)]
    out = []
    if fmt in _SINGLE:
        for w in wires:
            name, data = _SINGLE[fmt](w, rng)
            out.append((name, data, [w]))
    elif fmt == "newsml":
        i, number = 0, 0
        while i < len(wires):
            take = MESSAGE_ITEMS if number % MESSAGE_EVERY == MESSAGE_EVERY - 1 else 1
            group = wires[i : i + take]
            out.append((*write_newsml_file(group, rng), group))
            i, number = i + take, number + 1
    elif fmt == "feed":
        for number, i in enumerate(range(0, len(wires), FEED_ENTRIES)):
            group = wires[i : i + FEED_ENTRIES]
            out.append((*write_feed_file(group, rng, number), group))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return out


def wire_files_bytes(fmt: str, stories: int, seed: int = 1) -> list[bytes]:
    """The bytes of the files `stories` made-up stories of format `fmt` make (written nowhere): fuzzing seeds."""
    return [data for _, data, _ in _files(fmt, stories, seed)]


def make_wire_files(
    root: Path, stories: int = 5000, seed: int = 1, html_stories: int | None = None, formats=FORMATS
) -> dict[str, dict]:
    """Write each format's folder under `root` (replacing what was there); per format: files, stories, bytes,
    text characters and the headline of a few files (for `check`)."""
    root = Path(root)
    manifest: dict[str, dict] = {}
    for fmt in formats:
        started = time.perf_counter()
        count = html_stories if fmt == "html" and html_stories is not None else stories
        folder = root / fmt
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        made = _files(fmt, count, seed)
        for name, data, _ in made:
            (folder / name).write_bytes(data)
        samples = sorted({0, len(made) // 2, len(made) - 1} | {i for i, m in enumerate(made[:20]) if len(m[2]) > 1})
        manifest[fmt] = {
            "files": len(made),
            "stories": sum(len(m[2]) for m in made),
            "bytes": sum(len(m[1]) for m in made),
            "text_chars": sum(len(p) for m in made for w in m[2] for p in w.paragraphs),
            "samples": {made[i][0]: [w.headline for w in made[i][2]] for i in samples[:6]},
            "seconds": time.perf_counter() - started,
        }
    return manifest


def check(root: Path, manifest: dict[str, dict]) -> list[str]:
    """Parse the sample files with wiredesk's loader; the problems found ("" problems: all good)."""
    from stories.loader import detect_format, load_path

    problems = []
    for fmt, info in manifest.items():
        for name, headlines in info["samples"].items():
            path = Path(root) / fmt / name
            found = detect_format(path.read_bytes())
            try:
                got = load_path(path)
            except Exception as exc:
                problems.append(f"{fmt}/{name}: {type(exc).__name__}: {exc}")
                continue
            if found != fmt:
                problems.append(f"{fmt}/{name}: recognised as {found}")
            if [s.headline for s in got] != headlines:
                problems.append(f"{fmt}/{name}: headlines {[s.headline for s in got]} != {headlines}")
            for story in got:
                body = sum(1 for b in story.blocks if b.kind == "paragraph")
                if not 1800 <= len(story.text) <= 5000 or body < 4:
                    problems.append(f"{fmt}/{name}: {len(story.text)} characters in {body} paragraphs")
    return problems


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="where the format folders go (their files are replaced)")
    parser.add_argument("--stories", type=int, default=5000, help="stories per format")
    parser.add_argument("--html-stories", type=int, default=None, help="stories for HTML (default: --stories)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="parse a few files of each format with wiredesk")
    args = parser.parse_args(argv)
    manifest = make_wire_files(args.dir, args.stories, args.seed, args.html_stories)
    for fmt, info in manifest.items():
        print(
            f"{fmt:9} {info['files']:6,} files {info['stories']:6,} stories {info['bytes'] / 1e6:6.1f} MB "
            f"({info['text_chars'] / info['stories'] / 1000:.1f} KB text/story) in {info['seconds']:.1f} s"
        )
    if args.check:
        problems = check(args.dir, manifest)
        print("\n".join(problems) or "check: every sample parses as written")
        if problems:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
