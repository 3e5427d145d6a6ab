"""The library's query language, parsed: full-text terms and filter tokens.

    ukraine kyiv                 both words (anywhere in headline, standfirst, body, authors, dateline, notes)
    "fishing quotas"             the words in this order
    ukraine OR kyiv              either (OR binds the words beside it: `a b OR c` is a AND (b OR c))
    -norway   -"north sea"       not this word / phrase
    fish*                        a word starting so
    quoting:NAME actor:NAME claimant:NAME claims:STATUS is:untagged|tagged agency:NAME since:DATE until:DATE
    source:NAME (the live source a story came from)   thread:ID (the stories of a claim thread's claims)
    quoting:"Two Words"          a token's value with spaces

`parse_query` never raises: what it cannot read becomes one clean line in `Query.errors`. A typed word becomes
the index's words (`words.words`), so punctuation, FTS5 operators (`NEAR(`, `^`, `col:`) and quotes inside a word
are only separators: the index is only ever asked for words it stores, quoted (see `TextQuery.fts`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from annotations.search.words import WORD
from stories.text import clean_line

__all__ = [
    "ANNOTATION_KEYS",
    "DATE_KEYS",
    "NAME_KEYS",
    "QUERY_KEYS",
    "Query",
    "QueryError",
    "Term",
    "TextQuery",
    "parse_query",
    "split_query",
]

#: Filter tokens on annotations; the link field each NAME token looks at.
NAME_KEYS = {"quoting": "speaker", "actor": "actor", "claimant": "claimant"}
#: Filter tokens on a story's metadata.
DATE_KEYS = ("since", "until")
#: The tokens answered from the annotations (`annotations.library_index.LibraryIndex`), the library filter's own.
ANNOTATION_KEYS = ("is", *NAME_KEYS, "claims", "thread")
QUERY_KEYS = (*ANNOTATION_KEYS, "agency", *DATE_KEYS, "source")
_ITEM = re.compile(
    r'(?P<key>[A-Za-z]+):(?:"(?P<quoted>[^"]*)"?|(?P<bare>[^\s"]*))'
    r'|(?P<neg>-?)"(?P<phrase>[^"]*)"?'
    r"|(?P<word>[^\s\"]+)"
)
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class QueryError(ValueError):
    """A query that cannot be run; the message is one clean line."""


@dataclass(frozen=True)
class Term:
    """A word or a phrase: its words in order, as typed (the index folds them); `prefix`: the last one is the
    start of a word."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        """This term as an FTS5 phrase: one quoted string (inside it, every character is only text)."""
        return '"' + " ".join(self.words).replace('"', '""') + '"' + (" *" if self.prefix else "")

    def __str__(self) -> str:
        text = " ".join(self.words)
        return (f'"{text}"' if len(self.words) > 1 else text) + ("*" if self.prefix else "")


@dataclass(frozen=True)
class TextQuery:
    """The full-text part: every group must match (a group: any of its terms), and no term of `excluded`."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups or self.excluded)

    def positive(self) -> list[Term]:
        """The terms a match shows (to highlight), each once, in query order."""
        return list(dict.fromkeys(t for group in self.groups for t in group))

    def fts(self) -> str:
        """The FTS5 expression of the included groups ("" when there are none), then NOT each excluded term."""
        if not self.groups:
            return ""
        expr = " AND ".join("(" + " OR ".join(t.fts() for t in group) + ")" for group in self.groups)
        return expr + "".join(f" NOT {t.fts()}" for t in self.excluded)

    def fts_excluded(self) -> str:
        """The FTS5 expression matching any excluded term (for a query that only excludes)."""
        return " OR ".join(t.fts() for t in self.excluded)


@dataclass(frozen=True)
class Query:
    """A parsed query: the text as typed, its full-text part, its tokens, and what could not be read."""

    source: str
    text: str = ""
    tokens: tuple[tuple[str, str], ...] = ()
    errors: tuple[str, ...] = ()
    match: TextQuery = field(default_factory=TextQuery)

    def __bool__(self) -> bool:
        return bool(self.match or self.tokens)

    def values(self, key: str) -> list[str]:
        """The values of every token with this key, in order."""
        return [v for k, v in self.tokens if k == key]


def _term(text: str, prefix: bool = False) -> Term | None:
    found = tuple(WORD.findall(clean_line(text)))
    return Term(found, prefix) if found else None


def split_query(text: str, keys: tuple[str, ...] = QUERY_KEYS) -> Iterator[tuple[str, str, re.Match[str]]]:
    """The items of a query in order: (key, value, match) for a token whose key is in `keys` (the value unquoted,
    as typed), else ("", the item as typed, match) for a word, a "phrase" or OR."""
    for m in _ITEM.finditer(text):
        key = (m.group("key") or "").lower()
        if key in keys:
            yield key, m.group("quoted") if m.group("quoted") is not None else m.group("bare"), m
        else:
            yield "", m.group(0), m


def parse_query(text: str, *, typing: bool = False) -> Query:
    """Read the query language (see the module docstring); unreadable parts become `errors`, never an exception.
    `typing`: the text is being typed, so its last word, if nothing follows it yet, counts as a prefix."""
    tokens: list[tuple[str, str]] = []
    errors: list[str] = []
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    shown: list[str] = []
    join_next = False  # the previous item was OR
    last_word = False  # the last item was a plain word (not a phrase, a token, OR or a word to leave out)
    for key, raw, m in split_query(text):
        last_word = False
        if key:
            value = " ".join(clean_line(raw).split())
            if value:  # a token still waiting for its value restricts nothing
                if key in DATE_KEYS and not _DATE.fullmatch(value):
                    errors.append(f"{key}:{value}? use a date such as 2026-01-31 (or 2026-01, 2026)")
                else:
                    tokens.append((key, value))
            continue
        item = raw
        negative, prefix = False, False
        if m.group("phrase") is not None:
            negative, term = bool(m.group("neg")), _term(m.group("phrase"))
        elif item == "OR":
            if not groups or join_next:
                errors.append("OR needs a word before it and after it")
            join_next = bool(groups)
            continue
        else:
            negative = item.startswith("-") and len(item) > 1
            body = item[1:] if negative else item
            prefix = body.endswith("*") and not negative
            term = _term(body.rstrip("*") if prefix else body, prefix)
        if term is None:  # punctuation only: nothing to find
            continue
        if negative:
            excluded.append(term)
            shown.append(f"-{term}")
        elif join_next:
            groups[-1].append(term)
            shown.append(f"OR {term}")
        else:
            groups.append([term])
            shown.append(str(term))
        last_word = not negative and m.group("phrase") is None
        join_next = False
    if join_next:
        errors.append("OR needs a word before it and after it")
    if typing and last_word and not text[-1:].isspace():
        group = groups[-1]
        group[-1] = Term(group[-1].words, prefix=True)
        shown[-1] = shown[-1].rstrip("*") + "*"
    match = TextQuery(tuple(tuple(dict.fromkeys(g)) for g in groups), tuple(dict.fromkeys(excluded)))
    return Query(text, " ".join(shown), tuple(tokens), tuple(errors), match)
