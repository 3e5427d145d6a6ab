"""Helpers for the suggester's tests: fixture stories with their expectations, and the suggester run on them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotations.registry import Registry
from annotations.suggest import Suggestion, suggest
from stories.model import Story, StoryBuilder, StoryMeta

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "suggest"


@dataclass(frozen=True)
class Expected:
    """One expected suggestion: kind and form ("direct", "partial", "indirect" or "claim"), the start of its text,
    and its speaker or claimant ("" for none)."""

    form: str
    prefix: str
    who: str


def story_of(*paragraphs: str) -> Story:
    builder = StoryBuilder()
    for text in paragraphs:
        builder.add("paragraph", text)
    return builder.build(StoryMeta(headline="Test story"))


def load_fixture(path: Path) -> tuple[Story, list[Expected]]:
    """A `q-*.txt` fixture: paragraphs, then "=== expect" and one `form | text prefix | who` line each."""
    body, _, expect = path.read_text(encoding="utf-8").partition("=== expect")
    story = story_of(*(p.strip() for p in body.strip().split("\n\n")))
    expected = []
    for line in expect.strip().splitlines():
        form, prefix, who = (part.strip() for part in line.split("|"))
        expected.append(Expected(form, prefix, "" if who == "-" else who))
    return story, expected


def run(story: Story, registry: Registry | None = None) -> list[Suggestion]:
    return suggest(story, registry or Registry([]))


def quotes_of(suggestions: list[Suggestion], form: str | None = None) -> list[Suggestion]:
    return [s for s in suggestions if s.kind == "quote" and (form is None or s.form == form)]


def fixtures(prefix: str = "q-") -> list[Path]:
    return sorted(FIXTURES.glob(f"{prefix}*.txt"))
