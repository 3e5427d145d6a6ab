"""Quotes: direct, partial, multi-paragraph and indirect speech, each with its speaker and cue.

Over the story's scan (`scan.py`), each quotation takes the cue of its unit nearest to it (the first after it when
it opens its sentence), or the speaker of the quotation before it when it goes on without one; indirect speech is
in `indirect.py`."""

from __future__ import annotations

import bisect

from annotations.suggest.context import Context
from annotations.suggest.indirect import indirect_quotes
from annotations.suggest.model import Suggestion
from annotations.suggest.scan import CLOSING, OPENING, Cue, Scan, Unit, quote_suggestion, scan
from annotations.suggest.speakers import Speaker
from stories.quotations import quotation_span
from stories.text import is_word_char

__all__ = ["find_quotes"]


def find_quotes(ctx: Context, mentions: list[Suggestion]) -> list[Suggestion]:
    """The quotes of the story; `mentions` are the actor suggestions, to resolve speakers against."""
    if not ctx.text.strip():
        return []
    sc = scan(ctx, mentions)
    out = _direct_quotes(ctx.text, sc)
    out.extend(indirect_quotes(ctx.text, sc))
    return sorted(out, key=lambda s: (s.start, -s.end))


def _direct_quotes(text: str, sc: Scan) -> list[Suggestion]:
    out: list[Suggestion] = []
    last: tuple[int, Speaker] | None = None  # paragraph and speaker of the last attributed direct quote
    unit_starts = [u.start for u in sc.units]
    for n, unit in enumerate(sc.units):
        lead_in = sc.units[n - 1] if n and text[sc.units[n - 1].end - 1 : sc.units[n - 1].end] == ":" else None
        for opening, closing in unit.pairs:
            span = quotation_span(text, opening, pairs=[(opening, closing)])
            if span is None or not any(is_word_char(c) for c in text[span[0] : span[1]]):
                continue
            start, end = span
            words = len(text[start:end].split())
            before = text[unit.start : opening].strip()
            if before[-1:] in ".!?" and (before[-2:-1].islower() or before[-2:-1] in CLOSING):
                before = ""  # a quotation opening a sentence the splitter did not cut off: '… week. „Wer …“, X said'
            direct = not before or before[-1] in ":,—–-" or before[-1] in CLOSING
            direct = direct and (text[start].isupper() or words >= 6 or not before)
            form = "direct" if direct else "partial"
            cue = _cue_for(unit, opening, closing, bool(before))
            if cue is None and not before and lead_in is not None and lead_in.cues:
                cue = lead_in.cues[-1]  # "Peskov said:" ending the paragraph before
            if cue is None and not before and n + 1 < len(sc.units):
                cue = _cue_of_tail(text, unit, sc.units[n + 1], closing)  # '"… the time?" Kiprono asked.'
            speaker = cue.speaker if cue is not None else None
            rule = f"quote.{form}"
            if cue is not None and speaker is None:
                speaker = unit.subject(cue.start) or unit.subject(unit.end)
            if cue is not None:
                rule += ".inverted" if cue.inverted else ".cue"
                score = _score(form, speaker) - (0.15 if form == "partial" and words == 1 else 0.0)
            elif form == "direct" and not before and last is not None and unit.paragraph - last[0] <= 1:
                speaker, rule, score = last[1], rule + ".continued", 0.75
            elif form == "direct" and before.endswith(":") and (found := sc.speakers.first_person(unit.start, opening)):
                speaker, rule, score = found, rule + ".colon", 0.7  # 'Her husband, Ramón Garza, disagreed: "…"'
            elif words <= 3 or (form == "partial" and words <= 5):
                continue  # scare quotes, titles, nicknames: marks with no cue near
            else:
                rule += ".bare"
                score = 0.45 if form == "direct" else 0.3
            if speaker is not None and speaker.how == "anonymous":
                rule += ".anonymous"
            named = speaker if speaker is not None and speaker.name else None
            if form == "direct" and cue is not None:
                ends_in = sc.units[max(bisect.bisect_right(unit_starts, closing) - 1, 0)].paragraph
                last = (ends_in, named) if named is not None else None
            out.append(quote_suggestion(text, start, end, form, score, rule, named, cue))
    return out


def _cue_for(unit: Unit, opening: int, closing: int, has_before: bool) -> Cue | None:
    """The cue a quotation takes: the first after it when it opens its sentence, else the nearest before it
    (then the first after it)."""
    starts = unit.cue_starts()
    i = bisect.bisect_right(starts, closing)
    after = unit.cues[i] if i < len(starts) else None
    j = bisect.bisect_left(starts, opening)  # a cue starts before the opening mark, so also ends before it
    before = unit.cues[j - 1] if j > 0 else None
    if not has_before:
        return after
    return before or after


def _cue_of_tail(text: str, unit: Unit, following: Unit, closing: int) -> Cue | None:
    """The cue of a short sentence right after a quotation that ends its own sentence with "?" or "!" (the
    sentence splitter cut "… the time?" from "Kiprono asked."), or None."""
    if text[unit.end - 1 : unit.end] not in CLOSING or closing != unit.end - 1 or text[closing - 1] not in "?!":
        return None
    if following.paragraph != unit.paragraph or not following.cues or following.end - following.start > 120:
        return None
    cue = following.cues[0]
    if cue.speaker is None or cue.speaker.how == "anonymous" or cue.start - following.start > 40:
        return None
    if text[following.start].islower() or text[following.start] in OPENING:
        return None
    return cue


def _score(form: str, speaker: Speaker | None) -> float:
    if speaker is None:
        return 0.6 if form == "direct" else 0.5
    if speaker.how == "anonymous":
        return 0.85 if form == "direct" else 0.75
    if speaker.how == "resolved":
        return 0.88 if form == "direct" else 0.8
    return 0.95 if form == "direct" else 0.85
