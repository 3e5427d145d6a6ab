"""WeeklyPlot: quotes per week of the most quoted speakers, a textual-plot scatter with one marker per speaker and
a legend, so that the speakers are told apart without colour."""

from __future__ import annotations

from rich.markup import escape
from textual_plot import PlotWidget

from stories.text import clean_line

__all__ = ["MARKERS", "WeeklyPlot"]

#: One marker per speaker, in the order the speakers come (most quoted first).
MARKERS = ("o", "x", "+", "*", "#", "@", "%", "&")


class WeeklyPlot(PlotWidget, can_focus=False):
    """Weeks along x (numbered from the first shown), quotes up; `show` draws the figure anew."""

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
        step = max(1, len(weeks) // 8)
        self.set_xticks(list(range(1, len(weeks) + 1, step)))
        self.set_ylimits(0, most + 1)
        span = f"week 1 = {weeks[0]}" if weeks else ""
        if len(weeks) > 1:
            span += f" … week {len(weeks)} = {weeks[-1]}"
        self.set_ylabel(escape(f"quotes a week · {span}" if span else "quotes a week"))
