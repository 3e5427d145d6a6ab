"""TextFinder: every match of a query in a story's text, as the reader's find box needs them."""

from __future__ import annotations

from stories.text import SEARCH_FOLD, is_word_char, search_folded

__all__ = ["TextFinder"]


class TextFinder:
    """Finds a query in one text, straight quotes matching curly ones; the folded text is kept between finds."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded = search_folded(text)
        self._exact: str | None = None  # the text quote- and dash-folded, case kept: for a query with capitals

    def find(self, query: str, *, whole_words: bool = False) -> list[tuple[int, int]]:
        """Every match of `query`. Smart case, as in vim: a query all in lower case matches any case, one with a
        capital matches its exact case (`US` is not the "us" of "Russia"). `whole_words`: only where the
        query's first and last words are whole words of the text."""
        query = " ".join(query.split())
        if any(c.isupper() for c in query):
            if self._exact is None:
                self._exact = self.text.translate(SEARCH_FOLD)
            haystack, needle = self._exact, query.translate(SEARCH_FOLD)
        else:
            haystack, needle = self._folded, search_folded(query)
        if not needle:
            return []
        text, spans, i = self.text, [], haystack.find(needle)
        while i != -1:
            end = i + len(needle)
            if not whole_words or _whole_words_at(text, i, end):
                spans.append((i, end))
            i = haystack.find(needle, i + 1)
        return spans


def _whole_words_at(text: str, start: int, end: int) -> bool:
    """True if text[start:end] cuts no word: where it begins and ends with a letter or digit, none is next to it."""
    before = start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1])
    after = end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end])
    return not before and not after
