"""WeeklyPlot: quotes per week of the most quoted speakers, a textual-plot scatter on a time axis (weeks without
quotes keep their place) with one marker per speaker, so that the speakers are told apart without colour; `key`
names the markers (shown under the plot, wrapped, by the screen)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rich.text import Text
from textual_plot import PlotWidget
from textual_plot.axis_formatter import AxisFormatter

from stories.text import clean_line

__all__ = ["MARKERS", "WeeklyPlot"]

#: One marker per speaker, in the order the speakers come (most quoted first).
MARKERS = ("o", "x", "+", "*", "#", "@", "%", "&")


def _monday(week: str) -> date | None:
    """The Monday of an ISO week written "2026-W03"; None for anything else."""
    try:
        return date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    except ValueError:
        return None


class _Weeks(AxisFormatter):
    """Position n on the x axis is the n-th week from `first` (a Monday), labelled by its ISO week, short ("26W03":
    2026's third week)."""

    def __init__(self, first: date) -> None:
        self.first = first

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 6) -> list[float]:
        span = max(round(max_) - 1, 1)  # the weeks are at 1 … span (0 and span + 1 are margins)
        step = max(1, -(-span // max(max_ticks, 1)))
        return [float(n) for n in range(1, span + 1, step)]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        labels = []
        for tick in ticks:
            year, week, _ = (self.first + timedelta(weeks=round(tick) - 1)).isocalendar()
            labels.append(f"{year % 100:02d}W{week:02d}")
        return labels


class WeeklyPlot(PlotWidget, can_focus=False):
    """Weeks along x (labelled by ISO week), quotes up; `show` draws the figure anew."""

    DEFAULT_CSS = """
    WeeklyPlot { height: 1fr; min-height: 10; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels: list[str] = []

    @property
    def key(self) -> Text:
        """Which marker is which speaker."""
        if not self.labels:
            return Text("no quotes", style="dim")
        return Text("   ").join(Text.assemble((MARKERS[n], "bold"), f" {label}") for n, label in enumerate(self.labels))

    def show(self, weeks: list[str], series: list[tuple[str, list[int]]]) -> None:
        """Draw `series` ((speaker's name, quotes in each of `weeks`, ISO weeks in time order)), one marker each,
        every week at its place in time."""
        self.clear()
        mondays = [_monday(week) for week in weeks]
        first = min((m for m in mondays if m), default=date.today())
        place = [(m - first).days // 7 + 1 if m else 0 for m in mondays]
        span = max(place, default=1) or 1
        self.labels = []
        most = 0
        for n, (label, counts) in enumerate(series[: len(MARKERS)]):
            self.labels.append(clean_line(label)[:24])
            x = [place[i] for i, c in enumerate(counts) if c and place[i]]
            y = [c for i, c in enumerate(counts) if c and place[i]]
            most = max([most, *y])
            self.scatter(x, y, marker=MARKERS[n], label=self.labels[-1])
        self.show_legend(is_visible=False)  # a legend inside the plot would hide the points under it: see `key`
        self.set_xlabel("")
        self.set_xlimits(0, span + 1)
        self.set_x_formatter(_Weeks(first))
        self.set_xticks(_Weeks(first).get_ticks(0, span + 1))
        self.set_ylimits(0, most + 1)
        self.set_ylabel("quotes a week")
