"""HTML in story bodies (NITF, XHTML, ninjs, feeds) to clean paragraphs.

Block elements end paragraphs, `<br>` ends a line, inline markup is dropped, entities are decoded, and the
contents of scripts, styles and other non-text elements are thrown away. The result is plain text for
`StoryBuilder`, which normalises it further.
"""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["html_paragraphs"]

_BLOCKS = frozenset(
    """p div section article header footer aside main nav blockquote pre h1 h2 h3 h4 h5 h6 li ul ol dl dt dd
    table tr td th caption figure figcaption hr address body.content block hl1 hl2 body.head body.end""".split()
)
#: Not text, or not story text (a photo's caption and credit).
_SKIP = frozenset(
    "script style noscript template iframe object embed svg math head title select option figcaption".split()
)


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def _tag(self, tag: str) -> str:
        return tag.rsplit(":", 1)[-1].lower()  # XHTML with a prefix: "h:p" -> "p"

    def _end_paragraph(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = self._tag(tag)
        if name in _SKIP:
            self._skipping += 1
        elif name in _BLOCKS:
            self._end_paragraph()
        elif name == "br":
            self._current.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = self._tag(tag)
        if name in _BLOCKS:
            self._end_paragraph()
        elif name == "br":
            self._current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        name = self._tag(tag)
        if name in _SKIP:
            self._skipping = max(self._skipping - 1, 0)
        elif name in _BLOCKS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)


def html_paragraphs(html: str) -> list[str]:
    """The paragraphs of an HTML fragment or page, as plain text."""
    parser = _Paragraphs()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:  # html.parser gives up on some broken markup ("<![foo["): keep what it read
        pass
    parser._end_paragraph()
    return parser.paragraphs
