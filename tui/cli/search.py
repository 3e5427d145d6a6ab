"""`wiredesk search`: the stories a query finds, ranked, with a snippet of each (the rule is
`annotations.search.find`; this module builds the index when it must and prints)."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import msgspec

from annotations.library_index import LibraryIndex
from annotations.search import Found, SearchIndex, find, parse_query
from annotations.search.find import ANNOTATION_KEYS
from annotations.search.index import INDEX_FILE
from annotations.search.query import TextQuery
from annotations.store import Store, StoreError
from stories.model import short_id
from stories.text import clean_line
from tui.cli.base import CliContext, echo_rich, user_errors

__all__ = ["COMMANDS", "ensure_index", "rebuild_index"]

FORMATS = ("table", "json", "jsonl")
#: Hits a table shows unless --limit says otherwise (json and jsonl give every hit).
TABLE_LIMIT = 20
_ONE_LINE = msgspec.json.Encoder().encode


def ensure_index(store: Store) -> SearchIndex:
    """The store's search index, built or caught up first, with a progress line on stderr when it has to work.
    Raises StoreError (one line) when it cannot be used."""
    index = SearchIndex.of(store)
    started = time.monotonic()
    state = {"shown": False}
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if not state["shown"]:
            click.echo(f"search index: indexing {total:,} stories…", err=True)
            state["shown"] = True
        elif interactive:
            click.echo(f"\rsearch index: {done:,}/{total:,} stories", err=True, nl=False)

    index.ensure(progress)
    if state["shown"]:
        took = time.monotonic() - started
        click.echo(("\r" if interactive else "") + f"search index: ready in {took:.1f} s" + " " * 20, err=True)
    if index.problem:
        raise StoreError(index.problem)
    if index.note:
        click.echo(index.note, err=True)
    return index


def rebuild_index(data_dir: Path) -> str:
    """Build the search index of a healthy library anew (`wiredesk doctor --repair`), if it has one (else it is
    built on the first search); what happened, one line."""
    path = data_dir / INDEX_FILE
    if not path.exists() and not path.is_symlink():
        return "search index: none yet (built by the first search)"
    try:
        with Store(data_dir) as store:
            index = SearchIndex(store)
            started = time.monotonic()
            index.rebuild()
            index.close()
            if index.problem:
                return f"search index: not rebuilt: {index.problem}"
            return f"search index: rebuilt ({len(store):,} stories, {time.monotonic() - started:.1f} s)"
    except StoreError as exc:
        return clean_line(f"search index: not rebuilt: {exc}")


def _records(store: Store, found: Found, limit: int | None) -> list[dict[str, Any]]:
    """One record per story found: id, headline, date, score and snippet (date order when nothing ranks)."""
    rows: list[tuple[str, float | None, str]]
    if found.hits is not None:
        rows = [(h.story_id, round(h.score, 6), h.snippet) for h in found.hits[:limit]]
    else:
        allows = found.allows or (lambda _id: True)
        entries = [e for e in store.entries(all_versions=True) if allows(e.id)]
        rows = [(e.id, None, "") for e in entries[:limit]]
    records = []
    for story_id, score, snippet in rows:
        entry = next(e for e in store.versions(story_id) if e.id == story_id)
        records.append(
            {
                "id": story_id,
                "headline": clean_line(entry.meta.headline),
                "date": entry.date or entry.day,
                "score": score,
                "snippet": snippet,
            }
        )
    return records


@click.command(context_settings={"ignore_unknown_options": True})  # `search fishing -Norway`: -Norway is a word
@click.argument("query", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help=f"How many stories to list, best first (default: {TABLE_LIMIT} in a table, every one in json/jsonl).",
)
@click.pass_context
@user_errors
def search(ctx: click.Context, query: tuple[str, ...], fmt: str, limit: int | None) -> None:
    """Search the library: words (all must match), "exact phrase", OR, -word, prefix*, and the library's
    tokens (quoting:NAME actor:NAME claimant:NAME claims:STATUS thread:ID is:untagged agency:NAME since:DATE
    until:DATE).

    Case and accents are ignored; words are matched whole (no stemming: use word* for its variants)."""
    parsed = parse_query(" ".join(query))
    if not parsed and not parsed.errors:
        raise click.UsageError("nothing to search for: give words or tokens")
    if parsed.errors:
        raise click.ClickException(parsed.errors[0])
    store, _reason = ctx.ensure_object(CliContext).app_store()
    library = LibraryIndex(store) if any(key in ANNOTATION_KEYS for key, _ in parsed.tokens) else None
    if parsed.tokens and parsed.match:  # the tokens' errors before any time is spent on the index
        tokens_only = find(store, None, replace(parsed, match=TextQuery()), library=library)
        if tokens_only.errors:
            raise click.ClickException(tokens_only.errors[0])
    index = ensure_index(store) if parsed.match else None
    limit = limit if limit is not None else (TABLE_LIMIT if fmt == "table" else None)
    found = find(store, index, parsed, limit=limit, library=library)
    if found.errors:
        raise click.ClickException(found.errors[0])
    for note in found.notes:
        click.echo(note, err=True)
    records = _records(store, found, limit)
    if fmt == "json":
        click.echo(msgspec.json.format(msgspec.json.encode(records), indent=2).decode())
    elif fmt == "jsonl":
        for record in records:
            click.echo(_ONE_LINE(record).decode())
    else:
        _table(records)


def _table(records: list[dict[str, Any]]) -> None:
    if not records:
        click.echo("no story found")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0), show_lines=False)
    table.add_column("ID", no_wrap=True, width=8)
    table.add_column("Date", no_wrap=True, width=10)
    table.add_column("Match", no_wrap=True, justify="right", width=5)
    table.add_column("Headline / snippet", overflow="fold")
    # BM25 of a word most stories hold is tiny (2e-06): the table shows each as a share of the best one's
    best = max((r["score"] for r in records if r["score"] is not None), default=None)
    for record in records:
        score = "" if record["score"] is None or not best else f"{100 * record['score'] / best:.0f}%"
        text = Text(record["headline"], style="bold")  # Text, never Rich markup: brackets in a story stay text
        if record["snippet"]:
            text.append("\n" + record["snippet"], style="dim")
        table.add_row(short_id(record["id"]), record["date"][:10], score, text)
    echo_rich(table)


COMMANDS: list[click.Command] = [search]
