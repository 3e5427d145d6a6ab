"""`wiredesk export`: the library's annotations, in the formats analysts and tools use."""

from __future__ import annotations

from datetime import date

import click

from annotations import config
from annotations.exports import EXPORTERS, ExportFilter, actor_ids, exporter, select, write_export
from annotations.layers import ALL, chosen_note, layers_of
from annotations.model import KINDS
from annotations.store import Store
from stories.text import clean_line
from tui.cli.base import open_store, user_errors, utf8_stdout

__all__ = ["COMMANDS"]


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def _filter(
    store: Store,
    story_refs: tuple[str, ...],
    kinds: tuple[str, ...],
    actors: tuple[str, ...],
    since: str | None,
    until: str | None,
    annotators: tuple[str, ...],
    layer: str | None,
) -> tuple[ExportFilter, str]:
    """The filter of the options, and a note on the layer exported for the summary ("" if the library has one)."""
    ids = frozenset().union(*(actor_ids(store, name) for name in actors)) if actors else None
    layers = layers_of(config.load_config())
    present = layers.in_library(store)
    chosen = layers.choose(layer, present) if layer is not None or not annotators else ALL
    note = chosen_note(layer, chosen, present)
    flt = ExportFilter(
        story_ids=frozenset(store.resolve(ref) for ref in story_refs) or None,
        kinds=frozenset(kinds) or None,
        actor_ids=ids,
        since=since,
        until=until,
        annotators=frozenset(annotators) or None,
        layer=chosen,
        layers=layers,
    )
    return flt, note


@click.command()
@click.option("--format", "fmt", type=click.Choice(list(EXPORTERS)), required=True, help="Export format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    help="File to write (- or none: stdout); brat: folder. A FIFO, a device or /dev/stdout is written into as it "
    "is; a symbolic link is followed, and the file it points to is replaced beside itself (the link stays).",
)
@click.option("--story", "story_refs", multiple=True, help="Only this story (repeatable; any unique id prefix).")
@click.option("--kind", "kinds", type=click.Choice(KINDS), multiple=True, help="Only this kind (repeatable).")
@click.option("--actor", "actors", multiple=True, help="Only those linked to this actor (name or alias; repeatable).")
@click.option("--since", callback=_iso_date, help="Only stories dated on or after this day (YYYY-MM-DD).")
@click.option("--until", callback=_iso_date, help="Only stories dated on or before this day (YYYY-MM-DD).")
@click.option(
    "--annotator",
    "annotators",
    multiple=True,
    help="Only annotations by this annotator, by name as recorded (repeatable; without --layer: in any layer).",
)
@click.option(
    "--layer",
    metavar="NAME",
    help="Only this annotator layer: yours (your config's annotator, with what you accepted from suggestions), "
    "another annotator's, curated, or all. Default: curated once the library has a curated layer, else all.",
)
@click.option("--excel", is_flag=True, help="CSV: start with a byte-order mark, so Excel reads it as UTF-8.")
@click.option("--force", is_flag=True, help="Replace the output file (or brat folder) if it exists.")
@click.option(
    "--strict", is_flag=True, help="Fail on a story whose text is damaged (default: skip it, with a warning)."
)
@click.pass_context
@user_errors
def export(
    ctx: click.Context,
    fmt: str,
    output: str | None,
    story_refs: tuple[str, ...],
    kinds: tuple[str, ...],
    actors: tuple[str, ...],
    since: str | None,
    until: str | None,
    annotators: tuple[str, ...],
    layer: str | None,
    excel: bool,
    force: bool,
    strict: bool,
) -> None:
    """Export annotations (with their stories). A repeated filter option takes any of its values; an annotation
    must pass every option given. A story's date is when it was last updated, else created, else added.

    A file (or brat folder) is written through a temp file beside it and renamed into place, so it is whole or
    not there; one that exists is replaced only with --force. If -o names a symbolic link, the file it points to
    is replaced that way, in its own folder, and the link is left as it is. A FIFO, a character device or
    /dev/stdout is written into as it is, without --force. A story whose text is damaged is skipped with a
    warning naming it (--strict: the export fails instead).

    Once the library has a curated layer, the export is of it (what a curator settled) unless --layer or
    --annotator says otherwise; the summary line says which layer was exported."""
    module = exporter(fmt)
    to_stdout = output in (None, "-")
    if to_stdout and not module.SINGLE_FILE:
        raise click.UsageError(f"--format {fmt} writes a folder: give it with -o DIR")
    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    if since and until and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}")
    store = open_store(ctx, write=False)
    warnings: list[str] = []
    flt, layer_note = _filter(store, story_refs, kinds, actors, since, until, annotators, layer)
    selection = select(store, flt, strict=strict, skipped=None if strict else warnings.append)
    options = {"excel": True} if excel else {}
    try:
        if to_stdout:
            with utf8_stdout() as out:
                count = module.write(store, out, selection, **options)
            if layer_note:  # the data on stdout, the layer it holds on stderr
                click.echo(f"exported {count} annotation(s) as {fmt}: {layer_note}", err=True)
            return
        assert output is not None
        count = write_export(store, fmt, output, selection, force=force, **options)
        of = f": {layer_note}" if layer_note else ""
        click.echo(f"exported {count} annotation(s) as {fmt} to {clean_line(output)}{of}", err=True)
    finally:
        for warning in warnings:
            click.echo(f"warning: {clean_line(warning)}", err=True)


COMMANDS = [export]
