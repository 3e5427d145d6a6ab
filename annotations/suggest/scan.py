"""The story read once for the quote and claim finders: quotation marks paired (the reader's own rule,
`stories.quotations.quote_pairs`), sentences joined where a quotation runs over a sentence end ("units"), every cue of
the lexicon found outside marks, and each cue's speaker worked out in text order (so "he said" can look back)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Container
from dataclasses import dataclass, field
from itertools import compress, count, islice
from operator import itemgetter, not_

from annotations.suggest.context import Context
from annotations.suggest.lexicon import lexicon
from annotations.suggest.model import Suggestion
from annotations.suggest.phrases import Tok
from annotations.suggest.speakers import Speaker, Speakers
from stories.quotations import quote_pairs

__all__ = ["CLOSING", "OPENING", "Cue", "Scan", "Unit", "fast_quote_pairs", "quote_suggestion", "scan"]

OPENING = "\"“„«'‘‚‹"
CLOSING = "\"”»'’›“"


@dataclass
class Cue:
    """A reporting cue as written ("told reporters"), the noun phrase's speaker, and its kind."""

    start: int
    end: int
    word: str  # the cue itself, lower case ("told")
    kind: str  # speech | claim | according
    speaker: Speaker | None = None
    inverted: bool = False  # the speaker follows the cue ("said Peskov")


@dataclass
class Unit:
    """A sentence, or several when a quotation runs over their ends: where a quote looks for its cue."""

    start: int
    end: int
    paragraph: int
    cues: list[Cue] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def cue_starts(self) -> list[int]:
        """Where the unit's cues start, in order (computed once, when the cues are all found)."""
        if len(self._starts) != len(self.cues):
            self._starts = [c.start for c in self.cues]
        return self._starts

    def subject(self, before: int) -> Speaker | None:
        """The speaker of the unit's first cue before `before` that has one (the main clause's subject)."""
        for cue in self.cues:
            if cue.start < before and cue.speaker is not None and cue.speaker.how != "anonymous":
                return cue.speaker
        return None


@dataclass
class Scan:
    """The story read once: its units with their cues and quotations, and the speaker resolver."""

    units: list[Unit]
    pairs: list[tuple[int, int]]  # outermost quotation marks, in text order
    speakers: Speakers
    #: (unit start, cue index) -> the clause that cue reports (`indirect._reported`), for the quote and claim finders
    reported: dict[tuple[int, int], tuple[int, int, str] | None] = field(default_factory=dict)


def scan(ctx: Context, mentions: list[Suggestion]) -> Scan:
    """The story's scan, made once per `Context` and shared by the quote and claim finders."""
    found = ctx.memo.get("quotes.scan")
    if not isinstance(found, Scan):
        found = _scan(ctx, mentions)
        ctx.memo["quotes.scan"] = found
    return found


_MARK_OR_NEWLINE = re.compile("[\"'“”„«»‘’‚‹›\n]")


def fast_quote_pairs(text: str) -> list[tuple[int, int]]:
    """`quote_pairs(text)`, reading only the marks, the newlines and the characters either side of them: the
    text is cut down to those (every other character plays no part in pairing) and the offsets mapped back."""
    marks = list(map(re.Match.start, _MARK_OR_NEWLINE.finditer(text)))
    keep = sorted({j for i in marks for j in (i - 1, i, i + 1)} - {-1, len(text)})  # what lies in the text
    if len(keep) * 2 > len(text):
        return quote_pairs(text)
    short = "".join(map(text.__getitem__, keep))
    return [(keep[o], keep[c]) for o, c in quote_pairs(short)]


def _outermost(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for pair in sorted(pairs):
        if not out or pair[0] > out[-1][1]:
            out.append(pair)
    return out


def _scan(ctx: Context, mentions: list[Suggestion]) -> Scan:
    text, lex = ctx.text, lexicon()
    pairs = _outermost(fast_quote_pairs(text))
    opens = [p[0] for p in pairs]

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(opens, pos - 1) - 1
        return i >= 0 and pairs[i][0] < pos <= pairs[i][1]

    para_starts = [p[0] for p in ctx.paragraphs]
    starts = [s for s in ctx.sentence_starts if not inside(s)] or [0]
    units: list[Unit] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        units.append(Unit(start, end, bisect.bisect_right(para_starts, start) - 1))
    unit_starts = [u.start for u in units]

    def unit_of(pos: int) -> Unit:
        return units[max(bisect.bisect_right(unit_starts, pos) - 1, 0)]

    for pair in pairs:
        unit_of(pair[0]).pairs.append(pair)
    speakers = Speakers(ctx, mentions)
    for start, end, word in _cues(text, speakers.toks):
        if inside(start):
            continue
        unit = unit_of(start)
        if text[start].isupper() and text[unit.start : start].strip(" \"“”‘’'«»„:–—-"):
            continue  # a capitalised "Says" inside a sentence is a name or a title, not a cue
        if text[max(start - 2, 0) : start] in ("'s", "’s") or text[start - 1 : start] in ("'", "’"):
            continue  # "Trump's claims": a noun
        unit.cues.append(Cue(start, end, word, lex.kind_of(word)))
    speakers.set_layout(unit_starts, inside)
    for unit in units:
        for cue in unit.cues:
            _cue_speaker(text, unit, cue, speakers)
    return Scan(units, pairs, speakers)


_WORD = re.compile(r"[A-Za-z]+")
#: A definite description just before a cue: "the rubber tapper", "the 45-year-old".
_DESCRIBED = re.compile(r"(?:^|[,\"”’'] )the (?:[a-z][\w-]* ){0,2}[a-z][\w-]*$")


def _cues(text: str, toks: list[Tok] | None = None) -> list[tuple[int, int, str]]:
    """Every cue of the lexicon in `text` as (start, end, cue in lower case), whole words only, one pass; `toks`:
    the text's tokens (`phrases.tokens`), where its words are looked for when it is ASCII."""
    index = lexicon().cues
    out: list[tuple[int, int, str]] = []
    skip_to = 0
    for start, end, low in _cue_words(text, index, toks):
        if start < skip_to or (start > 0 and text[start - 1] in "'’-"):
            continue
        for phrase in index[low]:
            last = _phrase_end(text, end, phrase[1:]) if len(phrase) > 1 else end
            if last is None:
                continue
            if last < len(text) and (
                text[last].isalnum() or (text[last] in "'’-" and text[last + 1 : last + 2].isalpha())
            ):
                continue
            out.append((start, last, " ".join(phrase)))
            skip_to = last
            break
    return out


def _phrase_end(text: str, pos: int, rest: tuple[str, ...]) -> int | None:
    """Where the words `rest` (lower case) end when they are the next runs of letters after `pos`, each after
    white space only; None if they are not."""
    following = list(islice(_WORD.finditer(text, pos), len(rest)))
    if len(following) < len(rest):
        return None
    for word, m in zip(rest, following, strict=True):
        if m.group().lower() != word or text[pos : m.start()].strip():
            return None
        pos = m.end()
    return pos


def _cue_words(text: str, index: Container[str], toks: list[Tok] | None) -> list[tuple[int, int, str]]:
    """The runs of letters (`_WORD`) of `text` that a cue may start with, as (start, end, lower case), in order."""
    if toks is None or not text.isascii():
        found = list(_WORD.finditer(text))
        lows = list(map(str.lower, map(re.Match.group, found)))  # in C: no Python-level step per word
        return [(found[i].start(), found[i].end(), lows[i]) for i in compress(count(), map(index.__contains__, lows))]
    # In ASCII text every run of letters lies inside one token (a token takes every letter next to it): a token of
    # letters only is one run, the few tokens of letters and other characters ("U.S", "don't") are cut into runs.
    # The tokens are picked in C: no second pass over the text, no Python-level step per word.
    texts = list(map(itemgetter(0), toks))
    chosen = compress(toks, map(index.__contains__, map(itemgetter(3), toks)))
    words = [(t.start, t.end, t.low) for t in chosen if t.text.isalpha()]
    mixed = [t for t in compress(toks, map(not_, map(str.isalpha, texts))) if len(t.text) > 1]
    for t in mixed:
        for m in _WORD.finditer(text, t.start, t.end):
            if (low := m.group().lower()) in index:
                words.append((m.start(), m.end(), low))
    return sorted(words) if mixed else words


def _cue_speaker(text: str, unit: Unit, cue: Cue, speakers: Speakers) -> None:
    lex = speakers.lex
    if cue.kind == "according":
        np = speakers.np_after(cue.end, unit.end) or speakers.phrase_after(cue.end, unit.end)
        cue.inverted = True
    else:
        np = speakers.np_before(unit.start, cue.start)
        lead = text[unit.start : cue.start].rstrip(" ,")
        apposition = not cue.word.endswith("ing") and text[unit.start : cue.start].rstrip().endswith(",")
        if not np and apposition:  # "Pedro Sanz, a lawyer for the family, said"
            np = speakers.np_before(unit.start, len(lead) + unit.start)
            comma = text.rfind(",", unit.start, len(lead) + unit.start)
            aside = speakers.span_tokens(comma + 1, comma + 80)[:1] if comma > unit.start else []
            named_aside = bool(np) and bool(aside) and aside[0].cap and np[0].start == aside[0].start
            named_aside = named_aside or speakers.ends_in_name(np)  # "…, former prime minister X Y, said"
            if comma > unit.start and not named_aside:  # the phrase before the aside ("Putin, speaking at …, said")
                np = speakers.np_before(unit.start, comma) or np
                for _ in range(2):  # "Chung Hye-jin, 91, who …, said": further back past an age
                    if np or comma <= unit.start:
                        break
                    comma = text.rfind(",", unit.start, comma)
                    np = speakers.np_before(unit.start, comma) if comma > unit.start else []
        if not np and (not lead.strip(OPENING) or lead[-1:] in CLOSING + ":—–"):
            np = speakers.np_after(cue.end, unit.end)
            cue.inverted = bool(np)
        if not np and cue.word.endswith("ing") and text[unit.start : cue.start].rstrip().endswith(","):
            cue.speaker = unit.subject(cue.start) or speakers.subject(unit.start, cue.start)  # "X did Y, saying …"
            if cue.speaker is not None:
                return
            np = speakers.np_after(unit.start, cue.start)  # "The spokesperson declined, saying …"
            np = np if np and speakers.is_role(np[-1]) else []
        if not np and _DESCRIBED.search(lead) and cue.kind == "speech":  # '"…," the rubber tapper said.'
            cue.speaker = speakers.described(cue.start)
            return
    if cue.word == "told" or cue.word == "tell" or cue.word == "tells":
        cue.end = _audience_end(text, cue.end, unit.end, speakers)
    if np and np[0].low not in lex.pronouns and not any(t.cap for t in np) and speakers.unnamed_by_wish(cue.start):
        cue.speaker = Speaker("", None, "", np[0].start, np[-1].end, "anonymous")  # "…, who asked not to be named"
        return
    if np:
        cue.speaker = speakers.speaker(np, cue.start)
        if cue.speaker is not None and cue.speaker.how == "resolved" and len(np) == 1:
            speakers.learn_gender(lex.pronouns.get(np[0].low, ""))


def _audience_end(text: str, pos: int, hi: int, speakers: Speakers) -> int:
    """Where "told reporters", "told AFP", "told a news conference" ends."""
    end = pos
    for n, tok in enumerate(speakers.span_tokens(pos, min(hi, pos + 80))):
        if n >= 5 or not (tok.low in speakers.lex.audience or (tok.cap and tok.low not in speakers.lex.pronouns)):
            break
        end = tok.end
    while text[pos:end].split() and text[pos:end].split()[-1].lower() in ("a", "an", "the", "his", "her", "its"):
        end = pos + text[pos:end].rstrip().rfind(" ")
    return end


def quote_suggestion(
    text: str, start: int, end: int, form: str, score: float, rule: str, speaker: Speaker | None, cue: Cue | None
) -> Suggestion:
    """A quote suggestion of text[start:end] with its speaker and cue."""
    return Suggestion(
        kind="quote",
        start=start,
        end=end,
        exact=text[start:end],
        score=score,
        rule=rule,
        speaker=speaker.name if speaker else "",
        speaker_id=speaker.id if speaker else None,
        speaker_type=speaker.type if speaker else "",
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
        form=form,
        cue=text[cue.start : cue.end] if cue else "",
        cue_start=cue.start if cue else None,
        cue_end=cue.end if cue else None,
    )
