"""The figures the dashboard shows at once, in one call: what `wiredesk`'s dashboard draws and the benchmark times."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from annotations.stats.index import Officials, Row, StatsIndex

__all__ = ["TOP", "Overview", "overview"]

#: How many speakers the weekly figure follows.
TOP = 5


@dataclass(frozen=True)
class Overview:
    """Quotes by speaker (share of voice), by speaker type and by agency, quotes per week of the `TOP`
    speakers (`weeks`, and per speaker key its counts), and the officials-only stories."""

    speakers: list[Row]
    types: list[Row]
    agencies: list[Row]
    weeks: list[str]
    weekly: dict[str, list[int]]
    officials: Officials


def overview(stats: StatsIndex, stories: Set[str] | None = None) -> Overview:
    """Every figure of the dashboard over `stories` (None: every story)."""
    speakers = stats.table("actor", kind="quote", stories=stories)
    top = [row.key for row in speakers if row.key][:TOP]
    weeks, weekly = stats.series(top, every="week", stories=stories)
    return Overview(
        speakers=speakers,
        types=stats.table("type", kind="quote", stories=stories),
        agencies=stats.table("agency", kind="quote", stories=stories),
        weeks=weeks,
        weekly=weekly,
        officials=stats.officials(stories),
    )
