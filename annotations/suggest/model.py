"""What a suggestion is: a span the suggester thinks is a quote, an actor mention or a claim, not yet judged."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotations.actors import fold_name

__all__ = ["Suggestion", "pattern_of"]


def pattern_of(kind: str, exact: str) -> str:
    """The pattern a rejection is remembered by across stories: the kind and the folded text ("actor:kremlin")."""
    return f"{kind}:{fold_name(exact)}"


@dataclass(frozen=True)
class Suggestion:
    """A suggested annotation of `story.text[start:end]` (== `exact`), with what the suggester found around it.

    Names are as the text or the registry gives them; `*_id` is the registry entry a name matched (None: a new
    entry would be made, of the guessed `*_type`). Offsets of a mention (`speaker_start`…) are None when the
    name was not found in the text (a pronoun resolved to an earlier mention keeps that earlier mention's span)."""

    kind: str  # quote | actor | claim
    start: int
    end: int
    exact: str
    score: float  # 0..1: how sure the rule that found it is
    rule: str = ""  # which rule found it ("quote.direct.said-after", "actor.registry", …): for scoring and debugging
    # quote
    speaker: str = ""  # "" = no confident speaker
    speaker_id: str | None = None
    speaker_type: str = ""
    speaker_start: int | None = None
    speaker_end: int | None = None
    form: str | None = None  # direct | indirect | partial
    cue: str = ""  # the reporting phrase as written ("told reporters")
    cue_start: int | None = None
    cue_end: int | None = None
    # actor
    actor: str = ""
    actor_id: str | None = None
    actor_type: str = ""
    # claim
    claimant: str = ""
    claimant_id: str | None = None
    claimant_type: str = ""
    claimant_start: int | None = None
    claimant_end: int | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, int, int]:
        """(kind, start, end): what a rejection in this story is remembered by."""
        return (self.kind, self.start, self.end)

    @property
    def pattern(self) -> str:
        return pattern_of(self.kind, self.exact)
