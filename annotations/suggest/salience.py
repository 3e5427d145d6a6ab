"""Salience: who a pronoun, a role or a document refers to. The actors named so far and the speakers found so far,
sentence by sentence back from the reference; the base of the speaker resolver (`speakers.py`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from annotations.actors import fold_name
from annotations.suggest.context import Context
from annotations.suggest.phrases import Phrases

__all__ = ["PRONOUN_REACH", "Entity", "Salience", "Speaker"]

#: A speaker who asked not to be named.
_ANONYMITY = re.compile(
    r"anonymity|not authori[sz]ed to|not to be (?:named|identified)|declined to be (?:named|identified)"
)
#: How far back a pronoun looks for its speaker (characters).
PRONOUN_REACH = 1500


@dataclass(frozen=True)
class Speaker:
    """Who speaks: a name as the text gives it (fullest form known), its registry entry, guessed type, the span of
    the mention it was found at, and how it was found: "named" in the sentence, "resolved" from a pronoun, role,
    surname or document, or "anonymous" (an unnamed official: name "")."""

    name: str
    id: str | None
    type: str
    start: int | None
    end: int | None
    how: str
    roles: frozenset[str] = frozenset()


@dataclass
class Entity:
    """An actor named in the story, or a speaker found: name, type, span, roles, gender and registry entry."""

    name: str
    type: str
    start: int
    end: int
    roles: set[str] = field(default_factory=set)
    gender: str = ""  # m | f | ""
    id: str | None = None


class Salience(Phrases):
    """The story's actors and speakers in text order, and the rules that pick one of them for a reference."""

    ctx: Context
    entities: list[Entity]
    _entity_starts: list[int]
    spoken: list[tuple[int, Entity]]  # (offset of the cue, entity) for every speaker found
    _spoken_at: list[int]
    _by_part: dict[str, list[tuple[int, Entity]]]
    _gender: dict[str, str]
    _genders: dict[str, str]
    _voices: set[str]
    unit_starts: list[int]
    quoted: Callable[[int], bool]

    def _entity_of(self, found: Speaker) -> Entity:
        entity = Entity(found.name, found.type, found.start or 0, found.end or 0, set(found.roles))
        entity.id = found.id
        for earlier in reversed(self.spoken[-50:]):
            if earlier[1].name == found.name and earlier[1].gender:
                entity.gender = earlier[1].gender
                break
        else:
            entity.gender = "f" if found.roles & self.lex.female else "m" if found.roles & self.lex.male else ""
            entity.gender = self._genders.get(found.name, entity.gender)
        return entity

    def unnamed_by_wish(self, at: int) -> bool:
        """True if the sentence at `at` says its speaker asked not to be named ("on condition of anonymity")."""
        u = bisect.bisect_right(self.unit_starts, at) - 1
        lo = self.unit_starts[u] if u >= 0 else max(0, at - 300)
        hi = self.unit_starts[u + 1] if 0 <= u + 1 < len(self.unit_starts) else min(len(self.text), at + 300)
        return _ANONYMITY.search(self.text, lo, hi) is not None

    def _introduced(self, head: str, at: int) -> bool:
        """True if an unnamed one of `head` was introduced before `at` ("a diplomat", "an official")."""
        lo = max(0, at - PRONOUN_REACH)
        intro = rf"\b(?:an?|one|another|two|three|several)\s+(?:[\w-]+\s+){{0,3}}{re.escape(head)}s?\b"
        return re.search(intro, self.text[lo:at], re.I) is not None

    def _fuller_name(self, name: str, at: int) -> Entity | None:
        """The fullest person named before `at` whose name holds the words of `name` (two or more) in a row
        ("Ahmad Rizal" -> "Ahmad Rizal Yusof"), or None."""
        parts = fold_name(name).split()
        if len(parts) < 2:
            return None
        best: Entity | None = None
        n = len(parts)
        for pos, entity in self._by_part.get(parts[0], ()):
            if pos >= at or entity.type not in ("person", "other"):
                continue
            words = fold_name(entity.name).split()
            inside = len(words) > n and any(words[k : k + n] == parts for k in range(len(words) - n + 1))
            if inside and (best is None or len(entity.name) > len(best.name)):
                best = entity
        return best

    def _fuller(self, surname: str, at: int) -> Entity | None:
        """The earlier name `surname` is short for: the fullest ending in it (a person's surname), else the first
        named that begins with it ("Hanbit" for the company named first, not a union named after it later)."""
        word = fold_name(surname)
        best: Entity | None = None
        first: Entity | None = None
        other: Entity | None = None
        for pos, entity in self._by_part.get(word, ()):
            if pos >= at:
                continue
            parts = fold_name(entity.name).split()
            if parts[-1] == word:
                if best is None or len(entity.name) > len(best.name):
                    best = entity
            elif parts[0] == word:
                if first is None or entity.start < first.start:
                    first = entity
            elif other is None or len(entity.name) > len(other.name):
                other = entity
        return best or first or other

    def _pronoun(self, code: str, at: int) -> Speaker | None:
        if code == "s":
            return None
        if code in ("m", "f") and self.unit_starts:
            salient = self._salient(code, at)
            if salient is not None:
                return Speaker(
                    salient.name, salient.id, salient.type, salient.start, salient.end, "resolved",
                    frozenset(salient.roles),
                )  # fmt: skip
        if code in ("m", "f"):  # an actor known to be of that gender first, else one of unknown gender
            known = self._latest(at, lambda e: e.type in ("person", "other") and e.gender == code, spoken_only=False)
            if known is not None:
                return known
            return self._latest(at, lambda e: e.type in ("person", "other") and not e.gender, spoken_only=False)
        if code == "o":
            return self._latest(at, lambda e: e.type in ("organisation", "government", "country"), spoken_only=True)
        return self._latest(at, lambda e: e.type in ("organisation", "government", "group"), spoken_only=True)

    def _latest(self, at: int, fits: object, *, spoken_only: bool) -> Speaker | None:
        """The most recent earlier speaker that `fits`, else (unless `spoken_only`) the most recent named actor."""
        assert callable(fits)
        best: Entity | None = None
        for pos, entity in reversed(self.spoken):
            if at - pos > PRONOUN_REACH:
                break
            if pos < at and fits(entity):
                best = entity
                break
        if best is None and not spoken_only:
            i = bisect.bisect_left(self._entity_starts, at) - 1
            while i >= 0 and at - self.entities[i].start <= PRONOUN_REACH * 2:
                if fits(self.entities[i]):
                    best = self.entities[i]
                    break
                i -= 1
        if best is None and spoken_only:
            for n, (pos, entity) in enumerate(reversed(self.spoken)):
                if n > 50:
                    break
                if pos < at and fits(entity):
                    best = entity
                    break
        if best is None:
            return None
        return Speaker(best.name, best.id, best.type, best.start, best.end, "resolved", frozenset(best.roles))

    def _author(self, document: str, at: int) -> Speaker | None:
        """Who wrote "the statement" at `at`: the speaker of the latest earlier sentence naming a statement ("X
        said in a statement"), else the body named after "by" there or first in that sentence, or None."""
        lo = max(0, at - PRONOUN_REACH)
        for m in reversed(list(re.finditer(rf"\b{re.escape(document)}\b", self.text[lo:at], re.IGNORECASE))):
            pos = lo + m.start()
            if self.quoted(pos):
                continue
            u = bisect.bisect_right(self.unit_starts, pos) - 1
            start = self.unit_starts[u] if u >= 0 else 0
            if start <= at <= pos + len(document) + 2:
                continue
            end = self.unit_starts[u + 1] if u + 1 < len(self.unit_starts) else len(self.text)
            k = bisect.bisect_left(self._spoken_at, start)
            while k < len(self.spoken) and self._spoken_at[k] < end:
                entity = self.spoken[k][1]
                if entity.name:
                    return Speaker(entity.name, entity.id, entity.type, entity.start, entity.end, "resolved")
                k += 1
            by = self.text.find(" by ", pos, pos + 40)
            i = bisect.bisect_left(self._entity_starts, by if by > 0 else start)
            if i < len(self.entities) and self.entities[i].start < end:
                e = self.entities[i]
                return Speaker(e.name, e.id, e.type, e.start, e.end, "resolved")
            return None
        return None

    def subject(self, lo: int, hi: int) -> Speaker | None:
        """The actor opening the sentence from `lo` (after at most a few title words), before `hi`, or None."""
        toks = self.span_tokens(lo, min(hi, lo + 80))
        first_low = next((t.start for t in toks if not t.cap), hi)
        i = bisect.bisect_left(self._entity_starts, first_low) - 1  # the head of the subject: the last name
        if i >= 0 and lo <= self.entities[i].start and self.entities[i].end <= first_low:
            e = self.entities[i]
            if e.type in ("person", "organisation", "government", "group"):
                found = Speaker(e.name, e.id, e.type, e.start, e.end, "named", frozenset(e.roles))
                self.spoken.append((hi, self._entity_of(found)))
                self._spoken_at.append(hi)
                return found
        return None

    def first_person(self, lo: int, hi: int) -> Speaker | None:
        """The first person named in text[lo:hi] outside quotation marks (the subject of a sentence whose verb
        is no cue: 'X disagreed: "…"'), or None."""
        i = bisect.bisect_left(self._entity_starts, lo)
        while i < len(self.entities) and self.entities[i].start < hi:
            e = self.entities[i]
            if e.type == "person" and not self.quoted(e.start):
                return Speaker(e.name, e.id, e.type, e.start, e.end, "named", frozenset(e.roles))
            i += 1
        return None

    def described(self, at: int) -> Speaker | None:
        """The person "the minister", "the rubber tapper" at `at` refers to when no one was given that role: the
        person a pronoun of unknown gender would be (see `_salient`), or None."""
        found = self._salient("", at) if self.unit_starts else None
        if found is None:
            return None
        return Speaker(found.name, found.id, found.type, found.start, found.end, "resolved", frozenset(found.roles))

    def _salient(self, code: str, at: int, *, body: bool = False) -> Entity | None:
        """Who "he"/"she" (`code`; "" for either) at `at` most likely is, or with `body` which organisation "the
        company" is: first a speaker earlier in the pronoun's own sentence ("X said he had asked"), then sentence by
        sentence back, the speakers there, then the others named there (outside quotation marks); in the first
        sentence with any of compatible gender, the first known to be of that gender, else the first of unknown
        gender. None when no sentence within reach has one."""
        u = bisect.bisect_right(self.unit_starts, at) - 1
        hi = at
        own = True
        while u >= 0:
            lo = self.unit_starts[u]
            if at - lo > PRONOUN_REACH:
                break
            found: list[tuple[int, Entity]] = []
            if not own:
                i = bisect.bisect_left(self._entity_starts, lo)
                while i < len(self.entities) and self.entities[i].start < hi:
                    found.append((self.entities[i].start, self.entities[i]))
                    i += 1
            k = bisect.bisect_left(self._spoken_at, lo)
            spoken: list[Entity] = []
            while k < len(self.spoken) and self._spoken_at[k] < hi:
                found.append(self.spoken[k])
                spoken.append(self.spoken[k][1])
                k += 1
            found.sort(key=lambda pair: (all(pair[1] is not e for e in spoken), pair[0]))  # speakers first
            unknown: Entity | None = None
            for pos, entity in found:
                said = any(entity is e for e in spoken)
                voice = not body and entity.name in self._voices and said
                # in its own sentence, "the company" is whoever spoke there unless known to be a person
                voice = voice or (body and own and said and not entity.roles and not entity.gender)
                if self.quoted(pos) or not (
                    voice or (self._bodylike(entity) if body else self._personlike(entity, at))
                ):
                    continue
                gender = "" if body else self._gender.get(entity.name) or entity.gender
                if gender == code or not code:
                    return entity
                if not gender and unknown is None:
                    unknown = entity
            if unknown is not None:
                return unknown
            own = False
            hi = lo
            u -= 1
        return None

    def _personlike(self, entity: Entity, at: int) -> bool:
        """True if `entity` may be a person: typed so, or a name of two to four words with no head word."""
        if entity.type == "person":
            return True
        words = entity.name.split()
        if entity.type == "other":
            return len(words) > 1 or self._fuller(entity.name, at) is not None
        if entity.type != "organisation" or not 2 <= len(words) <= 4 or entity.name.isupper():
            return False
        lex = self.lex
        return not any(w.lower() in lex.organisation or w.lower() in lex.government for w in words)

    def _bodylike(self, entity: Entity) -> bool:
        """True if `entity` may be the organisation "the company" or "the state corporation" refers to."""
        return entity.type in ("organisation", "government", "group")

    def learn_gender(self, code: str) -> None:
        """A pronoun of `code` (m/f) was resolved to the last speaker: it is of that gender from now on."""
        if code in ("m", "f") and self.spoken:
            self.spoken[-1][1].gender = code
            self._gender.setdefault(self.spoken[-1][1].name, code)
