"""Saved article web pages: the story without the page furniture, in the right encoding, nothing fetched."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stories.formats import feeds, htmlpage
from stories.loader import load_path, parse_bytes
from stories.model import Story, StoryError
from tests.conftest import FIXTURES, ROOT

PAGES = FIXTURES / "html"
BOILERPLATE = (
    "Home",
    "Subscribe",
    "Advertisement",
    "Most read",
    "Related stories",
    "cookies",
    "Share on social media",
    "Email this article",
    "Otters spotted",
    "Bakery wins",
    "All rights reserved",
    "Privacy policy",
    "newsletter",
    "kitchen",
    "SCRIPT-TEXT",
    "STYLE-TEXT",
    "By Rhiannon Price",
    "14 August 2026",
)


def _valid(story: Story) -> None:
    text = story.text
    assert story.blocks and story.blocks[0].start == 0 and story.blocks[-1].end == len(text)
    for block, nxt in zip(story.blocks, story.blocks[1:], strict=False):
        gap = text[block.end : nxt.start]
        assert gap == "\n\n" or (block.kind == "dateline" and gap == " "), (block, gap)
    assert story.meta.headline and story.meta.format == "html"
    assert Story.from_dict(story.to_dict()) == story


def _page(name: str, source: str | None = None) -> Story:
    [story] = htmlpage.parse((PAGES / name).read_bytes(), source or name)
    _valid(story)
    return story


def _kinds(story: Story, kind: str) -> list[str]:
    return [story.block_text(b) for b in story.blocks if b.kind == kind]


def test_corpus_museum_article(corpus):
    [story] = htmlpage.parse((corpus / "html-article-museum.html").read_bytes(), "museum.html")
    _valid(story)
    meta = story.meta
    assert meta.headline == "Museum returns looted bronze statues to Benin City"
    assert meta.authors == ("Kwame Mensah",)
    assert meta.created == "2026-07-07T09:00:00Z"
    assert meta.agency == "Example Wire" and meta.language == "en"
    assert meta.dateline == "BENIN CITY, Nigeria"
    paragraphs = _kinds(story, "paragraph")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("A European museum handed back 12 bronze statues to Nigeria on Tuesday")
    assert paragraphs[-1] == (
        "The museum said it would keep replicas on display with information about how the originals were acquired."
    )
    assert story.text.count(meta.headline) == 1
    for junk in ("Home", "Subscribe", "Advertisement", "Most read", "Unrelated story", "Copyright", "Share this"):
        assert junk not in story.text, junk
    assert "By Kwame Mensah" not in story.text and "07.07.2026" not in story.text


def test_corpus_page_is_recognised_by_the_loader(corpus):
    [story] = load_path(corpus / "html-article-museum.html")
    assert story.meta.format == "html" and story.meta.source == "html-article-museum.html"


def test_corpus_museum_without_trafilatura_body_uses_the_article_element(corpus, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    [story] = htmlpage.parse((corpus / "html-article-museum.html").read_bytes(), "museum.html")
    _valid(story)
    assert story.meta.headline == "Museum returns looted bronze statues to Benin City"  # the page's h1
    assert story.meta.authors == ("Kwame Mensah",)  # from the byline line, which is not story text
    assert len(_kinds(story, "paragraph")) == 4
    assert "Most read" not in story.text and "Home" not in story.text and "By Kwame" not in story.text


def test_page_furniture_is_not_story_text():
    story = _page("article-boilerplate.html")
    meta = story.meta
    assert meta.headline == "Harbour seals return to the estuary"
    assert meta.authors == ("Rhiannon Price",) and meta.agency == "The Coastal Gazette"
    assert (meta.created, meta.updated) == ("2026-08-14T05:45:00Z", "2026-08-14T10:20:00Z")
    assert meta.link == "https://gazette.example.co.uk/news/seals-return"
    assert meta.wire_id == "html:https://gazette.example.co.uk/news/seals-return"
    assert meta.language == "en-GB"
    assert _kinds(story, "standfirst") == ["Volunteers counted 41 seals on the sandbanks, the most since counts began."]
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].startswith("Volunteers counted 41 harbour seals resting on the estuary sandbanks")
    assert paragraphs[-1].startswith("The next count is planned for mid-September")
    assert '"The seals are telling us the river is healthier," Alder said.' in paragraphs
    for junk in BOILERPLATE:
        assert junk not in story.text, junk


def test_cp1252_page_with_a_meta_charset():
    story = _page("cp1252-meta.html")
    assert story.meta.headline == "Le café du port rouvre ses portes"
    assert story.meta.agency == "Journal des Quais" and story.meta.language == "fr"
    paragraphs = _kinds(story, "paragraph")
    assert paragraphs[0].endswith("a rouvert samedi – avec une terrasse agrandie et un menu « tout local ».")
    assert "« Nous sommes prêts », a déclaré la gérante, Élodie Marchand" in paragraphs[1]
    assert "l’établissement" in story.text and "repeinte en bleu… comme à l’origine" in story.text
    assert "Ã" not in story.text and "\x85" not in story.text and "Accueil" not in story.text


def test_utf8_wins_over_a_wrong_meta_charset():
    page = (PAGES / "cp1252-meta.html").read_bytes().decode("cp1252").encode("utf-8")
    [story] = htmlpage.parse(page, "x.html")
    assert "« Nous sommes prêts »" in story.text


def test_a_page_without_an_article_is_refused():
    with pytest.raises(StoryError, match=r"^no article text found on this page$"):
        htmlpage.parse((PAGES / "no-article.html").read_bytes(), "home.html")


def test_an_empty_page_is_refused():
    with pytest.raises(StoryError, match="no article text found"):
        htmlpage.parse(b"<!DOCTYPE html><html><head><title>Empty</title></head><body></body></html>")


def test_entities_in_a_doctype_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    page = (PAGES / "article-boilerplate.html").read_text("utf-8")
    page = page.replace("<!DOCTYPE html>", f'<!DOCTYPE html [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>')
    page = page.replace("Volunteers counted 41 harbour", "Volunteers &leak; counted 41 harbour")
    try:
        stories = htmlpage.parse(page.encode("utf-8"), "x.html")
    except StoryError as exc:
        assert "TOP-SECRET" not in str(exc)
    else:
        assert all("TOP-SECRET" not in str(s.to_dict()) for s in stories)


def test_parsing_never_touches_the_network(monkeypatch):
    attempts: list[object] = []

    def block(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", block)
    monkeypatch.setattr(socket, "getaddrinfo", block)
    monkeypatch.setattr(socket, "create_connection", block)
    story = _page("article-boilerplate.html", source="https://gazette.example.co.uk/news/seals-return")
    assert story.meta.source == "https://gazette.example.co.uk/news/seals-return"
    with pytest.raises(StoryError):
        htmlpage.parse(b"https://example.com/page-that-must-not-be-fetched", "x")
    assert attempts == []


def test_parsing_prints_nothing(capfd):
    for data in (b"<html>", b"<!DOCTYPE html><html><body><p>x</p>", (PAGES / "no-article.html").read_bytes()):
        with contextlib.suppress(StoryError):
            htmlpage.parse(data, "x.html")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_detect_does_not_import_trafilatura():
    code = (
        "import sys, stories.formats.htmlpage as h; assert h.detect(b'<html>'); assert 'trafilatura' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_format_by_name_through_the_loader():
    [story] = parse_bytes((PAGES / "cp1252-meta.html").read_bytes(), "page.html", fmt="html")
    assert story.meta.source == "page.html" and story.meta.format == "html"


# --- detection -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html>\n<html>",
        b"<!doctype HTML><title>x</title>",
        b"<html lang='en'>",
        b"<HTML>",
        b"\xef\xbb\xbf\n  <!-- saved page -->\n<!DOCTYPE html>",
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
        "\ufeff<!DOCTYPE html><html>".encode("utf-16"),
    ],
)
def test_detect_pages(head):
    assert htmlpage.detect(head)
    assert not feeds.detect(head)


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?><rss version="2.0">',
        b"<feed xmlns='http://www.w3.org/2005/Atom'>",
        b'{"body_html": "<html>"}',
        b"Headline about <html> tags\n\nBody.",
        b"<p>A fragment, not a page</p>",
        b"<htmlx>",
        b"",
    ],
)
def test_detect_other_formats(head):
    assert not htmlpage.detect(head)


def test_detect_on_fixture_files():
    for path in PAGES.glob("*.html"):
        assert htmlpage.detect(path.read_bytes()), path


# --- robustness ------------------------------------------------------------------------------------------------


def _parse_or_refuse(data: bytes) -> None:
    try:
        stories = htmlpage.parse(data, "fuzz.html")
    except StoryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert len(stories) == 1
    _valid(stories[0])


_SAMPLES = [p.read_bytes() for p in sorted(PAGES.glob("*.html"))]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 200)))
        chunk = draw(st.binary(max_size=12) | st.sampled_from([b"<", b"</article>", b"<p>", b"&", b"\x00", b"\x1b["]))
        if draw(st.booleans()):
            data[i:j] = chunk
        else:
            data[i:i] = chunk
    return bytes(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda t: f"<!DOCTYPE html><html><body>{t}".encode()))
def test_arbitrary_bytes_give_a_story_or_story_error(data):
    _parse_or_refuse(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_mutated_pages_give_a_story_or_story_error(data):
    _parse_or_refuse(data)
