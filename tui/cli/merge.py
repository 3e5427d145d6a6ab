"""`wiredesk merge`: bring another annotator's wiredesk JSON export into this library."""

from __future__ import annotations

from pathlib import Path

import click

from annotations.merge import MergeError, merge_file
from stories.text import clean_line
from tui.cli.base import open_store, user_errors

__all__ = ["COMMANDS"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what the merge would do; change nothing.")
@click.pass_context
@user_errors
def merge(ctx: click.Context, file: Path, dry_run: bool) -> None:
    """Merge FILE, a `wiredesk export --format json` of another library, into this one.

    Stories missing here are added; annotations are matched by id (where both sides changed one, the later
    change wins: every such conflict is listed); deletions travel, so a deleted annotation does not come back;
    registry entries are matched by id, then by name. Everything is checked before anything is written: a file
    that cannot be merged changes nothing (exit code 1). Merging the same file again changes nothing.
    """
    store = open_store(ctx, write=not dry_run)
    try:
        report, changed = merge_file(store, file, dry_run=dry_run)
    except MergeError as exc:
        raise click.ClickException(clean_line(str(exc))) from None  # built clean; cleaned again all the same
    for line in report.lines(changed=changed):
        click.echo(line)
    for warning in store.take_warnings():
        click.echo(f"warning: {warning}", err=True)


COMMANDS: list[click.Command] = [merge]
