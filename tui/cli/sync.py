"""`wiredesk sync`: share your layer, the registry and the stories you annotate with a team through git."""

from __future__ import annotations

import click

from annotations import config
from annotations.layers import layers_of
from annotations.sync.engine import resolve, status, sync
from annotations.sync.git import SyncError
from stories.text import clean_line
from tui.cli.base import open_store, user_errors

__all__ = ["COMMANDS"]


@click.command(name="sync")
@click.option("--remote", metavar="URL", help="The git repository to sync with (remembered): a path, ssh or https.")
@click.option("--status", "show_status", is_flag=True, help="Where the sync stands and the open conflicts.")
@click.option("--resolve", "conflict", metavar="ID", help="Settle an open conflict (with --take).")
@click.option("--take", type=click.Choice(["ours", "theirs"]), help="Which value of the conflict to keep.")
@click.pass_context
@user_errors
def sync_(ctx: click.Context, remote: str | None, show_status: bool, conflict: str | None, take: str | None) -> None:
    """Sync your annotations with your team through a git repository.

    Your layer (as the config's `annotator`), the curated layer, the actor registry and the stories they
    annotate are written as plain JSON-lines files, committed with you as author, merged with the remote record
    by record and pushed; then the others' layers arrive in your library. A record two people changed
    differently is a conflict: both values are kept and listed (`--status`) until one is taken (`--resolve ID
    --take ours|theirs`). Offline, your work stays committed locally: run sync again later.
    """
    if (conflict is None) != (take is None):
        raise click.UsageError("--resolve ID and --take ours|theirs go together")
    if show_status and (conflict or remote):
        raise click.UsageError("--status goes alone")
    settings = config.load_config()
    me = config.annotator(settings)
    email = settings.get("email", "")
    store = open_store(ctx, write=not show_status)
    try:
        if show_status:
            lines = status(store).lines()
        elif conflict is not None and take is not None:
            lines = [resolve(store, me, conflict, take, layers_of(settings))]
        else:
            mail = email if isinstance(email, str) else ""
            lines = sync(store, me, remote=remote, email=mail, layers=layers_of(settings)).lines()
    except SyncError as exc:
        raise click.ClickException(clean_line(str(exc))) from None
    for line in lines:
        click.echo(line)


COMMANDS: list[click.Command] = [sync_]
