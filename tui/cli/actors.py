"""The actor registry from scripts: `actors`, `actor NAME` (to read or manage one entry) and `quotes`.

A name is found by the registry's lookup (`annotations.registry`): `actor NAME` strictly (a name, an alias or
an id prefix), `quotes --speaker` leniently (also whole words of a name: a surname alone), as `export --actor`
and the app's library filter do. A near spelling is never taken: the error asks "did you mean".
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import click

from annotations.actors import ACTOR_TYPES, Actor
from annotations.exports.csv import neutralise
from annotations.history import History
from annotations.model import Annotation, AnnotationError
from annotations.registry import Mode, NameClash, Registry, actor_label, edit_entry
from annotations.store import Store, StoryEntry
from stories.text import clean_line
from tui.cli.base import echo_rich, in_layer, layer_option, open_store, user_errors, utf8_stdout

__all__ = ["COMMANDS", "existing_actor"]

#: What an annotation's link field makes of the actor it links to.
ROLES = {"actor": "mentions", "speaker": "quotes", "claimant": "claims"}


def existing_actor(store: Store, name: str, mode: Mode = "strict") -> Actor:
    """The entry `name` means (the registry's lookup, see `annotations.registry`); AnnotationError, with the
    close names or the candidates, if it does not mean exactly one."""
    found = Registry.of(store).lookup(name, mode)
    if not found.found and not found.near:
        raise AnnotationError(f"{found.problem()} (see `wiredesk actors`)")
    return found.one()


# --- reading the registry ------------------------------------------------------------------------------------


def _counts(store: Store) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Links to each entry by role: (directly, folded into the entry merges lead to)."""
    direct: dict[str, Counter[str]] = {}
    folded: dict[str, Counter[str]] = {}
    for ann in store.iter_annotations():
        for field, target in ann.links().items():
            direct.setdefault(target, Counter())[ROLES[field]] += 1
            if (actor := store.actor(target)) is not None:
                folded.setdefault(actor.id, Counter())[ROLES[field]] += 1
    return direct, folded


def _count_dict(counter: Counter[str] | None) -> dict[str, int]:
    return {role: (counter or Counter())[role] for role in ROLES.values()}


def _story_order(store: Store) -> dict[str, tuple[int, StoryEntry]]:
    """Story id -> (its place in the library list, newest first; its entry), every version included."""
    return {e.id: (i, e) for i, e in enumerate(store.entries(all_versions=True))}


def _published(entry: StoryEntry) -> str:
    return entry.meta.updated or entry.meta.created or ""


def _date(entry: StoryEntry) -> str:
    from tui.story_text import display_date

    return display_date(entry.meta)


def _table(*columns: tuple[str, dict[str, Any]]) -> Any:
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0), expand=True)
    for header, settings in columns:
        table.add_column(header, **settings)
    return table


def _text(value: str) -> Any:
    from rich.text import Text

    return Text(clean_line(value))  # Text, not str: brackets are text, never Rich markup


@click.command("actors")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also list the entries merged into another.")
@click.pass_context
@user_errors
def actors_(ctx: click.Context, fmt: str, show_all: bool) -> None:
    """List the actor registry, with how often each actor is mentioned, quoted and claims something.

    An entry merged into another is counted with it (and listed only with --all)."""
    store = open_store(ctx, write=False)
    direct, folded = _counts(store)
    merged: dict[str, list[str]] = {}
    for entry in store.actors(include_merged=True):
        if entry.merged_into and (into := store.actor(entry.id)) is not None:
            merged.setdefault(into.id, []).append(entry.id)
    listed = store.actors(include_merged=show_all)
    rows = [(a, folded.get(a.id) if not a.merged_into else direct.get(a.id)) for a in listed]
    if fmt == "json":
        data = [{**a.to_dict(), "counts": _count_dict(c), "merged": sorted(merged.get(a.id, []))} for a, c in rows]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("The actor registry is empty. Tag an actor with: wiredesk annotate STORY --kind actor --text NAME")
        return
    table = _table(
        ("ID", {"no_wrap": True, "width": 8}),
        ("Name", {"ratio": 3, "min_width": 12}),
        ("Type", {"no_wrap": True}),
        ("Mentions", {"justify": "right", "no_wrap": True}),
        ("Quotes", {"justify": "right", "no_wrap": True}),
        ("Claims", {"justify": "right", "no_wrap": True}),
        ("Aliases", {"ratio": 2, "min_width": 8}),
    )
    for actor, counter in rows:
        counts = _count_dict(counter)
        into = store.actor(actor.id) if actor.merged_into else None
        name = f"{actor.name} → {into.name}" if into is not None else actor.name
        cells = (_text(name), actor.type, *(str(counts[r]) for r in ROLES.values()), _text(", ".join(actor.aliases)))
        table.add_row(actor.id[:8], *cells)
    echo_rich(table)


def _usage_rows(store: Store, usage: Iterable[tuple[str, Annotation]]) -> list[dict[str, Any]]:
    """One dict per (link field, annotation), newest story first, in text order within a story."""
    order = _story_order(store)
    rows = []
    for field, ann in usage:
        place, entry = order[ann.story_id]
        rows.append(
            {
                "story_id": ann.story_id,
                "short_id": entry.short_id,
                "published": _published(entry),
                "date": _date(entry),
                "headline": entry.meta.headline,
                "kind": ann.kind,
                "field": field,
                "text": ann.exact,
                "form": ann.form,
                "status": ann.status,
                "cue": ann.cue,
                "note": ann.note,
                "start": ann.start,
                "end": ann.end,
                "annotation_id": ann.id,
                "linked_to": getattr(ann, field),
                "_order": (place, ann.start, ann.id),
            }
        )
    rows.sort(key=lambda r: r["_order"])
    for row in rows:
        del row["_order"]
    return rows


def _describe(actor: Actor) -> str:
    """Name · type · aliases · external id, on one line."""
    parts = [actor.name, actor.type]
    if actor.aliases:
        parts.append("aliases: " + ", ".join(actor.aliases))
    if actor.external_id:
        parts.append(actor.external_id)
    return clean_line(" · ".join(parts))


def _show_actor(store: Store, actor: Actor, fmt: str) -> None:
    rows = _usage_rows(store, store.actor_usage(actor.id))
    counts = _count_dict(Counter(ROLES[r["field"]] for r in rows))
    merged = sorted(i for i in store.merged_ids(actor.id) if i != actor.id)
    if fmt == "json":
        data = {
            "actor": {**actor.to_dict(), "counts": counts, "merged": merged},
            "annotations": [{k: v for k, v in r.items() if k != "date"} for r in rows],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    tally = ", ".join(f"{n} {role if n != 1 else role[:-1]}" for role, n in counts.items())  # "1 quote, 2 claims"
    click.echo(f"{_describe(actor)} · {tally}")
    if not rows:
        click.echo(f"No mentions, quotes or claims of {clean_line(actor.name)} yet.")
        return
    table = _table(
        ("Story", {"no_wrap": True, "width": 8}),
        ("Date", {"no_wrap": True, "width": 11}),
        ("Headline", {"no_wrap": True, "overflow": "ellipsis", "ratio": 2, "min_width": 10}),
        ("Kind", {"no_wrap": True, "width": 5}),
        ("Text", {"ratio": 4, "min_width": 16}),
        ("Form/status", {"no_wrap": True, "width": 11}),
    )
    for r in rows:
        cells = (_text(r["headline"]), r["kind"], _text(r["text"]), r["form"] or r["status"] or "")
        table.add_row(r["short_id"], r["date"], *cells)
    echo_rich(table)


@click.command("actor")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--rename", metavar="NEW", help="Give the entry a new name.")
@click.option("--alias", "add_aliases", metavar="ALIAS", multiple=True, help="Add an alias (repeatable).")
@click.option("--remove-alias", "remove_aliases", metavar="ALIAS", multiple=True, help="Remove an alias (repeatable).")
@click.option("--type", "type_", type=click.Choice(ACTOR_TYPES), help="Change the entry's type.")
@click.option("--external-id", metavar="ID", help="Set its external id, e.g. a Wikidata QID ('' clears it).")
@click.option("--note", metavar="TEXT", help="Set its note.")
@click.option("--merge-into", metavar="OTHER", help="Merge the entry into OTHER: its links and names follow.")
@click.option("--delete", is_flag=True, help="Delete the entry; the annotations linking to it are unlinked.")
@click.pass_context
@user_errors
def actor_(ctx: click.Context, /, name: str, fmt: str, merge_into: str | None, delete: bool, **edits: Any) -> None:
    """Show the actor NAME (a name, alias or id) with its mentions, quotes and claims across the library;
    with an option, change its registry entry (one undoable step, saved at once)."""
    edits = {k: v for k, v in edits.items() if v not in (None, ())}
    if sum((bool(edits), merge_into is not None, delete)) > 1:
        raise click.UsageError("--merge-into and --delete each go alone, without other changes")
    store = open_store(ctx, write=bool(edits) or merge_into is not None or delete)
    actor = existing_actor(store, name)
    history = History(store)
    if merge_into is not None:
        target = existing_actor(store, merge_into)
        links = len(store.actor_usage(actor.id))
        history.merge_actors(actor.id, target.id)
        click.echo(f"merged {actor.name} into {target.name}: {links} link(s) now lead to {target.name}")
    elif delete:
        unlinked = history.delete_actor(actor.id)
        click.echo(f"deleted actor {actor_label(actor)}; {unlinked} annotation(s) unlinked")
    elif edits:
        _edit(store, history, actor, edits)
    else:
        _show_actor(store, actor, fmt)


def _edit(store: Store, history: History, actor: Actor, edits: dict[str, Any]) -> None:
    fields = {
        f: edits[p] for p, f in (("type_", "type"), ("external_id", "external_id"), ("note", "note")) if p in edits
    }
    if "external_id" in fields:
        fields["external_id"] = " ".join(fields["external_id"].split())
    try:
        after = edit_entry(
            Registry.of(store),
            actor,
            name=edits.get("rename"),
            add_aliases=edits.get("add_aliases", ()),
            remove_aliases=edits.get("remove_aliases", ()),
            **fields,
        )
    except NameClash as clash:
        raise AnnotationError(
            f'{clash}; to make them one entry: wiredesk actor "{clean_line(actor.name)}" '
            f'--merge-into "{clean_line(clash.other.name)}"'
        ) from None
    if replace(after, modified=actor.modified) == actor:
        click.echo(f"actor {actor_label(actor)} unchanged")
        return
    history.edit_actor(after)
    click.echo(f"saved actor {_describe(after)}")


_QUOTE_COLUMNS = ("speaker", "speaker_id", "form", "cue", "story_id", "published", "headline", "text", "annotation_id")


@click.command("quotes")
@click.option(
    "--speaker", metavar="NAME", help="Only the quotes of this actor (a name, alias, id prefix or a surname alone)."
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@layer_option
@click.pass_context
@user_errors
def quotes_(ctx: click.Context, speaker: str | None, fmt: str, layer: str | None) -> None:
    """List every quote in the library with its speaker, form and cue, newest story first."""
    store = open_store(ctx, write=False)
    only = existing_actor(store, speaker, "lenient") if speaker is not None else None
    rows = []
    shown = in_layer(store, layer)
    quotes = (("speaker", a) for a in store.iter_annotations() if a.kind == "quote" and shown(a))
    for row in _usage_rows(store, quotes):
        who = store.actor(row["linked_to"])
        if only is None or (who is not None and who.id == only.id):
            rows.append({"speaker": who.name if who else "", "speaker_id": who.id if who else None, **row})
    if fmt == "json":
        click.echo(json.dumps([{k: r[k] for k in _QUOTE_COLUMNS} for r in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        with utf8_stdout() as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(_QUOTE_COLUMNS)
            writer.writerows([neutralise(str(r[k] or "")) for k in _QUOTE_COLUMNS] for r in rows)
    elif not rows:
        click.echo(f"No quotes of {clean_line(only.name)} yet." if only else "No quotes yet.")
    else:
        table = _table(
            ("Story", {"no_wrap": True, "width": 8}),
            ("Date", {"no_wrap": True, "width": 11}),
            ("Speaker", {"ratio": 2, "min_width": 10}),
            ("Form", {"no_wrap": True, "width": 8}),
            ("Cue", {"ratio": 1, "min_width": 6}),
            ("Text", {"ratio": 4, "min_width": 16}),
        )
        for r in rows:
            cells = (_text(r["speaker"]), r["form"] or "", _text(r["cue"]), _text(r["text"]))
            table.add_row(r["short_id"], r["date"], *cells)
        echo_rich(table)


#: The commands of this module, added to the `wiredesk` group by `tui.cli`.
COMMANDS = (actors_, actor_, quotes_)
