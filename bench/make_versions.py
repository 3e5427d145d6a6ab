"""Version chains of wire stories with the truth of where each annotation belongs, for the re-anchoring benchmark.

    python bench/make_versions.py [--chains 5] [--seed 1]      # prints a summary of a few chains

A chain starts from a base story (a made-up one from `make_library.make_story`, or one of the hand-written gold
stories in bench/suggest/gold/) with 20 annotations (quotes, names, claims, single words: whole-word spans of
varied length), then makes 2-4 successive versions, each by 1-4 edits: paragraphs inserted, deleted, moved;
sentences reworded (a few words, or the whole sentence); quotes trimmed; figures corrected; typos fixed; the lede
rewritten. Each edit moves the tracked spans by plain arithmetic, so each step knows, for each annotation of the
old version, its truth in the new one: `same` (text unchanged, its new span), `changed` (a small edit inside it:
its new span) or `gone` (deleted, or hit by a large edit). Before each step the annotations are topped up to 20.
Same seed, same chains.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from make_library import FIRST, LAST, PLACES, _fill, _paragraph, make_story

from annotations.model import CONTEXT
from stories.text import snap_to_words

__all__ = ["Chain", "Span", "Step", "Truth", "make_chain", "make_chains"]

GOLD = Path(__file__).resolve().parent / "suggest" / "gold" / "gold.json"
PER_STORY = 20
KINDS = ("insert", "delete", "move", "reword", "rewrite", "trim", "figure", "typo", "lede")
_WEIGHTS = (3, 2, 2, 3, 2, 2, 2, 3, 1)

_QUOTE = re.compile(r'["“«]([^"“”«»\n]{6,300})["”»]')
_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}\b")
_SENTENCE = re.compile(r"(?<![^\s])[A-Z][^.!?\n]{20,300}[.!?](?=\s|$)")
_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_REWORDS = (("said", "told reporters"), ("about", "some"), ("would", "will"), ("more than", "over"))
_ADVERBS = ("also ", "again ", "later ", "on Thursday ")


@dataclass(frozen=True)
class Span:
    """An annotation of one version (what `annotations.carry.place` reads)."""

    id: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Truth:
    """Where an old annotation belongs in the new version: `same`/`changed` with its span, or `gone`."""

    id: str
    state: str
    start: int | None = None
    end: int | None = None


@dataclass
class Step:
    old: str
    new: str
    spans: list[Span]
    truth: list[Truth]
    edits: list[str] = field(default_factory=list)


@dataclass
class Chain:
    base: str
    steps: list[Step]


def span_of(text: str, start: int, end: int, ident: str) -> Span:
    return Span(ident, start, end, text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])


@cache
def _gold() -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    spans: dict[str, list[tuple[int, int]]] = {}
    for ann in data["annotations"]:
        spans.setdefault(ann["story_id"], []).append((ann["start"], ann["end"]))
    return tuple((s["text"], tuple(spans.get(s["id"], ()))) for s in data["stories"])


class _Tracked:
    """A text under edit and its annotations' spans, moved edit by edit."""

    def __init__(self, text: str, spans: dict[str, tuple[int, int]]) -> None:
        self.text = text
        self.spans = dict(spans)
        self.state = dict.fromkeys(spans, "same")

    def live(self) -> list[str]:
        return [k for k, st in self.state.items() if st != "gone"]

    def edit(self, a: int, b: int, repl: str, big: bool) -> None:
        """Replace text[a:b] with `repl`; an edit wholly inside a span changes it (its two ends stay; a large edit
        that replaces exactly the span removes it), anything else it overlaps removes it."""
        delta = len(repl) - (b - a)
        for k in self.live():
            s, e = self.spans[k]
            if e <= a:
                continue
            if s >= b:
                self.spans[k] = (s + delta, e + delta)
            elif s <= a and b <= e and (not big or (a, b) != (s, e)):
                self.spans[k] = (s, e + delta)
                self.state[k] = "changed"
            else:
                self.state[k] = "gone"
        self.text = self.text[:a] + repl + self.text[b:]

    def move(self, a: int, b: int, to: int) -> None:
        """Move text[a:b] to offset `to` (outside [a, b)): spans inside it go with it."""
        inside = {k: self.spans[k] for k in self.live() if a <= self.spans[k][0] and self.spans[k][1] <= b}
        prior = {k: self.state[k] for k in inside}
        piece = self.text[a:b]
        self.edit(a, b, "", big=True)  # the spans inside are set aside (marked gone) ...
        at = to if to < a else to - (b - a)
        self.edit(at, at, piece, big=True)
        for k, (s, e) in inside.items():  # ... and come back where the piece went
            self.state[k] = prior[k]
            self.spans[k] = (s - a + at, e - a + at)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, at = [], 0
    for part in text.split("\n\n"):
        out.append((at, at + len(part)))
        at += len(part) + 2
    return out


def _clash(tracked: _Tracked, repl: str, before: dict[str, str]) -> bool:
    """True if `repl` holds the text of an annotation the edit removed or changed (the truth would be unclear)."""
    return any(tracked.state[k] != "same" and before[k] in repl for k in tracked.state if before.get(k))


class _Editor:
    def __init__(self, rng: random.Random, tracked: _Tracked, names: list[str], place: str) -> None:
        self.rng, self.t, self.names, self.place = rng, tracked, names, place
        self.added: list[str] = []  # the text this step's edits put in

    def new_paragraph(self) -> str:
        return _paragraph(self.rng, self.place, self.names)

    def pick(self, options: list[tuple[int, int]]) -> tuple[int, int]:
        """One of `options` (start, end), most often one that touches an annotation: edits where the tags are."""
        live = [self.t.spans[k] for k in self.t.live()]
        hit = [o for o in options if any(s < o[1] and o[0] < e for s, e in live)]
        return self.rng.choice(hit if hit and self.rng.random() < 0.7 else options)

    def body(self) -> list[tuple[int, int]]:
        return _paragraphs(self.t.text)[1:]  # never the headline

    def apply(self, kind: str) -> bool:
        """One edit of `kind`; False if the text offers no place for it."""
        return getattr(self, f"_{kind}")()

    def _checked(self, a: int, b: int, make: Callable[[], str], big: bool) -> bool:
        """Replace [a, b) with a made text that holds no removed annotation's text (a few tries)."""
        before = {k: self.t.text[s:e] for k, (s, e) in self.t.spans.items() if self.t.state[k] != "gone"}
        for _ in range(8):
            repl = make()
            trial = _Tracked(self.t.text, self.t.spans)
            trial.state = dict(self.t.state)
            trial.edit(a, b, repl, big)
            if not _clash(trial, repl, before):
                self.added.append(repl)
                self.t.text, self.t.spans, self.t.state = trial.text, trial.spans, trial.state
                return True
        return False

    def _insert(self) -> bool:
        paras = self.body()
        at = self.rng.choice([e for _, e in paras])
        return self._checked(at, at, lambda: "\n\n" + self.new_paragraph(), big=True)

    def _delete(self) -> bool:
        paras = self.body()
        if len(paras) < 3:
            return False
        s, e = self.pick(paras[1:])
        self.t.edit(s - 2, e, "", big=True)
        return True

    def _move(self) -> bool:
        paras = self.body()
        if len(paras) < 3:
            return False
        s, e = self.pick(paras)
        ends = [pe for ps, pe in paras if pe < s - 2 or ps > e]
        if not ends:
            return False
        self.t.move(s - 2, e, self.rng.choice(ends))
        return True

    def _lede(self) -> bool:
        s, e = self.body()[0]
        head = re.match(r"[A-Z][A-Za-z .,]*, [A-Z][a-z]{2} \d+ \([^)]*\) - ", self.t.text[s:e])
        s += head.end() if head else 0
        return self._checked(s, e, self.new_paragraph, big=True)

    def _sentences(self) -> list[tuple[int, int]]:
        out = []
        for ps, pe in self.body():
            out += [(ps + m.start(), ps + m.end()) for m in _SENTENCE.finditer(self.t.text[ps:pe])]
        return out

    def _rewrite(self) -> bool:
        found = self._sentences()
        if not found:
            return False
        s, e = self.pick(found)
        return self._checked(s, e, self._sentence, big=True)

    def _sentence(self) -> str:
        text = _fill(
            "{org} said {n}% of {topic} cases were still open, and talks would resume {when}", self.rng, self.place
        )
        return text[:1].upper() + text[1:] + "."

    def _reword(self) -> bool:
        """A few words of one sentence changed: a verb swapped or a word put in."""
        found = self._sentences()
        self.rng.shuffle(found)
        if found:
            found.insert(0, self.pick(found))
        for s, e in found[:10]:
            sentence = self.t.text[s:e]
            for old, new in self.rng.sample(_REWORDS, len(_REWORDS)):
                m = re.search(rf"\b{old}\b", sentence)
                if m:
                    self.t.edit(s + m.start(), s + m.end(), new, big=False)
                    return True
            words = [m.start() for m in re.finditer(r"(?<= )(?=[a-z]{3,} )", sentence)]
            if words:
                at = s + self.rng.choice(words)
                self.t.edit(at, at, self.rng.choice(_ADVERBS), big=False)
                return True
        return False

    def _trim(self) -> bool:
        """A quote loses its last words."""
        quotes = [m for ps, pe in self.body() for m in _QUOTE.finditer(self.t.text, ps, pe)]
        self.rng.shuffle(quotes)
        if quotes:
            first = self.pick([q.span() for q in quotes])
            quotes.sort(key=lambda q: q.span() != first)
        for m in quotes:
            inner = m.group(1).rstrip(",.?!")
            gaps = [g.start() for g in re.finditer(r" (?=\w)", inner)]
            if len(gaps) < 5:
                continue
            cut = gaps[self.rng.randint(len(gaps) * 2 // 3, len(gaps) - 1)]
            self.t.edit(m.start(1) + cut, m.start(1) + len(inner), "", big=False)
            return True
        return False

    def _token(self, pattern: re.Pattern[str], change: Callable[[str], str]) -> bool:
        """One match of `pattern` in the body (most often inside an annotation) replaced by `change` of it."""
        found = [m for ps, pe in self.body() for m in pattern.finditer(self.t.text, ps, pe)]
        if not found:
            return False
        at = self.pick([m.span() for m in found])
        m = next(m for m in found if m.span() == at)
        new = change(m.group())
        if new == m.group():
            return False
        self.t.edit(m.start(), m.end(), new, big=False)
        return True

    def _figure(self) -> bool:
        return self._token(_NUMBER, lambda n: str(int(re.sub(r"\D", "", n) or 0) + self.rng.randint(1, 40)))

    def _typo(self) -> bool:
        """Two letters of a word swapped (or, read the other way, a typo fixed)."""

        def swap(w: str) -> str:
            i = self.rng.randint(1, len(w) - 2)
            return w[:i] + w[i + 1] + w[i] + w[i + 2 :]

        return self._token(_WORD, swap)


def _choices(text: str) -> list[tuple[int, int]]:
    """Spans a reader might tag: quotes (inside the marks), names, surnames, sentences (claims), phrases."""
    out = [m.span(1) for m in _QUOTE.finditer(text)]
    out += [m.span() for m in _NAME.finditer(text)]
    out += [(m.start() + m.group().rfind(" ") + 1, m.end()) for m in _NAME.finditer(text)]
    out += [m.span() for m in _SENTENCE.finditer(text)]
    for m in _SENTENCE.finditer(text):
        words = [w.span() for w in re.finditer(r"\w+", m.group())]
        if len(words) > 6:
            i = len(words) // 3
            out.append((m.start() + words[i][0], m.start() + words[i + 3][1]))
    snapped = {snap_to_words(text, s, e) for s, e in out}
    return sorted((s, e) for s, e in snapped if e > s)


def _top_up(rng: random.Random, text: str, spans: dict[str, tuple[int, int]], counter: list[int]) -> None:
    pool = [p for p in _choices(text) if p not in spans.values()]
    rng.shuffle(pool)
    while len(spans) < PER_STORY and pool:
        counter[0] += 1
        spans[f"a{counter[0]}"] = pool.pop()


def _base(rng: random.Random, index: int) -> tuple[str, str, list[tuple[int, int]], list[str], str]:
    """A base story: (label, text, spans to start from, names, place)."""
    if index % 3 == 0:
        stories = _gold()
        text, gold = stories[(index // 3) % len(stories)]
        names = sorted({m.group() for m in _NAME.finditer(text)}) or ["Petra Lind"]
        place = rng.choice(PLACES)
        return (
            f"gold{(index // 3) % len(stories)}",
            text,
            rng.sample(list(gold), min(PER_STORY, len(gold))),
            names,
            place,
        )
    story = make_story(rng, index, date(2025, 1, 1) + timedelta(days=index % 365))
    names = sorted({f"{f} {s}" for f in FIRST for s in LAST if f"{f} {s}" in story.text}) or [f"{FIRST[0]} {LAST[0]}"]
    place = story.meta.dateline or rng.choice(PLACES)
    return f"made{index}", story.text, [], names, place


def _step(rng: random.Random, text: str, spans: dict[str, tuple[int, int]], names: list[str], place: str) -> Step:
    """One new version: 1-4 edits, and the truth for each span. Redrawn (a few times) when text the step added holds
    the text of an annotation it removed or changed: whether that is the same annotation would be unclear."""
    old_spans = [span_of(text, s, e, k) for k, (s, e) in spans.items()]
    for _ in range(8):
        tracked = _Tracked(text, spans)
        editor = _Editor(rng, tracked, names, place)
        done = [kind for kind in rng.choices(KINDS, weights=_WEIGHTS, k=rng.randint(1, 4)) if editor.apply(kind)]
        lost = [sp.exact for sp in old_spans if tracked.state[sp.id] != "same"]
        if not any(x in added for x in lost for added in editor.added):
            break
    new = tracked.text
    truth = []
    for sp in old_spans:
        state, (s, e) = tracked.state[sp.id], tracked.spans[sp.id]
        if state == "changed":
            s, e = snap_to_words(new, s, e)
            if new[s:e] == sp.exact:
                state = "same"
            elif s >= e:
                state = "gone"
        if state == "gone":
            truth.append(Truth(sp.id, "gone"))
            continue
        assert state != "same" or new[s:e] == sp.exact, (sp, new[s:e])
        truth.append(Truth(sp.id, state, s, e))
    return Step(text, new, old_spans, truth, done)


def make_chain(seed: int, index: int) -> Chain:
    """Chain `index` of `seed`: a base story and 2-4 versions after it, the truth of each step."""
    rng = random.Random(f"{seed}:{index}")
    label, text, start_spans, names, place = _base(rng, index)
    counter = [0]
    spans: dict[str, tuple[int, int]] = {}
    for s, e in start_spans:
        counter[0] += 1
        spans[f"a{counter[0]}"] = (s, e)
    steps = []
    for _ in range(rng.randint(2, 4)):
        _top_up(rng, text, spans, counter)
        step = _step(rng, text, spans, names, place)
        steps.append(step)
        text = step.new
        spans = {t.id: (t.start, t.end) for t in step.truth if t.start is not None and t.end is not None}
    return Chain(label, steps)


def make_chains(count: int, seed: int = 1) -> Iterator[Chain]:
    for i in range(count):
        yield make_chain(seed, i)


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for chain in make_chains(args.chains, args.seed):
        for n, step in enumerate(chain.steps, 1):
            states = [t.state for t in step.truth]
            summary = ", ".join(f"{states.count(s)} {s}" for s in ("same", "changed", "gone"))
            print(f"{chain.base} step {n}: {'+'.join(step.edits) or 'no edit'}; {len(step.spans)} spans: {summary}")


if __name__ == "__main__":
    main()
