"""Horizontal bars as Rich text, for the dashboard and `wiredesk stats --plot`: a label, a bar of full and
partial blocks and the figure, readable without colour (the bar's length is the figure, never its hue)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from stories.text import clean_line

__all__ = ["bar", "bars"]

_PARTS = " ▏▎▍▌▋▊▉"


def bar(value: float, most: float, width: int) -> str:
    """A bar `width` cells at most, `value`'s share of `most`, to an eighth of a cell; a value above 0 shows."""
    if most <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(8 * width * min(value, most) / most))
    return "█" * (eighths // 8) + (_PARTS[eighths % 8] if eighths % 8 else "")


def bars(rows: Sequence[tuple[str, float, str]], width: int, label_width: int = 24) -> Text:
    """One line per (label, value, figure): the label cut to `label_width`, the bar, the figure."""
    out = Text(no_wrap=True, overflow="ellipsis")
    most = max((value for _, value, _ in rows), default=0)
    figure_width = max((len(figure) for _, _, figure in rows), default=0)
    room = max(1, width - label_width - figure_width - 3)
    for n, (label, value, figure) in enumerate(rows):
        name = clean_line(label)
        name = name if len(name) <= label_width else name[: label_width - 1] + "…"
        out.append(f"{name:<{label_width}} ")
        out.append(f"{bar(value, most, room):<{room}}", style="bold")
        out.append(f" {figure:>{figure_width}}")
        if n < len(rows) - 1:
            out.append("\n")
    return out
