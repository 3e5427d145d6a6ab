"""Words as SQLite FTS5's `unicode61` tokenizer (`remove_diacritics 2`) reads them, asked of SQLite itself.

A word is a run of letters and digits; everything else separates words; a word is matched in lower case and
without the diacritics of Latin letters ("Émile" finds "emile"). No stemming: see `annotations.search`.
`marked` runs an FTS5 expression over one text in a private in-memory table (one per thread) and gives the
spans SQLite's `highlight()` marks, so highlights, snippets and the plain scan read words exactly as the index.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata

__all__ = ["TOKENIZE", "WORD", "fold", "marked"]

TOKENIZE = "unicode61 remove_diacritics 2"
#: A typed word's pieces (the index may split a piece further; it never joins two).
WORD = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff])(?:[^\W_]|[\u0300-\u036f\ue000-\uf8ff])*")
_OPEN, _CLOSE = "\x01", "\x02"
_SPAN = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
#: What must not reach SQLite as it is: the markers, NUL, lone surrogates (each becomes one space).
_UNSAFE = re.compile("[\x00\x01\x02\ud800-\udfff]")
_local = threading.local()


def fold(text: str) -> str:
    """`text` in lower case without diacritics (for comparing names such as an agency's)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _db() -> sqlite3.Connection:
    db: sqlite3.Connection | None = getattr(_local, "db", None)
    if db is None:
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE doc(text)")  # external content: emptying the index then needs no tokenizing
        db.execute(f"CREATE VIRTUAL TABLE one USING fts5(text, content='doc', tokenize='{TOKENIZE}')")
        _local.db = db
    return db


def marked(expression: str, text: str) -> list[tuple[int, int]]:
    """(start, end) of every phrase instance of an FTS5 expression in `text` (overlapping ones merged), in text
    order; [] when the expression does not match `text`."""
    if not expression or not text:
        return []
    db = _db()
    safe = _UNSAFE.sub(" ", text)
    db.execute("INSERT INTO doc(rowid, text) VALUES (1, ?)", (safe,))
    db.execute("INSERT INTO one(rowid, text) VALUES (1, ?)", (safe,))
    try:
        row = db.execute(
            "SELECT highlight(one, 0, char(1), char(2)) FROM one WHERE one MATCH ? AND rowid = 1", (expression,)
        ).fetchone()
    finally:
        db.execute("INSERT INTO one(one) VALUES ('delete-all')")
        db.execute("DELETE FROM doc")
    if row is None:
        return []
    spans, shift = [], 0
    for m in _SPAN.finditer(row[0]):
        start = m.start() - shift
        spans.append((start, start + len(m.group(1))))
        shift += 2
    return spans
