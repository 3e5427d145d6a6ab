"""`wiredesk read` and `wiredesk unread`: mark stories read or unread, as opening one in the app or `m` in the
library does (the marks are `annotations.store.unread`'s; `wiredesk list --unread` lists the unread ones)."""

from __future__ import annotations

import click

from annotations.store import Store
from stories.text import clean_line
from tui.cli.base import CliContext, user_errors

__all__ = ["COMMANDS"]


def _mark(ctx: click.Context, refs: tuple[str, ...], *, read: bool) -> None:
    store: Store = ctx.ensure_object(CliContext).store(load=False)
    ids = list(dict.fromkeys(store.resolve(ref) for ref in refs))  # every id checked before anything is marked
    versions = [e.id for story_id in ids for e in store.versions(story_id)] if read else ids
    changed = store.unread.mark_read(versions) if read else store.unread.mark_unread(ids)
    state = "read" if read else "unread"
    noun = "story" if len(ids) == 1 else "stories"
    was = "" if changed else f" (already {state})"
    click.echo(f"Marked {len(ids)} {noun} {state}{was}.")
    if not store.unread.usable:
        path = clean_line(str(store.unread.path))
        click.echo(f"warning: {path} is not a regular file: the marks were not saved", err=True)


@click.command("read")
@click.argument("stories", nargs=-1, required=True)
@click.pass_context
@user_errors
def read_(ctx: click.Context, stories: tuple[str, ...]) -> None:
    """Mark STORIES read (ids or unique id prefixes; every version of each), as opening them in the app does."""
    _mark(ctx, stories, read=True)


@click.command("unread")
@click.argument("stories", nargs=-1, required=True)
@click.pass_context
@user_errors
def unread_(ctx: click.Context, stories: tuple[str, ...]) -> None:
    """Mark STORIES (ids or unique id prefixes: those versions) unread again."""
    _mark(ctx, stories, read=False)


COMMANDS: list[click.Command] = [read_, unread_]
