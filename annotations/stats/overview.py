"""The figures the dashboard shows at once, in one call: what `wiredesk`'s dashboard draws and the benchmark times."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from annotations.stats.index import Officials, Pair, Row, StatsIndex

__all__ = ["PAIRED", "TOP", "Overview", "overview"]

#: How many speakers the weekly figure follows.
TOP = 5
#: Among how many of the most quoted speakers pairs quoted together are looked for.
PAIRED = 20


@dataclass(frozen=True)
class Overview:
    """Quotes by speaker (share of voice), by speaker type and by agency, quotes per week of the `TOP`
    speakers (`weeks`, and per speaker key its counts), the officials-only stories, the speakers most often quoted
    together (`Pair`s of the `PAIRED` most quoted), and how many stories quote 1, 2, 3… known speakers."""

    speakers: list[Row]
    types: list[Row]
    agencies: list[Row]
    weeks: list[str]
    weekly: dict[str, list[int]]
    officials: Officials
    pairs: list[Pair]
    speakers_per_story: dict[int, int]

    @property
    def mean_speakers(self) -> float:
        """Known speakers a story quotes, on average over the stories quoting one (0 when none does)."""
        stories = sum(self.speakers_per_story.values())
        return sum(n * k for n, k in self.speakers_per_story.items()) / stories if stories else 0.0


def overview(stats: StatsIndex, stories: Set[str] | None = None, annotators: Set[str] | None = None) -> Overview:
    """Every figure of the dashboard over `stories` (None: every story), of `annotators`' annotations (names as
    recorded; None: anyone's, see `annotations.layers.Layers.recorded_names`)."""
    speakers = stats.table("actor", kind="quote", stories=stories, annotators=annotators)
    top = [row.key for row in speakers if row.key][:TOP]
    weeks, weekly = stats.series(top, every="week", stories=stories, annotators=annotators)
    return Overview(
        speakers=speakers,
        types=stats.table("type", kind="quote", stories=stories, annotators=annotators),
        agencies=stats.table("agency", kind="quote", stories=stories, annotators=annotators),
        weeks=weeks,
        weekly=weekly,
        officials=stats.officials(stories, annotators),
        pairs=stats.cooccurrence(stories, top=PAIRED, annotators=annotators),
        speakers_per_story={n: len(found) for n, found in stats.speakers_per_story(stories, annotators).items()},
    )
