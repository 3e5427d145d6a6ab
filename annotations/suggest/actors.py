"""Actor mentions: every registry name or alias in the text, and new candidates with a guessed type.

In order, the first to claim a span keeps it: registry names and aliases (longest first, folded, whole words; a
longer name the story gives around one comes first, `registry_read.py`); capitalised runs of words read by their
shape (`names.classify`: a title and a name, "… Ministry", "Lake …"); a word alone that repeats a name given before
(a surname, a first name, "Brightwater" for "Brightwater Rail"); country names; then, if a spaCy pipeline is given,
its entities. A person's mention is the title and the name ("Prime Minister Ivo Maric", its `actor` "Ivo Maric"),
never the nationality, country or body before the title ("French", "ECB", "Federation Council" are apart).
Headline-case lines only repeat what the body names; the dateline, agency stamps, bylines and trailers are skipped;
a demonym alone is never a mention. Last, `settle.py` settles one type per new name from the evidence of all its
mentions (a strong type beats guessed ones).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from functools import partial
from itertools import compress
from operator import itemgetter
from typing import TYPE_CHECKING

from annotations.actors import fold_name
from annotations.suggest import names as N
from annotations.suggest.context import Context
from annotations.suggest.countries import (
    city_named,
    country_named,
    is_demonym,
    place_named,
)
from annotations.suggest.matcher import Atoms, Entry, Matcher, fold_atom, registry_matcher
from annotations.suggest.model import Suggestion
from annotations.suggest.registry_read import StoryPlaces, country_matcher, inside_local
from annotations.suggest.runs import Word, runs, words_and_atoms
from annotations.suggest.settle import GEO_NOUNS, settle_types
from annotations.suggest.skips import Zones, zones

if TYPE_CHECKING:
    from annotations.suggest.nlp import NlpBackend

__all__ = ["find_actors", "guess_type"]

guess_type = N.guess_type

#: How sure each rule is.
SCORES = {
    "actor.registry": 0.95,
    "actor.registry.alias": 0.9,
    "actor.registry.surname": 0.6,
    "actor.title": 0.85,
    "actor.head": 0.8,
    "actor.country": 0.85,
    "actor.surname": 0.8,
    "actor.short": 0.6,
    "actor.name": 0.65,
    "actor.agency": 0.8,
    "actor.acronym": 0.6,
    "actor.place": 0.5,
    "actor.headline": 0.7,
    "actor.nlp": 0.6,
    "actor.word": 0.3,
}
#: Reporting verbs: a capitalised word right before one is an actor ("Nordvolt said").
CUE_AFTER = frozenset(
    "said says told added stressed warned noted denied claimed announced insisted argued urged called accused "
    "confirmed reported rejected welcomed criticised criticized condemned replied explained wrote".split()
)
_NATIONAL = ("an", "ian", "ese", "ish", "i")  # the ending of a word for a nationality before a title ("Kestovan")
_ADJECTIVE_ENDINGS = ("an", "ian", "ese", "ish", "i")
_NAME_PART = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")  # a word of a name
_AMPERSAND = re.compile(r"\s&\s|\w&\w")  # "Marlow & Finch", "AT&T"
_IN_BEFORE = re.compile(r"\b(?:in|near|outside)\s$")
_NEXT_CAPITAL = re.compile(r"\s+([A-Z][\w-]*)")
_NEXT_WORD = re.compile(r"\s*(\w+)")
#: A character `str.isalnum` accepts (re's \w is exactly these and "_").
_ALNUM = re.compile(r"[^\W_]")
_LOWER_NEXT = re.compile(r" ([a-z][\w-]*)")  # "Corvan district" is a place, "Orlenian farmers" a nationality


@dataclass
class _Found:
    """The mentions found so far, and the people named in the story by surname (for "Orlova" after "Yelena Orlova")."""

    out: list[Suggestion] = field(default_factory=list)
    taken: list[tuple[int, int]] = field(default_factory=list)  # sorted, never overlapping
    surnames: dict[str, Suggestion] = field(default_factory=dict)
    short: dict[str, Suggestion] = field(default_factory=dict)
    initial: dict[int, bool] = field(default_factory=dict)  # word start -> whether it opens a sentence
    firsts: dict[str, Suggestion | None] = field(default_factory=dict)  # first name -> the one person (None: several)

    def free(self, start: int, end: int) -> bool:
        i = bisect_right(self.taken, (start, start))
        before = self.taken[i - 1] if i else None
        after = self.taken[i] if i < len(self.taken) else None
        return (before is None or before[1] <= start) and (after is None or end <= after[0])

    def add(self, s: Suggestion) -> None:
        self.out.append(s)
        insort(self.taken, (s.start, s.end))
        parts = [p for p in _NAME_PART.findall(s.actor) if p not in N.CONNECTORS]
        if s.actor_type == "person" and len(parts) >= 2:
            self.surnames[fold_atom(parts[-1])] = s
            if len(parts) == 3:  # two surnames: "Velasco" of "Ana Velasco Ruiz" names her again
                self.surnames.setdefault(fold_atom(parts[-2]), s)
            first = fold_atom(parts[0])
            known = self.firsts.get(first, s)
            self.firsts[first] = s if known is not None and known.actor == s.actor else None
        elif s.actor_type == "other" and len(parts) >= 2 and parts[0] in N.STORM_WORDS:
            self.short.setdefault(fold_atom(parts[-1]), s)  # "Belinda" after "Hurricane Belinda"
        elif s.actor_type in ("organisation", "place", "group") and len(parts) >= 2 and not s.actor_id:
            # "Brightwater" after "Brightwater Rail", "Ordin" after "Lake Ordin": a short form of the same name
            word = parts[1] if parts[0] in N.PLACE_STARTS else parts[0]
            if not (is_demonym(word) or N.head_type(word) or word in N.TITLES or word in N.STOPWORDS):
                self.short.setdefault(fold_atom(word), s)


def _mention(
    ctx: Context,
    start: int,
    end: int,
    rule: str,
    actor: str,
    kind: str,
    actor_id: str | None = None,
    score: float | None = None,
) -> Suggestion:
    return Suggestion(
        kind="actor",
        start=start,
        end=end,
        exact=ctx.text[start:end],
        score=SCORES[rule] if score is None else score,
        rule=rule,
        actor=" ".join(actor.split()),
        actor_id=actor_id,
        actor_type=kind,
    )


def find_actors(ctx: Context, nlp: NlpBackend | None = None) -> list[Suggestion]:
    """The actor mentions of the story, in text order; `nlp` (optional) adds a spaCy pipeline's entities. Never
    raises on any text."""
    text = ctx.text
    skip = zones(ctx)
    found = _Found()
    index = registry_matcher(ctx.registry)
    every_word, every = words_and_atoms(text)  # one pass for both (ASCII text)
    registry_hits = [h for h in index.names.find(text, every) if not skip.skipped(h.start, h.end)]
    found_runs = runs(text, every_word)
    run_starts = [r[0].start for r in found_runs]
    lower, capitals, inside = _word_sets(ctx, every_word, found.initial)
    # registry names and aliases; a title before a registry person's name joins the mention. A registry name
    # inside a longer name the story gives waits for the story's reading ("Lee" of "Lee Jae-sung").
    deferred: list[tuple[int, int, Suggestion]] = []
    places = StoryPlaces(text, every, capitals)
    local: dict[int, list[Suggestion]] = {}

    def reading(at: int) -> list[Suggestion]:
        """The story's own reading of run `at` alone (made once)."""
        if at not in local:
            scratch = _Found(initial=found.initial)
            _read_run(ctx, found_runs[at], scratch, {}, lower, capitals, inside)
            local[at] = scratch.out
        return local[at]

    for hit in registry_hits:
        exact = text[hit.start : hit.end]
        if hit.entries[0].alias and hit.first == hit.last and _adjective(text, hit.start, hit.end, capitals):
            continue  # "Caspian gas": a short form used as an adjective is no mention
        linked = places.entry(hit, exact)
        entry = linked or hit.entries[0]
        start = _title_start(found_runs, run_starts, hit.start, capitals) if entry.type == "person" else hit.start
        if not found.free(start, hit.end):
            start = hit.start
        rule = "actor.registry.alias" if entry.alias else "actor.registry"
        score = SCORES[rule] - (0.2 if len(hit.entries) > 1 else 0.0)
        if linked is None:  # "Agriculture Ministry" of "Brazilian Agriculture Ministry" where Brazil is never named
            kind = N.head_type(exact.split()[-1]) or entry.type
            mention = _mention(ctx, hit.start, hit.end, "actor.name", exact, kind)
        else:
            mention = _mention(ctx, start, hit.end, rule, entry.actor, entry.type, entry.actor_id, score)
        at = bisect_right(run_starts, hit.start) - 1
        run = found_runs[at] if at >= 0 else None
        names = {fold_name(entry.actor), fold_name(exact)}
        if (
            run is not None
            and not (skip.skipped(run[0].start, run[-1].end) or skip.headline(run[0].start))
            and inside_local(text, run, hit, names, partial(reading, at))
        ):
            deferred.append((hit.start, hit.end, mention))
        else:
            found.add(mention)
    headline_runs = []
    for run in found_runs:
        if skip.skipped(run[0].start, run[-1].end):
            continue
        if skip.headline(run[0].start):
            headline_runs.append(run)
            continue
        _read_run(ctx, run, found, index.surnames, lower, capitals, inside)
    for start, end, mention in deferred:  # what the story's reading left to the registry
        if found.free(start, end):
            found.add(mention)
    _countries(ctx, every, found, skip)
    _relink(ctx, found)
    _headlines(ctx, headline_runs, every, found)
    if nlp is not None:
        for start, end, kind in nlp.entities(text):
            exact = text[start:end]
            adjective = kind == "group" and is_demonym(exact) and not exact.endswith("s")  # "Russian", not "Kurds"
            if found.free(start, end) and not skip.skipped(start, end) and not skip.headline(start) and not adjective:
                found.add(_mention(ctx, start, end, "actor.nlp", exact, kind))
    return settle_types(text, sorted(found.out, key=lambda s: (s.start, -s.end)))


def _adjective(text: str, start: int, end: int, capitals: set[str]) -> bool:
    """Whether the word at `text[start:end]` reads as an adjective: "Caspian gas", "Trans-Caspian pipeline"."""
    word = text[start:end]
    return _looks_like_demonym(fold_atom(word), word, text[end : end + 30], capitals)


def _word_sets(ctx: Context, every_word: list[Word], initial: dict[int, bool]) -> tuple[set[str], set[str], set[str]]:
    """The folded words written in lower case, those written capitalised, and those capitalised inside a sentence
    (not opening it); `initial` is filled with whether each capitalised word opens a sentence."""
    # the first letters, the lower-case words and the capitalised ones picked in C: only a capitalised word (one in
    # seven) takes a Python-level step
    heads = list(map(itemgetter(0), map(itemgetter(2), every_word)))
    upper = list(map(str.isupper, heads))
    lower = set(compress(map(itemgetter(3), every_word), map(str.islower, heads)))
    capitals: set[str] = set()
    inside: set[str] = set()
    for w in compress(every_word, upper):
        capitals.add(w.folded)
        opens = initial[w.start] = _sentence_initial(ctx, w.start)
        if not opens:
            inside.add(w.folded)
    return lower, capitals, inside


def _title_at(words: list[str], capitals: set[str]) -> int:
    """Where the title in the words before a name begins: after a nationality, a country or an acronym ("French",
    "Kestovan", "U.S.", "ECB" are not part of "President")."""
    at = 0
    while at < len(words) - 1 and not N.is_title_head(words[at]):
        w = words[at]
        folded = fold_atom(w)
        nationality = is_demonym(w) or _looks_like_demonym(folded, w, "", capitals) or folded.endswith(_NATIONAL)
        if not (nationality or country_named(w) or w.rstrip(".").isupper()):
            break
        at += 1
    # a body before the title is its own mention: "Federation Council" of "Federation Council Deputy Speaker …"
    bodies = [i for i in range(at, len(words) - 1) if N.head_type(words[i]) in ("organisation", "government", "group")]
    first_title = next((i for i in range(at, len(words)) if N.is_title(words[i])), len(words))
    if bodies and bodies[-1] < first_title:
        at = bodies[-1] + 1
    return at


def _title_start(runs: list[list[Word]], starts: list[int], start: int, capitals: set[str]) -> int:
    """Where the title before a registry person's name starts ("Prime Minister" before "Ivo Maric"), or `start`."""
    i = bisect_right(starts, start) - 1
    if i >= 0 and runs[i][0].start < start <= runs[i][-1].end:
        before = [w for w in runs[i] if w.end <= start]
        texts = [w.text for w in before]
        if texts and N.is_title(texts[-1]) and any(N.is_title_head(w) for w in texts):
            return before[_title_at(texts, capitals)].start
    return start


def _read_run(
    ctx: Context,
    run: list[Word],
    found: _Found,
    registry_surnames: dict[str, tuple[Entry, ...]],
    lower: set[str],
    capitals: set[str],
    inside: set[str],
) -> None:
    text = ctx.text
    start, end = run[0].start, run[-1].end
    if not found.free(start, end):
        # a run around registry names: its free parts are read on their own ("US" + "State Department")
        pieces: list[list[Word]] = [[]]
        for w in run:
            if found.free(w.start, w.end):
                pieces[-1].append(w)
            elif pieces[-1]:
                pieces.append([])
        for piece in pieces:
            while piece and piece[0].text in N.CONNECTORS:
                piece.pop(0)
            while piece and piece[-1].text in N.CONNECTORS:
                piece.pop()
            if piece and len(piece) < len(run):
                _read_run(ctx, piece, found, registry_surnames, lower, capitals, inside)
        return
    texts = [w.text for w in run]
    kind, name_at = N.classify(texts)
    initial = found.initial[start] if start in found.initial else _sentence_initial(ctx, start)
    if kind == "person" and name_at:
        name = text[run[name_at].start : end]
        if name_at == len(run) - 1 and run[-1].folded in found.surnames:  # "President Maduro" after "Nicolas Maduro"
            name = found.surnames[run[-1].folded].actor
        at = _title_at(texts[:name_at], capitals)
        found.add(_mention(ctx, run[at].start, end, "actor.title", name, "person"))
        if at:  # "ECB" of "ECB President Christine Lagarde", "U.S." of "U.S. Senate Majority Leader …"
            _read_run(ctx, run[:at], found, registry_surnames, lower, capitals, inside)
        return
    if len(run) > 1 and _AMPERSAND.search(text, start, end):
        kind = "organisation"  # "Marlow & Finch", "AT&T"
    if kind and len(run) > 1:
        # an organisation whose last word is no head ("Park Min-jun", "National Rally") is a guess the story may settle
        guessed = kind == "person" or (kind == "organisation" and not N.head_type(texts[-1]))
        rule = "actor.country" if kind == "country" else "actor.name" if guessed else "actor.head"
        if kind == "person" and (is_demonym(texts[0]) or texts[0] in N.TITLES):
            return  # "Russian Ivo"? not a name this module can read
        actor = country_named(text[start:end]) or text[start:end] if kind == "country" else text[start:end]
        if kind == "person" and _IN_BEFORE.search(text[max(0, start - 8) : start]):
            kind, rule = "place", "actor.place"  # "in Khan Younis", "near Hong Kong"
        found.add(_mention(ctx, start, end, rule, actor, kind))
        return
    if len(run) > 1:
        return
    _read_word(ctx, run[0], kind, initial, found, registry_surnames, lower, capitals, inside)


def _read_word(
    ctx: Context,
    word: Word,
    kind: str,
    initial: bool,
    found: _Found,
    registry_surnames: dict[str, tuple[Entry, ...]],
    lower: set[str],
    capitals: set[str],
    inside: set[str],
) -> None:
    """One capitalised word alone: a country, an agency, a surname, an acronym, a place; or a name by context."""
    text, w = ctx.text, word.text
    folded = word.folded
    dateline = fold_atom(ctx.story.meta.dateline or "")
    before, after = text[max(0, word.start - 30) : word.start], text[word.end : word.end + 30]
    if kind == "country":
        found.add(_mention(ctx, word.start, word.end, "actor.country", country_named(w) or w, "country"))
        return
    if (kind in ("place", "group") and not initial) or (kind == "place" and city_named(w)):
        found.add(_mention(ctx, word.start, word.end, "actor.place" if kind == "place" else "actor.head", w, kind))
        return
    if w in N.AGENCIES:
        if not (before.rstrip().endswith(("(", "/")) and after.lstrip().startswith((")", "/"))):
            found.add(_mention(ctx, word.start, word.end, "actor.agency", w, "organisation"))
        return
    if w in N.GOVERNMENT_NAMES:
        found.add(_mention(ctx, word.start, word.end, "actor.head", w, "government"))
        return
    if folded in found.surnames:
        person = found.surnames[folded]
        found.add(_mention(ctx, word.start, word.end, "actor.surname", person.actor, "person", person.actor_id))
        return
    if folded in found.short:
        whole = found.short[folded]
        found.add(_mention(ctx, word.start, word.end, "actor.short", whole.actor, whole.actor_type))
        return
    if (named := found.firsts.get(folded)) is not None:  # "Priya" after "Priya Shah"
        found.add(_mention(ctx, word.start, word.end, "actor.short", named.actor, "person", named.actor_id))
        return
    if len(registry_surnames.get(folded, ())) == 1 and not initial:
        entry = registry_surnames[folded][0]
        found.add(_mention(ctx, word.start, word.end, "actor.registry.surname", entry.actor, "person", entry.actor_id))
        return
    if "-" in w and any(country_named(p) or is_demonym(p) for p in w.split("-")):
        return  # "Russia-Ukraine", "Kremlin-backed": the country names in it are read on their own
    if w in N.TITLES or w in N.STOPWORDS or w in N.COMPASS or is_demonym(w) or N.head_type(w) or folded in lower:
        return
    if w.isupper() and len(w) > 6:
        return  # a shouted word (a dateline, a headline in capitals), not an acronym
    if _looks_like_demonym(folded, w, after, capitals):
        return
    if folded.endswith(_NATIONAL) and (title := _NEXT_CAPITAL.match(after)) and N.is_title(title.group(1)):
        return  # a nationality before a title: "Kestovan Prime Minister"
    cue = _NEXT_WORD.match(after)
    cued = bool(cue and cue.group(1) in CUE_AFTER)
    country_like = _has_demonym(folded, capitals)
    if initial and not (country_like or cued or kind or folded in inside):
        return
    if w in N.REGIONS:
        found.add(_mention(ctx, word.start, word.end, "actor.place", w, "place"))  # "Europe", not a country
    elif kind == "organisation":
        found.add(_mention(ctx, word.start, word.end, "actor.acronym", w, kind))
    elif country_like:
        found.add(_mention(ctx, word.start, word.end, "actor.place", w, "country", score=0.6))
    elif place_named(w) or folded == dateline or N.PLACE_BEFORE.search(before):
        found.add(_mention(ctx, word.start, word.end, "actor.place", w, "place"))
    elif cued:
        found.add(_mention(ctx, word.start, word.end, "actor.name", w, N.guess_type(w, before, after), score=0.5))
    else:
        found.add(_mention(ctx, word.start, word.end, "actor.word", w, N.guess_type(w, before, after)))


def _sentence_initial(ctx: Context, pos: int) -> bool:
    """Whether the word at `pos` opens a sentence, a quotation or a line (where any word is capitalised)."""
    head = ctx.text[max(0, pos - 3) : pos]
    if not head or head.endswith(("\n", "“", '"', "‘", "«", "„", ": ", "— ", "- ", "(")):
        return True
    firsts = ctx.memo.get("actors.firsts")
    if firsts is None:
        firsts = ctx.memo["actors.firsts"] = _sentence_firsts(ctx)
    if pos in firsts:
        return True  # the first letter or digit of its sentence
    if ctx.text[pos].isalnum():  # (what _ALNUM matches) a letter or digit that is not the first one
        return False
    i = bisect_right(ctx.sentence_starts, pos)
    sentence = ctx.sentence_starts[i - 1] if i else 0
    return _ALNUM.search(ctx.text, sentence, pos) is None  # no letter or digit before it in its sentence


def _sentence_firsts(ctx: Context) -> set[int]:
    """Where the first letter or digit of each sentence is: a word there opens its sentence (`_sentence_initial`
    asks this of every capitalised word; one search a sentence, not one a word)."""
    found = (_ALNUM.search(ctx.text, start) for start in (0, *ctx.sentence_starts))
    return {m.start() for m in found if m is not None}


def _looks_like_demonym(folded: str, word: str, after: str, capitals: set[str]) -> bool:
    """ "Kestovan" when "Kestova" is in the text; "Orlenian" before a lowercase noun."""
    for ending in _ADJECTIVE_ENDINGS:
        if folded.endswith(ending) and len(folded) > len(ending) + 2:
            stem = folded[: -len(ending)]
            if stem in capitals or stem + "a" in capitals or stem + "y" in capitals:
                return True
            if ending in ("an", "ian", "ese") and (m := _LOWER_NEXT.match(after)) and m.group(1) not in GEO_NOUNS:
                return True
    return False


def _has_demonym(folded: str, capitals: set[str]) -> bool:
    """Whether the text also has the demonym of this word ("Orlenia" and "Orlenian"): then it is a country."""
    stems = {folded, folded[:-1]} if folded[-1:] in "ay" else {folded}
    return any(stem + ending in capitals for stem in stems for ending in ("n", "an", "ian", "ese", "i"))


def _relink(ctx: Context, found: _Found) -> None:
    """A surname read before the full name was given ("Trump" in the standfirst): the person named later; a
    registry person met by surname alone when the story names another person of that surname: the story's one."""
    for n, s in enumerate(found.out):
        person = found.surnames.get(fold_atom(s.actor))
        if person is not None and s.rule in ("actor.word", "actor.name", "actor.title") and " " not in s.actor:
            found.out[n] = _mention(ctx, s.start, s.end, "actor.surname", person.actor, "person", person.actor_id)
        elif s.actor_id and s.actor_type == "person" and " " not in s.exact.strip() and s.rule != "actor.registry":
            # "Delmar" after "Ilse Delmar": the story's own Delmar, not a registry namesake known by surname
            person = found.surnames.get(fold_atom(s.exact))
            if person is not None and person.actor != s.actor:
                found.out[n] = _mention(ctx, s.start, s.end, "actor.surname", person.actor, "person", person.actor_id)


def _countries(ctx: Context, every: Atoms, found: _Found, skip: Zones) -> None:
    """Country names the runs did not take: inside a hyphenated word ("Russia-Ukraine"), or in a headline."""
    for hit in country_matcher().find(ctx.text, every):
        exact = ctx.text[hit.start : hit.end]
        if exact[:1].isupper() and found.free(hit.start, hit.end) and not skip.skipped(hit.start, hit.end):
            found.add(_mention(ctx, hit.start, hit.end, "actor.country", hit.entries[0].actor, "country"))


def _headlines(ctx: Context, runs: list[list[Word]], every: Atoms, found: _Found) -> None:
    """In headline-case lines, only the names the body named (their full names or a person's surname)."""
    if not runs:
        return
    known = {s.exact: Entry(s.exact, s.actor, s.actor_id, s.actor_type) for s in reversed(found.out)}
    known |= {surname: Entry(surname, s.actor, s.actor_id, "person") for surname, s in found.surnames.items()}
    matcher = Matcher(known.values())
    starts = every.starts
    for run in runs:
        inside = every.cut(bisect_left(starts, run[0].start), bisect_right(starts, run[-1].end - 1))
        for hit in matcher.find(ctx.text, inside):
            if found.free(hit.start, hit.end):
                e = hit.entries[0]
                found.add(_mention(ctx, hit.start, hit.end, "actor.headline", e.actor, e.type, e.actor_id))
