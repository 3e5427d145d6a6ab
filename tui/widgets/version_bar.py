"""VersionBar: one line under the header of a story with several versions: which version this is, when it was
updated, what changed since the version before, and how many carried annotations wait for review."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from stories.text import clean_line

__all__ = ["VersionBar", "VersionFacts"]


@dataclass(frozen=True)
class VersionFacts:
    """What the bar says (all plain values: the reader works them out)."""

    number: int
    versions: int
    updated: str = ""  # when the wire says this version was made ("" if it does not)
    changed: int | None = None  # paragraphs changed since the version before (None: the first version)
    to_review: int = 0
    review_key: str = "R"
    diff_key: str = ""


class VersionBar(Static):
    """The version line; `show` puts new facts on it."""

    DEFAULT_CSS = """
    VersionBar {
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
    }
    """

    def __init__(self, facts: VersionFacts, *, id: str | None = None) -> None:
        super().__init__(self.line(facts), id=id)
        self.facts = facts

    def show(self, facts: VersionFacts) -> None:
        self.facts = facts
        self.update(self.line(facts))

    @staticmethod
    def line(facts: VersionFacts) -> Text:
        """`version 2 of 3 · updated 2026-03-04 14:05 · 2 paragraphs changed · 1 to review (R)`."""
        out = Text()
        out.append(f"version {facts.number} of {facts.versions}", style="bold")
        if facts.updated:
            out.append(f" · updated {clean_line(facts.updated)}")
        if facts.changed is not None:
            word = "paragraph" if facts.changed == 1 else "paragraphs"
            out.append(f" · {facts.changed} {word} changed" if facts.changed else " · no paragraph changed")
            if facts.diff_key:
                out.append(f" ({facts.diff_key} shows them)", style="dim")
        if facts.to_review:
            out.append(f" · {facts.to_review} to review", style="bold")
            out.append(f" ({facts.review_key})", style="dim")
        return out
