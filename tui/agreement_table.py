"""The agreement measure as Rich tables, for `wiredesk agree` and the app's agreement screen alike: a table per kind
(span F1 exact and by overlap, κ per pair and α for all on each attribute), the stories, the disagreements.

Every cell is a `Text` of a cleaned string (names and spans come from other people's layers): no markup is read.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from annotations.agreement.report import ATTRIBUTES, Agreement, Disagreement, KindScores, SpanCounts, shown_name
from annotations.model import quoted
from stories.model import short_id
from stories.text import clean_line

__all__ = ["UNDEFINED", "disagreement_cells", "figure", "kind_table", "report", "said", "story_table"]

#: How a measure that is undefined (no pairs, one value only) is shown.
UNDEFINED = "—"


def figure(value: float | None) -> str:
    """A measure to two decimals, or UNDEFINED."""
    return UNDEFINED if value is None else f"{value:.2f}"


def _counts(counts: SpanCounts) -> str:
    return f"{counts.first}/{counts.second}"


def kind_table(scores: KindScores) -> Table:
    """One kind: a row per pair of annotators (κ on the attributes), then all of them (α)."""
    attributes = ATTRIBUTES[scores.kind]
    total = sum(scores.spans.values())
    table = Table(title=Text(f"{scores.kind} · {total} span{'s' if total != 1 else ''}"), title_justify="left")
    table.add_column("annotators")
    table.add_column("spans", justify="right")
    table.add_column("exact F1", justify="right")
    table.add_column("overlap F1", justify="right")
    table.add_column("P/R", justify="right")
    for attribute in attributes:
        table.add_column(attribute, justify="right")
    for pair in scores.pairs:
        table.add_row(
            Text(f"{shown_name(pair.first)} · {shown_name(pair.second)} (κ)"),
            Text(_counts(pair.overlap)),
            Text(figure(pair.exact.f1)),
            Text(figure(pair.overlap.f1)),
            Text(f"{figure(pair.overlap.precision)}/{figure(pair.overlap.recall)}"),
            *(Text(figure(pair.kappa[a])) for a in attributes),
        )
    table.add_row(
        Text("all (α)"),
        Text(str(total)),
        Text(figure(scores.exact.f1)),
        Text(figure(scores.overlap.f1)),
        Text(""),
        *(Text(figure(scores.alpha[a])) for a in attributes),
    )
    return table


def story_table(result: Agreement, most: int | None = None) -> Table:
    """A row per story and kind: F1 of all pairs added up, and how many disagreements; `most`: only that many
    stories, those of lowest agreement (overlap F1 of their kinds added up) first."""
    stories = result.stories
    title = "per story"
    if most is not None and len(stories) > most:
        stories = sorted(stories, key=lambda s: sum((k.overlap for k in s.kinds), SpanCounts()).f1 or 0.0)[:most]
        title = f"per story: the {most} of lowest agreement, of {len(result.stories)} (wiredesk agree lists all)"
    table = Table(title=Text(title), title_justify="left")
    for name, justify in (("story", "left"), ("kind", "left"), ("exact F1", "right"), ("overlap F1", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]  # a literal of Rich's JustifyMethod
    table.add_column("differences", justify="right")
    counts: dict[tuple[str, str], int] = {}
    for d in result.disagreements:
        counts[d.story_id, d.kind] = counts.get((d.story_id, d.kind), 0) + 1
    for story in stories:
        for scores in story.kinds:
            table.add_row(
                Text(_story(story.story_id, story.headline)),
                Text(scores.kind),
                Text(figure(scores.exact.f1)),
                Text(figure(scores.overlap.f1)),
                Text(str(counts.get((story.story_id, scores.kind), 0))),
            )
    return table


def _story(story_id: str, headline: str, width: int = 40) -> str:
    line = clean_line(headline)
    return f"{short_id(story_id)} {line if len(line) <= width else line[: width - 1] + '…'}"


def said(d: Disagreement) -> str:
    """Who said what, on one line: "ana: Fidan · ben: Erdoğan"."""
    return " · ".join(f"{shown_name(name)}: {clean_line(value)}" for name, value in d.said.items())


#: The disagreement table's columns.
DISAGREEMENT_COLUMNS = ("story", "kind", "differs", "span", "who said what")


def disagreement_cells(d: Disagreement) -> tuple[str, ...]:
    """One disagreement as the cells of DISAGREEMENT_COLUMNS, each on one line and terminal-safe."""
    return (_story(d.story_id, d.headline, 16), d.kind, d.what, quoted(d.exact, 24), said(d))


def disagreement_table(result: Agreement) -> Table:
    table = Table(title=Text(f"disagreements · {len(result.disagreements)}"), title_justify="left")
    for column in DISAGREEMENT_COLUMNS:
        table.add_column(column)
    for d in result.disagreements:
        table.add_row(*map(Text, disagreement_cells(d)))
    return table


def report(result: Agreement, *, disagreements: bool = True, stories: int | None = None) -> RenderableType:
    """The whole measure: the annotators, a table per kind, the stories (`stories`: that many at most, see
    `story_table`), then (unless told not) the disagreements."""
    names = ", ".join(shown_name(n) for n in result.annotators)
    parts: list[RenderableType] = [Text(f"agreement between {names}: F1 of spans; κ (pairs) and α (all) on attributes")]
    parts += [kind_table(scores) for scores in result.kinds]
    if not result.kinds:
        parts.append(Text("nothing to compare: no story was annotated by two of them"))
    if result.stories:
        parts.append(story_table(result, stories))
    if disagreements:
        parts.append(disagreement_table(result))
    return Group(*parts)
