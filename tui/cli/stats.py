"""`wiredesk stats`: who is quoted, mentioned and makes claims over the stories a filter selects, grouped (the
rule is `annotations.stats`; this module selects, prints tables, JSON or CSV, and draws bars)."""

from __future__ import annotations

import csv
import json

import click

from annotations import config
from annotations.exports.csv import neutralise
from annotations.layers import chosen_note, layers_of
from annotations.model import FORMS, KINDS
from annotations.search import parse_query
from annotations.stats import BY, StatsIndex, select
from annotations.stats.index import Row
from stories.text import clean_line
from tui.bars import bars
from tui.cli.base import echo_rich, open_store, user_errors, utf8_stdout
from tui.cli.search import ensure_index

__all__ = ["COMMANDS"]

FORMATS = ("table", "json", "csv")
#: The columns of the JSON objects and the CSV, after `by`, `key` and `label`.
COUNTS = (*KINDS, "unstated", *FORMS)
#: Rows a table or plot shows, most counted first (json and csv give every row).
TABLE_LIMIT = 30


@click.command(context_settings={"ignore_unknown_options": True})  # `stats -Norway`: -Norway is a word
@click.argument("filter_", metavar="[FILTER]...", nargs=-1)
@click.option("--by", type=click.Choice(BY), default="actor", show_default=True, help="What to group by.")
@click.option("--kind", type=click.Choice(KINDS), help="Count this kind only (and share of it): quote, actor, claim.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--plot", is_flag=True, help="Draw the figures as bars in the terminal (with a table).")
@click.option(
    "--layer",
    metavar="NAME",
    help="Count only this annotator layer: yours, another annotator's, curated, or all. Default: curated once the "
    "library has a curated layer, else all.",
)
@click.pass_context
@user_errors
def stats(
    ctx: click.Context, filter_: tuple[str, ...], by: str, kind: str | None, fmt: str, plot: bool, layer: str | None
) -> None:
    """Count quotes, actor mentions and claims over the stories FILTER selects (the library filter: words,
    "phrases", quoting:NAME actor:NAME claimant:NAME claims:STATUS thread:ID agency:NAME since:DATE until:DATE…; none:
    every story), by actor, actor type, agency, section, day, week or month.

    Each row's share is of the table's total (of --kind when given: --kind quote --by actor is the share of
    voice). JSON and CSV: one row per group with its key, label, counts per kind and quote form, and share.
    With a team's layers, what is counted is one layer (--layer; the curated one by default once it exists), so
    that a span several annotators tagged counts once."""
    text = " ".join(filter_)
    query = parse_query(text)
    if query.errors:
        raise click.ClickException(query.errors[0])
    store = open_store(ctx, write=False)
    chosen = select(store, text, ensure_index(store) if query.match else None)
    if chosen.errors:
        raise click.ClickException(chosen.errors[0])
    for note in chosen.notes:
        click.echo(note, err=True)
    layers, index = layers_of(config.load_config()), StatsIndex(store)
    names = index.annotator_names()
    present = layers.ordered(layers.of_name(name) for name in names)
    counted = layers.choose(layer, present)
    if note := chosen_note(layer, counted, present):
        click.echo(f"counting {note}", err=True)
    annotators = layers.recorded_names(counted, names)
    rows = index.table(by, kind=kind, stories=chosen.stories, annotators=annotators)
    if fmt == "json":
        click.echo(json.dumps([row.to_dict(by) for row in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        with utf8_stdout() as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(("by", "key", "label", *COUNTS, "share"))
            for row in rows:
                cells = row.to_dict(by)
                writer.writerow([neutralise(str(cells[name])) for name in ("by", "key", "label", *COUNTS, "share")])
    elif not rows:
        click.echo("Nothing counted: no annotation in the stories selected." if text else "No annotations yet.")
    else:
        _table(rows[:TABLE_LIMIT] if by not in ("day", "week", "month") else rows, by, kind, len(rows))
        if plot:
            click.echo()
            _plot(rows[:TABLE_LIMIT] if by not in ("day", "week", "month") else rows, kind)


def _count(row: Row, kind: str | None) -> int:
    return row.counts[kind] if kind is not None else row.total


def _table(rows: list[Row], by: str, kind: str | None, total: int) -> None:
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(by.capitalize(), overflow="fold")
    for name, header in (("quote", "Quotes"), ("actor", "Mentions"), ("claim", "Claims")):
        if kind in (None, name):
            table.add_column(header, justify="right", no_wrap=True)
    if kind in (None, "quote"):
        table.add_column("Direct", justify="right", no_wrap=True)
        table.add_column("Indirect", justify="right", no_wrap=True)
    table.add_column("Share", justify="right", no_wrap=True)
    for row in rows:
        cells = [str(row.counts[name]) for name in KINDS if kind in (None, name)]
        if kind in (None, "quote"):
            cells += [str(row.forms["direct"]), str(row.forms["indirect"])]
        table.add_row(clean_line(row.label), *cells, f"{100 * row.share:.1f}%")
    echo_rich(table)
    if total > len(rows):
        click.echo(f"… and {total - len(rows):,} more (--format json or csv gives every row)")


def _plot(rows: list[Row], kind: str | None) -> None:
    from rich.console import Console

    width = min(Console().width, 100)
    echo_rich(bars([(row.label, _count(row, kind), f"{_count(row, kind):,}") for row in rows], width), width)


COMMANDS: list[click.Command] = [stats]
