"""WeeklyPlot: quotes per week of the most quoted speakers, a textual-plot scatter with one marker per speaker and
a legend, so that the speakers are told apart without colour."""

from __future__ import annotations

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
        """Draw `series` ((speaker's name, quotes in each of `weeks`)), one marker each."""
        self.clear()
        self.weeks = weeks
        self.labels = []
        for n, (label, counts) in enumerate(series[: len(MARKERS)]):
            name = clean_line(label)[:24]  # the legend shows the marker before it
            self.labels.append(name)
            x = [i + 1 for i, c in enumerate(counts) if c]
            y = [c for c in counts if c]
            self.scatter(x, y, marker=MARKERS[n], label=name)
        if weeks:
            self.set_xlabel(f"week 1 = {weeks[0]} … week {len(weeks)} = {weeks[-1]}")
            self.set_xlimits(0, len(weeks) + 1)
        else:
            self.set_xlabel("no quotes with a known speaker")
        self.set_ylabel("quotes")
        self.show_legend(is_visible=bool(self.labels))
