"""Build a large made-up wiredesk library, fast, in the store's real formats.

    python bench/make_library.py DIR --stories 10000 --annotations 200000 [--seed 1] [--linked]

Stories are generated wire copy (~4 KB: headline, inline dateline, ~10 paragraphs with names, figures and
quotes) built with `StoryBuilder`; their bodies go into `texts.pack` through `BodyPack.append`. The story
index and the annotations are written as generation-1 snapshots (`encode_snapshot`, the format compaction
writes) with `write_atomic`, so `Store(DIR)` opens the result like any library. Annotations are valid spans
(quotes, actors, claims; exact/prefix/suffix cut from the text), some with notes. Same seed, same library.
`--linked` also writes an actor registry (people, organisations, governments) and links most annotations to it
(speaker with a form, mentioned actor, claimant with a status; a few speakers much quoted), drawn from a random
generator of its own: the stories and spans are those of the same seed without it.
"""

from __future__ import annotations

import argparse
import random
import re
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from annotations.actors import Actor
from annotations.model import CONTEXT, FORMS, STATUSES
from annotations.store import ANNOTATIONS_FILE, STORIES_FILE
from annotations.store.atomic import write_atomic
from annotations.store.bodies import BodyPack
from annotations.store.records import ActorRecord, AnnotationRecord, Record, StoryRecord
from annotations.store.storage import encode_snapshot
from stories.model import Story, StoryBuilder, StoryMeta

__all__ = ["make_library"]

FIRST = (
    "Petra Samir Hanne Elin Karl Mira Anders Jon Mark Aylin Mehmet Olga Ivan Li Wei Chen Amara Kofi Lucia "
    "Diego Sofia Tomas Ingrid Yusuf Fatima Hiroshi Ana Pavel Nadia Omar Grace Daniel Leila Rashid Marta"
).split()
LAST = (
    "Lind Qadri Voss Stray Uddan Hagen Feld Eck Heller Demir Yilmaz Petrova Sokolov Zhang Wang Okafor Mensah "
    "Rossi Alvarez Novak Berg Aksoy Haddad Tanaka Costa Dvorak Karimi Farouk Osei Levy Nasser Kowalski Ibarra"
).split()
ROLES = (
    "Environment Minister|Finance Minister|the mayor|a company spokesperson|the union leader|Dr.|the lawyer|"
    "the committee chair|a senior official|the prosecutor|the central bank governor|an analyst|the ambassador"
).split("|")
ORGS = (
    "Nordvolt|the Northern Energy Institute|the regional court|the Ministry of Health|the port authority|"
    "the fisheries board|the Central Bank|the national rail operator|the World Food Programme|the city council|"
    "the opposition party|the farmers' union|the Red Crescent|the state broadcaster|the chamber of commerce"
).split("|")
PLACES = (
    "BRESKA|VARNA|ANKARA|LONDON|NAIROBI|LIMA|OSLO|HANOI|CAIRO|QUITO|RIGA|TUNIS|DHAKA|ACCRA|PORTO|GENEVA|"
    "BOGOTA|TBILISI|MANILA|DAKAR"
).split("|")
AGENCIES = ("Reuters", "AP", "AFP", "Anadolu", "TASS", "Xinhua")
SECTIONS = ("World", "Business", "Politics", "Environment", "Health", "Energy", "Markets", "Europe", "Africa")
TOPICS = (
    "water rights|rail signal failures|the library vote|dam releases|grain exports|fuel prices|a port strike|"
    "the housing plan|flood defences|a vaccine rollout|the budget deficit|mining licences|bus fares|fishing quotas|"
    "the new airport|pension reform|power cuts|teacher pay|a border crossing|wildfire funding"
).split("|")
VERBS = ("said", "told reporters", "said in a statement", "told the committee", "wrote on social media", "added")
WHEN = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend", "late on Sunday")
FACTS = (
    "{org} said {n}% of {topic} complaints had been resolved since {year}",
    "Talks on {topic} broke down {when} after {org} rejected a proposal worth {n} million euros",
    "The dispute over {topic} has dragged on for {k} years and involves about {n},000 households",
    "{org} plans to spend {n} million on {topic} over the next {k} years, according to documents seen by reporters",
    "Officials in {place} estimate that {topic} costs the region {n} million a year",
    "Figures published {when} by {org} showed a fall of {n}% in the first quarter",
    "About {n} people gathered outside the offices of {org} {when} to protest over {topic}",
    "The plan still needs approval from {org}, which is expected to vote on it within {k} weeks",
    "Shares in companies linked to {topic} fell {n}% {when} before recovering some ground",
    "A report commissioned by {org} found that {n} of {k}0 sites inspected failed basic safety checks",
    "Residents of {place} have complained about {topic} for more than {k} years",
    "Neither side gave details of the agreement, which {org} said would be signed within {k} days",
)
SAYINGS = (
    "This is the first time anyone has listened to us on {topic}",
    "We have waited {k} years for this decision and we will not wait any longer",
    "The numbers simply do not add up, and {org} knows it",
    "Nobody should pay more because of {topic}",
    "We will study the ruling carefully before deciding what to do next",
    "It is a good day for {place} and a bad day for those who ignored the warnings",
    "There is no evidence that {topic} caused the losses",
    "Our members are ready to go back to the table tomorrow",
    "We warned {org} about {topic} {k} years ago and nothing was done",
    "The law is clear, and the court has now said so",
    "Every family in {place} will feel the difference by the end of the year",
    "We are not against progress, we are against being ignored",
    "The ministry's figures on {topic} are out of date by at least {k} years",
    "If the money arrives, the work can start within {k} weeks",
)
NOTES = ("check speaker", "second source?", "paraphrase, not a quote", "disputed figure", "follow up", "see wire 2")
ANNOTATORS = ("ana", "ben", "chidi")

_QUOTE = re.compile(r'"[^"\n]{8,300}"')
_SENTENCE = re.compile(r"[A-Z][^.!?\"\n]{30,260}[.]")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _fill(template: str, rng: random.Random, place: str) -> str:
    return template.format(
        org=rng.choice(ORGS),
        topic=rng.choice(TOPICS),
        n=rng.randint(2, 95),
        k=rng.randint(2, 15),
        year=rng.randint(2005, 2024),
        when=rng.choice(WHEN),
        place=place.title(),
    )


def _paragraph(rng: random.Random, place: str, names: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(2, 3)):
        roll = rng.random()
        if roll < 0.45:
            fact = _fill(rng.choice(FACTS), rng, place)
            parts.append(fact[:1].upper() + fact[1:] + ".")
        elif roll < 0.8:
            speaker = rng.choice(names)
            saying = _fill(rng.choice(SAYINGS), rng, place)
            parts.append(f'"{saying}," {rng.choice(ROLES)} {speaker} {rng.choice(VERBS)}.')
        else:
            speaker = rng.choice(names)
            saying = _fill(rng.choice(SAYINGS), rng, place)
            saying = saying[:1].lower() + saying[1:]
            org = rng.choice(ORGS)
            parts.append(
                f'{speaker} of {org} said the decision showed "{saying}" and called for talks {rng.choice(WHEN)}.'
            )
    return " ".join(parts)


def make_story(rng: random.Random, index: int, day: date) -> Story:
    """One made-up wire story of about 4 KB."""
    place = rng.choice(PLACES)
    agency = rng.choice(AGENCIES)
    topic = rng.choice(TOPICS)
    names = [_name(rng) for _ in range(rng.randint(3, 6))]
    org = rng.choice(ORGS)
    headline = f"{org[0].upper()}{org[1:]} under pressure over {topic} in {place.title()} ({index})"
    dateline_date = f"{day:%b} {day.day}"
    builder = StoryBuilder()
    builder.add("headline", headline)
    builder.add("dateline", f"{place}, {dateline_date} ({agency}) -", inline=True)
    size = 0
    target = rng.randint(3400, 4600)
    while size < target:
        para = _paragraph(rng, place, names)
        builder.add("paragraph", para)
        size += len(para) + 2
    authors = tuple(_name(rng) for _ in range(rng.randint(1, 3)))
    dated = rng.random() < 0.7
    meta = StoryMeta(
        headline=headline,
        section=rng.choice(SECTIONS),
        agency=agency,
        authors=authors,
        dateline=place,
        created=day.isoformat() if dated else None,
        updated=(day + timedelta(days=1)).isoformat() if dated and rng.random() < 0.2 else None,
        source=f"/wires/{agency.lower()}/{day.isoformat()}-{index:06d}.txt",
        format="text",
        extra={} if dated else {"dateline_date": dateline_date},
    )
    return builder.build(meta)


def _spans(story: Story, names: re.Pattern[str]) -> dict[str, list[tuple[int, int]]]:
    text = story.text
    return {
        "quote": [m.span() for m in _QUOTE.finditer(text)],
        "actor": [m.span() for m in names.finditer(text)],
        "claim": [m.span() for m in _SENTENCE.finditer(text)],
    }


def make_annotations(
    rng: random.Random, story: Story, count: int, names: re.Pattern[str], stamp: str, linker: _Linker | None = None
) -> dict[str, dict]:
    """`count` valid annotations of `story` (quotes, actors, claims), some with notes: fields by id."""
    found = _spans(story, names)
    for spans in found.values():
        rng.shuffle(spans)
    out: dict[str, dict] = {}
    text = story.text
    for _ in range(count):
        kinds = [k for k in ("quote", "actor", "claim") if found[k]]
        if not kinds:  # every span is taken
            break
        kind = rng.choices(kinds, weights=[{"quote": 4, "actor": 4, "claim": 2}[k] for k in kinds])[0]
        start, end = found[kind].pop()
        if kind == "quote":  # the words inside the quote marks
            start, end = start + 1, end - 1
        ann_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        out[ann_id] = dict(
            story_id=story.id,
            kind=kind,
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT) : start],
            suffix=text[end : end + CONTEXT],
            note=rng.choice(NOTES) if rng.random() < 0.15 else "",
            annotator=rng.choice(ANNOTATORS),
            created=stamp,
            modified=stamp,
        )
        if linker is not None:
            out[ann_id].update(linker.links(kind, text[start:end]))
    return out


GOVERNMENTS = ("the Ministry of Health", "the Central Bank", "the city council", "the regional court")


class _Linker:
    """Registry entries made on first use, and the links of an annotation (its own random generator)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed * 7919 + 17)
        self.actors: dict[str, dict] = {}  # id -> fields
        self.by_name: dict[str, str] = {}
        people = sorted({f"{f} {s}" for f in FIRST for s in LAST})
        self.rng.shuffle(people)
        self.speakers = [*people[:5], *ORGS, *people[5:200]]
        self.weights = [1 / (n + 1) for n in range(len(self.speakers))]  # a few speakers much quoted

    def entry(self, name: str) -> str:
        if name not in self.by_name:
            kind = "government" if name in GOVERNMENTS else "organisation" if name in ORGS else "person"
            made = Actor.new(name, kind)
            actor_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            fields = {k: getattr(made, k) for k in ActorRecord.__struct_fields__ if k != "id"}
            self.actors[actor_id] = {**fields, "created": "2025-01-01T00:00:00Z", "modified": "2025-01-01T00:00:00Z"}
            self.by_name[name] = actor_id
        return self.by_name[name]

    def links(self, kind: str, exact: str) -> dict:
        rng = self.rng
        if rng.random() < 0.1:  # left unlinked
            return {}
        if kind == "actor":
            return {"actor": self.entry(exact)}
        who = self.entry(rng.choices(self.speakers, self.weights)[0])
        if kind == "quote":
            return {"speaker": who, "form": rng.choice(FORMS)}
        return {"claimant": who, "status": rng.choice(STATUSES)}


def _table(docs: dict[str, dict], record_type: type[Record]) -> dict[str, Record]:
    """A snapshot table as the store keeps it: TinyDB document ids 1, 2, … with our id in each record's `id`
    (or, if the record type has no `id` field, as in the store's first format, our id as the document id)."""
    if "id" in record_type.__struct_fields__:
        return {str(n): record_type(id=key, **fields) for n, (key, fields) in enumerate(docs.items(), 1)}
    return {key: record_type(**fields) for key, fields in docs.items()}


def make_library(
    data_dir: Path, stories: int, annotations: int, seed: int = 1, batch: int = 1000, *, linked: bool = False
) -> dict:
    """Write a library of `stories` stories and `annotations` annotations into the empty dir `data_dir`."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if any(data_dir.iterdir()):
        raise SystemExit(f"make_library: {data_dir} is not empty")
    rng = random.Random(seed)
    linker = _Linker(seed) if linked else None
    names = re.compile("|".join(sorted({f"{f} {s}" for f in FIRST for s in LAST}, key=len, reverse=True)))
    pack = BodyPack(data_dir)
    index: dict[str, dict] = {}
    anns: dict[str, dict] = {}
    per_story = [annotations // stories + (1 if i < annotations % stories else 0) for i in range(stories)]
    first_day = date(2025, 1, 1)
    started = time.perf_counter()
    for lo in range(0, stories, batch):
        made: list[Story] = []
        for i in range(lo, min(lo + batch, stories)):
            day = first_day + timedelta(days=i % 365)
            story = make_story(rng, i, day)
            while story.id in index or any(s.id == story.id for s in made):  # practically never
                story = make_story(rng, i, day)
            made.append(story)
        spans = pack.append(made)
        for i, (story, span) in enumerate(zip(made, spans, strict=True), lo):
            day = first_day + timedelta(days=i % 365)
            added = f"{day.isoformat()}T09:{i % 60:02d}:00Z"
            index[story.id] = {**story.meta.to_dict(), "added": added, "body": span}
            anns.update(
                make_annotations(rng, story, per_story[i], names, f"{day.isoformat()}T10:{i % 60:02d}:00Z", linker)
            )
    write_atomic(data_dir / STORIES_FILE, encode_snapshot({"stories": _table(index, StoryRecord)}, 1))
    tables = {"annotations": _table(anns, AnnotationRecord)}
    if linker is not None:
        tables["actors"] = _table(linker.actors, ActorRecord)
    write_atomic(data_dir / ANNOTATIONS_FILE, encode_snapshot(tables, 1))
    return {"stories": len(index), "annotations": len(anns), "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="an empty or new folder")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--linked", action="store_true", help="an actor registry, and annotations linked to it")
    args = parser.parse_args(argv)
    if args.stories < 1 or args.annotations < 0:
        parser.error("--stories must be at least 1 and --annotations at least 0")
    done = make_library(args.dir, args.stories, args.annotations, args.seed, linked=args.linked)
    print(f"{args.dir}: {done['stories']} stories, {done['annotations']} annotations in {done['seconds']:.1f} s")


if __name__ == "__main__":
    main()
