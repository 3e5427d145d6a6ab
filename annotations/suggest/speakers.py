"""Speakers: who a reporting cue belongs to. The noun phrase next to the cue, made into a name ("US President
Donald Trump" -> Donald Trump), or a pronoun, a role ("the minister") or a document ("the statement") resolved to
the most recent compatible actor earlier in the story; names matched to registry entries by name or alias."""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Callable

from annotations.actors import ACTOR_TYPES, fold_name
from annotations.registry import Registry
from annotations.suggest.context import Context
from annotations.suggest.lexicon import Lexicon, lexicon
from annotations.suggest.model import Suggestion
from annotations.suggest.names import TITLE_SURNAMES, classify, is_title
from annotations.suggest.phrases import CONNECTORS, DETERMINERS, LEADERS, Tok, possessive
from annotations.suggest.salience import PRONOUN_REACH, Entity, Salience, Speaker

__all__ = ["Speaker", "Speakers", "guess_type"]

#: The roles "the leader" may refer to.
_LEADERSHIP = frozenset("president prime premier chancellor king queen emir sultan chairman chairwoman head".split())
#: Roles of people who speak for a body: "a Fjordlink spokesman" speaks for Fjordlink.
_VOICES = frozenset("spokesman spokeswoman spokesperson".split())
#: Bodies "the company" or "a company spokesman" refers back to (not "police": that is any police force).
_BODIES = frozenset("company firm corporation group bank ministry agency union embassy party carrier airline".split())


_REGISTRY_NAMES: weakref.WeakKeyDictionary[Registry, dict[str, tuple[str, str, str]]] = weakref.WeakKeyDictionary()


def _registry_names(registry: Registry) -> dict[str, tuple[str, str, str]]:
    """Folded name or alias -> (id, name, type) of the registry's entries in use, built once per registry."""
    names = _REGISTRY_NAMES.get(registry)
    if names is None:
        names = {}
        for actor in registry.actors:
            for name in (actor.name, *actor.aliases):
                names.setdefault(fold_name(name), (actor.id, actor.name, actor.type))
        _REGISTRY_NAMES[registry] = names
    return names


class Speakers(Salience):
    """The speaker resolver of one story: the actors named so far (from a first pass over the text and from the
    actor `mentions`), and the speakers found so far, in text order."""

    def __init__(self, ctx: Context, mentions: list[Suggestion]) -> None:
        super().__init__(ctx.text, lexicon())
        self.ctx = ctx
        self.names = _registry_names(ctx.registry)
        self.mentions = sorted((m for m in mentions if m.kind == "actor"), key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]
        self.entities: list[Entity] = []
        self.spoken: list[tuple[int, Entity]] = []  # (offset of the cue, entity) for every speaker found
        self._by_part: dict[str, list[tuple[int, Entity]]] = {}  # folded name word -> (offset, entity), in order
        self._spoken_at: list[int] = []  # the offsets of `spoken`
        self._gender: dict[str, str] = {}  # name -> m | f, as learned from pronouns and titles
        self._voices: set[str] = set()  # bodies that spoke through a spokesperson: "he said" may be one of them
        self._last_voice: Speaker | None = None  # the body the last unnamed spokesperson spoke for
        self.unit_starts: list[int] = []  # where the story's sentences (units) start
        self.quoted: Callable[[int], bool] = lambda pos: False  # True inside quotation marks
        self._scan()

    def set_layout(self, unit_starts: list[int], quoted: Callable[[int], bool]) -> None:
        """The sentences of the story and its quotations: a pronoun looks back sentence by sentence."""
        self.unit_starts = unit_starts
        self.quoted = quoted

    # --- the first pass: who is named where ----------------------------------------------------------------

    def _scan(self) -> None:
        """Title + name ("Deputy Agriculture Minister Yelena Orlova") and capitalised organisation names ("Russian
        Embassy in Caracas", "Ministry of Foreign Affairs"), in one pass over the tokens."""
        lex, toks = self.lex, self.toks
        titles, organisation = lex.person_titles, lex.organisation
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            low = tok.low
            if not tok.cap and low not in titles and "-" not in low and "." not in low:
                i += 1  # most words: neither a title (see `_title`) nor a capitalised head word
                continue
            if self._title(low) and tok.text[0].isalpha():
                j = i + 1
                while j < n and j - i <= 7 and toks[j].cap and self._joins(toks[j - 1], toks[j]):
                    j += 1
                run = toks[i:j]
                roles = {t.low.rstrip(".") for t in run if self._title(t.low)}
                name = run[1:]
                # the rest of the title: "Operating Officer" after "Chief" (a title's words as names.TITLES has them)
                while name and (self._title(name[0].low) or name[0].low in lex.organisation or is_title(name[0].text)):
                    name = name[1:]
                if name and not any(t.low in lex.organisation or possessive(t) for t in name):
                    self._add(self._joined(name), "person", name[0].start, name[-1].end, roles)
                    i = j
                    continue
            elif tok.cap and low in organisation:
                first = i
                while first > 0 and i - first < 4 and toks[first - 1].cap and self._joins(toks[first - 1], toks[first]):
                    first -= 1
                last = i
                if i + 2 < n and toks[i + 1].low in ("of", "for", "in", "on") and self._joins(tok, toks[i + 1]):
                    k = i + 2
                    if toks[k].low == "the" and k + 1 < n:
                        k += 1
                    while k < n and k - i <= 6 and toks[k].cap and self._joins(toks[k - 1], toks[k]):
                        last = k
                        k += 1
                run = toks[first : last + 1]
                while run and (run[0].low in DETERMINERS | LEADERS or (possessive(run[0]) and len(run) > 2)):
                    run = run[1:]
                if run:
                    type_ = "government" if any(t.low in lex.government for t in run) else "organisation"
                    heads = {t.low for t in run if t.low in lex.organisation}
                    self._add(self._joined(run), type_, run[0].start, run[-1].end, heads)
                i = last + 1
                continue
            i += 1
        for mention in self.mentions:
            actor_name = self.bare(mention.actor or mention.exact)
            self._add(actor_name, mention.actor_type or "other", mention.start, mention.end, set())
            self.entities[-1].id = mention.actor_id
        self.entities.sort(key=lambda e: e.start)
        self._entity_starts = [e.start for e in self.entities]
        for entity in self.entities:
            self._index(entity, entity.start)
        self._genders = {e.name: e.gender for e in self.entities if e.gender}
        self._gender.update(self._genders)

    def _index(self, entity: Entity, at: int) -> None:
        parts = fold_name(entity.name).split()
        if len(parts) > 1:
            for part in parts:
                self._by_part.setdefault(part, []).append((at, entity))

    def _add(self, name: str, type_: str, start: int, end: int, roles: set[str]) -> Entity:
        gender = "f" if roles & self.lex.female else "m" if roles & self.lex.male else ""
        entity = Entity(name, type_, start, end, roles, gender)
        self.entities.append(entity)
        return entity

    # --- a noun phrase made into a speaker -----------------------------------------------------------------

    def speaker(self, np: list[Tok], at: int) -> Speaker | None:
        """The speaker `np` (found at offset `at`) names or refers to, or None; remembered for later pronouns."""
        found = self._speaker(np, at)
        if found is not None and found.name:
            entity = self._entity_of(found)
            self.spoken.append((at, entity))
            self._spoken_at.append(at)
            self._index(entity, at)
        return found

    def _speaker(self, np: list[Tok], at: int) -> Speaker | None:
        lex = self.lex
        words = [t for t in np if t.low not in DETERMINERS]
        if not words:
            return None
        lows = [t.low for t in words]
        if len(words) == 1 and lows[0] in lex.pronouns:
            return self._pronoun(lex.pronouns[lows[0]], at)
        indefinite = np[0].low in ("a", "an")
        cut = next(
            (k for k in range(len(words) - 2) if words[k].low in self._unnamed and words[k + 1].low in CONNECTORS),
            None,
        )
        if cut is not None and (words[cut].low in lex.anonymous or not words[cut].cap):  # "a diplomat in Moscow"
            tail = [t for t in words[cut + 2 :] if t.low not in DETERMINERS]
            by = self._speaker(tail, at) if words[cut + 1].low in ("for", "of", "at") and tail else None
            if by is not None and by.type in ("organisation", "government", "group") and not self.unnamed_by_wish(at):
                return self._voice(by, set()) if words[cut].low in _VOICES else by
            return Speaker("", None, "", words[0].start, words[cut].end, "anonymous")
        caps = [t for t in words if t.cap]
        head = lows[-1]
        unnamed = not caps or all(t.low in self._unnamed for t in caps)
        body = words[:-1] if head in _VOICES and len(words) > 1 and all(t.cap for t in words[:-1]) else []
        body = body if np[0].low != "the" else []  # "the Kremlin spokesman": the person named so before
        if body and any(t.low in lex.organisation for t in body):  # "a Trade Ministry spokeswoman": the ministry
            while body and possessive(body[0]):
                body = body[1:]
            if body:
                org_type = "government" if any(t.low in lex.government for t in body) else "organisation"
                return self._voice(self._named(body, org_type, at, set()), set())
        if unnamed and head in _VOICES and len(words) > 1 and lows[-2] in _BODIES and self.unit_starts:
            org = self._salient("", at, body=True)  # "a company spokesperson": the company just named
            if org is not None:
                return self._voice(Speaker(org.name, org.id, org.type, org.start, org.end, "resolved"), set())
        if unnamed and (head in lex.anonymous or indefinite):
            if np[0].low == "the" and head in lex.person_titles:  # "the diplomat": one named so before?
                found = self._latest(at, lambda e: e.type == "person" and head in e.roles, spoken_only=False)
                if found is not None:
                    return found
                if not self._introduced(head, at):  # no "a diplomat" before: the person just named
                    found = self.described(at)
                    if found is not None:
                        return found
            return Speaker("", None, "", words[0].start, words[-1].end, "anonymous")
        if head in lex.document:
            owner = [t for t in words[:-1] if t.cap]
            if owner:
                return self._named(owner, "organisation", at, set())
            author = self._author(head, at) if np[0].low == "the" else None
            if author is not None:
                return author
            return self._latest(at, lambda e: e.type in ("organisation", "government", "country"), spoken_only=False)
        if head in lex.group and not caps:
            return Speaker(
                self.text[words[0].start : words[-1].end], None, "group", words[0].start, words[-1].end, "named"
            )
        if head in ("service", "office"):  # "the court's press service"
            i = bisect.bisect_left(self._tok_starts, words[-1].start)
            preceding = [t.low for t in self.toks[max(0, i - 3) : i]]
            if preceding and preceding[-1] == "press":
                return self._press(preceding[:-1], at)
        org_at = next((i for i, w in enumerate(lows) if w in lex.organisation), None)
        person = self._person_of_body(words)
        if person is not None:  # "Tomas Herrera of the National Fisheries Institute"
            words, lows, org_at = person, [t.low for t in person], None
        if org_at is not None and (org_at == len(words) - 1 or words[org_at + 1].low in CONNECTORS):
            if caps and caps[-1].low.endswith("-based") and not words[-1].cap:
                caps = []  # "the New York-based group": described, not named
                words = [t for t in words if not t.cap and not t.low.endswith("-based")]
            if not caps:
                heads = {head}
                found = self._latest(at, lambda e: bool(heads & e.roles) or head in e.name.lower(), spoken_only=False)
                if found is None and self._definite(np) and len(words) <= 2 and head not in lex.government:
                    org = self._salient("", at, body=True) if self.unit_starts else None  # "the company"
                    if org is not None:
                        return Speaker(org.name, org.id, org.type, org.start, org.end, "resolved")
                if found is None and len(words) > 1:  # "the regional governor's office": described, not named
                    start, end = words[0].start, words[-1].end
                    return Speaker(self.text[start:end], None, "organisation", start, end, "named")
                return found
            type_ = "government" if any(w in lex.government for w in lows) else "organisation"
            if possessive(words[0]) and any(t.cap for t in words[1:]):
                words = words[1:]  # "China's Ministry of Commerce"
            return self._named(words, type_, at, {w for w in lows if w in lex.organisation})
        name: list[Tok] = []
        surname = self._title_surname(words)
        for tok in reversed(words):
            bare = tok.low.rstrip(".")
            is_name = (tok.cap and not self._title(bare) and tok.low not in lex.organisation) or tok is surname
            if (is_name and not possessive(tok)) or (tok.low in CONNECTORS and name):
                name.append(tok)
            else:
                break
        while name and name[-1].low in CONNECTORS:
            name.pop()
        name.reverse()
        roles = {t.low.rstrip(".") for t in words if self._title(t.low) and t is not surname}
        k = len(words) - len(name)
        before = bisect.bisect_left(self._tok_starts, name[0].start) - 1 if name else -1
        after_and = k == 0 and before >= 0 and self.toks[before].low in ("and", "&")  # "of Works and Housing X Y"
        portfolio = k > 0 and (self._title(words[k - 1].low) or words[k - 1].low in ("of", "for"))
        joins = ("of", "for", "and", "&")
        portfolio = (portfolio and any(t.low in joins for t in (*words[:k], *name))) or after_and
        if len(name) > 2 and portfolio:
            name = name[-2:]  # "Minister of Works and Housing Grace Atuhaire": the portfolio is no part of the name
        if not name:
            if roles and (not caps or np[0].low == "the"):  # "the minister", "the Venezuelan leader"
                wanted = roles | (_LEADERSHIP if roles & {"leader", "head"} else set())
                found = self._latest(at, lambda e: e.type == "person" and bool(wanted & e.roles), spoken_only=False)
                if found is None and np[0].low == "the":
                    role = words[-1].low.rstrip(".")
                    if role in _VOICES and self._last_voice is not None:  # "the spokesperson" for the body before
                        return self._last_voice
                    if self._introduced(role, at):  # "a senior executive, who asked not to be named … the executive"
                        return Speaker("", None, "", words[0].start, words[-1].end, "anonymous")
                    return self.described(at)
                return found or self._ahead(words, at)
            if head in _VOICES and caps and np[0].low in ("a", "an"):  # "a Fjordlink spokesman"
                return self._voice(self._named(caps, "organisation", at, set()), roles)
            if head in _VOICES and len(words) > 1 and lows[-2] in _BODIES and self.unit_starts:
                org = self._salient("", at, body=True)  # "a company spokesperson"
                if org is not None:
                    return self._voice(Speaker(org.name, org.id, org.type, org.start, org.end, "resolved"), roles)
            ahead = self._ahead(words, at) if roles else None
            if ahead is not None:
                return ahead
            if roles:  # "Kremlin spokesman" with no name
                return Speaker("", None, "", words[0].start, words[-1].end, "anonymous")
            return None
        return self._named(name, "person" if roles or len(name) > 1 else "", at, roles)

    def _title_surname(self, words: list[Tok]) -> Tok | None:
        """The last word when it is a title word used as a surname after a given name ("Tomas King"; not
        "Kestovan President" or "Foreign Minister"), else None."""
        if len(words) < 2 or words[-1].text not in TITLE_SURNAMES:
            return None
        given = words[-2]
        if not given.cap or self._title(given.low) or given.low in self.lex.organisation or possessive(given):
            return None
        return words[-1] if classify([given.text, words[-1].text])[0] == "person" else None

    def ends_in_name(self, np: list[Tok]) -> bool:
        """True if the phrase ends in a person's name: two capitalised words, no title or head word."""
        lex = self.lex
        tail = np[-2:]
        return (
            len(tail) == 2
            and all(
                t.cap and not self._title(t.low) and t.low not in lex.organisation and t.low not in lex.government
                for t in tail
            )
            and any(self._title(t.low) for t in np[:-2])
        )

    def _definite(self, np: list[Tok]) -> bool:
        """True if the phrase opens with "the", or "the" comes just before it ("the state corporation")."""
        if np[0].low == "the":
            return True
        i = bisect.bisect_left(self._tok_starts, np[0].start) - 1
        for _ in range(2):
            if i < 0 or self.toks[i].cap or not self.toks[i].text.isalpha():
                return False
            if self.toks[i].low == "the":
                return True
            if self.toks[i].low in ("a", "an"):
                return False
            i -= 1
        return False

    def _press(self, owner: list[str], at: int) -> Speaker | None:
        """Whom a press service speaks for: the body it belongs to ("the court's"), else the body the last press
        service or spokesperson spoke for."""
        if owner and owner[-1].endswith(("'s", "’s")):
            word = owner[-1][:-2]
            found = self._latest(
                at, lambda e: e.type != "person" and (word in e.roles or word in e.name.lower()), spoken_only=False
            )
            if found is not None:
                return self._voice(found, set())
        return self._last_voice

    def _voice(self, body: Speaker, roles: set[str]) -> Speaker:
        """`body` as the speaker its spokesperson (`roles`) speaks for: a later "he said" or "the spokesperson
        said" is the body too."""
        self._voices.add(body.name)
        self._last_voice = body
        return body

    def _person_of_body(self, words: list[Tok]) -> list[Tok] | None:
        """The words before "of"/"at" when they end in a person's name (two or more capitalised words that are
        no title or head word) and a body follows ("Analyst X Y of the Z Institute"), else None."""
        cut = next((k for k, t in enumerate(words) if t.low in ("of", "at", "from")), None)
        if cut is None or cut < 2:
            return None
        lex = self.lex
        name = 0
        for t in reversed(words[:cut]):
            if not t.cap or self._title(t.low) or t.low in lex.organisation or t.low in lex.government:
                break
            name += 1
        titled = self._title(words[0].low.rstrip("."))
        if name < 2 or not (titled or any(t.low in lex.organisation for t in words[cut + 1 :])):
            return None
        return words[:cut]

    def _ahead(self, words: list[Tok], at: int) -> Speaker | None:
        """In the headline and first paragraphs, a role with no name ("says Maritime Minister") is the first person
        given that role further on, or None."""
        paragraphs = self.ctx.paragraphs
        if len(paragraphs) < 4 or at >= paragraphs[2][0]:
            return None
        head = next((t.low.rstrip(".") for t in reversed(words) if self._title(t.low)), "")
        if not head:
            return None
        i = bisect.bisect_right(self._entity_starts, at)
        while i < len(self.entities) and self.entities[i].start - at < PRONOUN_REACH * 2:
            e = self.entities[i]
            if e.type == "person" and head in e.roles:
                return Speaker(e.name, e.id, e.type, e.start, e.end, "resolved", frozenset(e.roles))
            i += 1
        return None

    def _named(self, name: list[Tok], type_: str, at: int, roles: set[str]) -> Speaker:
        start, end = name[0].start, name[-1].end
        text = self.text[start:end]
        how = "named"
        mention = self._mention(start, end)
        if mention is not None:
            known = self.bare(mention.actor or text)
            if mention.actor_id and len(name) == 1 and mention.actor_type in ("person", "other"):
                own = self._fuller(text, at)  # "Oduya" after "Marcus Oduya": not another story's Oduya
                if own is not None and own.id is None and len(own.name.split()) > 1:
                    return Speaker(own.name, None, own.type, start, end, how, frozenset(roles | own.roles))
            fuller = self._fuller_name(known, at) if mention.actor_type in ("person", "other", None, "") else None
            if len(name) > 1 and not mention.actor_id and known != text and known.endswith(" " + text):
                known, fuller = text, None  # the finder took a title or portfolio word into the name
            if fuller is not None and not mention.actor_id:
                known, roles = fuller.name, roles | fuller.roles
            return Speaker(
                known, mention.actor_id, mention.actor_type or type_ or "other", start, end, how, frozenset(roles)
            )
        if len(name) == 1:  # a surname: the fullest earlier name ending in it
            fuller = self._fuller(text, at)
            if fuller is not None:
                text, type_ = fuller.name, fuller.type or type_
                roles = roles | fuller.roles
                if fuller.id:
                    return Speaker(text, fuller.id, type_, start, end, how, frozenset(roles))
        entry = self.names.get(fold_name(text))
        if entry is not None:
            return Speaker(text, entry[0], entry[2], start, end, how, frozenset(roles))
        return Speaker(text, None, type_ or guess_type(text, self.lex), start, end, how, frozenset(roles))

    def bare(self, name: str) -> str:
        """A person's name without the titles and honorifics before it ("Datuk Seri", "Councilwoman") and without
        the body after it ("Professor X Y of Z University" -> "X Y"); other names as they are."""
        words = name.split()
        if len(words) < 3 and not (len(words) == 2 and self._title(words[0].lower())):
            return name
        lead = 0
        while lead < len(words) - 1 and self._title(words[lead].lower().rstrip(".,")):
            lead += 1
        rest = words[lead:]
        cut = next((k for k, w in enumerate(rest) if w in ("of", "at", "from")), None)
        if cut is not None and cut >= 2 and any(w.lower() in self.lex.organisation for w in rest[cut + 1 :]):
            rest = rest[:cut]
        if len(rest) == len(words) or any(w.lower() in self.lex.organisation for w in rest):
            return name
        return " ".join(rest)

    def _mention(self, start: int, end: int) -> Suggestion | None:
        i = bisect.bisect_right(self._mention_starts, end) - 1
        while i >= 0 and self.mentions[i].end > start - 200:
            m = self.mentions[i]
            if m.start < end and start < m.end:
                return m
            i -= 1
        return None


def guess_type(name: str, lex: Lexicon | None = None) -> str:
    """A type for a name with nothing else known: the actors finder's guess if it has one, else organisation or
    government by head word or acronym, else person for two or more capitalised words, else other."""
    try:
        from annotations.suggest import actors

        guess = getattr(actors, "guess_type", None)
        if callable(guess):
            out = guess(name)
            if isinstance(out, str) and out in ACTOR_TYPES:
                return out
    except Exception:  # the other finder's guess is optional: any failure falls back to the rules below
        pass
    lex = lex or lexicon()
    lows = [w.lower() for w in name.split()]
    if any(w in lex.government for w in lows):
        return "government"
    if any(w in lex.organisation for w in lows):
        return "organisation"
    if len(lows) == 1 and name.isupper() and len(name) > 1:
        return "organisation"  # an acronym: "NATO", "WHO"
    return "person" if len(lows) > 1 else "other"
