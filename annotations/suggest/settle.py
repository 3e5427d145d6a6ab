"""The story-level type pass: a new name whose type was only guessed (one unknown word, two capitalised words taken
for a person's name) gets one type from the evidence of all its mentions in the story: place prepositions and
geographic nouns ("residents of X", "the X river", "a farmer from X"), institution nouns ("the X union"), role words
and appositives (a person). An acronym takes the type of the name it spells out ("… Authority (ABC)"), and a known
place spreads to the new names listed with it ("in A, B and C"). Registry names and typed heads are never changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from annotations.suggest import names as N
from annotations.suggest.model import Suggestion

__all__ = ["settle_types"]

#: Rules whose type is a guess the story's evidence may overrule.
WEAK_RULES = frozenset({"actor.word", "actor.name", "actor.acronym", "actor.short", "actor.surname", "actor.headline"})
#: Rules whose type is a guess from the name's own words and context.
_GUESSES = frozenset({"actor.word", "actor.name", "actor.acronym"})
#: Rules that copy the type of a mention read before (a surname, a short form, a name repeated in a headline).
_COPIES = frozenset({"actor.short", "actor.surname", "actor.headline"})

#: Lowercase nouns after a name that make it a place ("the X river", "the X region", "X and Y counties").
GEO_NOUNS = N._words(
    """river rivers region regions valley basin district districts neighborhood neighbourhood neighborhoods
    neighbourhoods province provinces state county counties area areas town city village villages port coast border
    reservoir reservoirs resort island islands delta lake peninsula municipality prefecture mine mines oblast suburb
    suburbs township governorate highlands plateau canyon gorge estuary"""
)
#: Lowercase nouns after a name that make it an organisation ("the X union", "the X carmaker").
INSTITUTION_NOUNS = N._words(
    """union unions company firm group party bank carmaker airline carrier insurer lender retailer newspaper daily
    broadcaster club team conglomerate consortium cooperative co-operative brand chain operator startup producer
    supplier manufacturer shipbuilder miner utility agency ministry foundation charity institute university school
    hospital automaker steelmaker chipmaker drugmaker giant coalition alliance gazette magazine channel website
    poll pollster broadcaster"""
)
_INSTITUTIONS = "|".join(sorted(INSTITUTION_NOUNS | N._words("companies firms carriers airlines lenders banks groups")))
#: "X, one of the country's largest carriers": an organisation in apposition.
_ORG_APPOSITIVE = re.compile(
    r"\s*,\s*(?:one\s+of\s+)?(?:a|an|the|its|their|[A-Z][\w-]*['’]s?)\s+(?:[\w'’-]+\s+){0,3}?(?:"
    + _INSTITUTIONS
    + r")\b(?!['’])"  # not "X, the agency's director"
)
#: "the company that runs the ferry, X, said": the institution noun comes before the name.
_ORG_BEFORE = re.compile(
    r"(?<!of the )(?<!of )\b(?:" + _INSTITUTIONS + r")(?:\s+(?:that|which)\s+[^,.;'’]{0,40})?,\s*$"
)
#: Lowercase words before "of X" that make X a place ("residents of X", "the port of X").
_PLACE_OF = re.compile(
    r"\b(?:residents|people|inhabitants|towns?|city|cities|villages?|ports?|regions?|states?|provinces?|districts?|"
    r"counties|county|islands?|outskirts|centre|center|capital|mayor|governor|streets|north|south|east|west|suburbs|"
    r"resorts?|valley)"
    r"\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: Nouns after "X's" that make X a place ("X's governor", "X's residents").
_PLACE_OWNS = re.compile(
    r"['’]s\s+(?:state\s+)?(?:governor|mayor|premier|residents|inhabitants|people|capital|coast|coastline|border|"
    r"towns|villages|streets|outskirts|districts|provinces|regions|port|ports|harbour|harbor)\b"
)
#: What a company has ("X shares", "X's chief executive", "the X board").
_ORG_OWNS = re.compile(
    r"(?:['’]s)?\s+(?:chief\s+executive|ceo|board|shares|shareholders|employees|staff|management|operating|profits?|"
    r"revenues?|sales|stock|bonds|headquarters|subsidiary|workforce|customers|investors)\b"
)
_WORD = re.compile(r"[\w.-]+")
_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)(?:\s+([a-z][\w-]*))?")
_POSSESSIVE = re.compile(r"['’]s\b")
_APPOSITIVE = re.compile(
    r"\s*,\s*(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,3}?(?:" + "|".join(sorted(N.ROLE_WORDS)) + r")\b"
)
#: Prepositions after which a name is a place ("in X", "near X"); not "at", "to", "of": companies follow them.
_PLACE_PREPS = N._words("in near outside across around towards toward throughout")
#: Nouns before "in X" that make X a company ("shares in X", "a stake in X"), not a place.
_NOT_PLACE_IN = N._words(
    "shares stake stakes investment investments interest jobs role job work working invested rights holding holdings"
    " shareholding percent share"
)
#: Person nouns before "from X": X is a place ("a farmer from X", "a 40-year-old from X").
_FROM_PEOPLE = N.ROLE_WORDS | N._words(
    """man woman men women boy girl boys girls resident residents family families native natives villager villagers
    Democrat Republican people pensioner student students worker workers fisherman fishermen mother father
    couple teacher nurse doctor driver owner"""
)
_JOINS = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or)\s*(?:the\s+)?")
_AND_OR = re.compile(r"\b(?:and|or)\b")


def _evidence(text: str, s: Suggestion, ev: dict[str, float]) -> None:
    """Add the evidence around one mention to `ev` (type -> weight)."""
    before = text[max(0, s.start - 40) : s.start]
    after = text[s.end : s.end + 60]
    owned = after[:1] in "'’" and bool(_POSSESSIVE.match(after))
    tokens = before.split() if before[-1:].isspace() else ()
    previous = tokens[-1] if tokens and _WORD.fullmatch(tokens[-1]) else ""
    two = tokens[-2] if len(tokens) > 1 else ""
    comma = after.lstrip()[:1] == ","
    if previous in N.TITLES or previous.casefold() in N.ROLE_WORDS or (comma and _APPOSITIVE.match(after)):
        ev["person"] += 3
    elif (
        previous in INSTITUTION_NOUNS
        or _ORG_OWNS.match(after)
        or (comma and _ORG_APPOSITIVE.match(after))
        or (before.endswith(", ") and _ORG_BEFORE.search(before))
    ):
        ev["organisation"] += 3  # "carmaker X", "X shares", "X's chief executive"
    if previous in _PLACE_PREPS and not owned:
        if two.casefold() not in _NOT_PLACE_IN:
            ev["place"] += 2
    elif previous == "at":  # "a strategist at X": a firm; "talks at X": a place
        kind = "organisation" if two.casefold() in N.ROLE_WORDS else "place"
        ev[kind] += 3 if kind == "organisation" else 2
    elif previous == "from":
        ev["place"] += 2 if two in _FROM_PEOPLE or two.endswith("-old") else 0.5
    if (previous in ("of", "the") and _PLACE_OF.search(before)) or (owned and _PLACE_OWNS.match(after)):
        ev["place"] += 3
    if not owned and (nxt := _NEXT_WORD.match(after)):
        for noun in nxt.groups():  # "the X river", "the X copper mine"
            if noun in GEO_NOUNS:
                ev["place"] += 3
                break
            if noun in INSTITUTION_NOUNS:
                ev["organisation"] += 3
                break
    if previous.casefold() in ("the", "its", "their") and " " in s.exact.strip():
        ev["not-person"] += 1  # "the Vela Rosa mine": no person's name follows "the"


def _decide(current: str, ev: dict[str, float]) -> str:
    person, place, org = ev["person"], ev["place"], ev["organisation"]
    if person and person >= max(place, org):
        return "person"
    if place > org and (current != "person" or place >= 2):
        return "place"
    if org > 0:
        return "organisation"
    if current == "person" and ev["not-person"]:
        return "organisation"
    return current


def _lists(text: str, out: list[Suggestion]) -> list[list[int]]:
    """Runs of mentions joined by commas, "and" and "or" ("A, B and C"), as indexes into `out` (sorted)."""
    lists: list[list[int]] = []
    current = [0] if out else []
    joined = False  # a list has "and" or "or": "Murcia, Ana Brel" is a name and its apposition
    for i in range(1, len(out)):
        gap = text[out[i - 1].end : out[i].start]
        if len(gap) <= 11 and _JOINS.fullmatch(gap):
            current.append(i)
            joined = joined or bool(_AND_OR.search(gap))
            continue
        if len(current) > 1 and joined:
            lists.append(current)
        current, joined = [i], False
    if len(current) > 1 and joined:
        lists.append(current)
    return lists


def settle_types(text: str, out: list[Suggestion]) -> list[Suggestion]:
    """`out` (mentions in text order) with the guessed types of new names settled story-wide."""
    groups: dict[str, list[int]] = defaultdict(list)
    known: dict[str, str] = {}  # actor -> the type its first strong mention has (a head word, a place preposition)
    for i, s in enumerate(out):
        if s.actor_id is None:
            groups[s.actor].append(i)
            if s.rule not in WEAK_RULES:
                known.setdefault(s.actor, s.actor_type)
    result = list(out)
    for actor, kind in known.items():  # a strong type beats the guesses of the same name
        for i in groups[actor]:
            if (result[i].rule in _GUESSES or result[i].rule in _COPIES) and result[i].actor_type != kind:
                result[i] = replace(result[i], actor_type=kind)
    weak = {a: ix for a, ix in groups.items() if a not in known and any(out[i].rule in _GUESSES for i in ix)}
    if not weak:
        return result
    kinds: dict[str, str] = {}
    evidence: dict[str, dict[str, float]] = {}
    for actor, ix in weak.items():
        ev: dict[str, float] = defaultdict(float)
        for i in ix:
            _evidence(text, out[i], ev)
        evidence[actor] = ev
    # an acronym of a name in the story ("FCPA" after "Federal Coastal Protection Agency") takes its type
    initials: dict[str, str] = {}
    for s in result:
        if " " in s.actor and s.actor_type not in ("person", ""):
            letters = "".join(w[0] for w in s.actor.split() if w[:1].isupper() and w not in N.CONNECTORS)
            initials.setdefault(letters, s.actor_type)
    for actor in weak:
        if actor.isupper() and actor in initials:
            kinds[actor] = initials[actor]
    # an acronym in brackets after a name spells it out: "National Flood Authority (NFA)"
    for i in range(1, len(out)):
        s, prev = out[i], out[i - 1]
        spelled = text[prev.end : s.start].strip() == "(" and text[s.end : s.end + 1] == ")"
        if spelled and s.actor in weak and s.exact.isupper() and prev.actor_type:
            kinds[s.actor] = prev.actor_type
    for actor in weak:
        if actor not in kinds:
            kinds[actor] = _decide(out[weak[actor][0]].actor_type, evidence[actor])
    # a place spreads across its list: "in Moscow, Pelvik and Ostrand"
    spread = False
    for members in _lists(text, result):
        strong = {result[i].actor_type for i in members if result[i].actor not in weak}
        places = strong | {kinds[result[i].actor] for i in members if result[i].actor in weak} & {"place"}
        if "place" in places and strong <= {"place", "country"}:
            for i in members:
                actor = out[i].actor
                if actor in weak and kinds[actor] != "place":
                    evidence[actor]["place"] += 3
                    spread = True
    if spread:
        for actor in weak:
            if evidence[actor]["place"] >= 3 and kinds[actor] != "place":
                kinds[actor] = _decide(out[weak[actor][0]].actor_type, evidence[actor])
    for actor, ix in weak.items():
        for i in ix:
            if result[i].actor_type != kinds[actor]:
                result[i] = replace(result[i], actor_type=kinds[actor])
    return result
