"""WeeklyPlot: quotes per week of the most quoted speakers, a textual-plot scatter with one marker per speaker and
a legend, so that the speakers are told apart without colour."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from textual_plot import PlotWidget
from textual_plot.axis_formatter import AxisFormatter

from stories.text import clean_line

__all__ = ["MARKERS", "WeeklyPlot"]

#: One marker per speaker, in the order the speakers come (most quoted first).
MARKERS = ("o", "x", "+", "*", "#", "@", "%", "&")


class _Weeks(AxisFormatter):
    """Week n on the x axis labelled by its ISO week, short ("26W03": 2026's third week)."""

    def __init__(self, weeks: list[str]) -> None:
        self.weeks = weeks

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        step = max(1, len(self.weeks) // max(max_ticks, 1))
        return [float(n) for n in range(1, len(self.weeks) + 1, step)]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        labels = []
        for tick in ticks:
            n = round(tick) - 1
            week = self.weeks[n] if 0 <= n < len(self.weeks) else ""
            labels.append(f"{week[2:4]}W{week[6:]}" if len(week) == 8 else week)
        return labels


class WeeklyPlot(PlotWidget, can_focus=False):
    """Weeks along x (labelled by ISO week), quotes up; `show` draws the figure anew."""

    DEFAULT_CSS = """
    WeeklyPlot { height: 1fr; min-height: 10; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.weeks: list[str] = []
        self.labels: list[str] = []

    def show(self, weeks: list[str], series: list[tuple[str, list[int]]]) -> None:
        """Draw `series` ((speaker's name, quotes in each of `weeks`)), one marker each; the key to the markers is
        the x axis's label (a legend inside the plot would hide the points under it)."""
        self.clear()
        self.weeks = weeks
        self.labels = []
        most = 0
        for n, (label, counts) in enumerate(series[: len(MARKERS)]):
            self.labels.append(clean_line(label)[:24])
            x = [i + 1 for i, c in enumerate(counts) if c]
            y = [c for c in counts if c]
            most = max([most, *y])
            self.scatter(x, y, marker=MARKERS[n], label=self.labels[-1])
        self.show_legend(is_visible=False)
        key = "   ".join(f"{MARKERS[n]} {label}" for n, label in enumerate(self.labels)) or "no quotes"
        self.set_xlabel(escape(key))  # the plot reads its labels as Rich markup: names are text
        self.set_xlimits(0, len(weeks) + 1)
        self.set_x_formatter(_Weeks(weeks))
        self.set_xticks(_Weeks(weeks).get_ticks(0, len(weeks) + 1))
        self.set_ylimits(0, most + 1)
        self.set_ylabel("quotes a week")
