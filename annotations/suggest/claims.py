"""Claims: what indirect speech and attributed assertions state, with their claimant. The content of every
indirect quote is a claim of its speaker; so is what follows an accusation ("accused X of …", "blamed X for …").
A claim's status ("unverified") is implied."""

from __future__ import annotations

import re

from annotations.suggest.context import Context
from annotations.suggest.indirect import _coordinated, _trimmed
from annotations.suggest.model import Suggestion
from annotations.suggest.scan import scan

__all__ = ["find_claims"]

#: An accusation names what the accused did: "of …", "for …", "over …", or a clause with "that".
_CHARGE = re.compile(r"\s(?:of|for|over|that)\s", re.IGNORECASE)


def find_claims(ctx: Context, quotes: list[Suggestion], mentions: list[Suggestion]) -> list[Suggestion]:
    """The claims of the story, given its quote and actor suggestions."""
    if not ctx.text.strip():
        return []
    out = [_from_quote(q) for q in quotes if q.kind == "quote" and q.form == "indirect"]
    seen = {(c.start, c.end) for c in out}
    text, sc = ctx.text, scan(ctx, mentions)
    for unit in sc.units:
        for cue in unit.cues:
            if cue.kind != "claim":
                continue
            claimant = cue.speaker
            if claimant is None and (cue.word.endswith("ing") or _coordinated(text, unit, cue)):
                claimant = unit.subject(cue.start)
            span = _trimmed(text, sc, cue.end, unit.end, "claim.accusation")
            if span is None or (span[0], span[1]) in seen or not _CHARGE.search(text, span[0], span[1]):
                continue
            start, end, rule = span
            named = claimant is not None and bool(claimant.name)
            out.append(
                Suggestion(
                    kind="claim",
                    start=start,
                    end=end,
                    exact=text[start:end],
                    score=0.65 if named else 0.4,
                    rule=rule,
                    cue=text[cue.start : cue.end],
                    cue_start=cue.start,
                    cue_end=cue.end,
                    claimant=claimant.name if claimant and named else "",
                    claimant_id=claimant.id if claimant and named else None,
                    claimant_type=claimant.type if claimant and named else "",
                    claimant_start=claimant.start if claimant and named else None,
                    claimant_end=claimant.end if claimant and named else None,
                )
            )
            seen.add((start, end))
    return sorted(out, key=lambda s: (s.start, -s.end))


def _from_quote(quote: Suggestion) -> Suggestion:
    return Suggestion(
        kind="claim",
        start=quote.start,
        end=quote.end,
        exact=quote.exact,
        score=round(max(quote.score - 0.1, 0.1), 2),
        rule="claim.indirect",
        cue=quote.cue,
        cue_start=quote.cue_start,
        cue_end=quote.cue_end,
        claimant=quote.speaker,
        claimant_id=quote.speaker_id,
        claimant_type=quote.speaker_type,
        claimant_start=quote.speaker_start,
        claimant_end=quote.speaker_end,
    )
