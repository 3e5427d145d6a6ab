"""The actor registry from scripts: `actors`, `actor NAME` (to read or manage one entry) and `quotes`; and how
`annotate` turns the names it is given into links to registry entries.

A name given on the command line is looked up by exact name or alias (case and accents ignored), or by id.
Fuzzy matching is not used to pick an entry, only to catch slips: a name that is merely close to an entry's
(a surname alone, a near spelling) is refused with the entry's full name as a hint, rather than silently
becoming a second entry for the same actor.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import click

from annotations.actors import ACTOR_TYPES, Actor, fold_name, rank_actors
from annotations.exports.csv import neutralise
from annotations.history import History
from annotations.model import FORMS, STATUSES, Annotation, AnnotationError
from annotations.store import Store, StoryEntry
from stories.text import clean_line
from tui.cli.base import echo_rich, open_store, user_errors, utf8_stdout

__all__ = ["COMMANDS", "actor_for", "check_link_options", "find_actor", "link", "link_options"]

#: A fuzzy score at least this good (a surname alone scores 95) means "you probably mean that one".
NEAR = 92.0
#: What an annotation's link field makes of the actor it links to.
ROLES = {"actor": "mentions", "speaker": "quotes", "claimant": "claims"}
#: annotate's options that belong to one kind of annotation: parameter -> (option, kind).
KIND_OPTIONS = {
    "speaker": ("--speaker", "quote"),
    "form": ("--form", "quote"),
    "cue": ("--cue", "quote"),
    "actor_name": ("--actor", "actor"),
    "actor_type": ("--actor-type", "actor"),
    "claimant": ("--claimant", "claim"),
    "status": ("--status", "claim"),
}


# --- finding entries by name ---------------------------------------------------------------------------------


def _label(actor: Actor) -> str:
    return f"{actor.name} ({actor.type}, {actor.id[:8]})"


def _quoted(actors: Iterable[Actor]) -> str:
    return " or ".join(f'"{a.name}"' for a in actors)


def find_actor(store: Store, name: str) -> Actor | None:
    """The entry called `name` (its name or an alias, case and accents ignored; or a unique id prefix of at
    least 4 characters), merges followed; None if there is none. AnnotationError if several are."""
    if not fold_name(name):
        raise AnnotationError("no actor name given")
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in name):
        raise AnnotationError(f"the actor name {name!r} holds control characters")
    actors = store.actors()
    named = [m.actor for m in rank_actors(name, actors, limit=len(actors) + 1) if m.how in ("exact", "alias")]
    if not named:
        key = name.strip().lower()
        if len(key) >= 4 and all(c in "0123456789abcdef-" for c in key):
            by_id = {
                a.id: a for e in store.actors(include_merged=True) if e.id.startswith(key) if (a := store.actor(e.id))
            }
            named = list(by_id.values())
    if len(named) > 1:
        listed = ", ".join(_label(a) for a in named)
        raise AnnotationError(f'{len(named)} actors are called "{name}": {listed}; give the id of the one you mean')
    return named[0] if named else None


def _near(store: Store, name: str) -> list[Actor]:
    return [m.actor for m in rank_actors(name, store.actors(), limit=3) if m.how == "fuzzy" and m.score >= NEAR]


def existing_actor(store: Store, name: str) -> Actor:
    """The entry called `name` (see `find_actor`); AnnotationError, with the close names, if there is none."""
    actor = find_actor(store, name)
    if actor is None:
        near = _near(store, name)
        hint = f"; did you mean {_quoted(near)}?" if near else " (see `wiredesk actors`)"
        raise AnnotationError(f'no actor called "{name}" in the registry{hint}')
    return actor


def actor_for(
    store: Store, name: str, type_: str, *, new_ok: bool = False, hint: str = "Give the full name"
) -> tuple[Actor, bool]:
    """The entry to link `name` to, and whether it is a new one (of type `type_`, not stored yet). A name only
    close to an entry's is refused (`hint`: what to do instead), unless `new_ok`."""
    actor = find_actor(store, name)
    if actor is not None:
        return actor, False
    near = _near(store, name)
    if near and not new_ok:
        raise AnnotationError(
            f'no actor is called "{name}"; did you mean {_quoted(near)}? {hint.format(_quoted(near[:1]))}, '
            f'or add --new-actor to make "{name}" a new entry'
        )
    return Actor.new(name, type_), True


# --- annotate: the links of a new annotation -----------------------------------------------------------------


def link_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """annotate's options for the fields of each kind (passed on as keyword arguments)."""
    options = [
        click.option("--speaker", metavar="NAME", help="quote: who said it (a registry name or alias; else new)."),
        click.option("--form", type=click.Choice(FORMS), help="quote: how it is reported."),
        click.option("--cue", metavar="TEXT", help='quote: the reporting phrase, e.g. "told reporters".'),
        click.option(
            "--actor",
            "actor_name",
            metavar="NAME",
            help="actor: the registry entry the mention is of (default: the one named like the text, else new).",
        ),
        click.option("--actor-type", type=click.Choice(ACTOR_TYPES), help="actor: the type of a new entry [person]."),
        click.option("--claimant", metavar="NAME", help="claim: who makes it (a registry name or alias; else new)."),
        click.option("--status", type=click.Choice(STATUSES), help="claim: where it stands."),
        click.option("--new-actor", is_flag=True, help="Add a new entry even for a name close to an existing one's."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def check_link_options(kind: str, options: dict[str, Any]) -> None:
    """Refuse (usage error) an option that belongs to another kind, e.g. --status on a quote."""
    for param, (flag, owner) in KIND_OPTIONS.items():
        if options.get(param) is not None and owner != kind:
            raise click.UsageError(f"{flag} is for {_a(owner)}, not {_a(kind)}")


def link(store: Store, ann: Annotation, options: dict[str, Any]) -> tuple[Annotation, tuple[Actor, ...], list[str]]:
    """`ann` with the fields the options give it, the new registry entries it links to, and a line per link."""
    new_ok = bool(options.get("new_actor"))
    wanted: dict[str, tuple[str, str]] = {}  # field -> (name, type of a new entry)
    if ann.kind == "quote" and options.get("speaker") is not None:
        wanted["speaker"] = (options["speaker"], "person")
    if ann.kind == "claim" and options.get("claimant") is not None:
        wanted["claimant"] = (options["claimant"], "person")
    if ann.kind == "actor":
        wanted["actor"] = (options.get("actor_name") or ann.exact, options.get("actor_type") or "person")
    values: dict[str, Any] = {k: options.get(k) for k in ("form", "status") if options.get(k) is not None}
    if options.get("cue"):
        values["cue"] = " ".join(str(options["cue"]).split())
    new: list[Actor] = []
    lines = []
    for field, (name, type_) in wanted.items():
        hint = "Link it with --actor {}" if field == "actor" and not options.get("actor_name") else "Give the full name"
        actor, is_new = actor_for(store, name, type_, new_ok=new_ok, hint=hint)
        given_type = options.get("actor_type") if field == "actor" else None
        if not is_new and given_type and given_type != actor.type:
            raise AnnotationError(
                f"{actor.name} is in the registry as {_a(actor.type)}, not {_a(given_type)} "
                f'(change it with: wiredesk actor "{actor.name}" --type {given_type})'
            )
        if is_new:
            new.append(actor)
        values[field] = actor.id
        lines.append(f"{field}: {actor.name} ({'new actor, ' if is_new else ''}{actor.type})")
    linked = replace(ann, **values)
    linked.check()
    return linked, tuple(new), lines


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


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
    merged = sorted(i for i in store.tags.merged_ids(actor.id) if i != actor.id)
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


def _rename_conflicts(store: Store, before: Actor, after: Actor) -> None:
    """Refuse a new name or alias that is already another entry's: two entries must not answer to one name."""
    old = {fold_name(n) for n in before.names}
    for name in after.names:
        if fold_name(name) in old:
            continue
        other = next(
            (a for a in store.actors() if a.id != before.id and fold_name(name) in map(fold_name, a.names)), None
        )
        if other is not None:
            raise AnnotationError(
                f'"{name}" already names {_label(other)}; to make them one entry: '
                f'wiredesk actor "{before.name}" --merge-into "{other.name}"'
            )


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
def actor_(ctx: click.Context, name: str, fmt: str, merge_into: str | None, delete: bool, **edits: Any) -> None:
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
        click.echo(f"deleted actor {_label(actor)}; {unlinked} annotation(s) unlinked")
    elif edits:
        _edit(store, history, actor, edits)
    else:
        _show_actor(store, actor, fmt)


def _edit(store: Store, history: History, actor: Actor, edits: dict[str, Any]) -> None:
    changes: dict[str, Any] = {}
    if "rename" in edits:
        changes["name"] = edits["rename"]
    removed = {fold_name(a) for a in edits.get("remove_aliases", ())}
    unknown = removed - {fold_name(a) for a in actor.aliases}
    if unknown:
        which = next(a for a in edits["remove_aliases"] if fold_name(a) in unknown)
        raise AnnotationError(f'"{clean_line(which)}" is not an alias of {actor.name}')
    changes["aliases"] = [a for a in actor.aliases if fold_name(a) not in removed] + list(edits.get("add_aliases", ()))
    if "rename" in edits:
        changes["aliases"].append(actor.name)  # the old name stays, as an alias
    for param, field in (("type_", "type"), ("external_id", "external_id"), ("note", "note")):
        if param in edits:
            changes[field] = " ".join(edits[param].split()) if field == "external_id" else edits[param]
    after = actor.edited(**changes)
    if replace(after, modified=actor.modified) == actor:
        click.echo(f"actor {_label(actor)} unchanged")
        return
    _rename_conflicts(store, actor, after)
    history.edit_actor(after)
    click.echo(f"saved actor {_describe(after)}")


_QUOTE_COLUMNS = ("speaker", "speaker_id", "form", "cue", "story_id", "published", "headline", "text", "annotation_id")


@click.command("quotes")
@click.option("--speaker", metavar="NAME", help="Only the quotes of this actor (a name, alias or id).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_context
@user_errors
def quotes_(ctx: click.Context, speaker: str | None, fmt: str) -> None:
    """List every quote in the library with its speaker, form and cue, newest story first."""
    store = open_store(ctx, write=False)
    only = existing_actor(store, speaker) if speaker is not None else None
    rows = []
    for row in _usage_rows(store, (("speaker", a) for a in store.iter_annotations() if a.kind == "quote")):
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
