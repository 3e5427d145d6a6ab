"""`wiredesk curate`: curate one story version from the command line: the agreed annotations go into the `curated`
layer, the open items are listed with who said what, and one annotator's version is accepted or an item rejected
(the rules are in `annotations.curation`, this module only prints)."""

from __future__ import annotations

import json
from typing import Any

import click

from annotations import config
from annotations.curation import (
    POLICIES,
    Item,
    StoryCuration,
    accept,
    curation_policy,
    find_item,
    reject,
    start,
    state,
    version_fields,
    version_line,
)
from annotations.history import History
from annotations.layers import CURATED, layers_of
from annotations.model import quoted
from annotations.store import Store
from stories.model import short_id
from stories.text import clean_line
from tui.cli.base import open_store, user_errors

__all__ = ["COMMANDS", "item_record"]

FORMATS = ("table", "json")


def item_record(store: Store, item: Item) -> dict[str, Any]:
    """An open item as `--format json` gives it: its id, kind, span and text, each annotator's version."""
    return {
        "item": item.id,
        "kind": item.kind,
        "start": item.start,
        "end": item.end,
        "exact": item.exact,
        "versions": {v.annotator: version_fields(store, v.annotation) for v in item.versions},
        "missing": list(item.missing),
    }


def _table(store: Store, found: StoryCuration) -> list[str]:
    story = short_id(found.story_id)
    if found.curated:
        return [f"story {story} is curated: nothing left to decide ({found.decided} item(s) settled)"]
    if not found.open:
        return [f"story {story}: nothing to curate (no annotator's layer has an annotation in it)"]
    width = max((len(clean_line(name)) for name in found.annotators), default=0)
    lines = [f"story {story}: {len(found.open)} open item(s), {found.decided} settled (policy {found.policy})"]
    for item in found.open:
        lines.append(f"{item.short_id}  {item.kind:<5}  {item.start}-{item.end}  {quoted(item.exact, 60)}")
        for version in item.versions:
            lines.append(f"    {clean_line(version.annotator):<{width}}  {version_line(store, version.annotation)}")
        lines += [f"    {clean_line(name):<{width}}  (nothing here)" for name in item.missing]
    return lines


@click.command("curate")
@click.argument("story")
@click.option("--policy", type=click.Choice(POLICIES), help="What goes into curated by itself (config: curation).")
@click.option("--list", "list_", is_flag=True, help="List the open items (the default without --accept or --reject).")
@click.option("--accept", "accepts", multiple=True, metavar="ITEM", help="Accept an item (repeatable; with --from).")
@click.option("--from", "annotator", metavar="ANNOTATOR", help="Whose version --accept copies into curated.")
@click.option("--reject", "rejects", multiple=True, metavar="ITEM", help="Reject an item (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_context
@user_errors
def curate(
    ctx: click.Context,
    story: str,
    policy: str | None,
    list_: bool,
    accepts: tuple[str, ...],
    annotator: str | None,
    rejects: tuple[str, ...],
    fmt: str,
) -> None:
    """Curate STORY (an id or unique id prefix of one version): the annotations its annotators agree on are copied
    into the curated layer (policy all: every annotator, majority: more than half; at least two), once. The rest
    are open items, listed with each annotator's version; --accept ITEM --from ANNOTATOR copies that version into
    curated, --reject ITEM leaves the item out. ITEM is an id prefix from the list. Every decision is remembered:
    the item is not listed again."""
    if accepts and not annotator:
        raise click.UsageError("--accept needs --from ANNOTATOR (whose version to copy)")
    if annotator and not accepts:
        raise click.UsageError("--from goes with --accept ITEM")
    settings = config.load_config()
    chosen = policy or curation_policy(settings)
    layers = layers_of(settings).team
    store = open_store(ctx)
    story_id = store.resolve(story)
    history = History(store)
    copied = start(history, story_id, layers, chosen)
    notes = [f"copied {len(copied)} agreed annotation(s) into {CURATED}"] if copied else []
    for ref in accepts:
        item = find_item(state(store, story_id, layers, chosen).open, ref)
        made = accept(history, item, str(annotator))
        notes.append(f"accepted {clean_line(str(annotator))}'s {item.kind} {quoted(made.exact, 40)} ({item.short_id})")
    for ref in rejects:
        item = find_item(state(store, story_id, layers, chosen).open, ref)
        reject(history, item)
        notes.append(f"rejected {item.kind} {quoted(item.exact, 40)} ({item.short_id})")
    found = state(store, story_id, layers, chosen)
    for note in notes:
        click.echo(note, err=True)
    if (accepts or rejects) and not list_ and fmt == "table":
        left = len(found.open)
        click.echo(f"{left} open item(s) left" if left else f"story {short_id(story_id)} is curated")
        return
    if fmt == "json":
        record = {
            "story": story_id,
            "policy": chosen,
            "annotators": list(found.annotators),
            "curated": found.curated,
            "settled": found.decided,
            "open": [item_record(store, item) for item in found.open],
        }
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(_table(store, found)))


#: The commands of this module, added to the `wiredesk` group by `tui.cli`.
COMMANDS = [curate]
