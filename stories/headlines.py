"""Headlines made from text: a story's own cut to length, or one derived from a lede when the copy has none."""

from __future__ import annotations

import re

from stories.text import clean_line, sentence_starts

__all__ = ["cut_at_word", "derive_headline", "shorten"]


def cut_at_word(text: str, limit: int) -> tuple[str, str]:
    """`text` in two: at most `limit` characters ending at a word boundary (a hard cut if the first `limit`
    characters hold no space), and the rest, without the space between them."""
    if len(text) <= limit:
        return text, ""
    space = text.rfind(" ", 0, limit + 1)
    if space <= 0:
        return text[:limit], text[limit:].lstrip(" ")
    return text[:space].rstrip(" "), text[space:].lstrip(" ")


def shorten(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut at a clause or word boundary with "…" after it."""
    if len(text) <= limit:
        return text
    clause = max(text.rfind(mark, 0, limit) for mark in (", ", "; ", " — ", " – "))
    if clause >= limit * 0.6:
        head = text[:clause]
    else:
        head = cut_at_word(text, limit - 1)[0]
        words = head.split(" ")
        while len(words) > 3 and words[-1].lower() in _DANGLING:
            words.pop()  # "…in the region of" reads better as "…in the region"
        head = " ".join(words)
    return head.rstrip(" ,;:-–—") + "…"


_DANGLING = frozenset("a an the of in on at to for from by with and or but as that which who its their".split())


#: A lede's closing attribution: ", the ministry said on Wednesday", ", officials said", ", according to data".
_ATTRIBUTION = re.compile(
    r",\s+(?:according\s+to\s+[^,]{2,80}|[^,]{2,80}?\s(?:said|says|told\s+[^,]{2,40}|announced|reported|showed))"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|in\s+a\s+statement))*$"
)


def derive_headline(text: str, limit: int = 120) -> str:
    """A headline for copy that has none: the first sentence of `text`, without its full stop and its closing
    attribution (", officials said"), shortened at a clause or word boundary to `limit` characters."""
    line = clean_line(text)
    starts = sentence_starts(line, [(0, len(line))])
    sentence = line[: starts[1] if len(starts) > 1 else len(line)].rstrip(" ")
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    if (m := _ATTRIBUTION.search(sentence)) and m.start() >= 20:
        sentence = sentence[: m.start()]
    return shorten(sentence, limit)
