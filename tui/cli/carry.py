"""`wiredesk versions`, `review` and `carry`: a story's versions, the carried annotations waiting for review, and
carrying an earlier version's annotations again (the rules are in `annotations.carrying` / `annotations.review`;
this module only prints)."""

from __future__ import annotations

import json
from typing import Any

import click

from annotations.model import KINDS, quoted
from annotations.review import ReviewItem, waiting
from stories.model import short_id
from stories.text import clean_line
from tui.cli.base import open_store, user_errors

__all__ = ["COMMANDS"]


@click.command("versions")
@click.argument("story")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@user_errors
def versions_(ctx: click.Context, story: str, fmt: str) -> None:
    """List the versions of STORY (any version's id or unique id prefix), oldest first: id, label, date,
    annotation counts, and how many carried annotations wait for review."""
    store = open_store(ctx, write=False)
    found = store.versions(store.resolve(story))
    rows: list[dict[str, Any]] = []
    for e in found:
        counts = store.counts(e.id)
        carry = store.carry(e.id)
        rows.append(
            {
                "id": e.id,
                "short_id": e.short_id,
                "version": e.version,
                "versions": len(found),
                "label": f"version {e.version} of {len(found)}",
                "headline": e.meta.headline,
                "date": e.date,
                "added": e.added,
                "counts": {k: counts[k] for k in KINDS},
                "to_review": store.to_review(e.id),
                "carried_from": carry.source if carry is not None else None,
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'ID':8}  {'Version':14}  {'Date':20}  {'Q':>3} {'A':>3} {'C':>3}  {'Review':>6}  Headline")
    for r in rows:
        q, a, c = (r["counts"][k] for k in KINDS)
        date = clean_line(r["date"] or r["added"])[:20]
        line = f"{r['short_id']:8}  {r['label']:14}  {date:20}  {q:>3} {a:>3} {c:>3}  {r['to_review']:>6}  "
        click.echo(line + clean_line(r["headline"]))


def _record(item: ReviewItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "story": item.story_id,
        "state": item.state,
        "kind": item.kind,
        "was": item.was,
        "exact": item.exact or None,
        "start": item.start,
        "end": item.end,
        "candidates": [{"start": s, "end": e, "score": score} for s, e, score in item.candidates],
        "origin": item.origin,
        "source": item.source,
    }


@click.command("review")
@click.argument("story", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@user_errors
def review_(ctx: click.Context, story: str | None, fmt: str) -> None:
    """List the carried annotations waiting for review in STORY (a version's id or unique id prefix) or in the
    whole library: spans carried with a changed text (old and new text) and annotations that could not be placed
    (with their candidate places). Settle them in the reader (the review keys)."""
    store = open_store(ctx, write=False)
    items = waiting(store, store.resolve(story) if story else None)
    if fmt == "json":
        click.echo(json.dumps([_record(i) for i in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("Nothing waits for review.")
        return
    for item in items:
        where = f"{item.start}-{item.end}" if item.start is not None else "-"
        click.echo(f"{short_id(item.story_id)}  {item.id[:8]}  {item.state:7}  {where:>11}  {item.describe()}")
        if item.state == "orphan" and item.candidates:
            text = store.story(item.story_id).text
            for s, e, score in item.candidates:
                click.echo(f"{'':30}candidate {s}-{e} ({score:.2f}): {quoted(text[s:e], 60)}")


@click.command("carry")
@click.argument("story")
@click.pass_context
@user_errors
def carry_(ctx: click.Context, story: str) -> None:
    """Carry the annotations of the version before STORY onto it (done at import; run it after tagging an earlier
    version). Annotations carried, orphaned or dropped before are never carried twice."""
    from annotations.carrying import carry_forward  # the re-anchoring engine: loaded when used

    store = open_store(ctx)
    story_id = store.resolve(story)
    result = carry_forward(store, story_id)
    if result is None:
        click.echo(f"{short_id(story_id)}: nothing to carry")
        return
    click.echo(f"{short_id(story_id)}: {result.describe()}")


#: The commands of this module, added to the `wiredesk` group by `tui.cli`.
COMMANDS: list[click.Command] = [versions_, review_, carry_]
