"""Scoring the suggester against the gold set: precision, recall and F1 per kind, speaker, type and claimant
accuracy, and the misses and false positives of one story.

    python bench/suggest/score.py [--gold FILE] [--warm] [--explain STORY]

Spans match **exactly** (same start and end) or by **overlap** (the intersection is at least half the longer
span); matching is one-to-one, best overlap first. Quotes are scored as a whole and by form: direct (partial
included) and indirect. On matched direct quotes the speaker is right when the suggestion's speaker is the gold
speaker's name or one of its aliases (`fold_name`), or a whole word of the gold name that names no other actor of
the story ("Orlova" for Yelena Orlova); a gold quote with no speaker is right only unsuggested. A suggestion with
no speaker for a gold speaker is wrong. Actor mentions are also scored for their type, claims for their claimant.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.actors import Actor, fold_name

__all__ = [
    "GROUPS",
    "Counts",
    "Gold",
    "GoldStory",
    "Item",
    "Report",
    "explain",
    "load_gold",
    "match",
    "name_right",
    "score_story",
    "suggestion_item",
]

#: The scored groups: name -> (kind, the forms it takes; None: any).
GROUPS: dict[str, tuple[str, frozenset[str] | None]] = {
    "quotes": ("quote", None),
    "direct quotes": ("quote", frozenset({"direct", "partial"})),
    "indirect quotes": ("quote", frozenset({"indirect"})),
    "actor mentions": ("actor", None),
    "claims": ("claim", None),
}
MODES = ("exact", "overlap")


@dataclass(frozen=True)
class Item:
    """One annotation or suggestion, as scored: its span, and the name and type it links to ("" for none)."""

    kind: str
    start: int
    end: int
    exact: str = ""
    form: str = ""
    name: str = ""  # speaker, actor or claimant
    type: str = ""  # actor type (actor mentions)
    aliases: tuple[str, ...] = ()  # gold only: the linked entry's other names

    @property
    def group_form(self) -> str:
        return "indirect" if self.form == "indirect" else "direct"


@dataclass
class GoldStory:
    """A gold story: its id, source file, text and gold items."""

    id: str
    source: str
    text: str
    items: list[Item]
    story: Any = None  # the stories.model.Story, for running the suggester

    def names(self) -> set[str]:
        """The folded names and aliases of every actor linked in the story."""
        return {fold_name(n) for i in self.items if i.name for n in (i.name, *i.aliases)}


@dataclass
class Gold:
    """The gold set: its stories (in file order) and the registry entries by id."""

    stories: list[GoldStory]
    actors: dict[str, Actor]

    def story(self, ref: str) -> GoldStory:
        """The story whose id or source file name starts with `ref`."""
        found = [s for s in self.stories if s.id.startswith(ref) or s.source.startswith(ref)]
        if len(found) != 1:
            raise SystemExit(f"score: {len(found)} gold stories match {ref!r}")
        return found[0]


def load_gold(path: Path) -> Gold:
    """Read a wiredesk JSON export (the gold set) into scored items."""
    from stories.model import Story  # the story model only; the scorer itself needs none

    data = json.loads(path.read_text(encoding="utf-8"))
    actors = {a["id"]: Actor.from_dict(a) for a in data["actors"]}
    by_story: dict[str, list[Item]] = {}
    for ann in data["annotations"]:
        link = ann.get("speaker") or ann.get("actor") or ann.get("claimant")
        actor = actors.get(link) if link else None
        by_story.setdefault(ann["story_id"], []).append(
            Item(
                kind=ann["kind"],
                start=ann["start"],
                end=ann["end"],
                exact=ann["exact"],
                form=ann.get("form") or "",
                name=actor.name if actor else "",
                type=actor.type if actor else "",
                aliases=actor.aliases if actor else (),
            )
        )
    stories = []
    for record in data["stories"]:
        story = Story.from_dict(record)
        stories.append(GoldStory(story.id, story.meta.source or "", story.text, by_story.get(story.id, []), story))
    stories.sort(key=lambda s: s.source)
    return Gold(stories, actors)


def suggestion_item(suggestion: Any) -> Item:
    """A `annotations.suggest.model.Suggestion` (or anything with its fields) as a scored item."""
    kind = suggestion.kind
    name = {"quote": suggestion.speaker, "actor": suggestion.actor, "claim": suggestion.claimant}.get(kind, "")
    return Item(
        kind=kind,
        start=suggestion.start,
        end=suggestion.end,
        exact=suggestion.exact,
        form=suggestion.form or "",
        name=name or "",
        type=suggestion.actor_type if kind == "actor" else "",
    )


# --- matching ----------------------------------------------------------------------------------------------


def overlap(a: Item, b: Item) -> float:
    """The intersection of two spans as a share of the longer one (0..1)."""
    inter = min(a.end, b.end) - max(a.start, b.start)
    longer = max(a.end - a.start, b.end - b.start)
    return inter / longer if inter > 0 and longer > 0 else 0.0


def match(gold: Sequence[Item], found: Sequence[Item], mode: str = "overlap") -> list[tuple[Item, Item]]:
    """Pairs (gold, found), one-to-one: exact spans, or spans overlapping by at least half the longer one, the
    best overlap first (ties: the earlier spans)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    candidates = []
    for gi, g in enumerate(gold):
        for fi, f in enumerate(found):
            if mode == "exact":
                if (g.start, g.end) == (f.start, f.end):
                    candidates.append((1.0, gi, fi))
            elif (share := overlap(g, f)) >= 0.5:
                candidates.append((share, gi, fi))
    candidates.sort(key=lambda c: (-c[0], gold[c[1]].start, found[c[2]].start, c[1], c[2]))
    used_g: set[int] = set()
    used_f: set[int] = set()
    pairs = []
    for _, gi, fi in candidates:
        if gi not in used_g and fi not in used_f:
            used_g.add(gi)
            used_f.add(fi)
            pairs.append((gold[gi], found[fi]))
    return pairs


def name_right(gold: Item, found: Item, story_names: Iterable[str] = ()) -> bool:
    """True if `found` names the actor `gold` links to: its name or an alias (folded), or a whole word of the gold
    name that is no other actor's name or part of one (`story_names`: the folded names of the story's actors).
    Gold with no actor: right only if `found` names none."""
    said = fold_name(found.name)
    if not gold.name:
        return not said
    if not said:
        return False
    own = {fold_name(n) for n in (gold.name, *gold.aliases)}
    if said in own:
        return True
    words = fold_name(gold.name).split()
    if said not in words:
        return False
    others = set(story_names) - own
    return not any(said in other.split() for other in others)


# --- counting ----------------------------------------------------------------------------------------------


@dataclass
class Counts:
    """True positives, false positives and false negatives; and right/total of an attribute on the matches."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: int = 0
    judged: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.right += other.right
        self.judged += other.judged

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        """Right attributes (speaker, type, claimant) among the judged matches."""
        return self.right / self.judged if self.judged else 0.0


@dataclass
class Report:
    """Counts by (group, mode), summed over stories."""

    counts: dict[tuple[str, str], Counts] = field(default_factory=dict)
    stories: int = 0

    def get(self, group: str, mode: str = "overlap") -> Counts:
        return self.counts.setdefault((group, mode), Counts())

    def add(self, other: Report) -> None:
        for key, counts in other.counts.items():
            self.get(*key).add(counts)
        self.stories += other.stories


def _in_group(item: Item, group: str) -> bool:
    kind, forms = GROUPS[group]
    return item.kind == kind and (forms is None or (item.form or "direct") in forms)


def score_story(gold: GoldStory, found: Sequence[Item]) -> Report:
    """Counts for one story: every group in both modes; on overlap matches of direct quotes the speaker, of actor
    mentions the type, of claims the claimant is judged."""
    report = Report(stories=1)
    names = gold.names()
    for group in GROUPS:
        g = [i for i in gold.items if _in_group(i, group)]
        f = [i for i in found if _in_group(i, group)]
        for mode in MODES:
            pairs = match(g, f, mode)
            counts = report.get(group, mode)
            counts.tp, counts.fp, counts.fn = len(pairs), len(f) - len(pairs), len(g) - len(pairs)
            for gi, fi in pairs:
                if group in ("direct quotes", "claims"):
                    counts.judged += 1
                    counts.right += name_right(gi, fi, names)
                elif group == "actor mentions":
                    counts.judged += 1
                    counts.right += gi.type == fi.type
    return report


def explain(gold: GoldStory, found: Sequence[Item]) -> list[str]:
    """Lines naming the story's misses, false positives and wrong speakers, types and claimants (overlap)."""
    lines = [f"{gold.source} ({gold.id[:8]}): {len(gold.items)} gold, {len(found)} suggested"]
    for group in ("direct quotes", "indirect quotes", "actor mentions", "claims"):
        g = [i for i in gold.items if _in_group(i, group)]
        f = [i for i in found if _in_group(i, group)]
        pairs = match(g, f, "overlap")
        matched_g = {id(a) for a, _ in pairs}
        matched_f = {id(b) for _, b in pairs}
        lines.append(f"{group}: {len(pairs)} matched of {len(g)} gold, {len(f)} suggested")
        for item in g:
            if id(item) not in matched_g:
                lines.append(f"  missed [{item.start}:{item.end}] {_show(item)}")
        for item in f:
            if id(item) not in matched_f:
                lines.append(f"  false  [{item.start}:{item.end}] {_show(item)}")
        for gi, fi in pairs:
            span = "" if (gi.start, gi.end) == (fi.start, fi.end) else f" (span [{fi.start}:{fi.end}] {_cut(fi.exact)})"
            if group == "actor mentions" and gi.type != fi.type:
                lines.append(f"  type   [{gi.start}:{gi.end}] {_cut(gi.exact)}: {fi.type or '-'}, gold {gi.type}")
            elif group in ("direct quotes", "claims") and not name_right(gi, fi, gold.names()):
                who = "speaker" if group != "claims" else "claimant"
                lines.append(
                    f"  {who:<7}[{gi.start}:{gi.end}] {_cut(gi.exact)}: {fi.name or '-'}, gold {gi.name or '-'}"
                )
            elif span:
                lines.append(f"  span   [{gi.start}:{gi.end}] {_cut(gi.exact)}{span}")
    return lines


def _cut(text: str, limit: int = 70) -> str:
    line = " ".join(text.split())
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


def _show(item: Item) -> str:
    extra = [x for x in (item.form, item.name and f"by {item.name}", item.type) if x]
    return f"{_cut(item.exact)}" + (f" ({', '.join(extra)})" if extra else "")


# --- the table ---------------------------------------------------------------------------------------------


def table(report: Report) -> list[list[str]]:
    """Rows: group, exact P/R/F1, overlap P/R/F1, the judged attribute's accuracy."""
    attribute = {"direct quotes": "speaker", "actor mentions": "type", "claims": "claimant"}
    rows = []
    for group in GROUPS:
        e, o = report.get(group, "exact"), report.get(group, "overlap")
        acc = f"{attribute[group]} {o.accuracy:.3f} ({o.right}/{o.judged})" if group in attribute else ""
        rows.append(
            [
                group,
                str(o.tp + o.fn),
                f"{e.precision:.3f} / {e.recall:.3f} / {e.f1:.3f}",
                f"{o.precision:.3f} / {o.recall:.3f} / {o.f1:.3f}",
                acc,
            ]
        )
    return rows


HEAD = ["", "gold", "exact P / R / F1", "overlap P / R / F1", "on overlap matches"]


def markdown(rows: Sequence[Sequence[str]], head: Sequence[str] = HEAD) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def run(gold: Gold, registry_for: Mapping[str, Any] | None = None) -> tuple[Report, dict[str, list[Item]]]:
    """Run `annotations.suggest.suggest` on every gold story (with `registry_for[story id]`, else an empty
    registry) and score it; the report and the suggestions by story."""
    from annotations.registry import Registry
    from annotations.suggest import suggest

    report, found = Report(), {}
    for story in gold.stories:
        registry = (registry_for or {}).get(story.id) or Registry([])
        found[story.id] = [suggestion_item(s) for s in suggest(story.story, registry)]
        report.add(score_story(story, found[story.id]))
    return report, found


def warm_registries(gold: Gold) -> dict[str, Any]:
    """For each story, a registry of the gold actors of the *other* stories (leave-one-out), each with the
    spellings those stories' mentions use as aliases: the library has learned the people, not this story."""
    from annotations.registry import Registry

    spellings: dict[str, dict[str, set[str]]] = {}  # story -> actor name -> spellings
    for story in gold.stories:
        seen = spellings.setdefault(story.id, {})
        for item in story.items:
            if item.name:
                seen.setdefault(item.name, set())
            if item.kind == "actor" and item.name:
                seen[item.name].add(" ".join(item.exact.split()))
    by_name = {a.name: a for a in gold.actors.values()}
    out = {}
    for story in gold.stories:
        names: dict[str, set[str]] = {}
        for other in gold.stories:
            if other.id != story.id:
                for name, spelled in spellings[other.id].items():
                    names.setdefault(name, set()).update(spelled)
        entries = []
        for name, spelled in sorted(names.items()):
            actor = by_name[name]
            aliases = tuple(sorted(s for s in spelled if fold_name(s) != fold_name(name)))
            entries.append(Actor(id=actor.id, name=name, type=actor.type, aliases=aliases))
        out[story.id] = Registry(entries)
    return out


def main(argv: list[str] | None = None) -> int:
    from build_gold import GOLD_FILE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_FILE, help="the gold set (a wiredesk JSON export)")
    parser.add_argument("--warm", action="store_true", help="registry of the other stories' actors")
    parser.add_argument("--explain", metavar="STORY", help="misses and false positives of one story (id or file)")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    registries = warm_registries(gold) if args.warm else None
    if args.explain:
        story = gold.story(args.explain)
        gold = Gold([story], gold.actors)
    report, found = run(gold, registries)
    if args.explain:
        print("\n".join(explain(gold.stories[0], found[gold.stories[0].id])))
        print()
    print(f"{report.stories} stories, {'warm' if args.warm else 'cold'} registry")
    print(markdown(table(report)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
