"""Words as the search index sees them: SQLite FTS5's `unicode61` tokenizer with `remove_diacritics 2`.

A word is a run of letters, digits or private-use characters; everything else separates words. A word is folded
to lower case without its diacritics ("Émile" and "emile" are one word). No stemming: see `annotations.search`.
The index's tokenizer and these functions must agree (a test compares them on random text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = ["fold", "words"]

#: One word: letters, digits (any script), private-use characters; combining marks ride along with their letter.
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U0010fffd"
WORD = re.compile(rf"(?:[^\W_]|[{_PRIVATE}])(?:[^\W_]|[\u0300-\u036f{_PRIVATE}])*")


def fold(word: str) -> str:
    """`word` in lower case without diacritics, as the index stores it."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of every word of `text`, in order."""
    for m in WORD.finditer(text):
        yield m.start(), m.end(), fold(m.group())
