"""The actor fixtures (tests/fixtures/suggest/a-*.txt): short stories in wire layouts with the mentions marked.

A fixture is registry lines (`@actor Name | type | alias; alias`), a line `---`, then the story, where a mention is
marked `[exact]{type}` or `[exact]{type|Registry or actor name}`, and `[exact]{-}` marks words that must NOT be
suggested (a demonym alone). The markup is taken out and the story parsed as an imported file would be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from annotations.actors import Actor
from annotations.registry import Registry
from stories.loader import parse_text
from stories.model import Story

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "suggest"
_MARK = re.compile(r"\[([^\]]+)\]\{([^}]*)\}")


@dataclass(frozen=True)
class Expected:
    start: int
    end: int
    exact: str
    type: str  # "-": must not be suggested
    actor: str


@dataclass(frozen=True)
class Fixture:
    name: str
    story: Story
    registry: Registry
    expected: tuple[Expected, ...]


def load(path: Path) -> Fixture:
    head, body = path.read_text("utf-8").split("---\n", 1)
    actors = []
    for line in head.splitlines():
        if line.startswith("@actor "):
            name, type_, *rest = [p.strip() for p in line[7:].split("|")]
            aliases = tuple(a.strip() for a in rest[0].split(";")) if rest else ()
            actors.append(Actor.new(name, type_, aliases=aliases))
    raw, marks = "", []
    for piece, mark in zip(_MARK.split(body)[::3], [*_MARK.finditer(body), None], strict=True):
        raw += piece
        if mark is not None:
            marks.append((mark.group(1), raw.count(mark.group(1)), *mark.group(2).partition("|")[::2]))
            raw += mark.group(1)
    story = parse_text(raw, path.name)[0]
    expected = []
    for exact, nth, type_, actor in marks:  # the nth occurrence in the raw text is the nth in the parsed story
        start = -1
        for _ in range(nth + 1):
            start = story.text.find(exact, start + 1)
        assert start != -1, f"{path.name}: {exact!r} not in the parsed story"
        expected.append(Expected(start, start + len(exact), exact, type_, actor or exact))
    return Fixture(path.stem, story, Registry(actors), tuple(expected))


def fixtures() -> list[Fixture]:
    return [load(p) for p in sorted(FIXTURES.glob("a-*.txt"))]
