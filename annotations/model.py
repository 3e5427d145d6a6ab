"""What an annotation is: a tagged span of one story version's canonical text."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

from stories.model import Story
from stories.text import clean_line, clean_text

__all__ = [
    "CARRY_METHODS",
    "CONTEXT",
    "CURATED",
    "FIELDS_OF_KIND",
    "FORMS",
    "KINDS",
    "LINKS",
    "STATUSES",
    "Annotation",
    "AnnotationError",
    "Carried",
    "now_iso",
    "quoted",
    "with_article",
]

#: The annotator name of the curated layer (`annotations.layers`): what a curator settled, the set that gets analysed.
CURATED = "curated"
#: Annotation kinds, in the order the app shows them.
KINDS = ("quote", "actor", "claim")
#: How a quote is reported.
FORMS = ("direct", "indirect", "partial")
#: Where a claim stands.
STATUSES = ("unverified", "supported", "disputed", "false", "opinion")
#: The fields that belong to one kind only (the others are the same for every kind).
FIELDS_OF_KIND = {"quote": ("speaker", "form", "cue"), "actor": ("actor",), "claim": ("claimant", "status")}
#: Fields that link to an actor registry entry (by its id).
LINKS = ("speaker", "actor", "claimant")
#: Characters of context kept on each side of the span.
CONTEXT = 32
#: How a carried annotation was placed on its new version's text (see `annotations.carrying`): by its exact text
#: and context, through a diff of the two texts, by fuzzy matching, or by the analyst reviewing it.
CARRY_METHODS = ("exact", "context", "diff", "fuzzy", "review")


class AnnotationError(ValueError):
    """An annotation that cannot be made or stored; the message is one line, fit for the user."""


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def with_article(word: str) -> str:
    """`word` after "a" or "an" as its first letter asks: "a quote", "an actor", "an organisation"."""
    return ("an " if word[:1].lower() in ("a", "e", "i", "o", "u") else "a ") + word


#: Marks a text may open or close with itself (a quote's span often does): `quoted` adds none beside them.
_OPENING_MARKS, _CLOSING_MARKS = '“„«»"', '”“»«"'


def quoted(text: str, limit: int = 48) -> str:
    """`text` on one line, terminal-safe, in curly quotes (none added to a quotation's own marks), cut to `limit`
    characters."""
    line = clean_line(text)
    cut = len(line) > limit
    line = line[: limit - 1].rstrip() + "…" if cut else line
    if len(line) > 1 and line[0] in _OPENING_MARKS:  # a quotation: its own marks, or ours where it was cut
        if cut:
            return line + "”"
        if line[-1] in _CLOSING_MARKS:
            return line
    return "“" + line + "”"


def _safe_note(text: str) -> str:
    """A note as typed, made terminal-safe (line breaks kept; controls and escape sequences removed)."""
    return clean_text(text).strip()


@dataclass(frozen=True)
class Carried:
    """Where a carried annotation came from: the annotation `origin` of the earlier version `source`, placed by
    `method` with confidence `score` (0 to 1). `was`: its text on the earlier version when the text changed;
    `pending`: waiting for the analyst's review (a changed span)."""

    origin: str
    source: str
    method: str
    score: float
    was: str = ""
    pending: bool = False

    def check(self) -> None:
        if self.method not in CARRY_METHODS:
            raise AnnotationError(f"unknown carry method {self.method!r} (use {', '.join(CARRY_METHODS)})")
        if not 0.0 <= self.score <= 1.0:
            raise AnnotationError(f"a carry score is a number from 0 to 1, not {self.score}")

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _CARRIED_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Carried:
        """A Carried from its dict (as `to_dict` gives it, or read from a file); AnnotationError if it is not one."""
        if not isinstance(data, Mapping):
            raise AnnotationError("an annotation's carried field must be an object")
        types: dict[str, type | tuple[type, ...]] = {"origin": str, "source": str, "method": str, "was": str}
        types |= {"score": (int, float), "pending": bool}
        missing = [k for k in ("origin", "source", "method", "score") if k not in data]
        wrong = [k for k, t in types.items() if k in data and not isinstance(data[k], t)]
        wrong += ["score"] if isinstance(data.get("score"), bool) else []  # True is an int, not a score
        if missing or wrong:
            raise AnnotationError(f"an annotation's carried field lacks or mistypes {', '.join(missing + wrong)}")
        try:
            score = float(data["score"])
        except OverflowError:  # an integer of thousands of digits
            raise AnnotationError("an annotation's carried score is a number from 0 to 1") from None
        made = cls(**{k: data[k] for k in types if k in data and k != "score"}, score=score)
        made.check()
        return made


@dataclass(frozen=True)
class Annotation:
    """A span `[start, end)` (code points, end exclusive) of a story's text, with `exact` its text."""

    id: str
    story_id: str
    kind: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    note: str
    annotator: str
    created: str
    modified: str
    speaker: str | None = None  # quote: the actor who said it (registry id)
    form: str | None = None  # quote: direct | indirect | partial
    cue: str = ""  # quote: the reporting phrase, e.g. "told reporters"
    actor: str | None = None  # actor: the registry entry this mention is of
    claimant: str | None = None  # claim: the actor who makes it (registry id)
    status: str | None = None  # claim: unverified | supported | disputed | false | opinion
    carried: Carried | None = None  # carried from an earlier version of the story (see `annotations.carrying`)

    @classmethod
    def new(cls, story: Story, kind: str, start: int, end: int, *, note: str = "", annotator: str = "") -> Annotation:
        """A fresh annotation of `story.text[start:end]`, with its context."""
        if kind not in KINDS:
            raise AnnotationError(f"unknown kind {kind!r} (use {', '.join(KINDS)})")
        if not (0 <= start < end <= len(story.text)):
            raise AnnotationError(f"span {start}-{end} is outside the story text (0-{len(story.text)})")
        stamp = now_iso()
        return cls(
            id=str(uuid.uuid4()),
            story_id=story.id,
            kind=kind,
            start=start,
            end=end,
            exact=story.text[start:end],
            prefix=story.text[max(0, start - CONTEXT) : start],
            suffix=story.text[end : end + CONTEXT],
            note=_safe_note(note),
            annotator=clean_line(annotator),
            created=stamp,
            modified=stamp,
        )

    def edited(self, **changes: Any) -> Annotation:
        """A copy with `changes` applied and `modified` set to now; a new `kind` drops the old kind's fields."""
        for name, clean in (("note", _safe_note), ("cue", clean_line), ("annotator", clean_line)):
            if isinstance(changes.get(name), str):
                changes[name] = clean(changes[name])
        kind = changes.get("kind", self.kind)
        if kind != self.kind:
            for name in FIELDS_OF_KIND.get(self.kind, ()):
                changes.setdefault(name, "" if name == "cue" else None)
        updated = replace(self, **changes, modified=now_iso())
        updated.check()
        return updated

    def check(self) -> None:
        """Refuse values outside their vocabulary, and kind-specific fields on another kind."""
        if self.kind not in KINDS:
            raise AnnotationError(f"unknown kind {self.kind!r} (use {', '.join(KINDS)})")
        if self.form is not None and self.form not in FORMS:
            raise AnnotationError(f"unknown quote form {self.form!r} (use {', '.join(FORMS)})")
        if self.status is not None and self.status not in STATUSES:
            raise AnnotationError(f"unknown claim status {self.status!r} (use {', '.join(STATUSES)})")
        for kind, names in FIELDS_OF_KIND.items():
            if kind != self.kind and any(getattr(self, n) not in (None, "") for n in names):
                raise AnnotationError(
                    f"{with_article(self.kind)} cannot have {' or '.join(names)}: those belong to {with_article(kind)}"
                )
        if self.carried is not None:
            self.carried.check()

    def links(self) -> dict[str, str]:
        """The registry entries this annotation points to, by field: e.g. {"speaker": "…id…"}."""
        return {name: value for name in LINKS if (value := getattr(self, name))}

    def matches(self, text: str) -> bool:
        """True if this annotation still slices its exact text from `text`."""
        return text[self.start : self.end] == self.exact

    def to_dict(self) -> dict[str, Any]:
        """The annotation as plain values, JSON-ready (`carried` as a dict, and only when it was carried)."""
        data = {name: getattr(self, name) for name in _FIELDS}  # every value is immutable: no deep copy
        if self.carried is None:
            del data["carried"]
        else:
            data["carried"] = self.carried.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Annotation:
        optional = {f.name for f in fields(cls) if f.default is not MISSING}
        names = {f.name for f in fields(cls)}
        missing = names - optional - data.keys()
        if missing:
            raise AnnotationError(f"annotation record lacks {', '.join(sorted(missing))}")
        record = {k: data[k] for k in names if k in data}
        carried = record.pop("carried", None)
        wrong = [
            k
            for k, v in record.items()
            if not (v is None and k in optional) and type(v) is not (int if k in ("start", "end") else str)
        ]
        if wrong:
            raise AnnotationError(f"annotation record has the wrong type of {', '.join(sorted(wrong))}")
        if carried is not None and not isinstance(carried, Carried):
            carried = Carried.from_dict(carried)
        return cls(**record, carried=carried)


_FIELDS = tuple(f.name for f in fields(Annotation))
_CARRIED_FIELDS = tuple(f.name for f in fields(Carried))
