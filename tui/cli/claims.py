"""`wiredesk claims`: claim threads (`annotations.claim_threads`) — list them, show one's timeline, link a claim into
one, unlink it, retitle or merge threads. Each change is one step the app can undo (`annotations.handover`)."""

from __future__ import annotations

import csv
import json
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from annotations import claim_threads
from annotations.exports.csv import neutralise
from annotations.history import History, find_annotation
from annotations.store import Store
from annotations.threads import THREAD_STATUSES, Thread
from stories.model import short_id
from stories.text import clean_line
from tui.cli.base import echo_rich, open_store, user_errors, utf8_stdout

__all__ = ["COMMANDS"]

COLUMNS = ("thread", "title", "date", "status", "claimant", "agency", "headline", "text", "annotation_id", "story_id")


def _rows(store: Store, thread: Thread) -> list[dict[str, Any]]:
    """One row per member of the thread, in date order."""
    return [
        {
            "thread": thread.id,
            "title": thread.title,
            "date": m.date,
            "status": m.member.status,
            "claimant": m.claimant,
            "agency": m.agency,
            "headline": m.headline,
            "text": m.claim.exact if m.claim is not None else "",
            "annotation_id": m.member.annotation,
            "story_id": m.claim.story_id if m.claim is not None else "",
        }
        for m in claim_threads.timeline(store, thread)
    ]


def _cell(value: str, limit: int = 80) -> Text:
    line = clean_line(value)
    return Text(line if len(line) <= limit else line[: limit - 1] + "…")


@click.group("claims", invoke_without_command=True)
@click.option("--thread", "thread_ref", metavar="ID", help="Only this thread (an id prefix), as a timeline.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_context
@user_errors
def claims(ctx: click.Context, thread_ref: str | None, fmt: str) -> None:
    """Claim threads: claims of several stories that state, deny, confirm or correct the same thing, each with its
    status, in date order. Subcommands link, unlink, title and merge change them."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(ctx, write=False)
    threads = [claim_threads.find_thread(store, thread_ref)] if thread_ref is not None else store.threads()
    rows = {t.id: _rows(store, t) for t in threads}
    if fmt == "json":
        data = [{**t.to_dict(), "members": rows[t.id]} for t in threads]
        click.echo(json.dumps(data[0] if thread_ref is not None else data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        with utf8_stdout() as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            writer.writerows([neutralise(str(r[k])) for k in COLUMNS] for t in threads for r in rows[t.id])
    elif not threads:
        click.echo(
            "No claim threads yet (link a claim with `wiredesk claims link ID --new`, or J on a claim in the reader)."
        )
    elif thread_ref is not None:
        thread = threads[0]
        click.echo(f"{thread.id[:8]}  {clean_line(thread.title)}")
        table = Table(box=None, header_style="bold", pad_edge=False)
        for name in ("Date", "Status", "Claimant", "Agency", "Claim", "Id"):
            table.add_column(name, overflow="fold")
        for r in rows[thread.id]:
            cells = (r["claimant"], r["agency"], r["text"])
            table.add_row(r["date"][:10] or "—", r["status"], *(_cell(c, 60) for c in cells), r["annotation_id"][:8])
        echo_rich(table)
    else:
        table = Table(box=None, header_style="bold", pad_edge=False)
        for name in ("Thread", "Claims", "Last", "Timeline", "Title"):
            table.add_column(name, overflow="fold")
        for t in threads:
            timeline = " → ".join(r["status"] for r in rows[t.id])
            last = max((r["date"] for r in rows[t.id]), default="")[:10]
            table.add_row(t.id[:8], str(len(t.members)), last or "—", timeline, _cell(t.title))
        echo_rich(table)


@claims.command("link")
@click.argument("annotation")
@click.option("--thread", "thread_ref", metavar="ID", help="The thread to link the claim into (an id prefix).")
@click.option("--new", "new", is_flag=True, help="Start a new thread with this claim.")
@click.option("--status", type=click.Choice(THREAD_STATUSES), default="asserted", show_default=True)
@click.option("--title", default="", help="The new thread's title (default: the claim's text).")
@click.pass_context
@user_errors
def link_(ctx: click.Context, annotation: str, thread_ref: str | None, new: bool, status: str, title: str) -> None:
    """Link claim ANNOTATION (an id prefix) into a thread with a status; a claim there already gets the status."""
    if new == (thread_ref is not None):
        raise click.UsageError("give either --thread ID or --new")
    store = open_store(ctx)
    ann = find_annotation(store, annotation)
    target = claim_threads.find_thread(store, thread_ref).id if thread_ref is not None else None
    thread = claim_threads.link(History(store, hand_over=True), ann, target, status=status, title=title)
    click.echo(f"claim {ann.id[:8]} ({short_id(ann.story_id)}) is {status} in thread {thread.id[:8]}: {thread.title}")


@claims.command("unlink")
@click.argument("annotation")
@click.pass_context
@user_errors
def unlink_(ctx: click.Context, annotation: str) -> None:
    """Take claim ANNOTATION out of its thread (a thread goes with its last claim)."""
    store = open_store(ctx)
    ann = find_annotation(store, annotation)
    thread = claim_threads.unlink(History(store, hand_over=True), ann.id)
    click.echo(f"claim {ann.id[:8]} left thread {thread.id[:8]}")


@claims.command("title")
@click.argument("thread_ref", metavar="THREAD")
@click.argument("title")
@click.pass_context
@user_errors
def title_(ctx: click.Context, thread_ref: str, title: str) -> None:
    """Give THREAD a new title."""
    store = open_store(ctx)
    thread = claim_threads.retitle(
        History(store, hand_over=True), claim_threads.find_thread(store, thread_ref).id, title
    )
    click.echo(f"thread {thread.id[:8]}: {thread.title}")


@claims.command("merge")
@click.argument("source")
@click.argument("target")
@click.pass_context
@user_errors
def merge_(ctx: click.Context, source: str, target: str) -> None:
    """Move every claim of thread SOURCE into thread TARGET, and delete SOURCE."""
    store = open_store(ctx)
    src, dst = claim_threads.find_thread(store, source), claim_threads.find_thread(store, target)
    merged = claim_threads.merge_threads(History(store, hand_over=True), src.id, dst.id)
    click.echo(f"thread {src.id[:8]} merged into {merged.id[:8]}: {len(merged.members)} claims")


#: The commands of this module, added to the `wiredesk` group by `tui.cli`.
COMMANDS: list[click.Command] = [claims]
