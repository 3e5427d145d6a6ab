"""Noun phrases: the story's tokens, and the phrase next to a reporting cue that may name its speaker ("US
President Donald Trump said", "said Dmitry Peskov, a Kremlin spokesman", "according to the regional governor's
office")."""

from __future__ import annotations

import bisect
import re
from operator import itemgetter
from typing import NamedTuple

from annotations.suggest.lexicon import Lexicon

__all__ = ["CONNECTORS", "DETERMINERS", "LEADERS", "Phrases", "Tok", "possessive", "tokens"]

#: An initial ("K."), a word (dots only inside it: "U.S."), a number, or one punctuation character.
_TOKEN = re.compile(r"[A-Z]\.(?=\s[A-Z])|[^\W\d_][\w'’-]*(?:\.(?=\w)[\w'’-]*)*|\d[\w.,]*\w|\d|[^\w\s]")
#: Small words inside a name ("Ministry of Commerce", "Ahmed bin Salman").
CONNECTORS = frozenset("of for in on de del da di la le al el bin ibn von van der den du y and &".split())
#: Articles a phrase may open with.
DETERMINERS = frozenset("the a an".split())
#: Words that open a sentence but are no part of its subject ("But Peskov said").
LEADERS = frozenset(
    "but and so yet meanwhile however still now then also in on at after before when while as if earlier later "
    "separately instead".split()
)


class Tok(NamedTuple):
    """A token: its text, offsets, lower-case form and whether it is capitalised."""

    text: str
    start: int
    end: int
    low: str
    cap: bool


#: The gap before a token and the token. Every character is either in a gap (white space, "_") or starts a token
#: (checked over all of Unicode in the tests), so the gaps and tokens tile the text and their lengths give offsets.
_GAP_TOKEN = re.compile(rf"([\s_]*)({_TOKEN.pattern})")
#: _GAP_TOKEN for ASCII text, where the ASCII classes (a faster pass) say the same: "\s" spelled out, as in ASCII
#: mode it leaves out the separators \x1c-\x1f; no "’" (not ASCII).
_S = r" \t\n\r\f\v\x1c-\x1f"
_ASCII_GAP_TOKEN = re.compile(
    rf"([{_S}_]*)([A-Z]\.(?=[{_S}][A-Z])|[A-Za-z][\w'-]*(?:\.(?=\w)[\w'-]*)*|\d[\w.,]*\w|\d|[^\w{_S}])", re.ASCII
)


def tokens(text: str, lo: int, hi: int) -> list[Tok]:
    """The tokens of text[lo:hi], with offsets into `text`."""
    new = tuple.__new__  # a Tok without the named tuple's Python-level __new__ (this runs once per word)
    out = []
    end = lo
    pattern = _ASCII_GAP_TOKEN if text.isascii() else _GAP_TOKEN
    for gap, w in pattern.findall(text, lo, hi):  # findall: no match objects to ask for offsets
        start = end + len(gap)
        end = start + len(w)
        out.append(new(Tok, (w, start, end, w.lower(), w[0].isupper())))
    return out


class Phrases:
    """The tokens of one story (made once), and the noun phrases around an offset."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self._unnamed = lex.anonymous | lex.person_titles | lex.organisation
        self._heads = self._unnamed | lex.document | lex.group
        self.toks = tokens(text, 0, len(text))
        self._tok_starts = list(map(itemgetter(1), self.toks))  # Tok.start
        self._np_before: dict[tuple[int, int], list[Tok]] = {}  # np_before's answers: asked again and again

    def _title(self, low: str) -> bool:
        """True for a title or role word ("minister", "Sen.", "secretary-general")."""
        titles = self.lex.person_titles
        if low in titles:
            return True
        if "-" not in low and "." not in low:
            return False
        bare = low.rstrip(".")
        return bare in titles or ("-" in bare and any(part in titles for part in bare.split("-")))

    def _joins(self, left: Tok, right: Tok) -> bool:
        """True if two tokens are separated by one space only (so belong to one name)."""
        return right.start - left.end == 1 and self.text[left.end] == " "

    def span_tokens(self, lo: int, hi: int) -> list[Tok]:
        """The story's tokens lying wholly inside [lo, hi)."""
        i = bisect.bisect_left(self._tok_starts, lo)
        j = bisect.bisect_left(self._tok_starts, hi)
        out = self.toks[i:j]
        while out and out[-1].end > hi:
            out.pop()
        return out

    def _joined(self, run: list[Tok]) -> str:
        return self.text[run[0].start : run[-1].end]

    # --- noun phrases next to a cue ------------------------------------------------------------------------

    def np_before(self, lo: int, pos: int) -> list[Tok]:
        """The noun phrase ending just before `pos` (adjuncts like "on Monday" and "also" skipped), or []."""
        found = self._np_before.get((lo, pos))
        if found is None:
            found = self._np_before[lo, pos] = self._find_np_before(lo, pos)
        return list(found)  # a copy: the caller may change its list

    def _find_np_before(self, lo: int, pos: int) -> list[Tok]:
        toks = self._without_adjuncts(self.span_tokens(max(lo, pos - 200), pos))
        out: list[Tok] = []
        skip = 0
        for n, tok in enumerate(reversed(toks)):
            low = tok.low
            k = len(toks) - 1 - n
            if skip:
                skip -= 1
                continue
            before = toks[k - 2] if k >= 2 else None
            if (
                out
                and low == "the"
                and before is not None
                and (
                    (toks[k - 1].low in ("of", "at") and before.cap)
                    or (toks[k - 1].low == "for" and self._title(before.low))
                )
            ):
                out.extend((tok, toks[k - 1], before))  # "X Y of the Z Institute": the person before the body
                skip = 2
                continue
            if not out:
                if low in self.lex.pronouns:
                    return [tok]
                if tok.text in ("who", "which", "that"):
                    return []
            if self._np_word(tok) and low not in self.lex.anonymous:
                if low in self.lex.pronouns:
                    break
                if out and out[-1].low in CONNECTORS and not tok.cap:
                    break
                out.append(tok)
            elif low in self.lex.anonymous and (not out or out[-1].cap is False):
                out.append(tok)
            elif out and not tok.cap and low.endswith(("s'", "'s", "’s", "s’")) and self._np_word(out[-1]):
                out.append(tok)  # "the operators' association"
            elif low in DETERMINERS or low in ("its", "his", "her", "their"):
                if out:
                    out.append(tok)
                break
            elif out and ((low in CONNECTORS and out[-1].cap and low != "and") or tok.text in "-–"):
                out.append(tok)
            else:
                break
        while out and (out[-1].low in CONNECTORS or out[-1].text in "-–"):
            out.pop()
        out.reverse()
        while out and out[0].low in LEADERS and out[0].low not in CONNECTORS - {"in", "on"}:
            out = out[1:]
        return out

    def is_role(self, tok: Tok) -> bool:
        """True for a title, a head word of a body or a document: "the spokeswoman", "the ministry"."""
        return self._title(tok.low) or tok.low in self.lex.organisation or tok.low in self.lex.document

    def _np_word(self, tok: Tok) -> bool:
        """A word a speaker's noun phrase is made of: capitalised, or a title, head word, document or "official"."""
        lex, low = self.lex, tok.low
        return (
            tok.cap
            or self._title(low)
            or low in lex.organisation
            or low in lex.document
            or low in lex.anonymous
            or low in lex.group
        )

    def _without_adjuncts(self, toks: list[Tok]) -> list[Tok]:
        """`toks` without the adjunct phrases at their end ("… on Monday", "…, also,")."""
        while toks:
            end = len(toks) - 1 if toks[-1].text == "," else len(toks)
            k = self._adjunct_at_end(toks, end)
            if not k:
                return toks
            toks = toks[: end - k]
            if toks and toks[-1].text == ",":
                toks = toks[:-1]
        return toks

    def _adjunct_at_end(self, toks: list[Tok], end: int) -> int:
        """How many tokens before `end` an adjunct phrase takes (0: none ends there)."""
        if end == 0:
            return 0
        for phrase in self.lex.adjunct_ends.get(toks[end - 1].low, ()):
            k = len(phrase)
            if end >= k and all(toks[end - k + j].low == phrase[j] for j in range(k)):
                return k
        return 0

    def np_after(self, pos: int, hi: int) -> list[Tok]:
        """The noun phrase starting just after `pos` ("said Dmitry Peskov, …"), or []."""
        toks = self.span_tokens(pos, min(hi, pos + 200))
        lead = 0
        while lead < min(3, len(toks) - 1) and toks[lead].text.replace("-", "").isalpha() and toks[lead].text.islower():
            lead += 1
        if 0 < lead < len(toks) - 1 and toks[lead].text == "," and toks[lead + 1].cap:
            toks = toks[lead + 1 :]  # "said another farmer, Ali Hassan"
        elif lead > 0 and toks[lead].cap and toks[lead - 1].low not in DETERMINERS | CONNECTORS:
            toks = toks[lead:]  # "said farmer Ali Hassan"
        out: list[Tok] = []
        for tok in toks:
            low = tok.low
            if not out and low in DETERMINERS:
                out.append(tok)
            elif not out and low in self.lex.pronouns:
                return [tok]
            elif self._np_word(tok) or (low in CONNECTORS and out and out[-1].cap and low != "and"):
                out.append(tok)
            else:
                break
        while out and (out[-1].low in CONNECTORS or out[-1].low in DETERMINERS):
            out.pop()
        return out if any(t.low not in DETERMINERS for t in out) else []

    def phrase_after(self, pos: int, hi: int) -> list[Tok]:
        """The words after `pos` up to the next punctuation, if they end in a head word ("according to the
        regional governor's office"), else []."""
        out: list[Tok] = []
        for tok in self.span_tokens(pos, min(hi, pos + 120)):
            if not tok.text[0].isalnum() or len(out) >= 6:
                break
            out.append(tok)
        if out and out[-1].low in self._heads:
            return out
        return []


def possessive(tok: Tok) -> bool:
    return tok.text.endswith(("'s", "’s"))
