"""A small library for the export tests, the same on every run (fixed ids and times): overlapping spans, links
(one to an entry merged into another), non-ASCII text and a character beyond the BMP, quotes in text, newlines
in notes, a quote across two paragraphs, claims with a status, a story without annotations whose headline is
hostile, and cells that look like formulas."""

from __future__ import annotations

from dataclasses import replace

from annotations.actors import Actor
from annotations.model import Annotation
from annotations.store import Store
from stories.model import Story, StoryBuilder, StoryMeta

T0 = "2026-02-10T09:00:00Z"


def _story(headline: str, *paragraphs: str, **meta: object) -> Story:
    builder = StoryBuilder()
    builder.add("headline", headline)
    for text in paragraphs:
        builder.add("paragraph", text)
    return builder.build(StoryMeta(headline="", **meta))  # type: ignore[arg-type]


RIVER = _story(
    "Mayor says river bridge “will reopen in May”",
    "“The bridge will reopen in May,” Mayor Ines Okafor said on Monday. “Traffic will flow again,",
    "and the night ferries can stop,” she told reporters at the *old* toll house.",
    'Engineers said the cracks were "minor" & [routine], see https://council.example/report #3.',
    "- 5 piers were checked; the Port authority disputed that.",
    agency="Associated Press",
    created="2026-02-09T18:00:00Z",
    updated="2026-02-10T08:30:00Z",
    dateline="FERNSIDE",
    authors=("Dana Reyes",),
)
FERRY = _story(
    "Ferries sail again after İzmir strike 🚢",
    "İZMIR, March 1 (Reuters) - Ferry services resumed on Sunday 🚢 after a two-day strike, "
    "Şükrü Öztürk of the Fernside Port Authority said.",
    '"It is over," he said. Crews called the deal “fair to everyone”.',
    agency="Reuters",
    created="2026-03-01T12:00:00Z",
)
QUIET = _story(
    "../../etc/passwd [click](http://evil.example) <b>bold</b>",
    "Nothing happened at the port today.",
    created="2026-01-05",
)


def _actor(n: int, name: str, type: str, **fields: object) -> Actor:
    return Actor(id=f"00000000-0000-4000-8000-{n:012d}", name=name, type=type, created=T0, modified=T0, **fields)  # type: ignore[arg-type]


OKAFOR = _actor(1, "Ines Okafor", "person", aliases=("Mayor Okafor",), external_id="Q1", note="Mayor of Fernside")
AUTHORITY = _actor(2, "Fernside Port Authority", "organisation", aliases=("Port authority",))
PORT = _actor(3, "Port authority", "organisation", merged_into=AUTHORITY.id)
OZTURK = _actor(4, "Şükrü Öztürk", "person")
ACTORS = (OKAFOR, AUTHORITY, PORT, OZTURK)


def _ann(
    n: int, story: Story, exact: str, kind: str, annotator: str = "ana", note: str = "", **fields: object
) -> Annotation:
    start = story.text.index(exact)
    ann = Annotation.new(story, kind, start, start + len(exact), note=note, annotator=annotator)
    stamp = f"2026-03-02T10:{n:02d}:00Z"
    return replace(ann, id=f"10000000-0000-4000-8000-{n:012d}", created=stamp, modified=stamp, **fields)  # type: ignore[arg-type]


ANNOTATIONS = (
    _ann(1, RIVER, "The bridge will reopen in May", "quote", speaker=OKAFOR.id, form="direct", cue="said"),
    _ann(2, RIVER, "Mayor Ines Okafor", "actor", actor=OKAFOR.id),
    _ann(
        3,
        RIVER,
        "will reopen in May,” Mayor Ines Okafor",
        "claim",
        note='The dredging report says "August".\nAsk the council.',
        claimant=OKAFOR.id,
        status="disputed",
    ),
    _ann(
        4,
        RIVER,
        "Traffic will flow again,\n\nand the night ferries can stop,",
        "quote",
        annotator="=bob",
        note="Split across two paragraphs.",
        speaker=OKAFOR.id,
        form="direct",
        cue="told reporters",
    ),
    _ann(5, RIVER, "she", "actor", actor=OKAFOR.id),
    _ann(
        6,
        RIVER,
        'the cracks were "minor" & [routine], see https://council.example/report #3',
        "claim",
        note="-check with engineers",
        claimant=PORT.id,
        status="false",
    ),
    _ann(7, RIVER, "the Port authority", "actor", actor=PORT.id),
    _ann(8, RIVER, "Engineers", "actor", annotator=""),
    _ann(9, FERRY, "Fernside Port Authority", "actor", actor=AUTHORITY.id),
    _ann(10, FERRY, "It is over", "quote", speaker=OZTURK.id, form="direct", cue="he said"),
    _ann(
        11,
        FERRY,
        "Ferry services resumed on Sunday 🚢 after a two-day strike",
        "claim",
        claimant=PORT.id,
        status="supported",
    ),
    _ann(12, FERRY, "fair to everyone", "quote", form="partial", note="Crews, not the union."),
    _ann(13, RIVER, "- 5 piers were checked", "claim", annotator="@carl"),
)


def fill(store: Store) -> Store:
    """Put the fixture stories, registry and annotations into an empty store."""
    store.add_stories([RIVER, FERRY, QUIET])
    store.apply([(None, a) for a in ACTORS] + [(None, a) for a in ANNOTATIONS])
    return store
