"""What a suggestion is: a span the suggester thinks is a quote, an actor mention or a claim, not yet judged."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, TypeVar

from annotations.actors import fold_name

__all__ = ["Suggestion", "pattern_of"]

_T = TypeVar("_T")


def _init_in_one_step(cls: type[_T]) -> type[_T]:
    """`cls` (a frozen dataclass) with an `__init__` of the same signature, defaults and default factories that
    sets the instance's `__dict__` in one step, to a dict display of the fields. The generated one stores each
    field through `object.__setattr__` (frozen): for a `Suggestion`, 26 calls, some 5 % of the suggester's time.
    The function is compiled from source as `dataclasses` does it (a signature Python checks, at C speed)."""
    params, stores = [], []
    namespace: dict[str, Any] = {"MISSING": MISSING, "setattr": object.__setattr__}
    for f in fields(cls):  # type: ignore[arg-type]  # cls is a dataclass (checked by fields at run time)
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
            stores.append(f"{f.name!r}: {f.name}")
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=MISSING")
            stores.append(f"{f.name!r}: _factory_{f.name}() if {f.name} is MISSING else {f.name}")
        else:
            params.append(f.name)
            stores.append(f"{f.name!r}: {f.name}")
    body = f"setattr(self, '__dict__', {{{', '.join(stores)}}})"
    exec(f"def __init__(self, {', '.join(params)}):\n    {body}\n", namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010 - mypy keeps the dataclass's signature (the same)
    return cls


def pattern_of(kind: str, exact: str) -> str:
    """The pattern a rejection is remembered by across stories: the kind and the folded text ("actor:kremlin")."""
    return f"{kind}:{fold_name(exact)}"


@_init_in_one_step
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
